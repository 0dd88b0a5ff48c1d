/* tandem-dashboard-widget.h: one widget of a dashboard: a card with its
 * title and chart, bound to its series (REST, postgres_changes, broadcasts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <tandem.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

/**
 * TandemExportFormat:
 * @TANDEM_EXPORT_PNG: the chart as a PNG image
 * @TANDEM_EXPORT_CSV: the data shown, as CSV
 */
typedef enum
{
  TANDEM_EXPORT_PNG,
  TANDEM_EXPORT_CSV,
} TandemExportFormat;

#define TANDEM_TYPE_DASHBOARD_WIDGET (tandem_dashboard_widget_get_type ())
G_DECLARE_FINAL_TYPE (TandemDashboardWidget, tandem_dashboard_widget, TANDEM, DASHBOARD_WIDGET, GtkWidget)

TandemDashboardWidget *tandem_dashboard_widget_new            (TandemClient          *client,
                                                               const char            *dashboard_id,
                                                               TandemWidgetSpec      *spec);

const char            *tandem_dashboard_widget_get_widget_id  (TandemDashboardWidget *self);
/* (transfer none) */
TandemWidgetSpec      *tandem_dashboard_widget_get_spec       (TandemDashboardWidget *self);
/* Replaces the spec; rebinds the data only when what it shows changed. */
void                   tandem_dashboard_widget_set_spec       (TandemDashboardWidget *self,
                                                               TandemWidgetSpec      *spec);

/* TRUE once the initial REST fetch of every series finished (property
 * "loaded"). */
gboolean               tandem_dashboard_widget_get_loaded     (TandemDashboardWidget *self);

/* The chart widget: TandemLineChart, TandemBarChart, TandemValueChart or
 * TandemLiveTable. (transfer none) */
GtkWidget             *tandem_dashboard_widget_get_chart      (TandemDashboardWidget *self);

/* The points shown for series @index (the layout's "series" order): raw
 * rows with aggregation "none", else one point per bucket. A value widget
 * with broadcast true has one series fed by `metric_update`.
 * (transfer none) (nullable) */
guint                  tandem_dashboard_widget_get_n_series   (TandemDashboardWidget *self);
TandemSeries          *tandem_dashboard_widget_get_series     (TandemDashboardWidget *self,
                                                               guint                  index);

/* For a table widget: the latest rows, newest first, a GListModel of
 * TandemTableRow; NULL for other kinds. (transfer none) */
GListModel            *tandem_dashboard_widget_get_rows       (TandemDashboardWidget *self);

/* The binding of series @index (NULL for a broadcast value). (transfer none) */
TandemSeriesBinding   *tandem_dashboard_widget_get_binding    (TandemDashboardWidget *self,
                                                               guint                  index);

/* What the inline error label shows (property "error"), or NULL. */
const char            *tandem_dashboard_widget_get_error      (TandemDashboardWidget *self);

/* Paused, the chart keeps what it showed while data goes on arriving
 * (property "paused"; actions widget.pause and widget.resume). */
gboolean               tandem_dashboard_widget_get_paused     (TandemDashboardWidget *self);
void                   tandem_dashboard_widget_set_paused     (TandemDashboardWidget *self,
                                                               gboolean               paused);

/* A `metric_update` for this widget: a broadcast value widget shows it;
 * FALSE (and nothing changes) for any other widget. */
gboolean               tandem_dashboard_widget_apply_metric   (TandemDashboardWidget *self,
                                                               gint64                 time_usec,
                                                               double                 value);

/* The export as bytes (PNG at the chart's size, or 800 × 400 when it is
 * not shown; CSV of what it shows). */
GBytes                *tandem_dashboard_widget_export_bytes   (TandemDashboardWidget *self,
                                                               TandemExportFormat     format,
                                                               GError               **error);
/* Writes the export to @file (what the menu's Export… items do once a
 * file is chosen). */
void                   tandem_dashboard_widget_export_async   (TandemDashboardWidget *self,
                                                               TandemExportFormat     format,
                                                               GFile                 *file,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
gboolean               tandem_dashboard_widget_export_finish  (TandemDashboardWidget *self,
                                                               GAsyncResult          *result,
                                                               GError               **error);

G_END_DECLS
