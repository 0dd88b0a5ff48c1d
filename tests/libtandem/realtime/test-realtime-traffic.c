/* test-realtime-traffic.c: what flows on joined channels: server closes and
 * token expiry, the push buffer and its bound, pacing to the rate limits,
 * access tokens, sign-out, presence, diagnostics, and malformed frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rt-test.h"

#define V1 GINT_TO_POINTER (TANDEM_PROTOCOL_1_0_0)
#define V2 GINT_TO_POINTER (TANDEM_PROTOCOL_2_0_0)

static void
collect_event (TandemChannel *channel,
               const char    *event,
               JsonNode      *payload,
               GPtrArray     *events)
{
  g_ptr_array_add (events, g_strdup (event));
}

/* phx_close: CLOSED and no rejoin; after a token-expiry system error:
 * refresh and rejoin (P2) */

static void
test_server_close (RtFixture    *f,
                   gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(RtRecorder) recorder = NULL;
  g_autoptr(TandemMessage) join = NULL;
  RtConn *conn;

  channel = rt_join (f, "closing", NULL, &conn);
  recorder = rt_recorder_new (channel);

  /* The token expired: system error, then phx_close (ref = join_ref) */
  tandem_client_set_access_token (f->client, "fresh-token");
  tandem_message_free (rt_conn_expect (conn, "realtime:closing", "access_token"));
  rt_conn_send (conn, "1", NULL, "realtime:closing", "system",
                "{\"extension\":\"system\",\"status\":\"error\",\"message\":\"Token has expired 3 seconds ago\","
                "\"channel\":\"closing\"}");
  rt_conn_send (conn, "1", "1", "realtime:closing", "phx_close", NULL);
  join = rt_conn_accept_join (conn, "realtime:closing");
  g_assert_cmpstr (json_object_get_string_member (tandem_message_get_payload_object (join), "access_token"), ==,
                   "fresh-token");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CHANNEL_ERROR), ==, 1);
  g_assert_cmpstr (recorder->errors->pdata[0], ==, "Token has expired 3 seconds ago");
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_SUBSCRIBED), ==, 1);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CLOSED), ==, 0);

  /* Any other reason: closed for good, as realtime-js */
  rt_conn_send (conn, join->ref, NULL, "realtime:closing", "system",
                "{\"extension\":\"system\",\"status\":\"error\",\"message\":\"Client presence rate limit exceeded\","
                "\"channel\":\"closing\"}");
  rt_conn_send (conn, join->ref, join->ref, "realtime:closing", "phx_close", NULL);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_DISCONNECTED);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CLOSED), ==, 1);
  g_assert_cmpstr (tandem_channel_get_last_error (channel), ==, "Client presence rate limit exceeded");
  tandem_manual_clock_advance (f->clock, 120000);
  rt_conn_assert_quiet (conn);

  /* It may be subscribed again. */
  g_clear_pointer (&join, tandem_message_free);
  tandem_channel_subscribe (channel);
  join = rt_conn_accept_join (conn, "realtime:closing");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  tandem_client_disconnect (f->client);
}

/* The push buffer while not joined: flushed in order after the rejoin,
 * bounded at 100 (the oldest fails with BUFFER_FULL) */

static void
test_buffer (RtFixture    *f,
             gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemMessage) join = NULL;
  RtResult results[101] = { { 0 } };
  RtConn *conn;

  channel = rt_join (f, "buffer", NULL, &conn);
  rt_conn_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_RECONNECTING);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *event = g_strdup_printf ("e%u", i);
      g_autoptr(JsonNode) payload = rt_json ("{}");

      tandem_channel_send_broadcast_async (channel, event, payload, NULL, rt_broadcast_cb, &results[i]);
    }
  TANDEM_WAIT_UNTIL (results[0].done);
  g_assert_error (results[0].error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_BUFFER_FULL);
  g_assert_false (results[1].done);

  tandem_manual_clock_advance (f->clock, 1000);
  conn = rt_peer_wait_conn (f->peer, 1);
  join = rt_conn_accept_join (conn, "realtime:buffer");
  for (guint i = 1; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(TandemMessage) broadcast = rt_conn_expect (conn, "realtime:buffer", "broadcast");
      g_autofree char *event = g_strdup_printf ("e%u", i);

      /* refs are given when flushed: the new join's join_ref */
      g_assert_cmpstr (broadcast->join_ref, ==, join->ref);
      g_assert_cmpstr (broadcast->user_event, ==, event);
    }
  for (guint i = 1; i < G_N_ELEMENTS (results); i++)
    {
      TANDEM_WAIT_UNTIL (results[i].done);
      g_assert_no_error (results[i].error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    rt_result_clear (&results[i]);
  tandem_client_disconnect (f->client);
}

/* Pacing: events per second for broadcasts, 5 per 30 s for presence;
 * delayed in order, none dropped */

static void
test_pacing (gconstpointer data)
{
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (0);
  RtPeer *peer = rt_peer_new ();
  RtFixture fixture = { peer, clock, NULL };
  RtFixture *f = &fixture;
  g_autoptr(TandemChannel) channel = NULL;
  RtResult sent[5] = { { 0 } };
  RtResult tracked[7] = { { 0 } };
  guint per_second = 0;
  RtConn *conn;

  f->client = rt_client_new (clock, peer->url, TANDEM_PROTOCOL_2_0_0, "events-per-second", 2,
                             "heartbeat-interval", 0, NULL);
  g_object_get (f->client, "events-per-second", &per_second, NULL);
  g_assert_cmpuint (per_second, ==, 2);
  channel = rt_join (f, "paced", NULL, &conn);

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_autofree char *event = g_strdup_printf ("b%u", i);
      g_autoptr(JsonNode) payload = rt_json ("{}");

      tandem_channel_send_broadcast_async (channel, event, payload, NULL, rt_broadcast_cb, &sent[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tracked); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"n\":%u}", i);
      g_autoptr(JsonNode) meta = rt_json (text);

      tandem_channel_track_async (channel, json_node_get_object (meta), NULL, rt_track_cb, &tracked[i]);
    }

  /* Two broadcasts and five tracks at once… */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TandemMessage) message = rt_conn_expect (conn, "realtime:paced", "broadcast");
      g_autofree char *event = g_strdup_printf ("b%u", i);

      g_assert_cmpstr (message->user_event, ==, event);
    }
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TandemMessage) message = rt_conn_expect (conn, "realtime:paced", "presence");
      JsonObject *payload = json_object_get_object_member (tandem_message_get_payload_object (message), "payload");

      g_assert_cmpint (json_object_get_int_member (payload, "n"), ==, i);
      rt_conn_reply (conn, message, "ok", NULL);
    }
  rt_conn_assert_quiet (conn);

  /* …two more a second later… */
  tandem_manual_clock_advance (clock, 999);
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (clock, 1);
  for (guint i = 2; i < 4; i++)
    {
      g_autoptr(TandemMessage) message = rt_conn_expect (conn, "realtime:paced", "broadcast");
      g_autofree char *event = g_strdup_printf ("b%u", i);

      g_assert_cmpstr (message->user_event, ==, event);
    }
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (clock, 1000);
  {
    g_autoptr(TandemMessage) message = rt_conn_expect (conn, "realtime:paced", "broadcast");

    g_assert_cmpstr (message->user_event, ==, "b4");
  }

  /* …and the last tracks when the 30 s window allows. */
  tandem_manual_clock_advance (clock, 27999);
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (clock, 1);
  for (guint i = 5; i < 7; i++)
    {
      g_autoptr(TandemMessage) message = rt_conn_expect (conn, "realtime:paced", "presence");
      JsonObject *payload = json_object_get_object_member (tandem_message_get_payload_object (message), "payload");

      g_assert_cmpint (json_object_get_int_member (payload, "n"), ==, i);
      rt_conn_reply (conn, message, "ok", NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      TANDEM_WAIT_UNTIL (sent[i].done);
      g_assert_no_error (sent[i].error);
      rt_result_clear (&sent[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tracked); i++)
    {
      TANDEM_WAIT_UNTIL (tracked[i].done);
      g_assert_no_error (tracked[i].error);
      rt_result_clear (&tracked[i]);
    }

  tandem_client_disconnect (f->client);
  g_clear_object (&channel);
  rt_fixture_teardown (f, data);
  g_steal_pointer (&clock);
}

/* Tokens: every joined channel gets access_token at once (no reply
 * awaited, P11); joins carry the latest */

static void
test_access_token (RtFixture    *f,
                   gconstpointer data)
{
  g_autoptr(TandemChannel) a = NULL;
  g_autoptr(TandemChannel) b = NULL;
  g_autoptr(TandemChannel) pending = NULL;
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(TandemMessage) rejoin = NULL;
  g_autoptr(TandemMessage) token_a = NULL;
  g_autoptr(TandemMessage) token_b = NULL;
  RtConn *conn;

  a = rt_join (f, "a", NULL, &conn);
  b = rt_join (f, "b", NULL, NULL);
  pending = tandem_client_channel (f->client, "pending", NULL);
  tandem_channel_subscribe (pending);
  join = rt_conn_expect (conn, "realtime:pending", "phx_join");
  g_assert_cmpstr (json_object_get_string_member (tandem_message_get_payload_object (join), "access_token"), ==,
                   "test-key");

  tandem_client_set_access_token (f->client, "tok2");
  g_assert_cmpstr (tandem_client_get_access_token (f->client), ==, "tok2");
  token_a = rt_conn_expect (conn, "realtime:a", "access_token");
  token_b = rt_conn_expect (conn, "realtime:b", "access_token");
  g_assert_cmpstr (json_object_get_string_member (tandem_message_get_payload_object (token_a), "access_token"), ==,
                   "tok2");
  g_assert_cmpstr (token_a->join_ref, !=, token_b->join_ref);
  /* The same token again changes nothing. */
  tandem_client_set_access_token (f->client, "tok2");
  rt_conn_assert_quiet (conn);

  /* No reply ever comes, and that is not an error. */
  tandem_manual_clock_advance (f->clock, 10000);
  g_assert_cmpint (tandem_channel_get_status (a), ==, TANDEM_STATUS_CONNECTED);
  g_assert_cmpint (tandem_channel_get_status (b), ==, TANDEM_STATUS_CONNECTED);

  /* The join that was under way timed out meanwhile; its rejoin carries
   * the new token. */
  tandem_message_free (rt_conn_expect (conn, "realtime:pending", "phx_leave"));
  tandem_manual_clock_advance (f->clock, 1000);
  rejoin = rt_conn_expect (conn, "realtime:pending", "phx_join");
  g_assert_cmpstr (json_object_get_string_member (tandem_message_get_payload_object (rejoin), "access_token"), ==,
                   "tok2");
  tandem_client_disconnect (f->client);
}

/* Signing out removes every channel at once. */
static void
test_sign_out (RtFixture    *f,
               gconstpointer data)
{
  g_autoptr(TandemChannel) a = NULL;
  g_autoptr(TandemChannel) b = NULL;
  g_autoptr(RtRecorder) recorder = NULL;
  GListModel *model = tandem_client_get_channels (f->client);
  RtConn *conn;

  a = rt_join (f, "a", NULL, &conn);
  b = rt_join (f, "b", NULL, NULL);
  recorder = rt_recorder_new (a);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  g_signal_emit_by_name (tandem_client_get_auth (f->client), "session-changed", TANDEM_AUTH_SIGNED_OUT, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpint (tandem_channel_get_status (a), ==, TANDEM_STATUS_DISCONNECTED);
  g_assert_cmpint (tandem_channel_get_status (b), ==, TANDEM_STATUS_DISCONNECTED);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CLOSED), ==, 1);
  g_assert_null (tandem_channel_get_client (a));
  tandem_message_free (rt_conn_expect (conn, "realtime:a", "phx_leave"));
  tandem_message_free (rt_conn_expect (conn, "realtime:b", "phx_leave"));

  /* Removed channels stay removed. */
  tandem_channel_subscribe (a);
  g_assert_cmpint (tandem_channel_get_status (a), ==, TANDEM_STATUS_DISCONNECTED);
  rt_conn_assert_quiet (conn);
  tandem_client_disconnect (f->client);
}

/* Presence, forwarded from the channel's TandemPresence */

typedef struct
{
  guint syncs;
  GPtrArray *log;
} PresenceLog;

static void
on_sync (TandemChannel *channel,
         PresenceLog   *log)
{
  log->syncs++;
}

static void
on_join (TandemChannel *channel,
         const char    *key,
         JsonArray     *current,
         JsonArray     *added,
         PresenceLog   *log)
{
  g_ptr_array_add (log->log, g_strdup_printf ("join %s %u+%u", key, json_array_get_length (current),
                                              json_array_get_length (added)));
}

static void
on_leave (TandemChannel *channel,
          const char    *key,
          JsonArray     *current,
          JsonArray     *left,
          PresenceLog   *log)
{
  g_ptr_array_add (log->log, g_strdup_printf ("leave %s %u-%u", key, json_array_get_length (current),
                                              json_array_get_length (left)));
}

static void
test_presence (RtFixture    *f,
               gconstpointer data)
{
  g_autoptr(TandemChannelOptions) options = tandem_channel_options_new ();
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemMessage) join = NULL;
  PresenceLog log = { 0, g_ptr_array_new_with_free_func (g_free) };
  TandemPresence *presence;
  JsonObject *config;
  RtConn *conn;

  tandem_channel_options_set_presence_key (options, "alice");
  tandem_channel_options_set_broadcast_self (options, TRUE);
  tandem_channel_options_set_private (options, TRUE);
  channel = tandem_client_channel (f->client, "room", options);
  /* The channel copied them. */
  tandem_channel_options_set_presence_key (options, "changed");
  presence = tandem_channel_get_presence (channel);
  g_signal_connect (channel, "presence-sync", G_CALLBACK (on_sync), &log);
  g_signal_connect (channel, "presence-join", G_CALLBACK (on_join), &log);
  g_signal_connect (channel, "presence-leave", G_CALLBACK (on_leave), &log);

  tandem_channel_subscribe (channel);
  conn = rt_peer_wait_conn (f->peer, 0);
  join = rt_conn_accept_join (conn, "realtime:room");
  config = json_object_get_object_member (tandem_message_get_payload_object (join), "config");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "presence"), "key"), ==,
                   "alice");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (config, "broadcast"), "self"));
  g_assert_true (json_object_get_boolean_member (config, "private"));

  /* A diff before the state waits for it (P8). */
  rt_conn_send (conn, NULL, NULL, "realtime:room", "presence_diff",
                "{\"joins\":{\"bob\":{\"metas\":[{\"phx_ref\":\"b1\",\"n\":1}]}},\"leaves\":{}}");
  rt_conn_send (conn, join->ref, NULL, "realtime:room", "presence_state",
                "{\"alice\":{\"metas\":[{\"phx_ref\":\"a1\"}]}}");
  TANDEM_WAIT_UNTIL (log.syncs == 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (presence)), ==, 2);
  rt_conn_send (conn, NULL, NULL, "realtime:room", "presence_diff",
                "{\"joins\":{},\"leaves\":{\"bob\":{\"metas\":[{\"phx_ref\":\"b1\",\"n\":1}]}}}");
  TANDEM_WAIT_UNTIL (log.syncs == 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (presence)), ==, 1);
  g_assert_cmpuint (log.log->len, ==, 3);
  g_assert_cmpstr (log.log->pdata[0], ==, "join alice 0+1");
  g_assert_cmpstr (log.log->pdata[1], ==, "join bob 0+1");
  g_assert_cmpstr (log.log->pdata[2], ==, "leave bob 0-1");

  /* Leaving empties it. */
  tandem_channel_unsubscribe (channel);
  {
    g_autoptr(TandemMessage) leave = rt_conn_expect (conn, "realtime:room", "phx_leave");

    rt_conn_reply (conn, leave, "ok", NULL);
  }
  TANDEM_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (presence)) == 0);
  g_ptr_array_unref (log.log);
  tandem_client_disconnect (f->client);
}

/* Diagnostics */

static void
test_debug_info (RtFixture    *f,
                 gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  JsonObject *info, *entry;
  JsonArray *channels;
  RtConn *conn;

  node = tandem_client_get_debug_info (f->client);
  info = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "disconnected");
  g_assert_true (json_object_get_null_member (info, "heartbeat_rtt_ms"));
  g_assert_true (json_object_get_null_member (info, "connected_since"));
  g_clear_pointer (&node, json_node_unref);

  channel = rt_join (f, "diag", NULL, &conn);
  g_signal_connect (channel, "broadcast", G_CALLBACK (collect_event), events);
  rt_conn_send (conn, NULL, NULL, "realtime:diag", "broadcast", "{\"type\":\"broadcast\",\"event\":\"e\",\"payload\":{}}");
  TANDEM_WAIT_UNTIL (events->len == 1);
  tandem_manual_clock_advance (f->clock, 1500);

  node = tandem_client_get_debug_info (f->client);
  info = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "connected");
  g_assert_cmpstr (json_object_get_string_member (info, "protocol"), ==, "2.0.0");
  g_assert_cmpint (json_object_get_int_member (info, "retries"), ==, 0);
  g_assert_true (json_object_get_null_member (info, "next_attempt_ms"));
  g_assert_cmpstr (json_object_get_string_member (info, "connected_since"), ==, "2026-01-01T00:00:00Z");
  g_assert_cmpint (json_object_get_int_member (info, "messages_in"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (info, "messages_out"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (info, "bytes_out"), >, 100);
  channels = json_object_get_array_member (info, "channels");
  g_assert_cmpuint (json_array_get_length (channels), ==, 1);
  entry = json_array_get_object_element (channels, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "diag");
  g_assert_cmpstr (json_object_get_string_member (entry, "topic"), ==, "realtime:diag");
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "connected");
  g_assert_cmpstr (json_object_get_string_member (entry, "subscribe_state"), ==, "SUBSCRIBED");
  g_assert_cmpint (json_object_get_int_member (entry, "time_in_state_ms"), ==, 1500);
  g_assert_cmpint (json_object_get_int_member (entry, "messages_in"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (entry, "messages_out"), ==, 1);
  g_assert_true (json_object_get_null_member (entry, "last_error"));
  g_assert_true (json_object_has_member (entry, "bytes_in"));
  g_assert_true (json_object_has_member (entry, "bytes_out"));
  g_assert_true (json_object_has_member (entry, "retries"));
  tandem_client_disconnect (f->client);
}

/* Whatever a broken server sends is dropped; nothing else is disturbed */

static void
test_malformed (gconstpointer data)
{
  static const char * const texts_v2[] = {
    "not json", "[1,2]", "{}", "[null,null,\"realtime:a\",\"broadcast\"]", "[null,null,5,\"broadcast\",{}]",
    "[null,null,\"realtime:a\",\"broadcast\",{\"type\":\"broadcast\",\"payload\":{}}]",
    "[null,null,\"realtime:a\",\"broadcast\",[1]]",
    "[null,null,\"realtime:a\",\"what\",{}]", "[null,null,\"realtime:nowhere\",\"broadcast\",{}]",
    "[null,null,\"realtime:a\",\"postgres_changes\",{\"data\":{}}]",
    "[null,null,\"realtime:a\",\"postgres_changes\",{\"ids\":[1000],\"data\":{\"type\":\"TRUNCATE\"}}]",
    "[null,null,\"realtime:a\",\"presence_state\",[]]",
    "[null,null,\"realtime:a\",\"presence_diff\",{\"joins\":5}]",
    "[null,\"1\",\"realtime:a\",\"phx_reply\",{\"response\":{}}]",
    "[null,null,\"realtime:a\",\"phx_reply\",{\"status\":\"ok\"}]",
    "[null,null,\"realtime:a\",\"system\",\"text\"]",
    "[null,\"77\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]",
    "[null,null,\"phoenix\",\"heartbeat\",{}]",
    "[\"\\ud800\",null,\"realtime:a\",\"broadcast\",{}]",
    "[null,null,\"realtime:a\",\"broadcast\",{\"type\":\"broadcast\",\"event\":\"batch_messages\",\"payload\":{\"messages\":[5,{\"event\":\"x\",\"payload\":1}]}}]",
  };
  static const char * const texts_v1[] = {
    "not json", "[null,null,\"realtime:a\",\"broadcast\",{}]", "{\"topic\":\"realtime:a\"}",
    "{\"topic\":\"realtime:a\",\"event\":\"broadcast\",\"payload\":{},\"ref\":5}",
  };
  static const guint8 kind0[] = { 0, 1, 1, 1, 1, 'a', 'b', 'c', 'd' };
  static const guint8 kind2[] = { 2, 1, 1, 'a', 'b', '{', '}' };
  static const guint8 kind3[] = "\x03\x00\x00\x0a\x01\x00\x01" "realtime:a" "e" "{}";
  static const guint8 kind9[] = { 9, 0, 0 };
  static const guint8 truncated4[] = { 4, 10, 1, 0, 1, 'r', 'e' };
  static const guint8 badjson4[] = "\x04\x0a\x01\x00\x01" "realtime:a" "e" "{x";
  TandemProtocolVersion version = GPOINTER_TO_INT (data);
  gboolean v2 = version == TANDEM_PROTOCOL_2_0_0;
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (0);
  RtPeer *peer = rt_peer_new ();
  RtFixture fixture = { peer, clock, NULL };
  RtFixture *f = &fixture;
  g_autoptr(TandemChannel) a = NULL;
  g_autoptr(TandemChannel) b = NULL;
  g_autoptr(GPtrArray) events_a = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) events_b = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *big = NULL;
  g_autofree char *huge = NULL;
  RtConn *conn;

  f->client = rt_client_new (clock, peer->url, version, "max-message-size", (guint64) 65536,
                             "heartbeat-interval", 0, NULL);
  a = rt_join (f, "a", NULL, &conn);
  b = rt_join (f, "b", NULL, NULL);
  g_signal_connect (a, "broadcast", G_CALLBACK (collect_event), events_a);
  g_signal_connect (b, "broadcast", G_CALLBACK (collect_event), events_b);

  if (v2)
    for (guint i = 0; i < G_N_ELEMENTS (texts_v2); i++)
      rt_conn_send_text (conn, texts_v2[i]);
  else
    for (guint i = 0; i < G_N_ELEMENTS (texts_v1); i++)
      rt_conn_send_text (conn, texts_v1[i]);
  /* Unknown binary kinds, Phoenix-native ones, ours, broken ones */
  rt_conn_send_binary (conn, kind0, sizeof kind0);
  rt_conn_send_binary (conn, kind2, sizeof kind2);
  rt_conn_send_binary (conn, kind3, sizeof kind3 - 1);
  rt_conn_send_binary (conn, kind9, sizeof kind9);
  rt_conn_send_binary (conn, "", 0);
  rt_conn_send_binary (conn, truncated4, sizeof truncated4);
  rt_conn_send_binary (conn, badjson4, sizeof badjson4 - 1);
  /* Over max-message-size: dropped too */
  big = g_strdup_printf ("[null,null,\"realtime:a\",\"broadcast\",{\"type\":\"broadcast\",\"event\":\"big\","
                         "\"payload\":\"%0*d\"}]", 70000, 0);
  rt_conn_send_text (conn, big);

  rt_conn_send (conn, NULL, NULL, "realtime:b", "broadcast", "{\"type\":\"broadcast\",\"event\":\"ok-b\",\"payload\":{}}");
  rt_conn_send (conn, NULL, NULL, "realtime:a", "broadcast", "{\"type\":\"broadcast\",\"event\":\"ok-a\",\"payload\":{}}");
  /* (the good message of a batch with a bad one is delivered) */
  TANDEM_WAIT_UNTIL (events_a->len == (v2 ? 2 : 1) && events_b->len == 1);
  if (v2)
    g_assert_cmpstr (events_a->pdata[0], ==, "x");
  g_assert_cmpstr (events_a->pdata[events_a->len - 1], ==, "ok-a");
  g_assert_cmpstr (events_b->pdata[0], ==, "ok-b");
  g_assert_cmpint (tandem_channel_get_status (a), ==, TANDEM_STATUS_CONNECTED);
  g_assert_cmpint (tandem_channel_get_status (b), ==, TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (peer->conns->len, ==, 1);
  g_assert_false (conn->closed);

  /* Beyond twice the limit libsoup stops reading (a runaway peer): the
   * socket is replaced and both channels come back. */
  huge = g_strnfill (140000, 'x');
  rt_conn_send_text (conn, huge);
  TANDEM_WAIT_UNTIL (tandem_client_get_status (f->client) == TANDEM_STATUS_RECONNECTING);
  tandem_manual_clock_advance (clock, 1000);
  conn = rt_peer_wait_conn (peer, 1);
  {
    G_GNUC_UNUSED g_autoptr(TandemMessage) join_a = rt_conn_accept_join (conn, "realtime:a");
    G_GNUC_UNUSED g_autoptr(TandemMessage) join_b = rt_conn_accept_join (conn, "realtime:b");

    TANDEM_WAIT_UNTIL (tandem_channel_get_status (a) == TANDEM_STATUS_CONNECTED &&
                       tandem_channel_get_status (b) == TANDEM_STATUS_CONNECTED);
  }

  tandem_client_disconnect (f->client);
  g_clear_object (&a);
  g_clear_object (&b);
  rt_fixture_teardown (f, data);
  g_steal_pointer (&clock);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, RtFixture, V2, rt_fixture_setup_no_heartbeat, func, rt_fixture_teardown)
  ADD ("/realtime/traffic/server-close", test_server_close);
  ADD ("/realtime/traffic/buffer", test_buffer);
  g_test_add_data_func ("/realtime/traffic/pacing", V2, test_pacing);
  ADD ("/realtime/traffic/access-token", test_access_token);
  ADD ("/realtime/traffic/sign-out", test_sign_out);
  ADD ("/realtime/traffic/presence", test_presence);
  ADD ("/realtime/traffic/debug-info", test_debug_info);
  g_test_add_data_func ("/realtime/traffic/malformed/v1", V1, test_malformed);
  g_test_add_data_func ("/realtime/traffic/malformed/v2", V2, test_malformed);
#undef ADD

  return g_test_run ();
}
