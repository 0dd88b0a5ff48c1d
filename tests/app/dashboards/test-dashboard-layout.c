/* test-dashboard-layout.c: the layout JSON read and written (round trip,
 * defaults, unknown members and kinds kept), malformed layouts refused
 * with the right error, never a crash; filters turned into REST and
 * Realtime form; times and metric_update payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem.h"
#include "tandem-dashboard.h"
#include "tandem-dashboard-filter.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-util.h"

/* What tandem-server --demo creates (src/server/tandem-server-demo.c). */
static const char demo_layout[] =
  "{\"widgets\":["
  "{\"id\":\"w1\",\"kind\":\"line\",\"title\":\"Page views and sign-ups\",\"series\":["
  "{\"label\":\"page views\",\"table\":\"analytics_events\",\"filter\":\"name=eq.page_view\","
  "\"time_column\":\"created_at\",\"value_column\":\"value\",\"aggregation\":\"count\"},"
  "{\"label\":\"sign-ups\",\"table\":\"analytics_events\",\"filter\":\"name=eq.signup\","
  "\"time_column\":\"created_at\",\"value_column\":\"value\",\"aggregation\":\"count\"}],"
  "\"bucket_seconds\":10,\"window_points\":60,\"window_seconds\":0,\"broadcast\":false,"
  "\"x\":0,\"y\":0,\"width\":2,\"height\":1},"
  "{\"id\":\"w2\",\"kind\":\"bar\",\"title\":\"Purchases per minute\",\"series\":["
  "{\"label\":\"revenue (EUR)\",\"table\":\"analytics_events\",\"filter\":\"name=eq.purchase\","
  "\"time_column\":\"created_at\",\"value_column\":\"value\",\"aggregation\":\"sum\"}],"
  "\"bucket_seconds\":60,\"window_points\":30,\"window_seconds\":0,\"broadcast\":false,"
  "\"x\":0,\"y\":1,\"width\":1,\"height\":1},"
  "{\"id\":\"w3\",\"kind\":\"value\",\"title\":\"Active users\",\"series\":[],"
  "\"bucket_seconds\":0,\"window_points\":1,\"window_seconds\":0,\"broadcast\":true,"
  "\"x\":1,\"y\":1,\"width\":1,\"height\":1},"
  "{\"id\":\"w4\",\"kind\":\"table\",\"title\":\"Latest events\",\"series\":["
  "{\"label\":\"events\",\"table\":\"analytics_events\",\"filter\":\"\","
  "\"time_column\":\"created_at\",\"value_column\":\"value\",\"aggregation\":\"none\"}],"
  "\"bucket_seconds\":0,\"window_points\":20,\"window_seconds\":0,\"broadcast\":false,"
  "\"x\":0,\"y\":2,\"width\":2,\"height\":1}]}";

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboardLayout) layout = tandem_dashboard_layout_new_from_string (demo_layout, &error);
  g_autoptr(TandemDashboardLayout) again = NULL;
  g_autoptr(JsonNode) expected = json_from_string (demo_layout, NULL);
  g_autoptr(JsonNode) written = NULL;
  g_autofree char *text = NULL;
  TandemWidgetSpec *w1, *w3;
  guint x, y, width, height;

  g_assert_no_error (error);
  g_assert_cmpuint (tandem_dashboard_layout_get_n_widgets (layout), ==, 4);
  w1 = tandem_dashboard_layout_get_widget (layout, 0);
  g_assert_cmpstr (tandem_widget_spec_get_id (w1), ==, "w1");
  g_assert_cmpint (tandem_widget_spec_get_kind (w1), ==, TANDEM_WIDGET_LINE);
  g_assert_cmpstr (tandem_widget_spec_get_title (w1), ==, "Page views and sign-ups");
  g_assert_cmpuint (tandem_widget_spec_get_n_series (w1), ==, 2);
  g_assert_cmpstr (tandem_series_spec_get_filter (tandem_widget_spec_get_series (w1, 1)), ==, "name=eq.signup");
  g_assert_cmpint (tandem_series_spec_get_aggregation (tandem_widget_spec_get_series (w1, 0)), ==,
                   TANDEM_AGGREGATION_COUNT);
  g_assert_cmpuint (tandem_widget_spec_get_bucket_seconds (w1), ==, 10);
  g_assert_cmpuint (tandem_widget_spec_get_window_points (w1), ==, 60);
  tandem_widget_spec_get_position (w1, &x, &y, &width, &height);
  g_assert_cmpuint (x, ==, 0);
  g_assert_cmpuint (width, ==, 2);
  w3 = tandem_dashboard_layout_lookup_widget (layout, "w3");
  g_assert_nonnull (w3);
  g_assert_true (tandem_widget_spec_get_broadcast (w3));
  g_assert_cmpint (tandem_widget_spec_get_kind (w3), ==, TANDEM_WIDGET_VALUE);
  g_assert_null (tandem_dashboard_layout_lookup_widget (layout, "w9"));

  /* Written back, it is the same JSON value. */
  written = tandem_dashboard_layout_to_json (layout);
  g_assert_true (json_node_equal (written, expected));
  text = tandem_dashboard_layout_to_string (layout);
  again = tandem_dashboard_layout_new_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (tandem_dashboard_layout_equal (layout, again));
}

static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboardLayout) empty = tandem_dashboard_layout_new_from_string ("{}", &error);
  g_autoptr(TandemDashboardLayout) layout = NULL;
  TandemWidgetSpec *w;
  TandemSeriesSpec *s;
  guint x, y, width, height;

  g_assert_no_error (error);
  g_assert_cmpuint (tandem_dashboard_layout_get_n_widgets (empty), ==, 0);

  layout = tandem_dashboard_layout_new_from_string (
    "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{\"table\":\"t\"}]},"
    "{\"id\":\"b\",\"kind\":\"bar\",\"window_seconds\":600}]}", &error);
  g_assert_no_error (error);
  w = tandem_dashboard_layout_get_widget (layout, 0);
  g_assert_cmpstr (tandem_widget_spec_get_title (w), ==, "");
  g_assert_cmpuint (tandem_widget_spec_get_bucket_seconds (w), ==, TANDEM_WIDGET_DEFAULT_BUCKET_SECONDS);
  g_assert_cmpuint (tandem_widget_spec_get_window_points (w), ==, 50);
  g_assert_cmpuint (tandem_widget_spec_get_window_seconds (w), ==, 0);
  g_assert_false (tandem_widget_spec_get_broadcast (w));
  tandem_widget_spec_get_position (w, &x, &y, &width, &height);
  g_assert_cmpuint (x + y, ==, 0);
  g_assert_cmpuint (width, ==, 1);
  g_assert_cmpuint (height, ==, 1);
  s = tandem_widget_spec_get_series (w, 0);
  g_assert_cmpstr (tandem_series_spec_get_label (s), ==, "");
  g_assert_cmpstr (tandem_series_spec_get_filter (s), ==, "");
  g_assert_cmpstr (tandem_series_spec_get_time_column (s), ==, "created_at");
  g_assert_cmpstr (tandem_series_spec_get_value_column (s), ==, "value");
  g_assert_cmpint (tandem_series_spec_get_aggregation (s), ==, TANDEM_AGGREGATION_NONE);
  /* A window in seconds alone has no point limit. */
  w = tandem_dashboard_layout_get_widget (layout, 1);
  g_assert_cmpuint (tandem_widget_spec_get_window_points (w), ==, 0);
  g_assert_cmpuint (tandem_widget_spec_get_window_seconds (w), ==, 600);
  /* Whole doubles are whole numbers. */
  {
    g_autoptr(TandemDashboardLayout) doubles = tandem_dashboard_layout_new_from_string (
      "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"window_points\":20.0}]}", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (tandem_widget_spec_get_window_points (tandem_dashboard_layout_get_widget (doubles, 0)), ==, 20);
  }
}

static void
test_unknown_kept (void)
{
  static const char text[] =
    "{\"widgets\":[{\"id\":\"m\",\"kind\":\"map\",\"title\":\"Where\",\"region\":{\"lat\":1},"
    "\"x\":\"left\"},{\"id\":\"a\",\"kind\":\"line\",\"colour\":\"red\",\"series\":["
    "{\"table\":\"t\",\"smooth\":true}]}],\"theme\":\"dark\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboardLayout) layout = tandem_dashboard_layout_new_from_string (text, &error);
  g_autoptr(JsonNode) written = NULL;
  JsonObject *root, *map, *line, *series;
  TandemWidgetSpec *m;
  guint x;

  g_assert_no_error (error);
  m = tandem_dashboard_layout_get_widget (layout, 0);
  g_assert_cmpint (tandem_widget_spec_get_kind (m), ==, TANDEM_WIDGET_UNSUPPORTED);
  g_assert_cmpstr (tandem_widget_spec_get_kind_name (m), ==, "map");
  g_assert_cmpstr (tandem_widget_spec_get_title (m), ==, "Where");
  /* A bad place of an unknown kind is shown at the default place… */
  tandem_widget_spec_get_position (m, &x, NULL, NULL, NULL);
  g_assert_cmpuint (x, ==, 0);

  /* …and everything is written back as it came. */
  written = tandem_dashboard_layout_to_json (layout);
  root = json_node_get_object (written);
  g_assert_cmpstr (json_object_get_string_member (root, "theme"), ==, "dark");
  map = json_array_get_object_element (json_object_get_array_member (root, "widgets"), 0);
  g_assert_cmpstr (json_object_get_string_member (map, "x"), ==, "left");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (map, "region"), "lat"), ==, 1);
  g_assert_false (json_object_has_member (map, "series"));
  line = json_array_get_object_element (json_object_get_array_member (root, "widgets"), 1);
  g_assert_cmpstr (json_object_get_string_member (line, "colour"), ==, "red");
  series = json_array_get_object_element (json_object_get_array_member (line, "series"), 0);
  g_assert_true (json_object_get_boolean_member (series, "smooth"));
}

typedef struct
{
  const char *json;
  int         code;
  const char *needle;   /* in the message */
} Bad;

static void
test_malformed (void)
{
  static const Bad cases[] = {
    { "", TANDEM_DASHBOARD_ERROR_INVALID, "object" },
    { "{\"widgets\":[", TANDEM_DASHBOARD_ERROR_PARSE, "JSON" },
    { "[]", TANDEM_DASHBOARD_ERROR_INVALID, "object" },
    { "null", TANDEM_DASHBOARD_ERROR_INVALID, "object" },
    { "\"{}\"", TANDEM_DASHBOARD_ERROR_INVALID, "object" },
    { "{\"widgets\":{}}", TANDEM_DASHBOARD_ERROR_INVALID, "widgets" },
    { "{\"widgets\":null}", TANDEM_DASHBOARD_ERROR_INVALID, "widgets" },
    { "{\"widgets\":[1]}", TANDEM_DASHBOARD_ERROR_INVALID, "widgets[0]" },
    { "{\"widgets\":[{\"kind\":\"line\"}]}", TANDEM_DASHBOARD_ERROR_MISSING, "widgets[0].id" },
    { "{\"widgets\":[{\"id\":\"a\"}]}", TANDEM_DASHBOARD_ERROR_MISSING, "widgets[0].kind" },
    { "{\"widgets\":[{\"id\":7,\"kind\":\"line\"}]}", TANDEM_DASHBOARD_ERROR_INVALID, "widgets[0].id" },
    { "{\"widgets\":[{\"id\":\"\",\"kind\":\"line\"}]}", TANDEM_DASHBOARD_ERROR_INVALID, "id" },
    { "{\"widgets\":[{\"id\":\"a b\",\"kind\":\"map\"}]}", TANDEM_DASHBOARD_ERROR_INVALID, "id" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":[]}]}", TANDEM_DASHBOARD_ERROR_INVALID, "kind" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"title\":3}]}", TANDEM_DASHBOARD_ERROR_INVALID, "widgets[0].title" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"bucket_seconds\":\"10\"}]}", TANDEM_DASHBOARD_ERROR_INVALID, "bucket_seconds" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"bucket_seconds\":-1}]}", TANDEM_DASHBOARD_ERROR_INVALID, "bucket_seconds" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"bucket_seconds\":2.5}]}", TANDEM_DASHBOARD_ERROR_INVALID, "bucket_seconds" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"window_points\":1e300}]}", TANDEM_DASHBOARD_ERROR_INVALID, "window_points" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"window_points\":10001}]}", TANDEM_DASHBOARD_ERROR_INVALID, "window_points" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"window_points\":0}]}", TANDEM_DASHBOARD_ERROR_INVALID, "window_seconds" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"broadcast\":1}]}", TANDEM_DASHBOARD_ERROR_INVALID, "broadcast" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"width\":0}]}", TANDEM_DASHBOARD_ERROR_INVALID, "width" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"x\":{}}]}", TANDEM_DASHBOARD_ERROR_INVALID, "x" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":{}}]}", TANDEM_DASHBOARD_ERROR_INVALID, "series" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[null]}]}", TANDEM_DASHBOARD_ERROR_INVALID, "series[0]" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{}]}]}", TANDEM_DASHBOARD_ERROR_MISSING, "series[0].table" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{\"table\":\"a;drop\"}]}]}", TANDEM_DASHBOARD_ERROR_INVALID, "series[0].table" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{\"table\":\"t\",\"aggregation\":\"median\"}]}]}", TANDEM_DASHBOARD_ERROR_INVALID, "median" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{\"table\":\"t\",\"aggregation\":\"count\"}],\"bucket_seconds\":0}]}", TANDEM_DASHBOARD_ERROR_INVALID, "bucket_seconds" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{\"table\":\"t\",\"filter\":\"name\"}]}]}", TANDEM_DASHBOARD_ERROR_FILTER, "series[0].filter" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{\"table\":\"t\",\"filter\":\"name=zz.1\"}]}]}", TANDEM_DASHBOARD_ERROR_FILTER, "filter" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[{\"table\":\"t\",\"time_column\":\"\"}]}]}", TANDEM_DASHBOARD_ERROR_INVALID, "time_column" },
    { "{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\"},{\"id\":\"a\",\"kind\":\"bar\"}]}", TANDEM_DASHBOARD_ERROR_DUPLICATE, "widgets[1].id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TandemDashboardLayout) layout = tandem_dashboard_layout_new_from_string (cases[i].json, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_null (layout);
      g_assert_error (error, TANDEM_DASHBOARD_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
}

static void
test_huge (void)
{
  g_autoptr(GString) widgets = g_string_new ("{\"widgets\":[");
  g_autoptr(GString) series = g_string_new ("{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"series\":[");
  g_autoptr(GString) title = g_string_new ("{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\",\"title\":\"");
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboardLayout) layout = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (widgets, "%s{\"id\":\"w%u\",\"kind\":\"line\"}", i ? "," : "", i);
  g_string_append (widgets, "]}");
  layout = tandem_dashboard_layout_new_from_string (widgets->str, &error);
  g_assert_null (layout);
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (series, "%s{\"table\":\"t\"}", i ? "," : "");
  g_string_append (series, "]}]}");
  layout = tandem_dashboard_layout_new_from_string (series->str, &error);
  g_assert_null (layout);
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (title, 'x');
  g_string_append (title, "\"}]}");
  layout = tandem_dashboard_layout_new_from_string (title->str, &error);
  g_assert_null (layout);
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Deep nesting in an unknown member: json-glib bounds it, we keep it. */
  g_string_append (deep, "{\"widgets\":[],\"x\":");
  for (guint i = 0; i < 500; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 500; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  layout = tandem_dashboard_layout_new_from_string (deep->str, &error);
  if (layout == NULL)
    g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_PARSE);
}

/* Random bytes and random edits of a good layout: an error or a layout,
 * never a crash, and whatever reads writes back to something that reads
 * the same. */
static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260303);
  static const char alphabet[] = "{}[]\":,0123456789.-etruflasn \\abcwid";

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *text = g_strdup (demo_layout);
      gsize len = strlen (text);
      g_autoptr(GError) error = NULL;
      g_autoptr(TandemDashboardLayout) layout = NULL;

      for (guint edits = g_rand_int_range (rand, 1, 6); edits > 0; edits--)
        text[g_rand_int_range (rand, 0, len)] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      layout = tandem_dashboard_layout_new_from_string (text, &error);
      if (layout == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == TANDEM_DASHBOARD_ERROR);
          continue;
        }
      {
        g_autofree char *written = tandem_dashboard_layout_to_string (layout);
        g_autoptr(TandemDashboardLayout) again = tandem_dashboard_layout_new_from_string (written, &error);

        g_assert_no_error (error);
        g_assert_true (tandem_dashboard_layout_equal (layout, again));
      }
    }
}

static void
test_edit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboardLayout) layout = tandem_dashboard_layout_new_from_string (demo_layout, &error);
  g_autoptr(TandemDashboardLayout) copy = tandem_dashboard_layout_copy (layout);
  g_autoptr(TandemWidgetSpec) retitled = NULL;
  g_autoptr(TandemWidgetSpec) fresh = NULL;
  g_autofree char *id = NULL;
  TandemWidgetSpec *w1;

  g_assert_no_error (error);
  g_assert_true (tandem_dashboard_layout_equal (layout, copy));
  w1 = tandem_dashboard_layout_lookup_widget (layout, "w1");
  retitled = tandem_widget_spec_copy (w1);
  tandem_widget_spec_set_title (retitled, "Renamed");
  tandem_widget_spec_set_position (retitled, 1, 3, 1, 1);
  /* The title and the place are not what the data depends on. */
  g_assert_true (tandem_widget_spec_equal_data (w1, retitled));
  g_assert_false (tandem_widget_spec_equal (w1, retitled));
  tandem_dashboard_layout_put_widget (copy, retitled);
  g_assert_cmpuint (tandem_dashboard_layout_get_n_widgets (copy), ==, 4);
  g_assert_cmpstr (tandem_widget_spec_get_title (tandem_dashboard_layout_get_widget (copy, 0)), ==, "Renamed");
  g_assert_false (tandem_dashboard_layout_equal (layout, copy));

  tandem_widget_spec_set_bucket_seconds (retitled, 30);
  g_assert_false (tandem_widget_spec_equal_data (w1, retitled));

  g_assert_cmpuint (tandem_dashboard_layout_get_next_row (copy), ==, 4);
  id = tandem_dashboard_layout_new_widget_id (copy);
  g_assert_cmpstr (id, ==, "w5");
  fresh = tandem_widget_spec_new (id, "value");
  g_assert_true (tandem_widget_spec_validate (fresh, &error));
  tandem_dashboard_layout_put_widget (copy, fresh);
  g_assert_cmpuint (tandem_dashboard_layout_get_n_widgets (copy), ==, 5);
  g_assert_true (tandem_dashboard_layout_remove_widget (copy, "w2"));
  g_assert_false (tandem_dashboard_layout_remove_widget (copy, "w2"));
  g_assert_cmpuint (tandem_dashboard_layout_get_n_widgets (copy), ==, 4);

  tandem_widget_spec_set_window_points (fresh, 0);
  g_assert_false (tandem_widget_spec_validate (fresh, &error));
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID);
}

static void
test_filter (void)
{
  static const struct { const char *layout; const char *realtime; const char *rest; } good[] = {
    { "", "", "" },
    { "name=eq.page_view", "name=eq.page_view", "&name=eq.page_view" },
    { "name=eq.page_view&value=gt.2", "name=eq.page_view,value=gt.2", "&name=eq.page_view&value=gt.2" },
    { "name=eq.page_view,value=gte.2.5", "name=eq.page_view,value=gte.2.5", "&name=eq.page_view&value=gte.2.5" },
    { "name=in.(a,b)", "name=in.(a,b)", "&name=in.%28a%2Cb%29" },
    { "name=not.in.(a,\"b c\")", "name=not.in.(a,b c)", "&name=not.in.%28a%2C%22b+c%22%29" },
    { "name=eq.\"a,b\"", "name=eq.\"a,b\"", "&name=eq.a%2Cb" },
    { "name=is.null", "name=is.null", "&name=is.null" },
  };
  static const char * const bad[] = {
    "name", "name=", "name=xx.1", "=eq.1", "name=eq.\"open", "name=in.()", "or=(a.eq.1)",
    "na me=eq.1", "name=eq.1&", "undefined",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *realtime = tandem_dashboard_filter_to_realtime (good[i].layout, &error);
      g_autoptr(TandemClient) client = tandem_client_new ("http://127.0.0.1:1", "key", &error);
      g_autoptr(TandemQuery) query = NULL;
      g_autofree char *request = NULL;
      g_autofree char *expected = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (realtime, ==, good[i].realtime);
      g_assert_true (tandem_dashboard_filter_check (good[i].layout, NULL));

      query = tandem_client_from (client, "analytics_events");
      tandem_query_select (query, "id");
      g_assert_true (tandem_dashboard_filter_apply (good[i].layout, query, &error));
      g_assert_no_error (error);
      request = tandem_query_to_string (query);
      expected = g_strconcat ("GET /rest/v1/analytics_events?select=id", good[i].rest, NULL);
      g_assert_cmpstr (request, ==, expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *realtime = tandem_dashboard_filter_to_realtime (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (realtime);
      g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_FILTER);
      g_assert_false (tandem_dashboard_filter_check (bad[i], NULL));
    }
}

static void
test_time (void)
{
  /* 2026-03-03 10:00:00 UTC */
  const gint64 t0 = G_GINT64_CONSTANT (1772532000) * G_USEC_PER_SEC;
  static const struct { const char *text; gint64 offset; } cases[] = {
    { "2026-03-03T10:00:00+00:00", 0 },
    { "2026-03-03T10:00:00Z", 0 },
    { "2026-03-03 10:00:00+00", 0 },
    { "2026-03-03T10:00:00.123456+00:00", 123456 },
    { "2026-03-03 10:00:00.1+00", 100000 },
    { "2026-03-03T10:00:00.1234567Z", 123456 },
    { "2026-03-03T11:00:00.5+01:00", 500000 },
    { "2026-03-03T10:00:00", 0 },
  };
  static const char * const bad[] = { "", "2026-03-03", "yesterday", "2026-03-03T10:00:00.Z", "2026-13-03T10:00:00Z" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 t = 0;

      g_test_message ("%s", cases[i].text);
      g_assert_true (tandem_dashboard_parse_time (cases[i].text, &t));
      g_assert_cmpint (t, ==, t0 + cases[i].offset);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 t = 0;

      g_assert_false (tandem_dashboard_parse_time (bad[i], &t));
    }

  {
    g_autofree char *text = tandem_dashboard_format_time (t0 + 5);
    gint64 back = 0;

    g_assert_cmpstr (text, ==, "2026-03-03T10:00:00.000005Z");
    g_assert_true (tandem_dashboard_parse_time (text, &back));
    g_assert_cmpint (back, ==, t0 + 5);
  }
}

static void
test_metric_update (void)
{
  static const char * const bad[] = {
    "[]", "{}", "{\"widget_id\":\"w3\",\"value\":1}", "{\"widget_id\":3,\"value\":1,\"timestamp\":\"2026-03-03T10:00:00Z\"}",
    "{\"widget_id\":\"w3\",\"value\":\"1\",\"timestamp\":\"2026-03-03T10:00:00Z\"}",
    "{\"widget_id\":\"w3\",\"value\":null,\"timestamp\":\"2026-03-03T10:00:00Z\"}",
    "{\"widget_id\":\"\",\"value\":1,\"timestamp\":\"2026-03-03T10:00:00Z\"}",
    "{\"widget_id\":\"w3\",\"value\":1,\"timestamp\":\"soon\"}",
  };
  g_autoptr(JsonNode) good = json_from_string ("{\"widget_id\":\"w3\",\"value\":120.5,\"timestamp\":\"2026-03-03T10:00:00.250Z\"}", NULL);
  g_autofree char *id = NULL;
  double value = 0;
  gint64 t = 0;

  g_assert_true (tandem_metric_update_parse (good, &id, &value, &t, NULL));
  g_assert_cmpstr (id, ==, "w3");
  g_assert_cmpfloat (value, ==, 120.5);
  g_assert_cmpint (t, ==, G_GINT64_CONSTANT (1772532000250000));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *bad_id = NULL;

      g_assert_false (tandem_metric_update_parse (node, &bad_id, &value, &t, &error));
      g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID);
      g_assert_null (bad_id);
    }
}

static void
test_dashboard_row (void)
{
  g_autoptr(JsonNode) row = json_from_string ("{\"id\":\"d1\",\"name\":\"Sales\",\"owner\":null,"
                                              "\"layout\":{\"widgets\":[{\"id\":\"a\",\"kind\":\"line\"}]}}", NULL);
  g_autoptr(JsonNode) renamed = json_from_string ("{\"id\":\"d1\",\"name\":\"Sales 2\","
                                                  "\"layout\":{\"widgets\":3}}", NULL);
  g_autoptr(JsonNode) other = json_from_string ("{\"id\":\"d2\",\"name\":\"X\"}", NULL);
  g_autoptr(JsonNode) nameless = json_from_string ("{\"id\":\"d3\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboard) dashboard = tandem_dashboard_new_from_row (json_node_get_object (row), &error);
  guint notified = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (tandem_dashboard_get_id (dashboard), ==, "d1");
  g_assert_cmpstr (tandem_dashboard_get_name (dashboard), ==, "Sales");
  g_assert_null (tandem_dashboard_get_owner (dashboard));
  g_assert_null (tandem_dashboard_get_layout_error (dashboard));
  g_assert_cmpuint (tandem_dashboard_layout_get_n_widgets (tandem_dashboard_get_layout (dashboard)), ==, 1);

  g_signal_connect_swapped (dashboard, "notify", G_CALLBACK (g_nullify_pointer), NULL);
  g_signal_handlers_disconnect_matched (dashboard, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, g_nullify_pointer, NULL);
  g_signal_connect_swapped (dashboard, "notify::name", G_CALLBACK (g_atomic_int_inc), &notified);

  /* A layout that does not read leaves an empty one and says why. */
  g_assert_true (tandem_dashboard_update_from_row (dashboard, json_node_get_object (renamed), &error));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (tandem_dashboard_get_name (dashboard), ==, "Sales 2");
  g_assert_nonnull (tandem_dashboard_get_layout_error (dashboard));
  g_assert_cmpuint (tandem_dashboard_layout_get_n_widgets (tandem_dashboard_get_layout (dashboard)), ==, 0);

  g_assert_false (tandem_dashboard_update_from_row (dashboard, json_node_get_object (other), &error));
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tandem_dashboard_new_from_row (json_node_get_object (nameless), &error));
  g_assert_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dashboards/layout/round-trip", test_round_trip);
  g_test_add_func ("/dashboards/layout/defaults", test_defaults);
  g_test_add_func ("/dashboards/layout/unknown-kept", test_unknown_kept);
  g_test_add_func ("/dashboards/layout/malformed", test_malformed);
  g_test_add_func ("/dashboards/layout/huge", test_huge);
  g_test_add_func ("/dashboards/layout/fuzz", test_fuzz);
  g_test_add_func ("/dashboards/layout/edit", test_edit);
  g_test_add_func ("/dashboards/filter", test_filter);
  g_test_add_func ("/dashboards/time", test_time);
  g_test_add_func ("/dashboards/metric-update", test_metric_update);
  g_test_add_func ("/dashboards/dashboard-row", test_dashboard_row);

  return g_test_run ();
}
