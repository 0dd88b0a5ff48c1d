/* tandem-axis-ticks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-axis-ticks"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tandem-axis-ticks.h"

/* The smallest 1-2-5 step giving at most @max_ticks ticks over @span. */
static double
nice_step (double span,
           guint  max_ticks)
{
  double raw = span / (double) MAX (max_ticks - 1, 1);
  double mag = pow (10.0, floor (log10 (raw)));
  double norm = raw / mag;
  double m;

  if (norm <= 1.0 + 1e-9)
    m = 1.0;
  else if (norm <= 2.0 + 1e-9)
    m = 2.0;
  else if (norm <= 5.0 + 1e-9)
    m = 5.0;
  else
    m = 10.0;
  return m * mag;
}

static int
step_decimals (double step)
{
  int d = (int) -floor (log10 (step) + 1e-9);

  return CLAMP (d, 0, 12);
}

static void
widen_if_flat (double *min,
               double *max)
{
  if (*max > *min)
    return;
  if (*min == 0.0)
    {
      *min = -1.0;
      *max = 1.0;
    }
  else
    {
      double pad = fabs (*min) * 0.5;

      *min -= pad;
      *max += pad;
    }
}

gboolean
tandem_ticks_compute (double       min,
                      double       max,
                      guint        max_ticks,
                      TandemTicks *ticks)
{
  double step, first;
  guint n = 0;

  g_return_val_if_fail (ticks != NULL, FALSE);

  memset (ticks, 0, sizeof *ticks);
  if (!isfinite (min) || !isfinite (max))
    return FALSE;
  if (max < min)
    {
      double t = min;
      min = max;
      max = t;
    }
  widen_if_flat (&min, &max);
  max_ticks = MAX (max_ticks, 2);

  step = nice_step (max - min, max_ticks);
  first = ceil (min / step - 1e-9) * step;
  while (first + step * (double) n <= max + step * 1e-9)
    n++;
  /* Rounding at the edges may give one too many. */
  while (n > max_ticks)
    {
      step = nice_step (max - min, --max_ticks);
      first = ceil (min / step - 1e-9) * step;
      n = 0;
      while (first + step * (double) n <= max + step * 1e-9)
        n++;
    }

  ticks->first = first == 0.0 ? 0.0 : first; /* no -0 */
  ticks->step = step;
  ticks->n_ticks = n;
  ticks->decimals = step_decimals (step);
  return TRUE;
}

gboolean
tandem_ticks_compute_bounds (double      *min,
                             double      *max,
                             guint        max_ticks,
                             TandemTicks *ticks)
{
  double lo = *min, hi = *max;

  g_return_val_if_fail (min != NULL && max != NULL && ticks != NULL, FALSE);

  if (!isfinite (lo) || !isfinite (hi))
    return FALSE;
  widen_if_flat (&lo, &hi);
  max_ticks = MAX (max_ticks, 2);
  for (;;)
    {
      double step = nice_step (hi - lo, max_ticks);
      double a = floor (lo / step + 1e-9) * step;
      double b = ceil (hi / step - 1e-9) * step;
      guint n = (guint) llround ((b - a) / step) + 1;

      if (n <= max_ticks || max_ticks <= 2)
        {
          *min = a;
          *max = b;
          ticks->first = a == 0.0 ? 0.0 : a;
          ticks->step = step;
          ticks->n_ticks = n;
          ticks->decimals = step_decimals (step);
          return TRUE;
        }
      max_ticks--;
    }
}

char *
tandem_ticks_format (const TandemTicks *ticks,
                     double             value)
{
  static const struct { double scale; const char *suffix; } units[] = {
    { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" },
  };
  double a = fabs (value);

  g_return_val_if_fail (ticks != NULL, NULL);

  if (fabs (value) < ticks->step * 1e-6)
    value = 0.0;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (a >= units[i].scale && ticks->step >= units[i].scale / 1000.0)
        {
          int d = step_decimals (ticks->step / units[i].scale);

          return g_strdup_printf ("%.*f%s", d, value / units[i].scale, units[i].suffix);
        }
    }
  return g_strdup_printf ("%.*f", ticks->decimals, value);
}

/* ---- time ---- */

#define MS   ((gint64) 1000)
#define SEC  (1000 * MS)
#define MINUTE (60 * SEC)
#define HOUR (60 * MINUTE)
#define DAY  (24 * HOUR)

static const struct
{
  gint64         step;
  TandemTimeUnit unit;
} time_steps[] = {
  { 1 * MS, TANDEM_TIME_UNIT_MILLISECOND }, { 2 * MS, TANDEM_TIME_UNIT_MILLISECOND },
  { 5 * MS, TANDEM_TIME_UNIT_MILLISECOND }, { 10 * MS, TANDEM_TIME_UNIT_MILLISECOND },
  { 20 * MS, TANDEM_TIME_UNIT_MILLISECOND }, { 50 * MS, TANDEM_TIME_UNIT_MILLISECOND },
  { 100 * MS, TANDEM_TIME_UNIT_MILLISECOND }, { 200 * MS, TANDEM_TIME_UNIT_MILLISECOND },
  { 500 * MS, TANDEM_TIME_UNIT_MILLISECOND },
  { 1 * SEC, TANDEM_TIME_UNIT_SECOND }, { 2 * SEC, TANDEM_TIME_UNIT_SECOND },
  { 5 * SEC, TANDEM_TIME_UNIT_SECOND }, { 10 * SEC, TANDEM_TIME_UNIT_SECOND },
  { 15 * SEC, TANDEM_TIME_UNIT_SECOND }, { 30 * SEC, TANDEM_TIME_UNIT_SECOND },
  { 1 * MINUTE, TANDEM_TIME_UNIT_MINUTE }, { 2 * MINUTE, TANDEM_TIME_UNIT_MINUTE },
  { 5 * MINUTE, TANDEM_TIME_UNIT_MINUTE }, { 10 * MINUTE, TANDEM_TIME_UNIT_MINUTE },
  { 15 * MINUTE, TANDEM_TIME_UNIT_MINUTE }, { 30 * MINUTE, TANDEM_TIME_UNIT_MINUTE },
  { 1 * HOUR, TANDEM_TIME_UNIT_MINUTE }, { 2 * HOUR, TANDEM_TIME_UNIT_MINUTE },
  { 3 * HOUR, TANDEM_TIME_UNIT_MINUTE }, { 6 * HOUR, TANDEM_TIME_UNIT_MINUTE },
  { 12 * HOUR, TANDEM_TIME_UNIT_MINUTE },
  { 1 * DAY, TANDEM_TIME_UNIT_DAY }, { 2 * DAY, TANDEM_TIME_UNIT_DAY },
  { 7 * DAY, TANDEM_TIME_UNIT_DAY }, { 14 * DAY, TANDEM_TIME_UNIT_DAY },
  { 30 * DAY, TANDEM_TIME_UNIT_DAY }, { 91 * DAY, TANDEM_TIME_UNIT_DAY },
  { 182 * DAY, TANDEM_TIME_UNIT_DAY }, { 365 * DAY, TANDEM_TIME_UNIT_DAY },
};

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if (a % b != 0 && a < 0)
    q--;
  return q;
}

static gint64
utc_offset_usec (GTimeZone *tz,
                 gint64     t)
{
  gint64 seconds = floor_div (t, SEC);
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, seconds);

  if (interval < 0)
    return 0;
  return (gint64) g_time_zone_get_offset (tz, interval) * SEC;
}

gboolean
tandem_time_ticks_compute (gint64           t0,
                           gint64           t1,
                           guint            max_ticks,
                           GTimeZone       *tz,
                           TandemTimeTicks *ticks)
{
  g_autoptr(GTimeZone) local = NULL;
  gint64 span, step = 0, offset, first;
  TandemTimeUnit unit = TANDEM_TIME_UNIT_DAY;
  guint n = 0;

  g_return_val_if_fail (ticks != NULL, FALSE);

  memset (ticks, 0, sizeof *ticks);
  if (t1 < t0)
    {
      gint64 t = t0;
      t0 = t1;
      t1 = t;
    }
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  max_ticks = MAX (max_ticks, 2);
  span = MAX (t1 - t0, 1);

  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    {
      if (span / time_steps[i].step + 1 <= max_ticks)
        {
          step = time_steps[i].step;
          unit = time_steps[i].unit;
          break;
        }
    }
  if (step == 0)
    {
      /* Beyond years: whole multiples of a year. */
      step = 365 * DAY * (span / (365 * DAY * (gint64) (max_ticks - 1)) + 1);
      unit = TANDEM_TIME_UNIT_DAY;
    }

  /* Round local times: align in local wall-clock time. */
  offset = utc_offset_usec (tz, t0);
  first = (floor_div (t0 + offset, step) + ((t0 + offset) % step != 0 ? 1 : 0)) * step - offset;
  if (first < t0)
    first += step;
  while (first + step * (gint64) n <= t1)
    n++;

  ticks->first = first;
  ticks->step = step;
  ticks->n_ticks = n;
  ticks->unit = unit;
  return TRUE;
}

char *
tandem_time_ticks_format (const TandemTimeTicks *ticks,
                          gint64                 t,
                          GTimeZone             *tz)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (ticks != NULL, NULL);

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  dt = g_date_time_new_from_unix_utc (floor_div (t, SEC));
  if (dt == NULL)
    return g_strdup ("");
  {
    GDateTime *in_tz = g_date_time_to_timezone (dt, tz);

    g_date_time_unref (dt);
    dt = in_tz;
  }

  switch (ticks->unit)
    {
    case TANDEM_TIME_UNIT_MILLISECOND:
      /* Translators: a time axis label down to seconds; the milliseconds
       * are added after it. See g_date_time_format(). */
      text = g_date_time_format (dt, _("%H:%M:%S"));
      return g_strdup_printf ("%s.%03d", text, (int) (t - floor_div (t, SEC) * SEC) / 1000);
    case TANDEM_TIME_UNIT_SECOND:
      /* Translators: a time axis label with seconds. See g_date_time_format(). */
      return g_date_time_format (dt, _("%H:%M:%S"));
    case TANDEM_TIME_UNIT_MINUTE:
      /* Translators: a time axis label, hours and minutes. See g_date_time_format(). */
      return g_date_time_format (dt, _("%H:%M"));
    case TANDEM_TIME_UNIT_DAY:
    default:
      /* Translators: a time axis label for days: "Mar 3". See g_date_time_format(). */
      return g_date_time_format (dt, _("%b %-d"));
    }
}

char *
tandem_format_time_full (gint64     t,
                         GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (floor_div (t, SEC));
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = NULL;
  g_autofree char *text = NULL;

  if (utc == NULL)
    return g_strdup ("");
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  dt = g_date_time_to_timezone (utc, tz);
  /* Translators: the full time of a chart point in its tooltip. See
   * g_date_time_format(); the milliseconds are added after it. */
  text = g_date_time_format (dt, _("%Y-%m-%d %H:%M:%S"));
  return g_strdup_printf ("%s.%03d", text, (int) ((t - floor_div (t, SEC) * SEC) / 1000));
}
