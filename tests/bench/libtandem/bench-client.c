/* bench-client.c: libtandem's receive rate and round trip, and their floors
 *
 *   bench-client receive --client tandem|soup --url WS_URL --key KEY --count N
 *   bench-client rtt     --client tandem|soup --url WS_URL --key KEY --samples N
 *   bench-client send    --url WS_URL --key KEY --count N [--window W]
 *
 * receive: joins channel "bench" and counts the broadcasts of event "m"
 *   that another process sends, printing "ready" once joined and, after the
 *   last message (or 5 s without one), one line
 *     received=N seconds=S rate=R cpu_us=C cpu_us_per_msg=U
 *   where S and C run from the first message to the last. "tandem" is a
 *   TandemClient whose broadcast::m handler counts (so every frame is
 *   decoded and dispatched as a signal); "soup" is a bare libsoup
 *   WebSocket client that sends the join frame and then only counts
 *   binary frames: the floor of the transport.
 * rtt: sends one broadcast on a channel joined with broadcast self, waits
 *   for it to come back, N times, one at a time; prints
 *     samples=N p50_ms=… p99_ms=…
 *   ("soup" also works against bench-echo-server, the raw echo).
 * send: joins with broadcast ack and sends N binary broadcasts (kind 3, as
 *   realtime-js sends them) of event "m", keeping W unacknowledged at most.
 *
 * Bounded: every wait has a deadline, counts are capped, 127.0.0.1 only (the
 * URL comes from run.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <libsoup/soup.h>

#include "tandem.h"
#include "tandem-message.h"
#include "bench-util.h"

#define MAX_COUNT        10000000
#define IDLE_TIMEOUT_MS  5000
#define SETUP_TIMEOUT_MS 20000
#define PAYLOAD          "{\"n\":1,\"text\":\"a small broadcast payload\"}"

typedef struct
{
  char    *url;       /* ws://…/realtime/v1/websocket */
  char    *key;
  char    *client;
  guint64  count;
  guint    samples;
  guint    window;

  /* the bare libsoup client */
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  guint                    next_ref;
  char                    *join_ref;
  gboolean                 joined;
  gboolean                 failed;
  gboolean                 closing;

  /* receive */
  guint64  received;
  gint64   first_ns, last_ns;
  guint64  first_cpu_us, last_cpu_us;

  /* send */
  guint64  sent, acked;

  /* rtt */
  gint64          rtt_sent_ns;
  gboolean        rtt_back;
  BenchLatencies  lat;
} Bench;

static guint64
cpu_now_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (guint64) usage.ru_utime.tv_sec * 1000000 + usage.ru_utime.tv_usec +
         (guint64) usage.ru_stime.tv_sec * 1000000 + usage.ru_stime.tv_usec;
}

static void
count_one (Bench *bench)
{
  gint64 now = bench_now_ns ();

  if (bench->received == 0)
    {
      bench->first_ns = now;
      bench->first_cpu_us = cpu_now_us ();
    }
  bench->received++;
  bench->last_ns = now;
  if (bench->received == bench->count)
    bench->last_cpu_us = cpu_now_us ();
}

/* ---- the bare libsoup client ---------------------------------------------- */

static char *
next_ref (Bench *bench)
{
  return g_strdup_printf ("%u", ++bench->next_ref);
}

static void
soup_send_text (Bench         *bench,
                TandemMessage *message)
{
  g_autoptr(GBytes) frame = tandem_message_encode_text (message, TANDEM_SERIALIZER_V2, FALSE);

  soup_websocket_connection_send_message (bench->ws, SOUP_WEBSOCKET_DATA_TEXT, frame);
}

static void
soup_send_broadcast (Bench *bench)
{
  g_autofree char *ref = next_ref (bench);
  g_autoptr(GBytes) payload = g_bytes_new_static (PAYLOAD, strlen (PAYLOAD));
  g_autoptr(TandemMessage) message =
    tandem_message_new_user_broadcast (bench->join_ref, ref, "realtime:bench", "m", payload, TRUE, NULL);
  g_autoptr(GBytes) frame = tandem_message_encode_binary (message, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH, NULL);

  soup_websocket_connection_send_message (bench->ws, SOUP_WEBSOCKET_DATA_BINARY, frame);
  bench->sent++;
}

static void
soup_on_message (SoupWebsocketConnection *ws,
                 SoupWebsocketDataType    type,
                 GBytes                  *bytes,
                 Bench                   *bench)
{
  if (g_str_equal (bench->client, "receive-soup"))
    {
      /* The floor: no decoding at all, just the frame. */
      if (type == SOUP_WEBSOCKET_DATA_BINARY)
        count_one (bench);
      else if (!bench->joined)
        bench->joined = TRUE;
      return;
    }

  if (type == SOUP_WEBSOCKET_DATA_BINARY)
    {
      if (bench->rtt_sent_ns != 0 && !bench->rtt_back)
        {
          bench_latencies_add (&bench->lat, bench_now_ns () - bench->rtt_sent_ns);
          bench->rtt_back = TRUE;
        }
      return;
    }
  else
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autoptr(TandemMessage) message = tandem_message_decode_text (TANDEM_SERIALIZER_V2, data, len, NULL);

      if (message == NULL || g_strcmp0 (message->event, "phx_reply") != 0)
        return;
      if (g_strcmp0 (message->ref, bench->join_ref) == 0)
        bench->joined = TRUE;
      else
        bench->acked++;
    }
}

static void
soup_on_closed (SoupWebsocketConnection *ws,
                Bench                   *bench)
{
  if (!bench->failed && !bench->closing)
    g_printerr ("bench-client: the connection closed (code %u)\n", soup_websocket_connection_get_close_code (ws));
  bench->failed = TRUE;
}

static void
soup_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  bench->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (bench->ws == NULL)
    {
      g_printerr ("bench-client: %s\n", error->message);
      bench->failed = TRUE;
    }
}

/* Connects and joins "bench" with @self_ (rtt) or @ack (send). */
static gboolean
soup_join (Bench    *bench,
           gboolean  self_,
           gboolean  ack)
{
  g_autofree char *escaped = g_uri_escape_string (bench->key, NULL, TRUE);
  g_autofree char *url = g_strdup_printf ("%s?apikey=%s&vsn=2.0.0", bench->url, escaped);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(TandemMessage) join = NULL;
  gboolean done = FALSE;

  if (msg == NULL)
    return FALSE;
  bench->session = soup_session_new ();
  soup_session_websocket_connect_async (bench->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        soup_connected_cb, bench);
  while (bench->ws == NULL && !bench->failed)
    g_main_context_iteration (NULL, TRUE);
  if (bench->ws == NULL)
    return FALSE;
  soup_websocket_connection_set_max_incoming_payload_size (bench->ws, 5000000);
  g_signal_connect (bench->ws, "message", G_CALLBACK (soup_on_message), bench);
  g_signal_connect (bench->ws, "closed", G_CALLBACK (soup_on_closed), bench);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "config");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "broadcast");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "self");
  json_builder_add_boolean_value (builder, self_);
  json_builder_set_member_name (builder, "ack");
  json_builder_add_boolean_value (builder, ack);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);
  bench->join_ref = next_ref (bench);
  join = tandem_message_new (bench->join_ref, bench->join_ref, "realtime:bench", "phx_join", payload);
  soup_send_text (bench, join);

  done = bench_wait_flag (&bench->joined, SETUP_TIMEOUT_MS);
  return done && !bench->failed;
}

/* ---- the TandemClient ------------------------------------------------------ */

static void
on_tandem_broadcast (TandemChannel *channel,
                     const char    *event,
                     JsonNode      *payload,
                     Bench         *bench)
{
  if (bench->rtt_sent_ns != 0)
    {
      if (!bench->rtt_back)
        {
          bench_latencies_add (&bench->lat, bench_now_ns () - bench->rtt_sent_ns);
          bench->rtt_back = TRUE;
        }
      return;
    }
  count_one (bench);
}

static void
on_tandem_state (TandemChannel        *channel,
                 TandemSubscribeState  state,
                 const GError         *error,
                 Bench                *bench)
{
  if (state == TANDEM_SUBSCRIBE_SUBSCRIBED)
    bench->joined = TRUE;
  else
    {
      g_printerr ("bench-client: subscribe state %d: %s\n", state, error ? error->message : "");
      bench->failed = TRUE;
    }
}

static TandemChannel *
tandem_join (Bench         *bench,
             TandemClient **out_client,
             gboolean       self_)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *http = NULL;
  g_autoptr(TandemChannelOptions) options = tandem_channel_options_new ();
  TandemClient *client;
  TandemChannel *channel;
  const char *end;

  /* TandemClient takes the project URL: ws://h:p/realtime/v1/websocket -> http://h:p */
  end = strstr (bench->url, "/realtime/v1");
  http = g_strdup_printf ("http%.*s", (int) ((end ? end : bench->url + strlen (bench->url)) - bench->url - 2),
                          bench->url + 2);
  client = tandem_client_new (http, bench->key, &error);
  if (client == NULL)
    g_error ("bench-client: %s", error->message);
  g_object_unref (client);
  /* The server runs without limits here; so does the client's pacing. */
  client = g_object_new (TANDEM_TYPE_CLIENT, "url", http, "api-key", bench->key,
                         "events-per-second", (guint) G_MAXINT32, NULL);
  tandem_channel_options_set_broadcast_self (options, self_);
  tandem_channel_options_set_presence_enabled (options, FALSE);
  channel = tandem_client_channel (client, "bench", options);
  g_signal_connect (channel, "broadcast::m", G_CALLBACK (on_tandem_broadcast), bench);
  g_signal_connect (channel, "subscribe-state", G_CALLBACK (on_tandem_state), bench);
  tandem_channel_subscribe (channel);
  if (!bench_wait_flag (&bench->joined, SETUP_TIMEOUT_MS) || bench->failed)
    g_error ("bench-client: could not join");
  *out_client = client;
  return channel;
}

static void
tandem_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tandem_channel_send_broadcast_finish (TANDEM_CHANNEL (source), result, &error))
    g_printerr ("bench-client: send failed: %s\n", error->message);
}

/* ---- the three commands ---------------------------------------------------- */

static int
run_receive (Bench *bench)
{
  g_autoptr(TandemClient) client = NULL;
  g_autoptr(TandemChannel) channel = NULL;
  gint64 last_seen = 0;
  guint64 last_count = 0;
  double seconds;

  if (g_str_equal (bench->client, "tandem"))
    channel = tandem_join (bench, &client, FALSE);
  else
    {
      g_free (bench->client);
      bench->client = g_strdup ("receive-soup");
      if (!soup_join (bench, FALSE, FALSE))
        return 1;
    }
  printf ("ready\n");
  fflush (stdout);

  /* Until the last message, or IDLE_TIMEOUT_MS without one. */
  last_seen = bench_now_ns ();
  while (bench->received < bench->count && !bench->failed)
    {
      g_main_context_iteration (NULL, FALSE);
      if (bench->received != last_count)
        {
          last_count = bench->received;
          last_seen = bench_now_ns ();
        }
      else if (bench_now_ns () - last_seen > (gint64) IDLE_TIMEOUT_MS * 1000000)
        break;
      else if (!g_main_context_pending (NULL))
        g_main_context_iteration (NULL, TRUE);
    }
  if (bench->received < bench->count)
    bench->last_cpu_us = cpu_now_us ();
  if (bench->received < 2)
    {
      g_printerr ("bench-client: received %" G_GUINT64_FORMAT " messages\n", bench->received);
      return 1;
    }
  seconds = (bench->last_ns - bench->first_ns) / 1e9;
  printf ("received=%" G_GUINT64_FORMAT " seconds=%.3f rate=%.0f cpu_us=%" G_GUINT64_FORMAT
          " cpu_us_per_msg=%.3f\n", bench->received, seconds, (bench->received - 1) / seconds,
          bench->last_cpu_us - bench->first_cpu_us,
          (double) (bench->last_cpu_us - bench->first_cpu_us) / (bench->received - 1));
  return bench->received == bench->count ? 0 : 1;
}

static int
run_rtt (Bench *bench)
{
  g_autoptr(TandemClient) client = NULL;
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(JsonNode) payload = json_from_string (PAYLOAD, NULL);
  gboolean tandem = g_str_equal (bench->client, "tandem");

  if (tandem)
    channel = tandem_join (bench, &client, TRUE);
  else if (!soup_join (bench, TRUE, FALSE))
    return 1;

  bench_latencies_init (&bench->lat, bench->samples);
  for (guint i = 0; i < bench->samples + 100 && !bench->failed; i++)
    {
      bench->rtt_back = FALSE;
      bench->rtt_sent_ns = bench_now_ns ();
      if (tandem)
        tandem_channel_send_broadcast_async (channel, "m", payload, NULL, tandem_sent_cb, NULL);
      else
        soup_send_broadcast (bench);
      if (!bench_wait_flag (&bench->rtt_back, 5000))
        {
          g_printerr ("bench-client: a broadcast did not come back\n");
          return 1;
        }
      if (i == 99)  /* the first 100 warm up */
        bench_latencies_clear (&bench->lat), bench_latencies_init (&bench->lat, bench->samples);
      bench_run_for (1);
    }
  printf ("samples=%u p50_ms=%.3f p99_ms=%.3f\n", bench->lat.us->len,
          bench_latencies_ms (&bench->lat, 0.50), bench_latencies_ms (&bench->lat, 0.99));
  return 0;
}

static int
run_send (Bench *bench)
{
  if (!soup_join (bench, FALSE, TRUE))
    return 1;
  while (bench->acked < bench->count && !bench->failed)
    {
      while (bench->sent < bench->count && bench->sent - bench->acked < bench->window)
        soup_send_broadcast (bench);
      g_main_context_iteration (NULL, TRUE);
    }
  bench->closing = TRUE;
  soup_websocket_connection_close (bench->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  bench_run_for (100);
  printf ("sent=%" G_GUINT64_FORMAT "\n", bench->sent);
  return bench->failed && bench->acked < bench->count ? 1 : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Bench bench = { 0 };
  gint64 count = 200000;
  int samples = 2000, window = 256, status;
  const GOptionEntry entries[] = {
    { "client", 0, 0, G_OPTION_ARG_STRING, &bench.client, "tandem or soup", "CLIENT" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &bench.url, "ws://127.0.0.1:P/realtime/v1/websocket", "URL" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &bench.key, "API key", "KEY" },
    { "count", 0, 0, G_OPTION_ARG_INT64, &count, "Messages to send or receive (default 200000)", "N" },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples, "Round trips to measure (default 2000)", "N" },
    { "window", 0, 0, G_OPTION_ARG_INT, &window, "Unacknowledged sends at most (default 256)", "N" },
    { NULL }
  };

  context = g_option_context_new ("receive|rtt|send — libtandem's receive rate and round trip");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || bench.url == NULL ||
      bench.key == NULL || count < 2 || count > MAX_COUNT || samples < 1 || samples > 1000000 ||
      window < 1 || window > 100000)
    {
      g_printerr ("bench-client: %s\n", error ? error->message : "bad arguments (see --help)");
      return 2;
    }
  bench.count = (guint64) count;
  bench.samples = (guint) samples;
  bench.window = (guint) window;
  if (bench.client == NULL)
    bench.client = g_strdup ("tandem");

  if (g_str_equal (argv[1], "receive"))
    status = run_receive (&bench);
  else if (g_str_equal (argv[1], "rtt"))
    status = run_rtt (&bench);
  else if (g_str_equal (argv[1], "send"))
    status = run_send (&bench);
  else
    {
      g_printerr ("bench-client: unknown command %s\n", argv[1]);
      return 2;
    }

  bench_latencies_clear (&bench.lat);
  g_clear_object (&bench.ws);
  g_clear_object (&bench.session);
  g_free (bench.join_ref);
  g_free (bench.url);
  g_free (bench.key);
  g_free (bench.client);
  return status;
}
