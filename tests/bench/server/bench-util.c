/* bench-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

gint64
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* Fields after "pid (comm)": index 0 is field 3 (state). */
static gboolean
read_stat_fields (GPid     pid,
                  char   **comm_out,
                  GStrv   *fields_out)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_autofree char *rest = NULL;
  const char *open_paren;
  const char *close_paren;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  open_paren = strchr (text, '(');
  close_paren = strrchr (text, ')');
  if (open_paren == NULL || close_paren == NULL || close_paren < open_paren)
    return FALSE;
  if (comm_out != NULL)
    *comm_out = g_strndup (open_paren + 1, close_paren - open_paren - 1);
  rest = g_strstrip (g_strdup (close_paren + 1));
  *fields_out = g_strsplit (rest, " ", -1);
  return TRUE;
}

gboolean
bench_proc_sample (GPid             pid,
                   BenchProcSample *sample)
{
  g_auto(GStrv) fields = NULL;
  g_autofree char *status_path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  long ticks = sysconf (_SC_CLK_TCK);
  const char *vmrss;
  guint64 utime, stime;

  memset (sample, 0, sizeof *sample);
  sample->wall_ns = bench_now_ns ();
  if (!read_stat_fields (pid, NULL, &fields) || g_strv_length (fields) < 13)
    return FALSE;
  /* utime is field 14, stime field 15 (proc(5)). */
  utime = g_ascii_strtoull (fields[11], NULL, 10);
  stime = g_ascii_strtoull (fields[12], NULL, 10);
  sample->cpu_us = (utime + stime) * G_USEC_PER_SEC / (guint64) (ticks > 0 ? ticks : 100);

  if (!g_file_get_contents (status_path, &status, NULL, NULL))
    return FALSE;
  vmrss = strstr (status, "VmRSS:");
  if (vmrss != NULL)
    sample->rss_kib = g_ascii_strtoull (vmrss + strlen ("VmRSS:"), NULL, 10);
  return TRUE;
}

double
bench_proc_cpu_percent (const BenchProcSample *before,
                        const BenchProcSample *after)
{
  gint64 wall = after->wall_ns - before->wall_ns;

  if (wall <= 0)
    return NAN;
  return 100.0 * (double) (after->cpu_us - before->cpu_us) * 1000.0 / (double) wall;
}

void
bench_system_sample (BenchSystemSample *sample)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  long ticks = sysconf (_SC_CLK_TCK);

  memset (sample, 0, sizeof *sample);
  sample->wall_ns = bench_now_ns ();
  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "cpu "))
        {
          g_auto(GStrv) fields = g_strsplit_set (lines[i] + 4, " ", -1);
          guint64 busy = 0;
          guint n = 0;

          /* user nice system idle iowait irq softirq steal (guest is in user) */
          for (guint f = 0; fields[f] != NULL && n < 8; f++)
            {
              if (*fields[f] == '\0')
                continue;
              if (n != 3 && n != 4)
                busy += g_ascii_strtoull (fields[f], NULL, 10);
              n++;
            }
          sample->busy_us = busy * G_USEC_PER_SEC / (guint64) (ticks > 0 ? ticks : 100);
        }
      else if (g_str_has_prefix (lines[i], "cpu"))
        sample->n_cpus++;
    }
}

double
bench_system_other_percent (const BenchSystemSample *before,
                            const BenchSystemSample *after,
                            guint64                  excluded_us)
{
  gint64 wall = after->wall_ns - before->wall_ns;
  double other = (double) (after->busy_us - before->busy_us) - (double) excluded_us;

  if (wall <= 0)
    return NAN;
  return MAX (0.0, 100.0 * other * 1000.0 / (double) wall);
}

double
bench_wait_quiet (const GPid *pids,
                  guint       n_pids,
                  guint       max_s,
                  double      threshold_percent)
{
  double other = NAN;

  for (guint waited = 0; waited < max_s; waited++)
    {
      BenchSystemSample system_before, system_after;
      guint64 own = 0;
      g_autofree BenchProcSample *before = g_new0 (BenchProcSample, MAX (n_pids, 1));
      g_autofree BenchProcSample *after = g_new0 (BenchProcSample, MAX (n_pids, 1));

      bench_system_sample (&system_before);
      for (guint i = 0; i < n_pids; i++)
        bench_proc_sample (pids[i], &before[i]);
      bench_run_for (1000);
      for (guint i = 0; i < n_pids; i++)
        {
          bench_proc_sample (pids[i], &after[i]);
          own += after[i].cpu_us - before[i].cpu_us;
        }
      bench_system_sample (&system_after);
      other = bench_system_other_percent (&system_before, &system_after, own);
      if (other < threshold_percent)
        break;
      if (waited == 0)
        fprintf (stderr, "  waiting (at most %u s) for the machine to be quiet: other CPU %.0f %%\n", max_s, other);
    }
  return other;
}

char *
bench_loadavg (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  fields = g_strsplit (text, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("?");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

GPid
bench_find_child (const char *comm)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  GPid self = getpid ();

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *child_comm = NULL;
      guint64 pid;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        continue;
      if (!read_stat_fields ((GPid) pid, &child_comm, &fields) || g_strv_length (fields) < 2)
        continue;
      /* comm is cut at 15 characters by the kernel. */
      if (atoi (fields[1]) == self && strncmp (child_comm, comm, 15) == 0)
        return (GPid) pid;
    }
  return 0;
}

void
bench_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        fprintf (stderr, "bench: cannot raise the file limit: %s\n", g_strerror (errno));
    }
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
bench_wait_flag (const gboolean *flag,
                 guint           timeout_ms)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add (timeout_ms, set_flag_cb, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (source);
  return *flag;
}

gboolean
bench_wait_count (const guint64 *counter,
                  guint64        target,
                  guint          timeout_ms)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add (timeout_ms, set_flag_cb, &expired);

  while (*counter < target && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (source);
  return *counter >= target;
}

void
bench_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
bench_latencies_init (BenchLatencies *lat,
                      guint           reserve)
{
  lat->us = g_array_sized_new (FALSE, FALSE, sizeof (guint32), reserve);
}

void
bench_latencies_clear (BenchLatencies *lat)
{
  g_clear_pointer (&lat->us, g_array_unref);
}

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

double
bench_latencies_ms (BenchLatencies *lat,
                    double          p)
{
  guint n = lat->us->len;
  guint index;

  if (n == 0)
    return NAN;
  /* Sorting an already sorted array is cheap enough to do every time. */
  g_array_sort (lat->us, compare_u32);
  index = (guint) ceil (p * n);
  index = index == 0 ? 0 : MIN (index - 1, n - 1);
  return g_array_index (lat->us, guint32, index) / 1000.0;
}

static void
print_number (double      value,
              int         width,
              int         precision)
{
  if (isnan (value) || value < 0)
    printf (" %*s |", width, "-");
  else
    printf (" %*.*f |", width, precision, value);
}

void
bench_print_table_header (const char *title,
                          const char *subtitle)
{
  printf ("\n%s\n", title);
  if (subtitle != NULL)
    printf ("%s\n", subtitle);
  printf ("| target                 | delivered msg/s | p50 ms | p95 ms | p99 ms | server CPU %% | CPU µs/msg | RSS/conn KiB |    lost | gen CPU %% | other CPU %% |\n");
  printf ("|------------------------|-----------------|--------|--------|--------|--------------|------------|--------------|---------|-----------|-------------|\n");
}

void
bench_print_table_row (const BenchRow *row)
{
  printf ("| %-22s |", row->target);
  print_number (row->delivered_per_s, 15, 0);
  print_number (row->p50_ms, 6, 2);
  print_number (row->p95_ms, 6, 2);
  print_number (row->p99_ms, 6, 2);
  print_number (row->server_cpu_percent, 12, 1);
  print_number (row->cpu_us_per_msg, 10, 2);
  print_number (row->rss_kib_per_conn, 12, 1);
  printf (" %7" G_GUINT64_FORMAT " |", row->lost);
  print_number (row->generator_cpu_percent, 9, 1);
  print_number (row->other_cpu_percent, 11, 1);
  printf ("\n");
}

void
bench_print_table_footer (void)
{
  fflush (stdout);
}
