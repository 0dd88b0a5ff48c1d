/* test-realtime-frames.c: what the client puts on the wire and how it reads
 * what comes back: byte-exact frames on both protocol versions, replies
 * matched to pushes, timeouts, incoming broadcasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rt-test.h"

#define V1 GINT_TO_POINTER (TANDEM_PROTOCOL_1_0_0)
#define V2 GINT_TO_POINTER (TANDEM_PROTOCOL_2_0_0)

static gboolean
is_v2 (gconstpointer data)
{
  return GPOINTER_TO_INT (data) == TANDEM_PROTOCOL_2_0_0;
}

/* The URL: /realtime/v1/websocket?apikey=<urlencoded>&vsn=… (§1.1) */

static void
test_url (void)
{
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (0);
  RtPeer *peer = rt_peer_new ();
  TandemClient *client;
  RtConn *conn;
  g_autoptr(JsonNode) info = NULL;
  const char *url;

  client = g_object_new (TANDEM_TYPE_CLIENT, "url", peer->url, "api-key", "a b+c/d=é",
                         "protocol-version", TANDEM_PROTOCOL_1_0_0, NULL);
  _tandem_client_set_clock (client, clock);
  _tandem_client_set_system_integration (client, FALSE);
  g_assert_cmpint (tandem_client_get_status (client), ==, TANDEM_STATUS_DISCONNECTED);

  tandem_client_connect (client);
  g_assert_cmpint (tandem_client_get_status (client), ==, TANDEM_STATUS_CONNECTING);
  conn = rt_peer_wait_conn (peer, 0);
  g_assert_cmpstr (conn->query, ==, "apikey=a%20b%2Bc%2Fd%3D%C3%A9&vsn=1.0.0");
  TANDEM_WAIT_UNTIL (tandem_client_get_status (client) == TANDEM_STATUS_CONNECTED);

  /* The debug info never shows the key. */
  info = tandem_client_get_debug_info (client);
  url = json_object_get_string_member (json_node_get_object (info), "url");
  g_assert_true (g_str_has_prefix (url, "ws://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/realtime/v1/websocket?vsn=1.0.0"));
  g_assert_null (strstr (url, "apikey"));

  tandem_client_disconnect (client);
  g_assert_cmpint (tandem_client_get_status (client), ==, TANDEM_STATUS_DISCONNECTED);
  rt_conn_wait_closed (conn);
  g_assert_cmpuint (conn->close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_assert_finalize_object (client);
  rt_peer_free (peer);
}

static void
test_url_default_vsn (RtFixture    *f,
                      gconstpointer data)
{
  RtConn *conn;

  tandem_client_connect (f->client);
  conn = rt_peer_wait_conn (f->peer, 0);
  g_assert_cmpstr (conn->query, ==, is_v2 (data) ? "apikey=test-key&vsn=2.0.0" : "apikey=test-key&vsn=1.0.0");
  tandem_client_disconnect (f->client);
}

/* Every kind of frame, byte for byte */

/* Returns the frame, decoded. */
static TandemMessage *
assert_text (RtConn     *conn,
             const char *expected)
{
  g_autoptr(RtFrame) frame = rt_conn_next_frame (conn);
  gsize size = 0;
  const char *data = g_bytes_get_data (frame->data, &size);
  g_autofree char *text = g_strndup (data, size);

  g_assert_cmpint (frame->type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_cmpstr (text, ==, expected);
  g_assert_nonnull (frame->message);
  return g_steal_pointer (&frame->message);
}

static void
assert_binary (RtConn       *conn,
               const guint8 *expected,
               gsize         length)
{
  g_autoptr(RtFrame) frame = rt_conn_next_frame (conn);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (frame->data, &size);

  g_assert_cmpint (frame->type, ==, SOUP_WEBSOCKET_DATA_BINARY);
  g_assert_cmpmem (data, size, expected, length);
}

static void
test_frames (RtFixture    *f,
             gconstpointer data)
{
  g_autoptr(TandemChannel) channel = tandem_client_channel (f->client, "room1", NULL);
  g_autoptr(JsonNode) cursor = rt_json ("{\"x\":1}");
  g_autoptr(JsonNode) meta = rt_json ("{\"user\":\"alice\"}");
  RtResult sent = { 0 }, tracked = { 0 }, untracked = { 0 };
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(TandemMessage) track = NULL;
  g_autoptr(TandemMessage) untrack = NULL;
  RtConn *conn;
  const char *join_config = "{\"config\":{\"broadcast\":{\"self\":false,\"ack\":false},"
                            "\"presence\":{\"key\":\"\",\"enabled\":true},"
                            "\"postgres_changes\":[],\"private\":false},\"access_token\":\"test-key\"}";
  g_autofree char *expected = NULL;

  tandem_channel_subscribe (channel);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTING);
  conn = rt_peer_wait_conn (f->peer, 0);

  /* phx_join: ref == join_ref, from one counter */
  if (is_v2 (data))
    expected = g_strdup_printf ("[\"1\",\"1\",\"realtime:room1\",\"phx_join\",%s]", join_config);
  else
    expected = g_strdup_printf ("{\"topic\":\"realtime:room1\",\"event\":\"phx_join\",\"payload\":%s,"
                                "\"ref\":\"1\",\"join_ref\":\"1\"}", join_config);
  {
    g_autoptr(RtFrame) frame = rt_conn_next_frame (conn);
    g_autofree char *text = g_strndup (g_bytes_get_data (frame->data, NULL), g_bytes_get_size (frame->data));

    g_assert_cmpstr (text, ==, expected);
    join = g_steal_pointer (&frame->message);
  }
  rt_conn_reply (conn, join, "ok", "{\"postgres_changes\":[]}");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);

  /* broadcast: binary kind 3 on 2.0.0 (the realtime-js example layout),
   * a JSON object on 1.0.0 */
  tandem_channel_send_broadcast_async (channel, "cursor", cursor, NULL, rt_broadcast_cb, &sent);
  if (is_v2 (data))
    {
      static const guint8 kind3[] = "\x03\x01\x01\x0e\x06\x00\x01" "1" "2" "realtime:room1" "cursor" "{\"x\":1}";

      assert_binary (conn, kind3, sizeof kind3 - 1);
    }
  else
    tandem_message_free (assert_text (conn, "{\"topic\":\"realtime:room1\",\"event\":\"broadcast\",\"payload\":{\"type\":\"broadcast\","
                       "\"event\":\"cursor\",\"payload\":{\"x\":1}},\"ref\":\"2\",\"join_ref\":\"1\"}"));
  /* No ack asked: done once sent. */
  TANDEM_WAIT_UNTIL (sent.done);
  g_assert_no_error (sent.error);

  /* presence track and untrack: always text */
  tandem_channel_track_async (channel, json_node_get_object (meta), NULL, rt_track_cb, &tracked);
  if (is_v2 (data))
    track = assert_text (conn, "[\"1\",\"3\",\"realtime:room1\",\"presence\",{\"type\":\"presence\",\"event\":\"track\","
                       "\"payload\":{\"user\":\"alice\"}}]");
  else
    track = assert_text (conn, "{\"topic\":\"realtime:room1\",\"event\":\"presence\",\"payload\":{\"type\":\"presence\","
                       "\"event\":\"track\",\"payload\":{\"user\":\"alice\"}},\"ref\":\"3\",\"join_ref\":\"1\"}");
  tandem_channel_untrack_async (channel, NULL, rt_untrack_cb, &untracked);
  if (is_v2 (data))
    untrack = assert_text (conn, "[\"1\",\"4\",\"realtime:room1\",\"presence\",{\"type\":\"presence\",\"event\":\"untrack\"}]");
  else
    untrack = assert_text (conn, "{\"topic\":\"realtime:room1\",\"event\":\"presence\",\"payload\":{\"type\":\"presence\","
                       "\"event\":\"untrack\"},\"ref\":\"4\",\"join_ref\":\"1\"}");
  rt_conn_reply (conn, track, "ok", NULL);
  rt_conn_reply (conn, untrack, "ok", NULL);
  TANDEM_WAIT_UNTIL (tracked.done && untracked.done);
  g_assert_no_error (tracked.error);
  g_assert_no_error (untracked.error);

  /* the heartbeat, 25 s after the open whatever else happened */
  tandem_manual_clock_advance (f->clock, 25000);
  if (is_v2 (data))
    tandem_message_free (assert_text (conn, "[null,\"5\",\"phoenix\",\"heartbeat\",{}]"));
  else
    tandem_message_free (assert_text (conn, "{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":\"5\",\"join_ref\":null}"));

  /* access_token when the token changes */
  tandem_client_set_access_token (f->client, "new-token");
  if (is_v2 (data))
    tandem_message_free (assert_text (conn, "[\"1\",\"6\",\"realtime:room1\",\"access_token\",{\"access_token\":\"new-token\"}]"));
  else
    tandem_message_free (assert_text (conn, "{\"topic\":\"realtime:room1\",\"event\":\"access_token\",\"payload\":"
                       "{\"access_token\":\"new-token\"},\"ref\":\"6\",\"join_ref\":\"1\"}"));

  /* phx_leave */
  tandem_channel_unsubscribe (channel);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_DISCONNECTED);
  if (is_v2 (data))
    tandem_message_free (assert_text (conn, "[\"1\",\"7\",\"realtime:room1\",\"phx_leave\",{}]"));
  else
    tandem_message_free (assert_text (conn, "{\"topic\":\"realtime:room1\",\"event\":\"phx_leave\",\"payload\":{},"
                       "\"ref\":\"7\",\"join_ref\":\"1\"}"));

  rt_result_clear (&sent);
  rt_result_clear (&tracked);
  rt_result_clear (&untracked);
  tandem_client_disconnect (f->client);
}

/* Replies are matched by ref, whatever their order */

static void
test_replies (RtFixture    *f,
              gconstpointer data)
{
  g_autoptr(TandemChannelOptions) options = tandem_channel_options_new ();
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(JsonNode) payload = rt_json ("{\"n\":1}");
  g_autoptr(JsonNode) meta = rt_json ("{\"user\":\"alice\"}");
  g_autoptr(TandemMessage) first = NULL;
  g_autoptr(TandemMessage) second = NULL;
  g_autoptr(TandemMessage) third = NULL;
  g_autoptr(TandemMessage) track = NULL;
  RtResult a = { 0 }, b = { 0 }, c = { 0 }, t = { 0 };
  RtConn *conn;

  tandem_channel_options_set_broadcast_ack (options, TRUE);
  channel = rt_join (f, "acks", options, &conn);

  tandem_channel_send_broadcast_async (channel, "a", payload, NULL, rt_broadcast_cb, &a);
  tandem_channel_send_broadcast_async (channel, "b", payload, NULL, rt_broadcast_cb, &b);
  tandem_channel_send_broadcast_async (channel, "c", payload, NULL, rt_broadcast_cb, &c);
  first = rt_conn_expect (conn, "realtime:acks", "broadcast");
  second = rt_conn_expect (conn, "realtime:acks", "broadcast");
  third = rt_conn_expect (conn, "realtime:acks", "broadcast");
  g_assert_cmpstr (first->join_ref, ==, second->join_ref);
  g_assert_cmpstr (first->ref, !=, second->ref);

  /* The second answered first; a stray ref changes nothing. */
  rt_conn_send (conn, first->join_ref, "999", "realtime:acks", "phx_reply", "{\"status\":\"ok\",\"response\":{}}");
  rt_conn_reply (conn, second, "ok", NULL);
  TANDEM_WAIT_UNTIL (b.done);
  g_assert_true (b.ok);
  g_assert_false (a.done);
  /* The real server's ack error is a bare string (§3.2). */
  rt_conn_reply (conn, first, "error", "\"payload_size_exceeded\"");
  TANDEM_WAIT_UNTIL (a.done);
  g_assert_error (a.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE);

  /* The third never gets one: it times out after push-timeout. */
  tandem_manual_clock_advance (f->clock, 9999);
  rt_conn_assert_quiet (conn);
  g_assert_false (c.done);
  tandem_manual_clock_advance (f->clock, 1);
  TANDEM_WAIT_UNTIL (c.done);
  g_assert_error (c.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_TIMED_OUT);
  /* A late reply to it is dropped quietly. */
  rt_conn_reply (conn, third, "ok", NULL);

  /* An error object gives its reason as the message. */
  tandem_channel_track_async (channel, json_node_get_object (meta), NULL, rt_track_cb, &t);
  track = rt_conn_expect (conn, "realtime:acks", "presence");
  rt_conn_reply (conn, track, "error", "{\"reason\":\"Presence track payload must be a map\"}");
  TANDEM_WAIT_UNTIL (t.done);
  g_assert_error (t.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED);
  g_assert_cmpstr (t.error->message, ==, "Presence track payload must be a map");

  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTED);
  rt_result_clear (&a);
  rt_result_clear (&b);
  rt_result_clear (&c);
  rt_result_clear (&t);
  tandem_client_disconnect (f->client);
}

/* What cannot be sent fails at once, with a clear error */

static void
test_send_errors (RtFixture    *f,
                  gconstpointer data)
{
  g_autoptr(TandemChannel) idle = tandem_client_channel (f->client, "idle", NULL);
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\x00\x01", 2);
  g_autoptr(JsonNode) payload = rt_json ("{}");
  g_autofree char *long_event = g_strnfill (256, 'e');
  RtResult r = { 0 };
  RtConn *conn;

  /* realtime-js throws for a push before subscribe() */
  tandem_channel_send_broadcast_async (idle, "x", payload, NULL, rt_broadcast_cb, &r);
  TANDEM_WAIT_UNTIL (r.done);
  g_assert_error (r.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_NOT_JOINED);
  rt_result_clear (&r);
  tandem_channel_track_async (idle, NULL, NULL, rt_track_cb, &r);
  TANDEM_WAIT_UNTIL (r.done);
  g_assert_error (r.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_NOT_JOINED);
  rt_result_clear (&r);

  channel = rt_join (f, "errors", NULL, &conn);

  tandem_channel_send_broadcast_bytes_async (channel, "bin", bytes, NULL, rt_broadcast_bytes_cb, &r);
  TANDEM_WAIT_UNTIL (r.done);
  if (is_v2 (data))
    {
      static const guint8 kind3[] = "\x03\x01\x01\x0f\x03\x00\x00" "1" "2" "realtime:errors" "bin" "\x00\x01";

      g_assert_no_error (r.error);
      assert_binary (conn, kind3, sizeof kind3 - 1);

      rt_result_clear (&r);
      /* kind 3 gives the event one byte of length */
      tandem_channel_send_broadcast_async (channel, long_event, payload, NULL, rt_broadcast_cb, &r);
      TANDEM_WAIT_UNTIL (r.done);
      g_assert_error (r.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT);
    }
  else
    g_assert_error (r.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT);
  rt_result_clear (&r);

  tandem_channel_send_broadcast_async (channel, "", payload, NULL, rt_broadcast_cb, &r);
  TANDEM_WAIT_UNTIL (r.done);
  g_assert_error (r.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT);
  rt_result_clear (&r);

  /* Over max-message-size (5 MB by default) */
  {
    g_autofree char *big = g_strnfill (5000001, 'x');
    g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), big);

    tandem_channel_send_broadcast_async (channel, "big", node, NULL, rt_broadcast_cb, &r);
    TANDEM_WAIT_UNTIL (r.done);
    g_assert_error (r.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE);
    rt_result_clear (&r);
  }

  /* Cancelled before it could go */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    tandem_channel_send_broadcast_async (channel, "x", payload, cancellable, rt_broadcast_cb, &r);
    TANDEM_WAIT_UNTIL (r.done);
    g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    rt_result_clear (&r);
  }

  rt_conn_assert_quiet (conn);
  tandem_client_disconnect (f->client);
}

/* Incoming broadcasts: text, binary kind 4 (JSON and raw), batches, and
 * details */

typedef struct
{
  GPtrArray *events;   /* "event=payload" */
  guint      cursor_only;
} Received;

static void
on_broadcast (TandemChannel *channel,
              const char    *event,
              JsonNode      *payload,
              Received      *received)
{
  g_autofree char *json = json_to_string (payload, FALSE);

  g_ptr_array_add (received->events, g_strdup_printf ("%s=%s", event, json));
}

static void
on_broadcast_binary (TandemChannel *channel,
                     const char    *event,
                     GBytes        *payload,
                     Received      *received)
{
  g_autofree char *hex = NULL;
  GString *text = g_string_new (NULL);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (payload, &size);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", data[i]);
  hex = g_string_free (text, FALSE);
  g_ptr_array_add (received->events, g_strdup_printf ("%s=bin:%s", event, hex));
}

static void
on_cursor (TandemChannel *channel,
           const char    *event,
           JsonNode      *payload,
           Received      *received)
{
  g_assert_cmpstr (event, ==, "cursor");
  received->cursor_only++;
}

static void
send_kind4 (RtConn     *conn,
            const char *topic,
            const char *event,
            const char *payload,
            gsize       length,
            gboolean    is_json,
            const char *metadata)
{
  g_autoptr(GBytes) bytes = g_bytes_new (payload, length);
  g_autoptr(TandemMessage) message = tandem_message_new_user_broadcast (NULL, NULL, topic, event, bytes,
                                                                        is_json, metadata);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = tandem_message_encode_binary (message, TANDEM_BINARY_KIND_USER_BROADCAST, &error);

  g_assert_no_error (error);
  rt_conn_send_binary (conn, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

static void
test_receive_broadcasts (RtFixture    *f,
                         gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  Received received = { g_ptr_array_new_with_free_func (g_free), 0 };
  RtConn *conn;
  guint expected;

  channel = rt_join (f, "rx", NULL, &conn);
  g_signal_connect (channel, "broadcast", G_CALLBACK (on_broadcast), &received);
  g_signal_connect (channel, "broadcast-binary", G_CALLBACK (on_broadcast_binary), &received);
  g_signal_connect (channel, "broadcast::cursor", G_CALLBACK (on_cursor), &received);

  rt_conn_send (conn, NULL, NULL, "realtime:rx", "broadcast",
                "{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":1}}");
  rt_conn_send (conn, NULL, NULL, "realtime:rx", "broadcast",
                "{\"type\":\"broadcast\",\"event\":\"Cursor\",\"payload\":[1,2],\"meta\":{\"id\":\"u\"}}");
  /* A batch from tandem_channel_queue_broadcast(): one emission each */
  rt_conn_send (conn, NULL, NULL, "realtime:rx", "broadcast",
                "{\"type\":\"broadcast\",\"event\":\"batch_messages\",\"payload\":{\"messages\":["
                "{\"event\":\"cursor\",\"payload\":{\"x\":2}},{\"event\":\"pen\",\"payload\":{\"p\":[0,1]}}]}}");
  expected = 4;
  if (is_v2 (data))
    {
      send_kind4 (conn, "realtime:rx", "cursor", "{\"x\":3}", 7, TRUE, NULL);
      send_kind4 (conn, "realtime:rx", "db", "{\"row\":1}", 9, TRUE, "{\"id\":\"abc\"}");
      send_kind4 (conn, "realtime:rx", "blob", "\x00\xff\x10", 3, FALSE, NULL);
      expected += 3;
    }
  TANDEM_WAIT_UNTIL (received.events->len == expected);

  g_assert_cmpstr (received.events->pdata[0], ==, "cursor={\"x\":1}");
  g_assert_cmpstr (received.events->pdata[1], ==, "Cursor=[1,2]");
  g_assert_cmpstr (received.events->pdata[2], ==, "cursor={\"x\":2}");
  g_assert_cmpstr (received.events->pdata[3], ==, "pen={\"p\":[0,1]}");
  if (is_v2 (data))
    {
      g_assert_cmpstr (received.events->pdata[4], ==, "cursor={\"x\":3}");
      g_assert_cmpstr (received.events->pdata[5], ==, "db={\"row\":1}");
      g_assert_cmpstr (received.events->pdata[6], ==, "blob=bin:00ff10");
    }
  /* The detail is the event as received (case sensitive). */
  g_assert_cmpuint (received.cursor_only, ==, is_v2 (data) ? 3 : 2);

  g_ptr_array_unref (received.events);
  tandem_client_disconnect (f->client);
}

/* A handler without a detail gets an event whose name the process has
 * interned for something else (GTK interns "cursor"), in both the text
 * and the binary form. */
static void
test_receive_interned_event (RtFixture    *f,
                             gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  Received received = { g_ptr_array_new_with_free_func (g_free), 0 };
  RtConn *conn;
  guint expected = 1;

  g_assert_cmpuint (g_quark_from_static_string ("interned-elsewhere"), !=, 0);
  channel = rt_join (f, "interned", NULL, &conn);
  g_signal_connect (channel, "broadcast", G_CALLBACK (on_broadcast), &received);
  rt_conn_send (conn, NULL, NULL, "realtime:interned", "broadcast",
                "{\"type\":\"broadcast\",\"event\":\"interned-elsewhere\",\"payload\":{\"x\":1}}");
  if (is_v2 (data))
    {
      send_kind4 (conn, "realtime:interned", "interned-elsewhere", "{\"x\":2}", 7, TRUE, NULL);
      expected++;
    }
  TANDEM_WAIT_UNTIL (received.events->len == expected);
  g_assert_cmpstr (received.events->pdata[0], ==, "interned-elsewhere={\"x\":1}");
  if (is_v2 (data))
    g_assert_cmpstr (received.events->pdata[1], ==, "interned-elsewhere={\"x\":2}");

  g_ptr_array_unref (received.events);
  tandem_client_disconnect (f->client);
}

/* tandem_channel_queue_broadcast(): coalesced into batch_messages */

static void
test_queue_broadcast (RtFixture    *f,
                      gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemMessage) batch = NULL;
  RtConn *conn;

  channel = rt_join (f, "batch", NULL, &conn);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\":%u}", i);
      g_autoptr(JsonNode) payload = rt_json (text);

      tandem_channel_queue_broadcast (channel, "pen", payload);
    }
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (f->clock, 100);
  batch = rt_conn_expect (conn, "realtime:batch", "broadcast");
  g_assert_true (tandem_message_ensure_payload (batch, NULL));
  {
    g_autofree char *json = json_to_string (batch->payload, FALSE);

    g_assert_cmpstr (json, ==, "{\"type\":\"broadcast\",\"event\":\"batch_messages\",\"payload\":{\"messages\":["
                               "{\"event\":\"pen\",\"payload\":{\"i\":0}},{\"event\":\"pen\",\"payload\":{\"i\":1}},"
                               "{\"event\":\"pen\",\"payload\":{\"i\":2}}]}}");
  }
  tandem_client_disconnect (f->client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/realtime/frames/url", test_url);
#define ADD(path, func)                                                                     \
  g_test_add (path "/v1", RtFixture, V1, rt_fixture_setup, func, rt_fixture_teardown);      \
  g_test_add (path "/v2", RtFixture, V2, rt_fixture_setup, func, rt_fixture_teardown)
  ADD ("/realtime/frames/url-vsn", test_url_default_vsn);
  ADD ("/realtime/frames/all", test_frames);
  ADD ("/realtime/frames/replies", test_replies);
  ADD ("/realtime/frames/send-errors", test_send_errors);
  ADD ("/realtime/frames/receive-broadcasts", test_receive_broadcasts);
  ADD ("/realtime/frames/receive-interned-event", test_receive_interned_event);
  ADD ("/realtime/frames/queue-broadcast", test_queue_broadcast);
#undef ADD

  return g_test_run ();
}
