/* tandem-rt-limits.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-rt-limits.h"

void
tandem_rt_limits_init_defaults (TandemRtLimits *limits)
{
  limits->max_payload_kb = 3000;
  limits->max_channels_per_client = 100;
  limits->max_events_per_second = 10000;
  limits->max_joins_per_second = 100;
  limits->presence_max_calls = 5;
  limits->presence_window_ms = 30000;
  limits->idle_timeout_ms = 60000;
  limits->join_error_delay_ms = 5000;
  limits->connect_error_delay_ms = 2000;
  limits->max_record_bytes = 1024 * 1024;
}

void
tandem_rt_rate_counter_init (TandemRtRateCounter *counter,
                             gint64               bucket_usec)
{
  memset (counter, 0, sizeof *counter);
  counter->bucket_usec = bucket_usec;
}

static void
rate_counter_advance (TandemRtRateCounter *counter,
                      gint64               now_usec)
{
  if (counter->n_buckets == 0)
    {
      counter->current_start = now_usec;
      counter->n_buckets = 1;
      counter->head = 0;
      counter->buckets[0] = 0;
      return;
    }

  while (now_usec - counter->current_start >= counter->bucket_usec)
    {
      /* A long silence clears everything at once. */
      if (now_usec - counter->current_start >= counter->bucket_usec * TANDEM_RT_RATE_BUCKETS)
        {
          memset (counter->buckets, 0, sizeof counter->buckets);
          counter->n_buckets = 1;
          counter->head = 0;
          counter->current_start = now_usec;
          return;
        }
      counter->head = (counter->head + 1) % TANDEM_RT_RATE_BUCKETS;
      counter->buckets[counter->head] = 0;
      counter->n_buckets = MIN (counter->n_buckets + 1, TANDEM_RT_RATE_BUCKETS);
      counter->current_start += counter->bucket_usec;
    }
}

void
tandem_rt_rate_counter_add (TandemRtRateCounter *counter,
                            gint64               now_usec,
                            guint64              n)
{
  rate_counter_advance (counter, now_usec);
  counter->buckets[counter->head] += n;
}

double
tandem_rt_rate_counter_rate (TandemRtRateCounter *counter,
                             gint64               now_usec)
{
  guint64 sum = 0;

  rate_counter_advance (counter, now_usec);
  for (guint i = 0; i < TANDEM_RT_RATE_BUCKETS; i++)
    sum += counter->buckets[i];

  return (double) sum / counter->n_buckets / ((double) counter->bucket_usec / G_USEC_PER_SEC);
}

void
tandem_rt_window_counter_init (TandemRtWindowCounter *counter,
                               gint64                 window_usec)
{
  counter->window_usec = window_usec;
  counter->window_start = 0;
  counter->count = 0;
}

gboolean
tandem_rt_window_counter_hit (TandemRtWindowCounter *counter,
                              gint64                 now_usec,
                              guint                  max)
{
  if (counter->count == 0 || now_usec - counter->window_start >= counter->window_usec)
    {
      counter->window_start = now_usec;
      counter->count = 0;
    }
  counter->count++;
  return counter->count <= max;
}
