/* tandem-axis-ticks.h: "nice" axis ticks: 1-2-5 steps for values,
 * calendar units for times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double first;     /* the first tick, >= the range's minimum */
  double step;      /* 1, 2 or 5 × 10^k */
  guint  n_ticks;   /* ticks first, first + step, … within the range */
  int    decimals;  /* digits after the point that labels need */
} TandemTicks;

/* Ticks for [@min, @max] with at most @max_ticks of them (>= 2). A range
 * of zero width is widened around its value. Returns FALSE only for
 * non-finite input. */
gboolean  tandem_ticks_compute        (double        min,
                                       double        max,
                                       guint         max_ticks,
                                       TandemTicks  *ticks);
/* Widens [*min, *max] to multiples of the step and recomputes @ticks
 * over it (the value axis uses this so the top tick is at the top). */
gboolean  tandem_ticks_compute_bounds (double       *min,
                                       double       *max,
                                       guint         max_ticks,
                                       TandemTicks  *ticks);
/* The label of @value: @ticks->decimals digits, thousands as k, M, G. */
char     *tandem_ticks_format         (const TandemTicks *ticks,
                                       double             value);

typedef enum
{
  TANDEM_TIME_UNIT_MILLISECOND,
  TANDEM_TIME_UNIT_SECOND,
  TANDEM_TIME_UNIT_MINUTE,
  TANDEM_TIME_UNIT_HOUR,
  TANDEM_TIME_UNIT_DAY,
} TandemTimeUnit;

typedef struct
{
  gint64         first;     /* µs since the epoch */
  gint64         step;      /* µs: 1, 2, 5 … ms; 1, 2, 5, 10, 15, 30 s and min; 1, 2, 3, 6, 12 h; 1, 2, 7 … days */
  guint          n_ticks;
  TandemTimeUnit unit;      /* what labels show down to */
} TandemTimeTicks;

/* Ticks for [@t0, @t1] (µs) with at most @max_ticks, on round local times
 * of @tz (NULL: local): whole minutes at 10:15, 10:30, midnight for days. */
gboolean  tandem_time_ticks_compute   (gint64           t0,
                                       gint64           t1,
                                       guint            max_ticks,
                                       GTimeZone       *tz,
                                       TandemTimeTicks *ticks);
/* "10:15", "10:15:30", "10:15:30.250" or "Mar 3", by the unit. */
char     *tandem_time_ticks_format    (const TandemTimeTicks *ticks,
                                       gint64                 t,
                                       GTimeZone             *tz);
/* The full time of a point for tooltips and CSV-like text:
 * "2026-03-03 10:15:30.250" in @tz. */
char     *tandem_format_time_full     (gint64      t,
                                       GTimeZone  *tz);

G_END_DECLS
