/* test-rate-limiter.c: the sliding window, on the manual clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-rate-limiter-private.h"

typedef struct
{
  TandemClock       *clock;
  TandemRateLimiter *limiter;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->clock = tandem_manual_clock_new (0);
  /* Supabase's default presence limit: 5 calls per 30 s. */
  fixture->limiter = _tandem_rate_limiter_new (fixture->clock, 5, 30000);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->limiter, _tandem_rate_limiter_free);
  g_assert_finalize_object (fixture->clock);
}

static void
test_burst (Fixture       *fixture,
            gconstpointer  data)
{
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);

  /* The 6th waits until the first leaves the window, and is not counted. */
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 30000);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 30000);

  tandem_manual_clock_advance (fixture->clock, 10000);
  g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 20000);
  tandem_manual_clock_advance (fixture->clock, 19999);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 1);
  tandem_manual_clock_advance (fixture->clock, 1);
  g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 0);

  /* All five left together: five more go now, the sixth waits a window. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 30000);
}

static void
test_spread (Fixture       *fixture,
             gconstpointer  data)
{
  /* Calls at 0, 1, 2, 3 and 4 s. */
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);
      tandem_manual_clock_advance (fixture->clock, 1000);
    }

  /* At 5 s the 6th waits until 30 s, when the call at 0 s leaves. */
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 25000);
  tandem_manual_clock_advance (fixture->clock, 25000);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);

  /* Now the window holds 1, 2, 3, 4 and 30 s: the next waits for 1 s's. */
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 1000);
  tandem_manual_clock_advance (fixture->clock, 999);
  g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 1);
  tandem_manual_clock_advance (fixture->clock, 1);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 1000);

  /* Long after, the window is empty again. */
  tandem_manual_clock_advance (fixture->clock, 60000);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);
  g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 30000);
}

static void
test_get_delay_counts_nothing (Fixture       *fixture,
                               gconstpointer  data)
{
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 0);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);
  g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 30000);
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);
  g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 30000);

  _tandem_rate_limiter_reset (fixture->limiter);
  g_assert_cmpuint (_tandem_rate_limiter_get_delay (fixture->limiter), ==, 0);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 0);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (fixture->limiter), ==, 30000);
}

static void
test_per_second (void)
{
  g_autoptr(TandemClock) clock = tandem_manual_clock_new (0);
  TandemRateLimiter *limiter = _tandem_rate_limiter_new (clock, 1, 1000);

  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (limiter), ==, 0);
  tandem_manual_clock_advance (clock, 250);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (limiter), ==, 750);
  tandem_manual_clock_advance (clock, 750);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (limiter), ==, 0);
  g_assert_cmpuint (_tandem_rate_limiter_try_acquire (limiter), ==, 1000);

  /* The limiter never schedules anything on the clock. */
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (clock), ==, 0);
  _tandem_rate_limiter_free (limiter);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rate-limiter/burst", Fixture, NULL, fixture_setup, test_burst, fixture_teardown);
  g_test_add ("/rate-limiter/spread", Fixture, NULL, fixture_setup, test_spread, fixture_teardown);
  g_test_add ("/rate-limiter/get-delay-counts-nothing", Fixture, NULL,
              fixture_setup, test_get_delay_counts_nothing, fixture_teardown);
  g_test_add ("/rate-limiter/reset", Fixture, NULL, fixture_setup, test_reset, fixture_teardown);
  g_test_add_func ("/rate-limiter/per-second", test_per_second);

  return g_test_run ();
}
