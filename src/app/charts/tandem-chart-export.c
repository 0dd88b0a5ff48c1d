/* tandem-chart-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-chart-export"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-chart-export.h"
#include "tandem-chart.h"
#include "tandem-chart-layer.h"
#include "tandem-chart-style.h"
#include "tandem-live-table.h"
#include "tandem-series.h"
#include "tandem-table-row.h"

static GskRenderNode *
chart_node (GtkWidget *widget,
            int        width,
            int        height,
            GError   **error)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  gboolean dark = TANDEM_IS_CHART (widget) ? tandem_chart_get_dark (TANDEM_CHART (widget))
                                          : tandem_chart_style_is_dark ();
  GdkRGBA background;

  tandem_chart_style_get_background (dark, &background);
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (TANDEM_IS_CHART (widget))
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (TANDEM_IS_CHART_LAYER (child) && tandem_chart_layer_get_exported (TANDEM_CHART_LAYER (child)))
          tandem_chart_layer_draw (TANDEM_CHART_LAYER (child), snapshot, width, height);
    }
  else
    {
      g_autoptr(GdkPaintable) paintable = NULL;

      if (!gtk_widget_get_mapped (widget))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("Only a table that is shown can be exported as an image"));
          return NULL;
        }
      paintable = gtk_widget_paintable_new (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
    }
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

GdkTexture *
tandem_chart_render_texture (GtkWidget  *chart,
                             int         width,
                             int         height,
                             GError    **error)
{
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;

  g_return_val_if_fail (GTK_IS_WIDGET (chart), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  node = chart_node (chart, width, height, error);
  if (node == NULL)
    return NULL;
  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, error))
    return NULL;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  return texture;
}

GBytes *
tandem_chart_render_png (GtkWidget  *chart,
                         int         width,
                         int         height,
                         GError    **error)
{
  g_autoptr(GdkTexture) texture = tandem_chart_render_texture (chart, width, height, error);

  if (texture == NULL)
    return NULL;
  return gdk_texture_save_to_png_bytes (texture);
}

static void
append_field (GString    *csv,
              const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
append_time (GString *csv,
             gint64   t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
  gint64 usec = t % G_USEC_PER_SEC;
  g_autofree char *text = NULL;

  if (usec < 0)
    {
      g_clear_pointer (&dt, g_date_time_unref);
      dt = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC - 1);
      usec += G_USEC_PER_SEC;
    }
  if (dt == NULL)
    return;
  text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  g_string_append_printf (csv, "%s.%06dZ", text, (int) usec);
}

char *
tandem_series_to_csv (TandemSeries * const *series,
                      guint                 n_series)
{
  g_autoptr(GString) csv = g_string_new ("time");
  g_autofree guint *pos = g_new0 (guint, MAX (n_series, 1));

  for (guint i = 0; i < n_series; i++)
    {
      g_string_append_c (csv, ',');
      append_field (csv, tandem_series_get_label (series[i]));
    }
  g_string_append (csv, "\r\n");

  /* A merge of the series by time. */
  for (;;)
    {
      gint64 t = G_MAXINT64;
      gboolean any = FALSE;

      for (guint i = 0; i < n_series; i++)
        if (pos[i] < tandem_series_get_n_points (series[i]))
          {
            t = MIN (t, tandem_series_get_time (series[i], pos[i]));
            any = TRUE;
          }
      if (!any)
        break;
      append_time (csv, t);
      for (guint i = 0; i < n_series; i++)
        {
          g_string_append_c (csv, ',');
          if (pos[i] < tandem_series_get_n_points (series[i]) &&
              tandem_series_get_time (series[i], pos[i]) == t)
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (csv, g_ascii_dtostr (buf, sizeof buf,
                                                    tandem_series_get_value (series[i], pos[i])));
              pos[i]++;
            }
        }
      g_string_append (csv, "\r\n");
    }
  return g_string_free (g_steal_pointer (&csv), FALSE);
}

char *
tandem_rows_to_csv (GListModel         *rows,
                    const char * const *columns)
{
  g_autoptr(GString) csv = g_string_new (NULL);

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), NULL);
  g_return_val_if_fail (columns != NULL, NULL);

  for (guint c = 0; columns[c] != NULL; c++)
    {
      if (c > 0)
        g_string_append_c (csv, ',');
      append_field (csv, columns[c]);
    }
  g_string_append (csv, "\r\n");
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(TandemTableRow) row = g_list_model_get_item (rows, i);

      for (guint c = 0; columns[c] != NULL; c++)
        {
          if (c > 0)
            g_string_append_c (csv, ',');
          append_field (csv, tandem_table_row_get_value (row, columns[c]));
        }
      g_string_append (csv, "\r\n");
    }
  return g_string_free (g_steal_pointer (&csv), FALSE);
}

char *
tandem_chart_export_csv (GtkWidget *chart)
{
  g_return_val_if_fail (GTK_IS_WIDGET (chart), NULL);

  if (TANDEM_IS_LIVE_TABLE (chart))
    {
      TandemLiveTable *table = TANDEM_LIVE_TABLE (chart);
      GListModel *shown = tandem_live_table_get_shown (table);
      g_autoptr(GListStore) empty = NULL;

      if (shown == NULL)
        shown = G_LIST_MODEL (empty = g_list_store_new (TANDEM_TYPE_TABLE_ROW));
      return tandem_rows_to_csv (shown, tandem_live_table_get_columns (table));
    }
  if (TANDEM_IS_CHART (chart))
    {
      TandemChart *c = TANDEM_CHART (chart);
      guint n = tandem_chart_get_n_series (c);
      g_autofree TandemSeries **series = g_new0 (TandemSeries *, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        series[i] = tandem_chart_get_shown_series (c, i);
      return tandem_series_to_csv (series, n);
    }
  g_return_val_if_reached (NULL);
}
