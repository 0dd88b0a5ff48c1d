/* test-decimate.c: min/max per pixel column, exact, at a cost that follows
 * the width and not the number of points (counted in operations, not time)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <math.h>

#include "tandem-decimate.h"
#include "tandem-series.h"

static TandemSeries *
make_series (guint n,
             guint seed)
{
  TandemSeries *s = tandem_series_new ("s");
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 t = 0;

  tandem_series_freeze_changed (s);
  for (guint i = 0; i < n; i++)
    {
      t += g_rand_int_range (rand, 1, 20);
      tandem_series_add (s, t, g_rand_double_range (rand, -100, 100));
    }
  tandem_series_thaw_changed (s);
  return s;
}

/* Each column against a brute-force pass over the points. */
static void
check_exact (TandemSeries *s,
             gint64        t0,
             gint64        t1,
             guint         width)
{
  g_autofree TandemColumn *cols = g_new (TandemColumn, width);
  g_autofree TandemColumn *want = g_new0 (TandemColumn, width);
  double span = (double) (t1 - t0);
  guint filled, want_filled = 0;

  filled = tandem_decimate (s, t0, t1, width, cols, NULL);
  for (guint i = 0; i < tandem_series_get_n_points (s); i++)
    {
      gint64 t = tandem_series_get_time (s, i);
      double v = tandem_series_get_value (s, i);
      guint c;
      TandemColumn *w;

      if (t < t0 || t > t1)
        continue;
      /* The same edges as tandem_decimate(): column c ends at
       * t0 + (gint64) (span * (c + 1) / width). */
      for (c = 0; c + 1 < width; c++)
        if (t < t0 + (gint64) (span * (double) (c + 1) / (double) width))
          break;
      w = &want[c];
      if (w->n_points == 0)
        {
          w->min = w->max = w->first = v;
          want_filled++;
        }
      w->n_points++;
      w->min = MIN (w->min, v);
      w->max = MAX (w->max, v);
      w->last = v;
    }

  g_assert_cmpuint (filled, ==, want_filled);
  for (guint c = 0; c < width; c++)
    {
      g_assert_cmpuint (cols[c].n_points, ==, want[c].n_points);
      if (want[c].n_points == 0)
        continue;
      g_assert_cmpfloat (cols[c].min, ==, want[c].min);
      g_assert_cmpfloat (cols[c].max, ==, want[c].max);
      g_assert_cmpfloat (cols[c].first, ==, want[c].first);
      g_assert_cmpfloat (cols[c].last, ==, want[c].last);
    }
}

static void
test_decimate_exact (void)
{
  static const guint sizes[] = { 1, 2, 15, 16, 17, 255, 256, 1000, 4097, 50000 };
  static const guint widths[] = { 1, 3, 97, 640, 2000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(TandemSeries) s = make_series (sizes[i], i);
      gint64 t0, t1;

      tandem_series_get_extents (s, &t0, &t1, NULL, NULL);
      for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
        {
          check_exact (s, t0, t1, widths[w]);
          /* A window inside the data, and one beyond it. */
          check_exact (s, t0 + (t1 - t0) / 3, t1 - (t1 - t0) / 5, widths[w]);
          check_exact (s, t1 - 10, t1 + 1000, widths[w]);
        }
    }
}

static void
test_decimate_rolling (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("s");
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  /* Eviction and compaction keep the tree exact. */
  tandem_series_set_max_points (s, 5000);
  for (int i = 0; i < 40000; i++)
    {
      tandem_series_add (s, i * 3, g_rand_double_range (rand, 0, 1));
      if (i % 4999 == 0)
        {
          gint64 t0, t1;

          tandem_series_get_extents (s, &t0, &t1, NULL, NULL);
          check_exact (s, t0, t1, 300);
        }
    }
}

static void
test_decimate_empty (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("s");
  TandemColumn cols[10];
  guint64 ops = 99;

  g_assert_cmpuint (tandem_decimate (s, 0, 100, 10, cols, &ops), ==, 0);
  g_assert_cmpuint (ops, ==, 0);
  tandem_series_add (s, 50, 1);
  g_assert_cmpuint (tandem_decimate (s, 0, 100, 10, cols, NULL), ==, 1);
  g_assert_cmpuint (cols[5].n_points, ==, 1);
  g_assert_cmpuint (tandem_decimate (s, 60, 100, 10, cols, NULL), ==, 0);
  g_assert_cmpuint (tandem_decimate (s, 0, 100, 0, NULL, NULL), ==, 0);
}

/* The operations per frame follow the width: 100 times more points cost
 * only a logarithm more, and stay far below the number of points. */
static void
test_decimate_cost (void)
{
  static const guint sizes[] = { 10000, 100000, 1000000 };
  const guint width = 800;
  g_autofree TandemColumn *cols = g_new (TandemColumn, width);
  guint64 ops[G_N_ELEMENTS (sizes)];

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(TandemSeries) s = make_series (sizes[i], 100 + i);
      gint64 t0, t1;

      tandem_series_get_extents (s, &t0, &t1, NULL, NULL);
      tandem_decimate (s, t0, t1, width, cols, &ops[i]);
      g_test_message ("%u points, %u columns: %" G_GUINT64_FORMAT " operations",
                      sizes[i], width, ops[i]);
      /* At most a few dozen per column plus a logarithm: never O(n). */
      g_assert_cmpuint (ops[i], <=, (guint64) width * (100 + 4 * (guint) ceil (log2 (sizes[i]))));
    }
  g_assert_cmpuint (ops[2], <, sizes[2] / 4);
  /* 100 times the points, not even 4 times the work. */
  g_assert_cmpuint (ops[2], <, 4 * ops[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/charts/decimate/exact", test_decimate_exact);
  g_test_add_func ("/charts/decimate/rolling", test_decimate_rolling);
  g_test_add_func ("/charts/decimate/empty", test_decimate_empty);
  g_test_add_func ("/charts/decimate/cost", test_decimate_cost);

  return g_test_run ();
}
