/* test-dashboard-view.c: dashboards against a throwaway PostgreSQL and
 * tandem-server --demo, with real widgets (under Xvfb, GSK_RENDERER=cairo)
 *
 * The page lists the dashboards live and opens the Demo one by itself;
 * a test dashboard (made here, with event names of its own so that the
 * demo's events do not count) gets rows through REST before and after it
 * loads, and the line chart's buckets and the table's rows are checked
 * value by value; a metric_update broadcast sets the value widget; a
 * layout PATCH from another client changes a title live without
 * rebinding; rows written while tandem-server is down appear once it is
 * back, each counted once; PNG and CSV exports; the editor refuses a bad
 * filter at its field and saves a good edit; the grid folds at 360 px.
 *
 * Every wait is on a condition, with generous bounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tandem.h"
#include "tandem-charts.h"
#include "tandem-dashboard.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-util.h"
#include "tandem-dashboard-view.h"
#include "tandem-dashboard-widget.h"
#include "tandem-dashboards-page.h"
#include "tandem-series-binding.h"
#include "tandem-test-client.h"
#include "tandem-widget-editor.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

#define TIMEOUT_MS  30000
#define RESTART_MS  90000
#define SEC         ((gint64) G_USEC_PER_SEC)
#define BUCKET      (10 * SEC)

static TandemTestPg *pg;
static TandemTestServer *server;

/* ---- helpers ---- */

static TandemClient *
signed_in_client (void)
{
  return tandem_test_client_new_signed_up (tandem_test_server_get_url (server), tandem_test_server_get_anon_key (server),
                                           "dash", TIMEOUT_MS, NULL);
}

/* Runs @query and returns what it returned. */
static JsonNode *
run (TandemQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  tandem_query_execute_async (query, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  node = tandem_query_execute_finish (query, result, &error);
  g_assert_no_error (error);
  return node;
}

/* Inserts one analytics event at @time_usec. */
static void
insert_event (TandemClient *client,
              const char   *name,
              gint64        time_usec,
              double        value)
{
  g_autoptr(TandemQuery) query = tandem_client_from (client, "analytics_events");
  g_autoptr(JsonObject) row = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) rows = NULL;
  g_autofree char *time = tandem_dashboard_format_time (time_usec);

  json_object_set_string_member (row, "name", name);
  json_object_set_string_member (row, "created_at", time);
  json_object_set_double_member (row, "value", value);
  node = json_node_init_object (json_node_alloc (), row);
  tandem_query_insert (query, node);
  rows = run (query);
}

/* The start of the bucket 60 s before now: rows at base + n s land in
 * known buckets well inside the 10 minute window. */
static gint64
test_base (void)
{
  gint64 now = g_get_real_time ();

  return (now / BUCKET) * BUCKET - 60 * SEC;
}

/* A dashboard of one's own: w1 a line of counts of @x and sums of @y,
 * w2 a table of the latest 5 @x rows, w3 a broadcast value. */
static char *
create_test_dashboard (TandemClient *client,
                       const char   *x,
                       const char   *y)
{
  g_autofree char *text = g_strdup_printf (
    "{\"widgets\":["
    "{\"id\":\"w1\",\"kind\":\"line\",\"title\":\"Counts\",\"series\":["
    "{\"label\":\"x\",\"table\":\"analytics_events\",\"filter\":\"name=eq.%s\",\"aggregation\":\"count\"},"
    "{\"label\":\"y\",\"table\":\"analytics_events\",\"filter\":\"name=eq.%s\",\"aggregation\":\"sum\"}],"
    "\"bucket_seconds\":10,\"window_points\":60,\"x\":0,\"y\":0,\"width\":2,\"height\":1},"
    "{\"id\":\"w2\",\"kind\":\"table\",\"title\":\"Latest\",\"series\":["
    "{\"table\":\"analytics_events\",\"filter\":\"name=eq.%s\"}],"
    "\"bucket_seconds\":0,\"window_points\":5,\"x\":0,\"y\":1,\"width\":1,\"height\":1},"
    "{\"id\":\"w3\",\"kind\":\"value\",\"title\":\"Live value\",\"broadcast\":true,\"window_points\":1,"
    "\"x\":1,\"y\":1,\"width\":1,\"height\":1}]}", x, y, x);
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboardLayout) layout = tandem_dashboard_layout_new_from_string (text, &error);
  g_autoptr(TandemQuery) query = tandem_client_from (client, "dashboards");
  g_autoptr(JsonObject) row = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) rows = NULL;
  g_autofree char *name = g_strdup_printf ("Test %s", x);

  g_assert_no_error (error);
  json_object_set_string_member (row, "name", name);
  json_object_set_member (row, "layout", tandem_dashboard_layout_to_json (layout));
  node = json_node_init_object (json_node_alloc (), row);
  tandem_query_insert (query, node);
  tandem_query_select (query, "id");
  rows = run (query);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (rows));
  return g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (rows), 0), "id"));
}

typedef struct
{
  TandemClient        *client;
  GtkWindow           *window;
  TandemDashboardView *view;
  char                *id;
  char                *x;
  char                *y;
  gint64               base;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *uuid = g_uuid_string_random ();

  f->client = signed_in_client ();
  f->x = g_strdup_printf ("x_%.8s", uuid);
  f->y = g_strdup_printf ("y_%.8s", uuid);
  f->base = test_base ();
  f->id = create_test_dashboard (f->client, f->x, f->y);
}

static void
open_view (Fixture *f)
{
  f->view = g_object_ref_sink (tandem_dashboard_view_new (f->client, f->id));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 800);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboard_view_get_loaded (f->view), TIMEOUT_MS);
  g_assert_null (tandem_dashboard_view_get_error (f->view));
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_mapped (GTK_WIDGET (f->view)), TIMEOUT_MS);
  /* Shown and laid out (the stack fades the grid in). */
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_mapped (GTK_WIDGET (tandem_dashboard_view_get_nth_widget (f->view, 0))) &&
                             gtk_widget_get_width (tandem_dashboard_widget_get_chart (
                               tandem_dashboard_view_get_nth_widget (f->view, 0))) > 0, TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  if (f->view != NULL)
    g_assert_finalize_object (f->view);
  tandem_client_disconnect (f->client);
  g_clear_object (&f->client);
  g_free (f->id);
  g_free (f->x);
  g_free (f->y);
}

static TandemSeries *
widget_series (Fixture    *f,
               const char *widget_id,
               guint       index)
{
  TandemDashboardWidget *widget = tandem_dashboard_view_get_widget (f->view, widget_id);

  g_assert_nonnull (widget);
  return tandem_dashboard_widget_get_series (widget, index);
}

/* The series as "t:v,…" with t in seconds after @base. */
static char *
describe_series (TandemSeries *series,
                 gint64        base)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < tandem_series_get_n_points (series); i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT ":%g", i ? "," : "",
                            (tandem_series_get_time (series, i) - base) / SEC, tandem_series_get_value (series, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
series_is (TandemSeries *series,
           gint64        base,
           const char   *expected)
{
  g_autofree char *text = describe_series (series, base);

  return g_str_equal (text, expected);
}

/* ---- the page ---- */

static gboolean
demo_exists (void)
{
  PGresult *result = tandem_test_pg_query (pg, "SELECT count(*) FROM public.dashboards WHERE name = 'Demo'");
  gboolean exists = g_str_equal (PQgetvalue (result, 0, 0), "1");

  PQclear (result);
  return exists;
}

static void
test_page_demo (void)
{
  g_autoptr(TandemClient) client = signed_in_client ();
  GtkWidget *page = g_object_ref_sink (tandem_dashboards_page_new ());
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TandemDashboardView *view;
  TandemDashboardWidget *w1, *w3, *w4;
  GListModel *rows;
  double value;

  TANDEM_WAIT_UNTIL_TIMEOUT (demo_exists (), TIMEOUT_MS);
  gtk_window_set_default_size (window, 1000, 800);
  gtk_window_set_child (window, page);
  gtk_window_present (window);

  /* Signed out: nothing listed, nothing open. */
  g_assert_null (tandem_dashboards_page_get_view (TANDEM_DASHBOARDS_PAGE (page)));
  g_assert_cmpuint (g_list_model_get_n_items (tandem_dashboards_page_get_dashboards (TANDEM_DASHBOARDS_PAGE (page))), ==, 0);

  g_object_set (page, "client", client, NULL);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboards_page_get_view (TANDEM_DASHBOARDS_PAGE (page)) != NULL, TIMEOUT_MS);
  view = tandem_dashboards_page_get_view (TANDEM_DASHBOARDS_PAGE (page));
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboard_view_get_loaded (view), TIMEOUT_MS);
  g_assert_cmpstr (tandem_dashboard_view_get_name (view), ==, "Demo");
  g_assert_cmpuint (tandem_dashboard_view_get_n_widgets (view), ==, 4);

  w1 = tandem_dashboard_view_get_nth_widget (view, 0);
  g_assert_cmpstr (tandem_dashboard_widget_get_widget_id (w1), ==, "w1");
  g_assert_true (TANDEM_IS_LINE_CHART (tandem_dashboard_widget_get_chart (w1)));
  g_assert_cmpuint (tandem_dashboard_widget_get_n_series (w1), ==, 2);
  g_assert_true (TANDEM_IS_BAR_CHART (tandem_dashboard_widget_get_chart (tandem_dashboard_view_get_widget (view, "w2"))));

  /* The demo broadcasts the active users (20 to 400) every second. */
  w3 = tandem_dashboard_view_get_widget (view, "w3");
  g_assert_true (TANDEM_IS_VALUE_CHART (tandem_dashboard_widget_get_chart (w3)));
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_value_chart_get_value (TANDEM_VALUE_CHART (tandem_dashboard_widget_get_chart (w3)),
                                                           &value, NULL), TIMEOUT_MS);
  g_assert_cmpfloat (value, >=, 20);
  g_assert_cmpfloat (value, <=, 400);

  /* It writes events steadily: the table fills up to its 20 rows and the
   * page views are counted. */
  w4 = tandem_dashboard_view_get_widget (view, "w4");
  rows = tandem_dashboard_widget_get_rows (w4);
  g_assert_nonnull (rows);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_list_model_get_n_items (rows) > 0, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (rows), <=, 20);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_series_get_n_points (tandem_dashboard_widget_get_series (w1, 0)) > 0, TIMEOUT_MS);

  /* The list has it, and "back" shows the list. */
  g_assert_cmpuint (g_list_model_get_n_items (tandem_dashboards_page_get_dashboards (TANDEM_DASHBOARDS_PAGE (page))), >=, 1);
  gtk_widget_activate_action (page, "dashboards.back", NULL);
  g_assert_null (tandem_dashboards_page_get_view (TANDEM_DASHBOARDS_PAGE (page)));

  /* Signing out clears it all. */
  g_object_set (page, "client", NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (tandem_dashboards_page_get_dashboards (TANDEM_DASHBOARDS_PAGE (page))), ==, 0);

  gtk_window_destroy (window);
  g_assert_finalize_object (page);
  tandem_client_disconnect (client);
}

/* The message dialog the page shows (New, Rename, Delete). */
static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
answer_dialog (const char *text,
               const char *response)
{
  AdwMessageDialog *dialog = NULL;

  TANDEM_WAIT_UNTIL_TIMEOUT ((dialog = find_dialog ()) != NULL, TIMEOUT_MS);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), text);
  /* What a click on the button does: the response, then closing. */
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static TandemDashboard *
listed (TandemDashboardsPage *page,
        const char           *id)
{
  GListModel *list = tandem_dashboards_page_get_dashboards (page);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(TandemDashboard) dashboard = g_list_model_get_item (list, i);

      if (g_str_equal (tandem_dashboard_get_id (dashboard), id))
        return dashboard;
    }
  return NULL;
}

static void
test_page_actions (void)
{
  g_autoptr(TandemClient) client = signed_in_client ();
  g_autoptr(TandemClient) other = signed_in_client ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("Board %.8s", uuid);
  g_autofree char *renamed = g_strdup_printf ("Renamed %.8s", uuid);
  g_autofree char *id = NULL;
  g_autofree char *elsewhere = NULL;
  GtkWidget *page = g_object_ref_sink (tandem_dashboards_page_new ());
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (page);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TandemDashboardView *view;

  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_child (window, page);
  gtk_window_present (window);
  tandem_dashboards_page_set_client (self, client);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboards_page_get_view (self) != NULL, TIMEOUT_MS);
  gtk_widget_activate_action (page, "dashboards.back", NULL);

  /* New: made, listed and opened; empty. */
  gtk_widget_activate_action (page, "dashboards.new", NULL);
  answer_dialog (name, "create");
  TANDEM_WAIT_UNTIL_TIMEOUT ((view = tandem_dashboards_page_get_view (self)) != NULL &&
                             tandem_dashboard_view_get_loaded (view) &&
                             g_strcmp0 (tandem_dashboard_view_get_name (view), name) == 0, TIMEOUT_MS);
  g_assert_cmpuint (tandem_dashboard_view_get_n_widgets (view), ==, 0);
  id = g_strdup (tandem_dashboard_view_get_dashboard_id (view));
  g_assert_nonnull (listed (self, id));

  /* Add Widget opens the editor on the open dashboard. */
  gtk_widget_activate_action (page, "dashboards.add-widget", NULL);
  g_assert_nonnull (tandem_dashboard_view_get_editor (view));
  gtk_window_destroy (GTK_WINDOW (tandem_dashboard_view_get_editor (view)));
  g_assert_null (tandem_dashboard_view_get_editor (view));

  /* Rename: the list and the open view follow. */
  gtk_widget_activate_action (page, "dashboards.rename", "s", id);
  answer_dialog (renamed, "rename");
  TANDEM_WAIT_UNTIL_TIMEOUT (listed (self, id) != NULL &&
                             g_str_equal (tandem_dashboard_get_name (listed (self, id)), renamed) &&
                             g_strcmp0 (tandem_dashboard_view_get_name (view), renamed) == 0, TIMEOUT_MS);

  /* Someone else's new dashboard comes live. */
  elsewhere = create_test_dashboard (other, uuid, uuid);
  TANDEM_WAIT_UNTIL_TIMEOUT (listed (self, elsewhere) != NULL, TIMEOUT_MS);

  /* Delete (ours): gone from the list; the open view says so. */
  gtk_widget_activate_action (page, "dashboards.delete", "s", id);
  answer_dialog (NULL, "delete");
  TANDEM_WAIT_UNTIL_TIMEOUT (listed (self, id) == NULL && tandem_dashboard_view_get_error (view) != NULL, TIMEOUT_MS);

  /* Another client: the list starts over. */
  tandem_dashboards_page_set_client (self, other);
  g_assert_null (tandem_dashboards_page_get_view (self));
  TANDEM_WAIT_UNTIL_TIMEOUT (listed (self, elsewhere) != NULL, TIMEOUT_MS);

  gtk_window_destroy (window);
  g_assert_finalize_object (page);
  tandem_client_disconnect (client);
  tandem_client_disconnect (other);
}

/* ---- rows, live and not ---- */

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  TandemSeries *x, *y;
  GListModel *rows;
  g_autoptr(TandemTableRow) first = NULL;
  g_autoptr(TandemTableRow) fourth = NULL;
  g_autoptr(TandemTableRow) fifth = NULL;

  /* Before the view: fetched through REST. */
  insert_event (f->client, f->x, f->base + 1 * SEC, 1);
  insert_event (f->client, f->x, f->base + 2 * SEC, 1);
  insert_event (f->client, f->x, f->base + 11 * SEC, 1);
  open_view (f);

  x = widget_series (f, "w1", 0);
  y = widget_series (f, "w1", 1);
  g_assert_true (series_is (x, f->base, "0:2,10:1"));
  g_assert_cmpuint (tandem_series_get_n_points (y), ==, 0);

  /* After: live, late ones in their bucket. */
  insert_event (f->client, f->x, f->base + 21 * SEC, 1);
  insert_event (f->client, f->x, f->base + 22 * SEC, 1);
  insert_event (f->client, f->x, f->base + 23 * SEC, 1);
  insert_event (f->client, f->x, f->base + 3 * SEC, 1);
  insert_event (f->client, f->y, f->base + 4 * SEC, 2.5);
  insert_event (f->client, f->y, f->base + 5 * SEC, 4);
  TANDEM_WAIT_UNTIL_TIMEOUT (series_is (x, f->base, "0:3,10:1,20:3") && series_is (y, f->base, "0:6.5"), TIMEOUT_MS);

  /* The table: the newest 5 of the 7 rows, newest first. */
  rows = tandem_dashboard_widget_get_rows (tandem_dashboard_view_get_widget (f->view, "w2"));
  g_assert_true (TANDEM_IS_LIVE_TABLE (tandem_dashboard_widget_get_chart (tandem_dashboard_view_get_widget (f->view, "w2"))));
  g_assert_true (tandem_live_table_get_model (TANDEM_LIVE_TABLE (tandem_dashboard_widget_get_chart (
                   tandem_dashboard_view_get_widget (f->view, "w2")))) == rows);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_list_model_get_n_items (rows) == 5, TIMEOUT_MS);
  first = g_list_model_get_item (rows, 0);
  fourth = g_list_model_get_item (rows, 3);
  fifth = g_list_model_get_item (rows, 4);
  g_assert_cmpint (tandem_table_row_get_time (first), ==, f->base + 23 * SEC);
  g_assert_cmpint (tandem_table_row_get_time (fourth), ==, f->base + 11 * SEC);
  g_assert_cmpint (tandem_table_row_get_time (fifth), ==, f->base + 3 * SEC);
  g_assert_cmpstr (tandem_table_row_get_value (first, "name"), ==, f->x);
  g_assert_cmpstr (tandem_table_row_get_value (first, "value"), ==, "1");
  for (guint i = 1; i < 5; i++)
    {
      g_autoptr(TandemTableRow) newer = g_list_model_get_item (rows, i - 1);
      g_autoptr(TandemTableRow) older = g_list_model_get_item (rows, i);

      g_assert_cmpint (tandem_table_row_get_time (newer), >=, tandem_table_row_get_time (older));
    }

  /* Nothing counted twice, whatever came both ways. */
  g_assert_cmpuint (tandem_series_binding_get_n_rows (tandem_dashboard_widget_get_binding (
                      tandem_dashboard_view_get_widget (f->view, "w1"), 0)), ==, 7);
}

/* ---- broadcasts ---- */

static void
send_metric (TandemChannel *channel,
             const char    *json)
{
  g_autoptr(JsonNode) payload = json_from_string (json, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_channel_send_broadcast_async (channel, "metric_update", payload, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  g_assert_true (tandem_channel_send_broadcast_finish (channel, result, &error));
  g_assert_no_error (error);
}

static void
test_broadcast (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TandemClient) sender = signed_in_client ();
  g_autofree char *name = g_strconcat ("dashboard:", f->id, NULL);
  g_autoptr(TandemChannelOptions) acked = tandem_channel_options_new ();
  g_autoptr(TandemChannel) channel = NULL;
  g_autofree char *good = NULL;
  g_autofree char *base_time = NULL;
  TandemDashboardWidget *w3;
  TandemValueChart *chart;
  double value = 0;

  open_view (f);
  w3 = tandem_dashboard_view_get_widget (f->view, "w3");
  chart = TANDEM_VALUE_CHART (tandem_dashboard_widget_get_chart (w3));
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_client_get_channel_status (f->client, name) == TANDEM_STATUS_CONNECTED, TIMEOUT_MS);

  /* Acknowledged: the server has fanned each one out before the next. */
  tandem_channel_options_set_broadcast_ack (acked, TRUE);
  channel = tandem_client_channel (sender, name, acked);
  tandem_channel_subscribe (channel);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED, TIMEOUT_MS);

  /* Ill-formed, or for another widget: ignored. */
  send_metric (channel, "{\"widget_id\":\"w3\",\"value\":\"7\",\"timestamp\":\"2026-03-03T10:00:00Z\"}");
  send_metric (channel, "{\"widget_id\":\"w3\",\"value\":7}");
  send_metric (channel, "[1,2]");
  send_metric (channel, "{\"widget_id\":\"w1\",\"value\":8,\"timestamp\":\"2026-03-03T10:00:00Z\"}");
  base_time = tandem_dashboard_format_time (f->base);
  good = g_strdup_printf ("{\"widget_id\":\"w3\",\"value\":12345,\"timestamp\":\"%s\"}", base_time);
  send_metric (channel, good);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_value_chart_get_value (chart, &value, NULL), TIMEOUT_MS);
  g_assert_cmpfloat (value, ==, 12345);
  g_assert_cmpuint (tandem_series_get_n_points (tandem_dashboard_widget_get_series (w3, 0)), ==, 1);
  g_assert_cmpint (tandem_series_get_time (tandem_dashboard_widget_get_series (w3, 0), 0), ==, f->base);
  g_assert_cmpuint (tandem_series_get_n_points (widget_series (f, "w1", 0)), ==, 0);

  tandem_client_disconnect (sender);
}

/* ---- layout edits by someone else ---- */

static void
patch_layout (TandemClient          *client,
              const char            *id,
              TandemDashboardLayout *layout)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_dashboard_save_layout_async (client, id, layout, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  g_assert_true (tandem_dashboard_save_layout_finish (result, &error));
  g_assert_no_error (error);
}

static const char *
widget_title (Fixture    *f,
              const char *id)
{
  TandemDashboardWidget *widget = tandem_dashboard_view_get_widget (f->view, id);

  return widget ? tandem_widget_spec_get_title (tandem_dashboard_widget_get_spec (widget)) : NULL;
}

static void
test_layout_patch (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TandemClient) other = signed_in_client ();
  g_autoptr(TandemDashboardLayout) layout = NULL;
  g_autoptr(TandemWidgetSpec) w1 = NULL;
  g_autoptr(TandemWidgetSpec) w2 = NULL;
  TandemSeriesBinding *w1_binding, *w2_binding;

  open_view (f);
  w1_binding = tandem_dashboard_widget_get_binding (tandem_dashboard_view_get_widget (f->view, "w1"), 0);
  w2_binding = tandem_dashboard_widget_get_binding (tandem_dashboard_view_get_widget (f->view, "w2"), 0);
  g_object_add_weak_pointer (G_OBJECT (w2_binding), (gpointer *) &w2_binding);

  /* A new title: shown live, the data kept as it is. */
  layout = tandem_dashboard_layout_copy (tandem_dashboard_view_get_layout (f->view));
  w1 = tandem_widget_spec_copy (tandem_dashboard_layout_lookup_widget (layout, "w1"));
  tandem_widget_spec_set_title (w1, "Retitled by someone else");
  tandem_dashboard_layout_put_widget (layout, w1);
  patch_layout (other, f->id, layout);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (widget_title (f, "w1"), "Retitled by someone else") == 0, TIMEOUT_MS);
  g_assert_true (tandem_dashboard_widget_get_binding (tandem_dashboard_view_get_widget (f->view, "w1"), 0) == w1_binding);
  g_assert_cmpstr (tandem_chart_get_title (TANDEM_CHART (tandem_dashboard_widget_get_chart (
                     tandem_dashboard_view_get_widget (f->view, "w1")))), ==, "Retitled by someone else");

  /* A new window for w2: only w2 rebinds. */
  w2 = tandem_widget_spec_copy (tandem_dashboard_layout_lookup_widget (layout, "w2"));
  tandem_widget_spec_set_window_points (w2, 3);
  tandem_dashboard_layout_put_widget (layout, w2);
  patch_layout (other, f->id, layout);
  TANDEM_WAIT_UNTIL_TIMEOUT (w2_binding == NULL, TIMEOUT_MS);
  g_assert_cmpuint (tandem_widget_spec_get_window_points (tandem_dashboard_widget_get_spec (
                      tandem_dashboard_view_get_widget (f->view, "w2"))), ==, 3);
  g_assert_true (tandem_dashboard_widget_get_binding (tandem_dashboard_view_get_widget (f->view, "w1"), 0) == w1_binding);

  /* A widget removed by someone else goes. */
  g_assert_true (tandem_dashboard_layout_remove_widget (layout, "w3"));
  patch_layout (other, f->id, layout);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboard_view_get_n_widgets (f->view) == 2, TIMEOUT_MS);
  g_assert_null (tandem_dashboard_view_get_widget (f->view, "w3"));

  tandem_client_disconnect (other);
}

/* ---- the gap after a reconnect ---- */

static char *
sql_insert (const char *name,
            gint64      time_usec)
{
  g_autofree char *time = tandem_dashboard_format_time (time_usec);

  return g_strdup_printf ("INSERT INTO public.analytics_events (name, created_at) VALUES ('%s', '%s');", name, time);
}

static void
test_reconnect_gap (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *name = g_strconcat ("dashboard:", f->id, NULL);
  TandemSeries *x;
  TandemSeriesBinding *binding;
  guint fetches;

  insert_event (f->client, f->x, f->base + 1 * SEC, 1);
  insert_event (f->client, f->x, f->base + 21 * SEC, 1);
  open_view (f);
  x = widget_series (f, "w1", 0);
  binding = tandem_dashboard_widget_get_binding (tandem_dashboard_view_get_widget (f->view, "w1"), 0);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_client_get_channel_status (f->client, name) == TANDEM_STATUS_CONNECTED, TIMEOUT_MS);
  insert_event (f->client, f->x, f->base + 22 * SEC, 1);
  TANDEM_WAIT_UNTIL_TIMEOUT (series_is (x, f->base, "0:1,10:0,20:2"), TIMEOUT_MS);
  fetches = tandem_series_binding_get_n_fetches (binding);

  /* Down: the rows written meanwhile reach nobody live. */
  tandem_test_server_stop (server);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_client_get_status (f->client) != TANDEM_STATUS_CONNECTED, TIMEOUT_MS);
  {
    g_autofree char *a = sql_insert (f->x, f->base + 23 * SEC);
    g_autofree char *b = sql_insert (f->x, f->base + 31 * SEC);
    g_autofree char *c = sql_insert (f->x, f->base + 32 * SEC);
    g_autofree char *d = sql_insert (f->x, f->base + 41 * SEC);

    tandem_test_pg_exec (pg, a);
    tandem_test_pg_exec (pg, b);
    tandem_test_pg_exec (pg, c);
    tandem_test_pg_exec (pg, d);
  }
  tandem_test_run_for (200);
  g_assert_true (series_is (x, f->base, "0:1,10:0,20:2"));

  /* Back: the gap is fetched, each row counted once. */
  tandem_test_server_restart (server);
  TANDEM_WAIT_UNTIL_TIMEOUT (series_is (x, f->base, "0:1,10:0,20:3,30:2,40:1"), RESTART_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_series_binding_get_n_fetches (binding) > fetches, TIMEOUT_MS);
  tandem_test_run_for (500);
  g_assert_true (series_is (x, f->base, "0:1,10:0,20:3,30:2,40:1"));
  g_assert_cmpuint (tandem_series_binding_get_n_rows (binding), ==, 7);

  /* Live again. */
  insert_event (f->client, f->x, f->base + 42 * SEC, 1);
  TANDEM_WAIT_UNTIL_TIMEOUT (series_is (x, f->base, "0:1,10:0,20:3,30:2,40:2"), TIMEOUT_MS);
}

/* ---- exports ---- */

static void
export_to (TandemDashboardWidget *widget,
           TandemExportFormat     format,
           GFile                 *file)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_dashboard_widget_export_async (widget, format, file, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  g_assert_true (tandem_dashboard_widget_export_finish (widget, result, &error));
  g_assert_no_error (error);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *dir = tandem_test_make_tmpdir ("dash-export");
  g_autofree char *png_path = g_build_filename (dir, "chart.png", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "rows.csv", NULL);
  g_autofree char *line_csv_path = g_build_filename (dir, "line.csv", NULL);
  g_autoptr(GFile) png = g_file_new_for_path (png_path);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFile) line_csv = g_file_new_for_path (line_csv_path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *expected_time = NULL;
  TandemDashboardWidget *w1;
  gsize length;

  insert_event (f->client, f->x, f->base + 1 * SEC, 1);
  insert_event (f->client, f->x, f->base + 2 * SEC, 1);
  insert_event (f->client, f->x, f->base + 12 * SEC, 1);
  insert_event (f->client, f->y, f->base + 3 * SEC, 1.5);
  open_view (f);
  w1 = tandem_dashboard_view_get_widget (f->view, "w1");

  /* A PNG of the chart as shown. */
  export_to (w1, TANDEM_EXPORT_PNG, png);
  g_assert_true (g_file_get_contents (png_path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&contents, g_free);
  texture = gdk_texture_new_from_filename (png_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (tandem_dashboard_widget_get_chart (w1)));
  g_assert_cmpint (gdk_texture_get_height (texture), ==, gtk_widget_get_height (tandem_dashboard_widget_get_chart (w1)));

  /* The line's CSV: a row per bucket, a column per series. */
  export_to (w1, TANDEM_EXPORT_CSV, line_csv);
  g_assert_true (g_file_get_contents (line_csv_path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "time,x,y");
  expected_time = tandem_dashboard_format_time (f->base);
  g_assert_true (g_str_has_prefix (lines[1], expected_time));
  g_assert_true (g_str_has_suffix (lines[1], ",2,1.5"));
  g_assert_true (g_str_has_suffix (lines[2], ",1,"));
  g_assert_cmpstr (lines[3], ==, "");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&lines, g_strfreev);

  /* The table's CSV: its columns and its rows, newest first. */
  export_to (tandem_dashboard_view_get_widget (f->view, "w2"), TANDEM_EXPORT_CSV, csv);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[0], ==, "id,created_at,name,properties,value");
  for (guint i = 1; i <= 3; i++)
    g_assert_nonnull (strstr (lines[i], f->x));
  g_assert_null (strstr (contents, f->y));
  g_assert_cmpstr (lines[4], ==, "");

  tandem_test_rm_rf (dir);
}

/* ---- the editor ---- */

static void
save_editor (TandemWidgetEditor  *editor,
             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_widget_editor_save_async (editor, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  tandem_widget_editor_save_finish (editor, result, error);
}

static void
test_editor (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TandemWidgetEditor *editor;
  GtkWidget *filter;
  GtkWidget *table;

  open_view (f);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "view.edit-widget", "s", "w1");
  editor = tandem_dashboard_view_get_editor (f->view);
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_cmpstr (tandem_widget_editor_get_widget_id (editor), ==, "w1");
  g_assert_cmpuint (tandem_widget_editor_get_n_series (editor), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tandem_widget_editor_get_field (editor, "title"))), ==, "Counts");

  /* A bad filter and a bad table name: refused, each at its field. */
  filter = tandem_widget_editor_get_field (editor, "series-1-filter");
  table = tandem_widget_editor_get_field (editor, "series-0-table");
  gtk_editable_set_text (GTK_EDITABLE (filter), "name=zz.1");
  gtk_editable_set_text (GTK_EDITABLE (table), "analytics events");
  save_editor (editor, &error);
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (tandem_widget_editor_get_field_error (editor, "series-1-filter"));
  g_assert_nonnull (strstr (tandem_widget_editor_get_field_error (editor, "series-1-filter"), "name=zz.1"));
  g_assert_true (gtk_widget_has_css_class (filter, "error"));
  g_assert_nonnull (tandem_widget_editor_get_field_error (editor, "series-0-table"));
  g_assert_null (tandem_widget_editor_get_field_error (editor, "series-0-filter"));
  g_assert_null (tandem_widget_editor_get_field_error (editor, "title"));
  g_assert_nonnull (editor);

  /* Typing clears the mark until the next check. */
  gtk_editable_set_text (GTK_EDITABLE (table), "analytics_events");
  g_assert_null (tandem_widget_editor_get_field_error (editor, "series-0-table"));
  g_assert_false (gtk_widget_has_css_class (table, "error"));

  /* Moved onto another widget's place: refused at the column field. */
  gtk_editable_set_text (GTK_EDITABLE (filter), "name=in.(a,b)");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tandem_widget_editor_get_field (editor, "y")), 1);
  save_editor (editor, &error);
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (tandem_widget_editor_get_field_error (editor, "x"));
  g_assert_nonnull (strstr (tandem_widget_editor_get_field_error (editor, "x"), "taken"));
  /* To a free place below, one column wide and two rows high. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tandem_widget_editor_get_field (editor, "y")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tandem_widget_editor_get_field (editor, "width")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tandem_widget_editor_get_field (editor, "height")), 2);

  /* Good: saved, the window closes, the view follows the row. */
  gtk_editable_set_text (GTK_EDITABLE (tandem_widget_editor_get_field (editor, "title")), "Edited");
  save_editor (editor, &error);
  g_assert_no_error (error);
  TANDEM_WAIT_UNTIL_TIMEOUT (editor == NULL, TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (widget_title (f, "w1"), "Edited") == 0, TIMEOUT_MS);
  g_assert_cmpstr (tandem_series_spec_get_filter (tandem_widget_spec_get_series (
                     tandem_dashboard_widget_get_spec (tandem_dashboard_view_get_widget (f->view, "w1")), 1)),
                   ==, "name=in.(a,b)");
  {
    guint x, y, width, height;

    tandem_widget_spec_get_position (tandem_dashboard_widget_get_spec (tandem_dashboard_view_get_widget (f->view, "w1")),
                                     &x, &y, &width, &height);
    g_assert_cmpuint (x, ==, 0);
    g_assert_cmpuint (y, ==, 2);
    g_assert_cmpuint (width, ==, 1);
    g_assert_cmpuint (height, ==, 2);
  }

  /* A new widget goes below. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "view.add-widget", NULL);
  editor = tandem_dashboard_view_get_editor (f->view);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_cmpstr (tandem_widget_editor_get_widget_id (editor), ==, "w4");
  save_editor (editor, &error);
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (tandem_widget_editor_get_field_error (editor, "title"));
  gtk_editable_set_text (GTK_EDITABLE (tandem_widget_editor_get_field (editor, "title")), "New one");
  save_editor (editor, &error);
  g_assert_no_error (error);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboard_view_get_n_widgets (f->view) == 4, TIMEOUT_MS);
  g_assert_cmpstr (widget_title (f, "w4"), ==, "New one");
}

/* ---- narrow windows ---- */

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  open_view (f);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboard_view_get_columns (f->view) == 2, TIMEOUT_MS);

  gtk_window_set_default_size (f->window, 360, 640);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_dashboard_view_get_columns (f->view) == 1 &&
                             gtk_widget_get_width (GTK_WIDGET (f->view)) <= 360, TIMEOUT_MS);
  /* Every widget fits the width, one under the other. */
  for (guint i = 0; i < tandem_dashboard_view_get_n_widgets (f->view); i++)
    {
      GtkWidget *widget = GTK_WIDGET (tandem_dashboard_view_get_nth_widget (f->view, i));

      g_assert_cmpint (gtk_widget_get_width (widget), <=, 360);
      g_assert_cmpint (gtk_widget_get_width (widget), >, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--demo", "--join-error-delay-ms", "0", "--connect-error-delay-ms", "0",
                                "--auth-rate-limit", "1000", NULL };
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, args);

  g_test_add_func ("/dashboards/ui/page-demo", test_page_demo);
  g_test_add_func ("/dashboards/ui/page-actions", test_page_actions);
  g_test_add ("/dashboards/ui/rows", Fixture, NULL, fixture_setup, test_rows, fixture_teardown);
  g_test_add ("/dashboards/ui/broadcast", Fixture, NULL, fixture_setup, test_broadcast, fixture_teardown);
  g_test_add ("/dashboards/ui/layout-patch", Fixture, NULL, fixture_setup, test_layout_patch, fixture_teardown);
  g_test_add ("/dashboards/ui/reconnect-gap", Fixture, NULL, fixture_setup, test_reconnect_gap, fixture_teardown);
  g_test_add ("/dashboards/ui/export", Fixture, NULL, fixture_setup, test_export, fixture_teardown);
  g_test_add ("/dashboards/ui/editor", Fixture, NULL, fixture_setup, test_editor, fixture_teardown);
  g_test_add ("/dashboards/ui/narrow", Fixture, NULL, fixture_setup, test_narrow, fixture_teardown);

  status = g_test_run ();

  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
