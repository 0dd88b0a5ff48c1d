/* bench-util.h: helpers shared by the server benchmarks
 *
 * Process accounting from /proc (CPU time over a window, resident set),
 * latency percentiles, bounded main-loop waits and the result tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CLOCK_MONOTONIC in nanoseconds (the clock every timestamp here uses). */
gint64   bench_now_ns            (void);

typedef struct
{
  gint64  wall_ns;   /* bench_now_ns() when sampled */
  guint64 cpu_us;    /* utime + stime of every thread, microseconds */
  guint64 rss_kib;   /* VmRSS */
} BenchProcSample;

/* Samples /proc/@pid/{stat,status}; FALSE when the process is gone. */
gboolean bench_proc_sample       (GPid             pid,
                                  BenchProcSample *sample);
/* CPU use between two samples, in % of one core. */
double   bench_proc_cpu_percent  (const BenchProcSample *before,
                                  const BenchProcSample *after);

/* Whole-machine CPU time from /proc/stat, in microseconds. */
typedef struct
{
  gint64  wall_ns;
  guint64 busy_us;   /* every state but idle and iowait, all CPUs */
  guint   n_cpus;
} BenchSystemSample;

void     bench_system_sample     (BenchSystemSample *sample);
/* CPU used by everything but @excluded_us (e.g. the server and the load
 * generator over the same window), in % of one core. */
double   bench_system_other_percent (const BenchSystemSample *before,
                                     const BenchSystemSample *after,
                                     guint64                  excluded_us);
/* The first three fields of /proc/loadavg. */
char    *bench_loadavg           (void);

/* Before a measurement: iterates the default main context in 1 s steps
 * until the machine, minus @pids (NULL-terminated count @n_pids), used less
 * than @threshold_percent of one core over the last second, or @max_s
 * seconds passed (0: no wait). Returns the last such reading. */
double   bench_wait_quiet        (const GPid      *pids,
                                  guint            n_pids,
                                  guint            max_s,
                                  double           threshold_percent);

/* The pid of a direct child of this process whose comm is @comm, or 0. */
GPid     bench_find_child        (const char      *comm);

/* Raises RLIMIT_NOFILE's soft limit to its hard limit. */
void     bench_raise_fd_limit    (void);

/* Iterates the default main context until *@flag is TRUE or @timeout_ms
 * passed; returns *@flag. */
gboolean bench_wait_flag         (const gboolean  *flag,
                                  guint            timeout_ms);
/* Same for a counter reaching @target. */
gboolean bench_wait_count        (const guint64   *counter,
                                  guint64          target,
                                  guint            timeout_ms);
/* Iterates the default main context for @ms milliseconds. */
void     bench_run_for           (guint            ms);

/* Latency samples in microseconds. */
typedef struct
{
  GArray *us;   /* guint32 */
} BenchLatencies;

void     bench_latencies_init    (BenchLatencies  *lat,
                                  guint            reserve);
void     bench_latencies_clear   (BenchLatencies  *lat);
static inline void
bench_latencies_add (BenchLatencies *lat,
                     gint64          delta_ns)
{
  guint32 us = delta_ns <= 0 ? 0 : (guint32) MIN (delta_ns / 1000, (gint64) G_MAXUINT32);

  g_array_append_val (lat->us, us);
}
/* Sorts the samples (once) and returns the @p quantile (0..1) in ms; NaN
 * when empty. */
double   bench_latencies_ms      (BenchLatencies  *lat,
                                  double           p);

/* One table row. NaN (or a negative rss) prints as "-". */
typedef struct
{
  const char *target;
  double      delivered_per_s;
  double      p50_ms, p95_ms, p99_ms;
  double      server_cpu_percent;
  double      cpu_us_per_msg;
  double      rss_kib_per_conn;
  guint64     lost;
  double      generator_cpu_percent;
  double      other_cpu_percent;   /* the rest of the machine */
} BenchRow;

void     bench_print_table_header (const char *title,
                                   const char *subtitle);
void     bench_print_table_row    (const BenchRow *row);
void     bench_print_table_footer (void);

G_END_DECLS
