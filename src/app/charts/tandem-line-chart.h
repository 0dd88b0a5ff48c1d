/* tandem-line-chart.h: one line per series over a time axis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-chart.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_LINE_CHART (tandem_line_chart_get_type ())
G_DECLARE_FINAL_TYPE (TandemLineChart, tandem_line_chart, TANDEM, LINE_CHART, TandemChart)

GtkWidget *tandem_line_chart_new             (void);

/* The plot area and its ranges as last drawn at @width × @height (for
 * tests: where a value lands on screen). FALSE when nothing is drawn. */
gboolean   tandem_line_chart_map_point       (TandemLineChart *self,
                                              int              width,
                                              int              height,
                                              gint64           time_usec,
                                              double           value,
                                              double          *x,
                                              double          *y);

G_END_DECLS
