/* tandem-series.c: the points of one series, ordered by time
 *
 * Storage is two arrays (times, values) with the live points at
 * [start, start + n): dropping old points only advances start, and the
 * arrays are compacted when the free room at the end runs out and at least
 * half of them is dead (amortised O(1) per point). A min/max tree over the
 * values array answers range queries for decimation and the value axis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-series"

#include "config.h"

#include <math.h>

#include "tandem-series.h"
#include "tandem-minmax-tree-private.h"

struct _TandemSeries
{
  GObject           parent_instance;

  char             *label;
  guint             max_points;
  gint64            max_age;

  gint64           *times;
  double           *values;
  gsize             start;
  gsize             n;
  gsize             capacity;
  TandemMinMaxTree  tree;

  guint64           generation;
  guint             frozen;
};

G_DEFINE_FINAL_TYPE (TandemSeries, tandem_series, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_MAX_POINTS,
  PROP_MAX_AGE,
  PROP_N_POINTS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
emit_changed (TandemSeries *self)
{
  self->generation++;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tandem_series_finalize (GObject *object)
{
  TandemSeries *self = (TandemSeries *) object;

  g_free (self->label);
  g_free (self->times);
  g_free (self->values);
  _tandem_minmax_tree_clear (&self->tree);

  G_OBJECT_CLASS (tandem_series_parent_class)->finalize (object);
}

static void
tandem_series_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TandemSeries *self = TANDEM_SERIES (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_MAX_POINTS:
      g_value_set_uint (value, self->max_points);
      break;
    case PROP_MAX_AGE:
      g_value_set_int64 (value, self->max_age);
      break;
    case PROP_N_POINTS:
      g_value_set_uint (value, (guint) self->n);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_series_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TandemSeries *self = TANDEM_SERIES (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      tandem_series_set_label (self, g_value_get_string (value));
      break;
    case PROP_MAX_POINTS:
      tandem_series_set_max_points (self, g_value_get_uint (value));
      break;
    case PROP_MAX_AGE:
      tandem_series_set_max_age (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_series_class_init (TandemSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_series_finalize;
  object_class->get_property = tandem_series_get_property;
  object_class->set_property = tandem_series_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_POINTS] =
    g_param_spec_uint ("max-points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_AGE] =
    g_param_spec_int64 ("max-age", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemSeries::changed:
   *
   * Points were added, changed or dropped (once per call that changed
   * something; n-points is not notified, for speed).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tandem_series_init (TandemSeries *self)
{
  self->label = g_strdup ("");
  _tandem_minmax_tree_init (&self->tree);
}

TandemSeries *
tandem_series_new (const char *label)
{
  return g_object_new (TANDEM_TYPE_SERIES, "label", label ? label : "", NULL);
}

TandemSeries *
tandem_series_copy (TandemSeries *self)
{
  TandemSeries *copy;

  g_return_val_if_fail (TANDEM_IS_SERIES (self), NULL);

  copy = tandem_series_new (self->label);
  copy->max_points = self->max_points;
  copy->max_age = self->max_age;
  copy->capacity = MAX (self->n, 1);
  copy->times = g_new (gint64, copy->capacity);
  copy->values = g_new (double, copy->capacity);
  if (self->n > 0)
    {
      memcpy (copy->times, self->times + self->start, self->n * sizeof (gint64));
      memcpy (copy->values, self->values + self->start, self->n * sizeof (double));
    }
  copy->n = self->n;
  _tandem_minmax_tree_rebuild (&copy->tree, copy->values, copy->capacity, copy->n);
  return copy;
}

const char *
tandem_series_get_label (TandemSeries *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), NULL);
  return self->label;
}

void
tandem_series_set_label (TandemSeries *self,
                         const char   *label)
{
  g_return_if_fail (TANDEM_IS_SERIES (self));

  if (label == NULL)
    label = "";
  if (g_strcmp0 (self->label, label) == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

guint
tandem_series_get_max_points (TandemSeries *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), 0);
  return self->max_points;
}

gint64
tandem_series_get_max_age (TandemSeries *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), 0);
  return self->max_age;
}

/* Drops what the window no longer holds; TRUE if anything went. */
static gboolean
evict (TandemSeries *self)
{
  gsize drop = 0;

  if (self->n == 0)
    return FALSE;
  if (self->max_points > 0 && self->n > self->max_points)
    drop = self->n - self->max_points;
  if (self->max_age > 0)
    {
      gint64 newest = self->times[self->start + self->n - 1];
      gint64 oldest_kept = newest - self->max_age;

      while (drop < self->n && self->times[self->start + drop] < oldest_kept)
        drop++;
    }
  if (drop == 0)
    return FALSE;
  self->start += drop;
  self->n -= drop;
  if (self->n == 0)
    self->start = 0;
  return TRUE;
}

void
tandem_series_set_max_points (TandemSeries *self,
                              guint         max_points)
{
  g_return_if_fail (TANDEM_IS_SERIES (self));

  if (self->max_points == max_points)
    return;
  self->max_points = max_points;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_POINTS]);
  if (evict (self))
    emit_changed (self);
}

void
tandem_series_set_max_age (TandemSeries *self,
                           gint64        max_age_usec)
{
  g_return_if_fail (TANDEM_IS_SERIES (self));
  g_return_if_fail (max_age_usec >= 0);

  if (self->max_age == max_age_usec)
    return;
  self->max_age = max_age_usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_AGE]);
  if (evict (self))
    emit_changed (self);
}

/* Room for one more point at the end of the arrays. */
static void
reserve_one (TandemSeries *self)
{
  gsize new_capacity;

  if (self->start + self->n < self->capacity)
    return;

  if (self->start > 0 && self->start >= self->n)
    {
      /* Compact: at least as much room is gained as there are points. */
      memmove (self->times, self->times + self->start, self->n * sizeof (gint64));
      memmove (self->values, self->values + self->start, self->n * sizeof (double));
      self->start = 0;
      _tandem_minmax_tree_rebuild (&self->tree, self->values, self->capacity, self->n);
      return;
    }

  new_capacity = MAX (64, self->capacity * 2);
  if (self->max_points > 0)
    new_capacity = MIN (new_capacity, MAX (64, (gsize) self->max_points * 2));
  if (new_capacity <= self->n)
    new_capacity = self->n * 2;
  if (self->start > 0)
    {
      memmove (self->times, self->times + self->start, self->n * sizeof (gint64));
      memmove (self->values, self->values + self->start, self->n * sizeof (double));
      self->start = 0;
    }
  self->times = g_renew (gint64, self->times, new_capacity);
  self->values = g_renew (double, self->values, new_capacity);
  self->capacity = new_capacity;
  _tandem_minmax_tree_rebuild (&self->tree, self->values, self->capacity, self->n);
}

static gboolean
outside_window (TandemSeries *self,
                gint64        time_usec)
{
  if (self->n == 0)
    return FALSE;
  if (self->max_age > 0 &&
      time_usec < self->times[self->start + self->n - 1] - self->max_age)
    return TRUE;
  /* A full window by count keeps the newest points: an older one than all
   * would be dropped at once. */
  if (self->max_points > 0 && self->n >= self->max_points &&
      time_usec < self->times[self->start])
    return TRUE;
  return FALSE;
}

/* First index (relative to start) with time > @t. */
static gsize
upper_bound (TandemSeries *self,
             gint64        t)
{
  const gint64 *times = self->times + self->start;
  gsize lo = 0, hi = self->n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (times[mid] <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gsize
lower_bound (TandemSeries *self,
             gint64        t)
{
  const gint64 *times = self->times + self->start;
  gsize lo = 0, hi = self->n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (times[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
insert_at (TandemSeries *self,
           gsize         pos,
           gint64        time_usec,
           double        value)
{
  gsize phys;

  reserve_one (self);
  phys = self->start + pos;
  if (pos < self->n)
    {
      memmove (self->times + phys + 1, self->times + phys, (self->n - pos) * sizeof (gint64));
      memmove (self->values + phys + 1, self->values + phys, (self->n - pos) * sizeof (double));
    }
  self->times[phys] = time_usec;
  self->values[phys] = value;
  self->n++;
  if (pos + 1 == self->n)
    _tandem_minmax_tree_append (&self->tree, self->values, phys);
  else
    _tandem_minmax_tree_update (&self->tree, self->values, phys,
                                self->start + self->n, self->start + self->n);
}

gboolean
tandem_series_add (TandemSeries *self,
                   gint64        time_usec,
                   double        value)
{
  gsize pos;

  g_return_val_if_fail (TANDEM_IS_SERIES (self), FALSE);

  if (!isfinite (value) || outside_window (self, time_usec))
    return FALSE;

  if (self->n == 0 || time_usec >= self->times[self->start + self->n - 1])
    pos = self->n;
  else
    pos = upper_bound (self, time_usec);
  insert_at (self, pos, time_usec, value);
  if (!self->frozen)
    {
      evict (self);
      emit_changed (self);
    }
  return TRUE;
}

gboolean
tandem_series_upsert (TandemSeries *self,
                      gint64        time_usec,
                      double        value)
{
  gsize pos;

  g_return_val_if_fail (TANDEM_IS_SERIES (self), FALSE);

  if (!isfinite (value))
    return FALSE;
  if (self->n > 0 && time_usec == self->times[self->start + self->n - 1])
    pos = self->n - 1;
  else
    pos = lower_bound (self, time_usec);

  if (pos < self->n && self->times[self->start + pos] == time_usec)
    {
      gsize phys = self->start + pos;

      if (self->values[phys] == value)
        return TRUE;
      self->values[phys] = value;
      _tandem_minmax_tree_update (&self->tree, self->values, phys, phys + 1,
                                  self->start + self->n);
      if (!self->frozen)
        emit_changed (self);
      return TRUE;
    }

  if (outside_window (self, time_usec))
    return FALSE;
  insert_at (self, pos, time_usec, value);
  if (!self->frozen)
    {
      evict (self);
      emit_changed (self);
    }
  return TRUE;
}

void
tandem_series_remove_before (TandemSeries *self,
                             gint64        time_usec)
{
  gsize drop;

  g_return_if_fail (TANDEM_IS_SERIES (self));

  drop = lower_bound (self, time_usec);
  if (drop == 0)
    return;
  self->start += drop;
  self->n -= drop;
  if (self->n == 0)
    self->start = 0;
  emit_changed (self);
}

void
tandem_series_clear (TandemSeries *self)
{
  g_return_if_fail (TANDEM_IS_SERIES (self));

  if (self->n == 0)
    return;
  self->start = 0;
  self->n = 0;
  emit_changed (self);
}

guint
tandem_series_get_n_points (TandemSeries *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), 0);
  return (guint) self->n;
}

gint64
tandem_series_get_time (TandemSeries *self,
                        guint         index)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), 0);
  g_return_val_if_fail (index < self->n, 0);
  return self->times[self->start + index];
}

double
tandem_series_get_value (TandemSeries *self,
                         guint         index)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), 0);
  g_return_val_if_fail (index < self->n, 0);
  return self->values[self->start + index];
}

const gint64 *
tandem_series_get_times (TandemSeries *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), NULL);
  return self->times ? self->times + self->start : NULL;
}

const double *
tandem_series_get_values (TandemSeries *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), NULL);
  return self->values ? self->values + self->start : NULL;
}

guint
tandem_series_lower_bound (TandemSeries *self,
                           gint64        time_usec)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), 0);
  return (guint) lower_bound (self, time_usec);
}

gboolean
tandem_series_nearest (TandemSeries *self,
                       gint64        time_usec,
                       guint        *index)
{
  gsize pos;

  g_return_val_if_fail (TANDEM_IS_SERIES (self), FALSE);

  if (self->n == 0)
    return FALSE;
  pos = lower_bound (self, time_usec);
  if (pos == self->n)
    pos--;
  else if (pos > 0)
    {
      gint64 before = time_usec - self->times[self->start + pos - 1];
      gint64 after = self->times[self->start + pos] - time_usec;

      if (before <= after)
        pos--;
    }
  if (index != NULL)
    *index = (guint) pos;
  return TRUE;
}

gboolean
tandem_series_range_minmax (TandemSeries *self,
                            guint         begin,
                            guint         end,
                            double       *min_value,
                            double       *max_value,
                            guint64      *n_ops)
{
  double lo, hi;

  g_return_val_if_fail (TANDEM_IS_SERIES (self), FALSE);

  end = MIN (end, self->n);
  if (begin >= end)
    return FALSE;
  _tandem_minmax_tree_query (&self->tree, self->values,
                             self->start + begin, self->start + end,
                             &lo, &hi, n_ops);
  if (min_value != NULL)
    *min_value = lo;
  if (max_value != NULL)
    *max_value = hi;
  return TRUE;
}

gboolean
tandem_series_get_extents (TandemSeries *self,
                           gint64       *min_time,
                           gint64       *max_time,
                           double       *min_value,
                           double       *max_value)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), FALSE);

  if (self->n == 0)
    return FALSE;
  if (min_time != NULL)
    *min_time = self->times[self->start];
  if (max_time != NULL)
    *max_time = self->times[self->start + self->n - 1];
  return tandem_series_range_minmax (self, 0, (guint) self->n, min_value, max_value, NULL);
}

guint64
tandem_series_get_generation (TandemSeries *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES (self), 0);
  return self->generation;
}

void
tandem_series_freeze_changed (TandemSeries *self)
{
  g_return_if_fail (TANDEM_IS_SERIES (self));
  self->frozen++;
}

void
tandem_series_thaw_changed (TandemSeries *self)
{
  g_return_if_fail (TANDEM_IS_SERIES (self));
  g_return_if_fail (self->frozen > 0);

  if (--self->frozen == 0)
    {
      evict (self);
      emit_changed (self);
    }
}
