/* tandem-jwt.h: HS256 JSON Web Tokens, as Supabase issues and checks them
 *
 * Shared by tandem-server (issuing and verifying keys and access tokens) and
 * libtandem (reading the expiry of a session's access token).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TANDEM_JWT_ERROR (tandem_jwt_error_quark ())

/* The messages carried by these errors are Supabase Realtime's own texts
 * (see protocol.md §1.3 and §2.3), so callers can pass them on verbatim. */
typedef enum
{
  TANDEM_JWT_ERROR_MALFORMED,       /* "The token provided is not a valid JWT" */
  TANDEM_JWT_ERROR_SIGNATURE,       /* "Failed to validate JWT signature" */
  TANDEM_JWT_ERROR_ALGORITHM,       /* "Failed to generate JWT signer: unsupported algorithm <alg>" */
  TANDEM_JWT_ERROR_MISSING_CLAIMS,  /* "Fields `role` and `exp` are required in JWT" */
  TANDEM_JWT_ERROR_INVALID_EXPIRY,  /* "Token expiration time is invalid" */
  TANDEM_JWT_ERROR_EXPIRED,         /* "Token has expired N seconds ago" */
} TandemJwtError;

typedef enum
{
  TANDEM_JWT_VERIFY_DEFAULT        = 0,
  /* Realtime and the REST API refuse tokens without `role` and `exp`. */
  TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP = 1 << 0,
  /* Accept an expired token (still checks the signature): used by the server
   * to report "expired N seconds ago" and by clients reading a stale token. */
  TANDEM_JWT_VERIFY_ALLOW_EXPIRED  = 1 << 1,
} TandemJwtVerifyFlags;

GQuark      tandem_jwt_error_quark        (void) G_GNUC_CONST;

/* Signs @claims (header {"alg":"HS256","typ":"JWT"}) with @secret, the
 * secret's bytes as UTF-8 text, as Supabase does. Returns a newly allocated
 * compact token. */
char       *tandem_jwt_sign_hs256         (JsonObject           *claims,
                                           const char           *secret);

/* Verifies signature (HS256 only), then the `role`/`exp` requirement when
 * asked, then expiry against @now_unix (seconds). `exp` and `iat` may be
 * decimal numbers (rounded half away from zero); the returned claims hold
 * them as integers. Returns the claims (transfer full) or NULL with @error
 * set in TANDEM_JWT_ERROR. Check order: malformed, algorithm, signature,
 * missing claims, invalid expiry, expired.
 *
 * Details: MALFORMED when the token is not three base64url segments whose
 * first two are JSON objects (strict JSON); ALGORITHM when `alg` is not
 * "HS256" (including "none"), with "missing algorithm" when it is absent or
 * not a string; `role` must be a string to count as present; an `exp` or
 * `iat` that is not a number in gint64 range is INVALID_EXPIRY; expired
 * means exp <= now. Without REQUIRE_ROLE_EXP a token without `exp` never
 * expires. The caller strips whitespace from the token first if it wants
 * to (Realtime does for the apikey). */
JsonObject *tandem_jwt_verify             (const char           *token,
                                           const char           *secret,
                                           TandemJwtVerifyFlags  flags,
                                           gint64                now_unix,
                                           GError              **error);

/* Decodes the claims without checking the signature or the algorithm (for
 * clients that only need `exp`); decimal exp/iat are rounded as above. NULL
 * with TANDEM_JWT_ERROR_MALFORMED when not a JWT. */
JsonObject *tandem_jwt_decode_unverified  (const char           *token,
                                           GError              **error);

/* Reads `exp` (rounded) from @claims; FALSE when missing or not a number. */
gboolean    tandem_jwt_claims_get_exp     (JsonObject           *claims,
                                           gint64               *exp);

/* Unpadded base64url (RFC 4648 §5). Decoding also accepts correct padding;
 * returns NULL on bad input, including non-canonical encodings (non-zero
 * unused bits). The decoded buffer is NUL-terminated (not counted in
 * @out_len) and non-NULL even when empty; @out_len may be NULL. */
char       *tandem_base64url_encode       (const guint8         *data,
                                           gsize                 len);
guint8     *tandem_base64url_decode       (const char           *text,
                                           gsize                 text_len,
                                           gsize                *out_len);

/* A random secret suitable for HS256 (@n_bytes, 1 to 4096, of getrandom()
 * entropy, as base64url text). */
char       *tandem_jwt_generate_secret    (gsize                 n_bytes);

G_END_DECLS
