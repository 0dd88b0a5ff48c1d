/* test-shell.c: the whole app, driven as a person would: the welcome page
 * creates a local workspace (a tandem-server of its own over a throwaway
 * PostgreSQL), the demo dashboard opens and shows rows inserted through
 * REST, another client sees one's status change, the server stops (banner,
 * reconnecting) and comes back (recovery), and the main window is saved as a
 * screenshot ($TANDEM_TEST_SCREENSHOT).
 *
 * The steps share one application and run in order: each starts from where
 * the one before left the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tandem.h"
#include "tandem-application.h"
#include "tandem-charts.h"
#include "tandem-connection-banner.h"
#include "tandem-channel-info.h"
#include "tandem-connection-indicator.h"
#include "tandem-connection-monitor.h"
#include "tandem-connection-watch.h"
#include "tandem-dashboard-view.h"
#include "tandem-dashboard-widget.h"
#include "tandem-dashboards-page.h"
#include "tandem-idle-monitor.h"
#include "tandem-local-server.h"
#include "tandem-people-list.h"
#include "tandem-status-chooser.h"
#include "tandem-welcome-page.h"
#include "tandem-window-private.h"
#include "tandem-workspace-error.h"
#include "tandem-workspace-session.h"
#include "ui-test-util.h"

#define BUCKET_USEC (10 * G_USEC_PER_SEC)

static TandemApplication *app;
static TandemWindow *window;

/* The other person: signed up on the same server, on the workspace channel. */
static TandemClient *observer;
static TandemChannel *observer_channel;
static char *observer_id;

static TandemWorkspaceSession *
session (void)
{
  return tandem_application_get_session (app);
}

/* The first widget under @root (depth first) of @type whose @property is
 * @value (a string property), or NULL. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *property,
             const char *value)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      g_autofree char *text = NULL;

      g_object_get (root, property, &text, NULL);
      if (g_strcmp0 (text, value) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, property, value);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static JsonNode *
run_query (TandemQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  tandem_query_execute_async (query, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  node = tandem_query_execute_finish (query, result, &error);
  g_assert_no_error (error);
  return node;
}

/* Inserts one analytics event as the observer (another signed-in user),
 * through REST; returns its id. @created_at: ISO 8601, or NULL for now. */
static gint64
insert_event (const char *name,
              double      value,
              const char *created_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) row = NULL;
  g_autoptr(JsonNode) inserted = NULL;
  g_autoptr(TandemQuery) query = NULL;
  JsonArray *rows;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "value");
  json_builder_add_double_value (builder, value);
  if (created_at != NULL)
    {
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created_at);
    }
  json_builder_end_object (builder);
  row = json_builder_get_root (builder);

  query = tandem_client_from (observer, "analytics_events");
  tandem_query_returning (tandem_query_insert (query, row), TRUE);
  inserted = run_query (query);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (inserted));
  rows = json_node_get_array (inserted);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  return json_object_get_int_member (json_array_get_object_element (rows, 0), "id");
}

/* The value of the point at @time_usec, or NAN. */
static double
series_value_at (TandemSeries *series,
                 gint64        time_usec)
{
  guint i = tandem_series_lower_bound (series, time_usec);

  if (i < tandem_series_get_n_points (series) && tandem_series_get_time (series, i) == time_usec)
    return tandem_series_get_value (series, i);
  return NAN;
}

static gboolean
rows_have_id (GListModel *rows,
              gint64      id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(TandemTableRow) row = g_list_model_get_item (rows, i);

      if (g_strcmp0 (tandem_table_row_get_id (row), text) == 0)
        return TRUE;
    }
  return FALSE;
}

/* (GLib 2.74 has no g_date_time_to_unix_usec.) */
static gint64
unix_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static TandemDashboardView *
dashboard_view (void)
{
  GtkWidget *page = tandem_window_get_section_page (window, "dashboards");

  g_assert_true (TANDEM_IS_DASHBOARDS_PAGE (page));
  return tandem_dashboards_page_get_view (TANDEM_DASHBOARDS_PAGE (page));
}

static TandemConnectionWatch *
connection (void)
{
  return tandem_workspace_session_get_connection (session ());
}

/* ---- the steps ---- */

static void
test_welcome_local (void)
{
  TandemWelcomePage *welcome;
  GtkWidget *row, *button;

  TANDEM_WAIT_UNTIL_TIMEOUT ((window = TANDEM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app))))
                             != NULL, UI_TEST_TIMEOUT_MS);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  /* First start: the welcome page, and no workspace. */
  g_assert_cmpstr (_tandem_window_get_view (window), ==, "welcome");
  g_assert_null (session ());
  welcome = _tandem_window_get_welcome_page (window);
  g_assert_cmpstr (tandem_welcome_page_get_visible (welcome), ==, "choose");

  /* "Start a Local Workspace", as clicked. */
  row = find_widget (GTK_WIDGET (welcome), ADW_TYPE_ACTION_ROW, "title", "Start a _Local Workspace");
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  g_assert_cmpstr (tandem_welcome_page_get_visible (welcome), ==, "local");

  /* No name: the message is at the name, and nothing starts. */
  row = tandem_welcome_page_get_row (welcome, TANDEM_WORKSPACE_FIELD_NAME);
  button = tandem_welcome_page_get_button (welcome);
  gtk_editable_set_text (GTK_EDITABLE (row), "   ");
  g_signal_emit_by_name (button, "clicked");
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_NAME) != NULL &&
                             !tandem_welcome_page_get_busy (welcome), UI_TEST_TIMEOUT_MS);
  g_assert_null (session ());

  gtk_editable_set_text (GTK_EDITABLE (row), "Ada Lovelace");
  g_signal_emit_by_name (button, "clicked");
  g_assert_null (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_NAME));

  /* The server's first start runs initdb: a generous bound. */
  TANDEM_WAIT_UNTIL_TIMEOUT (session () != NULL && g_strcmp0 (_tandem_window_get_view (window), "workspace") == 0,
                             UI_TEST_SERVER_TIMEOUT_MS);
  g_assert_cmpstr (tandem_workspace_session_get_display_name (session ()), ==, "Ada Lovelace");
  g_assert_nonnull (tandem_workspace_session_get_local_server (session ()));
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_connection_watch_get_state (connection ()) == TANDEM_CONNECTION_CONNECTED,
                             UI_TEST_TIMEOUT_MS);
  g_assert_cmpint (tandem_connection_indicator_get_state (_tandem_window_get_connection_indicator (window)), ==,
                   TANDEM_CONNECTION_CONNECTED);
  g_assert_false (tandem_connection_banner_get_revealed (_tandem_window_get_banner (window)));

  /* The other person signs up on the same server. */
  {
    TandemLocalServer *server = tandem_workspace_session_get_local_server (session ());
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(TandemSession) signed_up = NULL;
    g_autoptr(TandemChannelOptions) options = tandem_channel_options_new ();

    observer = tandem_client_new (tandem_local_server_get_url (server),
                                  tandem_local_server_get_anon_key (server), &error);
    g_assert_no_error (error);
    tandem_auth_sign_up_async (tandem_client_get_auth (observer), "grace@example.com", "correct horse battery",
                               NULL, NULL, ui_test_store_result, &result);
    UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
    signed_up = tandem_auth_sign_up_finish (tandem_client_get_auth (observer), result, &error);
    g_assert_no_error (error);
    observer_id = g_strdup (tandem_session_get_user_id (signed_up));
    g_assert_nonnull (observer_id);

    tandem_channel_options_set_presence_enabled (options, TRUE);
    tandem_channel_options_set_presence_key (options, observer_id);
    observer_channel = g_object_ref (tandem_client_channel (observer, TANDEM_WORKSPACE_CHANNEL, options));
    tandem_channel_subscribe (observer_channel);
    TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_get_status (observer_channel) == TANDEM_STATUS_CONNECTED,
                               UI_TEST_TIMEOUT_MS);
  }
}

static void
test_demo_dashboard (void)
{
  TandemDashboardView *view;
  TandemDashboardWidget *line, *bar, *table, *value;
  TandemSeries *views, *signups, *revenue;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = NULL;
  g_autofree char *past_text = NULL;
  gint64 bucket, id_new;

  /* The local workspace comes with the demo dashboard, opened. */
  TANDEM_WAIT_UNTIL_TIMEOUT ((view = dashboard_view ()) != NULL && tandem_dashboard_view_get_loaded (view),
                             UI_TEST_TIMEOUT_MS);
  g_assert_cmpstr (tandem_dashboard_view_get_name (view), ==, "Demo");
  g_assert_cmpuint (tandem_dashboard_view_get_n_widgets (view), ==, 4);
  line = tandem_dashboard_view_get_widget (view, "w1");
  bar = tandem_dashboard_view_get_widget (view, "w2");
  value = tandem_dashboard_view_get_widget (view, "w3");
  table = tandem_dashboard_view_get_widget (view, "w4");
  g_assert_nonnull (line);
  g_assert_nonnull (bar);
  g_assert_nonnull (value);
  g_assert_nonnull (table);
  g_assert_true (TANDEM_IS_LINE_CHART (tandem_dashboard_widget_get_chart (line)));
  g_assert_true (TANDEM_IS_BAR_CHART (tandem_dashboard_widget_get_chart (bar)));
  g_assert_true (TANDEM_IS_VALUE_CHART (tandem_dashboard_widget_get_chart (value)));
  g_assert_true (TANDEM_IS_LIVE_TABLE (tandem_dashboard_widget_get_chart (table)));
  g_assert_cmpuint (tandem_dashboard_widget_get_n_series (line), ==, 2);
  views = tandem_dashboard_widget_get_series (line, 0);
  signups = tandem_dashboard_widget_get_series (line, 1);
  revenue = tandem_dashboard_widget_get_series (bar, 0);

  /* Events in a bucket from before the workspace existed (so the demo's own
   * events are not in it): counted exactly, in the right series. The demo's
   * buckets are 10 s for the line and 60 s for the bar. */
  past = g_date_time_add_seconds (now, -120);
  past_text = g_date_time_format_iso8601 (past);
  bucket = unix_usec (past) / BUCKET_USEC * BUCKET_USEC;
  g_assert_true (isnan (series_value_at (views, bucket)));
  for (int i = 0; i < 3; i++)
    insert_event ("page_view", 1, past_text);
  insert_event ("signup", 1, past_text);
  insert_event ("purchase", 42.5, past_text);
  TANDEM_WAIT_UNTIL_TIMEOUT (series_value_at (views, bucket) == 3 && series_value_at (signups, bucket) == 1,
                             UI_TEST_TIMEOUT_MS);
  {
    gint64 minute = unix_usec (past) / (60 * G_USEC_PER_SEC) * (60 * G_USEC_PER_SEC);

    TANDEM_WAIT_UNTIL_TIMEOUT (series_value_at (revenue, minute) >= 42.5, UI_TEST_TIMEOUT_MS);
  }

  /* A new event is at the top of the live table: above it only the
   * demo's events inserted since (their ids are greater). */
  id_new = insert_event ("ui_test_event", 7, NULL);
  TANDEM_WAIT_UNTIL_TIMEOUT (rows_have_id (tandem_dashboard_widget_get_rows (table), id_new), UI_TEST_TIMEOUT_MS);
  {
    GListModel *rows = tandem_dashboard_widget_get_rows (table);
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id_new);
    guint i;

    g_assert_cmpuint (g_list_model_get_n_items (rows), <=, 20);
    for (i = 0; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(TandemTableRow) row = g_list_model_get_item (rows, i);

        if (g_strcmp0 (tandem_table_row_get_id (row), id_text) == 0)
          {
            g_assert_cmpstr (tandem_table_row_get_value (row, "name"), ==, "ui_test_event");
            break;
          }
        g_assert_cmpint (g_ascii_strtoll (tandem_table_row_get_id (row), NULL, 10), >, id_new);
        g_assert_cmpstr (tandem_table_row_get_value (row, "name"), !=, "ui_test_event");
      }
    g_assert_cmpuint (i, <, g_list_model_get_n_items (rows));
  }

  /* The demo broadcasts metric_update for the value widget once a second. */
  {
    TandemSeries *metric = tandem_dashboard_widget_get_series (value, 0);

    TANDEM_WAIT_UNTIL_TIMEOUT (metric != NULL && tandem_series_get_n_points (metric) >= 2, UI_TEST_TIMEOUT_MS);
  }
}

static const char *
observed_status (const char *key)
{
  TandemPresenceEntry *entry = tandem_presence_lookup (tandem_channel_get_presence (observer_channel), key);

  return entry ? tandem_presence_entry_get_string (entry, "status") : NULL;
}

static void
test_presence (void)
{
  const char *own = tandem_workspace_session_get_user_id (session ());
  TandemPeopleList *people = _tandem_window_get_people_list (window);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) meta = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* The other person sees one online, and appears in one's people list. */
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (observed_status (own), "online") == 0, UI_TEST_SERVER_TIMEOUT_MS);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "Grace Hopper");
  json_builder_set_member_name (builder, "color");
  json_builder_add_string_value (builder, "#1c71d8");
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "online");
  json_builder_end_object (builder);
  meta = json_builder_get_root (builder);
  tandem_channel_track_async (observer_channel, json_node_get_object (meta), NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  g_assert_true (tandem_channel_track_finish (observer_channel, result, &error));
  g_assert_no_error (error);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_people_list_find_row (people, observer_id) != NULL, UI_TEST_TIMEOUT_MS);
  g_assert_nonnull (tandem_people_list_find_row (people, own));

  /* Away by itself after the delay without input (5 minutes by default;
   * one second here), and online again at the next input. */
  {
    TandemIdleMonitor *idle = _tandem_window_get_idle_monitor (window);
    guint delay = tandem_idle_monitor_get_delay (idle);

    g_assert_cmpuint (delay, ==, 300);
    tandem_idle_monitor_set_delay (idle, 1);
    TANDEM_WAIT_UNTIL_TIMEOUT (tandem_workspace_session_get_status (session ()) == TANDEM_USER_AWAY,
                               UI_TEST_TIMEOUT_MS);
    TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (observed_status (own), "away") == 0, UI_TEST_SERVER_TIMEOUT_MS);
    tandem_idle_monitor_set_delay (idle, delay);
    tandem_idle_monitor_input (idle);
    g_assert_cmpint (tandem_workspace_session_get_status (session ()), ==, TANDEM_USER_ONLINE);
    TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (observed_status (own), "online") == 0, UI_TEST_SERVER_TIMEOUT_MS);
  }

  /* Away, chosen from the status menu's action. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.status", "s", "away");
  g_assert_cmpint (tandem_workspace_session_get_status (session ()), ==, TANDEM_USER_AWAY);
  g_assert_cmpint (tandem_status_chooser_get_status (_tandem_window_get_status_chooser (window)), ==,
                   TANDEM_USER_AWAY);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (observed_status (own), "away") == 0, UI_TEST_SERVER_TIMEOUT_MS);

  /* Do not disturb: seen as such, and no desktop notification goes out. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.status", "s", "dnd");
  /* The fifth update in a few seconds: libtandem holds it until Supabase's
   * limit (5 per 30 s) allows it. */
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (observed_status (own), "dnd") == 0, UI_TEST_SERVER_TIMEOUT_MS);
  {
    g_autoptr(GNotification) notification = g_notification_new ("Grace Hopper is online");

    g_assert_false (tandem_application_send_notification (app, "test", notification));
  }
}

static TandemChannelInfo *
monitor_channel (TandemConnectionMonitor *monitor,
                 const char              *name)
{
  GListModel *channels = tandem_connection_monitor_get_channels (monitor);

  for (guint i = 0; i < g_list_model_get_n_items (channels); i++)
    {
      g_autoptr(TandemChannelInfo) info = g_list_model_get_item (channels, i);

      if (g_strcmp0 (tandem_channel_info_get_name (info), name) == 0)
        return info;
    }
  return NULL;
}

/* The Connection Monitor (app.connection-monitor) lists the workspace
 * channel, live: subscribed, with messages in. */
static void
test_connection_monitor (void)
{
  TandemConnectionMonitor *monitor = NULL;
  TandemChannelInfo *info;
  guint64 before;

  g_action_group_activate_action (G_ACTION_GROUP (app), "connection-monitor", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TANDEM_IS_CONNECTION_MONITOR (l->data))
      monitor = l->data;
  g_assert_nonnull (monitor);
  g_assert_true (tandem_connection_monitor_get_client (monitor) == tandem_workspace_session_get_client (session ()));

  TANDEM_WAIT_UNTIL_TIMEOUT ((info = monitor_channel (monitor, "realtime:" TANDEM_WORKSPACE_CHANNEL)) != NULL ||
                             (info = monitor_channel (monitor, TANDEM_WORKSPACE_CHANNEL)) != NULL,
                             UI_TEST_TIMEOUT_MS);
  g_test_message ("workspace channel: %s, %" G_GUINT64_FORMAT " in", tandem_channel_info_get_status (info),
                  tandem_channel_info_get_messages_in (info));
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_info_get_messages_in (info) > 0, UI_TEST_TIMEOUT_MS);
  g_assert_cmpstr (tandem_channel_info_get_status (info), ==, "Joined");

  /* Live: the observer's presence change arrives as a message in. */
  before = tandem_channel_info_get_messages_in (info);
  {
    g_autoptr(GAsyncResult) result = NULL;

    tandem_channel_untrack_async (observer_channel, NULL, ui_test_store_result, &result);
    UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
    g_assert_true (tandem_channel_untrack_finish (observer_channel, result, NULL));
  }
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_info_get_messages_in (info) > before, UI_TEST_TIMEOUT_MS);
  gtk_window_destroy (GTK_WINDOW (monitor));
}

/* The window of @type that @action opened (app.*), closed again. */
static void
assert_action_opens (const char *action,
                     GType       type)
{
  GtkWindow *found = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), action, NULL);
  TANDEM_WAIT_UNTIL_TIMEOUT (({
                               found = NULL;
                               for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
                                 if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) &&
                                     gtk_widget_get_visible (l->data))
                                   found = l->data;
                               found != NULL;
                             }), UI_TEST_TIMEOUT_MS);
  gtk_window_destroy (found);
}

static void
test_windows (void)
{
  assert_action_opens ("preferences", ADW_TYPE_PREFERENCES_WINDOW);
  assert_action_opens ("shortcuts", GTK_TYPE_SHORTCUTS_WINDOW);
  assert_action_opens ("about", ADW_TYPE_ABOUT_WINDOW);
}

static void
test_server_restart (void)
{
  TandemLocalServer *server = tandem_workspace_session_get_local_server (session ());
  TandemConnectionBanner *banner = _tandem_window_get_banner (window);
  TandemConnectionIndicator *indicator = _tandem_window_get_connection_indicator (window);
  const char *own = tandem_workspace_session_get_user_id (session ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint port = tandem_local_server_get_port (server);

  tandem_local_server_stop_async (server, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  g_assert_true (tandem_local_server_stop_finish (server, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Not connected: the banner says so, the header too. */
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_connection_banner_get_revealed (banner), UI_TEST_TIMEOUT_MS);
  g_assert_cmpint (tandem_connection_watch_get_state (connection ()), !=, TANDEM_CONNECTION_CONNECTED);
  g_assert_cmpint (tandem_connection_indicator_get_state (indicator), !=, TANDEM_CONNECTION_CONNECTED);
  g_assert_cmpstr (tandem_connection_banner_get_text (banner), !=, "");
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_connection_watch_get_state (connection ()) == TANDEM_CONNECTION_RECONNECTING,
                             UI_TEST_TIMEOUT_MS);
  {
    g_autofree char *summary = tandem_connection_watch_dup_summary (connection ());

    g_assert_true (g_str_has_prefix (summary, "Reconnecting") || g_str_has_prefix (summary, "Connecting"));
  }

  /* Back on the same port; "Reconnect Now" does not wait for the back-off. */
  tandem_local_server_start_async (server, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_SERVER_TIMEOUT_MS);
  g_assert_true (tandem_local_server_start_finish (server, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tandem_local_server_get_port (server), ==, port);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reconnect", NULL);

  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_connection_watch_get_state (connection ()) == TANDEM_CONNECTION_CONNECTED,
                             UI_TEST_SERVER_TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (!tandem_connection_banner_get_revealed (banner), UI_TEST_TIMEOUT_MS);
  g_assert_cmpint (tandem_connection_indicator_get_state (indicator), ==, TANDEM_CONNECTION_CONNECTED);

  /* Recovered: presence is tracked again (still do not disturb), and live
   * rows flow. */
  tandem_client_reconnect_now (observer);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_get_status (observer_channel) == TANDEM_STATUS_CONNECTED,
                             UI_TEST_SERVER_TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (observed_status (own), "dnd") == 0, UI_TEST_SERVER_TIMEOUT_MS);
  {
    TandemDashboardWidget *table = tandem_dashboard_view_get_widget (dashboard_view (), "w4");
    gint64 id_after;

    g_assert_nonnull (table);
    id_after = insert_event ("after_restart", 1, NULL);
    TANDEM_WAIT_UNTIL_TIMEOUT (rows_have_id (tandem_dashboard_widget_get_rows (table), id_after),
                               UI_TEST_SERVER_TIMEOUT_MS);
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.status", "s", "online");
}

static void
test_screenshot (void)
{
  const char *env = g_getenv ("TANDEM_TEST_SCREENSHOT");
  g_autofree char *path = env ? g_strdup (env) : g_test_build_filename (G_TEST_BUILT, "tandem-main-window.png", NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) loaded = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;

  /* Let a frame or two settle the layout of the last changes. */
  tandem_test_run_for (500);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* Live data keeps queuing relayouts: a snapshot taken while one is
   * pending is empty, so take the next frame's. */
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  TANDEM_WAIT_UNTIL_TIMEOUT (({
                               g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

                               g_clear_pointer (&node, gsk_render_node_unref);
                               gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
                               node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
                               node != NULL;
                             }), UI_TEST_TIMEOUT_MS);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d × %d)", path, width, height);

  loaded = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (loaded), ==, width);
  g_assert_cmpint (gdk_texture_get_height (loaded), ==, height);
}

/* Down to a phone-sized window: the sidebar folds into a page of its own,
 * and choosing a section goes on to it. */
static void
test_narrow (void)
{
  AdwLeaflet *leaflet = _tandem_window_get_leaflet (window);

  g_assert_false (adw_leaflet_get_folded (leaflet));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  TANDEM_WAIT_UNTIL_TIMEOUT (adw_leaflet_get_folded (leaflet), UI_TEST_TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_width (GTK_WIDGET (window)) <= 400, UI_TEST_TIMEOUT_MS);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == window->sidebar);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "dashboards");
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == window->content);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  TANDEM_WAIT_UNTIL_TIMEOUT (!adw_leaflet_get_folded (leaflet), UI_TEST_TIMEOUT_MS);
}

/* ---- running them inside the application ---- */

static int status;

static void
activate_cb (GApplication *application)
{
  /* Once: the tests run inside the first activation. */
  g_signal_handlers_disconnect_by_func (application, activate_cb, NULL);
  g_application_hold (application);
  /* Xvfb has no window manager, so windows never get focus: GTK 4.8's
   * cursor blink would warn that a focused field "did not receive a
   * focus-out event". */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  status = g_test_run ();

  if (observer_channel != NULL)
    tandem_client_remove_channel (observer, observer_channel);
  g_clear_object (&observer_channel);
  if (observer != NULL)
    tandem_client_disconnect (observer);
  g_clear_object (&observer);
  g_clear_pointer (&observer_id, g_free);

  g_application_release (application);
  g_application_quit (application);
}

int
main (int   argc,
      char *argv[])
{
  char *args[] = { argv[0], NULL };

  g_test_init (&argc, &argv, NULL);

  /* meson sets it to the tandem-server it built: without it, fail. */
  if (g_getenv ("TANDEM_SERVER") == NULL)
    {
      g_printerr ("Bail out! TANDEM_SERVER is not set (run through meson test)\n");
      return 1;
    }

  g_test_add_func ("/shell/welcome-local", test_welcome_local);
  g_test_add_func ("/shell/demo-dashboard", test_demo_dashboard);
  g_test_add_func ("/shell/presence", test_presence);
  g_test_add_func ("/shell/connection-monitor", test_connection_monitor);
  g_test_add_func ("/shell/windows", test_windows);
  g_test_add_func ("/shell/server-restart", test_server_restart);
  g_test_add_func ("/shell/screenshot", test_screenshot);
  g_test_add_func ("/shell/narrow", test_narrow);

  app = tandem_application_new (G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_application_run (G_APPLICATION (app), 1, args);
  g_clear_object (&app);
  return status;
}
