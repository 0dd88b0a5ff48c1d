/* tandem-dashboard-grid.h: the widgets of a dashboard placed by their
 * layout's x, y, width and height, one column of them when the window is
 * too narrow for the grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_DASHBOARD_GRID (tandem_dashboard_grid_get_type ())
G_DECLARE_FINAL_TYPE (TandemDashboardGrid, tandem_dashboard_grid, TANDEM, DASHBOARD_GRID, GtkWidget)

/* The narrowest column of the grid; below n × this the grid is one column. */
#define TANDEM_DASHBOARD_GRID_MIN_COLUMN 280
/* The height of one layout row. */
#define TANDEM_DASHBOARD_GRID_ROW_HEIGHT 240

GtkWidget *tandem_dashboard_grid_new        (void);
/* Adds @child at the end (the order of the one-column form follows y,
 * then x), or moves it there if it is already a child. */
void       tandem_dashboard_grid_put        (TandemDashboardGrid *self,
                                             GtkWidget           *child,
                                             guint                x,
                                             guint                y,
                                             guint                width,
                                             guint                height);
void       tandem_dashboard_grid_remove     (TandemDashboardGrid *self,
                                             GtkWidget           *child);
/* The number of columns of the last allocation: 1 when folded (property
 * "columns"). */
guint      tandem_dashboard_grid_get_columns (TandemDashboardGrid *self);

G_END_DECLS
