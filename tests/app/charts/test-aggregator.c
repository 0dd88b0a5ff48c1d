/* test-aggregator.c: bucket aggregation, late points, window eviction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "tandem-aggregator.h"
#include "tandem-series.h"

#define SEC ((gint64) G_USEC_PER_SEC)

typedef struct
{
  TandemAggregation aggregation;
  double            expected[3];   /* buckets 0, 10, 20 s */
} Case;

/* Points (s, value): bucket 0: 1, 5, 3; bucket 10: 2; bucket 20: -4, 8. */
static const struct { double at; double value; } points[] = {
  { 0.5, 1 }, { 3, 5 }, { 12, 2 }, { 9.999, 3 }, { 20, -4 }, { 29.5, 8 },
};

static void
test_aggregation (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(TandemSeries) s = tandem_series_new ("x");
  g_autoptr(TandemAggregator) a = tandem_aggregator_new (c->aggregation, 10 * SEC, s);

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    g_assert_true (tandem_aggregator_add (a, (gint64) (points[i].at * SEC), points[i].value));

  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 3);
  g_assert_cmpuint (tandem_aggregator_get_n_buckets (a), ==, 3);
  for (guint b = 0; b < 3; b++)
    {
      g_assert_cmpint (tandem_series_get_time (s, b), ==, b * 10 * SEC);
      g_assert_cmpfloat_with_epsilon (tandem_series_get_value (s, b), c->expected[b], 1e-9);
    }
}

/* "t:v,t:v" of the series, times in seconds. */
static char *
describe (TandemSeries *s)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < tandem_series_get_n_points (s); i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%g", i ? "," : "",
                            tandem_series_get_time (s, i) / SEC, tandem_series_get_value (s, i));
  return g_string_free (out, FALSE);
}

/* A count or sum of a bucket without events is 0 (the line does not bridge
 * it); an average, minimum or maximum of nothing stays a gap. */
static void
test_aggregation_empty_buckets (void)
{
  g_autoptr(TandemSeries) count = tandem_series_new ("count");
  g_autoptr(TandemSeries) avg = tandem_series_new ("avg");
  g_autoptr(TandemSeries) windowed = tandem_series_new ("windowed");
  g_autoptr(TandemAggregator) a = tandem_aggregator_new (TANDEM_AGGREGATION_COUNT, 10 * SEC, count);
  g_autoptr(TandemAggregator) b = tandem_aggregator_new (TANDEM_AGGREGATION_AVG, 10 * SEC, avg);
  g_autoptr(TandemAggregator) c = NULL;
  g_autofree char *text = NULL;

  tandem_aggregator_add (a, 1 * SEC, 1);
  tandem_aggregator_add (a, 35 * SEC, 1);
  text = describe (count);
  g_assert_cmpstr (text, ==, "0:1,10:0,20:0,30:1");
  /* A late event lands in a filled bucket; an older one fills forward. */
  tandem_aggregator_add (a, 12 * SEC, 1);
  tandem_aggregator_add (a, -15 * SEC, 1);
  g_clear_pointer (&text, g_free);
  text = describe (count);
  g_assert_cmpstr (text, ==, "-20:1,-10:0,0:1,10:1,20:0,30:1");
  g_assert_cmpuint (tandem_aggregator_get_n_buckets (a), ==, 6);

  tandem_aggregator_add (b, 1 * SEC, 4);
  tandem_aggregator_add (b, 35 * SEC, 2);
  g_clear_pointer (&text, g_free);
  text = describe (avg);
  g_assert_cmpstr (text, ==, "0:4,30:2");

  /* A gap longer than the window: only the newest empty buckets stay. */
  tandem_series_set_max_points (windowed, 3);
  c = tandem_aggregator_new (TANDEM_AGGREGATION_SUM, 10 * SEC, windowed);
  tandem_aggregator_add (c, 0, 5);
  tandem_aggregator_add (c, 1000 * SEC, 7);
  g_clear_pointer (&text, g_free);
  text = describe (windowed);
  g_assert_cmpstr (text, ==, "980:0,990:0,1000:7");
  g_assert_cmpuint (tandem_aggregator_get_n_buckets (c), ==, 3);
}

static void
test_aggregation_none (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("x");
  g_autoptr(TandemAggregator) a = tandem_aggregator_new (TANDEM_AGGREGATION_NONE, 0, s);

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    g_assert_true (tandem_aggregator_add (a, (gint64) (points[i].at * SEC), points[i].value));
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, G_N_ELEMENTS (points));
  g_assert_cmpuint (tandem_aggregator_get_n_buckets (a), ==, 0);
  /* Ordered by time: the late 9.999 s point is fourth of six, third by time. */
  g_assert_cmpfloat (tandem_series_get_value (s, 2), ==, 3);
}

static void
test_aggregation_late (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("x");
  g_autoptr(TandemAggregator) a = tandem_aggregator_new (TANDEM_AGGREGATION_SUM, SEC, s);

  for (int i = 0; i < 10; i++)
    tandem_aggregator_add (a, i * SEC + 1, 1);
  /* A late point lands in its own (old) bucket, not the newest. */
  g_assert_true (tandem_aggregator_add (a, 3 * SEC + 500000, 4));
  g_assert_cmpfloat (tandem_series_get_value (s, 3), ==, 5);
  g_assert_cmpfloat (tandem_series_get_value (s, 9), ==, 1);
  /* A late point in a bucket nobody had yet makes it, in order, and the
   * empty bucket between is a sum of 0. */
  g_assert_true (tandem_aggregator_add (a, -2 * SEC, 7));
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, -2 * SEC);
  g_assert_cmpfloat (tandem_series_get_value (s, 0), ==, 7);
  g_assert_cmpint (tandem_series_get_time (s, 1), ==, -1 * SEC);
  g_assert_cmpfloat (tandem_series_get_value (s, 1), ==, 0);
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 12);
  g_assert_cmpuint (tandem_aggregator_get_n_buckets (a), ==, 12);
}

static void
test_aggregation_window_points (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("x");
  g_autoptr(TandemAggregator) a = tandem_aggregator_new (TANDEM_AGGREGATION_COUNT, SEC, s);

  tandem_series_set_max_points (s, 5);
  for (int i = 0; i < 100; i++)
    {
      tandem_aggregator_add (a, i * SEC / 4, 0);  /* 4 per bucket */
      g_assert_cmpuint (tandem_aggregator_get_n_buckets (a), ==, tandem_series_get_n_points (s));
    }
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 5);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 20 * SEC);
  for (int b = 0; b < 5; b++)
    g_assert_cmpfloat (tandem_series_get_value (s, b), ==, 4);

  /* A late point whose bucket left the window is dropped, and does not
   * bring the bucket back. */
  g_assert_false (tandem_aggregator_add (a, 3 * SEC, 0));
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 5);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 20 * SEC);
  /* One still inside it counts. */
  g_assert_true (tandem_aggregator_add (a, 20 * SEC + 1, 0));
  g_assert_cmpfloat (tandem_series_get_value (s, 0), ==, 5);
}

static void
test_aggregation_window_age (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("x");
  g_autoptr(TandemAggregator) a = tandem_aggregator_new (TANDEM_AGGREGATION_MAX, 10 * SEC, s);

  tandem_series_set_max_age (s, 60 * SEC);
  for (int i = 0; i < 600; i++)
    tandem_aggregator_add (a, (gint64) i * SEC, i);
  /* Buckets 530 … 590 s: 60 s before the newest bucket's start. */
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 7);
  g_assert_cmpuint (tandem_aggregator_get_n_buckets (a), ==, 7);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, 530 * SEC);
  g_assert_cmpfloat (tandem_series_get_value (s, 0), ==, 539);
  g_assert_cmpfloat (tandem_series_get_value (s, 6), ==, 599);
  g_assert_false (tandem_aggregator_add (a, 100 * SEC, 1e9));
}

static void
test_aggregation_negative_time (void)
{
  g_autoptr(TandemSeries) s = tandem_series_new ("x");
  g_autoptr(TandemAggregator) a = tandem_aggregator_new (TANDEM_AGGREGATION_COUNT, 10 * SEC, s);

  tandem_aggregator_add (a, -1, 1);
  tandem_aggregator_add (a, -10 * SEC, 1);
  tandem_aggregator_add (a, 0, 1);
  g_assert_cmpuint (tandem_series_get_n_points (s), ==, 2);
  g_assert_cmpint (tandem_series_get_time (s, 0), ==, -10 * SEC);
  g_assert_cmpfloat (tandem_series_get_value (s, 0), ==, 2);
}

static void
test_aggregation_names (void)
{
  TandemAggregation agg;

  for (agg = TANDEM_AGGREGATION_NONE; agg <= TANDEM_AGGREGATION_MAX; agg++)
    {
      TandemAggregation back;

      g_assert_true (tandem_aggregation_from_string (tandem_aggregation_to_string (agg), &back));
      g_assert_cmpint (back, ==, agg);
    }
  g_assert_false (tandem_aggregation_from_string ("median", &agg));
  g_assert_false (tandem_aggregation_from_string (NULL, &agg));
}

static const Case cases[] = {
  { TANDEM_AGGREGATION_COUNT, { 3, 1, 2 } },
  { TANDEM_AGGREGATION_SUM, { 9, 2, 4 } },
  { TANDEM_AGGREGATION_AVG, { 3, 2, 2 } },
  { TANDEM_AGGREGATION_MIN, { 1, 2, -4 } },
  { TANDEM_AGGREGATION_MAX, { 5, 2, 8 } },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/charts/aggregator/%s", tandem_aggregation_to_string (cases[i].aggregation));

      g_test_add_data_func (path, &cases[i], test_aggregation);
    }
  g_test_add_func ("/charts/aggregator/none", test_aggregation_none);
  g_test_add_func ("/charts/aggregator/empty-buckets", test_aggregation_empty_buckets);
  g_test_add_func ("/charts/aggregator/late", test_aggregation_late);
  g_test_add_func ("/charts/aggregator/window-points", test_aggregation_window_points);
  g_test_add_func ("/charts/aggregator/window-age", test_aggregation_window_age);
  g_test_add_func ("/charts/aggregator/negative-time", test_aggregation_negative_time);
  g_test_add_func ("/charts/aggregator/names", test_aggregation_names);

  return g_test_run ();
}
