/* test-batcher.c: batch_messages coalescing, on the manual clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-batcher-private.h"

typedef struct
{
  TandemClock   *clock;
  TandemBatcher *batcher;
  GPtrArray     *sent;      /* JsonNode {"event": E, "payload": P}, in order */
  gboolean       requeue;   /* the flush callback queues one more message */
} Fixture;

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Records what the batcher would send, as {"event", "payload"}. */
static void
record_flush (const char *event,
              JsonNode   *payload,
              gpointer    user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_assert_nonnull (event);
  g_assert_nonnull (payload);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_value (builder, json_node_copy (payload));
  json_builder_end_object (builder);
  g_ptr_array_add (fixture->sent, json_builder_get_root (builder));

  if (fixture->requeue)
    {
      g_autoptr(JsonNode) late = parse ("{\"late\":true}");

      fixture->requeue = FALSE;
      _tandem_batcher_queue (fixture->batcher, "late", late);
    }
}

static void
assert_sent (Fixture    *fixture,
             guint       index,
             const char *expected)
{
  g_autoptr(JsonNode) want = parse (expected);

  g_assert_cmpuint (index, <, fixture->sent->len);
  if (!json_node_equal (g_ptr_array_index (fixture->sent, index), want))
    {
      g_autofree char *got = json_to_string (g_ptr_array_index (fixture->sent, index), FALSE);

      g_error ("sent[%u] is %s, expected %s", index, got, expected);
    }
}

static void
queue_numbered (Fixture *fixture,
                guint    n)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *event = g_strdup_printf ("e%u", n);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, n);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);
  _tandem_batcher_queue (fixture->batcher, event, payload);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->clock = tandem_manual_clock_new (0);
  fixture->batcher = _tandem_batcher_new (fixture->clock, record_flush, fixture);
  fixture->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->batcher, _tandem_batcher_free);
  /* Freeing the batcher removed its timer. */
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);
  g_assert_finalize_object (fixture->clock);
  g_ptr_array_unref (fixture->sent);
}

static void
test_delay_single (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) payload = parse ("{\"x\":1,\"y\":[true,null]}");

  _tandem_batcher_queue (fixture->batcher, "cursor", payload);
  g_assert_cmpuint (_tandem_batcher_get_n_queued (fixture->batcher), ==, 1);
  g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==, TANDEM_BATCH_DELAY_MS);

  tandem_manual_clock_advance (fixture->clock, 99);
  g_assert_cmpuint (fixture->sent->len, ==, 0);
  g_assert_cmpuint (_tandem_batcher_get_n_queued (fixture->batcher), ==, 1);

  tandem_manual_clock_advance (fixture->clock, 1);
  /* A batch of one goes out as the message itself. */
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  assert_sent (fixture, 0, "{\"event\":\"cursor\",\"payload\":{\"x\":1,\"y\":[true,null]}}");
  g_assert_cmpuint (_tandem_batcher_get_n_queued (fixture->batcher), ==, 0);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);

  /* Nothing more, however long we wait. */
  tandem_manual_clock_advance (fixture->clock, 10000);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
}

static void
test_delay_counts_from_first (Fixture       *fixture,
                              gconstpointer  data)
{
  queue_numbered (fixture, 1);
  tandem_manual_clock_advance (fixture->clock, 50);
  queue_numbered (fixture, 2);
  tandem_manual_clock_advance (fixture->clock, 30);
  queue_numbered (fixture, 3);
  /* Still one timer, due 100 ms after the first message. */
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 1);
  tandem_manual_clock_advance (fixture->clock, 19);
  g_assert_cmpuint (fixture->sent->len, ==, 0);

  tandem_manual_clock_advance (fixture->clock, 1);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  assert_sent (fixture, 0,
               "{\"event\":\"batch_messages\",\"payload\":{\"messages\":["
               "{\"event\":\"e1\",\"payload\":{\"n\":1}},"
               "{\"event\":\"e2\",\"payload\":{\"n\":2}},"
               "{\"event\":\"e3\",\"payload\":{\"n\":3}}]}}");

  /* The next message starts a new batch with a fresh delay. */
  queue_numbered (fixture, 4);
  tandem_manual_clock_advance (fixture->clock, 99);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  tandem_manual_clock_advance (fixture->clock, 1);
  g_assert_cmpuint (fixture->sent->len, ==, 2);
  assert_sent (fixture, 1, "{\"event\":\"e4\",\"payload\":{\"n\":4}}");
}

static void
test_max_messages (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) expected = g_string_new ("{\"event\":\"batch_messages\",\"payload\":{\"messages\":[");

  for (guint i = 1; i < TANDEM_BATCH_MAX_MESSAGES; i++)
    queue_numbered (fixture, i);
  g_assert_cmpuint (fixture->sent->len, ==, 0);
  g_assert_cmpuint (_tandem_batcher_get_n_queued (fixture->batcher), ==, TANDEM_BATCH_MAX_MESSAGES - 1);

  /* The 10th sends at once, without waiting for the timer... */
  queue_numbered (fixture, TANDEM_BATCH_MAX_MESSAGES);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  g_assert_cmpuint (_tandem_batcher_get_n_queued (fixture->batcher), ==, 0);
  /* ...which is gone. */
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);

  for (guint i = 1; i <= TANDEM_BATCH_MAX_MESSAGES; i++)
    g_string_append_printf (expected, "%s{\"event\":\"e%u\",\"payload\":{\"n\":%u}}", i > 1 ? "," : "", i, i);
  g_string_append (expected, "]}}");
  assert_sent (fixture, 0, expected->str);

  /* The 11th waits for its own delay. */
  queue_numbered (fixture, 11);
  tandem_manual_clock_advance (fixture->clock, 99);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  tandem_manual_clock_advance (fixture->clock, 1);
  g_assert_cmpuint (fixture->sent->len, ==, 2);
  assert_sent (fixture, 1, "{\"event\":\"e11\",\"payload\":{\"n\":11}}");
}

static void
test_twenty_five (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 1; i <= 25; i++)
    queue_numbered (fixture, i);
  /* Two full batches at once; five wait for the timer. */
  g_assert_cmpuint (fixture->sent->len, ==, 2);
  g_assert_cmpuint (_tandem_batcher_get_n_queued (fixture->batcher), ==, 5);
  tandem_manual_clock_advance (fixture->clock, 100);
  g_assert_cmpuint (fixture->sent->len, ==, 3);

  /* Every message went out once, in order. */
  for (guint b = 0, n = 1; b < fixture->sent->len; b++)
    {
      JsonObject *sent = json_node_get_object (g_ptr_array_index (fixture->sent, b));
      JsonArray *messages = json_object_get_array_member (json_object_get_object_member (sent, "payload"),
                                                          "messages");

      g_assert_cmpstr (json_object_get_string_member (sent, "event"), ==, TANDEM_BATCH_EVENT);
      g_assert_cmpuint (json_array_get_length (messages), ==, b < 2 ? 10 : 5);
      for (guint i = 0; i < json_array_get_length (messages); i++, n++)
        {
          JsonObject *message = json_array_get_object_element (messages, i);

          g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (message, "payload"), "n"),
                           ==, n);
        }
    }
}

static void
test_flush_now (Fixture       *fixture,
                gconstpointer  data)
{
  /* Flushing nothing sends nothing. */
  _tandem_batcher_flush (fixture->batcher);
  g_assert_cmpuint (fixture->sent->len, ==, 0);

  queue_numbered (fixture, 1);
  queue_numbered (fixture, 2);
  _tandem_batcher_flush (fixture->batcher);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);
  assert_sent (fixture, 0,
               "{\"event\":\"batch_messages\",\"payload\":{\"messages\":["
               "{\"event\":\"e1\",\"payload\":{\"n\":1}},{\"event\":\"e2\",\"payload\":{\"n\":2}}]}}");

  tandem_manual_clock_advance (fixture->clock, 1000);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
}

static void
test_null_payload (Fixture       *fixture,
                   gconstpointer  data)
{
  _tandem_batcher_queue (fixture->batcher, "ping", NULL);
  queue_numbered (fixture, 1);
  _tandem_batcher_flush (fixture->batcher);
  assert_sent (fixture, 0,
               "{\"event\":\"batch_messages\",\"payload\":{\"messages\":["
               "{\"event\":\"ping\",\"payload\":null},{\"event\":\"e1\",\"payload\":{\"n\":1}}]}}");

  _tandem_batcher_queue (fixture->batcher, "ping", NULL);
  _tandem_batcher_flush (fixture->batcher);
  assert_sent (fixture, 1, "{\"event\":\"ping\",\"payload\":null}");
}

static void
test_queue_during_flush (Fixture       *fixture,
                         gconstpointer  data)
{
  queue_numbered (fixture, 1);
  fixture->requeue = TRUE;
  tandem_manual_clock_advance (fixture->clock, 100);
  g_assert_cmpuint (fixture->sent->len, ==, 1);
  assert_sent (fixture, 0, "{\"event\":\"e1\",\"payload\":{\"n\":1}}");

  /* What the callback queued waits for a batch of its own. */
  g_assert_cmpuint (_tandem_batcher_get_n_queued (fixture->batcher), ==, 1);
  g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==, 100);
  tandem_manual_clock_advance (fixture->clock, 100);
  g_assert_cmpuint (fixture->sent->len, ==, 2);
  assert_sent (fixture, 1, "{\"event\":\"late\",\"payload\":{\"late\":true}}");
}

static void
test_free_drops (Fixture       *fixture,
                 gconstpointer  data)
{
  queue_numbered (fixture, 1);
  queue_numbered (fixture, 2);
  g_clear_pointer (&fixture->batcher, _tandem_batcher_free);
  tandem_manual_clock_advance (fixture->clock, 1000);
  g_assert_cmpuint (fixture->sent->len, ==, 0);
}

typedef struct
{
  GPtrArray *events;
  GPtrArray *payloads;
} Unpacked;

static void
collect_message (const char *event,
                 JsonNode   *payload,
                 gpointer    user_data)
{
  Unpacked *unpacked = user_data;

  g_assert_nonnull (payload);
  g_ptr_array_add (unpacked->events, g_strdup (event));
  g_ptr_array_add (unpacked->payloads, json_to_string (payload, FALSE));
}

static gboolean
unpack (const char *text,
        Unpacked   *unpacked)
{
  g_autoptr(JsonNode) node = text != NULL ? parse (text) : NULL;

  g_clear_pointer (&unpacked->events, g_ptr_array_unref);
  g_clear_pointer (&unpacked->payloads, g_ptr_array_unref);
  unpacked->events = g_ptr_array_new_with_free_func (g_free);
  unpacked->payloads = g_ptr_array_new_with_free_func (g_free);
  return _tandem_batch_unpack (node, collect_message, unpacked);
}

static void
test_unpack (void)
{
  Unpacked unpacked = { NULL, NULL };

  g_assert_true (unpack ("{\"messages\":[{\"event\":\"a\",\"payload\":{\"n\":1}},"
                         "{\"event\":\"b\",\"payload\":[1,2]},"
                         "{\"event\":\"c\",\"payload\":null}]}", &unpacked));
  g_assert_cmpuint (unpacked.events->len, ==, 3);
  g_assert_cmpstr (unpacked.events->pdata[0], ==, "a");
  g_assert_cmpstr (unpacked.payloads->pdata[0], ==, "{\"n\":1}");
  g_assert_cmpstr (unpacked.events->pdata[1], ==, "b");
  g_assert_cmpstr (unpacked.payloads->pdata[1], ==, "[1,2]");
  g_assert_cmpstr (unpacked.events->pdata[2], ==, "c");
  g_assert_cmpstr (unpacked.payloads->pdata[2], ==, "null");

  /* Malformed messages are skipped, the others kept in order. */
  g_assert_true (unpack ("{\"messages\":[7,\"x\",null,[],"
                         "{\"payload\":{}},"
                         "{\"event\":5,\"payload\":{}},"
                         "{\"event\":null,\"payload\":{}},"
                         "{\"event\":\"no-payload\"},"
                         "{\"event\":\"ok\",\"payload\":\"s\"},"
                         "{\"event\":{},\"payload\":1},"
                         "{\"event\":\"last\",\"payload\":0,\"extra\":1}]}", &unpacked));
  g_assert_cmpuint (unpacked.events->len, ==, 2);
  g_assert_cmpstr (unpacked.events->pdata[0], ==, "ok");
  g_assert_cmpstr (unpacked.payloads->pdata[0], ==, "\"s\"");
  g_assert_cmpstr (unpacked.events->pdata[1], ==, "last");
  g_assert_cmpstr (unpacked.payloads->pdata[1], ==, "0");

  g_assert_true (unpack ("{\"messages\":[]}", &unpacked));
  g_assert_cmpuint (unpacked.events->len, ==, 0);

  /* Not batches at all. */
  g_assert_false (unpack (NULL, &unpacked));
  g_assert_false (unpack ("[]", &unpacked));
  g_assert_false (unpack ("\"batch\"", &unpacked));
  g_assert_false (unpack ("{}", &unpacked));
  g_assert_false (unpack ("{\"messages\":{}}", &unpacked));
  g_assert_false (unpack ("{\"messages\":null}", &unpacked));
  g_assert_cmpuint (unpacked.events->len, ==, 0);

  g_clear_pointer (&unpacked.events, g_ptr_array_unref);
  g_clear_pointer (&unpacked.payloads, g_ptr_array_unref);
}

static void
unpack_sent (const char *event,
             JsonNode   *payload,
             gpointer    user_data)
{
  g_assert_cmpstr (event, ==, TANDEM_BATCH_EVENT);
  g_assert_true (_tandem_batch_unpack (payload, collect_message, user_data));
}

static void
test_round_trip (void)
{
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (0);
  Unpacked unpacked = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  TandemBatcher *batcher = _tandem_batcher_new (clock, unpack_sent, &unpacked);
  const char *payloads[] = { "{\"x\":1}", "[\"y\"]", "3", "\"z\"", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autoptr(JsonNode) payload = parse (payloads[i]);
      g_autofree char *event = g_strdup_printf ("ev%u", i);

      _tandem_batcher_queue (batcher, event, payload);
    }
  tandem_manual_clock_advance (clock, 100);

  g_assert_cmpuint (unpacked.events->len, ==, G_N_ELEMENTS (payloads));
  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *event = g_strdup_printf ("ev%u", i);

      g_assert_cmpstr (unpacked.events->pdata[i], ==, event);
      g_assert_cmpstr (unpacked.payloads->pdata[i], ==, payloads[i]);
    }

  _tandem_batcher_free (batcher);
  g_ptr_array_unref (unpacked.events);
  g_ptr_array_unref (unpacked.payloads);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/batcher/delay/single", test_delay_single);
  ADD ("/batcher/delay/counts-from-first", test_delay_counts_from_first);
  ADD ("/batcher/max-messages", test_max_messages);
  ADD ("/batcher/twenty-five", test_twenty_five);
  ADD ("/batcher/flush-now", test_flush_now);
  ADD ("/batcher/null-payload", test_null_payload);
  ADD ("/batcher/queue-during-flush", test_queue_during_flush);
  ADD ("/batcher/free-drops", test_free_drops);
#undef ADD
  g_test_add_func ("/batcher/unpack", test_unpack);
  g_test_add_func ("/batcher/round-trip", test_round_trip);

  return g_test_run ();
}
