/* tandem-session.h: a signed-in session (tokens and user)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <glib-object.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/* Immutable: a refresh makes a new session. */
#define TANDEM_TYPE_SESSION (tandem_session_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemSession, tandem_session, TANDEM, SESSION, GObject)

/* From a GoTrue token response ({access_token, refresh_token, expires_in,
 * expires_at?, token_type, user}); NULL with TANDEM_AUTH_ERROR_PROTOCOL when
 * it is not one. @now_unix computes expires_at when the response lacks it. */
TANDEM_EXPORT
TandemSession *tandem_session_new_from_json    (JsonObject    *response,
                                                gint64         now_unix,
                                                GError       **error);
TANDEM_EXPORT
const char    *tandem_session_get_access_token  (TandemSession *self);
TANDEM_EXPORT
const char    *tandem_session_get_refresh_token (TandemSession *self);
/* Unix seconds. */
TANDEM_EXPORT
gint64         tandem_session_get_expires_at    (TandemSession *self);
TANDEM_EXPORT
JsonObject    *tandem_session_get_user          (TandemSession *self);
TANDEM_EXPORT
const char    *tandem_session_get_user_id       (TandemSession *self);
TANDEM_EXPORT
const char    *tandem_session_get_email         (TandemSession *self);

G_END_DECLS
