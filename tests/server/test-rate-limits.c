/* test-rate-limits.c: Realtime's rate counters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-rt-limits.h"

#define SEC G_USEC_PER_SEC

static void
test_rate_average (void)
{
  TandemRtRateCounter counter;
  gint64 t0 = 1000 * SEC;

  tandem_rt_rate_counter_init (&counter, 5 * SEC);
  /* 500 events in the first 5 s bucket: 100/s over one bucket */
  tandem_rt_rate_counter_add (&counter, t0, 500);
  g_assert_cmpfloat_with_epsilon (tandem_rt_rate_counter_rate (&counter, t0 + 1 * SEC), 100.0, 0.001);
  /* a quiet second bucket halves the average */
  g_assert_cmpfloat_with_epsilon (tandem_rt_rate_counter_rate (&counter, t0 + 6 * SEC), 50.0, 0.001);
  /* after the 60 s window the old bucket has left */
  tandem_rt_rate_counter_add (&counter, t0 + 61 * SEC, 5);
  g_assert_cmpfloat (tandem_rt_rate_counter_rate (&counter, t0 + 61 * SEC), <, 1.0);
  /* a long silence resets everything */
  g_assert_cmpfloat_with_epsilon (tandem_rt_rate_counter_rate (&counter, t0 + 600 * SEC), 0.0, 0.001);
}

static void
test_rate_window_slides (void)
{
  TandemRtRateCounter counter;
  gint64 t0 = 50 * SEC;

  tandem_rt_rate_counter_init (&counter, 5 * SEC);
  for (int i = 0; i < 12; i++)
    tandem_rt_rate_counter_add (&counter, t0 + i * 5 * SEC, 50);
  /* twelve buckets of 50 events: 10/s */
  g_assert_cmpfloat_with_epsilon (tandem_rt_rate_counter_rate (&counter, t0 + 55 * SEC), 10.0, 0.001);
  /* one more bucket pushes the first out */
  tandem_rt_rate_counter_add (&counter, t0 + 60 * SEC, 110);
  g_assert_cmpfloat_with_epsilon (tandem_rt_rate_counter_rate (&counter, t0 + 60 * SEC), 11.0, 0.001);
}

static void
test_window_counter (void)
{
  TandemRtWindowCounter counter;
  gint64 t0 = 10 * SEC;

  tandem_rt_window_counter_init (&counter, 30 * SEC);
  for (int i = 0; i < 5; i++)
    g_assert_true (tandem_rt_window_counter_hit (&counter, t0 + i * SEC, 5));
  g_assert_false (tandem_rt_window_counter_hit (&counter, t0 + 10 * SEC, 5));
  /* a new window starts afresh */
  g_assert_true (tandem_rt_window_counter_hit (&counter, t0 + 31 * SEC, 5));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/limits/rate-average", test_rate_average);
  g_test_add_func ("/limits/rate-window-slides", test_rate_window_slides);
  g_test_add_func ("/limits/window-counter", test_window_counter);

  return g_test_run ();
}
