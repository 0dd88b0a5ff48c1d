/* tandem-auth-handlers.c: the endpoints of /auth/v1
 *
 * Each checks its input the way GoTrue does, in GoTrue's order (so that a
 * request with several faults gets GoTrue's error), then lets the store do
 * the work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-auth-private.h"

static GError *
auth_error (TandemAuthErrorCode  code,
            const char          *message)
{
  return g_error_new_literal (TANDEM_AUTH_ERROR, code, message);
}

/* Answers with the grant of a finished sign-up, sign-in or refresh. */
static void
respond_grant (TandemAuthRequest *request,
               TandemAuthGrant   *grant,
               GError            *error,
               const char        *password)
{
  G_GNUC_UNUSED g_autoptr(TandemAuthGrant) owned = grant;

  if (grant == NULL)
    {
      tandem_auth_request_respond_error (request, error);
      return;
    }
  tandem_auth_request_respond_json (request, SOUP_STATUS_OK,
                                    tandem_auth_request_session_json (request, grant, password));
}

/* POST /signup */

static void
signed_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TandemAuthRequest *request = user_data;
  GError *error = NULL;
  TandemAuthGrant *grant = tandem_auth_store_sign_up_finish (result, &error);

  respond_grant (request, grant, error, NULL);
}

void
tandem_auth_handle_signup (TandemAuthRequest *request)
{
  g_autofree char *email = NULL;
  const char *email_param, *phone, *password;
  JsonObject *data;
  GError *error = NULL;

  if (!tandem_auth_request_count_attempt (request, &error) ||
      !tandem_auth_request_parse_body (request, "SignupParams", &error) ||
      !tandem_auth_request_get_string (request, "SignupParams", "email", &email_param, &error) ||
      !tandem_auth_request_get_string (request, "SignupParams", "phone", &phone, &error) ||
      !tandem_auth_request_get_string (request, "SignupParams", "password", &password, &error) ||
      !tandem_auth_request_get_object (request, "SignupParams", "data", &data, &error))
    goto fail;

  if (password == NULL || *password == '\0')
    {
      error = auth_error (TANDEM_AUTH_ERROR_VALIDATION_FAILED, "Signup requires a valid password");
      goto fail;
    }
  if (!tandem_auth_check_new_password (password, &error))
    goto fail;
  if (email_param != NULL && *email_param != '\0' && phone != NULL && *phone != '\0')
    {
      error = auth_error (TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                          "Only an email address or phone number should be provided on signup.");
      goto fail;
    }
  if (email_param == NULL || *email_param == '\0')
    {
      if (phone != NULL && *phone != '\0')
        error = auth_error (TANDEM_AUTH_ERROR_PHONE_SIGNUP_DISABLED, "Phone signups are disabled");
      else
        error = auth_error (TANDEM_AUTH_ERROR_VALIDATION_FAILED, "Sign up only available with email provider");
      goto fail;
    }
  email = tandem_auth_validate_email (email_param, &error);
  if (email == NULL)
    goto fail;

  tandem_auth_request_pause (request);
  tandem_auth_store_sign_up_async (request->api->pool, email, password, data, &request->client,
                                   signed_up_cb, request);
  return;

fail:
  tandem_auth_request_respond_error (request, error);
}

/* POST /token?grant_type=password|refresh_token */

typedef struct
{
  TandemAuthRequest *request;
  char              *password;
} SignIn;

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SignIn *sign_in = user_data;
  GError *error = NULL;
  TandemAuthGrant *grant = tandem_auth_store_sign_in_finish (result, &error);

  /* A weak password still signs in; the answer says it is weak. */
  respond_grant (sign_in->request, grant, error, sign_in->password);
  explicit_bzero (sign_in->password, strlen (sign_in->password));
  g_free (sign_in->password);
  g_free (sign_in);
}

static void
password_grant (TandemAuthRequest *request)
{
  const char *email, *phone, *password;
  SignIn *sign_in;
  GError *error = NULL;

  if (!tandem_auth_request_count_attempt (request, &error) ||
      !tandem_auth_request_parse_body (request, "PasswordGrantParams", &error) ||
      !tandem_auth_request_get_string (request, "PasswordGrantParams", "email", &email, &error) ||
      !tandem_auth_request_get_string (request, "PasswordGrantParams", "phone", &phone, &error) ||
      !tandem_auth_request_get_string (request, "PasswordGrantParams", "password", &password, &error))
    goto fail;

  if (email != NULL && *email != '\0' && phone != NULL && *phone != '\0')
    {
      error = auth_error (TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                          "Only an email address or phone number should be provided on login.");
      goto fail;
    }
  if (email == NULL || *email == '\0')
    {
      if (phone != NULL && *phone != '\0')
        error = auth_error (TANDEM_AUTH_ERROR_PHONE_PROVIDER_DISABLED, "Phone logins are disabled");
      else
        error = auth_error (TANDEM_AUTH_ERROR_VALIDATION_FAILED, "missing email or phone");
      goto fail;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->request = request;
  sign_in->password = g_strdup (password ? password : "");
  tandem_auth_request_pause (request);
  tandem_auth_store_sign_in_async (request->api->pool, email, sign_in->password, &request->client,
                                   signed_in_cb, sign_in);
  return;

fail:
  tandem_auth_request_respond_error (request, error);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TandemAuthRequest *request = user_data;
  GError *error = NULL;
  TandemAuthGrant *grant = tandem_auth_store_refresh_finish (result, &error);

  respond_grant (request, grant, error, NULL);
}

static void
refresh_token_grant (TandemAuthRequest *request)
{
  const char *token;
  GError *error = NULL;

  if (!tandem_auth_request_parse_body (request, "RefreshTokenGrantParams", &error) ||
      !tandem_auth_request_get_string (request, "RefreshTokenGrantParams", "refresh_token", &token, &error))
    goto fail;
  if (token == NULL || *token == '\0')
    {
      error = auth_error (TANDEM_AUTH_ERROR_OAUTH_INVALID_REQUEST, "refresh_token required");
      goto fail;
    }

  tandem_auth_request_pause (request);
  tandem_auth_store_refresh_async (request->api->pool, request->api->jwt_secret, token,
                                   request->api->options.refresh_token_reuse_interval_s, &request->client,
                                   refreshed_cb, request);
  return;

fail:
  tandem_auth_request_respond_error (request, error);
}

void
tandem_auth_handle_token (TandemAuthRequest *request,
                          GHashTable        *query)
{
  const char *grant_type = query ? g_hash_table_lookup (query, "grant_type") : NULL;

  if (g_strcmp0 (grant_type, "password") == 0)
    password_grant (request);
  else if (g_strcmp0 (grant_type, "refresh_token") == 0)
    refresh_token_grant (request);
  else
    tandem_auth_request_respond_error (request, auth_error (TANDEM_AUTH_ERROR_OAUTH_UNSUPPORTED_GRANT, ""));
}

/* GET and PUT /user */

static void
respond_user (TandemAuthRequest    *request,
              const TandemAuthUser *user)
{
  tandem_auth_request_respond_json (request, SOUP_STATUS_OK, tandem_auth_user_to_json (user));
}

static void
updated_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TandemAuthRequest *request = user_data;
  g_autoptr(TandemAuthUser) user = NULL;
  GError *error = NULL;

  user = tandem_auth_store_update_user_finish (result, &error);
  if (user == NULL)
    {
      tandem_auth_request_respond_error (request, error);
      return;
    }
  respond_user (request, user);
}

static void
update_user (TandemAuthRequest *request)
{
  TandemAuthUserChanges changes = { NULL, };
  g_autofree char *email = NULL;
  const char *email_param, *phone, *password;
  JsonObject *data, *app_metadata;
  GError *error = NULL;

  if (!tandem_auth_request_parse_body (request, "UserUpdateParams", &error) ||
      !tandem_auth_request_get_string (request, "UserUpdateParams", "email", &email_param, &error) ||
      !tandem_auth_request_get_string (request, "UserUpdateParams", "phone", &phone, &error) ||
      !tandem_auth_request_get_string (request, "UserUpdateParams", "password", &password, &error) ||
      !tandem_auth_request_get_object (request, "UserUpdateParams", "data", &data, &error) ||
      !tandem_auth_request_get_object (request, "UserUpdateParams", "app_metadata", &app_metadata, &error))
    goto fail;

  if (email_param != NULL && *email_param != '\0')
    {
      email = tandem_auth_validate_email (email_param, &error);
      if (email == NULL)
        goto fail;
    }
  if (phone != NULL && *phone != '\0')
    {
      /* No SMS here: a phone number could never be confirmed. */
      error = auth_error (TANDEM_AUTH_ERROR_PHONE_PROVIDER_DISABLED, "Phone logins are disabled");
      goto fail;
    }
  /* GoTrue checks a password that is present, even empty. */
  if (json_object_has_member (request->body, "password") &&
      !json_object_get_null_member (request->body, "password") &&
      !tandem_auth_check_new_password (password, &error))
    goto fail;
  if (app_metadata != NULL)
    {
      error = auth_error (TANDEM_AUTH_ERROR_NOT_ADMIN, "Updating app_metadata requires admin privileges");
      goto fail;
    }

  /* Local addresses need no confirmation: a new one applies at once. */
  if (email != NULL && g_strcmp0 (email, request->user->email) != 0)
    changes.email = email;
  changes.password = password;
  changes.data = data;

  tandem_auth_store_update_user_async (request->api->pool, request->user_id, request->session_id, &changes,
                                       updated_cb, request);
  return;

fail:
  tandem_auth_request_respond_error (request, error);
}

static void
authenticated_for_user (TandemAuthRequest *request)
{
  JsonNode *aud = json_object_get_member (request->claims, "aud");
  const char *audience = NULL;

  if (g_str_equal (soup_server_message_get_method (request->msg), "PUT"))
    {
      update_user (request);
      return;
    }

  /* GET: the token must be for this audience ("aud" may be a list). */
  if (aud != NULL && JSON_NODE_HOLDS_VALUE (aud) && json_node_get_value_type (aud) == G_TYPE_STRING)
    audience = json_node_get_string (aud);
  else if (aud != NULL && JSON_NODE_HOLDS_ARRAY (aud) && json_array_get_length (json_node_get_array (aud)) > 0)
    audience = json_array_get_string_element (json_node_get_array (aud), 0);
  if (g_strcmp0 (audience, "authenticated") != 0)
    {
      tandem_auth_request_respond_error (request, auth_error (TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                                                              "Token audience doesn't match request audience"));
      return;
    }
  respond_user (request, request->user);
}

void
tandem_auth_handle_user (TandemAuthRequest *request)
{
  tandem_auth_request_authenticate (request, authenticated_for_user);
}

/* POST /logout?scope=global|local|others */

static void
logged_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TandemAuthRequest *request = user_data;
  GError *error = NULL;

  if (!tandem_auth_store_logout_finish (result, &error))
    {
      tandem_auth_request_respond_error (request, error);
      return;
    }
  tandem_auth_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

static void
authenticated_for_logout (TandemAuthRequest *request)
{
  const char *scope_text = request->logout_scope;
  TandemAuthLogoutScope scope;

  if (scope_text == NULL || *scope_text == '\0' || g_str_equal (scope_text, "global"))
    scope = TANDEM_AUTH_LOGOUT_GLOBAL;
  else if (g_str_equal (scope_text, "local"))
    scope = TANDEM_AUTH_LOGOUT_LOCAL;
  else if (g_str_equal (scope_text, "others"))
    scope = TANDEM_AUTH_LOGOUT_OTHERS;
  else
    {
      tandem_auth_request_respond_error (request,
                                         g_error_new (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                                                      "Unsupported logout scope \"%s\"", scope_text));
      return;
    }

  tandem_auth_store_logout_async (request->api->pool, request->user_id, request->session_id, scope,
                                  logged_out_cb, request);
}

void
tandem_auth_handle_logout (TandemAuthRequest *request,
                           GHashTable        *query)
{
  /* GoTrue checks the scope after the token. */
  request->logout_scope = g_strdup (query ? g_hash_table_lookup (query, "scope") : NULL);
  tandem_auth_request_authenticate (request, authenticated_for_logout);
}

/* GET /settings and /health */

void
tandem_auth_handle_settings (TandemAuthRequest *request)
{
  static const char * const providers[] = {
    "anonymous_users", "apple", "azure", "bitbucket", "discord", "facebook", "figma", "fly", "github",
    "gitlab", "google", "keycloak", "kakao", "linkedin", "linkedin_oidc", "nextcloud", "notion", "spotify",
    "slack", "slack_oidc", "workos", "twitch", "twitter", "email", "phone", "zoom",
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "external");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      json_builder_set_member_name (builder, providers[i]);
      json_builder_add_boolean_value (builder, g_str_equal (providers[i], "email"));
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "disable_signup");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "mailer_autoconfirm");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "phone_autoconfirm");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "sms_provider");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "saml_enabled");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);

  tandem_auth_request_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

void
tandem_auth_handle_health (TandemAuthRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, "tandem-" PACKAGE_VERSION);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "GoTrue");
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, "GoTrue is a user registration and authentication API");
  json_builder_end_object (builder);

  tandem_auth_request_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}
