/* tandem-dashboard-view.h: one dashboard: its widgets in a grid, bound to
 * their data, and the layout kept in sync with the `dashboards` row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <tandem.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_DASHBOARD_VIEW (tandem_dashboard_view_get_type ())
G_DECLARE_FINAL_TYPE (TandemDashboardView, tandem_dashboard_view, TANDEM, DASHBOARD_VIEW, GtkWidget)

TandemDashboardView   *tandem_dashboard_view_new               (TandemClient        *client,
                                                                const char          *dashboard_id);

const char            *tandem_dashboard_view_get_dashboard_id  (TandemDashboardView *self);
/* The dashboard's name ("" until its row arrived). */
const char            *tandem_dashboard_view_get_name          (TandemDashboardView *self);
/* TRUE once the row arrived and every widget's initial fetch finished
 * (property "loaded"). */
gboolean               tandem_dashboard_view_get_loaded        (TandemDashboardView *self);

/* The widgets in layout order. */
guint                  tandem_dashboard_view_get_n_widgets     (TandemDashboardView *self);
TandemDashboardWidget *tandem_dashboard_view_get_nth_widget    (TandemDashboardView *self,
                                                                guint                position);
/* The widget with layout id @widget_id ("w1"), or NULL. (transfer none) */
TandemDashboardWidget *tandem_dashboard_view_get_widget        (TandemDashboardView *self,
                                                                const char          *widget_id);

/* The layout as applied (transfer none). */
TandemDashboardLayout *tandem_dashboard_view_get_layout        (TandemDashboardView *self);

/* Why the dashboard cannot be shown (gone, its layout does not read, the
 * fetch failed), or NULL (property "error"). */
const char            *tandem_dashboard_view_get_error         (TandemDashboardView *self);
/* The columns the grid shows now: 1 when folded for a narrow window. */
guint                  tandem_dashboard_view_get_columns       (TandemDashboardView *self);
/* The editor window open on this view, or NULL. (transfer none) */
TandemWidgetEditor    *tandem_dashboard_view_get_editor        (TandemDashboardView *self);

G_END_DECLS
