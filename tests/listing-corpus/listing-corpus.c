/* listing-corpus.c: other projects' listing-parser cases, fed to Ferry's
 * parser, counted per family: how many valid lines give an entry (usable),
 * how many of those give another name than the project expects (wrong),
 * and how many lines that project calls invalid Ferry still reads.
 *
 * The cases are in cases.tsv beside this file, one a line:
 *   FAMILY <tab> SOURCE <tab> NAME <tab> LINE
 * NAME is the name the source project expects ("!" for a line it calls
 * invalid); LINE is the listing text (a VMS entry may span two lines),
 * with \n, \t and \\ escaped. Each case is parsed alone, as a listing of
 * its own, the way the product parses a folder (FERRY_LISTING_AUTO), on a
 * fixed "now" (2017-03-10 23:00 UTC) so dates without a year are stable.
 * A VMS name is compared without its ";version" (Ferry merges versions).
 *
 * Usage: listing-corpus CASES.TSV [--check] [--verbose]
 * With --check it fails (exit 1) on any wrong name, or on a family under
 * 90 % usable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ferry-listing.h"

typedef struct
{
  guint valid;
  guint usable;
  guint wrong;
  guint invalid;
  guint invalid_read;
} Count;

static char *
strip_version (const char *name)
{
  const char *semicolon = strrchr (name, ';');

  if (semicolon != NULL && semicolon[1] != '\0' && strspn (semicolon + 1, "0123456789") == strlen (semicolon + 1))
    return g_strndup (name, semicolon - name);
  return g_strdup (name);
}

/* The counts of `key`, made on first use; `order` keeps the keys in the
 * order they came. */
static Count *
counter (GHashTable *table,
         GPtrArray  *order,
         const char *key)
{
  Count *count = g_hash_table_lookup (table, key);
  char *owned;

  if (count != NULL)
    return count;
  count = g_new0 (Count, 1);
  owned = g_strdup (key);
  g_hash_table_insert (table, owned, count);
  g_ptr_array_add (order, owned);
  return count;
}

static void
print_row (const char  *label,
           const Count *count)
{
  g_print ("%-22s %6u %6u %6u %7.1f%% %8u of %3u\n", label, count->valid, count->usable, count->wrong,
           count->valid > 0 ? 100.0 * count->usable / count->valid : 100.0, count->invalid_read, count->invalid);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2017, 3, 10, 23, 0, 0);
  g_autoptr(GHashTable) families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GHashTable) sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) source_order = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean check = FALSE;
  gboolean verbose = FALSE;
  gboolean failed = FALSE;
  Count total = { 0, };

  if (argc < 2 || !g_file_get_contents (argv[1], &text, NULL, NULL))
    {
      g_printerr ("usage: %s CASES.TSV [--check] [--verbose]\n", argv[0]);
      return 2;
    }
  for (int i = 2; i < argc; i++)
    {
      check |= g_str_equal (argv[i], "--check");
      verbose |= g_str_equal (argv[i], "--verbose");
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *listing = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GPtrArray) refusals = NULL;
      Count *count;
      Count *by_source;
      const char *got = NULL;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (fields) != 4)
        {
          g_printerr ("line %u: not FAMILY, SOURCE, NAME and LINE\n", i + 1);
          return 2;
        }
      count = counter (families, order, fields[0]);
      by_source = counter (sources, source_order, fields[1]);
      listing = g_strcompress (fields[3]);
      entries = ferry_listing_parse_full (FERRY_LISTING_AUTO, listing, strlen (listing), now, &refusals);
      if (entries->len == 1)
        got = ((FerryEntry *) g_ptr_array_index (entries, 0))->name;
      if (g_str_equal (fields[2], "!"))
        {
          count->invalid++;
          by_source->invalid++;
          if (entries->len > 0)
            {
              count->invalid_read++;
              by_source->invalid_read++;
              if (verbose)
                g_print ("READ-INVALID %s [%s] %s -> %s\n", fields[0], fields[1], fields[3], got ? got : "(several)");
            }
          continue;
        }
      count->valid++;
      by_source->valid++;
      expected = g_strcompress (fields[2]);
      if (got == NULL)
        {
          if (verbose)
            g_print ("REFUSED %s [%s] %s%s%s\n", fields[0], fields[1], fields[3],
                     refusals->len > 0 ? "  — " : "", refusals->len > 0 ? (char *) refusals->pdata[0] : "");
          continue;
        }
      count->usable++;
      by_source->usable++;
      {
        g_autofree char *a = strip_version (got);
        g_autofree char *b = strip_version (expected);

        if (!g_str_equal (a, b))
          {
            count->wrong++;
            by_source->wrong++;
            g_print ("WRONG %s [%s] %s: “%s”, expected “%s”\n", fields[0], fields[1], fields[3], got, expected);
          }
      }
    }

  g_print ("%-22s %6s %6s %6s %8s %14s\n", "family", "valid", "usable", "wrong", "usable%", "invalid read");
  for (guint i = 0; i < order->len; i++)
    {
      Count *count = g_hash_table_lookup (families, order->pdata[i]);

      print_row (order->pdata[i], count);
      total.valid += count->valid;
      total.usable += count->usable;
      total.wrong += count->wrong;
      total.invalid += count->invalid;
      total.invalid_read += count->invalid_read;
      if (count->wrong > 0 || (count->valid > 0 && 100.0 * count->usable / count->valid < 90.0))
        failed = TRUE;
    }
  print_row ("all", &total);
  g_print ("\n%-22s\n", "by source");
  for (guint i = 0; i < source_order->len; i++)
    print_row (source_order->pdata[i], g_hash_table_lookup (sources, source_order->pdata[i]));
  return check && failed ? 1 : 0;
}
