/* tandem-rt-hub.h: the Realtime endpoint: topics, channels and fan-out
 *
 * The hub is what tandem-server mounts on its SoupServer: the WebSocket
 * endpoint at /realtime/v1/websocket (and /socket/websocket, the bare
 * Realtime path) and the REST broadcast endpoints. It owns every connected
 * socket and every topic, and hands committed database changes to the
 * subscribed channels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-rt-types.h"
#include "tandem-message.h"
#include "tandem-wal-stream.h"

G_BEGIN_DECLS

TandemRtHub *tandem_rt_hub_new               (const TandemRtLimits *limits,
                                              const char           *jwt_secret);
void         tandem_rt_hub_free              (TandemRtHub          *hub);

/* Registers the WebSocket and REST handlers on @server. */
void         tandem_rt_hub_attach            (TandemRtHub          *hub,
                                              SoupServer           *server);

/* postgres_changes: @changes validates subscriptions against the database
 * and receives the WAL stream (NULL: postgres_changes joins get an error). */
void         tandem_rt_hub_set_changes       (TandemRtHub          *hub,
                                              TandemRtChanges      *changes);
TandemRtChanges *tandem_rt_hub_get_changes   (TandemRtHub          *hub);

/* Closes every socket (code 1001, going away) and refuses new joins. */
void         tandem_rt_hub_shutdown          (TandemRtHub          *hub);

guint        tandem_rt_hub_get_n_sockets     (TandemRtHub          *hub);
guint        tandem_rt_hub_get_n_channels    (TandemRtHub          *hub);

/* Health data for GET /health. */
JsonObject  *tandem_rt_hub_dup_stats         (TandemRtHub          *hub);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRtHub, tandem_rt_hub_free)

G_END_DECLS
