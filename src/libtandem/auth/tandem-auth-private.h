/* tandem-auth-private.h: how a TandemClient makes its TandemAuth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-auth.h"
#include "tandem-session.h"
#include "tandem-clock-private.h"

G_BEGIN_DECLS

/* Refresh this long before the access token expires (auth-js: 90 s). */
#define TANDEM_AUTH_REFRESH_MARGIN_S 60

/* @auth_url: <project>/auth/v1. Automatic refresh runs on @clock. */
TandemAuth *_tandem_auth_new        (SoupSession *session,
                                     const char  *auth_url,
                                     const char  *api_key,
                                     TandemClock *clock);
void        _tandem_auth_set_clock  (TandemAuth  *self,
                                     TandemClock *clock);

G_END_DECLS
