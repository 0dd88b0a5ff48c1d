/* tandem-auth-tokens.h: the tokens of the Auth API
 *
 * Access tokens are HS256 JWTs signed with the server's secret, with the
 * claims GoTrue puts in them (sub, aud, role "authenticated", email,
 * session_id, aal, amr, exp, …). Refresh tokens are opaque random strings;
 * the database keeps only their SHA-256. A rotated token's child is derived
 * from the parent's text with the secret (HMAC-SHA256) and a per-child
 * nonce, so the server can hand the same child out again when a client lost
 * the answer to a refresh, without storing any token.
 *
 * No I/O here: everything takes the time and the secret as arguments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-auth-user.h"

G_BEGIN_DECLS

/* Signs the access token of @user's session @session_id, issued at @now
 * (seconds) for @expiry_s seconds, with "iss" @issuer
 * ("http://host:port/auth/v1") and the session's password sign-in at
 * @authenticated_at (seconds) as its "amr". Returns the token; *@expires_at
 * (nullable) gets its exp. */
char       *tandem_auth_issue_access_token   (const char           *secret,
                                              const TandemAuthUser *user,
                                              const char           *session_id,
                                              const char           *issuer,
                                              gint64                authenticated_at,
                                              gint64                now,
                                              guint                 expiry_s,
                                              gint64               *expires_at);

/* Checks a bearer token as GoTrue does for /user and /logout: a valid HS256
 * signature, not expired at @now, a "sub" that is a UUID and, when present,
 * a "session_id" that is one too. Returns the claims, or NULL with a
 * TANDEM_AUTH_ERROR (bad_jwt). */
JsonObject *tandem_auth_verify_access_token  (const char           *token,
                                              const char           *secret,
                                              gint64                now,
                                              GError              **error);

/* Whether @apikey (the apikey header or parameter) is one of the server's
 * keys: a JWT signed with @secret for the "anon" or "service_role" role, not
 * expired at @now. Sets TANDEM_AUTH_ERROR_NO_API_KEY or _INVALID_API_KEY. */
gboolean    tandem_auth_check_api_key        (const char           *apikey,
                                              const char           *secret,
                                              gint64                now,
                                              GError              **error);

/* A new random refresh token (256 bits, base64url). */
char       *tandem_auth_new_refresh_token    (void);
/* A new random nonce for deriving a child token. */
char       *tandem_auth_new_token_nonce      (void);
/* The child of refresh token @parent with @nonce. */
char       *tandem_auth_derive_refresh_token (const char           *secret,
                                              const char           *parent,
                                              const char           *nonce);
/* What the database stores for @token: its SHA-256, lower-case hex. */
char       *tandem_auth_hash_refresh_token   (const char           *token);

G_END_DECLS
