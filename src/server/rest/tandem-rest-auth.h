/* tandem-rest-auth.h: who a REST request runs as
 *
 * The Bearer token of the Authorization header, else the apikey header, is
 * verified as an HS256 JWT with the server's secret (tandem_jwt_verify,
 * `role` and `exp` required); its `role` must be one of the API roles
 * (anon, authenticated, service_role). Failures come back as PostgREST's
 * errors: 401 PGRST302 without a token, 401 PGRST301 for a bad one, 401
 * PGRST303 for an expired one, 403 42501 for another role. Verified tokens
 * are remembered (until they expire) so a client that sends the same token
 * on every request does not pay for the HMAC each time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tandem-rest-errors.h"

G_BEGIN_DECLS

typedef struct
{
  char     *role;           /* anon, authenticated or service_role */
  char     *claims_json;    /* the claims, for request.jwt.claims */
  char     *sub;            /* the `sub` claim, or "" */
  gint64    exp;            /* the `exp` claim */
  gboolean  authenticated;  /* role is not anon (42501 is then 403) */
} TandemRestAuth;

typedef struct _TandemRestAuthCache TandemRestAuthCache;

TandemRestAuthCache *tandem_rest_auth_cache_new   (const char          *jwt_secret);
void                 tandem_rest_auth_cache_free  (TandemRestAuthCache *cache);

/* Verifies @authorization (the Authorization header) or else @apikey at
 * @now_unix. Returns the caller (borrowed from the cache: valid until the
 * next call) or NULL with @error. */
const TandemRestAuth *tandem_rest_auth_verify     (TandemRestAuthCache *cache,
                                                   const char          *authorization,
                                                   const char          *apikey,
                                                   gint64               now_unix,
                                                   TandemRestError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestAuthCache, tandem_rest_auth_cache_free)

G_END_DECLS
