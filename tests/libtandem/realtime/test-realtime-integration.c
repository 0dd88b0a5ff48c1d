/* test-realtime-integration.c: the Realtime client against tandem-server
 * over a throwaway PostgreSQL
 *
 * Broadcasts with acks between clients on both protocol versions, presence
 * across three clients, postgres_changes with filters, the server killed
 * and restarted under subscribed clients, tokens refreshed past the first
 * one's expiry (TandemAuth with 6 s tokens), an expired token replaced
 * after the server closed the channel, and signing out.
 *
 * Every wait is bounded and iterates the main context; the sender of the
 * restart test runs on a manual clock so the order of events is ours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem.h"
#include "tandem-client-private.h"
#include "tandem-clock-private.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

static TandemTestPg *pg;
static TandemTestServer *server;

static TandemClient *
new_client (TandemProtocolVersion  version,
            TandemClock           *clock,
            gboolean               system_integration)
{
  TandemClient *client = g_object_new (TANDEM_TYPE_CLIENT,
                                       "url", tandem_test_server_get_url (server),
                                       "api-key", tandem_test_server_get_anon_key (server),
                                       "protocol-version", version,
                                       NULL);

  if (clock != NULL)
    _tandem_client_set_clock (client, clock);
  _tandem_client_set_system_integration (client, system_integration);
  return client;
}

static TandemChannel *
join (TandemClient         *client,
      const char           *name,
      TandemChannelOptions *options)
{
  TandemChannel *channel = tandem_client_channel (client, name, options);

  tandem_channel_subscribe (channel);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  return channel;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Result;

static void
broadcast_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->ok = tandem_channel_send_broadcast_finish (TANDEM_CHANNEL (source), res, &result->error);
  result->done = TRUE;
}

static void
broadcast_bytes_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  Result *result = user_data;

  result->ok = tandem_channel_send_broadcast_bytes_finish (TANDEM_CHANNEL (source), res, &result->error);
  result->done = TRUE;
}

static void
track_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  result->ok = tandem_channel_track_finish (TANDEM_CHANNEL (source), res, &result->error);
  result->done = TRUE;
}

static void
auth_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (res);
}

static void
collect_json (TandemChannel *channel,
              const char    *event,
              JsonNode      *payload,
              GPtrArray     *received)
{
  g_autofree char *json = json_to_string (payload, FALSE);

  g_ptr_array_add (received, g_strdup_printf ("%s=%s", event, json));
}

static void
collect_bytes (TandemChannel *channel,
               const char    *event,
               GBytes        *payload,
               GPtrArray     *received)
{
  g_ptr_array_add (received, g_strdup_printf ("%s=%u bytes", event, (guint) g_bytes_get_size (payload)));
}

static void
collect_status (TandemChannel *channel,
                TandemStatus   old_status,
                TandemStatus   new_status,
                GArray        *statuses)
{
  g_array_append_val (statuses, new_status);
}

static void
collect_state (TandemChannel        *channel,
               TandemSubscribeState  state,
               const GError         *error,
               GArray               *states)
{
  g_array_append_val (states, state);
}

static guint
count_states (GArray               *states,
              TandemSubscribeState  state)
{
  guint n = 0;

  for (guint i = 0; i < states->len; i++)
    n += g_array_index (states, TandemSubscribeState, i) == state;
  return n;
}

/* Two clients exchange broadcasts, acknowledged */

static void
test_broadcast (gconstpointer data)
{
  TandemProtocolVersion version = GPOINTER_TO_INT (data);
  g_autofree char *name = g_strdup_printf ("room-%d", version);
  g_autoptr(TandemClient) alice = new_client (version, NULL, TRUE);
  g_autoptr(TandemClient) bob = new_client (version, NULL, FALSE);
  g_autoptr(TandemChannelOptions) acked = tandem_channel_options_new ();
  g_autoptr(TandemChannel) sender = NULL;
  g_autoptr(TandemChannel) receiver = NULL;
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) cursor = json_from_string ("{\"x\":1,\"who\":\"alice\"}", NULL);
  Result sent = { 0 };

  tandem_channel_options_set_broadcast_ack (acked, TRUE);
  sender = join (alice, name, acked);
  receiver = join (bob, name, NULL);
  g_signal_connect (receiver, "broadcast::cursor", G_CALLBACK (collect_json), received);
  g_signal_connect (receiver, "broadcast-binary", G_CALLBACK (collect_bytes), received);

  tandem_channel_send_broadcast_async (sender, "cursor", cursor, NULL, broadcast_cb, &sent);
  TANDEM_WAIT_UNTIL (sent.done);
  g_assert_no_error (sent.error);
  TANDEM_WAIT_UNTIL (received->len == 1);
  g_assert_cmpstr (received->pdata[0], ==, "cursor={\"x\":1,\"who\":\"alice\"}");

  if (version == TANDEM_PROTOCOL_2_0_0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static ("\x00\x01\x02\xff", 4);

      sent.done = FALSE;
      tandem_channel_send_broadcast_bytes_async (sender, "blob", bytes, NULL, broadcast_bytes_cb, &sent);
      TANDEM_WAIT_UNTIL (sent.done);
      g_assert_no_error (sent.error);
      TANDEM_WAIT_UNTIL (received->len == 2);
      g_assert_cmpstr (received->pdata[1], ==, "blob=4 bytes");
    }

  /* Replies to pushes and heartbeats were measured. */
  g_assert_cmpint (tandem_client_get_status (alice), ==, TANDEM_STATUS_CONNECTED);
  tandem_client_disconnect (alice);
  tandem_client_disconnect (bob);
}

/* Mixed versions: a 2.0.0 binary push reaches a 1.0.0 client as text. */
static void
test_broadcast_mixed (void)
{
  g_autoptr(TandemClient) v2 = new_client (TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
  g_autoptr(TandemClient) v1 = new_client (TANDEM_PROTOCOL_1_0_0, NULL, FALSE);
  g_autoptr(TandemChannel) sender = join (v2, "mixed", NULL);
  g_autoptr(TandemChannel) receiver = join (v1, "mixed", NULL);
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) payload = json_from_string ("[1,\"two\"]", NULL);
  Result sent = { 0 };

  g_signal_connect (receiver, "broadcast", G_CALLBACK (collect_json), received);
  tandem_channel_send_broadcast_async (sender, "list", payload, NULL, broadcast_cb, &sent);
  TANDEM_WAIT_UNTIL (sent.done && received->len == 1);
  g_assert_no_error (sent.error);
  g_assert_cmpstr (received->pdata[0], ==, "list=[1,\"two\"]");
  tandem_client_disconnect (v2);
  tandem_client_disconnect (v1);
}

/* Presence across three clients */

static void
test_presence (void)
{
  TandemClient *clients[3];
  TandemChannel *channels[3];
  Result tracked[3] = { { 0 } };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TandemChannelOptions) options = tandem_channel_options_new ();
      g_autofree char *key = g_strdup_printf ("user-%u", i);

      clients[i] = new_client (i == 1 ? TANDEM_PROTOCOL_1_0_0 : TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
      tandem_channel_options_set_presence_key (options, key);
      channels[i] = join (clients[i], "lobby", options);
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) meta = json_object_new ();
      g_autofree char *name = g_strdup_printf ("person %u", i);

      json_object_set_string_member (meta, "name", name);
      tandem_channel_track_async (channels[i], meta, NULL, track_cb, &tracked[i]);
    }
  for (guint i = 0; i < 3; i++)
    {
      TandemPresence *presence = tandem_channel_get_presence (channels[i]);

      TANDEM_WAIT_UNTIL (tracked[i].done);
      g_assert_no_error (tracked[i].error);
      TANDEM_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (presence)) == 3);
      g_assert_nonnull (tandem_presence_lookup (presence, "user-2"));
      g_assert_cmpstr (tandem_presence_entry_get_string (tandem_presence_lookup (presence, "user-2"), "name"), ==,
                       "person 2");
    }

  /* One disconnects: the others see the leave. */
  tandem_client_disconnect (clients[2]);
  for (guint i = 0; i < 2; i++)
    {
      TandemPresence *presence = tandem_channel_get_presence (channels[i]);

      TANDEM_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (presence)) == 2);
      g_assert_null (tandem_presence_lookup (presence, "user-2"));
    }

  for (guint i = 0; i < 3; i++)
    {
      tandem_client_disconnect (clients[i]);
      g_object_unref (channels[i]);
      g_assert_finalize_object (clients[i]);
    }
}

/* postgres_changes, with and without a filter */

static void
collect_change (TandemChannel *channel,
                TandemChange  *change,
                GPtrArray     *changes)
{
  g_ptr_array_add (changes, g_object_ref (change));
}

static void
on_system (TandemChannel *channel,
           JsonObject    *payload,
           guint         *subscribed)
{
  if (g_strcmp0 (json_object_get_string_member_with_default (payload, "message", ""), "Subscribed to PostgreSQL") == 0)
    (*subscribed)++;
}

static void
test_postgres_changes (void)
{
  g_autoptr(TandemClient) client = new_client (TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
  g_autoptr(TandemChannel) all = NULL;
  g_autoptr(TandemChannel) filtered = NULL;
  g_autoptr(GPtrArray) all_changes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) filtered_changes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint subscribed = 0;
  TandemChange *change;

  tandem_test_pg_exec (pg, "CREATE TABLE rt_todos (id bigint PRIMARY KEY, task text, done boolean);"
                           "ALTER TABLE rt_todos REPLICA IDENTITY FULL;"
                           "ALTER PUBLICATION supabase_realtime ADD TABLE rt_todos;");

  all = tandem_client_subscribe_table (client, NULL, "rt_todos", TANDEM_CHANGE_ALL, NULL, &error);
  g_assert_no_error (error);
  filtered = tandem_client_channel (client, "todos-filtered", NULL);
  g_assert_true (tandem_channel_add_postgres_changes (filtered, TANDEM_CHANGE_INSERT, "public", "rt_todos",
                                                      "id=gt.1", &error));
  g_assert_true (tandem_channel_add_postgres_changes (filtered, TANDEM_CHANGE_DELETE, "public", "rt_todos",
                                                      "task=eq.second", &error));
  g_signal_connect (all, "system", G_CALLBACK (on_system), &subscribed);
  g_signal_connect (filtered, "system", G_CALLBACK (on_system), &subscribed);
  g_signal_connect (all, "postgres-change", G_CALLBACK (collect_change), all_changes);
  g_signal_connect (filtered, "postgres-change", G_CALLBACK (collect_change), filtered_changes);
  tandem_channel_subscribe (filtered);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (all) == TANDEM_STATUS_CONNECTED &&
                     tandem_channel_get_status (filtered) == TANDEM_STATUS_CONNECTED);
  TANDEM_WAIT_UNTIL (subscribed >= 2);

  tandem_test_pg_exec (pg, "INSERT INTO rt_todos VALUES (1, 'first', false);"
                           "INSERT INTO rt_todos VALUES (2, 'second', true);"
                           "UPDATE rt_todos SET done = true WHERE id = 1;"
                           "DELETE FROM rt_todos WHERE id = 2;");
  TANDEM_WAIT_UNTIL (all_changes->len == 4 && filtered_changes->len == 2);

  change = all_changes->pdata[0];
  g_assert_cmpint (tandem_change_get_event (change), ==, TANDEM_CHANGE_INSERT);
  g_assert_cmpstr (tandem_change_get_table (change), ==, "rt_todos");
  g_assert_cmpint (json_object_get_int_member (tandem_change_get_record (change), "id"), ==, 1);
  g_assert_false (json_object_get_boolean_member (tandem_change_get_record (change), "done"));
  g_assert_cmpint (tandem_change_get_event (all_changes->pdata[2]), ==, TANDEM_CHANGE_UPDATE);
  g_assert_cmpint (tandem_change_get_event (all_changes->pdata[3]), ==, TANDEM_CHANGE_DELETE);
  g_assert_cmpint (json_object_get_int_member (tandem_change_get_old_record (all_changes->pdata[3]), "id"), ==, 2);

  /* id=gt.1 for inserts, task=eq.second for deletes, nothing else */
  change = filtered_changes->pdata[0];
  g_assert_cmpint (tandem_change_get_event (change), ==, TANDEM_CHANGE_INSERT);
  g_assert_cmpint (json_object_get_int_member (tandem_change_get_record (change), "id"), ==, 2);
  g_assert_cmpint (tandem_change_get_event (filtered_changes->pdata[1]), ==, TANDEM_CHANGE_DELETE);

  tandem_test_run_for (200);
  g_assert_cmpuint (all_changes->len, ==, 4);
  g_assert_cmpuint (filtered_changes->len, ==, 2);
  tandem_client_disconnect (client);
}

/* The server killed and restarted under subscribed clients */

static void
test_server_restart (void)
{
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (g_get_real_time ());
  g_autoptr(TandemClient) receiver_client = new_client (TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
  g_autoptr(TandemClient) sender_client = new_client (TANDEM_PROTOCOL_2_0_0, clock, FALSE);
  g_autoptr(TandemChannel) receiver = NULL;
  g_autoptr(TandemChannel) other = NULL;
  g_autoptr(TandemChannel) sender = NULL;
  g_autoptr(GArray) receiver_statuses = g_array_new (FALSE, FALSE, sizeof (TandemStatus));
  g_autoptr(GArray) other_statuses = g_array_new (FALSE, FALSE, sizeof (TandemStatus));
  g_autoptr(GArray) sender_statuses = g_array_new (FALSE, FALSE, sizeof (TandemStatus));
  g_autoptr(GArray) sender_states = g_array_new (FALSE, FALSE, sizeof (TandemSubscribeState));
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) payload = json_from_string ("{\"during\":\"outage\"}", NULL);
  g_autoptr(TandemChannelOptions) acked = tandem_channel_options_new ();
  static const TandemStatus through[] = { TANDEM_STATUS_RECONNECTING, TANDEM_STATUS_CONNECTED };
  Result sent = { 0 };

  tandem_channel_options_set_broadcast_ack (acked, TRUE);
  receiver = join (receiver_client, "restart", NULL);
  other = join (receiver_client, "restart-other", NULL);
  sender = join (sender_client, "restart", acked);
  g_signal_connect (receiver, "broadcast", G_CALLBACK (collect_json), received);
  g_signal_connect (receiver, "status-changed", G_CALLBACK (collect_status), receiver_statuses);
  g_signal_connect (other, "status-changed", G_CALLBACK (collect_status), other_statuses);
  g_signal_connect (sender, "status-changed", G_CALLBACK (collect_status), sender_statuses);
  g_signal_connect (sender, "subscribe-state", G_CALLBACK (collect_state), sender_states);

  tandem_test_server_kill (server);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (receiver) == TANDEM_STATUS_RECONNECTING &&
                     tandem_channel_get_status (other) == TANDEM_STATUS_RECONNECTING &&
                     tandem_channel_get_status (sender) == TANDEM_STATUS_RECONNECTING);
  g_assert_cmpuint (count_states (sender_states, TANDEM_SUBSCRIBE_CHANNEL_ERROR), ==, 1);

  /* Pushed while the server is down: buffered */
  tandem_channel_send_broadcast_async (sender, "during", payload, NULL, broadcast_cb, &sent);

  tandem_test_server_restart (server);
  /* The receiver comes back on its own schedule (the real clock)… */
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_get_status (receiver) == TANDEM_STATUS_CONNECTED &&
                             tandem_channel_get_status (other) == TANDEM_STATUS_CONNECTED, 60000);
  g_assert_false (sent.done);

  /* …the sender when its clock says so; then its buffer flushes. */
  while (tandem_client_get_status (sender_client) != TANDEM_STATUS_CONNECTED)
    {
      guint retries = _tandem_client_get_retries (sender_client);

      g_assert_cmpint (tandem_manual_clock_advance_to_next (clock), >=, 0);
      TANDEM_WAIT_UNTIL (tandem_client_get_status (sender_client) == TANDEM_STATUS_CONNECTED ||
                         _tandem_client_get_retries (sender_client) != retries);
    }
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (sender) == TANDEM_STATUS_CONNECTED);
  TANDEM_WAIT_UNTIL (sent.done);
  g_assert_no_error (sent.error);
  TANDEM_WAIT_UNTIL (received->len == 1);
  g_assert_cmpstr (received->pdata[0], ==, "during={\"during\":\"outage\"}");
  g_assert_cmpuint (count_states (sender_states, TANDEM_SUBSCRIBE_SUBSCRIBED), ==, 1);

  /* Every channel went CONNECTED → RECONNECTING → CONNECTED. */
  g_assert_cmpmem (receiver_statuses->data, receiver_statuses->len * sizeof (TandemStatus), through, sizeof through);
  g_assert_cmpmem (other_statuses->data, other_statuses->len * sizeof (TandemStatus), through, sizeof through);
  g_assert_cmpmem (sender_statuses->data, sender_statuses->len * sizeof (TandemStatus), through, sizeof through);

  tandem_client_disconnect (receiver_client);
  tandem_client_disconnect (sender_client);
  g_signal_handlers_disconnect_by_data (receiver, received);
  g_signal_handlers_disconnect_by_data (receiver, receiver_statuses);
  g_signal_handlers_disconnect_by_data (other, other_statuses);
  g_signal_handlers_disconnect_by_data (sender, sender_statuses);
  g_signal_handlers_disconnect_by_data (sender, sender_states);
}

/* Tokens */

static char *
new_email (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("rt-%.8s@example.com", uuid);
}

static TandemSession *
sign_up (TandemClient *client)
{
  g_autofree char *email = new_email ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TandemSession *session;

  tandem_auth_sign_up_async (tandem_client_get_auth (client), email, "s3cret-pass", NULL, NULL, auth_cb, &result);
  TANDEM_WAIT_UNTIL (result != NULL);
  session = tandem_auth_sign_up_finish (tandem_client_get_auth (client), result, &error);
  g_assert_no_error (error);
  return session;
}

/* The server runs with 6 s tokens; TandemAuth refreshes them and the
 * channel gets each new one in band, so it stays joined. */
static void
test_token_refresh (void)
{
  g_autoptr(TandemClient) user = new_client (TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
  g_autoptr(TandemClient) watcher = new_client (TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
  g_autoptr(TandemSession) session = sign_up (user);
  g_autoptr(TandemChannelOptions) acked = tandem_channel_options_new ();
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(TandemChannel) watching = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TandemSubscribeState));
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) payload = json_from_string ("{\"still\":\"here\"}", NULL);
  g_autofree char *first_token = g_strdup (tandem_session_get_access_token (session));
  gint64 first_expiry = tandem_session_get_expires_at (session);
  Result sent = { 0 };

  g_assert_cmpstr (tandem_client_get_access_token (user), ==, first_token);
  g_assert_cmpint (first_expiry - g_get_real_time () / G_USEC_PER_SEC, <=, 6);
  tandem_channel_options_set_broadcast_ack (acked, TRUE);
  channel = join (user, "tokens", acked);
  watching = join (watcher, "tokens", NULL);
  g_signal_connect (channel, "subscribe-state", G_CALLBACK (collect_state), states);
  g_signal_connect (watching, "broadcast", G_CALLBACK (collect_json), received);

  /* Past the first token's expiry (and the server's check after it) */
  TANDEM_WAIT_UNTIL_TIMEOUT (g_get_real_time () / G_USEC_PER_SEC > first_expiry + 2, 30000);
  g_assert_cmpstr (tandem_client_get_access_token (user), !=, first_token);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (states->len, ==, 0);

  tandem_channel_send_broadcast_async (channel, "after", payload, NULL, broadcast_cb, &sent);
  TANDEM_WAIT_UNTIL (sent.done);
  g_assert_no_error (sent.error);
  TANDEM_WAIT_UNTIL (received->len == 1);
  g_assert_cmpuint (states->len, ==, 0);

  g_signal_handlers_disconnect_by_data (channel, states);
  tandem_client_disconnect (user);
  tandem_client_disconnect (watcher);
}

/* A token that expires: the server closes the channel (system error, then
 * phx_close); the client refreshes and rejoins instead of giving up (P2).
 * No TandemAuth here: the caller's token (tandem_client_set_access_token). */
static void
test_token_expiry (void)
{
  g_autoptr(TandemClient) agent = new_client (TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
  g_autofree char *short_token = tandem_test_server_make_token (server, "authenticated", 2, NULL);
  g_autofree char *long_token = NULL;
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TandemSubscribeState));

  tandem_client_set_access_token (agent, short_token);
  channel = join (agent, "expiring", NULL);
  g_signal_connect (channel, "subscribe-state", G_CALLBACK (collect_state), states);

  /* Expired: closed by the server, then refused while the token is stale */
  TANDEM_WAIT_UNTIL (count_states (states, TANDEM_SUBSCRIBE_CHANNEL_ERROR) >= 1);
  g_assert_cmpuint (count_states (states, TANDEM_SUBSCRIBE_CLOSED), ==, 0);
  g_assert_nonnull (strstr (tandem_channel_get_last_error (channel), "Token has expired"));

  /* A new token: back at once */
  long_token = tandem_test_server_make_token (server, "authenticated", 3600, NULL);
  tandem_client_set_access_token (agent, long_token);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (count_states (states, TANDEM_SUBSCRIBE_SUBSCRIBED), ==, 1);
  g_assert_cmpuint (count_states (states, TANDEM_SUBSCRIBE_CLOSED), ==, 0);

  g_signal_handlers_disconnect_by_data (channel, states);
  tandem_client_disconnect (agent);
}

/* Signing out removes every channel. */
static void
test_sign_out (void)
{
  g_autoptr(TandemClient) client = new_client (TANDEM_PROTOCOL_2_0_0, NULL, FALSE);
  g_autoptr(TandemSession) session = sign_up (client);
  g_autoptr(TandemChannel) first = join (client, "mine-1", NULL);
  g_autoptr(TandemChannel) second = join (client, "mine-2", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = tandem_client_get_channels (client);

  g_assert_nonnull (session);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  tandem_auth_sign_out_async (tandem_client_get_auth (client), TANDEM_SIGN_OUT_LOCAL, NULL, auth_cb, &result);
  TANDEM_WAIT_UNTIL (result != NULL);
  g_assert_true (tandem_auth_sign_out_finish (tandem_client_get_auth (client), result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpint (tandem_channel_get_status (first), ==, TANDEM_STATUS_DISCONNECTED);
  g_assert_cmpint (tandem_channel_get_status (second), ==, TANDEM_STATUS_DISCONNECTED);
  g_assert_null (tandem_channel_get_client (first));
  tandem_client_disconnect (client);
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--join-error-delay-ms", "0", "--connect-error-delay-ms", "0",
                                "--jwt-expiry", "6", "--auth-rate-limit", "1000", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, args);

  g_test_add_data_func ("/realtime/integration/broadcast/v1", GINT_TO_POINTER (TANDEM_PROTOCOL_1_0_0),
                        test_broadcast);
  g_test_add_data_func ("/realtime/integration/broadcast/v2", GINT_TO_POINTER (TANDEM_PROTOCOL_2_0_0),
                        test_broadcast);
  g_test_add_func ("/realtime/integration/broadcast/mixed", test_broadcast_mixed);
  g_test_add_func ("/realtime/integration/presence", test_presence);
  g_test_add_func ("/realtime/integration/postgres-changes", test_postgres_changes);
  g_test_add_func ("/realtime/integration/server-restart", test_server_restart);
  g_test_add_func ("/realtime/integration/token-refresh", test_token_refresh);
  g_test_add_func ("/realtime/integration/token-expiry", test_token_expiry);
  g_test_add_func ("/realtime/integration/sign-out", test_sign_out);

  status = g_test_run ();

  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
