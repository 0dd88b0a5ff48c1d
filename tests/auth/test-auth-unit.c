/* test-auth-unit.c: the Auth API's pieces that need no server
 *
 * Access tokens (claims, verification, GoTrue's bad_jwt texts), API keys,
 * refresh token generation, derivation and hashing, the error bodies in both
 * API versions, timestamps, the address and password rules, the user
 * object and the rate limiter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-auth-limiter.h"
#include "tandem-auth-tokens.h"
#include "tandem-auth-user.h"
#include "tandem-jwt.h"
#include "tandem-server-keys.h"

#define SECRET       "super-secret-jwt-token-with-at-least-32-characters"
#define OTHER_SECRET "another-secret-jwt-token-with-at-least-32-characters"
#define USER_ID      "0b9c5c47-3c8f-4e3c-9d1e-4b0e7a1c2f00"
#define SESSION_ID   "7d8e2a51-95b6-4c1e-a3f0-8f2b6c4d9e10"
#define NOW          ((gint64) 1800000000)

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
assert_json_equal (JsonNode   *node,
                   const char *expected)
{
  g_autoptr(JsonNode) want = json_from_string (expected, NULL);

  g_assert_nonnull (want);
  if (!json_node_equal (node, want))
    {
      g_autofree char *got = json_to_string (node, FALSE);

      g_error ("JSON differs:\n  got:  %s\n  want: %s", got, expected);
    }
}

static TandemAuthUser *
make_user (void)
{
  TandemAuthUser *user = g_new0 (TandemAuthUser, 1);
  g_autoptr(JsonNode) identities = json_from_string (
    "[{\"identity_id\": \"9f7c\", \"id\": \"" USER_ID "\", \"provider\": \"email\"}]", NULL);

  user->id = g_strdup (USER_ID);
  user->aud = g_strdup ("authenticated");
  user->role = g_strdup ("authenticated");
  user->email = g_strdup ("alice@example.com");
  user->email_confirmed_at = NOW * G_USEC_PER_SEC + 123000;
  user->confirmed_at = user->email_confirmed_at;
  user->last_sign_in_at = TANDEM_AUTH_NO_TIME;
  user->created_at = NOW * G_USEC_PER_SEC;
  user->updated_at = NOW * G_USEC_PER_SEC + 500000;
  user->app_metadata = parse_object ("{\"provider\": \"email\", \"providers\": [\"email\"]}");
  user->user_metadata = parse_object ("{\"display_name\": \"Alice\", \"avatar_color\": \"#3584e4\"}");
  user->identities = json_array_ref (json_node_get_array (identities));
  return user;
}

/* Access tokens */

static void
test_access_token_claims (void)
{
  g_autoptr(TandemAuthUser) user = make_user ();
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  JsonArray *amr;
  gint64 expires_at = 0;

  token = tandem_auth_issue_access_token (SECRET, user, SESSION_ID, "http://127.0.0.1:54321/auth/v1",
                                          NOW - 60, NOW, 3600, &expires_at);
  g_assert_cmpint (expires_at, ==, NOW + 3600);

  claims = tandem_jwt_verify (token, SECRET, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW + 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, "http://127.0.0.1:54321/auth/v1");
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, USER_ID);
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, "authenticated");
  g_assert_cmpstr (json_object_get_string_member (claims, "role"), ==, "authenticated");
  g_assert_cmpstr (json_object_get_string_member (claims, "email"), ==, "alice@example.com");
  g_assert_cmpstr (json_object_get_string_member (claims, "phone"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (claims, "session_id"), ==, SESSION_ID);
  g_assert_cmpstr (json_object_get_string_member (claims, "aal"), ==, "aal1");
  g_assert_cmpint (json_object_get_int_member (claims, "iat"), ==, NOW);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, NOW + 3600);
  g_assert_false (json_object_get_boolean_member (claims, "is_anonymous"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (claims, "user_metadata"),
                                                  "display_name"), ==, "Alice");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (claims, "app_metadata"),
                                                  "provider"), ==, "email");
  amr = json_object_get_array_member (claims, "amr");
  g_assert_cmpuint (json_array_get_length (amr), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (amr, 0), "method"), ==,
                   "password");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (amr, 0), "timestamp"), ==, NOW - 60);

  /* It expires when it says. */
  g_clear_pointer (&claims, json_object_unref);
  claims = tandem_jwt_verify (token, SECRET, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW + 3600, &error);
  g_assert_error (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_EXPIRED);
  g_assert_null (claims);
}

static void
test_access_token_expiry_option (void)
{
  g_autoptr(TandemAuthUser) user = make_user ();
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) claims = NULL;
  gint64 expires_at;

  token = tandem_auth_issue_access_token (SECRET, user, SESSION_ID, "x", NOW, NOW, 5, &expires_at);
  g_assert_cmpint (expires_at, ==, NOW + 5);
  claims = tandem_jwt_decode_unverified (token, NULL);
  g_assert_cmpint (json_object_get_int_member (claims, "exp") - json_object_get_int_member (claims, "iat"), ==, 5);
}

static void
assert_bad_token (const char          *token,
                  TandemAuthErrorCode  code,
                  const char          *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = tandem_auth_verify_access_token (token, SECRET, NOW, &error);

  g_assert_null (claims);
  g_assert_error (error, TANDEM_AUTH_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static char *
sign (const char *claims_json,
      const char *secret)
{
  g_autoptr(JsonObject) claims = parse_object (claims_json);

  return tandem_jwt_sign_hs256 (claims, secret);
}

static void
test_access_token_verify (void)
{
  g_autoptr(TandemAuthUser) user = make_user ();
  g_autofree char *good = tandem_auth_issue_access_token (SECRET, user, SESSION_ID, "x", NOW, NOW, 60, NULL);
  g_autofree char *other = tandem_auth_issue_access_token (OTHER_SECRET, user, SESSION_ID, "x", NOW, NOW, 60, NULL);
  g_autofree char *expired = tandem_auth_issue_access_token (SECRET, user, SESSION_ID, "x", NOW - 120, NOW - 120,
                                                             60, NULL);
  g_autofree char *anon = tandem_server_keys_make_key (SECRET, "anon");
  g_autofree char *bad_sub = sign ("{\"sub\": \"alice\", \"role\": \"authenticated\"}", SECRET);
  g_autofree char *bad_session = sign ("{\"sub\": \"" USER_ID "\", \"session_id\": \"s1\"}", SECRET);
  g_autofree char *no_session = sign ("{\"sub\": \"" USER_ID "\"}", SECRET);
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) error = NULL;

  claims = tandem_auth_verify_access_token (good, SECRET, NOW + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, USER_ID);
  g_clear_pointer (&claims, json_object_unref);
  claims = tandem_auth_verify_access_token (no_session, SECRET, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);

  assert_bad_token (other, TANDEM_AUTH_ERROR_BAD_JWT,
                    "invalid JWT: unable to parse or verify signature, token signature is invalid: "
                    "signature is invalid");
  assert_bad_token (expired, TANDEM_AUTH_ERROR_BAD_JWT,
                    "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired");
  assert_bad_token ("not-a-jwt", TANDEM_AUTH_ERROR_BAD_JWT,
                    "invalid JWT: unable to parse or verify signature, token is malformed: "
                    "could not base64 or JSON decode the token");
  assert_bad_token ("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.", TANDEM_AUTH_ERROR_BAD_JWT,
                    "invalid JWT: unable to parse or verify signature, token signature is invalid: "
                    "signing method none is invalid");
  /* The anon key is a valid JWT, but nobody's. */
  assert_bad_token (anon, TANDEM_AUTH_ERROR_BAD_JWT, "invalid claim: missing sub claim");
  assert_bad_token (bad_sub, TANDEM_AUTH_ERROR_BAD_JWT_CLAIM, "invalid claim: sub claim must be a UUID");
  assert_bad_token (bad_session, TANDEM_AUTH_ERROR_BAD_JWT, "invalid claim: session_id claim must be a UUID");

  g_assert_cmpuint (tandem_auth_error_get_status (TANDEM_AUTH_ERROR_BAD_JWT), ==, 403);
  g_assert_cmpuint (tandem_auth_error_get_status (TANDEM_AUTH_ERROR_BAD_JWT_CLAIM), ==, 400);
}

/* API keys */

static void
assert_api_key (const char          *key,
                gboolean             valid,
                TandemAuthErrorCode  code)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (tandem_auth_check_api_key (key, SECRET, NOW, &error), ==, valid);
  if (valid)
    g_assert_no_error (error);
  else
    g_assert_error (error, TANDEM_AUTH_ERROR, code);
}

static void
test_api_key (void)
{
  g_autofree char *anon = tandem_server_keys_make_key (SECRET, "anon");
  g_autofree char *service = tandem_server_keys_make_key (SECRET, "service_role");
  g_autofree char *user_role = tandem_server_keys_make_key (SECRET, "authenticated");
  g_autofree char *foreign = tandem_server_keys_make_key (OTHER_SECRET, "anon");
  g_autofree char *expired = sign ("{\"role\": \"anon\", \"exp\": 1000}", SECRET);
  g_autoptr(GError) error = NULL;

  assert_api_key (anon, TRUE, 0);
  assert_api_key (service, TRUE, 0);
  assert_api_key (NULL, FALSE, TANDEM_AUTH_ERROR_NO_API_KEY);
  assert_api_key ("", FALSE, TANDEM_AUTH_ERROR_NO_API_KEY);
  assert_api_key ("garbage", FALSE, TANDEM_AUTH_ERROR_INVALID_API_KEY);
  assert_api_key (user_role, FALSE, TANDEM_AUTH_ERROR_INVALID_API_KEY);
  assert_api_key (foreign, FALSE, TANDEM_AUTH_ERROR_INVALID_API_KEY);
  assert_api_key (expired, FALSE, TANDEM_AUTH_ERROR_INVALID_API_KEY);

  tandem_auth_check_api_key (NULL, SECRET, NOW, &error);
  g_assert_cmpstr (error->message, ==, "No API key found in request");
  g_clear_error (&error);
  tandem_auth_check_api_key ("garbage", SECRET, NOW, &error);
  g_assert_cmpstr (error->message, ==, "Invalid API key");
}

/* Refresh tokens */

static gboolean
is_base64url (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
test_refresh_tokens (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *nonce = tandem_auth_new_token_nonce ();
  g_autofree char *nonce2 = tandem_auth_new_token_nonce ();
  g_autofree char *child = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other_nonce = NULL;
  g_autofree char *other_parent = NULL;
  g_autofree char *other_secret = NULL;
  g_autofree char *hash = NULL;

  for (int i = 0; i < 200; i++)
    {
      char *token = tandem_auth_new_refresh_token ();

      g_assert_cmpuint (strlen (token), ==, 43);
      g_assert_true (is_base64url (token));
      g_assert_true (g_hash_table_add (seen, token));
    }
  g_assert_cmpstr (nonce, !=, nonce2);

  child = tandem_auth_derive_refresh_token (SECRET, "parent-token", nonce);
  again = tandem_auth_derive_refresh_token (SECRET, "parent-token", nonce);
  other_nonce = tandem_auth_derive_refresh_token (SECRET, "parent-token", nonce2);
  other_parent = tandem_auth_derive_refresh_token (SECRET, "parent-tokeN", nonce);
  other_secret = tandem_auth_derive_refresh_token (OTHER_SECRET, "parent-token", nonce);
  g_assert_cmpuint (strlen (child), ==, 43);
  g_assert_true (is_base64url (child));
  g_assert_cmpstr (child, ==, again);
  g_assert_cmpstr (child, !=, other_nonce);
  g_assert_cmpstr (child, !=, other_parent);
  g_assert_cmpstr (child, !=, other_secret);

  /* The stored form: SHA-256 in hex (FIPS 180-2's "abc"). */
  hash = tandem_auth_hash_refresh_token ("abc");
  g_assert_cmpstr (hash, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* Errors */

static void
assert_error_json (TandemAuthErrorCode  code,
                   const char          *message,
                   gboolean             api_2024,
                   guint                status,
                   const char          *expected)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_AUTH_ERROR, code, message);
  g_autoptr(JsonNode) node = NULL;
  guint got_status = 0;

  node = tandem_auth_error_to_json (error, api_2024, &got_status);
  g_assert_cmpuint (got_status, ==, status);
  assert_json_equal (node, expected);
}

static void
test_error_bodies (void)
{
  g_autoptr(GError) pg_like = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "connection refused");
  g_autoptr(JsonNode) node = NULL;
  guint status;

  assert_error_json (TANDEM_AUTH_ERROR_INVALID_CREDENTIALS, "Invalid login credentials", TRUE, 400,
                     "{\"code\": \"invalid_credentials\", \"message\": \"Invalid login credentials\"}");
  assert_error_json (TANDEM_AUTH_ERROR_INVALID_CREDENTIALS, "Invalid login credentials", FALSE, 400,
                     "{\"code\": 400, \"error_code\": \"invalid_credentials\","
                     " \"msg\": \"Invalid login credentials\"}");
  assert_error_json (TANDEM_AUTH_ERROR_USER_ALREADY_EXISTS, "User already registered", TRUE, 422,
                     "{\"code\": \"user_already_exists\", \"message\": \"User already registered\"}");
  assert_error_json (TANDEM_AUTH_ERROR_WEAK_PASSWORD, "Password should be at least 6 characters.", TRUE, 422,
                     "{\"code\": \"weak_password\", \"message\": \"Password should be at least 6 characters.\","
                     " \"weak_password\": {\"reasons\": [\"length\"]}}");
  assert_error_json (TANDEM_AUTH_ERROR_WEAK_PASSWORD, "Password should be at least 6 characters.", FALSE, 422,
                     "{\"code\": 422, \"error_code\": \"weak_password\","
                     " \"msg\": \"Password should be at least 6 characters.\","
                     " \"weak_password\": {\"reasons\": [\"length\"]}}");
  assert_error_json (TANDEM_AUTH_ERROR_REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found",
                     TRUE, 400, "{\"code\": \"refresh_token_not_found\","
                     " \"message\": \"Invalid Refresh Token: Refresh Token Not Found\"}");
  assert_error_json (TANDEM_AUTH_ERROR_REFRESH_TOKEN_ALREADY_USED, "Invalid Refresh Token: Already Used",
                     FALSE, 400, "{\"code\": 400, \"error_code\": \"refresh_token_already_used\","
                     " \"msg\": \"Invalid Refresh Token: Already Used\"}");
  assert_error_json (TANDEM_AUTH_ERROR_SESSION_NOT_FOUND, "Session from session_id claim in JWT does not exist",
                     TRUE, 403, "{\"code\": \"session_not_found\","
                     " \"message\": \"Session from session_id claim in JWT does not exist\"}");
  assert_error_json (TANDEM_AUTH_ERROR_NO_AUTHORIZATION, "This endpoint requires a valid Bearer token", TRUE, 401,
                     "{\"code\": \"no_authorization\", \"message\": \"This endpoint requires a valid Bearer token\"}");
  assert_error_json (TANDEM_AUTH_ERROR_OVER_REQUEST_RATE_LIMIT, "Request rate limit reached", TRUE, 429,
                     "{\"code\": \"over_request_rate_limit\", \"message\": \"Request rate limit reached\"}");
  assert_error_json (TANDEM_AUTH_ERROR_OAUTH_INVALID_REQUEST, "refresh_token required", TRUE, 400,
                     "{\"error\": \"invalid_request\", \"error_description\": \"refresh_token required\"}");
  assert_error_json (TANDEM_AUTH_ERROR_OAUTH_UNSUPPORTED_GRANT, "", FALSE, 400,
                     "{\"error\": \"unsupported_grant_type\"}");
  assert_error_json (TANDEM_AUTH_ERROR_NO_API_KEY, "No API key found in request", TRUE, 401,
                     "{\"message\": \"No API key found in request\","
                     " \"hint\": \"No 'apikey' request header or url param was found.\"}");
  assert_error_json (TANDEM_AUTH_ERROR_INVALID_API_KEY, "Invalid API key", FALSE, 401,
                     "{\"message\": \"Invalid API key\", \"hint\": \"Double check your API key.\"}");

  /* Anything else is GoTrue's unexpected failure, without the details. */
  node = tandem_auth_error_to_json (pg_like, TRUE, &status);
  g_assert_cmpuint (status, ==, 500);
  assert_json_equal (node, "{\"code\": \"unexpected_failure\","
                           " \"message\": \"Unexpected failure, please check server logs for more information\"}");

  /* Every code has a status and, but for the gateway's, a name. */
  for (int code = TANDEM_AUTH_ERROR_VALIDATION_FAILED; code <= TANDEM_AUTH_ERROR_INVALID_API_KEY; code++)
    {
      g_assert_cmpuint (tandem_auth_error_get_status (code), >=, 400);
      if (code < TANDEM_AUTH_ERROR_NO_API_KEY)
        g_assert_nonnull (tandem_auth_error_get_code_name (code));
    }
}

static void
test_api_version (void)
{
  g_assert_true (tandem_auth_api_version_is_2024 ("2024-01-01"));
  g_assert_true (tandem_auth_api_version_is_2024 ("2025-06-30"));
  g_assert_false (tandem_auth_api_version_is_2024 ("2023-12-31"));
  g_assert_false (tandem_auth_api_version_is_2024 (NULL));
  g_assert_false (tandem_auth_api_version_is_2024 (""));
  g_assert_false (tandem_auth_api_version_is_2024 ("2024-13-01"));
  g_assert_false (tandem_auth_api_version_is_2024 ("2024-02-30"));
  g_assert_false (tandem_auth_api_version_is_2024 ("2024-1-01x"));
  g_assert_false (tandem_auth_api_version_is_2024 ("2024-01-01 "));
  g_assert_false (tandem_auth_api_version_is_2024 ("latest"));
}

static void
test_internal_error (void)
{
  g_autoptr(GError) cause = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "relation does not exist");
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("tandem-auth", G_LOG_LEVEL_WARNING, "Database error*relation does not exist*");
  error = tandem_auth_error_internal (cause, "Database error querying schema");
  g_test_assert_expected_messages ();
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_UNEXPECTED_FAILURE);
  g_assert_cmpstr (error->message, ==, "Database error querying schema");
}

/* Users */

static void
test_format_time (void)
{
  struct { gint64 usec; const char *text; } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { G_GINT64_CONSTANT (1719585549806587), "2024-06-28T14:39:09.806587Z" },
    { G_GINT64_CONSTANT (1719585549800000), "2024-06-28T14:39:09.8Z" },
    { G_GINT64_CONSTANT (1719585549000010), "2024-06-28T14:39:09.00001Z" },
    { G_GINT64_CONSTANT (1719585549000000), "2024-06-28T14:39:09Z" },
    { -500000, "1969-12-31T23:59:59.5Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tandem_auth_format_time (cases[i].usec);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (tandem_auth_format_time (TANDEM_AUTH_NO_TIME));
}

static void
test_user_json (void)
{
  g_autoptr(TandemAuthUser) user = make_user ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GList) members = NULL;
  const char * const order[] = {
    "id", "aud", "role", "email", "email_confirmed_at", "phone", "confirmed_at", "app_metadata",
    "user_metadata", "identities", "created_at", "updated_at", "is_anonymous",
  };
  guint i = 0;

  node = tandem_auth_user_to_json (user);
  assert_json_equal (node,
                     "{\"id\": \"" USER_ID "\", \"aud\": \"authenticated\", \"role\": \"authenticated\","
                     " \"email\": \"alice@example.com\", \"email_confirmed_at\": \"2027-01-15T08:00:00.123Z\","
                     " \"phone\": \"\", \"confirmed_at\": \"2027-01-15T08:00:00.123Z\","
                     " \"app_metadata\": {\"provider\": \"email\", \"providers\": [\"email\"]},"
                     " \"user_metadata\": {\"display_name\": \"Alice\", \"avatar_color\": \"#3584e4\"},"
                     " \"identities\": [{\"identity_id\": \"9f7c\", \"id\": \"" USER_ID "\", \"provider\": \"email\"}],"
                     " \"created_at\": \"2027-01-15T08:00:00Z\", \"updated_at\": \"2027-01-15T08:00:00.5Z\","
                     " \"is_anonymous\": false}");
  /* GoTrue's order; no last_sign_in_at for a user who never signed in. */
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, order[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (order));

}

static void
test_email_rules (void)
{
  const char *valid[] = { "alice@example.com", "a.b+tag@sub.example.org", "x@localhost", "o'brien@example.ie" };
  const char *invalid[] = { "alice", "alice@", "@example.com", "alice@-example.com", "alice@exa mple.com",
                            "alice@example..com", "al ice@example.com" };
  g_autofree char *local_part = g_strnfill (250, 'a');
  g_autofree char *long_address = g_strdup_printf ("%s@example.com", local_part);
  g_autofree char *lower = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autofree char *email = tandem_auth_validate_email (valid[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (email, ==, valid[i]);
    }
  lower = tandem_auth_validate_email ("Alice@Example.COM", &error);
  g_assert_cmpstr (lower, ==, "alice@example.com");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *email = tandem_auth_validate_email (invalid[i], &error);

      g_assert_null (email);
      g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION_FAILED);
      g_assert_cmpstr (error->message, ==, "Unable to validate email address: invalid format");
      g_clear_error (&error);
    }

  g_assert_null (tandem_auth_validate_email ("", &error));
  g_assert_cmpstr (error->message, ==, "An email address is required");
  g_clear_error (&error);
  g_assert_null (tandem_auth_validate_email (long_address, &error));
  g_assert_cmpstr (error->message, ==, "An email address is too long");
}

static void
test_password_rules (void)
{
  g_autofree char *max = g_strnfill (72, 'p');
  g_autofree char *too_long = g_strnfill (73, 'p');
  g_autoptr(GError) error = NULL;

  g_assert_true (tandem_auth_check_new_password ("secret", &error));
  g_assert_true (tandem_auth_check_new_password (max, &error));
  g_assert_no_error (error);

  g_assert_false (tandem_auth_check_new_password ("12345", &error));
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_WEAK_PASSWORD);
  g_assert_cmpstr (error->message, ==, "Password should be at least 6 characters.");
  g_clear_error (&error);
  g_assert_false (tandem_auth_check_new_password ("", &error));
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_WEAK_PASSWORD);
  g_clear_error (&error);
  g_assert_false (tandem_auth_check_new_password (too_long, &error));
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (error->message, ==, "Password cannot be longer than 72 characters");
}

/* The rate limiter */

static void
test_limiter (void)
{
  g_autoptr(TandemAuthLimiter) limiter = tandem_auth_limiter_new (3, 10);
  gint64 t = 1000 * G_USEC_PER_SEC;

  g_assert_true (tandem_auth_limiter_try (limiter, "10.0.0.1", t));
  g_assert_true (tandem_auth_limiter_try (limiter, "10.0.0.1", t + 1 * G_USEC_PER_SEC));
  g_assert_true (tandem_auth_limiter_try (limiter, "10.0.0.1", t + 2 * G_USEC_PER_SEC));
  g_assert_false (tandem_auth_limiter_try (limiter, "10.0.0.1", t + 3 * G_USEC_PER_SEC));
  /* Per address. */
  g_assert_true (tandem_auth_limiter_try (limiter, "10.0.0.2", t + 3 * G_USEC_PER_SEC));
  /* Refused attempts do not count; the window slides. */
  g_assert_false (tandem_auth_limiter_try (limiter, "10.0.0.1", t + 9 * G_USEC_PER_SEC));
  g_assert_true (tandem_auth_limiter_try (limiter, "10.0.0.1", t + 10 * G_USEC_PER_SEC));
  g_assert_false (tandem_auth_limiter_try (limiter, "10.0.0.1", t + 10 * G_USEC_PER_SEC + 1));
  g_assert_true (tandem_auth_limiter_try (limiter, "10.0.0.1", t + 11 * G_USEC_PER_SEC));
  g_assert_cmpuint (tandem_auth_limiter_get_n_keys (limiter), ==, 2);

  /* Quiet addresses are forgotten. */
  g_assert_true (tandem_auth_limiter_try (limiter, "10.0.0.3", t + 60 * G_USEC_PER_SEC));
  g_assert_cmpuint (tandem_auth_limiter_get_n_keys (limiter), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/tokens/access-token-claims", test_access_token_claims);
  g_test_add_func ("/auth/tokens/access-token-expiry", test_access_token_expiry_option);
  g_test_add_func ("/auth/tokens/access-token-verify", test_access_token_verify);
  g_test_add_func ("/auth/tokens/api-key", test_api_key);
  g_test_add_func ("/auth/tokens/refresh-tokens", test_refresh_tokens);
  g_test_add_func ("/auth/errors/bodies", test_error_bodies);
  g_test_add_func ("/auth/errors/api-version", test_api_version);
  g_test_add_func ("/auth/errors/internal", test_internal_error);
  g_test_add_func ("/auth/user/format-time", test_format_time);
  g_test_add_func ("/auth/user/json", test_user_json);
  g_test_add_func ("/auth/user/email-rules", test_email_rules);
  g_test_add_func ("/auth/user/password-rules", test_password_rules);
  g_test_add_func ("/auth/limiter", test_limiter);

  return g_test_run ();
}
