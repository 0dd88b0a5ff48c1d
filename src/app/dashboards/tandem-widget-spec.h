/* tandem-widget-spec.h: one widget of a dashboard layout (boxed,
 * reference counted)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-dashboards-types.h"
#include "tandem-series-spec.h"

G_BEGIN_DECLS

/**
 * TandemWidgetKind:
 * @TANDEM_WIDGET_LINE: a line chart
 * @TANDEM_WIDGET_BAR: a bar chart
 * @TANDEM_WIDGET_VALUE: a single value with its trend
 * @TANDEM_WIDGET_TABLE: the latest rows
 * @TANDEM_WIDGET_UNSUPPORTED: a kind this version does not know; kept as
 *   it is in the layout and shown as "unsupported widget"
 */
typedef enum
{
  TANDEM_WIDGET_LINE,
  TANDEM_WIDGET_BAR,
  TANDEM_WIDGET_VALUE,
  TANDEM_WIDGET_TABLE,
  TANDEM_WIDGET_UNSUPPORTED,
} TandemWidgetKind;

/* ---- TandemWidgetSpec: one widget of a layout ---- */

#define TANDEM_TYPE_WIDGET_SPEC (tandem_widget_spec_get_type ())
GType              tandem_widget_spec_get_type          (void) G_GNUC_CONST;

/* @kind: "line", "bar", "value", "table" or any other text (unsupported). */
TandemWidgetSpec  *tandem_widget_spec_new               (const char       *id,
                                                         const char       *kind);
TandemWidgetSpec  *tandem_widget_spec_ref               (TandemWidgetSpec *self);
void               tandem_widget_spec_unref             (TandemWidgetSpec *self);
TandemWidgetSpec  *tandem_widget_spec_copy              (TandemWidgetSpec *self);
/* Everything equal, position and unknown members included. */
gboolean           tandem_widget_spec_equal             (TandemWidgetSpec *a,
                                                         TandemWidgetSpec *b);
/* What the data binding depends on is equal: kind, series, bucket, window
 * and broadcast (not the title or the position). */
gboolean           tandem_widget_spec_equal_data        (TandemWidgetSpec *a,
                                                         TandemWidgetSpec *b);

const char        *tandem_widget_spec_get_id            (TandemWidgetSpec *self);
TandemWidgetKind   tandem_widget_spec_get_kind          (TandemWidgetSpec *self);
/* The kind as written in the layout. */
const char        *tandem_widget_spec_get_kind_name     (TandemWidgetSpec *self);
const char        *tandem_widget_spec_get_title         (TandemWidgetSpec *self);
guint              tandem_widget_spec_get_n_series      (TandemWidgetSpec *self);
/* (transfer none) */
TandemSeriesSpec  *tandem_widget_spec_get_series        (TandemWidgetSpec *self,
                                                         guint             index);
guint              tandem_widget_spec_get_bucket_seconds (TandemWidgetSpec *self);
guint              tandem_widget_spec_get_window_points (TandemWidgetSpec *self);
guint              tandem_widget_spec_get_window_seconds (TandemWidgetSpec *self);
gboolean           tandem_widget_spec_get_broadcast     (TandemWidgetSpec *self);
void               tandem_widget_spec_get_position      (TandemWidgetSpec *self,
                                                         guint            *x,
                                                         guint            *y,
                                                         guint            *width,
                                                         guint            *height);

void               tandem_widget_spec_set_kind          (TandemWidgetSpec *self,
                                                         const char       *kind);
void               tandem_widget_spec_set_title         (TandemWidgetSpec *self,
                                                         const char       *title);
void               tandem_widget_spec_add_series        (TandemWidgetSpec *self,
                                                         TandemSeriesSpec *series);
void               tandem_widget_spec_clear_series      (TandemWidgetSpec *self);
void               tandem_widget_spec_set_bucket_seconds (TandemWidgetSpec *self,
                                                         guint             seconds);
void               tandem_widget_spec_set_window_points (TandemWidgetSpec *self,
                                                         guint             points);
void               tandem_widget_spec_set_window_seconds (TandemWidgetSpec *self,
                                                         guint             seconds);
void               tandem_widget_spec_set_broadcast     (TandemWidgetSpec *self,
                                                         gboolean          broadcast);
void               tandem_widget_spec_set_position      (TandemWidgetSpec *self,
                                                         guint             x,
                                                         guint             y,
                                                         guint             width,
                                                         guint             height);

/* Checks what parsing checks (ranges, identifiers, the filters, a bucket
 * for aggregated series). */
gboolean           tandem_widget_spec_validate          (TandemWidgetSpec *self,
                                                         GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemWidgetSpec, tandem_widget_spec_unref)

G_END_DECLS
