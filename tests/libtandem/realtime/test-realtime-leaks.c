/* test-realtime-leaks.c: a client's whole life, many times, leaves nothing
 *
 * A connect / subscribe (broadcast, presence and a postgres_changes binding)
 * / broadcast / track / REST query / unsubscribe / disconnect loop against
 * tandem-server. Each round checks that the client, its channel, its auth
 * and its presence objects are finalized when the last reference goes (weak
 * pointers), and CI runs this program in the AddressSanitizer build with
 * LeakSanitizer (suite "leak"), which fails it for any allocation libtandem
 * did not free.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem.h"
#include "tandem-client-private.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

#define ROUNDS 20

static TandemTestPg *pg;
static TandemTestServer *server;

typedef struct
{
  gboolean  done;
  gboolean  ok;
  JsonNode *rows;
} Result;

static void
sent_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;
  g_autoptr(GError) error = NULL;

  result->ok = tandem_channel_send_broadcast_finish (TANDEM_CHANNEL (source), res, &error);
  g_assert_no_error (error);
  result->done = TRUE;
}

static void
tracked_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;
  g_autoptr(GError) error = NULL;

  result->ok = tandem_channel_track_finish (TANDEM_CHANNEL (source), res, &error);
  g_assert_no_error (error);
  result->done = TRUE;
}

static void
queried_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;
  g_autoptr(GError) error = NULL;

  result->rows = tandem_query_execute_finish (TANDEM_QUERY (source), res, &error);
  g_assert_no_error (error);
  result->ok = result->rows != NULL;
  result->done = TRUE;
}

static void
count_broadcast (TandemChannel *channel,
                 const char    *event,
                 JsonNode      *payload,
                 guint         *received)
{
  (*received)++;
}

static void
one_round (guint round)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemClient) client = NULL;
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemChannelOptions) options = tandem_channel_options_new ();
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(JsonNode) payload = json_from_string ("{\"round\": 1, \"text\": \"héllo\"}", NULL);
  g_autoptr(JsonObject) state = json_object_new ();
  g_autofree char *key = g_strdup_printf ("leaker-%u", round);
  gpointer weak_client, weak_channel, weak_auth, weak_presence;
  Result sent = { 0 }, tracked = { 0 }, queried = { 0 };
  guint received = 0;

  client = tandem_client_new (tandem_test_server_get_url (server), tandem_test_server_get_anon_key (server), &error);
  g_assert_no_error (error);
  _tandem_client_set_system_integration (client, FALSE);
  tandem_client_connect (client);

  tandem_channel_options_set_broadcast_self (options, TRUE);
  tandem_channel_options_set_broadcast_ack (options, TRUE);
  tandem_channel_options_set_presence_key (options, key);
  channel = tandem_client_channel (client, "leaks", options);
  g_assert_true (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, "public", "leak_rows",
                                                      "id=gt.0", &error));
  g_assert_no_error (error);
  g_signal_connect (channel, "broadcast::ping", G_CALLBACK (count_broadcast), &received);
  tandem_channel_subscribe (channel);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);

  tandem_channel_send_broadcast_async (channel, "ping", payload, NULL, sent_cb, &sent);
  json_object_set_string_member (state, "name", "Leaky");
  tandem_channel_track_async (channel, state, NULL, tracked_cb, &tracked);
  query = tandem_client_from (client, "leak_rows");
  tandem_query_eq (tandem_query_select (query, "id,body"), "id", "1");
  tandem_query_execute_async (query, NULL, queried_cb, &queried);
  TANDEM_WAIT_UNTIL (sent.done && tracked.done && queried.done && received == 1 &&
                     tandem_presence_lookup (tandem_channel_get_presence (channel), key) != NULL);
  g_assert_true (sent.ok && tracked.ok && queried.ok);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (queried.rows)), ==, 1);
  g_clear_pointer (&queried.rows, json_node_unref);

  weak_client = client;
  weak_channel = channel;
  weak_auth = tandem_client_get_auth (client);
  weak_presence = tandem_channel_get_presence (channel);
  g_object_add_weak_pointer (G_OBJECT (client), &weak_client);
  g_object_add_weak_pointer (G_OBJECT (channel), &weak_channel);
  g_object_add_weak_pointer (G_OBJECT (weak_auth), &weak_auth);
  g_object_add_weak_pointer (G_OBJECT (weak_presence), &weak_presence);

  tandem_channel_unsubscribe (channel);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_DISCONNECTED);
  tandem_client_disconnect (client);
  TANDEM_WAIT_UNTIL (tandem_client_get_status (client) == TANDEM_STATUS_DISCONNECTED);
  g_clear_object (&query);
  g_clear_object (&channel);
  g_clear_object (&client);
  /* Pending I/O callbacks (the socket's close) may hold the last references. */
  TANDEM_WAIT_UNTIL (weak_client == NULL && weak_channel == NULL && weak_auth == NULL && weak_presence == NULL);
}

static void
test_loop (void)
{
  tandem_test_pg_exec (pg,
                       "CREATE TABLE public.leak_rows (id int PRIMARY KEY, body text);"
                       "INSERT INTO public.leak_rows VALUES (1, 'one');"
                       "GRANT SELECT ON public.leak_rows TO anon;"
                       "ALTER PUBLICATION supabase_realtime ADD TABLE public.leak_rows;");
  for (guint round = 0; round < ROUNDS; round++)
    one_round (round);
  /* The server saw every client go. */
  tandem_test_run_for (200);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, NULL);

  g_test_add_func ("/realtime/leaks/client-lifecycle-loop", test_loop);

  status = g_test_run ();

  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
