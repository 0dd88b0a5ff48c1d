/* test-realtime.c: the Realtime endpoint over real sockets
 *
 * One throwaway PostgreSQL and one tandem-server for the whole program;
 * each test opens its own connections with the bare test client, so the
 * frames checked are exactly the server's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-jwt.h"
#include "tandem-test-client.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

static TandemTestPg *pg;
static TandemTestServer *server;

static const char *
ws_url (void)
{
  return tandem_test_server_get_ws_url (server);
}

static const char *
anon (void)
{
  return tandem_test_server_get_anon_key (server);
}

static JsonObject *
payload_object (TandemMessage *message)
{
  g_assert_nonnull (message->payload);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (message->payload));
  return json_node_get_object (message->payload);
}

static void
assert_reply_ok (TandemMessage *reply)
{
  g_assert_cmpstr (test_reply_status (reply), ==, "ok");
}

static const char *
reply_reason (TandemMessage *reply)
{
  JsonNode *response = test_reply_response (reply);

  g_assert_cmpstr (test_reply_status (reply), ==, "error");
  return json_object_get_string_member (json_node_get_object (response), "reason");
}

/* Heartbeats and refs */

static void
test_heartbeat (gconstpointer data)
{
  TandemSerializer serializer = GPOINTER_TO_INT (data);
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), serializer);
  g_autofree char *ref = test_client_push (client, NULL, "phoenix", "heartbeat", "{}");
  TandemMessage *reply = test_client_wait_reply (client, ref);

  g_assert_cmpstr (reply->topic, ==, "phoenix");
  g_assert_null (reply->join_ref);
  assert_reply_ok (reply);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (test_reply_response (reply)));
}

static void
test_join_reply (gconstpointer data)
{
  TandemSerializer serializer = GPOINTER_TO_INT (data);
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), serializer);
  TandemMessage *reply;
  TandemMessage *state;
  JsonArray *bindings;
  JsonObject *first, *second;

  /* two bindings, the second with a filter, echoed in order with ids */
  reply = test_client_join (client, "realtime:join-reply",
                            "{\"broadcast\":{\"self\":false,\"ack\":false},"
                            "\"presence\":{\"key\":\"me\",\"enabled\":true},"
                            "\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"notes\"},"
                            "{\"event\":\"INSERT\",\"schema\":\"public\",\"table\":\"notes\",\"filter\":\"id=eq.1\"}],"
                            "\"private\":false}", NULL);
  assert_reply_ok (reply);
  if (serializer == TANDEM_SERIALIZER_V2)
    g_assert_cmpstr (reply->join_ref, ==, reply->ref);
  else
    g_assert_null (reply->join_ref); /* 1.0.0 server frames carry no join_ref */

  bindings = json_object_get_array_member (json_node_get_object (test_reply_response (reply)), "postgres_changes");
  g_assert_cmpuint (json_array_get_length (bindings), ==, 2);
  first = json_array_get_object_element (bindings, 0);
  second = json_array_get_object_element (bindings, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "event"), ==, "*");
  g_assert_cmpstr (json_object_get_string_member (second, "filter"), ==, "id=eq.1");
  g_assert_cmpint (json_object_get_int_member (first, "id"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (first, "id"), <, 1 << 27);
  g_assert_cmpint (json_object_get_int_member (first, "id"), !=, json_object_get_int_member (second, "id"));

  state = test_client_wait_event (client, "realtime:join-reply", "presence_state");
  g_assert_cmpuint (json_object_get_size (payload_object (state)), ==, 0);
}

static void
test_leave (void)
{
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  TandemMessage *join = test_client_join (client, "realtime:leave", "{}", NULL);
  g_autofree char *ref = test_client_push (client, join->ref, "realtime:leave", "phx_leave", "{}");
  TandemMessage *close;
  g_autofree char *after = NULL;

  assert_reply_ok (test_client_wait_reply (client, ref));
  close = test_client_wait_event (client, "realtime:leave", "phx_close");
  g_assert_cmpstr (close->ref, ==, join->ref);
  g_assert_cmpstr (close->join_ref, ==, join->ref);

  /* once left, pushes are unmatched */
  after = test_client_push (client, join->ref, "realtime:leave", "broadcast",
                            "{\"type\":\"broadcast\",\"event\":\"x\",\"payload\":{}}");
  g_assert_cmpstr (reply_reason (test_client_wait_reply (client, after)), ==, "unmatched topic");
}

static void
test_unmatched_topic (void)
{
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autofree char *ref = test_client_push (client, "9", "realtime:never-joined", "broadcast",
                                           "{\"type\":\"broadcast\",\"event\":\"x\",\"payload\":{}}");
  g_autofree char *bad_topic = NULL;

  g_assert_cmpstr (reply_reason (test_client_wait_reply (client, ref)), ==, "unmatched topic");
  bad_topic = test_client_push (client, "10", "elsewhere:x", "phx_join", "{}");
  g_assert_cmpstr (reply_reason (test_client_wait_reply (client, bad_topic)), ==, "unmatched topic");
}

/* Broadcast */

static void
test_broadcast_self_ack (gconstpointer data)
{
  TandemSerializer serializer = GPOINTER_TO_INT (data);
  g_autoptr(TestClient) a = test_client_new (ws_url (), anon (), serializer);
  g_autoptr(TestClient) b = test_client_new (ws_url (), anon (), serializer);
  const char *topic = serializer == TANDEM_SERIALIZER_V2 ? "realtime:bc2" : "realtime:bc1";
  TandemMessage *a_join = test_client_join (a, topic, "{\"broadcast\":{\"self\":true,\"ack\":true}}", NULL);
  TandemMessage *b_join = test_client_join (b, topic, "{\"broadcast\":{\"self\":false,\"ack\":false}}", NULL);
  g_autofree char *a_ref = NULL;
  g_autofree char *b_ref = NULL;
  TandemMessage *got;
  JsonObject *payload;

  assert_reply_ok (a_join);
  assert_reply_ok (b_join);

  a_ref = test_client_push (a, a_join->ref, topic, "broadcast",
                            "{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":1},\"extra\":\"kept\"}");
  assert_reply_ok (test_client_wait_reply (a, a_ref));

  got = test_client_wait_event (b, topic, "broadcast");
  g_assert_null (got->ref);
  g_assert_null (got->join_ref);
  payload = payload_object (got);
  g_assert_cmpstr (json_object_get_string_member (payload, "event"), ==, "cursor");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (payload, "payload"), "x"), ==, 1);
  /* text pushes travel unchanged, extra keys included */
  g_assert_cmpstr (json_object_get_string_member (payload, "extra"), ==, "kept");
  /* self: the sender hears its own broadcast */
  got = test_client_wait_event (a, topic, "broadcast");
  g_assert_cmpstr (json_object_get_string_member (payload_object (got), "event"), ==, "cursor");

  /* b has neither self nor ack: no echo and no reply */
  b_ref = test_client_push (b, b_join->ref, topic, "broadcast",
                            "{\"type\":\"broadcast\",\"event\":\"hello\",\"payload\":{\"from\":\"b\"}}");
  got = test_client_wait_event (a, topic, "broadcast");
  g_assert_cmpstr (json_object_get_string_member (payload_object (got), "event"), ==, "hello");
  tandem_test_run_for (200);
  g_assert_cmpuint (test_client_count_events (b, topic, "broadcast"), ==, 1);
  for (guint i = 0; i < b->received->len; i++)
    g_assert_cmpstr (((TandemMessage *) b->received->pdata[i])->ref, !=, b_ref);
}

static void
test_binary_broadcast (void)
{
  g_autoptr(TestClient) v2 = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) other = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) v1 = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V1);
  TandemMessage *join = test_client_join (v2, "realtime:bin", "{\"broadcast\":{\"ack\":true}}", NULL);
  g_autoptr(TandemMessage) push = NULL;
  g_autoptr(GBytes) json_payload = g_bytes_new_static ("{\"a\":\"b\"}", 9);
  static const guint8 raw[] = { 0x00, 0xff, 0x10, 0x80 };
  g_autoptr(GBytes) raw_payload = g_bytes_new_static (raw, sizeof raw);
  g_autoptr(GBytes) frame = NULL;
  TandemMessage *got;
  GBytes *received;
  const guint8 *bytes;
  gsize size;

  test_client_join (other, "realtime:bin", "{}", NULL);
  test_client_join (v1, "realtime:bin", "{}", NULL);

  push = tandem_message_new_user_broadcast (join->ref, "77", "realtime:bin", "move", json_payload, TRUE, NULL);
  frame = tandem_message_encode_binary (push, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH, NULL);
  test_client_send_binary (v2, frame);
  /* acks to binary pushes are text replies */
  assert_reply_ok (test_client_wait_reply (v2, "77"));

  /* a 2.0.0 subscriber gets kind 4 with the joined topic */
  got = test_client_wait_event (other, "realtime:bin", "broadcast");
  g_assert_true (got->is_user_broadcast);
  g_assert_cmpstr (got->user_event, ==, "move");
  g_assert_true (got->user_payload_is_json);
  g_assert_true (g_bytes_equal (got->user_payload, json_payload));
  g_assert_cmpuint (other->binary_frames->len, ==, 1);
  received = g_ptr_array_index (other->binary_frames, 0);
  bytes = g_bytes_get_data (received, &size);
  g_assert_cmpuint (bytes[0], ==, 4);
  g_assert_cmpuint (bytes[1], ==, strlen ("realtime:bin"));

  /* a 1.0.0 subscriber gets the same as a text broadcast */
  got = test_client_wait_event (v1, "realtime:bin", "broadcast");
  g_assert_false (got->is_user_broadcast);
  g_assert_cmpstr (json_object_get_string_member (payload_object (got), "type"), ==, "broadcast");
  g_assert_cmpstr (json_object_get_string_member (payload_object (got), "event"), ==, "move");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (payload_object (got), "payload"), "a"),
                   ==, "b");

  /* raw binary payloads reach 2.0.0 only */
  g_clear_pointer (&push, tandem_message_free);
  g_clear_pointer (&frame, g_bytes_unref);
  push = tandem_message_new_user_broadcast (join->ref, "78", "realtime:bin", "blob", raw_payload, FALSE, NULL);
  frame = tandem_message_encode_binary (push, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH, NULL);
  test_client_send_binary (v2, frame);
  assert_reply_ok (test_client_wait_reply (v2, "78"));
  got = test_client_wait_event (other, "realtime:bin", "broadcast");
  g_assert_false (got->user_payload_is_json);
  g_assert_true (g_bytes_equal (got->user_payload, raw_payload));
  tandem_test_run_for (200);
  g_assert_cmpuint (test_client_count_events (v1, "realtime:bin", "broadcast"), ==, 1);
}

/* Tokens */

static void
test_join_bad_tokens (void)
{
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autofree char *expired = tandem_test_server_make_token (server, "authenticated", -30, NULL);
  g_autoptr(JsonObject) no_role_claims = json_object_new ();
  g_autofree char *forged = NULL;
  g_autofree char *no_role = NULL;
  const char *reason;
  char *dot;

  reason = reply_reason (test_client_join (client, "realtime:t1", "{}", expired));
  g_assert_true (g_str_has_prefix (reason, "InvalidJWTToken: Token has expired "));
  g_assert_true (g_str_has_suffix (reason, " seconds ago"));

  forged = g_strdup (anon ());
  dot = strrchr (forged, '.');
  dot[1] = dot[1] == 'A' ? 'B' : 'A';
  reason = reply_reason (test_client_join (client, "realtime:t2", "{}", forged));
  g_assert_cmpstr (reason, ==, "JwtSignatureError: Failed to validate JWT signature");

  reason = reply_reason (test_client_join (client, "realtime:t3", "{}", "not-a-jwt"));
  g_assert_cmpstr (reason, ==, "MalformedJWT: The token provided is not a valid JWT");

  json_object_set_int_member (no_role_claims, "exp", g_get_real_time () / G_USEC_PER_SEC + 60);
  no_role = tandem_jwt_sign_hs256 (no_role_claims, tandem_test_server_get_jwt_secret (server));
  reason = reply_reason (test_client_join (client, "realtime:t4", "{}", no_role));
  g_assert_cmpstr (reason, ==, "InvalidJWTToken: Fields `role` and `exp` are required in JWT");

  reason = reply_reason (test_client_join (client, "realtime:", "{}", NULL));
  g_assert_cmpstr (reason, ==, "TopicNameRequired: You must provide a topic name");

  /* private channels need permission the anon role does not have */
  reason = reply_reason (test_client_join (client, "realtime:secret", "{\"private\":true}", NULL));
  g_assert_cmpstr (reason, ==, "Unauthorized: You do not have permissions to read from this Channel topic: secret");
}

static void
assert_upgrade_refused (const char *query,
                        guint       status,
                        const char *error_text)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/realtime/v1/websocket%s", tandem_test_server_get_url (server), query);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, status);
  if (error_text != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);

      g_assert_nonnull (node);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "error"), ==, error_text);
    }
}

/* A client that offers permessage-deflate (realtime-js's ws does) gets an
 * uncompressed connection, as from Supabase. */
static void
test_no_compression (void)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *key = g_uri_escape_string (tandem_test_server_get_anon_key (server), NULL, TRUE);
  GString *response = g_string_new (NULL);
  g_autofree char *text = NULL;
  char buffer[4096];

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", tandem_test_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("GET /realtime/v1/websocket?apikey=%s&vsn=2.0.0 HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n"
                             "Connection: Upgrade\r\n"
                             "Upgrade: websocket\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                             "\r\n", key);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, strlen (request),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  while (strstr (response->str, "\r\n\r\n") == NULL && response->len < 65536)
    {
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer,
                                      sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (response, buffer, n);
    }
  text = g_ascii_strdown (response->str, response->len);
  g_string_free (response, TRUE);
  g_assert_true (g_str_has_prefix (text, "http/1.1 101"));
  g_assert_nonnull (strstr (text, "\r\nupgrade: websocket\r\n"));
  g_assert_null (strstr (text, "sec-websocket-extensions"));
}

static void
test_connect_refused (void)
{
  g_autofree char *expired = tandem_test_server_make_token (server, "anon", -5, NULL);
  g_autofree char *expired_query = g_strdup_printf ("?apikey=%s&vsn=2.0.0", expired);
  g_autofree char *message = NULL;

  assert_upgrade_refused ("?vsn=2.0.0", 401, "API key is missing");
  assert_upgrade_refused ("?apikey=garbage&vsn=2.0.0", 401, "The token provided is not a valid JWT");
  assert_upgrade_refused ("?apikey=a.b.c&vsn=2.0.0", 401, "The token provided is not a valid JWT");
  assert_upgrade_refused ("?apikey=x&vsn=3.0.0", 403, NULL);
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strdup_printf ("%s/realtime/v1/websocket%s", tandem_test_server_get_url (server), expired_query);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
    g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
    message = g_strdup (json_object_get_string_member (json_node_get_object (node), "error"));
    g_assert_true (g_str_has_prefix (message, "Token has expired"));
  }
}

static void
test_token_expiry_and_refresh (void)
{
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autofree char *short_token = tandem_test_server_make_token (server, "authenticated", 2, NULL);
  g_autofree char *long_token = tandem_test_server_make_token (server, "authenticated", 3600, NULL);
  TandemMessage *join_a = test_client_join (client, "realtime:expiring", "{}", short_token);
  TandemMessage *join_b;
  TandemMessage *system;
  g_autofree char *refresh_payload = g_strdup_printf ("{\"access_token\":\"%s\"}", long_token);
  g_autofree char *ref = NULL;
  g_autofree char *hb = NULL;
  JsonObject *payload;

  assert_reply_ok (join_a);
  join_b = test_client_join (client, "realtime:refreshed", "{}", short_token);
  assert_reply_ok (join_b);

  /* a refreshed channel survives; there is no reply to access_token */
  ref = test_client_push (client, join_b->ref, "realtime:refreshed", "access_token", refresh_payload);

  system = test_client_wait_event (client, "realtime:expiring", "system");
  payload = payload_object (system);
  g_assert_cmpstr (json_object_get_string_member (payload, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (payload, "extension"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (payload, "channel"), ==, "expiring");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (payload, "message"), "Token has expired"));
  test_client_wait_event (client, "realtime:expiring", "phx_close");

  tandem_test_run_for (1500);
  g_assert_cmpuint (test_client_count_events (client, "realtime:refreshed", "phx_close"), ==, 0);
  for (guint i = 0; i < client->received->len; i++)
    g_assert_cmpstr (((TandemMessage *) client->received->pdata[i])->ref, !=, ref);

  /* the socket itself lives on: it was opened with the long-lived apikey */
  hb = test_client_push (client, NULL, "phoenix", "heartbeat", "{}");
  assert_reply_ok (test_client_wait_reply (client, hb));
}

/* Presence */

static void
test_presence (gconstpointer data)
{
  TandemSerializer serializer = GPOINTER_TO_INT (data);
  const char *topic = serializer == TANDEM_SERIALIZER_V2 ? "realtime:room-p2" : "realtime:room-p1";
  g_autoptr(TestClient) alice = test_client_new (ws_url (), anon (), serializer);
  g_autoptr(TestClient) bob = test_client_new (ws_url (), anon (), serializer);
  g_autoptr(TestClient) carol = NULL;
  TandemMessage *alice_join = test_client_join (alice, topic, "{\"presence\":{\"key\":\"alice\",\"enabled\":true}}", NULL);
  g_autofree char *track = NULL;
  g_autofree char *retrack = NULL;
  TandemMessage *diff;
  TandemMessage *state;
  JsonObject *joins, *leaves;

  test_client_join (bob, topic, "{\"presence\":{\"key\":\"bob\",\"enabled\":true}}", NULL);
  test_client_wait_event (bob, topic, "presence_state");

  track = test_client_push (alice, alice_join->ref, topic, "presence",
                            "{\"type\":\"presence\",\"event\":\"track\",\"payload\":{\"status\":\"online\"}}");
  assert_reply_ok (test_client_wait_reply (alice, track));

  diff = test_client_wait_event (bob, topic, "presence_diff");
  joins = json_object_get_object_member (payload_object (diff), "joins");
  g_assert_true (json_object_has_member (joins, "alice"));
  g_assert_null (diff->join_ref);
  /* the tracker tells the tracking client too */
  test_client_wait_event (alice, topic, "presence_diff");

  retrack = test_client_push (alice, alice_join->ref, topic, "presence",
                              "{\"type\":\"presence\",\"event\":\"TRACK\",\"payload\":{\"status\":\"away\"}}");
  assert_reply_ok (test_client_wait_reply (alice, retrack));
  diff = test_client_wait_event (bob, topic, "presence_diff");
  joins = json_object_get_object_member (payload_object (diff), "joins");
  leaves = json_object_get_object_member (payload_object (diff), "leaves");
  g_assert_true (json_object_has_member (joins, "alice"));
  g_assert_true (json_object_has_member (leaves, "alice"));

  /* a late joiner gets the state */
  carol = test_client_new (ws_url (), anon (), serializer);
  test_client_join (carol, topic, "{\"presence\":{\"enabled\":true}}", NULL);
  state = test_client_wait_event (carol, topic, "presence_state");
  g_assert_true (json_object_has_member (payload_object (state), "alice"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_object_get_object_member (payload_object (state), "alice"), "metas"), 0),
                     "status"), ==, "away");

  /* when alice's socket drops, everyone sees her leave */
  g_clear_pointer (&alice, test_client_free);
  diff = test_client_wait_event (bob, topic, "presence_diff");
  leaves = json_object_get_object_member (payload_object (diff), "leaves");
  g_assert_true (json_object_has_member (leaves, "alice"));
  diff = test_client_wait_event (carol, topic, "presence_diff");
  g_assert_true (json_object_has_member (json_object_get_object_member (payload_object (diff), "leaves"), "alice"));
}

static void
test_presence_bad_payload (void)
{
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  TandemMessage *join = test_client_join (client, "realtime:pb", "{\"presence\":{\"enabled\":true}}", NULL);
  g_autofree char *bad = test_client_push (client, join->ref, "realtime:pb", "presence",
                                           "{\"type\":\"presence\",\"event\":\"track\",\"payload\":[1,2]}");
  g_autofree char *unknown = NULL;

  g_assert_cmpstr (reply_reason (test_client_wait_reply (client, bad)), ==, "Presence track payload must be a map");
  unknown = test_client_push (client, join->ref, "realtime:pb", "presence",
                              "{\"type\":\"presence\",\"event\":\"dance\"}");
  g_assert_cmpstr (test_reply_status (test_client_wait_reply (client, unknown)), ==, "error");
}

/* Robustness */

static void
test_malformed_frames (gconstpointer data)
{
  TandemSerializer serializer = GPOINTER_TO_INT (data);
  g_autoptr(TestClient) bad = test_client_new (ws_url (), anon (), serializer);
  g_autoptr(TestClient) good = test_client_new (ws_url (), anon (), serializer);
  static const guint8 junk[] = { 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 'x' };
  static const guint8 kind0[] = { 0x00, 0x01, 0x01, 0x01, 0x01, 'a', 'b', 'c', 'd' };
  g_autoptr(GBytes) junk_bytes = g_bytes_new_static (junk, sizeof junk);
  g_autoptr(GBytes) kind0_bytes = g_bytes_new_static (kind0, sizeof kind0);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  const char *texts[] = {
    "", "{", "not json", "[]", "[1,2,3]", "[null,null,null,null,null]", "{\"topic\":1}",
    "[\"1\",\"1\",\"realtime:x\",\"phx_join\"]", "[\"1\",\"1\",5,\"phx_join\",{}]",
    "{\"topic\":\"realtime:x\",\"event\":\"phx_join\",\"payload\":{}}",
    "[\"1\",\"1\",\"realtime:\\ud800\",\"phx_join\",{}]", "{\"topic\":\"\\udfff\",\"event\":\"x\",\"payload\":{},\"ref\":null}", "[\"1\",\"2\",\"realtime:x\",\"phx_join\",{\"config\":\"yes\"}]",
    "[\"1\",\"3\",\"realtime:y\",\"phx_join\",{\"config\":{\"broadcast\":7,\"presence\":[],\"postgres_changes\":{}}}]",
  };
  g_autofree char *hb = NULL;
  g_autofree char *unknown = NULL;
  TandemMessage *join;

  join = test_client_join (good, "realtime:robust", "{\"broadcast\":{\"ack\":true}}", NULL);
  /* the hand-written frames use small refs; keep the client's own apart */
  bad->next_ref = 1000;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    test_client_send_text (bad, texts[i]);
  test_client_send_binary (bad, junk_bytes);
  test_client_send_binary (bad, kind0_bytes);
  test_client_send_binary (bad, empty);

  /* an unknown event on a joined channel gets an error reply */
  test_client_join (bad, "realtime:robust", "{}", NULL);
  unknown = test_client_push (bad, NULL, "realtime:robust", "dance", "{}");
  g_assert_cmpstr (test_reply_status (test_client_wait_reply (bad, unknown)), ==, "error");

  /* both connections still work */
  hb = test_client_push (bad, NULL, "phoenix", "heartbeat", "{}");
  assert_reply_ok (test_client_wait_reply (bad, hb));
  g_free (hb);
  hb = test_client_push (good, join->ref, "realtime:robust", "broadcast",
                         "{\"type\":\"broadcast\",\"event\":\"still\",\"payload\":{}}");
  assert_reply_ok (test_client_wait_reply (good, hb));
  g_assert_false (bad->closed);
}

static void
test_duplicate_join_replaces (void)
{
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  TandemMessage *first = test_client_join (client, "realtime:dup", "{}", NULL);
  g_autofree char *first_ref = g_strdup (first->ref);
  TandemMessage *second = test_client_join (client, "realtime:dup", "{}", NULL);
  TandemMessage *close;

  assert_reply_ok (second);
  close = test_client_wait_event (client, "realtime:dup", "phx_close");
  g_assert_cmpstr (close->join_ref, ==, first_ref);
  g_assert_cmpstr (close->ref, ==, first_ref);
}

/* REST broadcast */

static guint
post_json (const char *path,
           const char *token,
           const char *content_type,
           const char *body,
           char      **response_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (tandem_test_server_get_url (server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;

  if (token != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "apikey", token);
  soup_message_set_request_body_from_bytes (msg, content_type, request);
  response = soup_session_send_and_read (session, msg, NULL, NULL);
  if (response_body != NULL)
    *response_body = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  return soup_message_get_status (msg);
}

static void
test_rest_broadcast (void)
{
  g_autoptr(TestClient) v2 = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) v1 = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V1);
  g_autofree char *body = NULL;
  TandemMessage *got;
  JsonObject *payload;

  test_client_join (v2, "realtime:rest", "{}", NULL);
  test_client_join (v1, "realtime:rest", "{}", NULL);

  g_assert_cmpuint (post_json ("/realtime/v1/api/broadcast", anon (), "application/json",
                               "{\"messages\":[{\"topic\":\"rest\",\"event\":\"news\",\"payload\":{\"n\":1},\"id\":\"m-1\"},"
                               "{\"topic\":\"nobody-here\",\"event\":\"news\",\"payload\":{}}]}", NULL), ==, 202);
  got = test_client_wait_event (v2, "realtime:rest", "broadcast");
  payload = payload_object (got);
  g_assert_cmpstr (json_object_get_string_member (payload, "event"), ==, "news");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (payload, "payload"), "n"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (payload, "meta"), "id"), ==, "m-1");
  test_client_wait_event (v1, "realtime:rest", "broadcast");

  g_assert_cmpuint (post_json ("/realtime/v1/api/broadcast/rest/events/ping", anon (), "application/json",
                               "{\"single\":true}", NULL), ==, 202);
  got = test_client_wait_event (v2, "realtime:rest", "broadcast");
  g_assert_true (got->is_user_broadcast);
  g_assert_cmpstr (got->user_event, ==, "ping");
  got = test_client_wait_event (v1, "realtime:rest", "broadcast");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (payload_object (got), "payload"), "single"));

  g_assert_cmpuint (post_json ("/realtime/v1/api/broadcast", NULL, "application/json", "{\"messages\":[]}", &body), ==, 401);
  g_assert_cmpstr (body, ==, "{\"message\":\"Unauthorized\"}");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (post_json ("/realtime/v1/api/broadcast", "bad.token.here", "application/json", "{}", NULL), ==, 401);
  g_assert_cmpuint (post_json ("/realtime/v1/api/broadcast", anon (), "application/json",
                               "{\"messages\":[{\"topic\":\"rest\",\"event\":\"e\",\"payload\":\"not an object\"}]}", &body), ==, 422);
  g_assert_nonnull (strstr (body, "payload"));
  g_assert_cmpuint (post_json ("/realtime/v1/api/broadcast", anon (), "application/json", "not json", NULL), ==, 422);
  g_assert_cmpuint (post_json ("/realtime/v1/api/broadcast/rest/events/ping", anon (), "text/plain", "hi", NULL), ==, 415);
}

/* postgres_changes */

static TandemMessage *
wait_change (TestClient *client,
             const char *topic)
{
  return test_client_wait_event (client, topic, "postgres_changes");
}

static JsonObject *
change_data (TandemMessage *message)
{
  return json_object_get_object_member (payload_object (message), "data");
}

static void
test_postgres_changes (gconstpointer data)
{
  TandemSerializer serializer = GPOINTER_TO_INT (data);
  const char *topic = serializer == TANDEM_SERIALIZER_V2 ? "realtime:db2" : "realtime:db1";
  const char *table = serializer == TANDEM_SERIALIZER_V2 ? "todos2" : "todos1";
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), serializer);
  g_autofree char *sql = NULL;
  g_autofree char *config = NULL;
  TandemMessage *reply;
  TandemMessage *system;
  TandemMessage *change;
  JsonArray *bindings;
  gint64 all_id, filtered_id, delete_id;
  JsonObject *d, *record;
  JsonArray *ids;

  sql = g_strdup_printf ("CREATE TABLE %s (id bigint PRIMARY KEY, task text, done boolean, tags text[], meta jsonb,"
                         " due timestamptz);"
                         "ALTER TABLE %s REPLICA IDENTITY FULL;"
                         "ALTER PUBLICATION supabase_realtime ADD TABLE %s;", table, table, table);
  tandem_test_pg_exec (pg, sql);

  config = g_strdup_printf ("{\"postgres_changes\":["
                            "{\"event\":\"*\",\"schema\":\"public\",\"table\":\"%s\"},"
                            "{\"event\":\"UPDATE\",\"schema\":\"public\",\"table\":\"%s\",\"filter\":\"id=gt.1\"},"
                            "{\"event\":\"delete\",\"schema\":\"public\",\"table\":\"%s\",\"filter\":\"task=eq.b\"}]}",
                            table, table, table);
  reply = test_client_join (client, topic, config, NULL);
  assert_reply_ok (reply);
  bindings = json_object_get_array_member (json_node_get_object (test_reply_response (reply)), "postgres_changes");
  all_id = json_object_get_int_member (json_array_get_object_element (bindings, 0), "id");
  filtered_id = json_object_get_int_member (json_array_get_object_element (bindings, 1), "id");
  delete_id = json_object_get_int_member (json_array_get_object_element (bindings, 2), "id");

  system = test_client_wait_event (client, topic, "system");
  g_assert_cmpstr (json_object_get_string_member (payload_object (system), "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (payload_object (system), "message"), ==, "Subscribed to PostgreSQL");

  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO %s VALUES (1, 'a', false, '{x,\"y z\"}', '{\"k\": [1, 2]}', '2026-01-01 10:00:00+00');"
                         "INSERT INTO %s VALUES (2, 'b', true, NULL, NULL, NULL);", table, table);
  tandem_test_pg_exec (pg, sql);

  change = wait_change (client, topic);
  g_assert_null (change->ref);
  d = change_data (change);
  ids = json_object_get_array_member (payload_object (change), "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 1);
  g_assert_cmpint (json_array_get_int_element (ids, 0), ==, all_id);
  g_assert_cmpstr (json_object_get_string_member (d, "type"), ==, "INSERT");
  g_assert_cmpstr (json_object_get_string_member (d, "schema"), ==, "public");
  g_assert_cmpstr (json_object_get_string_member (d, "table"), ==, table);
  g_assert_false (json_object_has_member (d, "old_record"));
  g_assert_true (json_object_get_null_member (d, "errors"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (d, "commit_timestamp"), "Z"));
  g_assert_cmpuint (strlen (json_object_get_string_member (d, "commit_timestamp")), ==, strlen ("2026-01-01T00:00:00.000Z"));
  record = json_object_get_object_member (d, "record");
  g_assert_cmpint (json_object_get_int_member (record, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (record, "task"), ==, "a");
  g_assert_false (json_object_get_boolean_member (record, "done"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (record, "tags"), 1), ==, "y z");
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (json_object_get_object_member (record, "meta"), "k"), 1), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (record, "due"), ==, "2026-01-01T10:00:00+00:00");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (d, "columns"), 0), "type"),
                   ==, "int8");

  change = wait_change (client, topic);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (change_data (change), "record"), "id"), ==, 2);

  /* an update of row 2 matches the filtered binding too: both ids */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE %s SET done = NOT done;", table);
  tandem_test_pg_exec (pg, sql);
  change = wait_change (client, topic);
  d = change_data (change);
  g_assert_cmpstr (json_object_get_string_member (d, "type"), ==, "UPDATE");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "record"), "id"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (payload_object (change), "ids")), ==, 1);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (d, "old_record"), "done"));
  change = wait_change (client, topic);
  ids = json_object_get_array_member (payload_object (change), "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  g_assert_cmpint (json_array_get_int_element (ids, 1), ==, filtered_id);

  /* deletes are filtered on the old row */
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM %s;", table);
  tandem_test_pg_exec (pg, sql);
  change = wait_change (client, topic);
  d = change_data (change);
  g_assert_cmpstr (json_object_get_string_member (d, "type"), ==, "DELETE");
  g_assert_false (json_object_has_member (d, "record"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "old_record"), "id"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (payload_object (change), "ids")), ==, 1);
  change = wait_change (client, topic);
  ids = json_object_get_array_member (payload_object (change), "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  g_assert_cmpint (json_array_get_int_element (ids, 1), ==, delete_id);
}

static void
test_postgres_changes_errors (void)
{
  g_autoptr(TestClient) client = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  TandemMessage *system;
  JsonObject *payload;
  g_autofree char *hb = NULL;
  TandemMessage *join;

  tandem_test_pg_exec (pg, "CREATE TABLE IF NOT EXISTS unpublished (id int PRIMARY KEY);"
                           "CREATE TABLE IF NOT EXISTS published_e (id int PRIMARY KEY, n int);"
                           "ALTER PUBLICATION supabase_realtime ADD TABLE published_e;");

  assert_reply_ok (test_client_join (client, "realtime:e1",
                                     "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"published_e\",\"filter\":\"id=foo.hey\"}]}",
                                     NULL));
  system = test_client_wait_event (client, "realtime:e1", "system");
  payload = payload_object (system);
  g_assert_cmpstr (json_object_get_string_member (payload, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (payload, "extension"), ==, "postgres_changes");
  g_assert_cmpstr (json_object_get_string_member (payload, "message"), ==, "Error parsing `filter` params: [\"foo\", \"hey\"]");

  assert_reply_ok (test_client_join (client, "realtime:e2",
                                     "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"unpublished\"}]}", NULL));
  payload = payload_object (test_client_wait_event (client, "realtime:e2", "system"));
  g_assert_cmpstr (json_object_get_string_member (payload, "status"), ==, "error");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (payload, "message"),
                                   "Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: *, schema: public, table: unpublished"));

  assert_reply_ok (test_client_join (client, "realtime:e3",
                                     "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"no_such_table\"}]}", NULL));
  payload = payload_object (test_client_wait_event (client, "realtime:e3", "system"));
  g_assert_cmpstr (json_object_get_string_member (payload, "status"), ==, "error");

  /* a value that does not fit the column's type, and an unknown column */
  assert_reply_ok (test_client_join (client, "realtime:e4",
                                     "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"published_e\",\"filter\":\"n=eq.abc\"}]}", NULL));
  payload = payload_object (test_client_wait_event (client, "realtime:e4", "system"));
  g_assert_cmpstr (json_object_get_string_member (payload, "status"), ==, "error");
  assert_reply_ok (test_client_join (client, "realtime:e5",
                                     "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"published_e\",\"filter\":\"nope=eq.1\"}]}", NULL));
  payload = payload_object (test_client_wait_event (client, "realtime:e5", "system"));
  g_assert_cmpstr (json_object_get_string_member (payload, "status"), ==, "error");

  assert_reply_ok (test_client_join (client, "realtime:e6", "{\"postgres_changes\":[{\"event\":\"*\"}]}", NULL));
  payload = payload_object (test_client_wait_event (client, "realtime:e6", "system"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (payload, "message"), "No subscription params provided."));

  /* the channel stays open for broadcast after a postgres error */
  join = test_client_join (client, "realtime:e7",
                           "{\"broadcast\":{\"ack\":true},\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"unpublished\"}]}", NULL);
  test_client_wait_event (client, "realtime:e7", "system");
  hb = test_client_push (client, join->ref, "realtime:e7", "broadcast",
                         "{\"type\":\"broadcast\",\"event\":\"still\",\"payload\":{}}");
  assert_reply_ok (test_client_wait_reply (client, hb));

  /* changes of unpublished tables never arrive, even to a wildcard */
  assert_reply_ok (test_client_join (client, "realtime:e8",
                                     "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"*\"}]}", NULL));
  test_client_wait_event (client, "realtime:e8", "system");
  tandem_test_pg_exec (pg, "INSERT INTO unpublished VALUES (1); INSERT INTO published_e VALUES (1, 1);");
  TANDEM_WAIT_UNTIL (test_client_count_events (client, "realtime:e8", "postgres_changes") >= 1);
  tandem_test_run_for (300);
  g_assert_cmpuint (test_client_count_events (client, "realtime:e8", "postgres_changes"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (change_data (wait_change (client, "realtime:e8")), "table"), ==, "published_e");
}

/* Row-level security: each user hears only the rows its policies let it
 * read; anon hears none; the service role hears all. DELETEs are delivered
 * without RLS, with the primary key only, as Supabase documents. */
static void
test_postgres_changes_rls (void)
{
  const char *alice_id = "11111111-1111-1111-1111-111111111111";
  const char *bob_id = "22222222-2222-2222-2222-222222222222";
  g_autoptr(JsonObject) alice_claims = json_object_new ();
  g_autoptr(JsonObject) bob_claims = json_object_new ();
  g_autofree char *alice_token = NULL;
  g_autofree char *bob_token = NULL;
  g_autoptr(TestClient) alice = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) bob = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V1);
  g_autoptr(TestClient) stranger = test_client_new (ws_url (), anon (), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) service = test_client_new (ws_url (), tandem_test_server_get_service_key (server),
                                                   TANDEM_SERIALIZER_V2);
  const char *config = "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"messages\"}]}";
  TestClient *clients[4];
  const char *expected_bodies[4][3] = {
    { "a1", "a2", NULL },          /* alice: conversation 1 */
    { "b1", NULL, NULL },          /* bob: conversation 2 */
    { NULL, NULL, NULL },          /* anon: nothing */
    { "a1", "b1", "a2" },          /* service role: everything */
  };

  json_object_set_string_member (alice_claims, "sub", alice_id);
  json_object_set_string_member (bob_claims, "sub", bob_id);
  alice_token = tandem_test_server_make_token (server, "authenticated", 3600, alice_claims);
  bob_token = tandem_test_server_make_token (server, "authenticated", 3600, bob_claims);

  tandem_test_pg_exec (pg,
    "CREATE TABLE conversation_members (conversation_id int, user_id uuid);"
    "CREATE TABLE messages (id serial PRIMARY KEY, conversation_id int NOT NULL, body text);"
    "ALTER TABLE messages ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY read_own ON messages FOR SELECT TO authenticated USING ("
    "  conversation_id IN (SELECT conversation_id FROM conversation_members WHERE user_id = auth.uid()));"
    "INSERT INTO conversation_members VALUES (1, '11111111-1111-1111-1111-111111111111'),"
    "                                        (2, '22222222-2222-2222-2222-222222222222');"
    "ALTER PUBLICATION supabase_realtime ADD TABLE messages;");

  g_assert_cmpstr (test_reply_status (test_client_join (alice, "realtime:inbox", config, alice_token)), ==, "ok");
  g_assert_cmpstr (test_reply_status (test_client_join (bob, "realtime:inbox", config, bob_token)), ==, "ok");
  g_assert_cmpstr (test_reply_status (test_client_join (stranger, "realtime:inbox", config, NULL)), ==, "ok");
  g_assert_cmpstr (test_reply_status (test_client_join (service, "realtime:inbox", config, NULL)), ==, "ok");
  clients[0] = alice;
  clients[1] = bob;
  clients[2] = stranger;
  clients[3] = service;
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (json_object_get_string_member (payload_object (test_client_wait_event (clients[i], "realtime:inbox", "system")),
                                                    "status"), ==, "ok");

  tandem_test_pg_exec (pg, "INSERT INTO messages (conversation_id, body) VALUES (1, 'a1');"
                           "INSERT INTO messages (conversation_id, body) VALUES (2, 'b1');"
                           "INSERT INTO messages (conversation_id, body) VALUES (1, 'a2');");

  /* the service role hears all three; by then the others heard theirs */
  TANDEM_WAIT_UNTIL (test_client_count_events (service, "realtime:inbox", "postgres_changes") == 3);
  TANDEM_WAIT_UNTIL (test_client_count_events (alice, "realtime:inbox", "postgres_changes") == 2);
  TANDEM_WAIT_UNTIL (test_client_count_events (bob, "realtime:inbox", "postgres_changes") == 1);
  tandem_test_run_for (300);
  for (guint i = 0; i < 4; i++)
    {
      guint n = 0;

      while (n < 3 && expected_bodies[i][n] != NULL)
        {
          TandemMessage *change = wait_change (clients[i], "realtime:inbox");
          JsonObject *record = json_object_get_object_member (change_data (change), "record");

          g_assert_cmpstr (json_object_get_string_member (record, "body"), ==, expected_bodies[i][n]);
          n++;
        }
      g_assert_cmpuint (test_client_count_events (clients[i], "realtime:inbox", "postgres_changes"), ==, n);
    }

  /* DELETE: no RLS check, and only the primary key of the old row */
  tandem_test_pg_exec (pg, "DELETE FROM messages WHERE body = 'a1';");
  for (guint i = 0; i < 4; i++)
    {
      TandemMessage *change = wait_change (clients[i], "realtime:inbox");
      JsonObject *old = json_object_get_object_member (change_data (change), "old_record");

      g_assert_cmpstr (json_object_get_string_member (change_data (change), "type"), ==, "DELETE");
      g_assert_cmpuint (json_object_get_size (old), ==, 1);
      g_assert_true (json_object_has_member (old, "id"));
    }
}

static void
test_health (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (tandem_test_server_get_url (server), "/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);
  JsonObject *object;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/json");
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (object, "database"), "connected"));
  g_assert_true (json_object_has_member (json_object_get_object_member (object, "realtime"), "connections"));
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--join-error-delay-ms", "0", "--connect-error-delay-ms", "0", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, args);

  g_test_add_data_func ("/realtime/heartbeat/v1", GINT_TO_POINTER (TANDEM_SERIALIZER_V1), test_heartbeat);
  g_test_add_data_func ("/realtime/heartbeat/v2", GINT_TO_POINTER (TANDEM_SERIALIZER_V2), test_heartbeat);
  g_test_add_data_func ("/realtime/join-reply/v1", GINT_TO_POINTER (TANDEM_SERIALIZER_V1), test_join_reply);
  g_test_add_data_func ("/realtime/join-reply/v2", GINT_TO_POINTER (TANDEM_SERIALIZER_V2), test_join_reply);
  g_test_add_func ("/realtime/leave", test_leave);
  g_test_add_func ("/realtime/unmatched-topic", test_unmatched_topic);
  g_test_add_func ("/realtime/duplicate-join", test_duplicate_join_replaces);
  g_test_add_data_func ("/realtime/broadcast/v1", GINT_TO_POINTER (TANDEM_SERIALIZER_V1), test_broadcast_self_ack);
  g_test_add_data_func ("/realtime/broadcast/v2", GINT_TO_POINTER (TANDEM_SERIALIZER_V2), test_broadcast_self_ack);
  g_test_add_func ("/realtime/broadcast/binary", test_binary_broadcast);
  g_test_add_func ("/realtime/tokens/join", test_join_bad_tokens);
  g_test_add_func ("/realtime/tokens/connect", test_connect_refused);
  g_test_add_func ("/realtime/no-compression", test_no_compression);
  g_test_add_func ("/realtime/tokens/expiry-and-refresh", test_token_expiry_and_refresh);
  g_test_add_data_func ("/realtime/presence/v1", GINT_TO_POINTER (TANDEM_SERIALIZER_V1), test_presence);
  g_test_add_data_func ("/realtime/presence/v2", GINT_TO_POINTER (TANDEM_SERIALIZER_V2), test_presence);
  g_test_add_func ("/realtime/presence/bad-payload", test_presence_bad_payload);
  g_test_add_data_func ("/realtime/malformed/v1", GINT_TO_POINTER (TANDEM_SERIALIZER_V1), test_malformed_frames);
  g_test_add_data_func ("/realtime/malformed/v2", GINT_TO_POINTER (TANDEM_SERIALIZER_V2), test_malformed_frames);
  g_test_add_func ("/realtime/rest-broadcast", test_rest_broadcast);
  g_test_add_data_func ("/realtime/postgres-changes/v1", GINT_TO_POINTER (TANDEM_SERIALIZER_V1), test_postgres_changes);
  g_test_add_data_func ("/realtime/postgres-changes/v2", GINT_TO_POINTER (TANDEM_SERIALIZER_V2), test_postgres_changes);
  g_test_add_func ("/realtime/postgres-changes/errors", test_postgres_changes_errors);
  g_test_add_func ("/realtime/postgres-changes/rls", test_postgres_changes_rls);
  g_test_add_func ("/realtime/health", test_health);

  status = g_test_run ();

  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
