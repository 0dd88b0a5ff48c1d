/* tandem-auth-api.h: the GoTrue-compatible API at /auth/v1
 *
 * Email and password accounts in auth.users (bcrypt through pgcrypto),
 * HS256 access tokens and rotating refresh tokens, as the official
 * @supabase/auth-js client expects: POST /signup, POST /token
 * (grant_type=password|refresh_token), GET and PUT /user, POST /logout
 * (scope=global|local|others), GET /settings and GET /health, each behind
 * the anon or service-role key as Supabase's gateway requires.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-pg-pool.h"

G_BEGIN_DECLS

typedef struct
{
  guint jwt_expiry_seconds;     /* access token lifetime, 3600 */
  guint sign_in_rate_limit;     /* password sign-ins per client address … */
  guint sign_in_rate_window_s;  /* … per this many seconds (30 per 300) */
  guint refresh_token_reuse_interval_s; /* a spent refresh token still works this long, 10 */
} TandemAuthOptions;

void           tandem_auth_options_init_defaults (TandemAuthOptions *options);

typedef struct _TandemAuthApi TandemAuthApi;

TandemAuthApi *tandem_auth_api_new    (TandemPgPool            *pool,
                                       const char              *jwt_secret,
                                       const TandemAuthOptions *options);
void           tandem_auth_api_free   (TandemAuthApi           *self);
/* Registers the handlers under /auth/v1 on @server. */
void           tandem_auth_api_attach (TandemAuthApi           *self,
                                       SoupServer              *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemAuthApi, tandem_auth_api_free)

G_END_DECLS
