/* test-series.c: the series buffer and its rolling window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <math.h>

#include "tandem-series.h"

static void
assert_sorted (TandemSeries *s)
{
  for (guint i = 1; i < tandem_series_get_n_points (s); i++)
    g_assert_cmpint (tandem_series_get_time (s, i - 1), <=, tandem_series_get_time (s, i));
}

static void
count_changed (TandemSeries *s,
               guint        *count)
{
  (*count)++;
}

static void
test_series_add (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("views");
  guint changed = 0;

  g_signal_connect (s, "changed", G_CALLBACK (count_changed), &changed);
  g_assert_cmpstr (tandem_series_get_label (s), ==, "views");
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 0);
  g_assert_false (tandem_series_get_extents (s, NULL, NULL, NULL, NULL));

  for (int i = 0; i < 1000; i++)
    g_assert_true (tandem_series_add (s, i * 10, i % 7));
  g_assert_cmpuint (changed, ==, 1000);
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 1000);
  g_assert_cmpint (tandem_series_get_time (s, 999), ==, 9990);
  g_assert_cmpfloat (tandem_series_get_value (s, 13), ==, 13 % 7);

  /* Late points go where they belong. */
  g_assert_true (tandem_series_add (s, 15, 100));
  g_assert_true (tandem_series_add (s, -5, -1));
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 1002);
  assert_sorted (s);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, -5);
  g_assert_cmpint (tandem_series_get_time (s, 3), ==, 15);
  g_assert_cmpfloat (tandem_series_get_value (s, 3), ==, 100);

  {
    gint64 t0, t1;
    double lo, hi;

    g_assert_true (tandem_series_get_extents (s, &t0, &t1, &lo, &hi));
    g_assert_cmpint (t0, ==, -5);
    g_assert_cmpint (t1, ==, 9990);
    g_assert_cmpfloat (lo, ==, -1);
    g_assert_cmpfloat (hi, ==, 100);
  }

  /* Not finite: dropped. */
  g_assert_false (tandem_series_add (s, 20000, NAN));
  g_assert_false (tandem_series_add (s, 20000, INFINITY));

  g_assert_cmpuint (tandem_series_lower_bound (s, 16), ==, 4);
  {
    guint idx;

    g_assert_true (tandem_series_nearest (s, 24, &idx));
    g_assert_cmpint (tandem_series_get_time (s, idx), ==, 20);
    g_assert_true (tandem_series_nearest (s, 1000000, &idx));
    g_assert_cmpuint (idx, ==, 1001);
  }

  tandem_series_clear (s);
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 0);
}

static void
test_series_window_points (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new (NULL);

  tandem_series_set_max_points (s, 100);
  for (int i = 0; i < 100000; i++)
    tandem_series_add (s, i, i);
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 100);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 99900);
  g_assert_cmpint (tandem_series_get_time (s, 99), ==, 99999);

  /* A point older than a full window is dropped at once. */
  g_assert_false (tandem_series_add (s, 5, 0));
  /* One inside it pushes the oldest out. */
  g_assert_true (tandem_series_add (s, 99950, -3));
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 100);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 99901);
  assert_sorted (s);

  {
    double lo, hi;

    g_assert_true (tandem_series_get_extents (s, NULL, NULL, &lo, &hi));
    g_assert_cmpfloat (lo, ==, -3);
    g_assert_cmpfloat (hi, ==, 99999);
  }

  /* Shrinking the window evicts at once. */
  tandem_series_set_max_points (s, 10);
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 10);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 99990);
}

static void
test_series_window_age (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new (NULL);

  tandem_series_set_max_age (s, 1000);
  for (int i = 0; i <= 5000; i += 10)
    tandem_series_add (s, i, 1);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 4000);
  g_assert_cmpint (tandem_series_get_n_points (s), ==, 101);
  g_assert_false (tandem_series_add (s, 3999, 1));
  g_assert_true (tandem_series_add (s, 4000, 1));

  tandem_series_remove_before (s, 4500);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 4500);
}

static void
test_series_upsert (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new (NULL);

  g_assert_true (tandem_series_upsert (s, 100, 1));
  g_assert_true (tandem_series_upsert (s, 300, 3));
  g_assert_true (tandem_series_upsert (s, 200, 2));
  g_assert_true (tandem_series_upsert (s, 100, 10));
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 3);
  g_assert_cmpfloat (tandem_series_get_value (s, 0), ==, 10);
  g_assert_cmpfloat (tandem_series_get_value (s, 1), ==, 2);

  {
    double lo, hi;

    g_assert_true (tandem_series_range_minmax (s, 0, 3, &lo, &hi, NULL));
    g_assert_cmpfloat (lo, ==, 2);
    g_assert_cmpfloat (hi, ==, 10);
  }
}

/* The min/max tree against brute force, through appends, late inserts,
 * value changes, evictions and compactions. */
static void
test_series_minmax_exact (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  tandem_series_set_max_points (s, 3000);
  for (int round = 0; round < 20000; round++)
    {
      int what = g_rand_int_range (rand, 0, 10);
      guint n = tandem_series_get_n_points (s);

      if (what < 7 || n == 0)
        tandem_series_add (s, round * 100, g_rand_double_range (rand, -1000, 1000));
      else if (what < 9)
        tandem_series_add (s, tandem_series_get_time (s, g_rand_int_range (rand, 0, n)) + 1,
                           g_rand_double_range (rand, -2000, 2000));
      else
        tandem_series_upsert (s, tandem_series_get_time (s, g_rand_int_range (rand, 0, n)),
                              g_rand_double_range (rand, -3000, 3000));

      if (round % 97 == 0)
        {
          n = tandem_series_get_n_points (s);
          for (int q = 0; q < 20; q++)
            {
              guint a = g_rand_int_range (rand, 0, n);
              guint b = g_rand_int_range (rand, a + 1, n + 1);
              double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, tlo, thi;

              for (guint i = a; i < b; i++)
                {
                  lo = MIN (lo, tandem_series_get_value (s, i));
                  hi = MAX (hi, tandem_series_get_value (s, i));
                }
              g_assert_true (tandem_series_range_minmax (s, a, b, &tlo, &thi, NULL));
              g_assert_cmpfloat (tlo, ==, lo);
              g_assert_cmpfloat (thi, ==, hi);
            }
        }
    }
  assert_sorted (s);
}

static void
test_series_copy (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("a");
  g_autoptr(TandemSeries) c = NULL;

  for (int i = 0; i < 50; i++)
    tandem_series_add (s, i, i * 2);
  c = tandem_series_copy (s);
  tandem_series_add (s, 60, 5);
  g_assert_cmpuint (tandem_series_get_n_points (c), ==, 50);
  g_assert_cmpfloat (tandem_series_get_value (c, 49), ==, 98);
  g_assert_cmpstr (tandem_series_get_label (c), ==, "a");
}

static void
test_series_freeze (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new (NULL);
  guint changed = 0;

  g_signal_connect (s, "changed", G_CALLBACK (count_changed), &changed);
  tandem_series_set_max_points (s, 10);
  tandem_series_freeze_changed (s);
  for (int i = 0; i < 100; i++)
    tandem_series_add (s, 100 - i, i);
  g_assert_cmpuint (changed, ==, 0);
  tandem_series_thaw_changed (s);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 10);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 91);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/charts/series/add", test_series_add);
  g_test_add_func ("/charts/series/window-points", test_series_window_points);
  g_test_add_func ("/charts/series/window-age", test_series_window_age);
  g_test_add_func ("/charts/series/upsert", test_series_upsert);
  g_test_add_func ("/charts/series/minmax-exact", test_series_minmax_exact);
  g_test_add_func ("/charts/series/copy", test_series_copy);
  g_test_add_func ("/charts/series/freeze", test_series_freeze);

  return g_test_run ();
}
