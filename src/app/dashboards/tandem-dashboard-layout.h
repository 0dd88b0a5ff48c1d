/* tandem-dashboard-layout.h: a dashboard's `layout` JSON as typed values:
 * the layout, its widgets and their series (boxed, reference counted)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-dashboards-types.h"
#include "tandem-series-spec.h"
#include "tandem-widget-spec.h"

G_BEGIN_DECLS

/**
 * TANDEM_DASHBOARD_ERROR:
 *
 * Errors of src/app/dashboards: layouts that do not read, filters, rows.
 */
#define TANDEM_DASHBOARD_ERROR (tandem_dashboard_error_quark ())

/**
 * TandemDashboardError:
 * @TANDEM_DASHBOARD_ERROR_PARSE: the text is not JSON
 * @TANDEM_DASHBOARD_ERROR_INVALID: a member has the wrong type or a value
 *   out of range (the message names it: `widgets[1].bucket_seconds`)
 * @TANDEM_DASHBOARD_ERROR_MISSING: a required member is missing
 * @TANDEM_DASHBOARD_ERROR_TOO_LARGE: too many widgets or series, or a
 *   string too long
 * @TANDEM_DASHBOARD_ERROR_FILTER: a filter that does not parse
 * @TANDEM_DASHBOARD_ERROR_NOT_FOUND: no such dashboard or widget
 * @TANDEM_DASHBOARD_ERROR_DUPLICATE: two widgets with one id
 */
typedef enum
{
  TANDEM_DASHBOARD_ERROR_PARSE,
  TANDEM_DASHBOARD_ERROR_INVALID,
  TANDEM_DASHBOARD_ERROR_MISSING,
  TANDEM_DASHBOARD_ERROR_TOO_LARGE,
  TANDEM_DASHBOARD_ERROR_FILTER,
  TANDEM_DASHBOARD_ERROR_NOT_FOUND,
  TANDEM_DASHBOARD_ERROR_DUPLICATE,
} TandemDashboardError;

GQuark tandem_dashboard_error_quark (void) G_GNUC_CONST;

/* Limits a layout must keep (a bigger one is TANDEM_DASHBOARD_ERROR_TOO_LARGE
 * or _INVALID): one dashboard row should stay small, and every series is a
 * query and a channel. */
#define TANDEM_DASHBOARD_MAX_WIDGETS      64
#define TANDEM_WIDGET_MAX_SERIES          8
#define TANDEM_WIDGET_MAX_WINDOW_POINTS   10000
#define TANDEM_WIDGET_MAX_WINDOW_SECONDS  (31 * 24 * 3600)
#define TANDEM_WIDGET_MAX_BUCKET_SECONDS  (24 * 3600)
#define TANDEM_WIDGET_MAX_GRID            64
#define TANDEM_WIDGET_MAX_SPAN            4
#define TANDEM_DASHBOARD_MAX_STRING       1024

#define TANDEM_WIDGET_DEFAULT_WINDOW_POINTS  50
#define TANDEM_WIDGET_DEFAULT_BUCKET_SECONDS 10

/* ---- TandemDashboardLayout ---- */

#define TANDEM_TYPE_DASHBOARD_LAYOUT (tandem_dashboard_layout_get_type ())
GType                  tandem_dashboard_layout_get_type        (void) G_GNUC_CONST;

TandemDashboardLayout *tandem_dashboard_layout_new             (void);
/* Reads a layout strictly: wrong types, values out of range, duplicate
 * ids, bad filters and oversized arrays are errors in
 * TANDEM_DASHBOARD_ERROR; missing optional members take their defaults;
 * unknown members and widget kinds are kept for writing back. */
TandemDashboardLayout *tandem_dashboard_layout_new_from_json   (JsonNode              *node,
                                                                GError               **error);
TandemDashboardLayout *tandem_dashboard_layout_new_from_string (const char            *text,
                                                                GError               **error);
TandemDashboardLayout *tandem_dashboard_layout_ref             (TandemDashboardLayout *self);
void                   tandem_dashboard_layout_unref           (TandemDashboardLayout *self);
TandemDashboardLayout *tandem_dashboard_layout_copy            (TandemDashboardLayout *self);
gboolean               tandem_dashboard_layout_equal           (TandemDashboardLayout *a,
                                                                TandemDashboardLayout *b);

JsonNode              *tandem_dashboard_layout_to_json         (TandemDashboardLayout *self);
char                  *tandem_dashboard_layout_to_string       (TandemDashboardLayout *self);

guint                  tandem_dashboard_layout_get_n_widgets   (TandemDashboardLayout *self);
/* (transfer none) */
TandemWidgetSpec      *tandem_dashboard_layout_get_widget      (TandemDashboardLayout *self,
                                                                guint                  index);
/* (transfer none) (nullable) */
TandemWidgetSpec      *tandem_dashboard_layout_lookup_widget   (TandemDashboardLayout *self,
                                                                const char            *id);
/* Adds @spec at the end, or replaces the widget with its id in place. */
void                   tandem_dashboard_layout_put_widget      (TandemDashboardLayout *self,
                                                                TandemWidgetSpec      *spec);
gboolean               tandem_dashboard_layout_remove_widget   (TandemDashboardLayout *self,
                                                                const char            *id);
/* An id no widget has ("w1", "w2", …). (transfer full) */
char                  *tandem_dashboard_layout_new_widget_id   (TandemDashboardLayout *self);
/* The first free row below every widget (where a new one goes). */
guint                  tandem_dashboard_layout_get_next_row    (TandemDashboardLayout *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemDashboardLayout, tandem_dashboard_layout_unref)

G_END_DECLS
