/* tandem-aggregator.c: incremental per-bucket count/sum/avg/min/max
 *
 * Each bucket keeps count, sum, min and max, so any aggregation of it is
 * O(1) to update; buckets are an array ordered by start (a new point
 * almost always lands in the last one). Buckets follow the series'
 * window: once the series dropped a bucket's point, the bucket goes too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-aggregator"

#include "config.h"

#include <math.h>

#include "tandem-aggregator.h"
#include "tandem-series.h"

typedef struct
{
  gint64  start;
  guint64 count;
  double  sum;
  double  min;
  double  max;
} Bucket;

struct _TandemAggregator
{
  GObject            parent_instance;

  TandemAggregation  aggregation;
  gint64             bucket;
  TandemSeries      *series;
  GArray            *buckets;   /* of Bucket, by start */
};

G_DEFINE_FINAL_TYPE (TandemAggregator, tandem_aggregator, G_TYPE_OBJECT)

static const char * const aggregation_names[] = {
  [TANDEM_AGGREGATION_NONE] = "none",
  [TANDEM_AGGREGATION_COUNT] = "count",
  [TANDEM_AGGREGATION_SUM] = "sum",
  [TANDEM_AGGREGATION_AVG] = "avg",
  [TANDEM_AGGREGATION_MIN] = "min",
  [TANDEM_AGGREGATION_MAX] = "max",
};

const char *
tandem_aggregation_to_string (TandemAggregation aggregation)
{
  g_return_val_if_fail (aggregation <= TANDEM_AGGREGATION_MAX, "none");
  return aggregation_names[aggregation];
}

gboolean
tandem_aggregation_from_string (const char        *text,
                                TandemAggregation *aggregation)
{
  for (guint i = 0; i < G_N_ELEMENTS (aggregation_names); i++)
    if (g_strcmp0 (text, aggregation_names[i]) == 0)
      {
        *aggregation = i;
        return TRUE;
      }
  return FALSE;
}

static void
tandem_aggregator_finalize (GObject *object)
{
  TandemAggregator *self = (TandemAggregator *) object;

  g_clear_object (&self->series);
  g_array_unref (self->buckets);

  G_OBJECT_CLASS (tandem_aggregator_parent_class)->finalize (object);
}

static void
tandem_aggregator_class_init (TandemAggregatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tandem_aggregator_finalize;
}

static void
tandem_aggregator_init (TandemAggregator *self)
{
  self->buckets = g_array_new (FALSE, FALSE, sizeof (Bucket));
}

TandemAggregator *
tandem_aggregator_new (TandemAggregation  aggregation,
                       gint64             bucket_usec,
                       TandemSeries      *series)
{
  TandemAggregator *self;

  g_return_val_if_fail (aggregation <= TANDEM_AGGREGATION_MAX, NULL);
  g_return_val_if_fail (aggregation == TANDEM_AGGREGATION_NONE || bucket_usec > 0, NULL);
  g_return_val_if_fail (TANDEM_IS_SERIES (series), NULL);

  self = g_object_new (TANDEM_TYPE_AGGREGATOR, NULL);
  self->aggregation = aggregation;
  self->bucket = bucket_usec;
  self->series = g_object_ref (series);
  return self;
}

TandemAggregation
tandem_aggregator_get_aggregation (TandemAggregator *self)
{
  g_return_val_if_fail (TANDEM_IS_AGGREGATOR (self), TANDEM_AGGREGATION_NONE);
  return self->aggregation;
}

gint64
tandem_aggregator_get_bucket (TandemAggregator *self)
{
  g_return_val_if_fail (TANDEM_IS_AGGREGATOR (self), 0);
  return self->bucket;
}

TandemSeries *
tandem_aggregator_get_series (TandemAggregator *self)
{
  g_return_val_if_fail (TANDEM_IS_AGGREGATOR (self), NULL);
  return self->series;
}

guint
tandem_aggregator_get_n_buckets (TandemAggregator *self)
{
  g_return_val_if_fail (TANDEM_IS_AGGREGATOR (self), 0);
  return self->buckets->len;
}

static double
bucket_value (TandemAggregation  aggregation,
              const Bucket      *b)
{
  switch (aggregation)
    {
    case TANDEM_AGGREGATION_COUNT:
      return (double) b->count;
    case TANDEM_AGGREGATION_SUM:
      return b->sum;
    case TANDEM_AGGREGATION_AVG:
      return b->count > 0 ? b->sum / (double) b->count : 0.0;
    case TANDEM_AGGREGATION_MIN:
      return b->min;
    case TANDEM_AGGREGATION_MAX:
      return b->max;
    case TANDEM_AGGREGATION_NONE:
    default:
      g_assert_not_reached ();
    }
  return 0.0;
}

static gint64
bucket_start (gint64 t,
              gint64 size)
{
  gint64 q = t / size;

  /* Floor, also before the epoch. */
  if (t % size != 0 && t < 0)
    q--;
  return q * size;
}

/* Index of the first bucket with start >= @start. */
static guint
find_bucket (TandemAggregator *self,
             gint64            start)
{
  guint lo = 0, hi = self->buckets->len;

  if (hi > 0 && g_array_index (self->buckets, Bucket, hi - 1).start < start)
    return hi;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->buckets, Bucket, mid).start < start)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Buckets whose point the series' window dropped. */
static void
prune (TandemAggregator *self)
{
  guint n_points = tandem_series_get_n_points (self->series);
  guint drop;

  if (n_points == 0)
    {
      g_array_set_size (self->buckets, 0);
      return;
    }
  drop = find_bucket (self, tandem_series_get_time (self->series, 0));
  if (drop > 0)
    g_array_remove_range (self->buckets, 0, drop);
}

/* A count or a sum over a bucket without events is 0, not a gap the line
 * would bridge: the empty buckets between the new one at @pos and its
 * neighbours get a 0 point (without a window, a gap of more than MAX_FILL
 * buckets is left alone). */
#define MAX_FILL 10000

static void
fill_range (TandemAggregator *self,
            gint64            from,
            gint64            to)
{
  guint limit = tandem_series_get_max_points (self->series);
  gint64 n = (to - from) / self->bucket;

  if (n <= 0)
    return;
  /* More empty buckets than the window holds: only the newest ones stay
   * in it anyway. */
  if (limit > 0 && n > limit)
    from = to - (gint64) limit * self->bucket;
  else if (limit == 0 && n > MAX_FILL)
    return;
  for (gint64 start = from; start < to; start += self->bucket)
    {
      Bucket zero = { .start = start, .count = 0, .sum = 0, .min = 0, .max = 0 };

      if (tandem_series_upsert (self->series, start, 0))
        g_array_insert_val (self->buckets, find_bucket (self, start), zero);
    }
}

static void
fill_gaps (TandemAggregator *self,
           guint             pos)
{
  gint64 start = g_array_index (self->buckets, Bucket, pos).start;
  gint64 before = pos > 0 ? g_array_index (self->buckets, Bucket, pos - 1).start : start;
  gint64 after = pos + 1 < self->buckets->len ? g_array_index (self->buckets, Bucket, pos + 1).start : start;

  if (self->aggregation != TANDEM_AGGREGATION_COUNT && self->aggregation != TANDEM_AGGREGATION_SUM)
    return;
  tandem_series_freeze_changed (self->series);
  fill_range (self, before + self->bucket, start);
  fill_range (self, start + self->bucket, after);
  tandem_series_thaw_changed (self->series);
}

gboolean
tandem_aggregator_add (TandemAggregator *self,
                       gint64            time_usec,
                       double            value)
{
  Bucket b;
  gint64 start;
  guint pos;
  gboolean exists;

  g_return_val_if_fail (TANDEM_IS_AGGREGATOR (self), FALSE);

  if (!isfinite (value))
    return FALSE;
  if (self->aggregation == TANDEM_AGGREGATION_NONE)
    return tandem_series_add (self->series, time_usec, value);

  start = bucket_start (time_usec, self->bucket);
  pos = find_bucket (self, start);
  exists = pos < self->buckets->len && g_array_index (self->buckets, Bucket, pos).start == start;
  if (exists)
    b = g_array_index (self->buckets, Bucket, pos);
  else
    b = (Bucket) { .start = start, .count = 0, .sum = 0, .min = value, .max = value };

  b.count++;
  b.sum += value;
  b.min = MIN (b.min, value);
  b.max = MAX (b.max, value);

  if (!tandem_series_upsert (self->series, start, bucket_value (self->aggregation, &b)))
    return FALSE;

  if (exists)
    g_array_index (self->buckets, Bucket, pos) = b;
  else
    {
      g_array_insert_val (self->buckets, pos, b);
      fill_gaps (self, pos);
    }
  prune (self);
  return TRUE;
}

void
tandem_aggregator_clear (TandemAggregator *self)
{
  g_return_if_fail (TANDEM_IS_AGGREGATOR (self));

  g_array_set_size (self->buckets, 0);
  tandem_series_clear (self->series);
}
