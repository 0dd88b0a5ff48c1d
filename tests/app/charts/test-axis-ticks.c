/* test-axis-ticks.c: nice 1-2-5 ticks for values, round times for time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <locale.h>
#include <math.h>

#include "tandem-axis-ticks.h"

static void
check_ticks (double min,
             double max,
             guint  max_ticks,
             double first,
             double step,
             guint  n)
{
  TandemTicks t;

  g_assert_true (tandem_ticks_compute (min, max, max_ticks, &t));
  g_assert_cmpfloat_with_epsilon (t.first, first, step * 1e-9);
  g_assert_cmpfloat_with_epsilon (t.step, step, step * 1e-9);
  g_assert_cmpuint (t.n_ticks, ==, n);
  g_assert_cmpuint (t.n_ticks, <=, max_ticks);
}

static void
test_ticks_values (void)
{
  check_ticks (0, 100, 6, 0, 20, 6);
  check_ticks (0, 100, 11, 0, 10, 11);
  check_ticks (0, 100, 3, 0, 50, 3);
  check_ticks (3, 97, 6, 20, 20, 4);
  check_ticks (-7, 13, 5, -5, 5, 4);
  check_ticks (0, 1, 6, 0, 0.2, 6);
  check_ticks (0.001, 0.0042, 5, 0.001, 0.001, 4);
  check_ticks (1e6, 5e6, 5, 1e6, 1e6, 5);
  /* Reversed and flat ranges. */
  check_ticks (100, 0, 6, 0, 20, 6);
  check_ticks (0, 0, 5, -1, 0.5, 5);
  check_ticks (10, 10, 3, 5, 5, 3);

  {
    TandemTicks t;

    g_assert_false (tandem_ticks_compute (NAN, 1, 5, &t));
    g_assert_false (tandem_ticks_compute (0, INFINITY, 5, &t));
  }

  /* Every step is 1, 2 or 5 times a power of ten. */
  for (double span = 0.013; span < 1e7; span *= 1.37)
    for (guint n = 2; n < 12; n++)
      {
        TandemTicks t;
        double m;

        g_assert_true (tandem_ticks_compute (-span / 3, span, n, &t));
        m = t.step / pow (10, floor (log10 (t.step) + 1e-9));
        g_assert_true (fabs (m - 1) < 1e-6 || fabs (m - 2) < 1e-6 || fabs (m - 5) < 1e-6);
        g_assert_cmpuint (t.n_ticks, <=, n);
        g_assert_cmpuint (t.n_ticks, >=, 1);
        g_assert_cmpfloat (t.first, >=, -span / 3 - t.step * 1e-6);
        g_assert_cmpfloat (t.first + t.step * (t.n_ticks - 1), <=, span + t.step * 1e-6);
      }
}

static void
test_ticks_bounds (void)
{
  TandemTicks t;
  double lo = 3, hi = 97;

  g_assert_true (tandem_ticks_compute_bounds (&lo, &hi, 6, &t));
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 100);
  g_assert_cmpfloat (t.step, ==, 20);
  g_assert_cmpuint (t.n_ticks, ==, 6);

  lo = -0.3, hi = 0.72;
  g_assert_true (tandem_ticks_compute_bounds (&lo, &hi, 8, &t));
  g_assert_cmpfloat_with_epsilon (lo, -0.4, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi, 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (t.step, 0.2, 1e-12);
  g_assert_cmpuint (t.n_ticks, ==, 7);
}

static void
test_ticks_format (void)
{
  TandemTicks t;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  tandem_ticks_compute (0, 1, 6, &t);
  a = tandem_ticks_format (&t, 0.4);
  g_assert_cmpstr (a, ==, "0.4");
  tandem_ticks_compute (0, 100, 6, &t);
  b = tandem_ticks_format (&t, 40);
  g_assert_cmpstr (b, ==, "40");
  tandem_ticks_compute (0, 5e6, 6, &t);
  c = tandem_ticks_format (&t, 2e6);
  g_assert_cmpstr (c, ==, "2M");
  tandem_ticks_compute (0, 5000, 11, &t);
  d = tandem_ticks_format (&t, 1500);
  g_assert_cmpstr (d, ==, "1.5k");
  /* No "-0". */
  tandem_ticks_compute (-1, 1, 5, &t);
  e = tandem_ticks_format (&t, -1e-17);
  g_assert_cmpstr (e, ==, "0.0");
}

#define SEC ((gint64) G_USEC_PER_SEC)
#define MINUTE (60 * SEC)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

/* 2026-03-03 10:07:13 UTC */
#define T0 ((gint64) 1772532433 * SEC)

static void
check_time (gint64       t0,
            gint64       t1,
            guint        max_ticks,
            GTimeZone   *tz,
            gint64       step,
            const char  *first_label,
            guint        n)
{
  TandemTimeTicks t;
  g_autofree char *label = NULL;

  g_assert_true (tandem_time_ticks_compute (t0, t1, max_ticks, tz, &t));
  g_test_message ("step %" G_GINT64_FORMAT " n %u first %" G_GINT64_FORMAT, t.step, t.n_ticks, t.first - t0);
  g_assert_cmpint (t.step, ==, step);
  g_assert_cmpuint (t.n_ticks, ==, n);
  g_assert_cmpint (t.first, >=, t0);
  g_assert_cmpint (t.first, <, t0 + step);
  label = tandem_time_ticks_format (&t, t.first, tz);
  g_assert_cmpstr (label, ==, first_label);
}

static void
test_ticks_time (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) plus530 = g_time_zone_new_identifier ("+05:30");

  check_time (T0, T0 + 60 * SEC, 7, utc, 10 * SEC, "10:07:20", 6);
  check_time (T0, T0 + 5 * MINUTE, 6, utc, MINUTE, "10:08", 5);
  check_time (T0, T0 + HOUR, 5, utc, 15 * MINUTE, "10:15", 4);
  check_time (T0, T0 + 12 * HOUR, 5, utc, 3 * HOUR, "12:00", 4);
  check_time (T0, T0 + 7 * DAY, 8, utc, DAY, "Mar 4", 7);
  check_time (T0 + 100 * 1000, T0 + 2 * SEC, 5, utc, 500 * 1000, "10:07:13.500", 4);
  /* Round in local time: quarter hours at :00/:15 of +05:30, so UTC
   * :45/:00 … */
  check_time (T0, T0 + HOUR, 5, plus530, 15 * MINUTE, "15:45", 4);
  /* Days start at local midnight. */
  check_time (T0, T0 + 3 * DAY, 4, plus530, DAY, "Mar 4", 3);
}

static void
test_ticks_time_full (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *text = tandem_format_time_full (T0 + 250000, utc);

  g_assert_cmpstr (text, ==, "2026-03-03 10:07:13.250");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/charts/ticks/values", test_ticks_values);
  g_test_add_func ("/charts/ticks/bounds", test_ticks_bounds);
  g_test_add_func ("/charts/ticks/format", test_ticks_format);
  g_test_add_func ("/charts/ticks/time", test_ticks_time);
  g_test_add_func ("/charts/ticks/time-full", test_ticks_time_full);

  return g_test_run ();
}
