/* tandem-series-spec.h: one series of a dashboard widget (boxed,
 * reference counted)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

/* ---- TandemSeriesSpec: one series of a widget ---- */

#define TANDEM_TYPE_SERIES_SPEC (tandem_series_spec_get_type ())
GType              tandem_series_spec_get_type          (void) G_GNUC_CONST;

/* Defaults: label "", table "analytics_events", filter "", time column
 * "created_at", value column "value", aggregation "none". */
TandemSeriesSpec  *tandem_series_spec_new               (void);
TandemSeriesSpec  *tandem_series_spec_ref               (TandemSeriesSpec *self);
void               tandem_series_spec_unref             (TandemSeriesSpec *self);
TandemSeriesSpec  *tandem_series_spec_copy              (TandemSeriesSpec *self);
gboolean           tandem_series_spec_equal             (TandemSeriesSpec *a,
                                                         TandemSeriesSpec *b);

const char        *tandem_series_spec_get_label         (TandemSeriesSpec *self);
const char        *tandem_series_spec_get_table         (TandemSeriesSpec *self);
const char        *tandem_series_spec_get_filter        (TandemSeriesSpec *self);
const char        *tandem_series_spec_get_time_column   (TandemSeriesSpec *self);
const char        *tandem_series_spec_get_value_column  (TandemSeriesSpec *self);
TandemAggregation  tandem_series_spec_get_aggregation   (TandemSeriesSpec *self);
/* Setters are for building a spec (the editor) before it is shared. */
void               tandem_series_spec_set_label         (TandemSeriesSpec *self,
                                                         const char       *label);
void               tandem_series_spec_set_table         (TandemSeriesSpec *self,
                                                         const char       *table);
void               tandem_series_spec_set_filter        (TandemSeriesSpec *self,
                                                         const char       *filter);
void               tandem_series_spec_set_time_column   (TandemSeriesSpec *self,
                                                         const char       *column);
void               tandem_series_spec_set_value_column  (TandemSeriesSpec *self,
                                                         const char       *column);
void               tandem_series_spec_set_aggregation   (TandemSeriesSpec *self,
                                                         TandemAggregation aggregation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemSeriesSpec, tandem_series_spec_unref)

G_END_DECLS
