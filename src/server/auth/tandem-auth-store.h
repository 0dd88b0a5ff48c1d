/* tandem-auth-store.h: the Auth API's SQL over auth.users and auth.sessions
 *
 * Each call borrows a pool connection for its statements (see
 * tandem-auth-op.h) and fails with GoTrue's error for the case
 * (TANDEM_AUTH_ERROR). Inputs are already validated by the caller.
 * Passwords are hashed and checked by PostgreSQL (bcrypt, pgcrypto).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-auth-op.h"
#include "tandem-auth-user.h"

G_BEGIN_DECLS

/* A signed-in session: what an access token and a session response are
 * made of. */
typedef struct
{
  TandemAuthUser *user;
  char           *session_id;
  char           *refresh_token;     /* the token itself, for the client */
  gint64          authenticated_at;  /* the session's sign-in, seconds */
} TandemAuthGrant;

void             tandem_auth_grant_free          (TandemAuthGrant *grant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemAuthGrant, tandem_auth_grant_free)

/* Where a request came from, kept with its session. */
typedef struct
{
  const char *user_agent;  /* nullable */
  const char *ip;          /* nullable; an IP address */
} TandemAuthClient;

/* Creates a confirmed user (local users need no mail) with an "email"
 * identity, and signs it in. @data (nullable) is the user metadata given at
 * sign-up. Fails with user_already_exists. */
void             tandem_auth_store_sign_up_async  (TandemPgPool           *pool,
                                                   const char             *email,
                                                   const char             *password,
                                                   JsonObject             *data,
                                                   const TandemAuthClient *client,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
TandemAuthGrant *tandem_auth_store_sign_up_finish (GAsyncResult           *result,
                                                   GError                **error);

/* A password sign-in: a new session with a new refresh token. Fails with
 * invalid_credentials (unknown address or wrong password) or
 * email_not_confirmed. */
void             tandem_auth_store_sign_in_async  (TandemPgPool           *pool,
                                                   const char             *email,
                                                   const char             *password,
                                                   const TandemAuthClient *client,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
TandemAuthGrant *tandem_auth_store_sign_in_finish (GAsyncResult           *result,
                                                   GError                **error);

/* The user of an access token, checking that its session (nullable: none
 * in the token) still exists. Fails with user_not_found or
 * session_not_found. */
void             tandem_auth_store_get_user_async  (TandemPgPool          *pool,
                                                    const char            *user_id,
                                                    const char            *session_id,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
TandemAuthUser  *tandem_auth_store_get_user_finish (GAsyncResult          *result,
                                                    GError               **error);

typedef struct
{
  const char *email;     /* nullable: unchanged; validated, lower case */
  const char *password;  /* nullable: unchanged; strong enough */
  JsonObject *data;      /* nullable: merged into user_metadata, null values remove keys */
} TandemAuthUserChanges;

/* Applies @changes to the user; a new password ends the user's other
 * sessions than @session_id. Fails with email_exists or same_password. */
void             tandem_auth_store_update_user_async  (TandemPgPool                *pool,
                                                       const char                  *user_id,
                                                       const char                  *session_id,
                                                       const TandemAuthUserChanges *changes,
                                                       GAsyncReadyCallback          callback,
                                                       gpointer                     user_data);
TandemAuthUser  *tandem_auth_store_update_user_finish (GAsyncResult                *result,
                                                       GError                     **error);

typedef enum
{
  TANDEM_AUTH_LOGOUT_GLOBAL,  /* every session of the user */
  TANDEM_AUTH_LOGOUT_LOCAL,   /* this session */
  TANDEM_AUTH_LOGOUT_OTHERS,  /* every other session */
} TandemAuthLogoutScope;

/* Ends sessions (their refresh tokens go with them). Without @session_id,
 * every scope is global, as in GoTrue. */
void             tandem_auth_store_logout_async  (TandemPgPool          *pool,
                                                  const char            *user_id,
                                                  const char            *session_id,
                                                  TandemAuthLogoutScope  scope,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
gboolean         tandem_auth_store_logout_finish (GAsyncResult          *result,
                                                  GError               **error);

/* Rotates a refresh token (see tandem-auth-refresh.c): the grant carries
 * the token the client should use next. A revoked token is accepted again
 * only as the parent of the session's current token (which is handed out
 * again) or within @reuse_interval_s of its rotation; otherwise every token
 * of its session is revoked and it fails with refresh_token_already_used.
 * Unknown tokens fail with refresh_token_not_found. */
void             tandem_auth_store_refresh_async  (TandemPgPool           *pool,
                                                   const char             *secret,
                                                   const char             *refresh_token,
                                                   guint                   reuse_interval_s,
                                                   const TandemAuthClient *client,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
TandemAuthGrant *tandem_auth_store_refresh_finish (GAsyncResult           *result,
                                                   GError                **error);

/* Shared by the store's files. An op that ends in a grant has data whose
 * first member is the grant being built (with session_id, refresh_token and
 * authenticated_at set); this loads user @user_id into it and returns it. */
typedef struct
{
  TandemAuthGrant *grant;
} TandemAuthGrantOpData;

void             tandem_auth_store_finish_grant   (TandemAuthOp           *op,
                                                   const char             *user_id);

G_END_DECLS
