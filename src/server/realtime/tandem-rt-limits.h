/* tandem-rt-limits.h: rate counters for the Realtime limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-rt-types.h"

G_BEGIN_DECLS

#define TANDEM_RT_RATE_BUCKETS 12

/* Supabase's tenant counters: events counted in 5 s buckets over the last
 * 60 s, the rate being the average per second over the buckets seen so far
 * (sum / n_buckets / 5), tripping while it exceeds the limit. */
typedef struct
{
  gint64  bucket_usec;
  gint64  current_start;
  guint64 buckets[TANDEM_RT_RATE_BUCKETS];
  guint   n_buckets;     /* buckets filled so far, at most TANDEM_RT_RATE_BUCKETS */
  guint   head;          /* index of the current bucket */
} TandemRtRateCounter;

void    tandem_rt_rate_counter_init  (TandemRtRateCounter *counter,
                                      gint64               bucket_usec);
void    tandem_rt_rate_counter_add   (TandemRtRateCounter *counter,
                                      gint64               now_usec,
                                      guint64              n);
double  tandem_rt_rate_counter_rate  (TandemRtRateCounter *counter,
                                      gint64               now_usec);

/* A fixed window: at most @max events per @window_usec (joins per second,
 * presence calls per 30 s). */
typedef struct
{
  gint64 window_usec;
  gint64 window_start;
  guint  count;
} TandemRtWindowCounter;

void     tandem_rt_window_counter_init (TandemRtWindowCounter *counter,
                                        gint64                 window_usec);
/* Counts one event; FALSE when that exceeds @max in the current window. */
gboolean tandem_rt_window_counter_hit  (TandemRtWindowCounter *counter,
                                        gint64                 now_usec,
                                        guint                  max);

G_END_DECLS
