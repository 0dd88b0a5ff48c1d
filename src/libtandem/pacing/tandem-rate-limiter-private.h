/* tandem-rate-limiter-private.h: pacing sends to the server's limits
 *
 * A sliding window of @max_events per @window_ms (Supabase: events per
 * second for broadcasts, 5 presence calls per 30 s). Instead of sending and
 * being punished (the server closes a channel that exceeds its presence
 * limit), callers ask when the next event may go and wait that long.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-clock-private.h"

G_BEGIN_DECLS

typedef struct _TandemRateLimiter TandemRateLimiter;

TandemRateLimiter *_tandem_rate_limiter_new       (TandemClock       *clock,
                                                   guint              max_events,
                                                   guint              window_ms);
void               _tandem_rate_limiter_free      (TandemRateLimiter *self);
/* 0 when an event may go now (and counts it); otherwise the milliseconds
 * until one may, counting nothing. */
guint              _tandem_rate_limiter_try_acquire (TandemRateLimiter *self);
/* The milliseconds until an event may go (0 = now), without counting. */
guint              _tandem_rate_limiter_get_delay (TandemRateLimiter *self);
void               _tandem_rate_limiter_reset     (TandemRateLimiter *self);

G_END_DECLS
