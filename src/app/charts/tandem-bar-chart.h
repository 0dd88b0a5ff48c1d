/* tandem-bar-chart.h: a bar per point (bucket) over a time axis, the
 * series side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-chart.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_BAR_CHART (tandem_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (TandemBarChart, tandem_bar_chart, TANDEM, BAR_CHART, TandemChart)

GtkWidget *tandem_bar_chart_new        (void);

/* The time one bar covers (a bucket); 0: the smallest gap between two
 * points (property "bucket"). */
gint64     tandem_bar_chart_get_bucket (TandemBarChart *self);
void       tandem_bar_chart_set_bucket (TandemBarChart *self,
                                        gint64          bucket_usec);

G_END_DECLS
