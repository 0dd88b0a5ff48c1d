/* test-realtime-reconnect.c: keeping the connection up: the back-off
 * schedule and its jitter, giving up and the health check, rapid closes,
 * heartbeats, network changes and resume, disconnecting
 *
 * Time is the manual clock's: each delay is checked exactly, then the
 * clock is moved by that much.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rt-test.h"

#define V2 GINT_TO_POINTER (TANDEM_PROTOCOL_2_0_0)

/* A client of a port nobody listens on: every attempt fails at once. */
static TandemClient *
unreachable_client (TandemClock *clock)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", tandem_test_find_free_port ());

  return rt_client_new (clock, url, TANDEM_PROTOCOL_2_0_0, NULL);
}

static void
test_schedule (void)
{
  static const guint delays[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000 };
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (0);
  TandemClient *client = unreachable_client (clock);
  g_autoptr(TandemChannel) channel = tandem_client_channel (client, "room", NULL);
  gint64 elapsed = 0;

  /* random 0.5 is a jitter factor of exactly 1 */
  tandem_manual_clock_set_random (clock, 0.5);
  tandem_channel_subscribe (channel);
  g_assert_cmpint (tandem_client_get_status (client), ==, TANDEM_STATUS_CONNECTING);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTING);

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      TANDEM_WAIT_UNTIL (_tandem_client_get_retries (client) == i + 1);
      g_assert_cmpint (tandem_client_get_status (client), ==, TANDEM_STATUS_RECONNECTING);
      g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, delays[i]);
      /* Nothing happens a millisecond early. */
      tandem_manual_clock_advance (clock, delays[i] - 1);
      g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, 1);
      tandem_manual_clock_advance (clock, 1);
      g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, -1);
      elapsed += delays[i];
    }

  /* The tenth retry failed: no more until the health check. */
  TANDEM_WAIT_UNTIL (tandem_client_get_status (client) == TANDEM_STATUS_ERROR);
  g_assert_cmpuint (_tandem_client_get_retries (client), ==, 10);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, -1);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_ERROR);
  g_assert_nonnull (tandem_channel_get_last_error (channel));

  /* The health check runs every 60 s from the first connect: the next one
   * (at 240 s) starts the attempts again from the first delay. */
  g_assert_cmpint (elapsed, ==, 181000);
  tandem_manual_clock_advance (clock, 240000 - elapsed - 1);
  g_assert_cmpint (tandem_client_get_status (client), ==, TANDEM_STATUS_ERROR);
  tandem_manual_clock_advance (clock, 1);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (client) == 1);
  g_assert_cmpint (tandem_client_get_status (client), ==, TANDEM_STATUS_RECONNECTING);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, 1000);

  tandem_client_disconnect (client);
  g_clear_object (&channel);
  g_assert_finalize_object (client);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (clock), ==, 0);
}

static void
test_jitter (void)
{
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (0);
  TandemClient *client = unreachable_client (clock);

  /* ×0.8 with random 0, ×1.2 (rounded) with random next to 1 */
  tandem_manual_clock_push_random (clock, 0.0);
  tandem_manual_clock_push_random (clock, 0.9999999);
  tandem_manual_clock_push_random (clock, 0.0);
  tandem_manual_clock_push_random (clock, 0.9999999);
  tandem_client_connect (client);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (client) == 1);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, 800);
  tandem_manual_clock_advance (clock, 800);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (client) == 2);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, 2400);
  tandem_manual_clock_advance (clock, 2400);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (client) == 3);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, 3200);
  tandem_manual_clock_advance (clock, 3200);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (client) == 4);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (client), ==, 9600);

  tandem_client_disconnect (client);
  g_assert_finalize_object (client);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (clock), ==, 0);
}

/* Three closes within 10 s: the server takes us and drops us (a join
 * storm, P4); the next attempt waits 30 s. */
static void
test_rapid_close (RtFixture    *f,
                  gconstpointer data)
{
  RtConn *conn;

  tandem_client_connect (f->client);
  for (guint i = 0; i < 3; i++)
    {
      conn = rt_peer_wait_conn (f->peer, i);
      TANDEM_WAIT_UNTIL (tandem_client_get_status (f->client) == TANDEM_STATUS_CONNECTED);
      rt_conn_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
      TANDEM_WAIT_UNTIL (tandem_client_get_status (f->client) == TANDEM_STATUS_RECONNECTING);
      /* The count restarts on every open. */
      g_assert_cmpuint (_tandem_client_get_retries (f->client), ==, 1);
      if (i < 2)
        {
          g_assert_cmpint (_tandem_client_get_next_attempt_ms (f->client), ==, 1000);
          tandem_manual_clock_advance (f->clock, 1000);
        }
    }
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (f->client), ==, 30000);

  /* After the long wait the history starts afresh. */
  tandem_manual_clock_advance (f->clock, 30000);
  conn = rt_peer_wait_conn (f->peer, 3);
  TANDEM_WAIT_UNTIL (tandem_client_get_status (f->client) == TANDEM_STATUS_CONNECTED);
  rt_conn_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  TANDEM_WAIT_UNTIL (tandem_client_get_status (f->client) == TANDEM_STATUS_RECONNECTING);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (f->client), ==, 1000);
  tandem_client_disconnect (f->client);
}

static void
on_rtt (GObject    *object,
        GParamSpec *pspec,
        guint      *count)
{
  (*count)++;
}

/* Heartbeats every 25 s whatever arrives (P1); one left unanswered until
 * the next is due closes the socket, and it comes back. */
static void
test_heartbeat (RtFixture    *f,
                gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemMessage) first = NULL;
  g_autoptr(TandemMessage) second = NULL;
  g_autoptr(RtRecorder) recorder = NULL;
  g_autoptr(TandemMessage) join = NULL;
  RtConn *conn;
  guint rtt_notifies = 0;
  gint64 rtt = 0;

  channel = rt_join (f, "hb", NULL, &conn);
  recorder = rt_recorder_new (channel);
  g_signal_connect (f->client, "notify::heartbeat-rtt", G_CALLBACK (on_rtt), &rtt_notifies);
  g_object_get (f->client, "heartbeat-rtt", &rtt, NULL);
  g_assert_cmpint (rtt, ==, -1);

  /* Inbound traffic does not delay the heartbeat. */
  tandem_manual_clock_advance (f->clock, 20000);
  rt_conn_send (conn, NULL, NULL, "realtime:hb", "broadcast", "{\"type\":\"broadcast\",\"event\":\"e\",\"payload\":{}}");
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (f->clock, 5000);
  first = rt_conn_expect (conn, "phoenix", "heartbeat");
  g_assert_null (first->join_ref);

  /* Its round trip, on the client's clock */
  tandem_manual_clock_advance (f->clock, 40);
  rt_conn_reply (conn, first, "ok", NULL);
  TANDEM_WAIT_UNTIL (rtt_notifies == 1);
  g_object_get (f->client, "heartbeat-rtt", &rtt, NULL);
  g_assert_cmpint (rtt, ==, 40);

  tandem_manual_clock_advance (f->clock, 24960);
  second = rt_conn_expect (conn, "phoenix", "heartbeat");
  g_assert_cmpstr (second->ref, !=, first->ref);

  /* No reply: when the next is due the connection is declared dead. */
  tandem_manual_clock_advance (f->clock, 24999);
  g_assert_cmpint (tandem_client_get_status (f->client), ==, TANDEM_STATUS_CONNECTED);
  tandem_manual_clock_advance (f->clock, 1);
  g_assert_cmpint (tandem_client_get_status (f->client), ==, TANDEM_STATUS_RECONNECTING);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_RECONNECTING);
  rt_conn_wait_closed (conn);
  g_assert_cmpuint (conn->close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CHANNEL_ERROR), ==, 1);

  tandem_manual_clock_advance (f->clock, 1000);
  conn = rt_peer_wait_conn (f->peer, 1);
  join = rt_conn_accept_join (conn, "realtime:hb");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_SUBSCRIBED), ==, 1);
  tandem_client_disconnect (f->client);
}

/* The server closes the socket: channels go RECONNECTING, come back with a
 * new join_ref, and what was pushed meanwhile follows the rejoin. */
static void
test_server_close (RtFixture    *f,
                   gconstpointer data)
{
  static const TandemStatus expected[] = { TANDEM_STATUS_RECONNECTING, TANDEM_STATUS_CONNECTED };
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(RtRecorder) recorder = NULL;
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(TandemMessage) broadcast = NULL;
  g_autoptr(JsonNode) payload = rt_json ("{\"during\":\"outage\"}");
  RtResult sent = { 0 };
  RtConn *conn;

  channel = rt_join (f, "outage", NULL, &conn);
  recorder = rt_recorder_new (channel);
  rt_conn_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_RECONNECTING);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CHANNEL_ERROR), ==, 1);
  g_assert_cmpstr (recorder->errors->pdata[0], ==, "socket closed: 1001 ()");

  tandem_channel_send_broadcast_async (channel, "late", payload, NULL, rt_broadcast_cb, &sent);
  tandem_manual_clock_advance (f->clock, 1000);
  conn = rt_peer_wait_conn (f->peer, 1);
  join = rt_conn_accept_join (conn, "realtime:outage");
  g_assert_cmpstr (join->join_ref, !=, "1");
  broadcast = rt_conn_expect (conn, "realtime:outage", "broadcast");
  g_assert_cmpstr (broadcast->join_ref, ==, join->join_ref);
  g_assert_cmpstr (broadcast->user_event, ==, "late");
  TANDEM_WAIT_UNTIL (sent.done);
  g_assert_no_error (sent.error);

  g_assert_cmpuint (recorder->statuses->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpmem (recorder->statuses->data, recorder->statuses->len * sizeof (TandemStatus),
                   expected, sizeof expected);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_SUBSCRIBED), ==, 1);
  tandem_client_disconnect (f->client);
}

/* The network coming back tries at once, with the count reset; resuming
 * from suspend replaces a socket that looks open. */
static void
test_network_and_resume (RtFixture    *f,
                         gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemMessage) join = NULL;
  RtConn *conn;

  f->peer->refuse = 3;
  channel = tandem_client_channel (f->client, "net", NULL);
  tandem_channel_subscribe (channel);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (f->client) == 1);
  tandem_manual_clock_advance (f->clock, 1000);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (f->client) == 2);
  tandem_manual_clock_advance (f->clock, 2000);
  TANDEM_WAIT_UNTIL (_tandem_client_get_retries (f->client) == 3);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (f->client), ==, 4000);

  /* Going away changes nothing; coming back does, without the clock. */
  _tandem_client_network_changed (f->client, FALSE);
  g_assert_cmpint (_tandem_client_get_next_attempt_ms (f->client), ==, 4000);
  _tandem_client_network_changed (f->client, TRUE);
  conn = rt_peer_wait_conn (f->peer, 0);
  g_assert_cmpuint (f->peer->n_upgrades, ==, 4);
  join = rt_conn_accept_join (conn, "realtime:net");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (_tandem_client_get_retries (f->client), ==, 0);
  g_clear_pointer (&join, tandem_message_free);

  /* Resumed: a new socket at once, and the channel rejoins on it. */
  _tandem_client_resumed (f->client);
  rt_conn_wait_closed (conn);
  conn = rt_peer_wait_conn (f->peer, 1);
  join = rt_conn_accept_join (conn, "realtime:net");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  g_clear_pointer (&join, tandem_message_free);

  /* tandem_client_reconnect_now() does the same on demand. */
  tandem_client_reconnect_now (f->client);
  rt_conn_wait_closed (conn);
  conn = rt_peer_wait_conn (f->peer, 2);
  join = rt_conn_accept_join (conn, "realtime:net");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  tandem_client_disconnect (f->client);
}

/* An upgrade that never completes is given up after push-timeout. */
static void
test_handshake_timeout (RtFixture    *f,
                        gconstpointer data)
{
  f->peer->hold = TRUE;
  tandem_client_connect (f->client);
  TANDEM_WAIT_UNTIL (f->peer->held->len == 1);
  tandem_manual_clock_advance (f->clock, 9999);
  g_assert_cmpint (tandem_client_get_status (f->client), ==, TANDEM_STATUS_CONNECTING);
  tandem_manual_clock_advance (f->clock, 1);
  g_assert_cmpint (tandem_client_get_status (f->client), ==, TANDEM_STATUS_RECONNECTING);
  g_assert_cmpuint (_tandem_client_get_retries (f->client), ==, 1);
  tandem_client_disconnect (f->client);
}

/* Disconnect stops everything; channels stay subscribed and rejoin on the
 * next connect. */
static void
test_disconnect (RtFixture    *f,
                 gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(JsonNode) payload = rt_json ("{}");
  RtResult sent = { 0 };
  RtConn *conn;

  channel = rt_join (f, "bye", NULL, &conn);
  tandem_client_disconnect (f->client);
  g_assert_cmpint (tandem_client_get_status (f->client), ==, TANDEM_STATUS_DISCONNECTED);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_DISCONNECTED);
  rt_conn_wait_closed (conn);
  g_assert_cmpuint (conn->close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  /* Nothing waits any more (the channel is held: no prune timer either). */
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (f->clock), ==, 0);

  /* Pushes wait for the next connect. */
  tandem_channel_send_broadcast_async (channel, "x", payload, NULL, rt_broadcast_cb, &sent);
  rt_conn_assert_quiet (conn);
  g_assert_false (sent.done);

  tandem_client_connect (f->client);
  conn = rt_peer_wait_conn (f->peer, 1);
  join = rt_conn_accept_join (conn, "realtime:bye");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  tandem_message_free (rt_conn_expect (conn, "realtime:bye", "broadcast"));
  TANDEM_WAIT_UNTIL (sent.done);
  g_assert_no_error (sent.error);
  tandem_client_disconnect (f->client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/realtime/reconnect/schedule", test_schedule);
  g_test_add_func ("/realtime/reconnect/jitter", test_jitter);
#define ADD(path, func) g_test_add (path, RtFixture, V2, rt_fixture_setup, func, rt_fixture_teardown)
  ADD ("/realtime/reconnect/rapid-close", test_rapid_close);
  ADD ("/realtime/reconnect/heartbeat", test_heartbeat);
  ADD ("/realtime/reconnect/server-close", test_server_close);
  ADD ("/realtime/reconnect/network-and-resume", test_network_and_resume);
  ADD ("/realtime/reconnect/handshake-timeout", test_handshake_timeout);
  ADD ("/realtime/reconnect/disconnect", test_disconnect);
#undef ADD

  return g_test_run ();
}
