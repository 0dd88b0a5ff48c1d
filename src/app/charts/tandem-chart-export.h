/* tandem-chart-export.h: a chart as a PNG image, its data as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

/* Renders @chart at @width × @height with the software (cairo) renderer,
 * on the style's background. A TandemChart draws its layers at that size
 * whether it is shown or not; any other widget (the live table) is taken
 * as shown through a GtkWidgetPaintable and must be mapped. */
GdkTexture *tandem_chart_render_texture (GtkWidget    *chart,
                                         int           width,
                                         int           height,
                                         GError      **error);
GBytes     *tandem_chart_render_png     (GtkWidget    *chart,
                                         int           width,
                                         int           height,
                                         GError      **error);

/* CSV (RFC 4180, "\r\n" line ends) of what @chart shows: for a chart, a
 * "time" column (ISO 8601, UTC, µs) and one column per series label, one
 * row per distinct time (empty where a series has no point); for a live
 * table, its columns and rows. */
char       *tandem_chart_export_csv     (GtkWidget    *chart);
char       *tandem_series_to_csv        (TandemSeries * const *series,
                                         guint                 n_series);
char       *tandem_rows_to_csv          (GListModel          *rows,
                                         const char * const  *columns);

G_END_DECLS
