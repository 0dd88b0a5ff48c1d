/* tandem-backoff-private.h: the reconnection schedule
 *
 * One schedule for the WebSocket and for channel rejoins: retry n (1-based)
 * waits min(1 s * 2^(n-1), 30 s), times a jitter factor 0.8 + 0.4 * r for a
 * uniform r in [0, 1), so that many clients that lost the same server do not
 * come back in lockstep (protocol.md P4). After TANDEM_BACKOFF_MAX_RETRIES
 * failed retries the caller gives up (status ERROR) until the health check,
 * a network change or the user starts it again.
 *
 * Rapid-close detection: a server that accepts the connection and closes it
 * again at once (join storms get the socket closed with 1001, P4) would
 * otherwise be retried every second forever, because the retry count
 * resets on every successful open. Three closes of opened connections
 * within TANDEM_RAPID_CLOSE_WINDOW_MS make the next retry wait
 * TANDEM_RAPID_CLOSE_BACKOFF_MS instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TANDEM_BACKOFF_BASE_MS          1000
#define TANDEM_BACKOFF_FACTOR           2
#define TANDEM_BACKOFF_MAX_MS           30000
#define TANDEM_BACKOFF_MAX_RETRIES      10

#define TANDEM_RAPID_CLOSE_COUNT        3
#define TANDEM_RAPID_CLOSE_WINDOW_MS    10000
#define TANDEM_RAPID_CLOSE_BACKOFF_MS   30000

/* The delay before retry @attempt (1-based) without jitter. */
guint    _tandem_backoff_base_delay   (guint   attempt);
/* @delay_ms * (0.8 + 0.4 * @random), rounded. */
guint    _tandem_backoff_jitter       (guint   delay_ms,
                                       double  random);
/* Both of the above. */
guint    _tandem_backoff_delay        (guint   attempt,
                                       double  random);

typedef struct
{
  gint64 closes[TANDEM_RAPID_CLOSE_COUNT]; /* monotonic µs, oldest first */
  guint  n_closes;
} TandemRapidClose;

/* Records a close at @now_us; TRUE when it is the TANDEM_RAPID_CLOSE_COUNT-th
 * within the window (the history is then cleared, so the next rapid series
 * starts afresh after the long back-off). */
gboolean _tandem_rapid_close_record   (TandemRapidClose *self,
                                       gint64            now_us);
void     _tandem_rapid_close_reset    (TandemRapidClose *self);

G_END_DECLS
