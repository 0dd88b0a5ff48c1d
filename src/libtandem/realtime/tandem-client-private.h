/* tandem-client-private.h: what the rest of libtandem (and its tests) may
 * ask of a TandemClient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-client.h"
#include "tandem-clock-private.h"

G_BEGIN_DECLS

/* <url>/rest/v1, <url>/auth/v1, <url>/realtime/v1 (no trailing slash). */
const char  *_tandem_client_get_rest_url     (TandemClient *self);
const char  *_tandem_client_get_auth_url     (TandemClient *self);
const char  *_tandem_client_get_realtime_url (TandemClient *self);
TandemClock *_tandem_client_get_clock        (TandemClient *self);
/* Tests: replace the clock. Call right after construction, before
 * connecting or signing in. */
void         _tandem_client_set_clock        (TandemClient *self,
                                              TandemClock  *clock);

/* The Realtime connection, for tests, benchmarks and diagnostics. */
/* Before the first connect: whether to follow GNetworkMonitor and logind's
 * PrepareForSleep (default TRUE; tests turn it off and simulate them). */
void         _tandem_client_set_system_integration (TandemClient *self,
                                                    gboolean      enabled);
/* What a GNetworkMonitor::network-changed does. */
void         _tandem_client_network_changed  (TandemClient *self,
                                              gboolean      available);
/* What resuming from suspend (PrepareForSleep false) does. */
void         _tandem_client_resumed          (TandemClient *self);
/* Failed attempts since the last open. */
guint        _tandem_client_get_retries      (TandemClient *self);
/* Milliseconds until the scheduled attempt, or -1. */
gint64       _tandem_client_get_next_attempt_ms (TandemClient *self);

G_END_DECLS
