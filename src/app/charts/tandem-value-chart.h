/* tandem-value-chart.h: the latest value of a series, big, with its trend
 * (an arrow and the change since the point before)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-chart.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_VALUE_CHART (tandem_value_chart_get_type ())
G_DECLARE_FINAL_TYPE (TandemValueChart, tandem_value_chart, TANDEM, VALUE_CHART, TandemChart)

GtkWidget *tandem_value_chart_new       (void);

/* What is shown (for tests and accessibility): the value and its
 * previous one; FALSE with no point (or, for @previous, only one). */
gboolean   tandem_value_chart_get_value (TandemValueChart *self,
                                         double           *value,
                                         double           *previous);
/* "12.5", and "▲ +2.5 (+25%)" or "" (transfer full). */
char      *tandem_value_chart_dup_text  (TandemValueChart *self);
char      *tandem_value_chart_dup_trend (TandemValueChart *self);

G_END_DECLS
