/* tandem-connection-watch.h: what to tell people about a client's
 * connection: a state, the seconds until the next attempt, the last error
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem.h"
#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CONNECTION_WATCH (tandem_connection_watch_get_type ())
G_DECLARE_FINAL_TYPE (TandemConnectionWatch, tandem_connection_watch, TANDEM, CONNECTION_WATCH, GObject)

TandemConnectionWatch *tandem_connection_watch_new                  (void);

TandemClient          *tandem_connection_watch_get_client           (TandemConnectionWatch *self);
void                   tandem_connection_watch_set_client           (TandemConnectionWatch *self,
                                                                     TandemClient          *client);
TandemConnectionState  tandem_connection_watch_get_state            (TandemConnectionWatch *self);
/* While reconnecting: whole seconds until the next attempt (from the
 * client's debug info `next_attempt_ms`, counted down once a second), or
 * -1 while an attempt is under way. */
int                    tandem_connection_watch_get_seconds_to_retry (TandemConnectionWatch *self);
const char            *tandem_connection_watch_get_last_error       (TandemConnectionWatch *self);
/* A short text for the header ("Connected", "Reconnecting in 4 s", …). */
char                  *tandem_connection_watch_dup_summary          (TandemConnectionWatch *self);
/* A sentence for the banner. */
char                  *tandem_connection_watch_dup_description      (TandemConnectionWatch *self);
/* tandem_client_reconnect_now(). */
void                   tandem_connection_watch_reconnect_now        (TandemConnectionWatch *self);

G_END_DECLS
