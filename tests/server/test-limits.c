/* test-limits.c: Realtime's limits, each with Supabase's text and behaviour
 *
 * A server started with small limits, so each one can be reached quickly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-test-client.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

static TandemTestPg *pg;

static TandemTestServer *
start_server (const char * const *limits)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "--join-error-delay-ms");
  g_ptr_array_add (args, (gpointer) "0");
  for (guint i = 0; limits[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) limits[i]);
  g_ptr_array_add (args, NULL);
  return tandem_test_server_new (pg, (const char * const *) args->pdata);
}

static const char *
system_message (TandemMessage *message)
{
  return json_object_get_string_member (json_node_get_object (message->payload), "message");
}

static void
test_channels_per_client (void)
{
  const char * const limits[] = { "--max-channels-per-client", "2", NULL };
  g_autoptr(TandemTestServer) server = start_server (limits);
  g_autoptr(TestClient) client = test_client_new (tandem_test_server_get_ws_url (server),
                                                  tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  TandemMessage *reply;

  g_assert_cmpstr (test_reply_status (test_client_join (client, "realtime:c1", "{}", NULL)), ==, "ok");
  g_assert_cmpstr (test_reply_status (test_client_join (client, "realtime:c2", "{}", NULL)), ==, "ok");
  /* rejoining a joined topic does not count as another channel */
  g_assert_cmpstr (test_reply_status (test_client_join (client, "realtime:c2", "{}", NULL)), ==, "ok");
  reply = test_client_join (client, "realtime:c3", "{}", NULL);
  g_assert_cmpstr (test_reply_status (reply), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (test_reply_response (reply)), "reason"),
                   ==, "ChannelRateLimitReached: Too many channels");
  g_assert_false (client->closed);
}

static void
test_payload_size (void)
{
  const char * const limits[] = { "--max-payload-kb", "1", NULL };
  g_autoptr(TandemTestServer) server = start_server (limits);
  g_autoptr(TestClient) sender = test_client_new (tandem_test_server_get_ws_url (server),
                                                  tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) receiver = test_client_new (tandem_test_server_get_ws_url (server),
                                                    tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  TandemMessage *join = test_client_join (sender, "realtime:big", "{\"broadcast\":{\"ack\":true}}", NULL);
  g_autofree char *filler = g_strnfill (4000, 'x');
  g_autofree char *payload = g_strdup_printf ("{\"type\":\"broadcast\",\"event\":\"big\",\"payload\":{\"f\":\"%s\"}}", filler);
  g_autofree char *ref = NULL;
  g_autofree char *small = NULL;
  TandemMessage *reply;
  JsonNode *response;

  test_client_join (receiver, "realtime:big", "{}", NULL);
  ref = test_client_push (sender, join->ref, "realtime:big", "broadcast", payload);
  reply = test_client_wait_reply (sender, ref);
  g_assert_cmpstr (test_reply_status (reply), ==, "error");
  /* Supabase answers with a bare string here */
  response = test_reply_response (reply);
  g_assert_cmpstr (json_node_get_string (response), ==, "payload_size_exceeded");

  /* the connection survives and small messages still flow */
  small = test_client_push (sender, join->ref, "realtime:big", "broadcast",
                            "{\"type\":\"broadcast\",\"event\":\"small\",\"payload\":{}}");
  g_assert_cmpstr (test_reply_status (test_client_wait_reply (sender, small)), ==, "ok");
  test_client_wait_event (receiver, "realtime:big", "broadcast");
  g_assert_cmpuint (test_client_count_events (receiver, "realtime:big", "broadcast"), ==, 1);
}

static void
test_presence_rate (void)
{
  const char * const limits[] = { "--presence-max-calls", "2", NULL };
  g_autoptr(TandemTestServer) server = start_server (limits);
  g_autoptr(TestClient) client = test_client_new (tandem_test_server_get_ws_url (server),
                                                  tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  TandemMessage *join = test_client_join (client, "realtime:pr", "{\"presence\":{\"enabled\":true}}", NULL);

  for (int i = 0; i < 2; i++)
    {
      g_autofree char *payload = g_strdup_printf ("{\"type\":\"presence\",\"event\":\"track\",\"payload\":{\"n\":%d}}", i);
      g_autofree char *ref = test_client_push (client, join->ref, "realtime:pr", "presence", payload);

      g_assert_cmpstr (test_reply_status (test_client_wait_reply (client, ref)), ==, "ok");
    }
  g_free (test_client_push (client, join->ref, "realtime:pr", "presence",
                            "{\"type\":\"presence\",\"event\":\"track\",\"payload\":{\"n\":3}}"));
  g_assert_cmpstr (system_message (test_client_wait_event (client, "realtime:pr", "system")),
                   ==, "Client presence rate limit exceeded");
  test_client_wait_event (client, "realtime:pr", "phx_close");
}

static void
test_events_per_second (void)
{
  const char * const limits[] = { "--max-events-per-second", "5", NULL };
  g_autoptr(TandemTestServer) server = start_server (limits);
  g_autoptr(TestClient) a = test_client_new (tandem_test_server_get_ws_url (server),
                                             tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) b = test_client_new (tandem_test_server_get_ws_url (server),
                                             tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  TandemMessage *join = test_client_join (a, "realtime:busy", "{}", NULL);

  test_client_join (b, "realtime:busy", "{}", NULL);
  /* 5/s averaged over a 5 s bucket: 25 events trip it; send a bounded 60 */
  for (int i = 0; i < 60 && !a->closed; i++)
    g_free (test_client_push (a, join->ref, "realtime:busy", "broadcast",
                              "{\"type\":\"broadcast\",\"event\":\"spam\",\"payload\":{}}"));
  g_assert_cmpstr (system_message (test_client_wait_event (b, "realtime:busy", "system")),
                   ==, "Too many messages per second");
  test_client_wait_event (b, "realtime:busy", "phx_close");
  g_assert_cmpstr (system_message (test_client_wait_event (a, "realtime:busy", "system")),
                   ==, "Too many messages per second");
  g_assert_cmpuint (test_client_count_events (b, "realtime:busy", "broadcast"), <, 60);
}

static void
test_joins_per_second (void)
{
  const char * const limits[] = { "--max-joins-per-second", "3", NULL };
  g_autoptr(TandemTestServer) server = start_server (limits);
  g_autoptr(TestClient) client = test_client_new (tandem_test_server_get_ws_url (server),
                                                  tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  TandemMessage *reply = NULL;
  int i;

  /* Within one second (bounded: up to 50 tries) the fourth join fails and
   * the socket is closed with 1001, as Supabase does. */
  for (i = 0; i < 50; i++)
    {
      g_autofree char *topic = g_strdup_printf ("realtime:j%d", i);

      reply = test_client_join (client, topic, "{}", NULL);
      if (g_str_equal (test_reply_status (reply), "error"))
        break;
    }
  g_assert_cmpint (i, <, 50);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (test_reply_response (reply)), "reason"),
                   ==, "ClientJoinRateLimitReached: Too many joins per second");
  test_client_wait_closed (client);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

static void
test_idle_timeout (void)
{
  const char * const limits[] = { "--idle-timeout-ms", "400", NULL };
  g_autoptr(TandemTestServer) server = start_server (limits);
  g_autoptr(TestClient) silent = test_client_new (tandem_test_server_get_ws_url (server),
                                                  tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  g_autoptr(TestClient) chatty = test_client_new (tandem_test_server_get_ws_url (server),
                                                  tandem_test_server_get_anon_key (server), TANDEM_SERIALIZER_V2);
  gint64 until = g_get_monotonic_time () + 1500 * 1000;

  /* heartbeats keep a socket alive; silence closes it */
  while (g_get_monotonic_time () < until)
    {
      g_autofree char *ref = test_client_push (chatty, NULL, "phoenix", "heartbeat", "{}");

      test_client_wait_reply (chatty, ref);
      tandem_test_run_for (100);
    }
  g_assert_true (silent->closed);
  g_assert_false (chatty->closed);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  pg = tandem_test_pg_new ();

  g_test_add_func ("/limits/channels-per-client", test_channels_per_client);
  g_test_add_func ("/limits/payload-size", test_payload_size);
  g_test_add_func ("/limits/presence-rate", test_presence_rate);
  g_test_add_func ("/limits/events-per-second", test_events_per_second);
  g_test_add_func ("/limits/joins-per-second", test_joins_per_second);
  g_test_add_func ("/limits/idle-timeout", test_idle_timeout);

  status = g_test_run ();
  tandem_test_pg_free (pg);
  return status;
}
