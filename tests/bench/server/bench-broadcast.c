/* bench-broadcast.c: broadcast fan-out benchmark of tandem-server and of its
 * libsoup floor (bench-echo-server), with the same load generator
 *
 * Load (the shape of Supabase's published broadcast benchmark, scaled to one
 * small machine): N WebSocket clients (default 500, vsn=2.0.0), each joined
 * to one "echo" channel it is alone in and one "group" channel shared with
 * group-size-1 others (default groups of 10). Every channel is joined with
 * broadcast self:true, so a push on the echo channel comes back to its
 * sender (1 delivery) and a push on a group channel reaches all its members
 * including the sender (group-size deliveries). Pushes are binary kind 3
 * frames with a JSON payload carrying the run, the sender, the channel and
 * the CLOCK_MONOTONIC send time; latency is the receive time minus that
 * (one process, one clock). Deliveries are counted at the receivers.
 *
 * Runs, per target, on the same connections:
 *   paced      every client pushes --rate messages per second on each of its
 *              two channels, evenly staggered, for --duration seconds;
 *   paced-goal the same at --goal-rate (so that the offered deliveries reach
 *              the 50,000/s goal; 0 skips it);
 *   saturation every client keeps --window pushes in flight per channel (a
 *              push is in flight until its sender receives its own copy)
 *              and pushes again as soon as one returns, for
 *              --saturation-duration seconds.
 * Each run has --warmup seconds before its measurement window. Server CPU
 * (utime+stime from /proc/<pid>/stat) is taken over that window; RSS per
 * connection is (VmRSS with all clients connected and joined, idle - VmRSS
 * before connecting) / N.
 *
 * "lost" counts deliveries not received within 5 s after sending stopped.
 *
 * On a shared machine, --quiet-wait waits (bounded) for other processes to
 * calm down before each run, and --attempts repeats a run whose window saw
 * more than --noise-limit % of a core used by other processes, keeping the
 * least disturbed attempt; every table shows that "other CPU".
 *
 * Everything is bounded: runs stop sending by themselves, draining waits at
 * most a few seconds, retries are capped, all sockets are on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libsoup/soup.h>

#include "bench-util.h"
#include "tandem-message.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"

#define MAX_SECONDS        600
#define DRAIN_TIMEOUT_MS   5000
#define SETUP_TIMEOUT_MS   120000
#define CONNECT_ATTEMPTS   5
#define HEARTBEAT_PERIOD_S 25
#define MAX_PAYLOAD        4000

typedef enum
{
  CHANNEL_ECHO = 0,
  CHANNEL_GROUP = 1,
} ChannelKind;

typedef enum
{
  MODE_PACED,
  MODE_SATURATE,
} Mode;

typedef enum
{
  TARGET_TANDEM,
  TARGET_ECHO,
  N_TARGETS
} Target;

static const char * const target_names[N_TARGETS] = { "tandem-server", "libsoup echo floor" };

typedef struct _Bench Bench;

typedef struct
{
  Bench                   *bench;
  guint                    id;
  guint                    group;
  SoupWebsocketConnection *ws;
  char                    *topics[2];
  char                    *join_refs[2];
  gboolean                 joined[2];
  guint                    next_ref;
  guint                    inflight[2];
  gboolean                 closed;
  guint                    connect_attempts;
} Client;

typedef struct
{
  Mode            mode;
  double          rate;          /* paced: pushes per second per client per channel */
  guint           window;        /* saturation: in flight per client per channel */
  guint           run_id;
  gboolean        sending;
  gboolean        in_window;
  gboolean        done;
  gint64          start_ns;
  guint64         next_event;
  double          events_per_s;
  guint64         sends;
  guint64         sends_window;
  guint64         expected;      /* deliveries owed for every push of the run */
  guint64         received;      /* deliveries of this run, any time */
  guint64         received_window;
  BenchLatencies  latencies;
  BenchLatencies  send_lag;      /* paced: actual - scheduled send time */
  BenchProcSample server_start, server_end;
  BenchProcSample self_start, self_end;
  BenchSystemSample system_start, system_end;
  guint           unexpected_closes;
} Run;

typedef struct
{
  char     *title;
  char     *subtitle;
  gboolean  present[N_TARGETS];
  BenchRow  rows[N_TARGETS];
  char     *notes[N_TARGETS];
} Scenario;

struct _Bench
{
  /* options */
  guint         n_clients;
  guint         group_size;
  double        rate;
  double        goal_rate;
  guint         duration_s;
  guint         saturation_s;
  guint         warmup_s;
  guint         window;
  guint         payload_bytes;
  guint         quiet_wait_s;
  double        quiet_threshold;
  guint         attempts;
  double        noise_limit;

  /* per target */
  char         *url;
  GPid          server_pid;
  SoupSession  *session;
  Client       *clients;
  guint        *group_members;
  guint         n_groups;
  guint         next_to_connect;
  guint         connecting;
  guint64       n_connected;
  guint64       n_joined;
  guint64       n_closed;
  guint         connect_errors;
  guint         connect_parallel;
  GQueue        retry;           /* Client whose connection failed, to try again */
  guint         join_errors;
  guint         channel_errors;
  char         *first_error;
  gboolean      disconnecting;
  guint         heartbeat_source;
  guint         heartbeat_tick;

  Run          *run;
  guint         next_run_id;
  guint64       decode_errors;
};

/* ------------------------------------------------------------------------ */
/* Sending                                                                   */

static void
send_push (Client      *client,
           ChannelKind  kind)
{
  Bench *bench = client->bench;
  Run *run = bench->run;
  char payload[MAX_PAYLOAD + 64];
  char ref[16];
  int len;
  g_autoptr(GBytes) payload_bytes = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) error = NULL;

  if (client->closed || !client->joined[kind] || run == NULL)
    return;

  len = g_snprintf (payload, sizeof payload, "{\"r\":%u,\"s\":%u,\"c\":%u,\"t\":%" G_GINT64_FORMAT ",\"p\":\"",
                    run->run_id, client->id, (guint) kind, bench_now_ns ());
  while ((guint) len + 2 < bench->payload_bytes)
    payload[len++] = 'x';
  payload[len++] = '"';
  payload[len++] = '}';
  payload_bytes = g_bytes_new (payload, len);
  g_snprintf (ref, sizeof ref, "%u", client->next_ref++);

  message = tandem_message_new_user_broadcast (client->join_refs[kind], ref, client->topics[kind], "bench",
                                               payload_bytes, TRUE, NULL);
  frame = tandem_message_encode_binary (message, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH, &error);
  if (frame == NULL)
    g_error ("cannot encode a push: %s", error->message);
  soup_websocket_connection_send_message (client->ws, SOUP_WEBSOCKET_DATA_BINARY, frame);

  client->inflight[kind]++;
  run->sends++;
  if (run->in_window)
    run->sends_window++;
  run->expected += kind == CHANNEL_ECHO ? 1 : bench->group_members[client->group];
}

static void
send_text (Client        *client,
           TandemMessage *message)
{
  g_autoptr(GBytes) frame = tandem_message_encode_text (message, TANDEM_SERIALIZER_V2, FALSE);

  soup_websocket_connection_send_message (client->ws, SOUP_WEBSOCKET_DATA_TEXT, frame);
}

static void
send_join (Client      *client,
           ChannelKind  kind)
{
  g_autoptr(JsonNode) payload =
    json_from_string ("{\"config\":{\"broadcast\":{\"ack\":false,\"self\":true},"
                      "\"presence\":{\"enabled\":false},\"postgres_changes\":[],\"private\":false}}", NULL);
  g_autoptr(TandemMessage) message = NULL;

  client->join_refs[kind] = g_strdup_printf ("%u", client->next_ref++);
  message = tandem_message_new (client->join_refs[kind], client->join_refs[kind], client->topics[kind],
                                "phx_join", payload);
  send_text (client, message);
}

/* Every client heartbeats every 25 s, as realtime-js does, staggered. */
static gboolean
heartbeat_cb (gpointer user_data)
{
  Bench *bench = user_data;
  guint slot = bench->heartbeat_tick++ % HEARTBEAT_PERIOD_S;

  for (guint i = slot; i < bench->n_clients; i += HEARTBEAT_PERIOD_S)
    {
      Client *client = &bench->clients[i];
      g_autoptr(TandemMessage) message = NULL;
      char ref[16];

      if (client->ws == NULL || client->closed)
        continue;
      g_snprintf (ref, sizeof ref, "%u", client->next_ref++);
      message = tandem_message_new (NULL, ref, "phoenix", "heartbeat", NULL);
      send_text (client, message);
    }
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------ */
/* Receiving                                                                 */

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

static void
handle_broadcast (Client *client,
                  GBytes *data,
                  gint64  now)
{
  Bench *bench = client->bench;
  Run *run = bench->run;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  char text[128];
  gsize size;
  const char *bytes;
  guint run_id, sender, kind;
  gint64 sent;

  message = tandem_message_decode_binary_bytes (data, &error);
  if (message == NULL || message->user_payload == NULL)
    {
      bench->decode_errors++;
      return;
    }
  bytes = g_bytes_get_data (message->user_payload, &size);
  size = MIN (size, sizeof text - 1);
  memcpy (text, bytes, size);
  text[size] = '\0';
  if (sscanf (text, "{\"r\":%u,\"s\":%u,\"c\":%u,\"t\":%" G_GINT64_FORMAT, &run_id, &sender, &kind, &sent) != 4 ||
      kind > CHANNEL_GROUP)
    {
      bench->decode_errors++;
      return;
    }
  if (run == NULL || run_id != run->run_id)
    return;

  run->received++;
  if (run->in_window)
    {
      run->received_window++;
      bench_latencies_add (&run->latencies, now - sent);
    }

  if (sender == client->id)
    {
      if (client->inflight[kind] > 0)
        client->inflight[kind]--;
      if (run->mode == MODE_SATURATE && run->sending)
        send_push (client, kind);
    }
}

static void
handle_text (Client *client,
             GBytes *data)
{
  Bench *bench = client->bench;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *text = g_bytes_get_data (data, &size);

  message = tandem_message_decode_text (TANDEM_SERIALIZER_V2, text, size, &error);
  if (message == NULL)
    {
      bench->decode_errors++;
      return;
    }

  if (g_str_equal (message->event, "phx_reply"))
    {
      JsonObject *payload = tandem_message_get_payload_object (message);
      const char *status = payload ? json_object_get_string_member_with_default (payload, "status", "") : "";

      for (guint kind = 0; kind < 2; kind++)
        {
          if (client->join_refs[kind] == NULL || client->joined[kind] ||
              g_strcmp0 (message->ref, client->join_refs[kind]) != 0)
            continue;
          if (g_str_equal (status, "ok"))
            {
              client->joined[kind] = TRUE;
              bench->n_joined++;
            }
          else
            {
              g_autofree char *body = json_to_string (message->payload, FALSE);

              bench->join_errors++;
              note_error (bench, "join of %s refused: %s", message->topic, body);
            }
        }
    }
  else if (g_str_equal (message->event, "phx_close") || g_str_equal (message->event, "phx_error") ||
           g_str_equal (message->event, "system"))
    {
      g_autofree char *body = json_to_string (message->payload, FALSE);

      bench->channel_errors++;
      note_error (bench, "%s on %s: %s", message->event, message->topic, body);
    }
}

static void
on_message (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            Client                  *client)
{
  gint64 now = bench_now_ns ();

  if (type == SOUP_WEBSOCKET_DATA_BINARY)
    handle_broadcast (client, data, now);
  else
    handle_text (client, data);
}

static void
on_closed (SoupWebsocketConnection *ws,
           Client                  *client)
{
  Bench *bench = client->bench;

  if (client->closed)
    return;
  client->closed = TRUE;
  bench->n_closed++;
  if (!bench->disconnecting)
    {
      if (bench->run != NULL)
        bench->run->unexpected_closes++;
      note_error (bench, "connection %u closed by the server (code %u, %s)", client->id,
                  soup_websocket_connection_get_close_code (ws),
                  soup_websocket_connection_get_close_data (ws) ? soup_websocket_connection_get_close_data (ws) : "");
    }
}

/* ------------------------------------------------------------------------ */
/* Connections                                                               */

static void connect_more (Bench *bench);

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Client *client = user_data;
  Bench *bench = client->bench;
  g_autoptr(GError) error = NULL;

  bench->connecting--;
  client->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (client->ws == NULL)
    {
      bench->connect_errors++;
      if (client->connect_attempts < CONNECT_ATTEMPTS)
        g_queue_push_tail (&bench->retry, client);
      else
        {
          client->closed = TRUE;
          note_error (bench, "connection %u failed %u times: %s", client->id, CONNECT_ATTEMPTS, error->message);
        }
      if (bench->first_error == NULL)
        note_error (bench, "connection %u: %s", client->id, error->message);
    }
  else
    {
      bench->n_connected++;
      g_signal_connect (client->ws, "message", G_CALLBACK (on_message), client);
      g_signal_connect (client->ws, "closed", G_CALLBACK (on_closed), client);
      send_join (client, CHANNEL_ECHO);
      send_join (client, CHANNEL_GROUP);
    }
  connect_more (bench);
}

static void
connect_more (Bench *bench)
{
  while (bench->connecting < bench->connect_parallel &&
         (bench->retry.length > 0 || bench->next_to_connect < bench->n_clients))
    {
      Client *client = bench->retry.length > 0 ? g_queue_pop_head (&bench->retry)
                                               : &bench->clients[bench->next_to_connect++];
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", bench->url);

      bench->connecting++;
      client->connect_attempts++;
      soup_session_websocket_connect_async (bench->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connected_cb, client);
    }
}

static void
connect_all (Bench *bench)
{
  bench->session = soup_session_new_with_options ("max-conns", (int) bench->n_clients * 2 + 16,
                                                  "max-conns-per-host", (int) bench->n_clients * 2 + 16,
                                                  "timeout", 0,
                                                  "idle-timeout", 0,
                                                  NULL);
  bench->clients = g_new0 (Client, bench->n_clients);
  bench->n_groups = (bench->n_clients + bench->group_size - 1) / bench->group_size;
  bench->group_members = g_new0 (guint, bench->n_groups);
  bench->next_to_connect = 0;
  bench->n_connected = bench->n_joined = bench->n_closed = 0;
  bench->connect_errors = bench->join_errors = bench->channel_errors = 0;
  g_queue_clear (&bench->retry);
  bench->disconnecting = FALSE;

  for (guint i = 0; i < bench->n_clients; i++)
    {
      Client *client = &bench->clients[i];

      client->bench = bench;
      client->id = i;
      client->group = i / bench->group_size;
      client->next_ref = 1;
      client->topics[CHANNEL_ECHO] = g_strdup_printf ("realtime:bench-echo-%u", i);
      client->topics[CHANNEL_GROUP] = g_strdup_printf ("realtime:bench-group-%u", client->group);
      bench->group_members[client->group]++;
    }

  connect_more (bench);
  if (!bench_wait_count (&bench->n_joined, 2 * (guint64) bench->n_clients, SETUP_TIMEOUT_MS))
    g_error ("only %" G_GUINT64_FORMAT " of %u connections and %" G_GUINT64_FORMAT " of %u joins succeeded "
             "within %d s (first error: %s)",
             bench->n_connected, bench->n_clients, bench->n_joined, 2 * bench->n_clients,
             SETUP_TIMEOUT_MS / 1000, bench->first_error ? bench->first_error : "none");

  if (bench->connect_errors > 0)
    fprintf (stderr, "  %u connection attempts failed and were retried (first error: %s)\n",
             bench->connect_errors, bench->first_error ? bench->first_error : "none");
  bench->heartbeat_tick = 0;
  bench->heartbeat_source = g_timeout_add_seconds (1, heartbeat_cb, bench);
}

static void
disconnect_all (Bench *bench)
{
  g_clear_handle_id (&bench->heartbeat_source, g_source_remove);
  bench->disconnecting = TRUE;
  for (guint i = 0; i < bench->n_clients; i++)
    {
      Client *client = &bench->clients[i];

      if (client->ws == NULL || client->closed)
        continue;
      soup_websocket_connection_close (client->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  /* Closing handshakes are answered by the server; bounded wait. */
  bench_wait_count (&bench->n_closed, bench->n_connected, 10000);

  for (guint i = 0; i < bench->n_clients; i++)
    {
      Client *client = &bench->clients[i];

      if (client->ws != NULL)
        {
          g_signal_handlers_disconnect_by_data (client->ws, client);
          g_clear_object (&client->ws);
        }
      g_free (client->topics[0]);
      g_free (client->topics[1]);
      g_free (client->join_refs[0]);
      g_free (client->join_refs[1]);
    }
  g_clear_pointer (&bench->clients, g_free);
  g_clear_pointer (&bench->group_members, g_free);
  g_clear_object (&bench->session);
  g_clear_pointer (&bench->first_error, g_free);
}

/* ------------------------------------------------------------------------ */
/* Runs                                                                      */

static gboolean
pace_cb (gpointer user_data)
{
  Bench *bench = user_data;
  Run *run = bench->run;
  gint64 now;
  guint64 due;

  if (run == NULL || !run->sending)
    return G_SOURCE_REMOVE;

  now = bench_now_ns ();
  due = (guint64) floor ((double) (now - run->start_ns) * run->events_per_s / 1e9) + 1;
  while (run->next_event < due && run->sending)
    {
      guint64 j = run->next_event++;
      gint64 scheduled = run->start_ns + (gint64) ((double) j * 1e9 / run->events_per_s);
      Client *client = &bench->clients[j % bench->n_clients];
      ChannelKind kind = (ChannelKind) ((j / bench->n_clients) % 2);

      if (run->in_window)
        bench_latencies_add (&run->send_lag, bench_now_ns () - scheduled);
      send_push (client, kind);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
window_start_cb (gpointer user_data)
{
  Bench *bench = user_data;
  Run *run = bench->run;

  bench_proc_sample (bench->server_pid, &run->server_start);
  bench_proc_sample (getpid (), &run->self_start);
  bench_system_sample (&run->system_start);
  run->in_window = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
window_end_cb (gpointer user_data)
{
  Bench *bench = user_data;
  Run *run = bench->run;

  run->in_window = FALSE;
  run->sending = FALSE;
  bench_proc_sample (bench->server_pid, &run->server_end);
  bench_proc_sample (getpid (), &run->self_end);
  bench_system_sample (&run->system_end);
  run->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* One attempt: fills @row and returns a note. */
static char *
run_once (Bench    *bench,
          Target    target,
          Mode      mode,
          double    rate,
          guint     duration_s,
          double    rss_per_conn,
          BenchRow *row)
{
  Run run = { 0 };
  double window_s, quiet;
  g_autofree char *quiet_text = NULL;
  char *note;
  guint64 lost;
  GPid own[2] = { bench->server_pid, getpid () };

  quiet = bench_wait_quiet (own, 2, bench->quiet_wait_s, bench->quiet_threshold);
  quiet_text = isnan (quiet) ? g_strdup ("not measured") : g_strdup_printf ("%.0f %%", quiet);

  run.mode = mode;
  run.rate = rate;
  run.window = bench->window;
  run.run_id = ++bench->next_run_id;
  run.events_per_s = (double) bench->n_clients * 2 * rate;
  bench_latencies_init (&run.latencies, 1 << 20);
  bench_latencies_init (&run.send_lag, 1 << 16);

  for (guint i = 0; i < bench->n_clients; i++)
    bench->clients[i].inflight[0] = bench->clients[i].inflight[1] = 0;

  bench->run = &run;
  run.sending = TRUE;
  run.start_ns = bench_now_ns ();
  g_timeout_add_full (G_PRIORITY_HIGH, bench->warmup_s * 1000, window_start_cb, bench, NULL);
  g_timeout_add_full (G_PRIORITY_HIGH, (bench->warmup_s + duration_s) * 1000, window_end_cb, bench, NULL);

  if (mode == MODE_PACED)
    g_timeout_add_full (G_PRIORITY_HIGH, 1, pace_cb, bench, NULL);
  else
    {
      for (guint w = 0; w < bench->window; w++)
        for (guint i = 0; i < bench->n_clients; i++)
          {
            send_push (&bench->clients[i], CHANNEL_ECHO);
            send_push (&bench->clients[i], CHANNEL_GROUP);
          }
    }

  if (!bench_wait_flag (&run.done, (bench->warmup_s + duration_s) * 1000 + 30000))
    g_error ("the run did not end in time");
  /* Let what is in flight arrive (bounded), to count losses. */
  bench_wait_count (&run.received, run.expected, DRAIN_TIMEOUT_MS);
  bench->run = NULL;

  window_s = (double) (run.server_end.wall_ns - run.server_start.wall_ns) / 1e9;
  lost = run.expected > run.received ? run.expected - run.received : 0;
  row->target = target_names[target];
  row->delivered_per_s = run.received_window / window_s;
  row->p50_ms = bench_latencies_ms (&run.latencies, 0.50);
  row->p95_ms = bench_latencies_ms (&run.latencies, 0.95);
  row->p99_ms = bench_latencies_ms (&run.latencies, 0.99);
  row->server_cpu_percent = bench_proc_cpu_percent (&run.server_start, &run.server_end);
  row->cpu_us_per_msg = run.received_window > 0 ?
    (double) (run.server_end.cpu_us - run.server_start.cpu_us) / run.received_window : NAN;
  row->rss_kib_per_conn = rss_per_conn;
  row->lost = lost;
  row->generator_cpu_percent = bench_proc_cpu_percent (&run.self_start, &run.self_end);
  row->other_cpu_percent =
    bench_system_other_percent (&run.system_start, &run.system_end,
                                (run.server_end.cpu_us - run.server_start.cpu_us) +
                                (run.self_end.cpu_us - run.self_start.cpu_us));
  note =
    g_strdup_printf ("%s: pushes %.0f/s in the window, %" G_GUINT64_FORMAT " deliveries measured, "
                     "max latency %.2f ms, send lag p99 %.2f ms (max %.2f), server RSS %" G_GUINT64_FORMAT
                     " KiB at the end, %u unexpected closes, %u channel errors, other CPU %s just before",
                     target_names[target], run.sends_window / window_s, run.received_window,
                     bench_latencies_ms (&run.latencies, 1.0),
                     mode == MODE_PACED ? bench_latencies_ms (&run.send_lag, 0.99) : NAN,
                     mode == MODE_PACED ? bench_latencies_ms (&run.send_lag, 1.0) : NAN,
                     run.server_end.rss_kib, run.unexpected_closes, bench->channel_errors, quiet_text);
  fprintf (stderr, "  %s; other CPU %.0f %% during the window\n", note, row->other_cpu_percent);

  bench_latencies_clear (&run.latencies);
  bench_latencies_clear (&run.send_lag);
  /* Quiet period between runs. */
  bench_run_for (1000);
  return note;
}

/* Repeats a run (at most --attempts times) while the rest of the machine
 * used more than --noise-limit of one core during its window, and keeps the
 * least disturbed attempt. */
static void
run_scenario (Bench    *bench,
              Scenario *scenario,
              Target    target,
              Mode      mode,
              double    rate,
              guint     duration_s,
              double    rss_per_conn)
{
  g_autoptr(GString) discarded = g_string_new (NULL);
  char *best_note = NULL;
  BenchRow best = { 0 };
  guint attempt;

  for (attempt = 1; attempt <= bench->attempts; attempt++)
    {
      BenchRow row = { 0 };
      char *note = run_once (bench, target, mode, rate, duration_s, rss_per_conn, &row);

      if (best_note == NULL || row.other_cpu_percent < best.other_cpu_percent)
        {
          if (best_note != NULL)
            g_string_append_printf (discarded, "%s%.0f", discarded->len ? ", " : "", best.other_cpu_percent);
          g_free (best_note);
          best_note = note;
          best = row;
        }
      else
        {
          g_string_append_printf (discarded, "%s%.0f", discarded->len ? ", " : "", row.other_cpu_percent);
          g_free (note);
        }
      if (best.other_cpu_percent <= bench->noise_limit)
        break;
      if (attempt < bench->attempts)
        fprintf (stderr, "  other processes used %.0f %% of a core during the window: running it again\n",
                 row.other_cpu_percent);
    }

  scenario->rows[target] = best;
  scenario->present[target] = TRUE;
  if (discarded->len > 0)
    scenario->notes[target] = g_strdup_printf ("%s; kept the least disturbed of %u attempts (discarded: other CPU %s %%)",
                                               best_note, MIN (attempt, bench->attempts), discarded->str);
  else
    scenario->notes[target] = g_strdup (best_note);
  g_free (best_note);
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  Scenario paced;
  Scenario goal;
  Scenario saturation;
  double   rss_per_conn[N_TARGETS];
  guint64  rss_idle[N_TARGETS];
  guint64  rss_joined[N_TARGETS];
} Results;

static void
run_target (Bench   *bench,
            Results *results,
            Target   target)
{
  BenchProcSample before, after;

  fprintf (stderr, "== %s (pid %d, %s)\n", target_names[target], (int) bench->server_pid, bench->url);

  bench_run_for (1000);
  if (!bench_proc_sample (bench->server_pid, &before))
    g_error ("cannot read /proc/%d", (int) bench->server_pid);

  connect_all (bench);
  /* Idle, connected and joined: let allocations settle. */
  bench_run_for (2000);
  bench_proc_sample (bench->server_pid, &after);
  results->rss_idle[target] = before.rss_kib;
  results->rss_joined[target] = after.rss_kib;
  results->rss_per_conn[target] = ((double) after.rss_kib - (double) before.rss_kib) / bench->n_clients;
  fprintf (stderr, "  RSS %" G_GUINT64_FORMAT " KiB idle, %" G_GUINT64_FORMAT " KiB with %u clients joined: "
              "%.1f KiB per connection\n", before.rss_kib, after.rss_kib, bench->n_clients,
              results->rss_per_conn[target]);

  fprintf (stderr, "  paced %.3g/s per channel, %u s\n", bench->rate, bench->duration_s);
  run_scenario (bench, &results->paced, target, MODE_PACED, bench->rate, bench->duration_s,
                results->rss_per_conn[target]);
  if (bench->goal_rate > 0)
    {
      fprintf (stderr, "  paced %.3g/s per channel, %u s\n", bench->goal_rate, bench->duration_s);
      run_scenario (bench, &results->goal, target, MODE_PACED, bench->goal_rate, bench->duration_s,
                    results->rss_per_conn[target]);
    }
  if (bench->saturation_s > 0)
    {
      fprintf (stderr, "  saturation, window %u per channel, %u s\n", bench->window, bench->saturation_s);
      run_scenario (bench, &results->saturation, target, MODE_SATURATE, 0, bench->saturation_s,
                    results->rss_per_conn[target]);
    }

  disconnect_all (bench);
  bench_run_for (1000);
}

static void
print_scenario (Scenario *scenario)
{
  gboolean any = FALSE;

  for (guint t = 0; t < N_TARGETS; t++)
    any |= scenario->present[t];
  if (!any)
    return;

  bench_print_table_header (scenario->title, scenario->subtitle);
  for (guint t = 0; t < N_TARGETS; t++)
    if (scenario->present[t])
      bench_print_table_row (&scenario->rows[t]);
  for (guint t = 0; t < N_TARGETS; t++)
    if (scenario->notes[t] != NULL)
      printf ("  %s\n", scenario->notes[t]);
  bench_print_table_footer ();
}

static GSubprocess *
start_echo_server (const char *path,
                   guint      *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--max-seconds", "3600", NULL);
  if (proc == NULL)
    g_error ("cannot run %s: %s", path, error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "PORT="))
    g_error ("%s did not report its port", path);
  *port = (guint) atoi (line + strlen ("PORT="));
  return proc;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *echo_path = NULL;
  g_autofree char *targets_text = NULL;
  g_autofree char *server_comm = NULL;
  g_autofree char *command = NULL;
  g_auto(GStrv) targets = NULL;
  int n_clients = 500, group_size = 10, duration = 30, saturation = 15, warmup = 2, window = 2;
  int payload = 100, max_events = 1000000, max_joins = 100000, quiet_wait = 0;
  double quiet_threshold = 25, noise_limit = 30;
  int attempts = 1, connect_parallel = 64;
  double rate = 2, goal_rate = 10;
  Bench bench = { 0 };
  Results results = { 0 };
  gboolean want[N_TARGETS] = { FALSE, FALSE };
  TandemTestPg *pg = NULL;
  TandemTestServer *server = NULL;
  GSubprocess *echo = NULL;
  guint echo_port = 0;
  double offered;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &server_path, "tandem-server to run (default $TANDEM_SERVER)", "PATH" },
    { "echo-server", 0, 0, G_OPTION_ARG_FILENAME, &echo_path, "bench-echo-server (default: next to this program)", "PATH" },
    { "server-comm", 0, 0, G_OPTION_ARG_STRING, &server_comm, "The server child's process name, when --server is a wrapper (e.g. valgrind: callgrind-amd64)", "NAME" },
    { "targets", 0, 0, G_OPTION_ARG_STRING, &targets_text, "Comma-separated: tandem,echo (default both)", "LIST" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &n_clients, "WebSocket clients (default 500)", "N" },
    { "group-size", 0, 0, G_OPTION_ARG_INT, &group_size, "Members of each group channel (default 10)", "N" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Paced run: pushes/s per client per channel (default 2)", "R" },
    { "goal-rate", 0, 0, G_OPTION_ARG_DOUBLE, &goal_rate, "Second paced run's rate, 0 to skip (default 10)", "R" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, "Paced runs' measured seconds (default 30)", "S" },
    { "saturation-duration", 0, 0, G_OPTION_ARG_INT, &saturation, "Saturation run's measured seconds, 0 to skip (default 15)", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Unmeasured seconds before each window (default 2)", "S" },
    { "window", 0, 0, G_OPTION_ARG_INT, &window, "Saturation: pushes in flight per client per channel (default 2)", "N" },
    { "connect-parallel", 0, 0, G_OPTION_ARG_INT, &connect_parallel, "Connections being set up at once (default 64)", "N" },
    { "payload-bytes", 0, 0, G_OPTION_ARG_INT, &payload, "JSON payload size (default 100)", "B" },
    { "max-events-per-second", 0, 0, G_OPTION_ARG_INT, &max_events, "tandem-server limit (default 1000000)", "N" },
    { "max-joins-per-second", 0, 0, G_OPTION_ARG_INT, &max_joins, "tandem-server limit (default 100000)", "N" },
    { "quiet-wait", 0, 0, G_OPTION_ARG_INT, &quiet_wait, "Before each run, wait up to S s for the rest of the machine to go quiet (default 0)", "S" },
    { "quiet-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &quiet_threshold, "\"Quiet\": other processes below this % of one core (default 25)", "P" },
    { "attempts", 0, 0, G_OPTION_ARG_INT, &attempts, "Run each scenario up to N times while other processes disturb it (default 1)", "N" },
    { "noise-limit", 0, 0, G_OPTION_ARG_DOUBLE, &noise_limit, "\"Disturbed\": other processes above this % of one core during a window (default 30)", "P" },
    { NULL }
  };

  context = g_option_context_new ("— broadcast fan-out benchmark: tandem-server vs the libsoup floor");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-broadcast: %s\n", error->message);
      return 2;
    }
  if (n_clients < 1 || n_clients > 20000 || group_size < 1 || rate <= 0 || rate > 1000 || goal_rate < 0 ||
      goal_rate > 1000 || duration < 1 || duration > MAX_SECONDS || saturation < 0 || saturation > MAX_SECONDS ||
      warmup < 0 || warmup > 60 || window < 1 || window > 1000 || payload < 64 || payload > MAX_PAYLOAD ||
      max_events < 1 || max_joins < 1 || quiet_wait < 0 || quiet_wait > MAX_SECONDS || quiet_threshold <= 0 ||
      attempts < 1 || attempts > 10 || noise_limit <= 0 || connect_parallel < 1 || connect_parallel > 1000)
    {
      fprintf (stderr, "bench-broadcast: an option is out of range (durations ≤ %d s, payload 64..%d)\n",
                  MAX_SECONDS, MAX_PAYLOAD);
      return 2;
    }

  targets = g_strsplit (targets_text ? targets_text : "tandem,echo", ",", -1);
  for (guint i = 0; targets[i] != NULL; i++)
    {
      if (g_str_equal (targets[i], "tandem"))
        want[TARGET_TANDEM] = TRUE;
      else if (g_str_equal (targets[i], "echo"))
        want[TARGET_ECHO] = TRUE;
      else
        {
          fprintf (stderr, "bench-broadcast: unknown target %s\n", targets[i]);
          return 2;
        }
    }

  if (server_path != NULL)
    g_setenv ("TANDEM_SERVER", server_path, TRUE);
  if (echo_path == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (argv[0]);

      echo_path = g_build_filename (dir, "bench-echo-server", NULL);
    }

  bench_raise_fd_limit ();
  bench.n_clients = (guint) n_clients;
  bench.group_size = (guint) group_size;
  bench.rate = rate;
  bench.goal_rate = goal_rate;
  bench.duration_s = (guint) duration;
  bench.saturation_s = (guint) saturation;
  bench.warmup_s = (guint) warmup;
  bench.window = (guint) window;
  bench.payload_bytes = (guint) payload;
  bench.quiet_wait_s = (guint) quiet_wait;
  bench.quiet_threshold = quiet_threshold;
  bench.attempts = (guint) attempts;
  bench.connect_parallel = (guint) connect_parallel;
  g_queue_init (&bench.retry);
  bench.noise_limit = noise_limit;

  offered = (double) n_clients * rate * (1 + MIN (group_size, n_clients));
  results.paced.title = g_strdup_printf ("Broadcast, paced: %d clients x (1 echo channel + 1 group of %d), "
                                         "%.3g msg/s per client per channel, %d s", n_clients, group_size, rate, duration);
  results.paced.subtitle = g_strdup_printf ("offered %.0f pushes/s, %.0f deliveries/s (group pushes reach all %d "
                                            "members incl. the sender; echo pushes come back to the sender)",
                                            n_clients * 2 * rate, offered, group_size);
  offered = (double) n_clients * goal_rate * (1 + MIN (group_size, n_clients));
  results.goal.title = g_strdup_printf ("Broadcast, paced at the goal rate: same shape, %.3g msg/s per client per "
                                        "channel, %d s", goal_rate, duration);
  results.goal.subtitle = g_strdup_printf ("offered %.0f pushes/s, %.0f deliveries/s", n_clients * 2 * goal_rate, offered);
  results.saturation.title = g_strdup_printf ("Broadcast, saturation: same shape, each client keeps %d pushes in "
                                              "flight per channel, %d s", window, saturation);
  results.saturation.subtitle = g_strdup ("(closed loop: a push is in flight until its sender gets its own copy back)");

  command = g_strjoinv (" ", argv);
  {
    g_autofree char *load = bench_loadavg ();
    BenchSystemSample system;

    bench_system_sample (&system);
    printf ("# %u CPUs, load average %s at the start\n", system.n_cpus, load);
  }
  printf ("# bench-broadcast: %d clients, groups of %d, payload %d B, warmup %d s, limits "
           "--max-events-per-second %d --max-joins-per-second %d\n",
           n_clients, group_size, payload, warmup, max_events, max_joins);

  if (want[TARGET_TANDEM])
    {
      g_autofree char *events_text = g_strdup_printf ("%d", max_events);
      g_autofree char *joins_text = g_strdup_printf ("%d", max_joins);
      const char *args[] = {
        "--max-events-per-second", events_text,
        "--max-joins-per-second", joins_text,
        "--max-channels-per-client", "100",
        "--log-level", "warning",
        NULL
      };
      g_autofree char *escaped = NULL;

      fprintf (stderr, "starting PostgreSQL and tandem-server…\n");
      pg = tandem_test_pg_new ();
      server = tandem_test_server_new (pg, args);
      escaped = g_uri_escape_string (tandem_test_server_get_anon_key (server), NULL, TRUE);
      bench.url = g_strdup_printf ("%s?apikey=%s&vsn=2.0.0", tandem_test_server_get_ws_url (server), escaped);
      bench.server_pid = bench_find_child (server_comm ? server_comm : "tandem-server");
      if (bench.server_pid == 0)
        g_error ("cannot find the tandem-server child process");
      run_target (&bench, &results, TARGET_TANDEM);
      g_clear_pointer (&bench.url, g_free);
      tandem_test_server_free (server);
      tandem_test_pg_free (pg);
    }

  if (want[TARGET_ECHO])
    {
      fprintf (stderr, "starting %s…\n", echo_path);
      echo = start_echo_server (echo_path, &echo_port);
      bench.server_pid = (GPid) atoi (g_subprocess_get_identifier (echo));
      bench.url = g_strdup_printf ("ws://127.0.0.1:%u/realtime/v1/websocket?apikey=bench&vsn=2.0.0", echo_port);
      run_target (&bench, &results, TARGET_ECHO);
      g_clear_pointer (&bench.url, g_free);
      g_subprocess_send_signal (echo, SIGTERM);
      g_subprocess_wait (echo, NULL, NULL);
      g_clear_object (&echo);
    }

  print_scenario (&results.paced);
  print_scenario (&results.goal);
  print_scenario (&results.saturation);

  printf ("\nRSS per idle connection (each connection joined to 2 channels): ");
  for (guint t = 0; t < N_TARGETS; t++)
    if (want[t])
      printf ("%s %.1f KiB (%" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT " KiB)%s", target_names[t],
               results.rss_per_conn[t], results.rss_idle[t], results.rss_joined[t],
               t + 1 < N_TARGETS && want[t + 1] ? "; " : "\n");

  if (want[TARGET_TANDEM])
    {
      BenchRow *paced = &results.paced.rows[TARGET_TANDEM];
      BenchRow *goal = &results.goal.rows[TARGET_TANDEM];

      printf ("\nGoals (tandem-server):\n");
      if (results.goal.present[TARGET_TANDEM])
        printf ("  paced >= 50,000 delivered/s with p99 < 10 ms: %.0f/s, p99 %.2f ms at %.3g msg/s per channel -> %s\n",
                 goal->delivered_per_s, goal->p99_ms, goal_rate,
                 goal->delivered_per_s >= 50000 && goal->p99_ms < 10 ? "MET" : "MISSED");
      printf ("  paced (issue's shape) p99 < 10 ms: p99 %.2f ms, %.0f delivered/s -> %s%s\n",
               paced->p99_ms, paced->delivered_per_s, paced->p99_ms < 10 ? "MET" : "MISSED",
               paced->delivered_per_s < 50000 ? " (this shape offers fewer than 50,000 deliveries/s by construction)" : "");
      printf ("  RSS per idle connection < 64 KiB: %.1f KiB -> %s\n", results.rss_per_conn[TARGET_TANDEM],
               results.rss_per_conn[TARGET_TANDEM] < 64 ? "MET" : "MISSED");
    }
  {
    g_autofree char *load = bench_loadavg ();

    printf ("\n# Columns: latency = receive - send time (CLOCK_MONOTONIC, one process); CPU %% = utime+stime over the\n"
            "# measured window in %% of one core; CPU µs/msg = server CPU time / deliveries in the window; lost =\n"
            "# deliveries not received within %d s after sending stopped; gen = the load generator; other = the\n"
            "# rest of the machine (other users' jobs, kernel threads).\n", DRAIN_TIMEOUT_MS / 1000);
    printf ("# load average %s at the end\n", load);
  }
  printf ("# command: %s\n", command);

  g_free (results.paced.title);
  g_free (results.paced.subtitle);
  g_free (results.goal.title);
  g_free (results.goal.subtitle);
  g_free (results.saturation.title);
  g_free (results.saturation.subtitle);
  for (guint t = 0; t < N_TARGETS; t++)
    {
      g_free (results.paced.notes[t]);
      g_free (results.goal.notes[t]);
      g_free (results.saturation.notes[t]);
    }
  return 0;
}
