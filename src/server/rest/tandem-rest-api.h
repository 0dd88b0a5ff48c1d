/* tandem-rest-api.h: the PostgREST-compatible API at /rest/v1
 *
 * Each request runs in one transaction as the JWT's role (anon,
 * authenticated, service_role) with request.jwt.claims set, so row-level
 * security applies as on Supabase. Identifiers are quoted and values bound
 * as parameters. See tandem-rest-api.c for a request's path.
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
/* Closes the API's own database connections (it keeps a pool of its own,
 * opened with the server pool's conninfo): call when the server stops,
 * before PostgreSQL goes away. Requests still waiting fail with 503. */
void           tandem_rest_api_close  (TandemRestApi *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestApi, tandem_rest_api_free)

G_END_DECLS
