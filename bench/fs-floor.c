/* fs-floor.c: the filesystem work of job 1 with no network, the floor
 * under any tool's time: for each file of a source tree, in N threads,
 * create a temporary name, write the bytes, set the time, rename to the
 * final name, folder by folder as a copy does. Bench job "floor".
 *
 *   fs-floor SOURCE DESTINATION THREADS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  char src[4096];
  char dst[4096];
  char tmp[4096];
  struct timespec times[2];
} Job;

static Job *jobs;
static size_t n_jobs, next_job;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void
add (const char *src,
     const char *dst,
     const char *name,
     const struct stat *st)
{
  Job *job;

  jobs = realloc (jobs, sizeof *jobs * (n_jobs + 1));
  job = &jobs[n_jobs++];
  snprintf (job->src, sizeof job->src, "%s/%s", src, name);
  snprintf (job->dst, sizeof job->dst, "%s/%s", dst, name);
  snprintf (job->tmp, sizeof job->tmp, "%s/.%s.part", dst, name);
  job->times[0] = st->st_atim;
  job->times[1] = st->st_mtim;
}

/* Folders are made first, as a walk does before the files go. */
static void
walk (const char *src,
      const char *dst)
{
  DIR *dir = opendir (src);
  struct dirent *entry;

  mkdir (dst, 0755);
  while ((entry = readdir (dir)) != NULL)
    {
      char path[4096], sub[4096];
      struct stat st;

      if (entry->d_name[0] == '.')
        continue;
      snprintf (path, sizeof path, "%s/%s", src, entry->d_name);
      if (lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          snprintf (sub, sizeof sub, "%s/%s", dst, entry->d_name);
          walk (path, sub);
        }
      else if (S_ISREG (st.st_mode))
        add (src, dst, entry->d_name, &st);
    }
  closedir (dir);
}

static void *
worker (void *data)
{
  char buffer[256 * 1024];

  for (;;)
    {
      Job *job;
      int in, out;
      ssize_t n;

      pthread_mutex_lock (&lock);
      job = next_job < n_jobs ? &jobs[next_job++] : NULL;
      pthread_mutex_unlock (&lock);
      if (job == NULL)
        return NULL;
      in = open (job->src, O_RDONLY | O_CLOEXEC);
      out = open (job->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (in < 0 || out < 0)
        {
          perror (job->src);
          exit (1);
        }
      while ((n = read (in, buffer, sizeof buffer)) > 0)
        if (write (out, buffer, n) != n)
          {
            perror (job->tmp);
            exit (1);
          }
      futimens (out, job->times);
      close (out);
      close (in);
      if (rename (job->tmp, job->dst) != 0)
        {
          perror (job->dst);
          exit (1);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  pthread_t threads[64];
  int n;

  if (argc != 4 || (n = atoi (argv[3])) < 1 || n > 64)
    {
      fprintf (stderr, "usage: fs-floor SOURCE DESTINATION THREADS\n");
      return 2;
    }
  walk (argv[1], argv[2]);
  for (int i = 0; i < n; i++)
    pthread_create (&threads[i], NULL, worker, NULL);
  for (int i = 0; i < n; i++)
    pthread_join (threads[i], NULL);
  return 0;
}
