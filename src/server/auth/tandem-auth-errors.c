/* tandem-auth-errors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-jwt.h"

G_DEFINE_QUARK (tandem-auth-error-quark, tandem_auth_error)

typedef enum
{
  SHAPE_GOTRUE,
  SHAPE_OAUTH,
  SHAPE_GATEWAY,
} Shape;

typedef struct
{
  guint       status;
  const char *name;   /* GoTrue's error code, the OAuth error, or NULL */
  Shape       shape;
  const char *hint;   /* the gateway's hint */
} ErrorInfo;

static const ErrorInfo error_infos[] = {
  [TANDEM_AUTH_ERROR_VALIDATION_FAILED]          = { 400, "validation_failed", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_BAD_JSON]                   = { 400, "bad_json", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_INVALID_CREDENTIALS]        = { 400, "invalid_credentials", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_EMAIL_NOT_CONFIRMED]        = { 400, "email_not_confirmed", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_REFRESH_TOKEN_NOT_FOUND]    = { 400, "refresh_token_not_found", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_REFRESH_TOKEN_ALREADY_USED] = { 400, "refresh_token_already_used", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_BAD_JWT_CLAIM]              = { 400, "bad_jwt", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_PHONE_SIGNUP_DISABLED]      = { 400, "phone_provider_disabled", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_NO_AUTHORIZATION]           = { 401, "no_authorization", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_BAD_JWT]                    = { 403, "bad_jwt", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_USER_NOT_FOUND]             = { 403, "user_not_found", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_SESSION_NOT_FOUND]          = { 403, "session_not_found", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_NOT_ADMIN]                  = { 403, "not_admin", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_NOT_FOUND]                  = { 404, "not_found", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_METHOD_NOT_ALLOWED]         = { 405, "method_not_allowed", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_USER_ALREADY_EXISTS]        = { 422, "user_already_exists", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_EMAIL_EXISTS]               = { 422, "email_exists", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_WEAK_PASSWORD]              = { 422, "weak_password", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_SAME_PASSWORD]              = { 422, "same_password", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_PHONE_PROVIDER_DISABLED]    = { 422, "phone_provider_disabled", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_OVER_REQUEST_RATE_LIMIT]    = { 429, "over_request_rate_limit", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_UNEXPECTED_FAILURE]         = { 500, "unexpected_failure", SHAPE_GOTRUE, NULL },
  [TANDEM_AUTH_ERROR_OAUTH_INVALID_REQUEST]      = { 400, "invalid_request", SHAPE_OAUTH, NULL },
  [TANDEM_AUTH_ERROR_OAUTH_UNSUPPORTED_GRANT]    = { 400, "unsupported_grant_type", SHAPE_OAUTH, NULL },
  [TANDEM_AUTH_ERROR_NO_API_KEY]                 = { 401, NULL, SHAPE_GATEWAY,
                                                     "No 'apikey' request header or url param was found." },
  [TANDEM_AUTH_ERROR_INVALID_API_KEY]            = { 401, NULL, SHAPE_GATEWAY, "Double check your API key." },
};

/* What an error from another domain tells the client. */
#define UNEXPECTED_MESSAGE "Unexpected failure, please check server logs for more information"

static const ErrorInfo *
lookup_info (TandemAuthErrorCode code)
{
  g_return_val_if_fail ((guint) code < G_N_ELEMENTS (error_infos), &error_infos[TANDEM_AUTH_ERROR_UNEXPECTED_FAILURE]);

  return &error_infos[code];
}

guint
tandem_auth_error_get_status (TandemAuthErrorCode code)
{
  return lookup_info (code)->status;
}

const char *
tandem_auth_error_get_code_name (TandemAuthErrorCode code)
{
  return lookup_info (code)->name;
}

JsonNode *
tandem_auth_error_to_json (const GError *error,
                           gboolean      api_2024,
                           guint        *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const ErrorInfo *info;
  const char *message;

  if (error->domain == TANDEM_AUTH_ERROR)
    {
      info = lookup_info (error->code);
      message = error->message;
    }
  else
    {
      info = &error_infos[TANDEM_AUTH_ERROR_UNEXPECTED_FAILURE];
      message = UNEXPECTED_MESSAGE;
    }
  *status = info->status;

  json_builder_begin_object (builder);
  switch (info->shape)
    {
    case SHAPE_OAUTH:
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, info->name);
      if (message != NULL && *message != '\0')
        {
          json_builder_set_member_name (builder, "error_description");
          json_builder_add_string_value (builder, message);
        }
      break;

    case SHAPE_GATEWAY:
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      json_builder_set_member_name (builder, "hint");
      json_builder_add_string_value (builder, info->hint);
      break;

    case SHAPE_GOTRUE:
    default:
      if (api_2024)
        {
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, info->name);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, message);
        }
      else
        {
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, info->status);
          json_builder_set_member_name (builder, "error_code");
          json_builder_add_string_value (builder, info->name);
          json_builder_set_member_name (builder, "msg");
          json_builder_add_string_value (builder, message);
        }
      /* Our only password rule is the length. */
      if (error->domain == TANDEM_AUTH_ERROR && error->code == TANDEM_AUTH_ERROR_WEAK_PASSWORD)
        {
          json_builder_set_member_name (builder, "weak_password");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "reasons");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, "length");
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      break;
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gboolean
tandem_auth_api_version_is_2024 (const char *header)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *iso = NULL;
  int year, month, day;
  char tail;

  if (header == NULL)
    return FALSE;
  /* GoTrue takes a plain date; anything else is "the initial version". */
  if (strlen (header) != 10 || sscanf (header, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 ||
      header[4] != '-' || header[7] != '-')
    return FALSE;
  date = g_date_time_new_utc (year, month, day, 0, 0, 0);
  if (date == NULL)
    return FALSE;
  iso = g_date_time_format (date, "%Y-%m-%d");
  return g_str_equal (iso, header) && g_strcmp0 (iso, "2024-01-01") >= 0;
}

GError *
tandem_auth_error_from_jwt_error (const GError *jwt_error)
{
  const char *reason;
  g_autofree char *algorithm_reason = NULL;

  g_return_val_if_fail (jwt_error != NULL, NULL);

  if (jwt_error->domain != TANDEM_JWT_ERROR)
    reason = "token is malformed";
  else
    switch ((TandemJwtError) jwt_error->code)
      {
      case TANDEM_JWT_ERROR_MALFORMED:
        reason = "token is malformed: could not base64 or JSON decode the token";
        break;
      case TANDEM_JWT_ERROR_ALGORITHM:
        {
          const char *alg = strstr (jwt_error->message, "unsupported algorithm ");

          algorithm_reason = g_strdup_printf ("token signature is invalid: signing method %s is invalid",
                                              alg ? alg + strlen ("unsupported algorithm ") : "(missing)");
          reason = algorithm_reason;
        }
        break;
      case TANDEM_JWT_ERROR_SIGNATURE:
        reason = "token signature is invalid: signature is invalid";
        break;
      case TANDEM_JWT_ERROR_EXPIRED:
        reason = "token has invalid claims: token is expired";
        break;
      case TANDEM_JWT_ERROR_MISSING_CLAIMS:
      case TANDEM_JWT_ERROR_INVALID_EXPIRY:
      default:
        reason = "token is malformed: could not JSON decode claim";
        break;
      }

  return g_error_new (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JWT,
                      "invalid JWT: unable to parse or verify signature, %s", reason);
}

GError *
tandem_auth_error_internal (const GError *error,
                            const char   *what)
{
  g_warning ("%s: %s", what, error != NULL ? error->message : "(no details)");
  return g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_UNEXPECTED_FAILURE, what);
}
