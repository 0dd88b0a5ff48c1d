/* bench-changes.c: postgres_changes delivery benchmark of tandem-server
 *
 * A throwaway PostgreSQL (wal2json) and tandem-server from the test
 * fixtures; a table public.bench_changes in the supabase_realtime
 * publication; --subscribers WebSocket connections (default 10, vsn=2.0.0)
 * each joined to a channel with postgres_changes INSERT on that table; a
 * libpq writer (its own thread and connection) committing single-row INSERTs
 * paced at --rate per second (default 1,000) for --warmup + --duration
 * seconds. Latency is the time a subscriber receives a change minus the time
 * the writer's COMMIT (the autocommitted INSERT) returned, matched by primary
 * key, both on CLOCK_MONOTONIC in this one process. Deliveries per second are
 * counted at the subscribers over the measured window; server CPU is taken
 * from /proc/<pid>/stat over the same window.
 *
 * Bounded: the writer stops after its row count or a deadline, draining waits
 * at most 10 s, everything is on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>

#include "bench-util.h"
#include "tandem-message.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"

#define MAX_SECONDS       600
#define SETUP_TIMEOUT_MS  60000
#define DRAIN_TIMEOUT_MS  10000

typedef struct _Bench Bench;

typedef struct
{
  Bench                   *bench;
  guint                    index;
  SoupWebsocketConnection *ws;
  char                    *join_ref;
  gboolean                 joined;
  gboolean                 subscribed;
  gboolean                 closed;
  gint64                  *recv_ns;    /* by id; 0 = not yet */
  guint                    next_ref;
} Subscriber;

struct _Bench
{
  guint           n_subscribers;
  double          rate;
  guint           duration_s;
  guint           warmup_s;

  char           *url;
  char           *conninfo;
  GPid            server_pid;
  GPid            postmaster_pid;
  SoupSession    *session;
  Subscriber     *subscribers;
  guint64         n_connected;
  guint64         n_joined;
  guint64         n_subscribed;
  guint64         n_closed;
  char           *first_error;

  /* the run */
  guint64         n_rows;          /* rows per attempt: ids id_base+1..id_base+n_rows */
  guint64         id_base;
  guint64         first_window_id; /* ids from here were committed in the window */
  gint64         *commit_ns;       /* by id, written by the writer thread */
  gint64         *insert_ns;       /* INSERT round trip by id */
  gint64          start_ns;
  gint64          deadline_ns;
  gboolean        writer_finished; /* main thread's copy */
  gint64          writer_lag_max_ns;
  guint64         writer_failures;
  char           *writer_error;
  gboolean        in_window;
  gboolean        window_over;
  guint64         received;
  guint64         received_window;
  guint64         probe_received;
  guint64         decode_errors;
  guint64         unexpected_events;
  guint64         stale_events;    /* from an earlier attempt */
  guint           quiet_wait_s;
  double          quiet_threshold;
  BenchProcSample server_start, server_end;
  BenchProcSample self_start, self_end;
  BenchProcSample pg_start, pg_end;
  BenchSystemSample system_start, system_end;
};

static void
note_error (Bench      *bench,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
note_error (Bench      *bench,
            const char *format,
            ...)
{
  va_list args;

  if (bench->first_error != NULL)
    return;
  va_start (args, format);
  bench->first_error = g_strdup_vprintf (format, args);
  va_end (args);
}

/* ------------------------------------------------------------------------ */
/* PostgreSQL's own CPU: the postmaster of the fixture's cluster and its
 * children (backends, walsender, background workers). */

static GPid
read_postmaster_pid (TandemTestPg *pg)
{
  g_autofree char *path = g_build_filename (tandem_test_pg_get_dir (pg), "data", "postmaster.pid", NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (GPid) atoi (text);
}

static void
sample_process_tree (GPid             root,
                     BenchProcSample *sample)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  memset (sample, 0, sizeof *sample);
  sample->wall_ns = bench_now_ns ();
  if (root == 0 || dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      const char *paren;
      guint64 pid;
      BenchProcSample one;
      int ppid = 0;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (path, &text, NULL, NULL) || (paren = strrchr (text, ')')) == NULL)
        continue;
      if (sscanf (paren + 1, " %*c %d", &ppid) != 1)
        continue;
      if ((GPid) pid != root && ppid != root)
        continue;
      if (bench_proc_sample ((GPid) pid, &one))
        {
          sample->cpu_us += one.cpu_us;
          sample->rss_kib += one.rss_kib;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* The writer thread                                                         */

static gboolean
writer_finished_cb (gpointer user_data)
{
  Bench *bench = user_data;

  bench->writer_finished = TRUE;
  return G_SOURCE_REMOVE;
}

static gpointer
writer_thread (gpointer user_data)
{
  Bench *bench = user_data;
  PGconn *conn = PQconnectdb (bench->conninfo);
  PGresult *result;
  char body[65];

  memset (body, 'b', sizeof body - 1);
  body[sizeof body - 1] = '\0';

  if (PQstatus (conn) != CONNECTION_OK)
    {
      bench->writer_error = g_strdup (PQerrorMessage (conn));
      goto out;
    }
  result = PQprepare (conn, "ins", "INSERT INTO public.bench_changes (id, body, n) VALUES ($1, $2, $3)", 3, NULL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      bench->writer_error = g_strdup (PQerrorMessage (conn));
      PQclear (result);
      goto out;
    }
  PQclear (result);

  for (guint64 id = 1; id <= bench->n_rows; id++)
    {
      gint64 scheduled = bench->start_ns + (gint64) ((double) (id - 1) * 1e9 / bench->rate);
      struct timespec ts = { scheduled / 1000000000, scheduled % 1000000000 };
      char id_text[24], n_text[24];
      const char *values[3] = { id_text, body, n_text };
      gint64 before, after;

      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
      before = bench_now_ns ();
      if (before > bench->deadline_ns)
        {
          bench->writer_error = g_strdup_printf ("the writer fell behind and stopped at id %" G_GUINT64_FORMAT, id);
          break;
        }
      bench->writer_lag_max_ns = MAX (bench->writer_lag_max_ns, before - scheduled);
      g_snprintf (id_text, sizeof id_text, "%" G_GUINT64_FORMAT, bench->id_base + id);
      g_snprintf (n_text, sizeof n_text, "%" G_GUINT64_FORMAT, id % 1000);
      result = PQexecPrepared (conn, "ins", 3, values, NULL, NULL, 0);
      after = bench_now_ns ();
      if (PQresultStatus (result) == PGRES_COMMAND_OK)
        {
          bench->commit_ns[id] = after;
          bench->insert_ns[id] = after - before;
        }
      else
        bench->writer_failures++;
      PQclear (result);
    }

out:
  PQfinish (conn);
  g_idle_add (writer_finished_cb, bench);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Subscribers                                                               */

static gint64
change_id (TandemMessage *message)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  JsonObject *data;
  JsonObject *record;

  if (payload == NULL || !json_object_has_member (payload, "data"))
    return -1;
  data = json_object_get_object_member (payload, "data");
  if (data == NULL || !json_object_has_member (data, "record"))
    return -1;
  record = json_object_get_object_member (data, "record");
  if (record == NULL || !json_object_has_member (record, "id"))
    return -1;
  return json_object_get_int_member (record, "id");
}

static void
on_message (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            Subscriber              *sub)
{
  gint64 now = bench_now_ns ();
  Bench *bench = sub->bench;
  g_autoptr(TandemMessage) message = NULL;
  gsize size;
  const char *text = g_bytes_get_data (data, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      bench->unexpected_events++;
      return;
    }
  message = tandem_message_decode_text (TANDEM_SERIALIZER_V2, text, size, NULL);
  if (message == NULL)
    {
      bench->decode_errors++;
      return;
    }

  if (g_str_equal (message->event, "postgres_changes"))
    {
      gint64 id = change_id (message);
      gint64 k = id - (gint64) bench->id_base;

      if (id == 0)
        bench->probe_received++;
      else if (k > 0 && (guint64) k <= bench->n_rows && sub->recv_ns[k] == 0)
        {
          sub->recv_ns[k] = now;
          bench->received++;
          if (bench->in_window)
            bench->received_window++;
        }
      else if (id > 0 && (guint64) id <= bench->id_base)
        bench->stale_events++;
      else
        bench->unexpected_events++;
    }
  else if (g_str_equal (message->event, "phx_reply") && g_strcmp0 (message->ref, sub->join_ref) == 0)
    {
      JsonObject *payload = tandem_message_get_payload_object (message);

      if (g_strcmp0 (json_object_get_string_member_with_default (payload, "status", ""), "ok") == 0)
        {
          sub->joined = TRUE;
          bench->n_joined++;
        }
      else
        {
          g_autofree char *body = json_to_string (message->payload, FALSE);

          note_error (bench, "join refused: %s", body);
        }
    }
  else if (g_str_equal (message->event, "system"))
    {
      JsonObject *payload = tandem_message_get_payload_object (message);

      if (g_strcmp0 (json_object_get_string_member_with_default (payload, "extension", ""), "postgres_changes") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (payload, "status", ""), "ok") == 0)
        {
          if (!sub->subscribed)
            {
              sub->subscribed = TRUE;
              bench->n_subscribed++;
            }
        }
      else
        {
          g_autofree char *body = json_to_string (message->payload, FALSE);

          note_error (bench, "system message: %s", body);
        }
    }
}

static void
on_closed (SoupWebsocketConnection *ws,
           Subscriber              *sub)
{
  if (sub->closed)
    return;
  sub->closed = TRUE;
  sub->bench->n_closed++;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Subscriber *sub = user_data;
  Bench *bench = sub->bench;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GBytes) frame = NULL;

  sub->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (sub->ws == NULL)
    {
      note_error (bench, "connection failed: %s", error->message);
      return;
    }
  bench->n_connected++;
  g_signal_connect (sub->ws, "message", G_CALLBACK (on_message), sub);
  g_signal_connect (sub->ws, "closed", G_CALLBACK (on_closed), sub);

  payload = json_from_string ("{\"config\":{\"broadcast\":{\"ack\":false,\"self\":false},"
                              "\"presence\":{\"enabled\":false},\"private\":false,"
                              "\"postgres_changes\":[{\"event\":\"INSERT\",\"schema\":\"public\","
                              "\"table\":\"bench_changes\"}]}}", NULL);
  sub->join_ref = g_strdup_printf ("%u", sub->next_ref++);
  message = tandem_message_new (sub->join_ref, sub->join_ref, "realtime:bench-changes", "phx_join", payload);
  frame = tandem_message_encode_text (message, TANDEM_SERIALIZER_V2, FALSE);
  soup_websocket_connection_send_message (sub->ws, SOUP_WEBSOCKET_DATA_TEXT, frame);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  Bench *bench = user_data;

  for (guint i = 0; i < bench->n_subscribers; i++)
    {
      Subscriber *sub = &bench->subscribers[i];
      g_autoptr(TandemMessage) message = NULL;
      g_autoptr(GBytes) frame = NULL;
      g_autofree char *ref = NULL;

      if (sub->ws == NULL || sub->closed)
        continue;
      ref = g_strdup_printf ("%u", sub->next_ref++);
      message = tandem_message_new (NULL, ref, "phoenix", "heartbeat", NULL);
      frame = tandem_message_encode_text (message, TANDEM_SERIALIZER_V2, FALSE);
      soup_websocket_connection_send_message (sub->ws, SOUP_WEBSOCKET_DATA_TEXT, frame);
    }
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------ */

static gboolean
window_start_cb (gpointer user_data)
{
  Bench *bench = user_data;

  bench_proc_sample (bench->server_pid, &bench->server_start);
  bench_proc_sample (getpid (), &bench->self_start);
  sample_process_tree (bench->postmaster_pid, &bench->pg_start);
  bench_system_sample (&bench->system_start);
  bench->in_window = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
window_end_cb (gpointer user_data)
{
  Bench *bench = user_data;

  bench->in_window = FALSE;
  bench_proc_sample (bench->server_pid, &bench->server_end);
  bench_proc_sample (getpid (), &bench->self_end);
  sample_process_tree (bench->postmaster_pid, &bench->pg_end);
  bench_system_sample (&bench->system_end);
  bench->window_over = TRUE;
  return G_SOURCE_REMOVE;
}

/* One attempt: @attempt numbers the id range. Fills @row, returns the
 * details printed under the table. */
static char *
run_attempt (Bench    *bench,
             guint     attempt,
             double    rss_per_conn,
             BenchRow *row)
{
  BenchLatencies latencies, inserts;
  GThread *writer;
  double window_s, quiet;
  guint64 expected, missing = 0, early = 0;
  gint64 drain_deadline;
  guint warmup = bench->warmup_s, duration = bench->duration_s;
  g_autofree char *quiet_text = NULL;
  char *details;

  bench->id_base = (guint64) attempt * (bench->n_rows + 1);
  memset (bench->commit_ns, 0, sizeof (gint64) * (bench->n_rows + 1));
  memset (bench->insert_ns, 0, sizeof (gint64) * (bench->n_rows + 1));
  for (guint s = 0; s < bench->n_subscribers; s++)
    memset (bench->subscribers[s].recv_ns, 0, sizeof (gint64) * (bench->n_rows + 1));
  bench->received = bench->received_window = 0;
  bench->in_window = bench->window_over = bench->writer_finished = FALSE;
  bench->writer_lag_max_ns = 0;
  bench->writer_failures = 0;
  g_clear_pointer (&bench->writer_error, g_free);

  {
    GPid own[3] = { bench->server_pid, getpid (), bench->postmaster_pid };

    quiet = bench_wait_quiet (own, 3, bench->quiet_wait_s, bench->quiet_threshold);
  }
  fprintf (stderr, "writing %" G_GUINT64_FORMAT " rows at %.0f/s...\n", bench->n_rows, bench->rate);
  bench->start_ns = bench_now_ns ();
  bench->deadline_ns = bench->start_ns + (gint64) (warmup + duration + 30) * 1000000000;
  g_timeout_add_full (G_PRIORITY_HIGH, (guint) warmup * 1000, window_start_cb, bench, NULL);
  g_timeout_add_full (G_PRIORITY_HIGH, (guint) (warmup + duration) * 1000, window_end_cb, bench, NULL);
  writer = g_thread_new ("bench-writer", writer_thread, bench);

  bench_wait_flag (&bench->window_over, (guint) (warmup + duration) * 1000 + 60000);
  bench_wait_flag (&bench->writer_finished, 60000);
  g_thread_join (writer);
  expected = 0;
  for (guint64 id = 1; id <= bench->n_rows; id++)
    expected += bench->commit_ns[id] != 0 ? bench->n_subscribers : 0;
  drain_deadline = bench_now_ns () + (gint64) DRAIN_TIMEOUT_MS * 1000000;
  while (bench->received < expected && bench_now_ns () < drain_deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  /* Latencies: rows committed in the window, every subscriber. */
  bench_latencies_init (&latencies, (guint) (bench->n_rows * bench->n_subscribers));
  bench_latencies_init (&inserts, (guint) bench->n_rows);
  for (guint64 id = bench->first_window_id; id <= bench->n_rows; id++)
    {
      if (bench->commit_ns[id] == 0 || bench->commit_ns[id] - bench->start_ns > (gint64) (warmup + duration) * 1000000000)
        continue;
      bench_latencies_add (&inserts, bench->insert_ns[id]);
      for (guint s = 0; s < bench->n_subscribers; s++)
        {
          gint64 recv = bench->subscribers[s].recv_ns[id];

          if (recv == 0)
            {
              missing++;
              continue;
            }
          /* The change can reach a subscriber before the writer thread runs
           * again after COMMIT: that counts as 0. */
          if (recv < bench->commit_ns[id])
            early++;
          bench_latencies_add (&latencies, recv - bench->commit_ns[id]);
        }
    }

  quiet_text = isnan (quiet) ? g_strdup ("not measured") : g_strdup_printf ("%.0f %% of one core", quiet);
  window_s = (double) (bench->server_end.wall_ns - bench->server_start.wall_ns) / 1e9;
  row->target = "tandem-server";
  row->delivered_per_s = bench->received_window / window_s;
  row->p50_ms = bench_latencies_ms (&latencies, 0.50);
  row->p95_ms = bench_latencies_ms (&latencies, 0.95);
  row->p99_ms = bench_latencies_ms (&latencies, 0.99);
  row->server_cpu_percent = bench_proc_cpu_percent (&bench->server_start, &bench->server_end);
  row->cpu_us_per_msg = bench->received_window > 0 ?
    (double) (bench->server_end.cpu_us - bench->server_start.cpu_us) / bench->received_window : NAN;
  row->rss_kib_per_conn = rss_per_conn;
  row->lost = missing;
  row->generator_cpu_percent = bench_proc_cpu_percent (&bench->self_start, &bench->self_end);
  row->other_cpu_percent =
    bench_system_other_percent (&bench->system_start, &bench->system_end,
                                (bench->server_end.cpu_us - bench->server_start.cpu_us) +
                                (bench->self_end.cpu_us - bench->self_start.cpu_us) +
                                (bench->pg_end.cpu_us - bench->pg_start.cpu_us));

  details =
    g_strdup_printf ("  commits in the window: %.0f/s; INSERT+COMMIT round trip p50 %.2f ms, p99 %.2f ms; writer lag "
                     "max %.2f ms; %" G_GUINT64_FORMAT " failed inserts%s%s\n"
                     "  latency max %.2f ms over %u samples; %" G_GUINT64_FORMAT " deliveries arrived before COMMIT "
                     "returned to the writer (counted as 0); PostgreSQL CPU %.1f %%; server RSS %" G_GUINT64_FORMAT
                     " KiB at the end; other CPU %s just before the run\n",
                     (double) inserts.us->len / window_s, bench_latencies_ms (&inserts, 0.5),
                     bench_latencies_ms (&inserts, 0.99), bench->writer_lag_max_ns / 1e6, bench->writer_failures,
                     bench->writer_error ? "; writer: " : "", bench->writer_error ? bench->writer_error : "",
                     bench_latencies_ms (&latencies, 1.0), latencies.us->len, early,
                     bench_proc_cpu_percent (&bench->pg_start, &bench->pg_end), bench->server_end.rss_kib, quiet_text);
  fprintf (stderr, "%s  other CPU %.0f %% during the window\n", details, row->other_cpu_percent);
  bench_latencies_clear (&latencies);
  bench_latencies_clear (&inserts);
  bench_run_for (1000);
  return details;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *command = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *load = NULL;
  g_autofree char *events_text = NULL;
  g_autofree char *joins_text = NULL;
  int n_subscribers = 10, duration = 20, warmup = 2, max_events = 1000000, max_joins = 100000, quiet_wait = 0;
  int attempts = 1;
  double rate = 1000, quiet_threshold = 25, noise_limit = 30;
  Bench bench = { 0 };
  TandemTestPg *pg;
  TandemTestServer *server;
  BenchProcSample before, after;
  BenchSystemSample system;
  BenchRow row = { 0 };
  BenchRow best = { 0 };
  g_autofree char *best_details = NULL;
  g_autoptr(GString) discarded = g_string_new (NULL);
  guint heartbeat, attempt;
  double rss_per_conn;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &server_path, "tandem-server to run (default $TANDEM_SERVER)", "PATH" },
    { "subscribers", 0, 0, G_OPTION_ARG_INT, &n_subscribers, "Subscriber connections (default 10)", "N" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Committed inserts per second (default 1000)", "R" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, "Measured seconds (default 20)", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Unmeasured seconds first (default 2)", "S" },
    { "max-events-per-second", 0, 0, G_OPTION_ARG_INT, &max_events, "tandem-server limit (default 1000000)", "N" },
    { "max-joins-per-second", 0, 0, G_OPTION_ARG_INT, &max_joins, "tandem-server limit (default 100000)", "N" },
    { "quiet-wait", 0, 0, G_OPTION_ARG_INT, &quiet_wait, "First wait up to S s for the rest of the machine to go quiet (default 0)", "S" },
    { "quiet-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &quiet_threshold, "\"Quiet\": other processes below this % of one core (default 25)", "P" },
    { "attempts", 0, 0, G_OPTION_ARG_INT, &attempts, "Run up to N times while other processes disturb it (default 1)", "N" },
    { "noise-limit", 0, 0, G_OPTION_ARG_DOUBLE, &noise_limit, "\"Disturbed\": other processes above this % of one core during the window (default 30)", "P" },
    { NULL }
  };

  context = g_option_context_new ("— postgres_changes commit-to-delivery benchmark of tandem-server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-changes: %s\n", error->message);
      return 2;
    }
  if (n_subscribers < 1 || n_subscribers > 1000 || rate <= 0 || rate > 100000 || duration < 1 ||
      duration > MAX_SECONDS || warmup < 0 || warmup > 60 || max_events < 1 || max_joins < 1 ||
      quiet_wait < 0 || quiet_wait > MAX_SECONDS || quiet_threshold <= 0 || attempts < 1 || attempts > 10 ||
      noise_limit <= 0)
    {
      fprintf (stderr, "bench-changes: an option is out of range (durations ≤ %d s)\n", MAX_SECONDS);
      return 2;
    }
  if (server_path != NULL)
    g_setenv ("TANDEM_SERVER", server_path, TRUE);

  bench_raise_fd_limit ();
  bench.n_subscribers = (guint) n_subscribers;
  bench.rate = rate;
  bench.duration_s = (guint) duration;
  bench.warmup_s = (guint) warmup;
  bench.quiet_wait_s = (guint) quiet_wait;
  bench.quiet_threshold = quiet_threshold;
  bench.n_rows = (guint64) ceil (rate * (warmup + duration));
  bench.first_window_id = (guint64) floor (rate * warmup) + 1;
  bench.commit_ns = g_new0 (gint64, bench.n_rows + 1);
  bench.insert_ns = g_new0 (gint64, bench.n_rows + 1);
  command = g_strjoinv (" ", argv);

  load = bench_loadavg ();
  bench_system_sample (&system);
  printf ("# %u CPUs, load average %s at the start\n", system.n_cpus, load);
  printf ("# bench-changes: %d subscribers, %.0f inserts/s, warmup %d s, measured %d s\n",
          n_subscribers, rate, warmup, duration);
  fflush (stdout);

  events_text = g_strdup_printf ("%d", max_events);
  joins_text = g_strdup_printf ("%d", max_joins);
  {
    const char *args[] = {
      "--max-events-per-second", events_text,
      "--max-joins-per-second", joins_text,
      "--log-level", "warning",
      NULL
    };

    fprintf (stderr, "starting PostgreSQL and tandem-server...\n");
    pg = tandem_test_pg_new ();
    server = tandem_test_server_new (pg, args);
  }
  bench.server_pid = bench_find_child ("tandem-server");
  bench.postmaster_pid = read_postmaster_pid (pg);
  if (bench.server_pid == 0)
    g_error ("cannot find the tandem-server child process");
  bench.conninfo = g_strdup (tandem_test_pg_get_conninfo (pg));
  escaped = g_uri_escape_string (tandem_test_server_get_anon_key (server), NULL, TRUE);
  bench.url = g_strdup_printf ("%s?apikey=%s&vsn=2.0.0", tandem_test_server_get_ws_url (server), escaped);

  tandem_test_pg_exec (pg,
                       "CREATE TABLE public.bench_changes (id bigint PRIMARY KEY, body text NOT NULL, "
                       "  n integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now());"
                       "ALTER PUBLICATION supabase_realtime ADD TABLE public.bench_changes;"
                       "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN "
                       "  GRANT SELECT ON public.bench_changes TO anon; END IF; END $$;");

  bench_run_for (1000);
  bench_proc_sample (bench.server_pid, &before);

  bench.session = soup_session_new_with_options ("max-conns", n_subscribers * 2 + 16,
                                                 "max-conns-per-host", n_subscribers * 2 + 16,
                                                 "timeout", 0, "idle-timeout", 0, NULL);
  bench.subscribers = g_new0 (Subscriber, bench.n_subscribers);
  for (guint i = 0; i < bench.n_subscribers; i++)
    {
      Subscriber *sub = &bench.subscribers[i];
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", bench.url);

      sub->bench = &bench;
      sub->index = i;
      sub->next_ref = 1;
      sub->recv_ns = g_new0 (gint64, bench.n_rows + 1);
      soup_session_websocket_connect_async (bench.session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connected_cb, sub);
    }
  if (!bench_wait_count (&bench.n_subscribed, bench.n_subscribers, SETUP_TIMEOUT_MS))
    g_error ("only %" G_GUINT64_FORMAT " of %u subscribers got \"Subscribed to PostgreSQL\" (first error: %s)",
             bench.n_subscribed, bench.n_subscribers, bench.first_error ? bench.first_error : "none");
  heartbeat = g_timeout_add_seconds (20, heartbeat_cb, &bench);
  bench_run_for (1000);
  bench_proc_sample (bench.server_pid, &after);
  rss_per_conn = ((double) after.rss_kib - (double) before.rss_kib) / bench.n_subscribers;

  /* The whole path works (and is warm) before the clock starts. */
  tandem_test_pg_exec (pg, "INSERT INTO public.bench_changes (id, body, n) VALUES (0, 'probe', 0)");
  if (!bench_wait_count (&bench.probe_received, bench.n_subscribers, SETUP_TIMEOUT_MS))
    g_error ("the probe row reached only %" G_GUINT64_FORMAT " of %u subscribers", bench.probe_received,
             bench.n_subscribers);

  for (attempt = 0; attempt < (guint) attempts; attempt++)
    {
      BenchRow this_row = { 0 };
      char *details = run_attempt (&bench, attempt, rss_per_conn, &this_row);

      if (best_details == NULL || this_row.other_cpu_percent < best.other_cpu_percent)
        {
          if (best_details != NULL)
            g_string_append_printf (discarded, "%s%.0f", discarded->len ? ", " : "", best.other_cpu_percent);
          g_free (best_details);
          best_details = details;
          best = this_row;
        }
      else
        {
          g_string_append_printf (discarded, "%s%.0f", discarded->len ? ", " : "", this_row.other_cpu_percent);
          g_free (details);
        }
      if (best.other_cpu_percent <= noise_limit)
        break;
      if (attempt + 1 < (guint) attempts)
        fprintf (stderr, "other processes used %.0f %% of a core during the window: running it again\n",
                 this_row.other_cpu_percent);
    }
  row = best;

  {
    g_autofree char *title =
      g_strdup_printf ("postgres_changes: %.0f committed single-row INSERTs/s to %u subscribers, %u s "
                       "(latency: subscriber receive - writer's COMMIT returned)", rate, bench.n_subscribers,
                       bench.duration_s);
    g_autofree char *subtitle =
      g_strdup_printf ("offered %.0f deliveries/s; \"gen CPU\" is the writer + subscribers process; "
                       "\"other CPU\" excludes PostgreSQL (reported below)", rate * bench.n_subscribers);

    bench_print_table_header (title, subtitle);
    bench_print_table_row (&row);
  }
  fputs (best_details, stdout);
  if (discarded->len > 0)
    printf ("  kept the least disturbed of %u attempts (discarded: other CPU %s %% during the window)\n",
            MIN (attempt + 1, (guint) attempts), discarded->str);
  printf ("  server RSS %" G_GUINT64_FORMAT " KiB idle, %" G_GUINT64_FORMAT " KiB with the subscribers joined\n",
          before.rss_kib, after.rss_kib);
  if (bench.first_error != NULL || bench.decode_errors > 0 || bench.unexpected_events > 0 || bench.n_closed > 0)
    printf ("  problems: %" G_GUINT64_FORMAT " undecodable frames, %" G_GUINT64_FORMAT " unexpected events, "
            "%" G_GUINT64_FORMAT " closed connections; first error: %s\n", bench.decode_errors,
            bench.unexpected_events, bench.n_closed, bench.first_error ? bench.first_error : "none");
  if (bench.stale_events > 0)
    printf ("  %" G_GUINT64_FORMAT " deliveries of an earlier attempt's rows arrived late (ignored)\n",
            bench.stale_events);
  printf ("\nGoal (tandem-server): postgres_changes p99 < 50 ms: %.2f ms -> %s\n", row.p99_ms,
          row.p99_ms < 50 && row.lost == 0 ? "MET" : "MISSED");
  g_free (load);
  load = bench_loadavg ();
  printf ("\n# load average %s at the end\n# command: %s\n", load, command);
  fflush (stdout);

  g_source_remove (heartbeat);
  for (guint i = 0; i < bench.n_subscribers; i++)
    {
      Subscriber *sub = &bench.subscribers[i];

      if (sub->ws != NULL)
        {
          g_signal_handlers_disconnect_by_data (sub->ws, sub);
          if (soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_close (sub->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_clear_object (&sub->ws);
        }
      g_free (sub->join_ref);
      g_free (sub->recv_ns);
    }
  g_free (bench.subscribers);
  g_clear_object (&bench.session);
  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  g_free (bench.commit_ns);
  g_free (bench.insert_ns);
  g_free (bench.url);
  g_free (bench.conninfo);
  g_free (bench.first_error);
  g_free (bench.writer_error);
  return 0;
}
