/* tandem-session-private.h: what TandemAuth needs of a session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-session.h"

G_BEGIN_DECLS

/* The token's lifetime in seconds, as the server gave it (expires_in). */
gint64         _tandem_session_get_expires_in (TandemSession *self);
/* The same tokens with another user object (after PUT /user); sessions are
 * immutable, so an update makes a new one. */
TandemSession *_tandem_session_new_with_user  (TandemSession *self,
                                               JsonObject    *user);

G_END_DECLS
