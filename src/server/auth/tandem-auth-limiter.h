/* tandem-auth-limiter.h: attempts per client address in a sliding window
 *
 * Password sign-ins and sign-ups are limited to @limit per address in any
 * @window_s seconds (TandemAuthOptions.sign_in_rate_limit and
 * sign_in_rate_window_s); the attempt over the limit gets GoTrue's 429
 * over_request_rate_limit and is not counted. Addresses whose attempts are
 * all older than the window are forgotten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TandemAuthLimiter TandemAuthLimiter;

TandemAuthLimiter *tandem_auth_limiter_new        (guint              limit,
                                                   guint              window_s);
void               tandem_auth_limiter_free       (TandemAuthLimiter *self);

/* Counts an attempt by @key at @now_us (monotonic microseconds). FALSE,
 * without counting it, when @key already made @limit attempts in the
 * window. */
gboolean           tandem_auth_limiter_try        (TandemAuthLimiter *self,
                                                   const char        *key,
                                                   gint64             now_us);
/* Addresses currently remembered. */
guint              tandem_auth_limiter_get_n_keys (TandemAuthLimiter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemAuthLimiter, tandem_auth_limiter_free)

G_END_DECLS
