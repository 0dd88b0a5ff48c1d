/* tandem-series-binding.h: one series of a widget bound to its table:
 * the rolling window through REST, then new rows live through
 * postgres_changes, the gap re-fetched after every reconnect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <tandem.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_SERIES_BINDING (tandem_series_binding_get_type ())
G_DECLARE_FINAL_TYPE (TandemSeriesBinding, tandem_series_binding, TANDEM, SERIES_BINDING, GObject)

/* Series @index of @widget. Nothing is fetched before start(). A "table"
 * widget's binding also keeps the rows (get_rows()). */
TandemSeriesBinding *tandem_series_binding_new            (TandemClient        *client,
                                                           TandemWidgetSpec    *widget,
                                                           guint                index);
/* Fetches the window and subscribes. */
void                 tandem_series_binding_start          (TandemSeriesBinding *self);
/* Cancels every request and leaves the channel; no signal or callback
 * runs afterwards (dispose does the same). */
void                 tandem_series_binding_stop           (TandemSeriesBinding *self);

/* (transfer none) */
TandemSeriesSpec    *tandem_series_binding_get_spec       (TandemSeriesBinding *self);
/* The points shown: raw rows with aggregation "none", else one per
 * bucket. (transfer none) */
TandemSeries        *tandem_series_binding_get_series     (TandemSeriesBinding *self);
/* For a table widget: a GListModel of TandemTableRow, newest first, at
 * most window_points long; NULL otherwise. (transfer none) */
GListModel          *tandem_series_binding_get_rows       (TandemSeriesBinding *self);
/* The table's columns in the rows' order, once a row arrived (property
 * "columns"), else NULL. */
const char * const  *tandem_series_binding_get_columns    (TandemSeriesBinding *self);

/* TRUE once the initial fetch finished, with or without an error
 * (property "loaded"). */
gboolean             tandem_series_binding_get_loaded     (TandemSeriesBinding *self);
/* What went wrong last, for the widget to show (property "error"); NULL
 * when all is well. */
const char          *tandem_series_binding_get_error      (TandemSeriesBinding *self);

/* Rows counted so far (each once, whichever way it came), and REST
 * fetches finished (the initial one and every gap re-fetch): for tests
 * and the connection monitor. */
guint64              tandem_series_binding_get_n_rows     (TandemSeriesBinding *self);
guint                tandem_series_binding_get_n_fetches  (TandemSeriesBinding *self);

G_END_DECLS
