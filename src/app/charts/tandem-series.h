/* tandem-series.h: a series buffer: points (time, value) kept ordered by
 * time, in a rolling window of N points or a time span
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_SERIES (tandem_series_get_type ())
G_DECLARE_FINAL_TYPE (TandemSeries, tandem_series, TANDEM, SERIES, GObject)

TandemSeries  *tandem_series_new            (const char   *label);
/* A frozen copy of the points (window settings included). */
TandemSeries  *tandem_series_copy           (TandemSeries *self);

const char    *tandem_series_get_label      (TandemSeries *self);
void           tandem_series_set_label      (TandemSeries *self,
                                             const char   *label);

/* The rolling window: at most @max_points points (0: no limit), and no
 * point older than @max_age_usec before the newest one (0: no limit). */
guint          tandem_series_get_max_points (TandemSeries *self);
void           tandem_series_set_max_points (TandemSeries *self,
                                             guint         max_points);
gint64         tandem_series_get_max_age    (TandemSeries *self);
void           tandem_series_set_max_age    (TandemSeries *self,
                                             gint64        max_age_usec);

/* Adds a point in time order (a late point is inserted where it belongs,
 * a point at the time of an existing one goes after it). Returns FALSE
 * when the point is outside the window and was dropped at once. */
gboolean       tandem_series_add            (TandemSeries *self,
                                             gint64        time_usec,
                                             double        value);
/* Sets the value of the point at @time_usec, adding it when there is none
 * (what a bucket uses). Same return value as tandem_series_add(). */
gboolean       tandem_series_upsert         (TandemSeries *self,
                                             gint64        time_usec,
                                             double        value);
/* Drops the points before @time_usec. */
void           tandem_series_remove_before  (TandemSeries *self,
                                             gint64        time_usec);
void           tandem_series_clear          (TandemSeries *self);

guint          tandem_series_get_n_points   (TandemSeries *self);
gint64         tandem_series_get_time       (TandemSeries *self,
                                             guint         index);
double         tandem_series_get_value      (TandemSeries *self,
                                             guint         index);
/* The contiguous arrays of get_n_points() elements (transfer none, valid
 * until the next change). */
const gint64  *tandem_series_get_times      (TandemSeries *self);
const double  *tandem_series_get_values     (TandemSeries *self);
/* The index of the first point at or after @time_usec (n_points if none). */
guint          tandem_series_lower_bound    (TandemSeries *self,
                                             gint64        time_usec);
/* The point nearest to @time_usec; FALSE when the series is empty. */
gboolean       tandem_series_nearest        (TandemSeries *self,
                                             gint64        time_usec,
                                             guint        *index);
/* The smallest and largest value of points [@begin, @end), exact, in
 * O(log n) (a min/max tree kept with the points). FALSE if empty. */
gboolean       tandem_series_range_minmax   (TandemSeries *self,
                                             guint         begin,
                                             guint         end,
                                             double       *min_value,
                                             double       *max_value,
                                             guint64      *n_ops);
gboolean       tandem_series_get_extents    (TandemSeries *self,
                                             gint64       *min_time,
                                             gint64       *max_time,
                                             double       *min_value,
                                             double       *max_value);
/* Between freeze and thaw, adding neither applies the window nor emits
 * "changed"; the last thaw does both once (a page of REST rows). */
void           tandem_series_freeze_changed (TandemSeries *self);
void           tandem_series_thaw_changed   (TandemSeries *self);
/* Bumped on every change ("changed" is emitted with it). */
guint64        tandem_series_get_generation (TandemSeries *self);

G_END_DECLS
