/* test-realtime-channels.c: channels: the registry, postgres_changes
 * bindings, the join state machine (timeouts, refusals, phx_error,
 * phx_close, token expiry, stale frames), buffering, pacing, tokens,
 * sign-out, presence, and frames a broken server might send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rt-test.h"

#define V1 GINT_TO_POINTER (TANDEM_PROTOCOL_1_0_0)
#define V2 GINT_TO_POINTER (TANDEM_PROTOCOL_2_0_0)

static void
reply_ok (RtConn        *conn,
          TandemMessage *message)
{
  rt_conn_reply (conn, message, "ok", NULL);
}

/* The registry */

static void
on_channel_status_changed (TandemClient  *client,
                           TandemChannel *channel,
                           TandemStatus   old_status,
                           TandemStatus   new_status,
                           guint         *count)
{
  g_assert_cmpstr (tandem_channel_get_name (channel), ==, "kept");
  (*count)++;
}

static void
on_closed (TandemChannel        *channel,
           TandemSubscribeState  state,
           const GError         *error,
           gboolean             *closed)
{
  if (state == TANDEM_SUBSCRIBE_CLOSED)
    *closed = TRUE;
}

static void
test_registry (RtFixture    *f,
               gconstpointer data)
{
  GListModel *model = tandem_client_get_channels (f->client);
  g_autoptr(TandemChannel) a = tandem_client_channel (f->client, "a", NULL);
  g_autoptr(TandemChannel) again = tandem_client_channel (f->client, "a", NULL);
  g_autoptr(TandemChannel) renewed = NULL;
  g_autoptr(TandemChannel) kept = NULL;
  g_autoptr(TandemChannel) item = NULL;
  TandemChannel *unused;
  TandemChannel *left;
  g_autoptr(TandemMessage) leave = NULL;
  guint kept_changes = 0;
  gboolean left_closed = FALSE;
  RtConn *conn;

  /* One channel per name (realtime-js's channel()) */
  g_assert_true (a == again);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (g_list_model_get_item_type (model) == TANDEM_TYPE_CHANNEL);
  item = g_list_model_get_item (model, 0);
  g_assert_true (item == a);
  g_clear_object (&item);
  g_assert_cmpstr (tandem_channel_get_topic (a), ==, "realtime:a");
  g_assert_true (tandem_channel_get_client (a) == f->client);

  /* Removed: out of the client at once, the name gives a new channel. */
  tandem_client_remove_channel (f->client, a);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (tandem_channel_get_client (a));
  renewed = tandem_client_channel (f->client, "a", NULL);
  g_assert_true (renewed != a);
  g_clear_object (&again);
  g_clear_object (&renewed);
  g_assert_finalize_object (g_steal_pointer (&a));

  /* An unused channel is kept 5 minutes for reuse, then released. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1); /* the renewed "a" */
  unused = tandem_client_channel (f->client, "unused", NULL);
  g_object_add_weak_pointer (G_OBJECT (unused), (gpointer *) &unused);
  g_object_unref (unused);
  g_assert_nonnull (unused);
  tandem_manual_clock_advance (f->clock, 5 * 60 * 1000 - 1);
  g_assert_nonnull (unused);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  tandem_manual_clock_advance (f->clock, 1);
  g_assert_null (unused);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  /* A subscribed channel nobody holds any more leaves, then is pruned. */
  kept = rt_join (f, "kept", NULL, &conn);
  g_signal_connect (f->client, "channel-status-changed::kept", G_CALLBACK (on_channel_status_changed), &kept_changes);
  left = rt_join (f, "left", NULL, NULL);
  g_object_add_weak_pointer (G_OBJECT (left), (gpointer *) &left);
  g_signal_connect (left, "subscribe-state", G_CALLBACK (on_closed), &left_closed);
  g_object_unref (left);
  leave = rt_conn_expect (conn, "realtime:left", "phx_leave");
  g_assert_cmpint (tandem_client_get_channel_status (f->client, "left"), ==, TANDEM_STATUS_DISCONNECTED);
  reply_ok (conn, leave);
  TANDEM_WAIT_UNTIL (left_closed);
  tandem_manual_clock_advance (f->clock, 5 * 60 * 1000 - 1);
  g_assert_nonnull (left);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  tandem_manual_clock_advance (f->clock, 1);
  g_assert_null (left);
  g_assert_cmpint (tandem_client_get_channel_status (f->client, "kept"), ==, TANDEM_STATUS_CONNECTED);
  g_assert_cmpint (tandem_client_get_channel_status (f->client, "nothing"), ==, TANDEM_STATUS_DISCONNECTED);

  /* The detailed client signal follows one channel. */
  tandem_channel_unsubscribe (kept);
  g_assert_cmpuint (kept_changes, ==, 1);
  g_signal_handlers_disconnect_by_data (f->client, &kept_changes);

  tandem_client_disconnect (f->client);
}

static void
test_cap (RtFixture    *f,
          gconstpointer data)
{
  GListModel *model = tandem_client_get_channels (f->client);
  g_autoptr(TandemChannel) busy = NULL;
  g_autoptr(TandemChannel) third = NULL;
  g_autoptr(TandemChannel) beyond = NULL;
  TandemChannel *older, *newer;
  guint max = 0;

  g_object_set (f->client, "max-channels", 3, NULL);
  g_object_get (f->client, "max-channels", &max, NULL);
  g_assert_cmpuint (max, ==, 3);

  busy = tandem_client_channel (f->client, "busy", NULL);
  older = tandem_client_channel (f->client, "older", NULL);
  g_object_add_weak_pointer (G_OBJECT (older), (gpointer *) &older);
  g_object_unref (older);
  tandem_manual_clock_advance (f->clock, 1000);
  newer = tandem_client_channel (f->client, "newer", NULL);
  g_object_add_weak_pointer (G_OBJECT (newer), (gpointer *) &newer);
  g_object_unref (newer);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Full: the channel idle the longest makes room. */
  third = tandem_client_channel (f->client, "third", NULL);
  g_assert_null (older);
  g_assert_nonnull (newer);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Then the next idle one. */
  beyond = tandem_client_channel (f->client, "beyond", NULL);
  g_assert_null (newer);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_clear_object (&beyond);
  g_clear_object (&third);

  /* All in use: made anyway, beyond the cap (the caller would break). */
  third = tandem_client_channel (f->client, "third", NULL);
  beyond = tandem_client_channel (f->client, "beyond", NULL);
  {
    g_autoptr(TandemChannel) extra = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
    extra = tandem_client_channel (f->client, "extra", NULL);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  }
}

/* postgres_changes: the join's entries, the reply's ids, dispatch */

static const char *change_insert =
  "{\"ids\":[1000],\"data\":{\"schema\":\"public\",\"table\":\"todos\",\"type\":\"INSERT\","
  "\"commit_timestamp\":\"2026-01-01T00:00:01.123Z\",\"columns\":[{\"name\":\"id\",\"type\":\"int8\"},"
  "{\"name\":\"done\",\"type\":\"bool\"}],\"record\":{\"id\":1,\"done\":\"t\"},\"errors\":null}}";
static const char *change_update =
  "{\"ids\":[1000],\"data\":{\"schema\":\"public\",\"table\":\"todos\",\"type\":\"UPDATE\","
  "\"commit_timestamp\":\"2026-01-01T00:00:02.000Z\",\"columns\":[{\"name\":\"id\",\"type\":\"int8\"}],"
  "\"record\":{\"id\":1},\"old_record\":{\"id\":1},\"errors\":null}}";
static const char *change_delete =
  "{\"ids\":[7,1001],\"data\":{\"schema\":\"public\",\"table\":\"notes\",\"type\":\"DELETE\","
  "\"commit_timestamp\":\"2026-01-01T00:00:03.000Z\",\"columns\":[{\"name\":\"id\",\"type\":\"int8\"}],"
  "\"old_record\":{\"id\":5},\"errors\":null}}";
static const char *change_other =
  "{\"ids\":[42],\"data\":{\"schema\":\"public\",\"table\":\"todos\",\"type\":\"INSERT\","
  "\"commit_timestamp\":\"2026-01-01T00:00:04.000Z\",\"columns\":[],\"record\":{},\"errors\":null}}";

static void
on_change (TandemChannel *channel,
           TandemChange  *change,
           GPtrArray     *seen)
{
  g_ptr_array_add (seen, g_strdup_printf ("%s %s", tandem_change_get_event_name (change),
                                          tandem_change_get_table (change)));
}

static void
on_delete (TandemChannel *channel,
           TandemChange  *change,
           guint         *deletes)
{
  g_assert_cmpint (tandem_change_get_event (change), ==, TANDEM_CHANGE_DELETE);
  (*deletes)++;
}

static void
test_postgres_bindings (RtFixture    *f,
                        gconstpointer data)
{
  g_autoptr(TandemChannel) channel = tandem_client_channel (f->client, "db", NULL);
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *entries = NULL;
  JsonObject *config;
  guint deletes = 0;
  RtConn *conn;

  g_assert_true (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_INSERT, NULL, "todos", "id=eq.1", &error));
  g_assert_no_error (error);
  g_assert_true (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, "public", "notes", NULL, &error));
  g_assert_no_error (error);
  /* The same binding again collapses (P5). */
  g_assert_true (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, "public", "notes", NULL, &error));

  g_signal_connect (channel, "postgres-change", G_CALLBACK (on_change), seen);
  g_signal_connect (channel, "postgres-change::DELETE", G_CALLBACK (on_delete), &deletes);
  tandem_channel_subscribe (channel);
  conn = rt_peer_wait_conn (f->peer, 0);
  join = rt_conn_accept_join (conn, "realtime:db");

  /* As realtime-js sends them: filter only when given */
  config = json_object_get_object_member (tandem_message_get_payload_object (join), "config");
  entries = json_to_string (json_object_get_member (config, "postgres_changes"), FALSE);
  g_assert_cmpstr (entries, ==, "[{\"event\":\"INSERT\",\"schema\":\"public\",\"table\":\"todos\",\"filter\":\"id=eq.1\"},"
                                "{\"event\":\"*\",\"schema\":\"public\",\"table\":\"notes\"}]");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);

  /* Too late for bindings now. */
  g_assert_false (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, NULL, "late", NULL, &error));
  g_assert_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* ids and then event decide (P6) */
  rt_conn_send (conn, NULL, NULL, "realtime:db", "postgres_changes", change_insert);
  rt_conn_send (conn, NULL, NULL, "realtime:db", "postgres_changes", change_update); /* INSERT binding */
  rt_conn_send (conn, NULL, NULL, "realtime:db", "postgres_changes", change_other);  /* no such id */
  rt_conn_send (conn, NULL, NULL, "realtime:db", "postgres_changes", change_delete);
  TANDEM_WAIT_UNTIL (deletes == 1);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (seen->pdata[0], ==, "INSERT todos");
  g_assert_cmpstr (seen->pdata[1], ==, "DELETE notes");
  tandem_client_disconnect (f->client);
}

static void
test_postgres_mismatch (RtFixture    *f,
                        gconstpointer data)
{
  g_autoptr(TandemChannel) channel = tandem_client_channel (f->client, "mismatch", NULL);
  g_autoptr(RtRecorder) recorder = rt_recorder_new (channel);
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(TandemMessage) leave = NULL;
  RtConn *conn;

  g_assert_true (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, "public", "todos", "id=eq.1", NULL));
  tandem_channel_subscribe (channel);
  conn = rt_peer_wait_conn (f->peer, 0);
  join = rt_conn_expect (conn, "realtime:mismatch", "phx_join");
  /* A server that changed the filter (P5) */
  rt_conn_reply (conn, join, "ok",
                 "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"todos\","
                 "\"filter\":\"id=eq.2\",\"id\":5}]}");
  leave = rt_conn_expect (conn, "realtime:mismatch", "phx_leave");
  g_assert_cmpstr (leave->join_ref, ==, join->ref);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_ERROR);
  g_assert_cmpuint (recorder->states->len, ==, 1);
  g_assert_cmpint (g_array_index (recorder->states, TandemSubscribeState, 0), ==, TANDEM_SUBSCRIBE_CHANNEL_ERROR);
  g_assert_cmpstr (recorder->errors->pdata[0], ==, "mismatch between server and client bindings for postgres changes");

  /* No rejoin: the same request would meet the same answer. */
  tandem_manual_clock_advance (f->clock, 60000);
  rt_conn_assert_quiet (conn);
  tandem_client_disconnect (f->client);
}

static void
test_filter_errors (RtFixture    *f,
                    gconstpointer data)
{
  static const char * const bad[] = { "id", "id=foo.1", "undefined", "id=in.()", "id=eq.\"open" };
  g_autoptr(TandemChannel) channel = tandem_client_channel (f->client, "filters", NULL);
  g_autoptr(TandemChannel) table = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, NULL, "todos", bad[i], &error));
      g_assert_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
  g_assert_false (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, NULL, "", NULL, &error));
  g_assert_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* Every operator of the grammar is accepted. */
  g_assert_true (tandem_channel_add_postgres_changes (channel, TANDEM_CHANGE_ALL, NULL, "todos",
                                                      "id=gt.0,status=not.in.(a,\"b,c\"),name=ilike.*x*", &error));
  g_assert_no_error (error);

  g_assert_null (tandem_client_subscribe_table (f->client, NULL, "todos", TANDEM_CHANGE_ALL, "id", &error));
  g_assert_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  table = tandem_client_subscribe_table (f->client, NULL, "todos", TANDEM_CHANGE_INSERT, "id=eq.1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_channel_get_name (table), ==, "public:todos:id=eq.1#INSERT");
  g_assert_cmpint (tandem_channel_get_status (table), ==, TANDEM_STATUS_CONNECTING);
  {
    g_autoptr(TandemChannel) same = tandem_client_subscribe_table (f->client, "public", "todos", TANDEM_CHANGE_INSERT,
                                                                   "id=eq.1", &error);
    RtConn *conn = rt_peer_wait_conn (f->peer, 0);
    G_GNUC_UNUSED g_autoptr(TandemMessage) join = rt_conn_accept_join (conn, "realtime:public:todos:id=eq.1#INSERT");

    g_assert_true (same == table);
    TANDEM_WAIT_UNTIL (tandem_channel_get_status (table) == TANDEM_STATUS_CONNECTED);
  }
  tandem_client_disconnect (f->client);
}

/* The state machine */

static void
test_join_timeout (RtFixture    *f,
                   gconstpointer data)
{
  g_autoptr(TandemChannel) channel = tandem_client_channel (f->client, "slow", NULL);
  g_autoptr(RtRecorder) recorder = rt_recorder_new (channel);
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(TandemMessage) leave = NULL;
  g_autoptr(TandemMessage) rejoin = NULL;
  RtConn *conn;

  tandem_channel_subscribe (channel);
  conn = rt_peer_wait_conn (f->peer, 0);
  join = rt_conn_expect (conn, "realtime:slow", "phx_join");
  tandem_manual_clock_advance (f->clock, 9999);
  rt_conn_assert_quiet (conn);
  /* No reply in time: TIMED_OUT, phx_leave, a rejoin after 1 s */
  tandem_manual_clock_advance (f->clock, 1);
  leave = rt_conn_expect (conn, "realtime:slow", "phx_leave");
  g_assert_cmpstr (leave->join_ref, ==, join->ref);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_TIMED_OUT), ==, 1);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTING);

  /* The old join's late reply is stale. */
  rt_conn_reply (conn, join, "ok", "{\"postgres_changes\":[]}");
  rt_conn_assert_quiet (conn);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTING);

  tandem_manual_clock_advance (f->clock, 999);
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (f->clock, 1);
  rejoin = rt_conn_accept_join (conn, "realtime:slow");
  g_assert_cmpstr (rejoin->join_ref, !=, join->join_ref);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_SUBSCRIBED), ==, 1);
  tandem_client_disconnect (f->client);
}

static void
test_join_refused (RtFixture    *f,
                   gconstpointer data)
{
  g_autoptr(TandemChannel) channel = tandem_client_channel (f->client, "refused", NULL);
  g_autoptr(RtRecorder) recorder = rt_recorder_new (channel);
  g_autoptr(TandemMessage) join = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RtResult subscribed = { 0 };
  RtConn *conn;

  tandem_channel_subscribe_async (channel, cancellable, rt_subscribe_cb, &subscribed);
  conn = rt_peer_wait_conn (f->peer, 0);

  /* A refusal that may heal: ERROR, then a rejoin on the schedule */
  join = rt_conn_expect (conn, "realtime:refused", "phx_join");
  rt_conn_reply (conn, join, "error", "{\"reason\":\"ConnectionRateLimitReached: Too many connected users\"}");
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_ERROR);
  g_assert_cmpstr (tandem_channel_get_last_error (channel), ==, "ConnectionRateLimitReached: Too many connected users");
  TANDEM_WAIT_UNTIL (subscribed.done);
  g_assert_error (subscribed.error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED);
  g_assert_cmpstr (subscribed.error->message, ==, "ConnectionRateLimitReached: Too many connected users");
  rt_result_clear (&subscribed);
  g_clear_pointer (&join, tandem_message_free);
  tandem_manual_clock_advance (f->clock, 1000);
  join = rt_conn_expect (conn, "realtime:refused", "phx_join");
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTING);

  /* One that will not (P3): no more rejoins… */
  rt_conn_reply (conn, join, "error",
                 "{\"reason\":\"Unauthorized: You do not have permissions to read from this Channel topic: refused\"}");
  TANDEM_WAIT_UNTIL (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CHANNEL_ERROR) == 2);
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_ERROR);
  g_clear_pointer (&join, tandem_message_free);

  /* …until the health check, once it has been in ERROR for 3 minutes. The
   * checks run at 60 s, 120 s, 180 s, 240 s after the connect; the channel
   * stopped at 1 s. */
  tandem_manual_clock_advance (f->clock, 179000);
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (f->clock, 60000);
  join = rt_conn_expect (conn, "realtime:refused", "phx_join");
  rt_conn_reply (conn, join, "error",
                 "{\"reason\":\"Unauthorized: You do not have permissions to read from this Channel topic: refused\"}");
  TANDEM_WAIT_UNTIL (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CHANNEL_ERROR) == 3);
  g_clear_pointer (&join, tandem_message_free);

  /* A new token is a new chance at once. */
  tandem_client_set_access_token (f->client, "better-token");
  join = rt_conn_expect (conn, "realtime:refused", "phx_join");
  g_assert_cmpstr (json_object_get_string_member (tandem_message_get_payload_object (join), "access_token"), ==,
                   "better-token");
  g_clear_pointer (&join, tandem_message_free);

  /* Cancelling only stops waiting. */
  tandem_channel_subscribe_async (channel, cancellable, rt_subscribe_cb, &subscribed);
  g_cancellable_cancel (cancellable);
  TANDEM_WAIT_UNTIL (subscribed.done);
  g_assert_error (subscribed.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  rt_result_clear (&subscribed);
  tandem_client_disconnect (f->client);
}

static void
collect_event (TandemChannel *channel,
               const char    *event,
               JsonNode      *payload,
               GPtrArray     *events)
{
  g_ptr_array_add (events, g_strdup (event));
}

static void
test_phx_error_and_stale (RtFixture    *f,
                          gconstpointer data)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(RtRecorder) recorder = NULL;
  g_autoptr(TandemMessage) rejoin = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  const char *old_ref = "1";
  RtConn *conn;

  channel = rt_join (f, "crash", NULL, &conn);
  recorder = rt_recorder_new (channel);
  g_signal_connect (channel, "broadcast", G_CALLBACK (collect_event), events);

  /* The server's channel process crashed: rejoin on the schedule */
  rt_conn_send (conn, old_ref, old_ref, "realtime:crash", "phx_error", NULL);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_RECONNECTING);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CHANNEL_ERROR), ==, 1);
  tandem_manual_clock_advance (f->clock, 999);
  rt_conn_assert_quiet (conn);
  tandem_manual_clock_advance (f->clock, 1);
  rejoin = rt_conn_accept_join (conn, "realtime:crash");
  g_assert_cmpstr (rejoin->join_ref, !=, old_ref);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_SUBSCRIBED), ==, 1);

  /* Frames of the old join are stale (P10) and dropped… */
  rt_conn_send (conn, old_ref, NULL, "realtime:crash", "broadcast",
                "{\"type\":\"broadcast\",\"event\":\"stale\",\"payload\":{}}");
  rt_conn_send (conn, old_ref, old_ref, "realtime:crash", "phx_close", NULL);
  /* …as is a phx_close for another ref (§1.6 rule 2). */
  rt_conn_send (conn, rejoin->join_ref, old_ref, "realtime:crash", "phx_close", NULL);
  rt_conn_send (conn, rejoin->join_ref, NULL, "realtime:crash", "broadcast",
                "{\"type\":\"broadcast\",\"event\":\"fresh\",\"payload\":{}}");
  rt_conn_send (conn, NULL, NULL, "realtime:crash", "broadcast",
                "{\"type\":\"broadcast\",\"event\":\"fanout\",\"payload\":{}}");
  TANDEM_WAIT_UNTIL (events->len == 2);
  g_assert_cmpstr (events->pdata[0], ==, "fresh");
  g_assert_cmpstr (events->pdata[1], ==, "fanout");
  g_assert_cmpint (tandem_channel_get_status (channel), ==, TANDEM_STATUS_CONNECTED);
  g_assert_cmpuint (rt_recorder_count (recorder, TANDEM_SUBSCRIBE_CLOSED), ==, 0);
  tandem_client_disconnect (f->client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, RtFixture, V2, rt_fixture_setup_no_heartbeat, func, rt_fixture_teardown)
  ADD ("/realtime/channels/registry", test_registry);
  ADD ("/realtime/channels/cap", test_cap);
  ADD ("/realtime/channels/postgres-bindings", test_postgres_bindings);
  ADD ("/realtime/channels/postgres-mismatch", test_postgres_mismatch);
  ADD ("/realtime/channels/filter-errors", test_filter_errors);
  ADD ("/realtime/channels/join-timeout", test_join_timeout);
  ADD ("/realtime/channels/join-refused", test_join_refused);
  ADD ("/realtime/channels/phx-error-and-stale", test_phx_error_and_stale);
#undef ADD

  return g_test_run ();
}
