/* tandem-aggregator.h: time buckets fed point by point into a series
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_AGGREGATOR (tandem_aggregator_get_type ())
G_DECLARE_FINAL_TYPE (TandemAggregator, tandem_aggregator, TANDEM, AGGREGATOR, GObject)

/* Points added are aggregated per bucket of @bucket_usec (aligned to the
 * epoch) into @series: one point per bucket, at the bucket's start, its
 * value updated as points arrive (late ones included, as long as their
 * bucket is still in the series' window). With TANDEM_AGGREGATION_NONE
 * every point goes to @series as it is. */
TandemAggregator  *tandem_aggregator_new             (TandemAggregation  aggregation,
                                                      gint64             bucket_usec,
                                                      TandemSeries      *series);

TandemAggregation  tandem_aggregator_get_aggregation (TandemAggregator  *self);
gint64             tandem_aggregator_get_bucket      (TandemAggregator  *self);
/* (transfer none) */
TandemSeries      *tandem_aggregator_get_series      (TandemAggregator  *self);

/* FALSE when the point was dropped (outside the window, or not finite). */
gboolean           tandem_aggregator_add             (TandemAggregator  *self,
                                                      gint64             time_usec,
                                                      double             value);
void               tandem_aggregator_clear           (TandemAggregator  *self);
/* Buckets held (as many as the series has points, but for NONE: 0). */
guint              tandem_aggregator_get_n_buckets   (TandemAggregator  *self);

/* "none", "count", "sum", "avg", "min", "max". */
const char        *tandem_aggregation_to_string      (TandemAggregation  aggregation);
gboolean           tandem_aggregation_from_string    (const char        *text,
                                                      TandemAggregation *aggregation);

G_END_DECLS
