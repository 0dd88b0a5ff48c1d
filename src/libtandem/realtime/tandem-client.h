/* tandem-client.h: one connection to a Supabase project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/**
 * TANDEM_CLIENT_ERROR:
 *
 * The error domain of the Realtime client: connections, channels, pushes.
 */
#define TANDEM_CLIENT_ERROR (tandem_client_error_quark ())

/**
 * TandemClientError:
 * @TANDEM_CLIENT_ERROR_INVALID_URL: the project URL is not an http(s) URL
 * @TANDEM_CLIENT_ERROR_INVALID_ARGUMENT: an argument is malformed (a channel
 *   name, an event name, a filter; the message says which)
 * @TANDEM_CLIENT_ERROR_NOT_JOINED: the channel is not subscribed and the
 *   operation cannot wait for it
 * @TANDEM_CLIENT_ERROR_TIMED_OUT: no reply within the push timeout
 * @TANDEM_CLIENT_ERROR_REFUSED: the server answered with an error; the
 *   message is the server's reason
 * @TANDEM_CLIENT_ERROR_CLOSED: the channel or the client was closed before
 *   the operation completed
 * @TANDEM_CLIENT_ERROR_BUFFER_FULL: too many pushes are waiting for the
 *   connection
 * @TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE: the message exceeds the server's
 *   limit
 * @TANDEM_CLIENT_ERROR_CONNECTION: the WebSocket could not be opened or was
 *   lost
 * @TANDEM_CLIENT_ERROR_PROTOCOL: the server sent something the protocol does
 *   not allow
 *
 * Errors in #TANDEM_CLIENT_ERROR.
 */
typedef enum
{
  TANDEM_CLIENT_ERROR_INVALID_URL,
  TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
  TANDEM_CLIENT_ERROR_NOT_JOINED,
  TANDEM_CLIENT_ERROR_TIMED_OUT,
  TANDEM_CLIENT_ERROR_REFUSED,
  TANDEM_CLIENT_ERROR_CLOSED,
  TANDEM_CLIENT_ERROR_BUFFER_FULL,
  TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE,
  TANDEM_CLIENT_ERROR_CONNECTION,
  TANDEM_CLIENT_ERROR_PROTOCOL,
} TandemClientError;

TANDEM_EXPORT
GQuark         tandem_client_error_quark        (void) G_GNUC_CONST;

#define TANDEM_TYPE_CLIENT (tandem_client_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemClient, tandem_client, TANDEM, CLIENT, GObject)

TANDEM_EXPORT
TandemClient  *tandem_client_new                (const char            *url,
                                                 const char            *api_key,
                                                 GError               **error);

TANDEM_EXPORT
const char    *tandem_client_get_url            (TandemClient          *self);
TANDEM_EXPORT
const char    *tandem_client_get_api_key        (TandemClient          *self);
TANDEM_EXPORT
SoupSession   *tandem_client_get_session        (TandemClient          *self);
TANDEM_EXPORT
TandemAuth    *tandem_client_get_auth           (TandemClient          *self);
TANDEM_EXPORT
TandemProtocolVersion tandem_client_get_protocol_version (TandemClient *self);

/* The token joins and REST requests carry: the signed-in session's access
 * token, else one set here (agents with a JWT of their own), else the API
 * key. */
TANDEM_EXPORT
const char    *tandem_client_get_access_token   (TandemClient          *self);
TANDEM_EXPORT
void           tandem_client_set_access_token   (TandemClient          *self,
                                                 const char            *token);

/* ---- the Realtime connection ---- */
TANDEM_EXPORT
TandemStatus   tandem_client_get_status         (TandemClient          *self);
TANDEM_EXPORT
void           tandem_client_connect            (TandemClient          *self);
TANDEM_EXPORT
void           tandem_client_disconnect         (TandemClient          *self);
TANDEM_EXPORT
void           tandem_client_reconnect_now      (TandemClient          *self);

/* ---- channels ---- */
TANDEM_EXPORT
TandemChannel *tandem_client_channel            (TandemClient          *self,
                                                 const char            *name,
                                                 TandemChannelOptions  *options);
TANDEM_EXPORT
void           tandem_client_remove_channel     (TandemClient          *self,
                                                 TandemChannel         *channel);
TANDEM_EXPORT
void           tandem_client_remove_all_channels (TandemClient         *self);
TANDEM_EXPORT
GListModel    *tandem_client_get_channels       (TandemClient          *self);
TANDEM_EXPORT
TandemStatus   tandem_client_get_channel_status (TandemClient          *self,
                                                 const char            *name);

/* Subscription helpers of the connection manager (see tandem-client.c). */
TANDEM_EXPORT
TandemChannel *tandem_client_subscribe_table    (TandemClient          *self,
                                                 const char            *schema,
                                                 const char            *table,
                                                 TandemChangeEvent      event,
                                                 const char            *filter,
                                                 GError               **error);

/* ---- diagnostics ---- */
TANDEM_EXPORT
JsonNode      *tandem_client_get_debug_info     (TandemClient          *self);

/* ---- REST ---- */
TANDEM_EXPORT
TandemQuery   *tandem_client_from               (TandemClient          *self,
                                                 const char            *table);
TANDEM_EXPORT
TandemQuery   *tandem_client_rpc                (TandemClient          *self,
                                                 const char            *function,
                                                 JsonNode              *args);

G_END_DECLS
