/* tandem-types.h: every public libtandem type, declared once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tandem-macros.h"

G_BEGIN_DECLS

typedef struct _TandemClient         TandemClient;
typedef struct _TandemChannel        TandemChannel;
typedef struct _TandemChannelOptions TandemChannelOptions;
typedef struct _TandemPresence       TandemPresence;
typedef struct _TandemPresenceEntry  TandemPresenceEntry;
typedef struct _TandemChange         TandemChange;
typedef struct _TandemAuth           TandemAuth;
typedef struct _TandemSession        TandemSession;
typedef struct _TandemQuery          TandemQuery;
typedef struct _TandemOutbox         TandemOutbox;

/**
 * TandemStatus:
 * @TANDEM_STATUS_DISCONNECTED: not connected and not trying to be
 * @TANDEM_STATUS_CONNECTING: a first connection or join is under way
 * @TANDEM_STATUS_CONNECTED: connected (for a channel: joined)
 * @TANDEM_STATUS_RECONNECTING: the connection was lost and a new attempt is
 *   scheduled or under way
 * @TANDEM_STATUS_ERROR: retries are exhausted or the server refused; see the
 *   last error
 *
 * The state of the client's connection and of each channel.
 */
typedef enum
{
  TANDEM_STATUS_DISCONNECTED,
  TANDEM_STATUS_CONNECTING,
  TANDEM_STATUS_CONNECTED,
  TANDEM_STATUS_RECONNECTING,
  TANDEM_STATUS_ERROR,
} TandemStatus;

/**
 * TandemProtocolVersion:
 * @TANDEM_PROTOCOL_1_0_0: `vsn=1.0.0`, JSON object frames
 * @TANDEM_PROTOCOL_2_0_0: `vsn=2.0.0`, JSON array frames and binary
 *   broadcasts (the default, as in current realtime-js)
 *
 * The Realtime serializer spoken on the WebSocket.
 */
typedef enum
{
  TANDEM_PROTOCOL_1_0_0,
  TANDEM_PROTOCOL_2_0_0,
} TandemProtocolVersion;

/**
 * TandemSubscribeState:
 * @TANDEM_SUBSCRIBE_SUBSCRIBED: the join succeeded (again after every rejoin)
 * @TANDEM_SUBSCRIBE_TIMED_OUT: no join reply in time
 * @TANDEM_SUBSCRIBE_CLOSED: the channel was closed by the server or left
 * @TANDEM_SUBSCRIBE_CHANNEL_ERROR: the server refused the join, or the
 *   channel failed
 *
 * The outcome of a subscription, as realtime-js reports it.
 */
typedef enum
{
  TANDEM_SUBSCRIBE_SUBSCRIBED,
  TANDEM_SUBSCRIBE_TIMED_OUT,
  TANDEM_SUBSCRIBE_CLOSED,
  TANDEM_SUBSCRIBE_CHANNEL_ERROR,
} TandemSubscribeState;

/**
 * TandemChangeEvent:
 * @TANDEM_CHANGE_ALL: every event (`*`)
 * @TANDEM_CHANGE_INSERT: inserted rows
 * @TANDEM_CHANGE_UPDATE: updated rows
 * @TANDEM_CHANGE_DELETE: deleted rows
 *
 * Which row changes a postgres_changes binding wants.
 */
typedef enum
{
  TANDEM_CHANGE_ALL,
  TANDEM_CHANGE_INSERT,
  TANDEM_CHANGE_UPDATE,
  TANDEM_CHANGE_DELETE,
} TandemChangeEvent;

G_END_DECLS
