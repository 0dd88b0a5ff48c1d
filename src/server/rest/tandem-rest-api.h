/* tandem-rest-api.h: the PostgREST-compatible API at /rest/v1
 *
 * Each request runs in one transaction as the JWT's role (anon,
 * authenticated, service_role) with request.jwt.claims set, so row-level
 * security applies as on Supabase. Identifiers are quoted and values bound
 * as parameters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-pg-pool.h"

G_BEGIN_DECLS

typedef struct _TandemRestApi TandemRestApi;

TandemRestApi *tandem_rest_api_new    (TandemPgPool  *pool,
                                       const char    *jwt_secret);
void           tandem_rest_api_free   (TandemRestApi *self);
/* Registers the handlers under /rest/v1 on @server. */
void           tandem_rest_api_attach (TandemRestApi *self,
                                       SoupServer    *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestApi, tandem_rest_api_free)

G_END_DECLS
