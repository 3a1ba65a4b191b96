/* test-ftp-reply.c: what FTP servers say on the control connection becomes
 * complete replies however the bytes are chunked; garbage and endless
 * replies are refused; FEAT answers from real servers are understood.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-ftp-reply.h"
#include "ferry-ftp-reply-private.h"
#include "ferry-curl.h"

/* Feeds `text` in chunks of `chunk` bytes and returns every reply. */
static GPtrArray *
feed_all (const char *text,
          gsize       chunk,
          GError    **error)
{
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  GPtrArray *replies = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_ftp_reply_free);
  gsize length = strlen (text);
  FerryFtpReply *reply;

  for (gsize i = 0; i < length; i += chunk)
    if (!ferry_ftp_reply_parser_feed (parser, text + i, MIN (chunk, length - i), error))
      break;
  while ((reply = ferry_ftp_reply_parser_pop (parser)) != NULL)
    g_ptr_array_add (replies, reply);
  return replies;
}

static void
test_stream_any_chunking (void)
{
  const char *session =
    "220 (vsFTPd 3.0.5)\r\n"
    "331 Please specify the password.\r\n"
    "230-Welcome to the archive.\r\n"
    "230-\r\n"
    "230 Login successful.\r\n"
    "211-Features:\r\n"
    " EPRT\r\n"
    " MDTM\r\n"
    "211 End\r\n";

  /* Byte by byte, in odd chunks and all at once give the same replies. */
  for (gsize chunk = 1; chunk <= strlen (session); chunk += (chunk < 8 ? 1 : 37))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) replies = feed_all (session, chunk, &error);
      FerryFtpReply *login, *feat;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (replies->len, ==, 4);
      g_assert_cmpuint (((FerryFtpReply *) replies->pdata[0])->code, ==, 220);
      g_assert_cmpstr (((FerryFtpReply *) replies->pdata[0])->lines[0], ==, "(vsFTPd 3.0.5)");
      login = replies->pdata[2];
      g_assert_cmpuint (login->code, ==, 230);
      text = ferry_ftp_reply_get_text (login);
      g_assert_cmpstr (text, ==, "Welcome to the archive.\n\nLogin successful.");
      feat = replies->pdata[3];
      g_assert_cmpuint (g_strv_length (feat->lines), ==, 4);
      g_assert_cmpstr (feat->lines[1], ==, " EPRT");
    }
}

static void
test_multiline_inner_lines (void)
{
  /* Inner lines may start with other codes, digits or spaces; only "150 "
   * ends a reply that began "150-". LF only, as some servers send. */
  const char *text =
    "150-Here comes a banner\n"
    "226 this is not the end\n"
    "150-prefixed inner line\n"
    "   indented\n"
    "1500 not the end either\n"
    "150 Opening BINARY mode data connection.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) replies = feed_all (text, 5, &error);
  FerryFtpReply *reply;

  g_assert_no_error (error);
  g_assert_cmpuint (replies->len, ==, 1);
  reply = replies->pdata[0];
  g_assert_cmpuint (reply->code, ==, 150);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, 6);
  g_assert_cmpstr (reply->lines[1], ==, "226 this is not the end");
  g_assert_cmpstr (reply->lines[2], ==, "prefixed inner line");
  g_assert_cmpstr (reply->lines[3], ==, "   indented");
  g_assert_cmpstr (reply->lines[5], ==, "Opening BINARY mode data connection.");
}

static void
test_garbage_refused (void)
{
  const char *bad[] = {
    "HTTP/1.1 400 Bad Request\r\n",
    "SSH-2.0-OpenSSH_9.2\r\n",
    "2200 almost\r\n",
    "620 out of range\r\n",
    "22 short\r\n",
    "220 ok\r\n\x16\x03\x01 binary\r\n",
    "220 nul\0byte\r\n",
  };
  gsize lengths[G_N_ELEMENTS (bad)];

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    lengths[i] = strlen (bad[i]);
  lengths[G_N_ELEMENTS (bad) - 1] = 15;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) again = NULL;

      g_assert_false (ferry_ftp_reply_parser_feed (parser, bad[i], lengths[i], &error));
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
      /* Once broken, the stream stays broken. */
      g_assert_false (ferry_ftp_reply_parser_feed (parser, "200 ok\r\n", 8, &again));
      g_assert_error (again, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
    }

  /* The reply before the garbage is still delivered. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) replies = feed_all ("220 ok\r\nnonsense\r\n", 100, &error);

    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
    g_assert_cmpuint (replies->len, ==, 1);
  }
}

static void
test_bounded (void)
{
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  g_autoptr(FerryFtpReplyParser) endless = ferry_ftp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_line = g_strnfill (FERRY_FTP_REPLY_MAX_LINE + 10, 'x');
  g_autofree char *ok_line = g_strnfill (FERRY_FTP_REPLY_MAX_LINE - 4, 'y');
  g_autofree char *ok_reply = g_strconcat ("220 ", ok_line, "\r\n", NULL);
  g_autoptr(FerryFtpReply) reply = NULL;
  guint fed = 0;

  /* A line that never ends is refused once it passes the limit, even when
   * it arrives in small pieces. */
  g_assert_true (ferry_ftp_reply_parser_feed (parser, "220 ", 4, &error));
  for (gsize i = 0; i < strlen (long_line) && error == NULL; i += 100)
    ferry_ftp_reply_parser_feed (parser, long_line + i, MIN (100, strlen (long_line) - i), &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* A line just under the limit is fine. */
  reply = _ferry_ftp_reply_parse (ok_reply, strlen (ok_reply), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (reply->lines[0]), ==, strlen (ok_line));

  /* A multi-line reply that goes on and on is refused near 64 KiB. */
  ferry_ftp_reply_parser_feed (endless, "211-Features:\r\n", 15, &error);
  while (error == NULL && fed < 100000)
    {
      ferry_ftp_reply_parser_feed (endless, " FEATURE-LINE\r\n", 15, &error);
      fed++;
    }
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  /* 14 bytes of text per line: refused within the 64 KiB budget. */
  g_assert_cmpuint (fed, <=, FERRY_FTP_REPLY_MAX_TOTAL / 14 + 1);
}

static void
test_parse_whole (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryFtpReply) bare = _ferry_ftp_reply_parse ("200", 3, &error);
  g_autoptr(FerryFtpReply) two = NULL;
  g_autoptr(FerryFtpReply) partial = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (bare->code, ==, 200);
  g_assert_cmpstr (bare->lines[0], ==, "");

  two = _ferry_ftp_reply_parse ("200 a\r\n200 b\r\n", 14, &error);
  g_assert_null (two);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  g_clear_error (&error);

  partial = _ferry_ftp_reply_parse ("211-Features:\r\n MDTM\r\n", 22, &error);
  g_assert_null (partial);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
}

static void
test_feat (void)
{
  /* ProFTPD-style, with one feature line lacking the leading space and
   * Pure-FTPd-style facts. */
  const char *text =
    "211-Features:\r\n"
    " AUTH TLS\r\n"
    " MDTM\r\n"
    " MFMT\r\n"
    " MLST modify*;perm;size*;type*;unique;UNIX.group;UNIX.mode*;\r\n"
    " REST STREAM\r\n"
    " SIZE\r\n"
    " EPSV\r\n"
    "UTF8\r\n"
    " LANG en-US*\r\n"
    "211 End\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryFtpReply) reply = _ferry_ftp_reply_parse (text, strlen (text), &error);
  g_autoptr(FerryFtpReply) refused = _ferry_ftp_reply_parse ("502 Command not implemented.\r\n", 30, &error);
  g_autoptr(FerryFtpReply) none = _ferry_ftp_reply_parse ("211 No features\r\n", 17, &error);
  g_autoptr(GHashTable) features = NULL;
  g_autoptr(GHashTable) empty = NULL;

  g_assert_no_error (error);
  features = ferry_ftp_parse_feat (reply);
  g_assert_nonnull (features);
  for (const char *const *name = (const char *const[]) { "AUTH", "MDTM", "MFMT", "MLST", "REST", "SIZE", "EPSV", "UTF8", "LANG", NULL }; *name != NULL; name++)
    g_assert_true (g_hash_table_contains (features, *name));
  g_assert_false (g_hash_table_contains (features, "MLSD"));
  g_assert_cmpstr (g_hash_table_lookup (features, "REST"), ==, "STREAM");
  g_assert_cmpstr (g_hash_table_lookup (features, "UTF8"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (features, "AUTH"), ==, "TLS");

  g_assert_null (ferry_ftp_parse_feat (refused));
  empty = ferry_ftp_parse_feat (none);
  g_assert_cmpuint (g_hash_table_size (empty), ==, 0);
}

/* A whole control-connection session with vsftpd 3.0.3 on this machine
 * (USER, PASS, FEAT, PASV, EPSV, SYST, HELP, MLSD, MDTM, STAT, QUIT), as
 * captured; only the throwaway user's name was shortened. */
static const char vsftpd_session[] =
  "220 (vsFTPd 3.0.3)\r\n"
  "331 Please specify the password.\r\n"
  "230 Login successful.\r\n"
  "211-Features:\r\n"
  " UTF8\r\n"
  " EPSV\r\n"
  " MDTM\r\n"
  " PASV\r\n"
  " REST STREAM\r\n"
  " SIZE\r\n"
  " TVFS\r\n"
  "211 End\r\n"
  "227 Entering Passive Mode (127,0,0,1,97,84).\r\n"
  "229 Entering Extended Passive Mode (|||24887|)\r\n"
  "215 UNIX Type: L8\r\n"
  "214-The following commands are recognized.\r\n"
  " ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD\r\n"
  " MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR RMD  RNFR\r\n"
  " RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD\r\n"
  " XPWD XRMD\r\n"
  "214 Help OK.\r\n"
  "500 Unknown command.\r\n"
  "550 Could not get file modification time.\r\n"
  "211-FTP server status:\r\n"
  "     Connected to 127.0.0.1\r\n"
  "     Logged in as ferry\r\n"
  "     TYPE: ASCII\r\n"
  "     No session bandwidth limit\r\n"
  "     Session timeout in seconds is 300\r\n"
  "     Control connection is plain text\r\n"
  "     Data connections will be plain text\r\n"
  "     At session startup, client count was 1\r\n"
  "     vsFTPd 3.0.3 - secure, fast, stable\r\n"
  "211 End of status\r\n"
  "221 Goodbye.\r\n";

static void
test_real_vsftpd_session (void)
{
  const guint codes[] = { 220, 331, 230, 211, 227, 229, 215, 214, 500, 550, 211, 221 };

  for (gsize chunk = 1; chunk < sizeof vsftpd_session; chunk *= 3)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) replies = feed_all (vsftpd_session, chunk, &error);
      g_autoptr(GHashTable) features = NULL;
      FerryFtpReply *help;

      g_assert_no_error (error);
      g_assert_cmpuint (replies->len, ==, G_N_ELEMENTS (codes));
      for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
        g_assert_cmpuint (((FerryFtpReply *) replies->pdata[i])->code, ==, codes[i]);

      features = ferry_ftp_parse_feat (replies->pdata[3]);
      g_assert_cmpuint (g_hash_table_size (features), ==, 7);
      g_assert_cmpstr (g_hash_table_lookup (features, "REST"), ==, "STREAM");
      g_assert_true (g_hash_table_contains (features, "UTF8"));
      g_assert_false (g_hash_table_contains (features, "MLST"));

      help = replies->pdata[7];
      g_assert_cmpuint (g_strv_length (help->lines), ==, 6);
      g_assert_cmpstr (help->lines[5], ==, "Help OK.");

    }
}

/* PWD replies as real servers send them: vsftpd, pure-ftpd, proftpd, a
 * quote doubled inside (RFC 959), and what is no folder. */
static void
test_pwd (void)
{
  struct { const char *text; const char *folder; } cases[] = {
    { "\"/\" is the current directory", "/" },
    { "\"/home/web\" is your current location", "/home/web" },
    { "\"/var/www/\" is the current directory", "/var/www" },
    { "\"/srv/say \"\"hi\"\"\" is current directory.", "/srv/say \"hi\"" },
    { "\"/My Documents\" created", "/My Documents" },
    { "no quotes here", NULL },
    { "\"relative\" is odd", NULL },
    { "\"/unterminated", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folder = ferry_ftp_parse_pwd (cases[i].text);

      g_assert_cmpstr (folder, ==, cases[i].folder);
    }
}

/* Connection limits in the words of real servers, and replies that must
 * stay what they are (a wrong password is never "too many"). */
static void
test_too_many (void)
{
  g_assert_true (ferry_curl_reply_means_too_many (530, "530 Sorry, the maximum number of clients (2) "
                                                  "from your host are already connected."));
  g_assert_true (ferry_curl_reply_means_too_many (421, "421 Too many connections (2) from this IP"));
  g_assert_true (ferry_curl_reply_means_too_many (421, "421 There are too many connected users, please try later."));
  g_assert_true (ferry_curl_reply_means_too_many (530, "530 Too many users from this host"));
  g_assert_true (ferry_curl_reply_means_too_many (550, "550 Connection limit reached"));
  g_assert_false (ferry_curl_reply_means_too_many (530, "530 Login incorrect."));
  g_assert_false (ferry_curl_reply_means_too_many (530, "530 Login authentication failed"));
  g_assert_false (ferry_curl_reply_means_too_many (550, "550 Can't check for file existence"));
  g_assert_false (ferry_curl_reply_means_too_many (226, "226 Transfer complete, too many files? no"));
  g_assert_false (ferry_curl_reply_means_too_many (530, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ftp-reply/stream/any-chunking", test_stream_any_chunking);
  g_test_add_func ("/ftp-reply/stream/multiline-inner-lines", test_multiline_inner_lines);
  g_test_add_func ("/ftp-reply/stream/garbage", test_garbage_refused);
  g_test_add_func ("/ftp-reply/stream/bounded", test_bounded);
  g_test_add_func ("/ftp-reply/parse-whole", test_parse_whole);
  g_test_add_func ("/ftp-reply/feat", test_feat);
  g_test_add_func ("/ftp-reply/real-vsftpd-session", test_real_vsftpd_session);
  g_test_add_func ("/ftp-reply/pwd", test_pwd);
  g_test_add_func ("/ftp-reply/too-many", test_too_many);

  return g_test_run ();
}
