/* tandem-auth-errors.h: GoTrue's errors, and how they are written
 *
 * Every failure of the Auth API is a GError in TANDEM_AUTH_ERROR whose code
 * names GoTrue's error code and HTTP status and whose message is GoTrue's
 * text, so handlers only decide *which* error, never its shape. The body
 * follows the request's X-Supabase-Api-Version: with 2024-01-01 or later it
 * is {"code": "<error_code>", "message": …}, otherwise the legacy
 * {"code": <status>, "error_code": …, "msg": …}. A few errors keep older
 * shapes, as GoTrue and Supabase's gateway do: the OAuth ones of /token
 * ({"error", "error_description"}) and the API key ones ({"message", "hint"}).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TANDEM_AUTH_ERROR (tandem_auth_error_quark ())

typedef enum
{
  TANDEM_AUTH_ERROR_VALIDATION_FAILED,          /* 400 validation_failed */
  TANDEM_AUTH_ERROR_BAD_JSON,                   /* 400 bad_json */
  TANDEM_AUTH_ERROR_INVALID_CREDENTIALS,        /* 400 invalid_credentials */
  TANDEM_AUTH_ERROR_EMAIL_NOT_CONFIRMED,        /* 400 email_not_confirmed */
  TANDEM_AUTH_ERROR_REFRESH_TOKEN_NOT_FOUND,    /* 400 refresh_token_not_found */
  TANDEM_AUTH_ERROR_REFRESH_TOKEN_ALREADY_USED, /* 400 refresh_token_already_used */
  TANDEM_AUTH_ERROR_BAD_JWT_CLAIM,              /* 400 bad_jwt (a claim of the wrong type) */
  TANDEM_AUTH_ERROR_PHONE_SIGNUP_DISABLED,      /* 400 phone_provider_disabled (sign-up) */
  TANDEM_AUTH_ERROR_NO_AUTHORIZATION,           /* 401 no_authorization */
  TANDEM_AUTH_ERROR_BAD_JWT,                    /* 403 bad_jwt */
  TANDEM_AUTH_ERROR_USER_NOT_FOUND,             /* 403 user_not_found */
  TANDEM_AUTH_ERROR_SESSION_NOT_FOUND,          /* 403 session_not_found */
  TANDEM_AUTH_ERROR_NOT_ADMIN,                  /* 403 not_admin */
  TANDEM_AUTH_ERROR_NOT_FOUND,                  /* 404 not_found */
  TANDEM_AUTH_ERROR_METHOD_NOT_ALLOWED,         /* 405 method_not_allowed */
  TANDEM_AUTH_ERROR_USER_ALREADY_EXISTS,        /* 422 user_already_exists */
  TANDEM_AUTH_ERROR_EMAIL_EXISTS,               /* 422 email_exists */
  TANDEM_AUTH_ERROR_WEAK_PASSWORD,              /* 422 weak_password, with weak_password.reasons */
  TANDEM_AUTH_ERROR_SAME_PASSWORD,              /* 422 same_password */
  TANDEM_AUTH_ERROR_PHONE_PROVIDER_DISABLED,    /* 422 phone_provider_disabled (sign-in, update) */
  TANDEM_AUTH_ERROR_OVER_REQUEST_RATE_LIMIT,    /* 429 over_request_rate_limit */
  TANDEM_AUTH_ERROR_UNEXPECTED_FAILURE,         /* 500 unexpected_failure */
  /* OAuth-shaped, 400: {"error": "<name>", "error_description": message} */
  TANDEM_AUTH_ERROR_OAUTH_INVALID_REQUEST,      /* invalid_request */
  TANDEM_AUTH_ERROR_OAUTH_UNSUPPORTED_GRANT,    /* unsupported_grant_type (no description) */
  /* The gateway's, 401: {"message": message, "hint": …} */
  TANDEM_AUTH_ERROR_NO_API_KEY,
  TANDEM_AUTH_ERROR_INVALID_API_KEY,
} TandemAuthErrorCode;

/* The weak-password rule: GoTrue's default minimum length, and bcrypt's
 * maximum (bytes, as GoTrue counts them). */
#define TANDEM_AUTH_PASSWORD_MIN_LENGTH 6
#define TANDEM_AUTH_PASSWORD_MAX_LENGTH 72

GQuark      tandem_auth_error_quark          (void) G_GNUC_CONST;

/* The HTTP status and GoTrue error code (e.g. "invalid_credentials") of
 * @code; the code is NULL for the gateway's errors. */
guint       tandem_auth_error_get_status     (TandemAuthErrorCode code);
const char *tandem_auth_error_get_code_name  (TandemAuthErrorCode code);

/* The response body for @error (any domain: errors outside TANDEM_AUTH_ERROR
 * are an unexpected_failure with a generic message). @api_2024 selects the
 * 2024-01-01 shape. Sets @status. */
JsonNode   *tandem_auth_error_to_json        (const GError        *error,
                                              gboolean             api_2024,
                                              guint               *status);

/* Whether an X-Supabase-Api-Version value (nullable) asks for the
 * 2024-01-01 error shape: a valid YYYY-MM-DD date on or after it. */
gboolean    tandem_auth_api_version_is_2024  (const char          *header);

/* Turns a TANDEM_JWT_ERROR from verifying an access token into GoTrue's
 * bad_jwt error ("invalid JWT: unable to parse or verify signature, …"). */
GError     *tandem_auth_error_from_jwt_error (const GError        *jwt_error);

/* Logs @error (a database or other internal failure) and returns GoTrue's
 * unexpected_failure with @what ("Database error querying schema"). */
GError     *tandem_auth_error_internal       (const GError        *error,
                                              const char          *what);

G_END_DECLS
