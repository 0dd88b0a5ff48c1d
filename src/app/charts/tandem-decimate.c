/* tandem-decimate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-decimate"

#include "config.h"

#include "tandem-decimate.h"
#include "tandem-series.h"

/* First index in [lo, hi) with times[index] >= t, counting steps:
 * galloping from lo, so a column of k points costs O(log k). */
static guint
gallop (const gint64 *times,
        guint         lo,
        guint         hi,
        gint64        t,
        guint64      *ops)
{
  guint step = 1;

  while (lo + step < hi && times[lo + step] < t)
    {
      (*ops)++;
      lo += step;
      step *= 2;
    }
  hi = MIN (hi, lo + step);
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      (*ops)++;
      if (times[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* First index in [lo, hi) with times[index] >= t, counting steps. */
static guint
search (const gint64 *times,
        guint         lo,
        guint         hi,
        gint64        t,
        guint64      *ops)
{
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      (*ops)++;
      if (times[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* First index in [lo, hi) with times[index] >= t, galloping from @guess
 * in the direction of the answer: O(log d) for a guess d elements off. */
static guint
search_from (const gint64 *times,
             guint         lo,
             guint         hi,
             guint         guess,
             gint64        t,
             guint64      *ops)
{
  guint step = 1, at_or_after;

  guess = CLAMP (guess, lo, hi);
  if (guess < hi)
    {
      (*ops)++;
      if (times[guess] < t)
        return gallop (times, guess + 1, hi, t, ops);
    }
  /* The answer is at or before guess. */
  at_or_after = guess;
  while (at_or_after > lo)
    {
      guint probe = at_or_after - lo > step ? at_or_after - step : lo;

      (*ops)++;
      if (times[probe] < t)
        return search (times, probe + 1, at_or_after, t, ops);
      at_or_after = probe;
      step *= 2;
    }
  return lo;
}

guint
tandem_decimate (TandemSeries *series,
                 gint64        t0,
                 gint64        t1,
                 guint         n_columns,
                 TandemColumn *columns,
                 guint64      *n_ops)
{
  const gint64 *times;
  const double *values;
  guint n, begin, end_all, filled = 0;
  guint64 ops = 0;
  double span, per_usec;

  g_return_val_if_fail (series != NULL, 0);
  g_return_val_if_fail (n_columns == 0 || columns != NULL, 0);

  if (n_columns > 0)
    memset (columns, 0, sizeof (TandemColumn) * n_columns);
  n = tandem_series_get_n_points (series);
  if (n == 0 || n_columns == 0 || t1 < t0)
    goto out;

  times = tandem_series_get_times (series);
  values = tandem_series_get_values (series);
  begin = search (times, 0, n, t0, &ops);
  /* One past the last point at or before t1. */
  end_all = search (times, begin, n, t1 == G_MAXINT64 ? t1 : t1 + 1, &ops);
  span = (double) (t1 - t0);
  /* Where points spread evenly would put a column's end: usually within
   * a few points of it, so finding it takes a few steps, not a search. */
  per_usec = begin < end_all && times[end_all - 1] > times[begin]
             ? (double) (end_all - begin) / (double) (times[end_all - 1] - times[begin])
             : 0;

  for (guint c = 0; c < n_columns && begin < end_all; c++)
    {
      guint end;
      TandemColumn *col = &columns[c];

      if (c + 1 == n_columns)
        end = end_all;
      else
        {
          gint64 edge = t0 + (gint64) (span * (double) (c + 1) / (double) n_columns);

          /* Usually the next point is past the edge: skip the search. */
          ops++;
          if (times[begin] >= edge)
            continue;
          end = search_from (times, begin, end_all,
                             begin + (guint) MIN ((double) (edge - times[begin]) * per_usec,
                                                  (double) (end_all - begin)),
                             edge, &ops);
        }
      if (end == begin)
        continue;

      col->n_points = end - begin;
      col->first = values[begin];
      col->last = values[end - 1];
      tandem_series_range_minmax (series, begin, end, &col->min, &col->max, &ops);
      filled++;
      begin = end;
    }

out:
  if (n_ops != NULL)
    *n_ops = ops;
  return filled;
}
