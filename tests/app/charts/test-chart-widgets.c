/* test-chart-widgets.c: every chart drawn (on screen through a widget
 * paintable, and offscreen), checked by its pixels; exports; pause;
 * tooltips; accessibility; the light and the dark style
 *
 * Runs under Xvfb with GSK_RENDERER=cairo (see tests/app/meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <math.h>

#include "tandem-charts.h"

#define SEC ((gint64) G_USEC_PER_SEC)
/* 2026-03-03 10:00:00 UTC */
#define T0 ((gint64) 1772532000 * SEC)

typedef struct
{
  guchar *data;
  gsize   stride;
  int     width;
  int     height;
} Pixels;

static void
pixels_from_texture (Pixels     *px,
                     GdkTexture *texture)
{
  px->width = gdk_texture_get_width (texture);
  px->height = gdk_texture_get_height (texture);
  px->stride = (gsize) px->width * 4;
  px->data = g_malloc (px->stride * px->height);
  gdk_texture_download (texture, px->data, px->stride);
}

static void
pixels_clear (Pixels *px)
{
  g_clear_pointer (&px->data, g_free);
}

/* The colour at (x, y), unpremultiplied, 0..255. */
static void
pixel_at (const Pixels *px,
          int           x,
          int           y,
          int           rgb[3])
{
  const guchar *p = px->data + (gsize) y * px->stride + (gsize) x * 4;
  /* gdk_texture_download: CAIRO_FORMAT_ARGB32, premultiplied, native endian. */
  guint32 argb = *(const guint32 *) p;
  int a = argb >> 24;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, px->width);
  g_assert_cmpint (y, <, px->height);
  for (int i = 0; i < 3; i++)
    {
      int c = (argb >> (16 - 8 * i)) & 0xff;

      rgb[i] = a == 0 ? 0 : MIN (255, c * 255 / a);
    }
}

static int
color_distance (const int      rgb[3],
                const GdkRGBA *color)
{
  int d = 0;

  d = MAX (d, abs (rgb[0] - (int) round (color->red * 255)));
  d = MAX (d, abs (rgb[1] - (int) round (color->green * 255)));
  d = MAX (d, abs (rgb[2] - (int) round (color->blue * 255)));
  return d;
}

/* Whether a pixel within ±@radius of (x, y) has @color (±@tolerance). */
static gboolean
color_near (const Pixels  *px,
            double         x,
            double         y,
            int            radius,
            const GdkRGBA *color,
            int            tolerance)
{
  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      {
        int rgb[3];
        int xi = (int) floor (x) + dx, yi = (int) floor (y) + dy;

        if (xi < 0 || yi < 0 || xi >= px->width || yi >= px->height)
          continue;
        pixel_at (px, xi, yi, rgb);
        if (color_distance (rgb, color) <= tolerance)
          return TRUE;
      }
  return FALSE;
}

static guint
count_color (const Pixels  *px,
             const GdkRGBA *color,
             int            tolerance)
{
  guint n = 0;

  for (int y = 0; y < px->height; y++)
    for (int x = 0; x < px->width; x++)
      {
        int rgb[3];

        pixel_at (px, x, y, rgb);
        if (color_distance (rgb, color) <= tolerance)
          n++;
      }
  return n;
}

/* gtk_test_accessible_assert_property() stringifies its arguments into
 * a printf format, which a '%' in the value breaks. */
static void
assert_a11y_string (GtkAccessible         *accessible,
                    GtkAccessibleProperty  property,
                    const char            *expected)
{
  g_autofree char *wrong = gtk_test_accessible_check_property (accessible, property, expected);

  if (wrong != NULL)
    g_error ("accessible property %d is “%s”, not “%s”", property, wrong, expected);
}

static void
wait_for_draw (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gint64 start;

  while (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (widget);
  start = gdk_frame_clock_get_frame_counter (clock);
  /* Two frames: layout and paint done. */
  while (gdk_frame_clock_get_frame_counter (clock) < start + 2)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The widget as it is on screen: its paintable, rendered by the window's
 * renderer. */
static GdkTexture *
screen_texture (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

static GtkWidget *
window_with (GtkWidget *child,
             int        width,
             int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* With TANDEM_TEST_DUMP_DIR set, images are kept there to look at. */
static void
dump_texture (GdkTexture *texture,
              const char *name)
{
  const char *dir = g_getenv ("TANDEM_TEST_DUMP_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
destroy_window (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Series 0: constant 10; series 1: a ramp 0 → 20; series 2: a sine. */
static void
add_line_series (TandemChart *chart)
{
  g_autoptr(TandemSeries) a = tandem_series_new ("flat");
  g_autoptr(TandemSeries) b = tandem_series_new ("ramp");
  g_autoptr(TandemSeries) c = tandem_series_new ("wave");

  for (int i = 0; i <= 100; i++)
    {
      tandem_series_add (a, T0 + i * SEC, 10);
      tandem_series_add (b, T0 + i * SEC, i / 5.0);
      tandem_series_add (c, T0 + i * SEC, 10 + 5 * sin (i / 8.0));
    }
  tandem_chart_add_series (chart, a);
  tandem_chart_add_series (chart, b);
  tandem_chart_add_series (chart, c);
}

static void
check_line_pixels (TandemLineChart *chart,
                   GdkTexture      *texture,
                   gboolean         dark)
{
  Pixels px;
  GdkRGBA flat, ramp, bg;
  double x, y;
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);

  pixels_from_texture (&px, texture);
  tandem_chart_style_get_series_color (0, dark, &flat);
  tandem_chart_style_get_series_color (1, dark, &ramp);
  tandem_chart_style_get_background (dark, &bg);

  /* The flat line at 10, a quarter and three quarters across. */
  for (int q = 1; q <= 3; q += 2)
    {
      g_assert_true (tandem_line_chart_map_point (chart, w, h, T0 + q * 25 * SEC, 10, &x, &y));
      g_assert_true (color_near (&px, x, y, 1, &flat, 24));
    }
  /* The ramp at 60 s is at 12. */
  g_assert_true (tandem_line_chart_map_point (chart, w, h, T0 + 60 * SEC, 12, &x, &y));
  g_assert_true (color_near (&px, x, y, 1, &ramp, 24));
  /* Far from every line (value 19 at 10 s): nothing drawn there. */
  g_assert_true (tandem_line_chart_map_point (chart, w, h, T0 + 10 * SEC, 19, &x, &y));
  g_assert_false (color_near (&px, x, y, 2, &flat, 60));
  g_assert_false (color_near (&px, x, y, 2, &ramp, 60));
  pixels_clear (&px);
}

static void
test_line_chart (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GtkWidget *chart = tandem_line_chart_new ();
  GtkWidget *window;
  g_autoptr(GdkTexture) shown = NULL;
  g_autoptr(GdkTexture) exported = NULL;
  g_autoptr(GdkTexture) exported_dark = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  g_object_ref (chart);
  tandem_chart_set_time_zone (TANDEM_CHART (chart), utc);
  tandem_chart_set_style (TANDEM_CHART (chart), 0);
  tandem_chart_set_title (TANDEM_CHART (chart), "Traffic");
  add_line_series (TANDEM_CHART (chart));

  window = window_with (chart, 480, 260);
  wait_for_draw (chart);

  shown = screen_texture (chart);
  check_line_pixels (TANDEM_LINE_CHART (chart), shown, FALSE);
  dump_texture (shown, "line-shown.png");

  /* Offscreen, at another size, through the PNG export. */
  png = tandem_chart_render_png (chart, 800, 400, &error);
  g_assert_no_error (error);
  exported = gdk_texture_new_from_bytes (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (exported), ==, 800);
  g_assert_cmpint (gdk_texture_get_height (exported), ==, 400);
  check_line_pixels (TANDEM_LINE_CHART (chart), exported, FALSE);
  dump_texture (exported, "line-exported.png");
  {
    Pixels px;
    GdkRGBA bg;
    int rgb[3];

    pixels_from_texture (&px, exported);
    tandem_chart_style_get_background (FALSE, &bg);
    pixel_at (&px, 1, 1, rgb);
    g_assert_cmpint (color_distance (rgb, &bg), <=, 2);
    pixels_clear (&px);
  }

  /* Dark: the dark palette, on the dark background. */
  tandem_chart_set_style (TANDEM_CHART (chart), 1);
  exported_dark = tandem_chart_render_texture (chart, 800, 400, &error);
  g_assert_no_error (error);
  check_line_pixels (TANDEM_LINE_CHART (chart), exported_dark, TRUE);
  dump_texture (exported_dark, "line-dark.png");
  {
    Pixels px;
    GdkRGBA bg;
    int rgb[3];

    pixels_from_texture (&px, exported_dark);
    tandem_chart_style_get_background (TRUE, &bg);
    pixel_at (&px, 1, 1, rgb);
    g_assert_cmpint (color_distance (rgb, &bg), <=, 2);
    pixels_clear (&px);
  }

  /* Following the style manager. */
  tandem_chart_set_style (TANDEM_CHART (chart), -1);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (tandem_chart_get_dark (TANDEM_CHART (chart)));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (tandem_chart_get_dark (TANDEM_CHART (chart)));

  /* Accessible: an image named by its title, described by its series. */
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG));
  assert_a11y_string (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, "Traffic");
  assert_a11y_string (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Line chart of flat, ramp, wave");

  destroy_window (window);
  g_assert_finalize_object (chart);
}

static void
test_line_chart_tooltip (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GtkWidget *chart = g_object_ref_sink (tandem_line_chart_new ());
  g_autoptr(TandemSeries) s = tandem_series_new ("views");
  g_autofree char *text = NULL;
  double x, y;

  tandem_chart_set_time_zone (TANDEM_CHART (chart), utc);
  tandem_series_add (s, T0, 1);
  tandem_series_add (s, T0 + 10 * SEC + 250000, 12.345678);
  tandem_series_add (s, T0 + 20 * SEC, 3);
  tandem_chart_add_series (TANDEM_CHART (chart), s);

  /* Unallocated, the chart computes its geometry at the given size. */
  g_assert_true (tandem_line_chart_map_point (TANDEM_LINE_CHART (chart), 0, 0, T0, 0, &x, &y) == FALSE);
  gtk_widget_measure (chart, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
  gtk_widget_allocate (chart, 400, 200, -1, NULL);
  g_assert_true (tandem_line_chart_map_point (TANDEM_LINE_CHART (chart), 400, 200,
                                              T0 + 10 * SEC, 12.345678, &x, &y));
  text = TANDEM_CHART_GET_CLASS (chart)->tooltip_text (TANDEM_CHART (chart), x + 1, y);
  g_assert_nonnull (text);
  /* The exact value and the exact time. */
  g_assert_nonnull (strstr (text, "views: 12.345678"));
  g_assert_nonnull (strstr (text, "2026-03-03 10:00:10.250"));

  /* Outside the plot: none. */
  g_clear_pointer (&text, g_free);
  text = TANDEM_CHART_GET_CLASS (chart)->tooltip_text (TANDEM_CHART (chart), 1, 1);
  g_assert_null (text);

  g_assert_finalize_object (chart);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_chart_pause (void)
{
  GtkWidget *chart = g_object_ref_sink (tandem_line_chart_new ());
  g_autoptr(TandemSeries) s = tandem_series_new ("x");
  guint notified = 0;
  g_autofree char *csv_paused = NULL, *csv_live = NULL;

  g_signal_connect (chart, "notify::paused", G_CALLBACK (count_notify), &notified);
  tandem_series_add (s, T0, 1);
  tandem_chart_add_series (TANDEM_CHART (chart), s);

  gtk_widget_activate_action (chart, "chart.pause", NULL);
  g_assert_true (tandem_chart_get_paused (TANDEM_CHART (chart)));
  g_assert_cmpuint (notified, ==, 1);
  tandem_series_add (s, T0 + SEC, 2);
  g_assert_cmpuint (tandem_series_get_n_points (tandem_chart_get_shown_series (TANDEM_CHART (chart), 0)), ==, 1);
  g_assert_cmpuint (tandem_series_get_n_points (tandem_chart_get_series (TANDEM_CHART (chart), 0)), ==, 2);
  csv_paused = tandem_chart_export_csv (chart);
  g_assert_cmpstr (csv_paused, ==, "time,x\r\n2026-03-03T10:00:00.000000Z,1\r\n");
  assert_a11y_string (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Line chart of x (paused)");

  tandem_chart_set_paused (TANDEM_CHART (chart), TRUE);
  g_assert_cmpuint (notified, ==, 1);
  gtk_widget_activate_action (chart, "chart.pause", NULL);
  g_assert_false (tandem_chart_get_paused (TANDEM_CHART (chart)));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (tandem_series_get_n_points (tandem_chart_get_shown_series (TANDEM_CHART (chart), 0)), ==, 2);
  csv_live = tandem_chart_export_csv (chart);
  g_assert_cmpstr (csv_live, ==, "time,x\r\n2026-03-03T10:00:00.000000Z,1\r\n2026-03-03T10:00:01.000000Z,2\r\n");

  g_assert_finalize_object (chart);
}

static void
test_series_csv (void)
{
  g_autoptr(TandemSeries) a = tandem_series_new ("a");
  g_autoptr(TandemSeries) b = tandem_series_new ("b, \"quoted\"");
  TandemSeries *both[] = { a, b };
  g_autofree char *csv = NULL;

  tandem_series_add (a, T0, 1.5);
  tandem_series_add (a, T0 + 2 * SEC, 0.1);
  tandem_series_add (b, T0 + SEC, -3);
  tandem_series_add (b, T0 + 2 * SEC, 1e-20);
  csv = tandem_series_to_csv (both, 2);
  g_assert_cmpstr (csv, ==,
                   "time,a,\"b, \"\"quoted\"\"\"\r\n"
                   "2026-03-03T10:00:00.000000Z,1.5,\r\n"
                   "2026-03-03T10:00:01.000000Z,,-3\r\n"
                   "2026-03-03T10:00:02.000000Z,0.10000000000000001,9.9999999999999995e-21\r\n");
}

static void
test_bar_chart (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("count");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GtkWidget *chart = g_object_ref_sink (tandem_bar_chart_new ());
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tip = NULL;
  GdkRGBA color, bg;
  Pixels px;
  int rgb[3];

  for (int i = 0; i < 5; i++)
    tandem_series_add (s, T0 + i * 10 * SEC, (i + 1) * 2);
  tandem_bar_chart_set_bucket (TANDEM_BAR_CHART (chart), 10 * SEC);
  tandem_chart_set_time_zone (TANDEM_CHART (chart), utc);
  tandem_chart_set_style (TANDEM_CHART (chart), 0);
  tandem_chart_add_series (TANDEM_CHART (chart), s);

  texture = tandem_chart_render_texture (chart, 500, 300, &error);
  g_assert_no_error (error);
  dump_texture (texture, "bar.png");
  pixels_from_texture (&px, texture);
  tandem_chart_style_get_series_color (0, FALSE, &color);
  tandem_chart_style_get_background (FALSE, &bg);

  /* Find the plot through the grid's geometry: the tallest bar (10, the
   * fifth) reaches the top tick; each bar's middle has the series colour
   * at half its height, and the gaps between bars do not. The bars are
   * 80 % of 1/5 of the plot wide. */
  {
    guint coloured = count_color (&px, &color, 8);

    /* Bars 2+4+6+8+10 = 30 units of a 10-unit axis, 16 % of the plot wide. */
    g_assert_cmpuint (coloured, >, 500 * 300 / 100);
  }
  /* Scan the middle row: runs of the colour are the bars that reach it. */
  {
    int runs = 0;
    gboolean in = FALSE;
    int row = 300 / 2;

    for (int x = 0; x < px.width; x++)
      {
        gboolean c;

        pixel_at (&px, x, row, rgb);
        c = color_distance (rgb, &color) <= 8;
        if (c && !in)
          runs++;
        in = c;
      }
    /* Values 6, 8, 10 reach above half of 0…10; 2 and 4 do not. */
    g_assert_cmpint (runs, ==, 3);
  }
  pixels_clear (&px);

  tip = TANDEM_CHART_GET_CLASS (chart)->tooltip_text (TANDEM_CHART (chart), -1, -1);
  g_assert_null (tip);

  g_assert_finalize_object (chart);
}

static void
test_value_chart (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("sessions");
  GtkWidget *chart = g_object_ref_sink (tandem_value_chart_new ());
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *trend = NULL, *down = NULL;
  GdkRGBA accent, up, down_color;
  Pixels px;

  tandem_chart_set_style (TANDEM_CHART (chart), 0);
  tandem_chart_add_series (TANDEM_CHART (chart), s);
  text = tandem_value_chart_dup_text (TANDEM_VALUE_CHART (chart));
  g_assert_cmpstr (text, ==, "—");
  g_clear_pointer (&text, g_free);

  tandem_series_add (s, T0, 10);
  tandem_series_add (s, T0 + SEC, 12.5);
  text = tandem_value_chart_dup_text (TANDEM_VALUE_CHART (chart));
  trend = tandem_value_chart_dup_trend (TANDEM_VALUE_CHART (chart));
  g_assert_cmpstr (text, ==, "12.5");
  g_assert_cmpstr (trend, ==, "+2.5 (+25%)");
  assert_a11y_string (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "12.5, +2.5 (+25%)");

  texture = tandem_chart_render_texture (chart, 300, 200, &error);
  g_assert_no_error (error);
  dump_texture (texture, "value.png");
  pixels_from_texture (&px, texture);
  tandem_chart_style_get_series_color (0, FALSE, &accent);
  tandem_chart_style_get_up (FALSE, &up);
  tandem_chart_style_get_down (FALSE, &down_color);
  /* The big value in the accent colour, the arrow and delta in green. */
  g_assert_cmpuint (count_color (&px, &accent, 16), >, 100);
  g_assert_cmpuint (count_color (&px, &up, 16), >, 20);
  g_assert_cmpuint (count_color (&px, &down_color, 16), ==, 0);
  pixels_clear (&px);

  tandem_series_add (s, T0 + 2 * SEC, 5);
  down = tandem_value_chart_dup_trend (TANDEM_VALUE_CHART (chart));
  g_assert_cmpstr (down, ==, "−7.5 (−60%)");

  g_assert_finalize_object (chart);
}

static TandemTableRow *
make_row (const char *id,
          gint64      t,
          const char *name)
{
  const char *columns[] = { "id", "name", "value", NULL };
  const char *values[] = { id, name, "1", NULL };

  return tandem_table_row_new (id, t, columns, values);
}

static void
test_live_table (void)
{
  g_autoptr(GListStore) rows = g_list_store_new (TANDEM_TYPE_TABLE_ROW);
  const char *columns[] = { "id", "name", "value", NULL };
  GtkWidget *table = tandem_live_table_new ();
  GtkWidget *window;
  g_autoptr(TandemTableRow) r1 = make_row ("1", T0, "page_view");
  g_autoptr(TandemTableRow) r2 = make_row ("2", T0 + SEC, "sign, \"up\"");
  g_autofree char *csv = NULL, *csv_paused = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  g_object_ref (table);
  g_list_store_append (rows, r1);
  tandem_live_table_set_columns (TANDEM_LIVE_TABLE (table), columns);
  tandem_live_table_set_model (TANDEM_LIVE_TABLE (table), G_LIST_MODEL (rows));
  tandem_live_table_set_title (TANDEM_LIVE_TABLE (table), "Latest events");

  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (
                      tandem_live_table_get_column_view (TANDEM_LIVE_TABLE (table)))), ==, 3);
  assert_a11y_string (GTK_ACCESSIBLE (table), GTK_ACCESSIBLE_PROPERTY_LABEL, "Latest events");

  window = window_with (table, 400, 300);
  wait_for_draw (table);

  /* Paused, new rows wait. */
  gtk_widget_activate_action (table, "chart.pause", NULL);
  g_assert_true (tandem_live_table_get_paused (TANDEM_LIVE_TABLE (table)));
  g_list_store_insert (rows, 0, r2);
  g_assert_cmpuint (g_list_model_get_n_items (tandem_live_table_get_shown (TANDEM_LIVE_TABLE (table))), ==, 1);
  csv_paused = tandem_chart_export_csv (table);
  g_assert_cmpstr (csv_paused, ==, "id,name,value\r\n1,page_view,1\r\n");
  tandem_live_table_set_paused (TANDEM_LIVE_TABLE (table), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (tandem_live_table_get_shown (TANDEM_LIVE_TABLE (table))), ==, 2);
  csv = tandem_chart_export_csv (table);
  g_assert_cmpstr (csv, ==, "id,name,value\r\n2,\"sign, \"\"up\"\"\",1\r\n1,page_view,1\r\n");

  /* The table as shown, as a PNG. */
  wait_for_draw (table);
  png = tandem_chart_render_png (table, 400, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (png), >, 100);

  destroy_window (window);

  /* Not shown: no image. */
  {
    g_autoptr(GBytes) none = tandem_chart_render_png (table, 400, 300, &error);

    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  }
  g_assert_finalize_object (table);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/charts/widgets/line", test_line_chart);
  g_test_add_func ("/charts/widgets/line-tooltip", test_line_chart_tooltip);
  g_test_add_func ("/charts/widgets/pause", test_chart_pause);
  g_test_add_func ("/charts/widgets/series-csv", test_series_csv);
  g_test_add_func ("/charts/widgets/bar", test_bar_chart);
  g_test_add_func ("/charts/widgets/value", test_value_chart);
  g_test_add_func ("/charts/widgets/live-table", test_live_table);

  return g_test_run ();
}
