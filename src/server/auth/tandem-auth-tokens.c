/* tandem-auth-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-auth-tokens.h"
#include "tandem-jwt.h"

#define REFRESH_TOKEN_BYTES 32
#define NONCE_BYTES         16
#define SHA256_LENGTH       32
/* Keeps the derivation apart from any other use of the secret. */
#define DERIVATION_CONTEXT  "tandem refresh token v1"

char *
tandem_auth_issue_access_token (const char           *secret,
                                const TandemAuthUser *user,
                                const char           *session_id,
                                const char           *issuer,
                                gint64                authenticated_at,
                                gint64                now,
                                guint                 expiry_s,
                                gint64               *expires_at)
{
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autoptr(JsonBuilder) amr = json_builder_new ();
  gint64 exp = now + expiry_s;

  g_return_val_if_fail (secret != NULL && user != NULL && session_id != NULL, NULL);

  /* GoTrue's claims, in its order. */
  json_object_set_string_member (claims, "iss", issuer);
  json_object_set_string_member (claims, "sub", user->id);
  json_object_set_string_member (claims, "aud", user->aud);
  json_object_set_int_member (claims, "exp", exp);
  json_object_set_int_member (claims, "iat", now);
  json_object_set_string_member (claims, "email", user->email ? user->email : "");
  json_object_set_string_member (claims, "phone", user->phone ? user->phone : "");
  json_object_set_object_member (claims, "app_metadata", json_object_ref (user->app_metadata));
  json_object_set_object_member (claims, "user_metadata", json_object_ref (user->user_metadata));
  json_object_set_string_member (claims, "role", user->role);
  json_object_set_string_member (claims, "aal", "aal1");

  json_builder_begin_array (amr);
  json_builder_begin_object (amr);
  json_builder_set_member_name (amr, "method");
  json_builder_add_string_value (amr, "password");
  json_builder_set_member_name (amr, "timestamp");
  json_builder_add_int_value (amr, authenticated_at);
  json_builder_end_object (amr);
  json_builder_end_array (amr);
  json_object_set_member (claims, "amr", json_builder_get_root (amr));

  json_object_set_string_member (claims, "session_id", session_id);
  json_object_set_boolean_member (claims, "is_anonymous", user->is_anonymous);

  if (expires_at != NULL)
    *expires_at = exp;
  return tandem_jwt_sign_hs256 (claims, secret);
}

static gboolean
claim_is_uuid (JsonObject *claims,
               const char *name,
               gboolean   *present)
{
  JsonNode *node = json_object_get_member (claims, name);
  const char *text;

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *present = TRUE;
      return FALSE;
    }
  text = json_node_get_string (node);
  *present = *text != '\0';
  return g_uuid_string_is_valid (text);
}

JsonObject *
tandem_auth_verify_access_token (const char  *token,
                                 const char  *secret,
                                 gint64       now,
                                 GError     **error)
{
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) jwt_error = NULL;
  gboolean present;

  claims = tandem_jwt_verify (token, secret, TANDEM_JWT_VERIFY_DEFAULT, now, &jwt_error);
  if (claims == NULL)
    {
      g_propagate_error (error, tandem_auth_error_from_jwt_error (jwt_error));
      return NULL;
    }

  if (!claim_is_uuid (claims, "sub", &present))
    {
      if (present)
        g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JWT_CLAIM,
                             "invalid claim: sub claim must be a UUID");
      else
        g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JWT,
                             "invalid claim: missing sub claim");
      return NULL;
    }
  if (!claim_is_uuid (claims, "session_id", &present) && present)
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JWT,
                           "invalid claim: session_id claim must be a UUID");
      return NULL;
    }
  return g_steal_pointer (&claims);
}

gboolean
tandem_auth_check_api_key (const char  *apikey,
                           const char  *secret,
                           gint64       now,
                           GError     **error)
{
  g_autoptr(JsonObject) claims = NULL;
  const char *role;

  if (apikey == NULL || *apikey == '\0')
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NO_API_KEY, "No API key found in request");
      return FALSE;
    }
  claims = tandem_jwt_verify (apikey, secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, now, NULL);
  role = claims ? json_object_get_string_member_with_default (claims, "role", "") : "";
  if (!g_str_equal (role, "anon") && !g_str_equal (role, "service_role"))
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_INVALID_API_KEY, "Invalid API key");
      return FALSE;
    }
  return TRUE;
}

char *
tandem_auth_new_refresh_token (void)
{
  return tandem_jwt_generate_secret (REFRESH_TOKEN_BYTES);
}

char *
tandem_auth_new_token_nonce (void)
{
  return tandem_jwt_generate_secret (NONCE_BYTES);
}

char *
tandem_auth_derive_refresh_token (const char *secret,
                                  const char *parent,
                                  const char *nonce)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[SHA256_LENGTH];
  gsize length = sizeof digest;

  g_return_val_if_fail (secret != NULL && parent != NULL && nonce != NULL, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  /* NUL separators: neither part can contain one. */
  g_hmac_update (hmac, (const guchar *) DERIVATION_CONTEXT, sizeof DERIVATION_CONTEXT);
  g_hmac_update (hmac, (const guchar *) parent, strlen (parent) + 1);
  g_hmac_update (hmac, (const guchar *) nonce, strlen (nonce));
  g_hmac_get_digest (hmac, digest, &length);
  return tandem_base64url_encode (digest, length);
}

char *
tandem_auth_hash_refresh_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}
