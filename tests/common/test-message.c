/* test-message.c: the Realtime message codec (protocol.md §1.4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-json-private.h"
#include "tandem-message.h"

/* realtime-js test/serializer.test.ts, protocol.md §1.4.3 */
static const guint8 worked_example[] =
  "\x03\x02\x01\x03\x0a\x00\x01" "101topuser-event{\"a\":\"b\"}";
#define WORKED_EXAMPLE_LEN (sizeof worked_example - 1)

/* protocol.md Appendix A */
static const guint8 appendix_kind3[] =
  "\x03\x01\x01\x0e\x04\x00\x01" "47realtime:room1move{\"x\":1}";
static const guint8 appendix_kind4[] =
  "\x04\x0e\x04\x00\x01" "realtime:room1move{\"x\":1}";

static JsonNode *
node_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_payload_json (JsonNode   *payload,
                     const char *expected)
{
  g_autoptr(JsonNode) want = node_from_json (expected);

  g_assert_nonnull (payload);
  if (!json_node_equal (payload, want))
    {
      g_autofree char *got = json_to_string (payload, FALSE);

      g_error ("payload %s, expected %s", got, expected);
    }
}

static TandemMessage *
decode_text_ok (TandemSerializer  serializer,
                const char       *text)
{
  g_autoptr(GError) error = NULL;
  TandemMessage *message = tandem_message_decode_text (serializer, text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static void
assert_decode_text_fails (TandemSerializer     serializer,
                          const char          *data,
                          gsize                length,
                          TandemMessageError   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) message = tandem_message_decode_text (serializer, data, length, &error);

  if (message != NULL)
    g_error ("decoded \"%.*s\"", (int) length, data);
  g_assert_error (error, TANDEM_MESSAGE_ERROR, (int) code);
}

static void
assert_decode_binary_fails (const guint8       *data,
                            gsize               length,
                            TandemMessageError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) message = tandem_message_decode_binary (data, length, &error);

  g_assert_null (message);
  g_assert_error (error, TANDEM_MESSAGE_ERROR, (int) code);
}

static void
assert_encodes_to (const TandemMessage *message,
                   TandemSerializer     serializer,
                   gboolean             for_server,
                   const char          *expected)
{
  g_autoptr(GBytes) bytes = tandem_message_encode_text (message, serializer, for_server);
  gsize len = 0;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, strlen (expected));
}

static void
assert_messages_equal (const TandemMessage *a,
                       const TandemMessage *b)
{
  g_assert_cmpstr (a->join_ref, ==, b->join_ref);
  g_assert_cmpstr (a->ref, ==, b->ref);
  g_assert_cmpstr (a->topic, ==, b->topic);
  g_assert_cmpstr (a->event, ==, b->event);
  g_assert_cmpint (a->is_user_broadcast, ==, b->is_user_broadcast);
  g_assert_cmpstr (a->user_event, ==, b->user_event);
  g_assert_cmpint (a->user_payload_is_json, ==, b->user_payload_is_json);
  g_assert_cmpstr (a->metadata, ==, b->metadata);
  g_assert_true ((a->user_payload == NULL) == (b->user_payload == NULL));
  if (a->user_payload != NULL)
    g_assert_true (g_bytes_equal (a->user_payload, b->user_payload));
  g_assert_true ((a->payload == NULL) == (b->payload == NULL));
  if (a->payload != NULL)
    g_assert_true (json_node_equal (a->payload, b->payload));
}

static void
test_vsn (void)
{
  static const struct
  {
    const char      *vsn;
    gboolean         ok;
    TandemSerializer serializer;
  } cases[] = {
    { "1.0.0", TRUE, TANDEM_SERIALIZER_V1 },
    { "1.0.7", TRUE, TANDEM_SERIALIZER_V1 },
    { "2.0.0", TRUE, TANDEM_SERIALIZER_V2 },
    { "2.0.12", TRUE, TANDEM_SERIALIZER_V2 },
    { "2.0.1-rc.1", TRUE, TANDEM_SERIALIZER_V2 },
    { "2.0.0+build.7", TRUE, TANDEM_SERIALIZER_V2 },
    { "2.0.0-rc.1", FALSE, 0 },  /* sorts before 2.0.0 */
    { "1.1.0", FALSE, 0 },
    { "2.1.0", FALSE, 0 },
    { "3.0.0", FALSE, 0 },
    { "0.0.1", FALSE, 0 },
    { "2", FALSE, 0 },
    { "2.0", FALSE, 0 },
    { "2.0.0.0", FALSE, 0 },
    { "02.0.0", FALSE, 0 },
    { "2.0.0 ", FALSE, 0 },
    { "v2.0.0", FALSE, 0 },
    { "2.0.0-", FALSE, 0 },
    { "2.0.x", FALSE, 0 },
    { "", FALSE, 0 },
    { "99999999999999999999999.0.0", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TandemSerializer serializer = 42;

      if (tandem_serializer_from_vsn (cases[i].vsn, &serializer) != cases[i].ok)
        g_error ("vsn \"%s\" not %s", cases[i].vsn, cases[i].ok ? "accepted" : "refused");
      if (cases[i].ok)
        g_assert_cmpint (serializer, ==, cases[i].serializer);
    }

  g_assert_false (tandem_serializer_from_vsn (NULL, NULL));
  g_assert_true (tandem_serializer_from_vsn ("1.0.0", NULL));
  g_assert_cmpstr (tandem_serializer_to_vsn (TANDEM_SERIALIZER_V1), ==, "1.0.0");
  g_assert_cmpstr (tandem_serializer_to_vsn (TANDEM_SERIALIZER_V2), ==, "2.0.0");
}

static void
test_decode_v2 (void)
{
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(TandemMessage) heartbeat = NULL;
  g_autoptr(TandemMessage) extra = NULL;
  g_autoptr(TandemMessage) null_payload = NULL;

  join = decode_text_ok (TANDEM_SERIALIZER_V2,
                         "[\"3\",\"3\",\"realtime:room1\",\"phx_join\",{\"config\":{\"private\":false}}]");
  g_assert_cmpstr (join->join_ref, ==, "3");
  g_assert_cmpstr (join->ref, ==, "3");
  g_assert_cmpstr (join->topic, ==, "realtime:room1");
  g_assert_cmpstr (join->event, ==, "phx_join");
  g_assert_false (join->is_user_broadcast);
  assert_payload_json (join->payload, "{\"config\":{\"private\":false}}");
  g_assert_nonnull (tandem_message_get_payload_object (join));
  /* The payload outlived its tree and is detached from it. */
  g_assert_null (json_node_get_parent (join->payload));

  heartbeat = decode_text_ok (TANDEM_SERIALIZER_V2, " [ null , \"7\" , \"phoenix\" , \"heartbeat\" , { } ] \n");
  g_assert_null (heartbeat->join_ref);
  g_assert_cmpstr (heartbeat->ref, ==, "7");
  g_assert_cmpstr (heartbeat->topic, ==, "phoenix");
  assert_payload_json (heartbeat->payload, "{}");

  /* More than five elements: extras ignored */
  extra = decode_text_ok (TANDEM_SERIALIZER_V2, "[null,null,\"t\",\"e\",[1,2],\"x\",{\"y\":1}]");
  assert_payload_json (extra->payload, "[1,2]");
  g_assert_null (tandem_message_get_payload_object (extra));

  null_payload = decode_text_ok (TANDEM_SERIALIZER_V2, "[null,null,\"t\",\"e\",null]");
  g_assert_nonnull (null_payload->payload);
  g_assert_true (JSON_NODE_HOLDS_NULL (null_payload->payload));
}

static void
test_decode_v1 (void)
{
  g_autoptr(TandemMessage) with_join_ref = NULL;
  g_autoptr(TandemMessage) without = NULL;

  with_join_ref = decode_text_ok (TANDEM_SERIALIZER_V1,
                                  "{\"topic\":\"realtime:room1\",\"event\":\"phx_join\","
                                  "\"payload\":{\"config\":{}},\"ref\":\"3\",\"join_ref\":\"3\",\"extra\":1}");
  g_assert_cmpstr (with_join_ref->join_ref, ==, "3");
  g_assert_cmpstr (with_join_ref->ref, ==, "3");
  g_assert_cmpstr (with_join_ref->topic, ==, "realtime:room1");
  g_assert_cmpstr (with_join_ref->event, ==, "phx_join");
  assert_payload_json (with_join_ref->payload, "{\"config\":{}}");

  without = decode_text_ok (TANDEM_SERIALIZER_V1,
                            "{\"ref\":null,\"payload\":{\"status\":\"ok\"},\"event\":\"phx_reply\",\"topic\":\"phoenix\"}");
  g_assert_null (without->join_ref);
  g_assert_null (without->ref);
  g_assert_cmpstr (without->event, ==, "phx_reply");
  assert_payload_json (without->payload, "{\"status\":\"ok\"}");
}

static void
test_encode_text (void)
{
  g_autoptr(JsonNode) reply = node_from_json ("{\"status\":\"ok\",\"response\":{}}");
  g_autoptr(TandemMessage) heartbeat = tandem_message_new (NULL, "7", "phoenix", "phx_reply", reply);
  g_autoptr(TandemMessage) push = NULL;
  g_autoptr(TandemMessage) empty = tandem_message_new ("4", "4", "realtime:room1", "phx_close", NULL);
  g_autoptr(JsonNode) broadcast = node_from_json ("{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":1}}");

  /* protocol.md §1.5 */
  assert_encodes_to (heartbeat, TANDEM_SERIALIZER_V2, TRUE,
                     "[null,\"7\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
  assert_encodes_to (heartbeat, TANDEM_SERIALIZER_V1, TRUE,
                     "{\"topic\":\"phoenix\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":\"7\"}");

  /* protocol.md §3.1 */
  push = tandem_message_new ("3", "9", "realtime:room1", "broadcast", broadcast);
  assert_encodes_to (push, TANDEM_SERIALIZER_V2, FALSE,
                     "[\"3\",\"9\",\"realtime:room1\",\"broadcast\",{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":1}}]");
  assert_encodes_to (push, TANDEM_SERIALIZER_V1, FALSE,
                     "{\"topic\":\"realtime:room1\",\"event\":\"broadcast\",\"payload\":{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":1}},\"ref\":\"9\",\"join_ref\":\"3\"}");
  /* v1 server frames carry no join_ref, whatever the message holds */
  assert_encodes_to (push, TANDEM_SERIALIZER_V1, TRUE,
                     "{\"topic\":\"realtime:room1\",\"event\":\"broadcast\",\"payload\":{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":1}},\"ref\":\"9\"}");

  /* NULL payload means {}; null refs are written as null in client frames */
  assert_encodes_to (empty, TANDEM_SERIALIZER_V2, TRUE, "[\"4\",\"4\",\"realtime:room1\",\"phx_close\",{}]");
  g_clear_pointer (&empty, tandem_message_free);
  empty = tandem_message_new (NULL, NULL, "realtime:room1", "phx_close", NULL);
  assert_encodes_to (empty, TANDEM_SERIALIZER_V1, FALSE,
                     "{\"topic\":\"realtime:room1\",\"event\":\"phx_close\",\"payload\":{},\"ref\":null,\"join_ref\":null}");

  /* Encoding shares the payload rather than copying or changing it. */
  g_assert_true (json_node_get_object (push->payload) == json_node_get_object (broadcast));
  assert_payload_json (push->payload, "{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":1}}");
}

static void
test_text_round_trip (void)
{
  static const char * const payloads[] = {
    "{}",
    "{\"status\":\"ok\",\"response\":{\"postgres_changes\":[{\"event\":\"INSERT\",\"schema\":\"public\",\"table\":\"todos\",\"id\":31415926}]}}",
    "{\"s\":\"quote \\\" backslash \\\\ newline \\n tab \\t control \\u0001 unicode \\u00e9 \\ud83d\\ude00 slash /\"}",
    "{\"n\":[0,-1,9223372036854775807,-9223372036854775808,0.5,-2.5e-3,1e+300,true,false,null]}",
    "[1,\"two\",{\"three\":3}]",
    "\"just a string\"",
    "null",
  };
  const char *refs[][2] = {
    { "12", "13" }, { NULL, "7" }, { "4", NULL }, { NULL, NULL }, { "", "" },
  };

  for (guint s = 0; s < 2; s++)
    {
      TandemSerializer serializer = s == 0 ? TANDEM_SERIALIZER_V1 : TANDEM_SERIALIZER_V2;

      for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
        for (guint r = 0; r < G_N_ELEMENTS (refs); r++)
          {
            g_autoptr(JsonNode) payload = node_from_json (payloads[i]);
            g_autoptr(TandemMessage) message = tandem_message_new (refs[r][0], refs[r][1], "realtime:r\xc3\xa9union",
                                                                   "presence_diff", payload);
            g_autoptr(GBytes) bytes = tandem_message_encode_text (message, serializer, FALSE);
            g_autoptr(GError) error = NULL;
            g_autoptr(TandemMessage) back = NULL;
            gsize len = 0;
            const char *data = g_bytes_get_data (bytes, &len);

            back = tandem_message_decode_text (serializer, data, len, &error);
            g_assert_no_error (error);
            assert_messages_equal (message, back);

            /* A server frame in v1 loses join_ref and nothing else. */
            if (serializer == TANDEM_SERIALIZER_V1)
              {
                g_autoptr(GBytes) server = tandem_message_encode_text (message, serializer, TRUE);
                g_autoptr(TandemMessage) server_back = NULL;

                data = g_bytes_get_data (server, &len);
                server_back = tandem_message_decode_text (serializer, data, len, &error);
                g_assert_no_error (error);
                g_assert_null (server_back->join_ref);
                g_assert_cmpstr (server_back->ref, ==, message->ref);
                g_assert_true (json_node_equal (server_back->payload, message->payload));
              }
          }
    }
}

static void
test_text_not_terminated (void)
{
  const char *text = "[null,\"1\",\"phoenix\",\"heartbeat\",{}]GARBAGE";
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autofree char *exact = g_memdup2 (text, 35);

  /* @length bounds the read: the garbage after it is not seen, and a buffer
   * without a NUL is fine (ASan would catch a read past it). */
  message = tandem_message_decode_text (TANDEM_SERIALIZER_V2, exact, 35, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->event, ==, "heartbeat");

  assert_decode_text_fails (TANDEM_SERIALIZER_V2, text, strlen (text), TANDEM_MESSAGE_ERROR_INVALID_JSON);
}

static void
test_decode_text_invalid_json (void)
{
  static const char * const texts[] = {
    "",
    "   ",
    "[null,",
    "{\"topic\":",
    "[null,null,\"t\",\"e\",{}",
    "[null,null,\"t\",\"e\",{}]]",
    "[null,null,\"t\",\"e\",{}] x",
    "[null,null,\"t\",\"e\",{},]",
    /* json-glib would accept these; JSON does not */
    "/* c */[null,null,\"t\",\"e\",{}]",
    "[null,null,'t','e',{}]",
    "[null,null,\"t\",\"e\",{\"a\":0x10}]",
    "[null,null,\"t\",\"e\",{\"a\":01}]",
    "[null,null,\"t\",\"e\",{\"a\":.5}]",
    "[null,null,\"t\",\"e\",{\"a\":1.}]",
    "[null,null,\"t\",\"e\",{\"a\":+1}]",
    "[null,null,\"t\",\"e\",{\"a\":NaN}]",
    "[null,null,\"t\",\"e\",{\"a\":Infinity}]",
    "\xef\xbb\xbf[null,null,\"t\",\"e\",{}]",
    /* values json-glib cannot hold faithfully */
    "[null,null,\"t\",\"e\",{\"a\":9223372036854775808}]",
    "[null,null,\"t\",\"e\",{\"a\":-9223372036854775809}]",
    "[null,null,\"t\",\"e\",{\"a\":1e400}]",
    "[null,null,\"t\",\"e\",{\"a\":-1e400}]",
    /* strings */
    "[null,null,\"t\",\"e\",{\"a\":\"\\x41\"}]",
    "[null,null,\"t\",\"e\",{\"a\":\"\\ud800\"}]",
    "[null,null,\"t\",\"e\",{\"a\":\"\\udc00\"}]",
    "[null,null,\"t\",\"e\",{\"a\":\"\\ud800\\u0041\"}]",
    "[null,null,\"t\",\"e\",{\"a\":\"\\u12\"}]",
    "[null,null,\"t\",\"e\",{\"a\":\"tab\tinside\"}]",
    "[null,null,\"t\",\"e\",{\"a\":\"unterminated}]",
    /* not UTF-8 */
    "[null,null,\"t\xff\",\"e\",{}]",
    "[null,null,\"t\",\"e\",{\"\xc3\":1}]",
    "[null,null,\"\xed\xa0\x80\",\"e\",{}]",
    /* literals */
    "[nul,null,\"t\",\"e\",{}]",
    "[True,null,\"t\",\"e\",{}]",
    "{\"topic\" \"t\"}",
    "{topic:\"t\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      assert_decode_text_fails (TANDEM_SERIALIZER_V2, texts[i], strlen (texts[i]),
                                TANDEM_MESSAGE_ERROR_INVALID_JSON);
      assert_decode_text_fails (TANDEM_SERIALIZER_V1, texts[i], strlen (texts[i]),
                                TANDEM_MESSAGE_ERROR_INVALID_JSON);
    }

  /* An embedded NUL */
  assert_decode_text_fails (TANDEM_SERIALIZER_V2, "[null,null,\"t\0\",\"e\",{}]", 22,
                            TANDEM_MESSAGE_ERROR_INVALID_JSON);
  /* NULL data with no length is the empty frame */
  assert_decode_text_fails (TANDEM_SERIALIZER_V2, NULL, 0, TANDEM_MESSAGE_ERROR_INVALID_JSON);
}

static void
test_decode_text_nesting (void)
{
  GString *deep = g_string_new ("[null,null,\"t\",\"e\",");
  GString *ok = g_string_new ("[null,null,\"t\",\"e\",");
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) message = NULL;

  /* 511 levels in the payload + 1 for the frame is the limit */
  for (guint i = 0; i < 511; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < 511; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, ']');
  message = tandem_message_decode_text (TANDEM_SERIALIZER_V2, ok->str, ok->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "{\"a\":[");
  assert_decode_text_fails (TANDEM_SERIALIZER_V2, deep->str, deep->len, TANDEM_MESSAGE_ERROR_INVALID_JSON);

  g_string_free (deep, TRUE);
  g_string_free (ok, TRUE);
}

static void
test_decode_text_invalid_shape (void)
{
  static const char * const v2[] = {
    "[]",
    "[null,null,\"t\",\"e\"]",
    "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":null}",
    "\"t\"",
    "42",
    "null",
    "[1,null,\"t\",\"e\",{}]",
    "[null,2,\"t\",\"e\",{}]",
    "[{},null,\"t\",\"e\",{}]",
    "[null,[],\"t\",\"e\",{}]",
    "[null,null,null,\"e\",{}]",
    "[null,null,\"t\",null,{}]",
    "[null,null,3,\"e\",{}]",
    "[null,null,\"t\",true,{}]",
  };
  static const char * const v1[] = {
    "[null,null,\"t\",\"e\",{}]",
    "{}",
    "{\"event\":\"e\",\"payload\":{},\"ref\":null}",
    "{\"topic\":\"t\",\"payload\":{},\"ref\":null}",
    "{\"topic\":\"t\",\"event\":\"e\",\"ref\":null}",
    "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{}}",
    "{\"topic\":1,\"event\":\"e\",\"payload\":{},\"ref\":null}",
    "{\"topic\":\"t\",\"event\":{},\"payload\":{},\"ref\":null}",
    "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":7}",
    "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":null,\"join_ref\":false}",
    "\"x\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (v2); i++)
    assert_decode_text_fails (TANDEM_SERIALIZER_V2, v2[i], strlen (v2[i]), TANDEM_MESSAGE_ERROR_INVALID_SHAPE);
  for (guint i = 0; i < G_N_ELEMENTS (v1); i++)
    assert_decode_text_fails (TANDEM_SERIALIZER_V1, v1[i], strlen (v1[i]), TANDEM_MESSAGE_ERROR_INVALID_SHAPE);
}

static TandemMessage *
user_broadcast (const char *join_ref,
                const char *ref,
                const char *topic,
                const char *event,
                const void *payload,
                gsize       payload_len,
                gboolean    is_json,
                const char *metadata)
{
  g_autoptr(GBytes) bytes = g_bytes_new (payload, payload_len);

  return tandem_message_new_user_broadcast (join_ref, ref, topic, event, bytes, is_json, metadata);
}

static void
test_binary_worked_example (void)
{
  g_autoptr(TandemMessage) message = user_broadcast ("10", "1", "top", "user-event", "{\"a\":\"b\"}", 9, TRUE, NULL);
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) decoded = NULL;
  gsize len = 0;
  const guint8 *data;

  g_assert_cmpstr (message->event, ==, "broadcast");
  g_assert_null (message->payload);

  frame = tandem_message_encode_binary (message, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (frame, &len);
  g_assert_cmpmem (data, len, worked_example, WORKED_EXAMPLE_LEN);

  decoded = tandem_message_decode_binary (worked_example, WORKED_EXAMPLE_LEN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded->join_ref, ==, "10");
  g_assert_cmpstr (decoded->ref, ==, "1");
  g_assert_cmpstr (decoded->topic, ==, "top");
  g_assert_cmpstr (decoded->event, ==, "broadcast");
  g_assert_true (decoded->is_user_broadcast);
  g_assert_cmpstr (decoded->user_event, ==, "user-event");
  g_assert_true (decoded->user_payload_is_json);
  g_assert_null (decoded->metadata);
  g_assert_null (decoded->payload);
  data = g_bytes_get_data (decoded->user_payload, &len);
  g_assert_cmpmem (data, len, "{\"a\":\"b\"}", 9);
  assert_messages_equal (message, decoded);
}

static void
test_binary_appendix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) push = NULL;
  g_autoptr(TandemMessage) delivery = NULL;
  g_autoptr(GBytes) kind4 = NULL;
  gsize len = 0;
  const guint8 *data;

  push = tandem_message_decode_binary (appendix_kind3, sizeof appendix_kind3 - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (push->join_ref, ==, "4");
  g_assert_cmpstr (push->ref, ==, "7");
  g_assert_cmpstr (push->topic, ==, "realtime:room1");
  g_assert_cmpstr (push->user_event, ==, "move");

  /* The server's fan-out of that push to v2 subscribers: kind 4, refs gone */
  kind4 = tandem_message_encode_binary (push, TANDEM_BINARY_KIND_USER_BROADCAST, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (kind4, &len);
  g_assert_cmpmem (data, len, appendix_kind4, sizeof appendix_kind4 - 1);

  delivery = tandem_message_decode_binary (appendix_kind4, sizeof appendix_kind4 - 1, &error);
  g_assert_no_error (error);
  g_assert_null (delivery->join_ref);
  g_assert_null (delivery->ref);
  g_assert_cmpstr (delivery->topic, ==, "realtime:room1");
  g_assert_cmpstr (delivery->event, ==, "broadcast");
  g_assert_cmpstr (delivery->user_event, ==, "move");

  /* ... and to v1/v2 text subscribers, the logical payload */
  assert_encodes_to (delivery, TANDEM_SERIALIZER_V2, TRUE,
                     "[null,null,\"realtime:room1\",\"broadcast\",{\"type\":\"broadcast\",\"event\":\"move\",\"payload\":{\"x\":1}}]");
  assert_encodes_to (delivery, TANDEM_SERIALIZER_V1, TRUE,
                     "{\"topic\":\"realtime:room1\",\"event\":\"broadcast\",\"payload\":{\"type\":\"broadcast\",\"event\":\"move\",\"payload\":{\"x\":1}},\"ref\":null}");
  /* encode_text does not fill in the payload: the message is const */
  g_assert_null (delivery->payload);

  g_assert_true (tandem_message_ensure_payload (delivery, &error));
  g_assert_no_error (error);
  assert_payload_json (delivery->payload, "{\"type\":\"broadcast\",\"event\":\"move\",\"payload\":{\"x\":1}}");
  g_assert_nonnull (tandem_message_get_payload_object (delivery));
  /* Idempotent */
  g_assert_true (tandem_message_ensure_payload (delivery, &error));
}

static void
test_binary_round_trips (void)
{
  static const guint8 raw[] = { 0x00, 0xff, 0x80, 0x7b, 0x22, 0x00, 0x01, 0xfe };
  static const struct
  {
    const char   *join_ref;
    const char   *ref;
    const char   *topic;
    const char   *event;
    const guint8 *payload;
    gsize         payload_len;
    gboolean      is_json;
    const char   *metadata;
  } cases[] = {
    { "1", "2", "realtime:room1", "cursor-pos", (const guint8 *) "{\"x\":1,\"y\":[1,2]}", 17, TRUE, NULL },
    { "1", "2", "realtime:room1", "bytes", raw, sizeof raw, FALSE, NULL },
    { NULL, NULL, "realtime:room1", "empty-binary", (const guint8 *) "", 0, FALSE, NULL },
    { "3", NULL, "realtime:r\xc3\xa9union", "\xf0\x9f\x98\x80", (const guint8 *) "\"text\"", 6, TRUE,
      "{\"id\":\"c0ffee00-0000-4000-8000-000000000000\"}" },
    { NULL, "9", "t", "", (const guint8 *) "null", 4, TRUE, "{\"replayed\":true,\"id\":\"x\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint k = 3; k <= 4; k++)
      {
        g_autoptr(TandemMessage) message = user_broadcast (cases[i].join_ref, cases[i].ref, cases[i].topic,
                                                           cases[i].event, cases[i].payload,
                                                           cases[i].payload_len, cases[i].is_json,
                                                           cases[i].metadata);
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) frame = tandem_message_encode_binary (message, k, &error);
        g_autoptr(TandemMessage) back = NULL;
        g_autoptr(TandemMessage) back_bytes = NULL;
        gsize len = 0;
        const guint8 *data;

        g_assert_no_error (error);
        data = g_bytes_get_data (frame, &len);
        g_assert_cmpint (data[0], ==, k);

        back = tandem_message_decode_binary (data, len, &error);
        g_assert_no_error (error);
        back_bytes = tandem_message_decode_binary_bytes (frame, &error);
        g_assert_no_error (error);
        assert_messages_equal (back, back_bytes);

        if (k == 3)
          {
            assert_messages_equal (message, back);
          }
        else
          {
            g_assert_null (back->join_ref);
            g_assert_null (back->ref);
            g_assert_cmpstr (back->topic, ==, message->topic);
            g_assert_cmpstr (back->user_event, ==, message->user_event);
            g_assert_cmpstr (back->metadata, ==, message->metadata);
            g_assert_true (g_bytes_equal (back->user_payload, message->user_payload));
          }

        /* decode_binary_bytes slices the frame instead of copying */
        if (cases[i].payload_len > 0)
          {
            const guint8 *payload = g_bytes_get_data (back_bytes->user_payload, NULL);

            g_assert_true (payload == data + len - cases[i].payload_len);
          }
      }
}

static void
test_binary_user_payload_conversions (void)
{
  static const guint8 raw[] = { 0x01, 0x02 };
  g_autoptr(TandemMessage) binary = user_broadcast (NULL, NULL, "realtime:room1", "blob", raw, 2, FALSE, NULL);
  g_autoptr(TandemMessage) with_meta = user_broadcast (NULL, NULL, "realtime:room1", "db", "{\"a\":1}", 7, TRUE,
                                                       "{\"id\":\"abc\"}");
  g_autoptr(TandemMessage) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = NULL;

  /* v1 cannot carry a binary payload (protocol.md §3.3: not delivered) */
  text = tandem_message_encode_text (binary, TANDEM_SERIALIZER_V1, TRUE);
  g_assert_null (text);
  text = tandem_message_encode_text (binary, TANDEM_SERIALIZER_V2, TRUE);
  g_assert_null (text);
  g_assert_false (tandem_message_ensure_payload (binary, &error));
  g_assert_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON);
  g_assert_null (binary->payload);
  g_clear_error (&error);

  /* Broadcast-from-DB: meta travels in the logical payload */
  assert_encodes_to (with_meta, TANDEM_SERIALIZER_V1, TRUE,
                     "{\"topic\":\"realtime:room1\",\"event\":\"broadcast\",\"payload\":{\"type\":\"broadcast\",\"event\":\"db\",\"payload\":{\"a\":1},\"meta\":{\"id\":\"abc\"}},\"ref\":null}");

  g_assert_true (tandem_message_ensure_payload (with_meta, &error));
  copy = tandem_message_copy (with_meta);
  assert_messages_equal (with_meta, copy);
  assert_encodes_to (copy, TANDEM_SERIALIZER_V2, TRUE,
                     "[null,null,\"realtime:room1\",\"broadcast\",{\"type\":\"broadcast\",\"event\":\"db\",\"payload\":{\"a\":1},\"meta\":{\"id\":\"abc\"}}]");
}

static void
test_encode_binary_errors (void)
{
  g_autofree char *long_topic = g_strnfill (256, 't');
  g_autofree char *max_topic = g_strnfill (255, 't');
  g_autofree char *long_ref = g_strnfill (256, '1');
  g_autoptr(TandemMessage) too_long = user_broadcast (NULL, NULL, long_topic, "e", "{}", 2, TRUE, NULL);
  g_autoptr(TandemMessage) max = user_broadcast (NULL, NULL, max_topic, "e", "{}", 2, TRUE, NULL);
  g_autoptr(TandemMessage) long_ref_msg = user_broadcast (NULL, long_ref, "t", "e", "{}", 2, TRUE, NULL);
  g_autoptr(TandemMessage) text_message = tandem_message_new (NULL, NULL, "t", "broadcast", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  static const TandemBinaryKind bad_kinds[] = { 0, 1, 2, 5, 255 };

  frame = tandem_message_encode_binary (too_long, TANDEM_BINARY_KIND_USER_BROADCAST, &error);
  g_assert_null (frame);
  g_assert_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_FIELD_TOO_LONG);
  g_clear_error (&error);

  frame = tandem_message_encode_binary (max, TANDEM_BINARY_KIND_USER_BROADCAST, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (frame), ==, 5 + 255 + 1 + 2);
  g_clear_pointer (&frame, g_bytes_unref);

  /* The ref only counts in kind 3 */
  frame = tandem_message_encode_binary (long_ref_msg, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH, &error);
  g_assert_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_FIELD_TOO_LONG);
  g_clear_error (&error);
  frame = tandem_message_encode_binary (long_ref_msg, TANDEM_BINARY_KIND_USER_BROADCAST, &error);
  g_assert_no_error (error);
  g_clear_pointer (&frame, g_bytes_unref);

  for (guint i = 0; i < G_N_ELEMENTS (bad_kinds); i++)
    {
      frame = tandem_message_encode_binary (max, bad_kinds[i], &error);
      g_assert_null (frame);
      g_assert_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND);
      g_clear_error (&error);
    }

  frame = tandem_message_encode_binary (text_message, TANDEM_BINARY_KIND_USER_BROADCAST, &error);
  g_assert_null (frame);
  g_assert_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_SHAPE);
}

static void
test_decode_binary_errors (void)
{
  static const guint8 empty[] = { 0 };
  static const guint8 kind3_short[] = { 3, 0, 0, 0, 0, 0 };
  static const guint8 kind4_short[] = { 4, 0, 0, 0 };
  static const guint8 beyond[] = { 4, 10, 1, 0, 1, 't', 'o', 'p' };
  static const guint8 beyond_meta[] = { 4, 1, 1, 200, 1, 't', 'e', '{', '}' };
  static const guint8 beyond_refs[] = { 3, 255, 255, 0, 0, 0, 0, '1' };
  static const guint8 bad_encoding[] = { 4, 1, 1, 0, 2, 't', 'e', '{', '}' };
  static const guint8 topic_not_utf8[] = { 4, 1, 1, 0, 1, 0xff, 'e', '{', '}' };
  static const guint8 event_nul[] = { 4, 1, 2, 0, 1, 't', 'e', 0, '{', '}' };
  static const guint8 ref_not_utf8[] = { 3, 0, 2, 1, 1, 0, 1, 0xc3, 0x28, 't', 'e', '{', '}' };
  static const guint8 meta_not_json[] = { 4, 1, 1, 3, 1, 't', 'e', 'a', 'b', 'c', '{', '}' };
  static const guint8 meta_array[] = { 4, 1, 1, 2, 1, 't', 'e', '[', ']', '{', '}' };
  static const guint8 payload_not_json[] = { 4, 1, 1, 0, 1, 't', 'e', '{', 'x' };
  static const guint8 payload_empty_json[] = { 4, 1, 1, 0, 1, 't', 'e' };
  static const guint8 payload_not_utf8[] = { 4, 1, 1, 0, 1, 't', 'e', '"', 0xff, '"' };
  static const guint8 payload_empty_binary[] = { 4, 1, 1, 0, 0, 't', 'e' };

  assert_decode_binary_fails (empty, 0, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (NULL, 0, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (kind3_short, sizeof kind3_short, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (kind4_short, sizeof kind4_short, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (kind3_short, 1, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (beyond, sizeof beyond, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (beyond_meta, sizeof beyond_meta, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (beyond_refs, sizeof beyond_refs, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (bad_encoding, sizeof bad_encoding, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (topic_not_utf8, sizeof topic_not_utf8, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (event_nul, sizeof event_nul, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (ref_not_utf8, sizeof ref_not_utf8, TANDEM_MESSAGE_ERROR_INVALID_BINARY);
  assert_decode_binary_fails (meta_not_json, sizeof meta_not_json, TANDEM_MESSAGE_ERROR_INVALID_JSON);
  assert_decode_binary_fails (meta_array, sizeof meta_array, TANDEM_MESSAGE_ERROR_INVALID_JSON);
  assert_decode_binary_fails (payload_not_json, sizeof payload_not_json, TANDEM_MESSAGE_ERROR_INVALID_JSON);
  assert_decode_binary_fails (payload_empty_json, sizeof payload_empty_json, TANDEM_MESSAGE_ERROR_INVALID_JSON);
  assert_decode_binary_fails (payload_not_utf8, sizeof payload_not_utf8, TANDEM_MESSAGE_ERROR_INVALID_JSON);

  /* Phoenix-native and unknown kinds */
  for (guint kind = 0; kind < 256; kind++)
    {
      guint8 frame[sizeof worked_example];

      if (kind == 3 || kind == 4)
        continue;
      memcpy (frame, worked_example, WORKED_EXAMPLE_LEN);
      frame[0] = kind;
      assert_decode_binary_fails (frame, WORKED_EXAMPLE_LEN, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND);
      assert_decode_binary_fails (frame, 1, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND);
    }

  /* An empty binary payload is a payload */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TandemMessage) message = tandem_message_decode_binary (payload_empty_binary,
                                                                     sizeof payload_empty_binary, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (message->user_payload), ==, 0);
  }
}

static void
test_decode_binary_truncated (void)
{
  /* Every strict prefix of a JSON-payload frame is an error (the payload JSON
   * is cut short at worst), with the right code. The heap copy of exactly
   * that many bytes lets ASan catch any read past the end. */
  for (gsize len = 0; len < WORKED_EXAMPLE_LEN; len++)
    {
      g_autofree guint8 *copy = g_memdup2 (worked_example, len);
      TandemMessageError code = len < 7 + 2 + 1 + 3 + 10 ? TANDEM_MESSAGE_ERROR_INVALID_BINARY
                                                         : TANDEM_MESSAGE_ERROR_INVALID_JSON;

      assert_decode_binary_fails (copy, len, code);
    }
}

/* The in-place reader of kind 4 frames agrees with decode_binary: same
 * fields, same verdict, except that it does not read the payload's JSON.
 * Random frames built around valid ones, mutated byte by byte. */
static void
test_peek_user_broadcast (void)
{
  static const char * const topics[] = { "realtime:room", "", "realtime:é€", "t" };
  static const char * const events[] = { "cursor", "", "batch_messages", "x\xff" };
  static const char * const metas[] = { "", "{\"id\":\"1\"}", "[1]", "{" };
  static const char * const payloads[] = { "{\"x\":1}", "[1,2]", "nope", "", "\x00\x01" };
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint agreed_ok = 0;

  g_test_message ("seed %u", seed);
  for (guint i = 0; i < 20000; i++)
    {
      const char *topic = topics[g_rand_int_range (rand, 0, G_N_ELEMENTS (topics))];
      const char *event = events[g_rand_int_range (rand, 0, G_N_ELEMENTS (events))];
      const char *meta = metas[g_rand_int_range (rand, 0, G_N_ELEMENTS (metas))];
      const char *payload = payloads[g_rand_int_range (rand, 0, G_N_ELEMENTS (payloads))];
      gsize payload_len = payload[0] == '\0' && payload != payloads[3] ? 2 : strlen (payload);
      g_autoptr(GByteArray) frame = g_byte_array_new ();
      guint8 header[5] = { 4, strlen (topic), strlen (event), strlen (meta), g_rand_int_range (rand, 0, 3) };
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) peek_error = NULL;
      g_autoptr(TandemMessage) message = NULL;
      TandemUserBroadcastView view;
      gboolean peeked;

      g_byte_array_append (frame, header, sizeof header);
      g_byte_array_append (frame, (const guint8 *) topic, strlen (topic));
      g_byte_array_append (frame, (const guint8 *) event, strlen (event));
      g_byte_array_append (frame, (const guint8 *) meta, strlen (meta));
      g_byte_array_append (frame, (const guint8 *) payload, payload_len);
      if (g_rand_int_range (rand, 0, 4) == 0)
        frame->data[g_rand_int_range (rand, 0, frame->len)] = g_rand_int_range (rand, 0, 256);
      if (g_rand_int_range (rand, 0, 8) == 0)
        g_byte_array_set_size (frame, g_rand_int_range (rand, 0, frame->len + 1));
      if (frame->len == 0 || frame->data[0] != 4)
        continue;

      message = tandem_message_decode_binary (frame->data, frame->len, &error);
      peeked = tandem_message_peek_user_broadcast (frame->data, frame->len, &view, &peek_error);
      if (message != NULL)
        {
          g_assert_true (peeked);
          g_assert_cmpuint (strlen (message->topic), ==, view.topic_len);
          g_assert_true (memcmp (message->topic, view.topic, view.topic_len) == 0);
          g_assert_cmpuint (strlen (message->user_event), ==, view.event_len);
          g_assert_true (memcmp (message->user_event, view.event, view.event_len) == 0);
          g_assert_cmpuint (message->metadata ? strlen (message->metadata) : 0, ==, view.metadata_len);
          g_assert_cmpint (message->user_payload_is_json, ==, view.payload_is_json);
          g_assert_cmpuint (g_bytes_get_size (message->user_payload), ==, view.payload_len);
          g_assert_cmpuint (view.payload_offset + view.payload_len, ==, frame->len);
          agreed_ok++;
        }
      else if (peeked)
        g_assert_true (view.payload_is_json &&
                       !tandem_json_validate ((const char *) view.payload, view.payload_len, NULL, NULL));
      else
        g_assert_true (peek_error->domain == TANDEM_MESSAGE_ERROR);
    }
  g_assert_cmpuint (agreed_ok, >, 1000);
}

static void
test_non_finite_numbers (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(TandemMessage) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;
  const char *expected =
    "[null,null,\"t\",\"e\",{\"inf\":null,\"nan\":null,\"big\":1e+18,\"huge\":-2.0000000000000001e+300,"
    "\"tiny\":9.9999999999999995e-08,\"text\":\"1e+18.0 inf.0\",\"esc\\\"1e+18.0\":\"\\\\\\\"\\\\\"}]";

  /* json-glib 1.6 would write "inf.0" and "1e+18.0" for these. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inf");
  json_builder_add_double_value (builder, INFINITY);
  json_builder_set_member_name (builder, "nan");
  json_builder_add_double_value (builder, NAN);
  json_builder_set_member_name (builder, "big");
  json_builder_add_double_value (builder, 1e18);
  json_builder_set_member_name (builder, "huge");
  json_builder_add_double_value (builder, -2e300);
  json_builder_set_member_name (builder, "tiny");
  json_builder_add_double_value (builder, 1e-7);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, "1e+18.0 inf.0");
  json_builder_set_member_name (builder, "esc\"1e+18.0");
  json_builder_add_string_value (builder, "\\\"\\");
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  message = tandem_message_new (NULL, NULL, "t", "e", payload);
  bytes = tandem_message_encode_text (message, TANDEM_SERIALIZER_V2, TRUE);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, strlen (expected));

  back = tandem_message_decode_text (TANDEM_SERIALIZER_V2, data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (json_object_get_double_member (tandem_message_get_payload_object (back), "big"), ==, 1e18);
}

static void
test_control_characters (void)
{
  static const guint8 frame[] = { 4, 3, 1, 0, 1, 'a', 0x1f, 'b', 0x1f, '[', ']' };
  const char *text = "[null,null,\"t\\u001f\",\"e\",{\"k\\u001f\":\"\\u0001\\u001f\\u007f\"}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) binary = NULL;
  g_autoptr(TandemMessage) decoded = NULL;

  /* json-glib 1.6 writes U+001F raw; the encoder must still produce JSON. */
  binary = tandem_message_decode_binary (frame, sizeof frame, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (binary->topic, ==, "a\x1f" "b");
  assert_encodes_to (binary, TANDEM_SERIALIZER_V2, TRUE,
                     "[null,null,\"a\\u001fb\",\"broadcast\",{\"type\":\"broadcast\",\"event\":\"\\u001f\",\"payload\":[]}]");

  decoded = decode_text_ok (TANDEM_SERIALIZER_V2, text);
  g_assert_cmpstr (decoded->topic, ==, "t\x1f");
  assert_encodes_to (decoded, TANDEM_SERIALIZER_V2, TRUE, text);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/message/vsn", test_vsn);
  g_test_add_func ("/message/text/decode-v2", test_decode_v2);
  g_test_add_func ("/message/text/decode-v1", test_decode_v1);
  g_test_add_func ("/message/text/encode", test_encode_text);
  g_test_add_func ("/message/text/round-trip", test_text_round_trip);
  g_test_add_func ("/message/text/not-terminated", test_text_not_terminated);
  g_test_add_func ("/message/text/invalid-json", test_decode_text_invalid_json);
  g_test_add_func ("/message/text/nesting", test_decode_text_nesting);
  g_test_add_func ("/message/text/invalid-shape", test_decode_text_invalid_shape);
  g_test_add_func ("/message/text/non-finite-numbers", test_non_finite_numbers);
  g_test_add_func ("/message/text/control-characters", test_control_characters);
  g_test_add_func ("/message/binary/worked-example", test_binary_worked_example);
  g_test_add_func ("/message/binary/appendix", test_binary_appendix);
  g_test_add_func ("/message/binary/round-trips", test_binary_round_trips);
  g_test_add_func ("/message/binary/user-payload-conversions", test_binary_user_payload_conversions);
  g_test_add_func ("/message/binary/encode-errors", test_encode_binary_errors);
  g_test_add_func ("/message/binary/decode-errors", test_decode_binary_errors);
  g_test_add_func ("/message/binary/truncated", test_decode_binary_truncated);
  g_test_add_func ("/message/binary/peek", test_peek_user_broadcast);

  return g_test_run ();
}
