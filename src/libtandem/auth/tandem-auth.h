/* tandem-auth.h: signing in to a Supabase project (GoTrue)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/**
 * TANDEM_AUTH_ERROR:
 *
 * The error domain of #TandemAuth. The message is GoTrue's; the code
 * classifies it, and tandem_auth_error_get_code() gives GoTrue's own code
 * string (such as "invalid_credentials").
 */
#define TANDEM_AUTH_ERROR (tandem_auth_error_quark ())

/**
 * TandemAuthError:
 * @TANDEM_AUTH_ERROR_INVALID_CREDENTIALS: wrong email or password
 * @TANDEM_AUTH_ERROR_USER_EXISTS: sign-up with an email already registered
 * @TANDEM_AUTH_ERROR_WEAK_PASSWORD: the password is too weak
 * @TANDEM_AUTH_ERROR_VALIDATION: a field is missing or malformed
 * @TANDEM_AUTH_ERROR_RATE_LIMITED: too many attempts; try again later
 * @TANDEM_AUTH_ERROR_SESSION_EXPIRED: the refresh token is unknown, used or
 *   revoked: sign in again
 * @TANDEM_AUTH_ERROR_NOT_SIGNED_IN: the operation needs a session
 * @TANDEM_AUTH_ERROR_NETWORK: the server could not be reached
 * @TANDEM_AUTH_ERROR_SERVER: the server failed (5xx)
 * @TANDEM_AUTH_ERROR_PROTOCOL: the server's answer is not what GoTrue sends
 * @TANDEM_AUTH_ERROR_FAILED: any other refusal
 *
 * Errors in #TANDEM_AUTH_ERROR.
 */
typedef enum
{
  TANDEM_AUTH_ERROR_INVALID_CREDENTIALS,
  TANDEM_AUTH_ERROR_USER_EXISTS,
  TANDEM_AUTH_ERROR_WEAK_PASSWORD,
  TANDEM_AUTH_ERROR_VALIDATION,
  TANDEM_AUTH_ERROR_RATE_LIMITED,
  TANDEM_AUTH_ERROR_SESSION_EXPIRED,
  TANDEM_AUTH_ERROR_NOT_SIGNED_IN,
  TANDEM_AUTH_ERROR_NETWORK,
  TANDEM_AUTH_ERROR_SERVER,
  TANDEM_AUTH_ERROR_PROTOCOL,
  TANDEM_AUTH_ERROR_FAILED,
} TandemAuthError;

TANDEM_EXPORT
GQuark      tandem_auth_error_quark       (void) G_GNUC_CONST;
/* GoTrue's code string of an error in TANDEM_AUTH_ERROR, or NULL. */
TANDEM_EXPORT
const char *tandem_auth_error_get_code    (const GError *error);

/**
 * TandemAuthEvent:
 * @TANDEM_AUTH_SIGNED_IN: a session began (sign-in, sign-up, restore)
 * @TANDEM_AUTH_TOKEN_REFRESHED: the access token was refreshed
 * @TANDEM_AUTH_USER_UPDATED: the user's attributes changed
 * @TANDEM_AUTH_SIGNED_OUT: the session ended (sign-out, or a refresh was
 *   refused)
 *
 * Why #TandemAuth::session-changed was emitted.
 */
typedef enum
{
  TANDEM_AUTH_SIGNED_IN,
  TANDEM_AUTH_TOKEN_REFRESHED,
  TANDEM_AUTH_USER_UPDATED,
  TANDEM_AUTH_SIGNED_OUT,
} TandemAuthEvent;

/**
 * TandemSignOutScope:
 * @TANDEM_SIGN_OUT_LOCAL: this session only
 * @TANDEM_SIGN_OUT_GLOBAL: every session of the user
 * @TANDEM_SIGN_OUT_OTHERS: every other session of the user
 */
typedef enum
{
  TANDEM_SIGN_OUT_LOCAL,
  TANDEM_SIGN_OUT_GLOBAL,
  TANDEM_SIGN_OUT_OTHERS,
} TandemSignOutScope;

#define TANDEM_TYPE_AUTH (tandem_auth_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemAuth, tandem_auth, TANDEM, AUTH, GObject)

TANDEM_EXPORT
TandemSession *tandem_auth_get_session          (TandemAuth          *self);
/* The current access token, or NULL when signed out. */
TANDEM_EXPORT
const char    *tandem_auth_get_access_token     (TandemAuth          *self);

TANDEM_EXPORT
void           tandem_auth_sign_up_async        (TandemAuth          *self,
                                                 const char          *email,
                                                 const char          *password,
                                                 JsonObject          *user_data,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data_);
TANDEM_EXPORT
TandemSession *tandem_auth_sign_up_finish       (TandemAuth          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
TANDEM_EXPORT
void           tandem_auth_sign_in_with_password_async (TandemAuth   *self,
                                                 const char          *email,
                                                 const char          *password,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TANDEM_EXPORT
TandemSession *tandem_auth_sign_in_with_password_finish (TandemAuth  *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* Starts a session from a stored refresh token (the app keeps it in the
 * keyring), refreshing it at once. */
TANDEM_EXPORT
void           tandem_auth_restore_session_async (TandemAuth         *self,
                                                 const char          *refresh_token,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TANDEM_EXPORT
TandemSession *tandem_auth_restore_session_finish (TandemAuth        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
TANDEM_EXPORT
void           tandem_auth_refresh_session_async (TandemAuth         *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TANDEM_EXPORT
TandemSession *tandem_auth_refresh_session_finish (TandemAuth        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* The access token, refreshed first when it expires within the margin
 * (60 s); concurrent callers share one refresh. Returns the API key's
 * absence as NULL without error when signed out. */
TANDEM_EXPORT
void           tandem_auth_ensure_fresh_token_async (TandemAuth      *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TANDEM_EXPORT
char          *tandem_auth_ensure_fresh_token_finish (TandemAuth     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
TANDEM_EXPORT
void           tandem_auth_get_user_async       (TandemAuth          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TANDEM_EXPORT
JsonObject    *tandem_auth_get_user_finish      (TandemAuth          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* @attributes: {"data": {...user metadata...}} and/or "email", "password",
 * as GoTrue's PUT /user takes them. */
TANDEM_EXPORT
void           tandem_auth_update_user_async    (TandemAuth          *self,
                                                 JsonObject          *attributes,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TANDEM_EXPORT
JsonObject    *tandem_auth_update_user_finish   (TandemAuth          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* Ends the session locally even when the server cannot be reached (the
 * error then says so). */
TANDEM_EXPORT
void           tandem_auth_sign_out_async       (TandemAuth          *self,
                                                 TandemSignOutScope   scope,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TANDEM_EXPORT
gboolean       tandem_auth_sign_out_finish      (TandemAuth          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
