/* tandem-rate-limiter.c: a sliding window over the clock's monotonic time
 *
 * The times of the last @max_events events are kept in a ring. An event may
 * go when fewer than @max_events happened in the last @window_ms; otherwise
 * the wait is exactly until the oldest of them leaves the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-rate-limiter-private.h"

struct _TandemRateLimiter
{
  TandemClock *clock;
  guint        max_events;
  gint64       window_us;
  gint64      *times;   /* ring of @max_events monotonic times, oldest at @head */
  guint        head;
  guint        count;
};

TandemRateLimiter *
_tandem_rate_limiter_new (TandemClock *clock,
                          guint        max_events,
                          guint        window_ms)
{
  TandemRateLimiter *self;

  g_return_val_if_fail (TANDEM_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (max_events > 0, NULL);

  self = g_new0 (TandemRateLimiter, 1);
  self->clock = g_object_ref (clock);
  self->max_events = max_events;
  self->window_us = (gint64) window_ms * 1000;
  self->times = g_new0 (gint64, max_events);
  return self;
}

void
_tandem_rate_limiter_free (TandemRateLimiter *self)
{
  if (self == NULL)
    return;

  g_object_unref (self->clock);
  g_free (self->times);
  g_free (self);
}

/* Forgets events that left the window: one at @t is in it until
 * @t + window (exclusive). */
static void
rate_limiter_prune (TandemRateLimiter *self,
                    gint64             now)
{
  while (self->count > 0 && self->times[self->head] + self->window_us <= now)
    {
      self->head = (self->head + 1) % self->max_events;
      self->count--;
    }
}

static guint
rate_limiter_delay_at (TandemRateLimiter *self,
                       gint64             now)
{
  gint64 wait_us;

  rate_limiter_prune (self, now);
  if (self->count < self->max_events)
    return 0;

  /* Rounded up, so that waiting the returned time is always enough. */
  wait_us = self->times[self->head] + self->window_us - now;
  return (guint) MIN ((wait_us + 999) / 1000, (gint64) G_MAXUINT);
}

guint
_tandem_rate_limiter_try_acquire (TandemRateLimiter *self)
{
  gint64 now;
  guint delay;

  g_return_val_if_fail (self != NULL, 0);

  now = tandem_clock_get_monotonic_time (self->clock);
  delay = rate_limiter_delay_at (self, now);
  if (delay == 0)
    {
      self->times[(self->head + self->count) % self->max_events] = now;
      self->count++;
    }
  return delay;
}

guint
_tandem_rate_limiter_get_delay (TandemRateLimiter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return rate_limiter_delay_at (self, tandem_clock_get_monotonic_time (self->clock));
}

void
_tandem_rate_limiter_reset (TandemRateLimiter *self)
{
  g_return_if_fail (self != NULL);

  self->head = 0;
  self->count = 0;
}
