/* tandem-rt-types.h: the pieces of the Realtime endpoint and their settings
 *
 * A TandemRtHub owns the topics; each TandemRtSocket is one WebSocket
 * connection; a TandemRtChannel is one joined topic on one socket; a
 * TandemRtTopic groups the channels of every socket joined to the same
 * topic (the fan-out group) with its presence state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _TandemRtHub      TandemRtHub;
typedef struct _TandemRtSocket   TandemRtSocket;
typedef struct _TandemRtChannel  TandemRtChannel;
typedef struct _TandemRtTopic    TandemRtTopic;
typedef struct _TandemRtPresence TandemRtPresence;
typedef struct _TandemRtChanges  TandemRtChanges;

/* Every limit is configurable; the defaults are Supabase's (protocol.md §8),
 * except events per second, where a local server serving a whole LAN gets
 * more room than a hosted free tenant. */
typedef struct
{
  guint   max_payload_kb;              /* 3000 */
  guint   max_channels_per_client;     /* 100 */
  guint   max_events_per_second;       /* 10000, tenant-wide, 60 s average */
  guint   max_joins_per_second;        /* 100, tenant-wide */
  guint   presence_max_calls;          /* 5 … */
  guint   presence_window_ms;          /* … per 30000 ms, per channel */
  guint   idle_timeout_ms;             /* 60000 without inbound frames */
  guint   join_error_delay_ms;         /* 5000: Supabase delays error replies */
  guint   connect_error_delay_ms;      /* 2000: and refused upgrades */
  guint   max_record_bytes;            /* 1048576 for postgres_changes */
} TandemRtLimits;

void tandem_rt_limits_init_defaults (TandemRtLimits *limits);

G_END_DECLS
