/* tandem-backoff.c: the reconnection schedule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-backoff-private.h"

guint
_tandem_backoff_base_delay (guint attempt)
{
  guint delay = TANDEM_BACKOFF_BASE_MS;

  /* Multiplying step by step stops at the cap, so no shift can overflow
   * however large @attempt is. */
  for (guint i = 1; i < attempt && delay < TANDEM_BACKOFF_MAX_MS; i++)
    delay *= TANDEM_BACKOFF_FACTOR;
  return MIN (delay, TANDEM_BACKOFF_MAX_MS);
}

guint
_tandem_backoff_jitter (guint  delay_ms,
                        double random)
{
  double factor;

  random = CLAMP (random, 0.0, 1.0);
  factor = 0.8 + 0.4 * random;
  return (guint) lround (delay_ms * factor);
}

guint
_tandem_backoff_delay (guint  attempt,
                       double random)
{
  return _tandem_backoff_jitter (_tandem_backoff_base_delay (attempt), random);
}

gboolean
_tandem_rapid_close_record (TandemRapidClose *self,
                            gint64            now_us)
{
  const gint64 window_us = (gint64) TANDEM_RAPID_CLOSE_WINDOW_MS * 1000;

  if (self->n_closes == TANDEM_RAPID_CLOSE_COUNT)
    {
      memmove (self->closes, self->closes + 1, sizeof self->closes[0] * (TANDEM_RAPID_CLOSE_COUNT - 1));
      self->n_closes--;
    }
  self->closes[self->n_closes++] = now_us;

  if (self->n_closes == TANDEM_RAPID_CLOSE_COUNT && now_us - self->closes[0] <= window_us)
    {
      _tandem_rapid_close_reset (self);
      return TRUE;
    }
  return FALSE;
}

void
_tandem_rapid_close_reset (TandemRapidClose *self)
{
  self->n_closes = 0;
}
