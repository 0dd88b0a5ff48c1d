/* tandem-connection-monitor.h: every channel of the client with its
 * status, retries, last error, time in state, traffic and the heartbeat
 * round trip, refreshed once a second from tandem_client_get_debug_info()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem.h"
#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CONNECTION_MONITOR (tandem_connection_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TandemConnectionMonitor, tandem_connection_monitor, TANDEM, CONNECTION_MONITOR, AdwWindow)

TandemConnectionMonitor *tandem_connection_monitor_new        (void);
TandemClient            *tandem_connection_monitor_get_client (TandemConnectionMonitor *self);
void                     tandem_connection_monitor_set_client (TandemConnectionMonitor *self,
                                                               TandemClient            *client);
/* Reads the debug info now (the timer does it once a second). */
void                     tandem_connection_monitor_refresh    (TandemConnectionMonitor *self);
/* A GListModel of TandemChannelInfo (for tests). */
GListModel              *tandem_connection_monitor_get_channels (TandemConnectionMonitor *self);

G_END_DECLS
