/* test-auth-api.c: /auth/v1 of a real tandem-server, endpoint by endpoint
 *
 * The API key and CORS, settings, sign-up and sign-in with GoTrue's session
 * and user objects and access token claims, bcrypt hashes in auth.users,
 * GET and PUT /user, and every error with GoTrue's code, status and text in
 * both API versions. Sessions, refresh tokens, logout and the rate limit are
 * in test-auth-sessions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "auth-test-util.h"
#include "tandem-jwt.h"

#define JWT_EXPIRY 120

static AuthTest *test;

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Checks an ISO 8601 UTC time as GoTrue writes it, within a minute of now. */
static void
assert_recent_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "Z"));
  g_assert_cmpuint (strlen (text), >=, strlen ("2024-01-01T00:00:00Z"));
  g_assert_cmpint (text[10], ==, 'T');
  time = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (time);
  g_assert_cmpint (ABS (g_date_time_to_unix (time) - now_s ()), <, 60);
}

/* Microseconds since the epoch of a GoTrue time. */
static gint64
usec_of (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static void
assert_json_text (JsonNode   *node,
                  const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (node);
  text = json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_sql (const char *sql,
            const char *expected)
{
  g_autofree char *value = auth_test_sql_value (test, sql);

  g_assert_cmpstr (value, ==, expected);
}

static JsonObject *
claims_of (AuthResponse *response)
{
  g_autoptr(GError) error = NULL;
  JsonObject *claims = tandem_jwt_verify (auth_response_get_string (response, "access_token"),
                                          tandem_test_server_get_jwt_secret (test->server),
                                          TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, now_s (), &error);

  g_assert_no_error (error);
  return claims;
}

/* The API key and CORS */

static void
test_api_key (void)
{
  g_autoptr(AuthResponse) missing = NULL;
  g_autoptr(AuthResponse) service = NULL;
  g_autoptr(AuthResponse) in_query = NULL;
  g_autofree char *query_path = NULL;
  g_autofree char *text = NULL;
  JsonObject *body;

  missing = auth_test_request (test, "GET", "/settings", NULL, NULL, AUTH_REQUEST_NO_API_KEY);
  g_assert_cmpuint (missing->status, ==, 401);
  body = json_node_get_object (missing->body);
  g_assert_cmpstr (json_object_get_string_member (body, "message"), ==, "No API key found in request");
  g_assert_cmpstr (json_object_get_string_member (body, "hint"), ==,
                   "No 'apikey' request header or url param was found.");

  /* A user's access token is no API key. */
  {
    g_autofree char *email = auth_test_email ("apikey");
    g_autoptr(AuthResponse) session = auth_test_sign_up (test, email, "secret-123");
    g_autoptr(SoupMessage) msg = NULL;
    g_autofree char *url = g_strconcat (tandem_test_server_get_url (test->server), "/auth/v1/settings", NULL);
    g_autoptr(GBytes) bytes = NULL;

    msg = soup_message_new ("GET", url);
    soup_message_headers_append (soup_message_get_request_headers (msg), "apikey",
                                 auth_response_get_string (session, "access_token"));
    bytes = soup_session_send_and_read (test->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
    text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    g_assert_cmpstr (text, ==, "{\"message\":\"Invalid API key\",\"hint\":\"Double check your API key.\"}");
  }

  service = auth_test_request (test, "GET", "/settings", NULL, NULL, AUTH_REQUEST_SERVICE_KEY);
  g_assert_cmpuint (service->status, ==, 200);

  query_path = g_strconcat ("/settings?apikey=", tandem_test_server_get_anon_key (test->server), NULL);
  in_query = auth_test_request (test, "GET", query_path, NULL, NULL, AUTH_REQUEST_NO_API_KEY);
  g_assert_cmpuint (in_query->status, ==, 200);
}

static void
test_cors (void)
{
  g_autofree char *url = g_strconcat (tandem_test_server_get_url (test->server), "/auth/v1/token?grant_type=password",
                                      NULL);
  g_autoptr(SoupMessage) preflight = soup_message_new ("OPTIONS", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(AuthResponse) error = NULL;
  SoupMessageHeaders *headers;

  /* A preflight needs no key. */
  soup_message_headers_append (soup_message_get_request_headers (preflight), "Origin", "http://localhost:3000");
  soup_message_headers_append (soup_message_get_request_headers (preflight), "Access-Control-Request-Method", "POST");
  soup_message_headers_append (soup_message_get_request_headers (preflight), "Access-Control-Request-Headers",
                               "apikey, authorization, content-type, x-client-info, x-supabase-api-version");
  bytes = soup_session_send_and_read (test->session, preflight, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (preflight), ==, 204);
  headers = soup_message_get_response_headers (preflight);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Origin"), ==, "*");
  g_assert_nonnull (strstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Methods"), "POST"));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Headers"), ==,
                   "apikey, authorization, content-type, x-client-info, x-supabase-api-version");

  /* Errors carry the headers too, and let the version be read. */
  error = auth_test_request (test, "POST", "/token?grant_type=password", NULL, "{}", AUTH_REQUEST_DEFAULT);
  g_assert_cmpstr (soup_message_headers_get_one (error->headers, "Access-Control-Allow-Origin"), ==, "*");
  g_assert_cmpstr (soup_message_headers_get_one (error->headers, "Access-Control-Expose-Headers"), ==,
                   "X-Supabase-Api-Version");
}

static void
test_routes (void)
{
  g_autoptr(AuthResponse) unknown = auth_test_request (test, "GET", "/nothing-here", NULL, NULL, AUTH_REQUEST_DEFAULT);
  g_autoptr(AuthResponse) method = auth_test_request (test, "GET", "/signup", NULL, NULL, AUTH_REQUEST_DEFAULT);
  g_autoptr(AuthResponse) grant = auth_test_request (test, "POST", "/token?grant_type=magic", NULL, "{}",
                                                     AUTH_REQUEST_DEFAULT);
  g_autoptr(AuthResponse) no_grant = auth_test_request (test, "POST", "/token", NULL, "{}", AUTH_REQUEST_LEGACY);

  auth_assert_error (unknown, 404, "not_found", "Not Found");
  auth_assert_error (method, 405, "method_not_allowed", "Method Not Allowed");
  /* OAuth's shape, whatever the version. */
  g_assert_cmpuint (grant->status, ==, 400);
  assert_json_text (grant->body, "{\"error\":\"unsupported_grant_type\"}");
  g_assert_cmpuint (no_grant->status, ==, 400);
  g_assert_cmpstr (auth_response_get_string (no_grant, "error"), ==, "unsupported_grant_type");
}

static void
test_settings_and_health (void)
{
  g_autoptr(AuthResponse) settings = auth_test_request (test, "GET", "/settings", NULL, NULL, AUTH_REQUEST_DEFAULT);
  g_autoptr(AuthResponse) health = auth_test_request (test, "GET", "/health", NULL, NULL, AUTH_REQUEST_DEFAULT);
  g_autoptr(JsonNode) expected = json_from_string (
    "{\"external\": {\"anonymous_users\": false, \"apple\": false, \"azure\": false, \"bitbucket\": false,"
    " \"discord\": false, \"facebook\": false, \"figma\": false, \"fly\": false, \"github\": false,"
    " \"gitlab\": false, \"google\": false, \"keycloak\": false, \"kakao\": false, \"linkedin\": false,"
    " \"linkedin_oidc\": false, \"nextcloud\": false, \"notion\": false, \"spotify\": false, \"slack\": false,"
    " \"slack_oidc\": false, \"workos\": false, \"twitch\": false, \"twitter\": false, \"email\": true,"
    " \"phone\": false, \"zoom\": false},"
    " \"disable_signup\": false, \"mailer_autoconfirm\": true, \"phone_autoconfirm\": false,"
    " \"sms_provider\": \"\", \"saml_enabled\": false}", NULL);

  g_assert_cmpuint (settings->status, ==, 200);
  g_assert_true (json_node_equal (settings->body, expected));
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (auth_response_get_string (health, "name"), ==, "GoTrue");
}

/* Sign-up */

static void
test_sign_up (void)
{
  g_autofree char *email = auth_test_email ("Signup");
  g_autofree char *lower = g_ascii_strdown (email, -1);
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"correct horse\","
                                           " \"data\": {\"display_name\": \"Ada\", \"avatar_color\": \"#3584e4\"},"
                                           " \"gotrue_meta_security\": {}, \"code_challenge\": null,"
                                           " \"code_challenge_method\": null}", email);
  g_autoptr(AuthResponse) response = auth_test_request (test, "POST", "/signup", NULL, body, AUTH_REQUEST_DEFAULT);
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(JsonNode) expected_metadata = NULL;
  g_autofree char *metadata_json = NULL;
  const char *id;

  g_assert_cmpuint (response->status, ==, 200);
  /* The session */
  g_assert_cmpstr (auth_response_get_string (response, "token_type"), ==, "bearer");
  g_assert_cmpint (auth_response_get_int (response, "expires_in"), ==, JWT_EXPIRY);
  g_assert_cmpint (ABS (auth_response_get_int (response, "expires_at") - (now_s () + JWT_EXPIRY)), <=, 5);
  g_assert_cmpuint (strlen (auth_response_get_string (response, "refresh_token")), >=, 32);
  g_assert_null (auth_response_get (response, "weak_password"));

  /* The user, confirmed at once */
  id = auth_response_get_string (response, "user.id");
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpstr (auth_response_get_string (response, "user.aud"), ==, "authenticated");
  g_assert_cmpstr (auth_response_get_string (response, "user.role"), ==, "authenticated");
  g_assert_cmpstr (auth_response_get_string (response, "user.email"), ==, lower);
  g_assert_cmpstr (auth_response_get_string (response, "user.phone"), ==, "");
  assert_recent_time (auth_response_get_string (response, "user.email_confirmed_at"));
  assert_recent_time (auth_response_get_string (response, "user.confirmed_at"));
  assert_recent_time (auth_response_get_string (response, "user.last_sign_in_at"));
  assert_recent_time (auth_response_get_string (response, "user.created_at"));
  assert_recent_time (auth_response_get_string (response, "user.updated_at"));
  g_assert_false (json_node_get_boolean (auth_response_get (response, "user.is_anonymous")));
  assert_json_text (auth_response_get (response, "user.app_metadata"),
                    "{\"provider\":\"email\",\"providers\":[\"email\"]}");
  metadata_json = g_strdup_printf ("{\"sub\": \"%s\", \"email\": \"%s\", \"display_name\": \"Ada\","
                                   " \"avatar_color\": \"#3584e4\", \"email_verified\": true,"
                                   " \"phone_verified\": false}", id, lower);
  expected_metadata = json_from_string (metadata_json, NULL);
  g_assert_true (json_node_equal (auth_response_get (response, "user.user_metadata"), expected_metadata));

  /* Its identity */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (auth_response_get (response, "user.identities"))),
                    ==, 1);
  g_assert_true (g_uuid_string_is_valid (auth_response_get_string (response, "user.identities.0.identity_id")));
  g_assert_cmpstr (auth_response_get_string (response, "user.identities.0.id"), ==, id);
  g_assert_cmpstr (auth_response_get_string (response, "user.identities.0.user_id"), ==, id);
  g_assert_cmpstr (auth_response_get_string (response, "user.identities.0.provider"), ==, "email");
  g_assert_cmpstr (auth_response_get_string (response, "user.identities.0.email"), ==, lower);
  g_assert_true (json_node_equal (auth_response_get (response, "user.identities.0.identity_data"),
                                  expected_metadata));
  assert_recent_time (auth_response_get_string (response, "user.identities.0.last_sign_in_at"));

  /* The access token, as GoTrue signs it */
  claims = claims_of (response);
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, "authenticated");
  g_assert_cmpstr (json_object_get_string_member (claims, "role"), ==, "authenticated");
  g_assert_cmpstr (json_object_get_string_member (claims, "email"), ==, lower);
  g_assert_cmpstr (json_object_get_string_member (claims, "aal"), ==, "aal1");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (claims, "session_id")));
  g_assert_cmpint (json_object_get_int_member (claims, "exp") - json_object_get_int_member (claims, "iat"), ==,
                   JWT_EXPIRY);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, auth_response_get_int (response, "expires_at"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (claims, "iss"), "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (claims, "iss"), "/auth/v1"));
  g_assert_false (json_object_get_boolean_member (claims, "is_anonymous"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (claims, "user_metadata"),
                                                  "display_name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (claims, "amr"), 0), "method"), ==, "password");
}

static void
test_sign_up_errors (void)
{
  struct {
    const char *body;
    guint       status;
    const char *code;
    const char *message;
  } cases[] = {
    { "{\"email\": \"weak@example.com\", \"password\": \"12345\"}", 422, "weak_password",
      "Password should be at least 6 characters." },
    { "{\"email\": \"nopw@example.com\"}", 400, "validation_failed", "Signup requires a valid password" },
    { "{\"email\": \"nopw@example.com\", \"password\": \"\"}", 400, "validation_failed",
      "Signup requires a valid password" },
    { "{\"email\": \"long@example.com\", \"password\": "
      "\"0123456789012345678901234567890123456789012345678901234567890123456789012\"}", 400, "validation_failed",
      "Password cannot be longer than 72 characters" },
    { "{\"email\": \"not-an-address\", \"password\": \"secret-123\"}", 400, "validation_failed",
      "Unable to validate email address: invalid format" },
    { "{\"password\": \"secret-123\"}", 400, "validation_failed", "Sign up only available with email provider" },
    { "{\"phone\": \"+15555550100\", \"password\": \"secret-123\"}", 400, "phone_provider_disabled",
      "Phone signups are disabled" },
    { "{\"email\": \"both@example.com\", \"phone\": \"+15555550100\", \"password\": \"secret-123\"}", 400,
      "validation_failed", "Only an email address or phone number should be provided on signup." },
    { "{\"email\": 42, \"password\": \"secret-123\"}", 400, "bad_json",
      "Could not parse request body as JSON: json: cannot unmarshal number into Go struct field "
      "SignupParams.email of type string" },
    { "{\"email\": \"x@example.com\", \"password\": \"secret-123\", \"data\": [1]}", 400, "bad_json",
      "Could not parse request body as JSON: json: cannot unmarshal array into Go struct field "
      "SignupParams.data of type map[string]interface {}" },
    { "[]", 400, "bad_json",
      "Could not parse request body as JSON: json: cannot unmarshal array into Go value of type api.SignupParams" },
    { "", 400, "bad_json", "Could not parse request body as JSON: unexpected end of JSON input" },
  };
  g_autofree char *email = auth_test_email ("duplicate");
  g_autofree char *upper = g_ascii_strup (email, -1);
  g_autofree char *duplicate = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"another-one\"}", upper);
  G_GNUC_UNUSED g_autoptr(AuthResponse) first = auth_test_sign_up (test, email, "secret-123");
  g_autoptr(AuthResponse) again = NULL;
  g_autoptr(AuthResponse) legacy = NULL;
  g_autoptr(AuthResponse) garbage = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AuthResponse) response = auth_test_request (test, "POST", "/signup", NULL, cases[i].body,
                                                            AUTH_REQUEST_DEFAULT);

      g_test_message ("sign-up body %s", cases[i].body);
      auth_assert_error (response, cases[i].status, cases[i].code, cases[i].message);
      if (g_str_equal (cases[i].code, "weak_password"))
        assert_json_text (auth_response_get (response, "weak_password"), "{\"reasons\":[\"length\"]}");
    }

  /* The address is taken, whatever its case. */
  again = auth_test_request (test, "POST", "/signup", NULL, duplicate, AUTH_REQUEST_DEFAULT);
  auth_assert_error (again, 422, "user_already_exists", "User already registered");
  legacy = auth_test_request (test, "POST", "/signup", NULL, duplicate, AUTH_REQUEST_LEGACY);
  auth_assert_legacy_error (legacy, 422, "user_already_exists", "User already registered");
  assert_sql ("SELECT count (*) FROM auth.users WHERE email ILIKE 'duplicate-%'", "1");

  garbage = auth_test_request (test, "POST", "/signup", NULL, "{\"email\": ", AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (garbage->status, ==, 400);
  g_assert_cmpstr (auth_response_get_string (garbage, "code"), ==, "bad_json");
  g_assert_true (g_str_has_prefix (auth_response_get_string (garbage, "message"),
                                   "Could not parse request body as JSON: "));
}

/* Passwords in the database */

static void
test_password_hash (void)
{
  g_autofree char *email = auth_test_email ("hash");
  G_GNUC_UNUSED g_autoptr(AuthResponse) session = auth_test_sign_up (test, email, "correct horse battery");
  g_autofree char *hash_sql = g_strdup_printf ("SELECT encrypted_password FROM auth.users WHERE email = '%s'",
                                               email);
  g_autofree char *hash = auth_test_sql_value (test, hash_sql);
  g_autofree char *right_sql = g_strdup_printf ("SELECT extensions.crypt ('correct horse battery', '%s') = '%s'",
                                                hash, hash);
  g_autofree char *wrong_sql = g_strdup_printf ("SELECT extensions.crypt ('correct horse batterY', '%s') = '%s'",
                                                hash, hash);
  g_autofree char *right = NULL;
  g_autofree char *wrong = NULL;

  /* bcrypt, cost 10, as GoTrue stores it. */
  g_assert_nonnull (hash);
  g_assert_true (g_str_has_prefix (hash, "$2a$10$") || g_str_has_prefix (hash, "$2b$10$"));
  g_assert_cmpuint (strlen (hash), ==, 60);
  g_assert_null (strstr (hash, "correct"));
  right = auth_test_sql_value (test, right_sql);
  wrong = auth_test_sql_value (test, wrong_sql);
  g_assert_cmpstr (right, ==, "t");
  g_assert_cmpstr (wrong, ==, "f");

  /* No table of Auth is open to the API roles. */
  assert_sql ("SELECT count (*) FROM information_schema.role_table_grants"
              " WHERE table_schema = 'auth' AND grantee IN ('anon', 'authenticated', 'service_role')", "0");
}

/* Sign-in */

static void
test_sign_in (void)
{
  g_autofree char *email = auth_test_email ("signin");
  g_autofree char *upper = g_ascii_strup (email, -1);
  g_autoptr(AuthResponse) up = auth_test_sign_up (test, email, "secret-123");
  g_autoptr(AuthResponse) in = NULL;
  g_autoptr(JsonObject) up_claims = claims_of (up);
  g_autoptr(JsonObject) in_claims = NULL;
  g_autofree char *sessions_sql = g_strdup_printf ("SELECT count (*) FROM auth.sessions s JOIN auth.users u"
                                                   " ON u.id = s.user_id WHERE u.email = '%s'", email);
  g_autofree char *sessions = NULL;

  g_usleep (10 * 1000);
  in = auth_test_sign_in (test, upper, "secret-123");
  in_claims = claims_of (in);
  g_assert_cmpstr (auth_response_get_string (in, "user.id"), ==, auth_response_get_string (up, "user.id"));
  g_assert_cmpstr (auth_response_get_string (in, "user.email"), ==, email);
  g_assert_cmpstr (auth_response_get_string (in, "token_type"), ==, "bearer");
  g_assert_cmpint (auth_response_get_int (in, "expires_in"), ==, JWT_EXPIRY);
  g_assert_null (auth_response_get (in, "weak_password"));
  /* A new session, with its own refresh token; the sign-in is recorded. */
  g_assert_cmpstr (json_object_get_string_member (in_claims, "session_id"), !=,
                   json_object_get_string_member (up_claims, "session_id"));
  g_assert_cmpstr (auth_response_get_string (in, "refresh_token"), !=, auth_response_get_string (up, "refresh_token"));
  g_assert_cmpint (usec_of (auth_response_get_string (in, "user.last_sign_in_at")), >,
                   usec_of (auth_response_get_string (up, "user.last_sign_in_at")));
  sessions = auth_test_sql_value (test, sessions_sql);
  g_assert_cmpstr (sessions, ==, "2");
}

static void
test_sign_in_errors (void)
{
  g_autofree char *email = auth_test_email ("wrongpw");
  G_GNUC_UNUSED g_autoptr(AuthResponse) up = auth_test_sign_up (test, email, "secret-123");
  g_autofree char *wrong = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"secret-124\"}", email);
  struct {
    const char *body;
    guint       status;
    const char *code;
    const char *message;
  } cases[] = {
    { wrong, 400, "invalid_credentials", "Invalid login credentials" },
    { "{\"email\": \"nobody@example.com\", \"password\": \"secret-123\"}", 400, "invalid_credentials",
      "Invalid login credentials" },
    { "{\"email\": \"nobody@example.com\"}", 400, "invalid_credentials", "Invalid login credentials" },
    { "{\"password\": \"secret-123\"}", 400, "validation_failed", "missing email or phone" },
    { "{\"phone\": \"+15555550100\", \"password\": \"secret-123\"}", 422, "phone_provider_disabled",
      "Phone logins are disabled" },
    { "{\"email\": \"a@example.com\", \"phone\": \"+15555550100\", \"password\": \"x\"}", 400,
      "validation_failed", "Only an email address or phone number should be provided on login." },
    { "{\"email\": true}", 400, "bad_json",
      "Could not parse request body as JSON: json: cannot unmarshal bool into Go struct field "
      "PasswordGrantParams.email of type string" },
  };
  g_autoptr(AuthResponse) legacy = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AuthResponse) response = auth_test_request (test, "POST", "/token?grant_type=password", NULL,
                                                            cases[i].body, AUTH_REQUEST_DEFAULT);

      g_test_message ("sign-in body %s", cases[i].body);
      auth_assert_error (response, cases[i].status, cases[i].code, cases[i].message);
    }

  /* Without the version header: the legacy shape. */
  legacy = auth_test_request (test, "POST", "/token?grant_type=password", NULL, wrong, AUTH_REQUEST_LEGACY);
  auth_assert_legacy_error (legacy, 400, "invalid_credentials", "Invalid login credentials");
  assert_json_text (legacy->body,
                    "{\"code\":400,\"error_code\":\"invalid_credentials\",\"msg\":\"Invalid login credentials\"}");
}

/* Users made in SQL: a bcrypt hash from pgcrypto signs in; a short password
 * still does, with weak_password; an unconfirmed address does not. */
static void
test_sign_in_sql_users (void)
{
  g_autoptr(AuthResponse) weak = NULL;
  g_autoptr(AuthResponse) unconfirmed = NULL;

  auth_test_sql (test,
                 "INSERT INTO auth.users (email, encrypted_password, email_confirmed_at, raw_app_meta_data)"
                 " VALUES ('short@example.com', extensions.crypt ('abc', extensions.gen_salt ('bf')), now (),"
                 "         '{\"provider\": \"email\", \"providers\": [\"email\"]}'),"
                 "        ('unconfirmed@example.com', extensions.crypt ('secret-123', extensions.gen_salt ('bf')),"
                 "         NULL, '{}')");

  weak = auth_test_sign_in (test, "short@example.com", "abc");
  g_assert_cmpstr (auth_response_get_string (weak, "user.email"), ==, "short@example.com");
  assert_json_text (auth_response_get (weak, "weak_password"),
                    "{\"message\":\"Password should be at least 6 characters.\",\"reasons\":[\"length\"]}");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (auth_response_get (weak, "user.identities"))), ==, 0);

  unconfirmed = auth_test_request (test, "POST", "/token?grant_type=password", NULL,
                                   "{\"email\": \"unconfirmed@example.com\", \"password\": \"secret-123\"}",
                                   AUTH_REQUEST_DEFAULT);
  auth_assert_error (unconfirmed, 400, "email_not_confirmed", "Email not confirmed");
}

/* GET /user */

static void
test_get_user (void)
{
  g_autofree char *email = auth_test_email ("getuser");
  g_autoptr(AuthResponse) session = auth_test_sign_up (test, email, "secret-123");
  const char *token = auth_response_get_string (session, "access_token");
  g_autoptr(AuthResponse) user = auth_test_request (test, "GET", "/user", token, NULL, AUTH_REQUEST_DEFAULT);

  g_assert_cmpuint (user->status, ==, 200);
  /* The same object as in the session. */
  g_assert_true (json_node_equal (user->body, auth_response_get (session, "user")));
}

static void
test_get_user_errors (void)
{
  g_autofree char *email = auth_test_email ("usererrors");
  g_autoptr(AuthResponse) session = auth_test_sign_up (test, email, "secret-123");
  g_autoptr(JsonObject) claims = claims_of (session);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *expired = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *bad_sub = NULL;
  g_autofree char *no_user = NULL;
  g_autofree char *wrong_aud = NULL;
  g_autoptr(JsonObject) other_claims = json_object_new ();
  g_autoptr(AuthResponse) response = NULL;

  response = auth_test_request (test, "GET", "/user", NULL, NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (response, 401, "no_authorization", "This endpoint requires a valid Bearer token");
  g_clear_pointer (&response, auth_response_free);
  response = auth_test_request (test, "GET", "/user", NULL, NULL, AUTH_REQUEST_LEGACY);
  auth_assert_legacy_error (response, 401, "no_authorization", "This endpoint requires a valid Bearer token");
  g_clear_pointer (&response, auth_response_free);

  /* auth-js sends the anon key as the bearer when signed out. */
  response = auth_test_request (test, "GET", "/user", tandem_test_server_get_anon_key (test->server), NULL,
                                AUTH_REQUEST_DEFAULT);
  auth_assert_error (response, 403, "bad_jwt", "invalid claim: missing sub claim");
  g_clear_pointer (&response, auth_response_free);

  json_object_set_string_member (extra, "sub", json_object_get_string_member (claims, "sub"));
  json_object_set_string_member (extra, "session_id", json_object_get_string_member (claims, "session_id"));
  json_object_set_string_member (extra, "aud", "authenticated");
  expired = tandem_test_server_make_token (test->server, "authenticated", -30, extra);
  response = auth_test_request (test, "GET", "/user", expired, NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (response, 403, "bad_jwt",
                     "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired");
  g_clear_pointer (&response, auth_response_free);

  json_object_set_string_member (other_claims, "sub", json_object_get_string_member (claims, "sub"));
  json_object_set_string_member (other_claims, "role", "authenticated");
  json_object_set_int_member (other_claims, "exp", now_s () + 60);
  foreign = tandem_jwt_sign_hs256 (other_claims, "not-the-servers-secret-0123456789abcdef");
  response = auth_test_request (test, "GET", "/user", foreign, NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (response, 403, "bad_jwt",
                     "invalid JWT: unable to parse or verify signature, token signature is invalid: "
                     "signature is invalid");
  g_clear_pointer (&response, auth_response_free);

  response = auth_test_request (test, "GET", "/user", "not.a.jwt", NULL, AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (response->status, ==, 403);
  g_assert_cmpstr (auth_response_get_string (response, "code"), ==, "bad_jwt");
  g_clear_pointer (&response, auth_response_free);

  json_object_set_string_member (extra, "sub", "alice");
  bad_sub = tandem_test_server_make_token (test->server, "authenticated", 60, extra);
  response = auth_test_request (test, "GET", "/user", bad_sub, NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (response, 400, "bad_jwt", "invalid claim: sub claim must be a UUID");
  g_clear_pointer (&response, auth_response_free);

  json_object_set_string_member (extra, "sub", "6f1b3f4e-0000-4000-8000-000000000000");
  no_user = tandem_test_server_make_token (test->server, "authenticated", 60, extra);
  response = auth_test_request (test, "GET", "/user", no_user, NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (response, 403, "user_not_found", "User from sub claim in JWT does not exist");
  g_clear_pointer (&response, auth_response_free);

  json_object_set_string_member (extra, "sub", json_object_get_string_member (claims, "sub"));
  json_object_set_string_member (extra, "aud", "somebody-else");
  wrong_aud = tandem_test_server_make_token (test->server, "authenticated", 60, extra);
  response = auth_test_request (test, "GET", "/user", wrong_aud, NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (response, 400, "validation_failed", "Token audience doesn't match request audience");
}

/* PUT /user */

static void
test_update_user (void)
{
  g_autofree char *email = auth_test_email ("update");
  g_autofree char *new_email = auth_test_email ("updated");
  g_autoptr(AuthResponse) session = auth_test_sign_up (test, email, "secret-123");
  const char *token = auth_response_get_string (session, "access_token");
  g_autoptr(AuthResponse) response = NULL;
  g_autoptr(AuthResponse) again = NULL;
  g_autoptr(AuthResponse) signed_in = NULL;
  g_autoptr(AuthResponse) old_password = NULL;
  g_autofree char *body = NULL;
  g_autofree char *old_body = NULL;

  /* Metadata is merged; null removes a key. */
  response = auth_test_request (test, "PUT", "/user", token,
                                "{\"data\": {\"display_name\": \"Grace\", \"avatar_color\": \"#e01b24\"}}",
                                AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (auth_response_get_string (response, "user_metadata.display_name"), ==, "Grace");
  g_assert_cmpstr (auth_response_get_string (response, "user_metadata.avatar_color"), ==, "#e01b24");
  g_assert_cmpstr (auth_response_get_string (response, "user_metadata.email"), ==, email);
  g_assert_cmpint (usec_of (auth_response_get_string (response, "updated_at")), >,
                   usec_of (auth_response_get_string (session, "user.updated_at")));
  g_clear_pointer (&response, auth_response_free);

  response = auth_test_request (test, "PUT", "/user", token,
                                "{\"data\": {\"avatar_color\": null, \"status\": \"away\"}}", AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (auth_response_get_string (response, "user_metadata.display_name"), ==, "Grace");
  g_assert_null (auth_response_get (response, "user_metadata.avatar_color"));
  g_assert_cmpstr (auth_response_get_string (response, "user_metadata.status"), ==, "away");
  g_clear_pointer (&response, auth_response_free);

  /* GET /user sees it. */
  again = auth_test_request (test, "GET", "/user", token, NULL, AUTH_REQUEST_DEFAULT);
  g_assert_cmpstr (auth_response_get_string (again, "user_metadata.status"), ==, "away");

  /* A new address applies at once (local users need no mail). */
  body = g_strdup_printf ("{\"email\": \"%s\"}", new_email);
  response = auth_test_request (test, "PUT", "/user", token, body, AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (auth_response_get_string (response, "email"), ==, new_email);
  g_assert_cmpstr (auth_response_get_string (response, "identities.0.email"), ==, new_email);
  g_clear_pointer (&response, auth_response_free);

  /* A new password, and the old one stops working. */
  response = auth_test_request (test, "PUT", "/user", token, "{\"password\": \"a-new-password\"}",
                                AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (response->status, ==, 200);
  signed_in = auth_test_sign_in (test, new_email, "a-new-password");
  old_body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"secret-123\"}", new_email);
  old_password = auth_test_request (test, "POST", "/token?grant_type=password", NULL, old_body, AUTH_REQUEST_DEFAULT);
  auth_assert_error (old_password, 400, "invalid_credentials", "Invalid login credentials");
}

static void
test_update_user_errors (void)
{
  g_autofree char *email = auth_test_email ("updateerrors");
  g_autofree char *taken = auth_test_email ("taken");
  g_autoptr(AuthResponse) session = auth_test_sign_up (test, email, "secret-123");
  g_autoptr(AuthResponse) other = auth_test_sign_up (test, taken, "secret-123");
  const char *token = auth_response_get_string (session, "access_token");
  g_autofree char *taken_body = g_strdup_printf ("{\"email\": \"%s\"}", taken);
  struct {
    const char *body;
    guint       status;
    const char *code;
    const char *message;
  } cases[] = {
    { taken_body, 422, "email_exists", "A user with this email address has already been registered" },
    { "{\"email\": \"nope\"}", 400, "validation_failed", "Unable to validate email address: invalid format" },
    { "{\"password\": \"12345\"}", 422, "weak_password", "Password should be at least 6 characters." },
    { "{\"password\": \"\"}", 422, "weak_password", "Password should be at least 6 characters." },
    { "{\"password\": \"secret-123\"}", 422, "same_password",
      "New password should be different from the old password." },
    { "{\"app_metadata\": {\"role\": \"admin\"}}", 403, "not_admin",
      "Updating app_metadata requires admin privileges" },
    { "{\"phone\": \"+15555550100\"}", 422, "phone_provider_disabled", "Phone logins are disabled" },
    { "{\"data\": \"x\"}", 400, "bad_json",
      "Could not parse request body as JSON: json: cannot unmarshal string into Go struct field "
      "UserUpdateParams.data of type map[string]interface {}" },
  };
  g_autoptr(AuthResponse) unchanged = NULL;
  g_autoptr(AuthResponse) no_token = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AuthResponse) response = auth_test_request (test, "PUT", "/user", token, cases[i].body,
                                                            AUTH_REQUEST_DEFAULT);

      g_test_message ("update body %s", cases[i].body);
      auth_assert_error (response, cases[i].status, cases[i].code, cases[i].message);
    }

  /* Nothing changed. */
  unchanged = auth_test_request (test, "GET", "/user", token, NULL, AUTH_REQUEST_DEFAULT);
  g_assert_cmpstr (auth_response_get_string (unchanged, "email"), ==, email);
  g_assert_cmpstr (auth_response_get_string (unchanged, "updated_at"), ==,
                   auth_response_get_string (session, "user.updated_at"));

  no_token = auth_test_request (test, "PUT", "/user", NULL, "{\"data\": {}}", AUTH_REQUEST_DEFAULT);
  auth_assert_error (no_token, 401, "no_authorization", "This endpoint requires a valid Bearer token");
  g_assert_cmpstr (auth_response_get_string (other, "user.email"), ==, taken);
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--jwt-expiry", G_STRINGIFY (JWT_EXPIRY), "--auth-rate-limit", "1000", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/api/api-key", test_api_key);
  g_test_add_func ("/auth/api/cors", test_cors);
  g_test_add_func ("/auth/api/routes", test_routes);
  g_test_add_func ("/auth/api/settings-and-health", test_settings_and_health);
  g_test_add_func ("/auth/api/sign-up", test_sign_up);
  g_test_add_func ("/auth/api/sign-up-errors", test_sign_up_errors);
  g_test_add_func ("/auth/api/password-hash", test_password_hash);
  g_test_add_func ("/auth/api/sign-in", test_sign_in);
  g_test_add_func ("/auth/api/sign-in-errors", test_sign_in_errors);
  g_test_add_func ("/auth/api/sign-in-sql-users", test_sign_in_sql_users);
  g_test_add_func ("/auth/api/get-user", test_get_user);
  g_test_add_func ("/auth/api/get-user-errors", test_get_user_errors);
  g_test_add_func ("/auth/api/update-user", test_update_user);
  g_test_add_func ("/auth/api/update-user-errors", test_update_user_errors);

  test = auth_test_new (args);
  status = g_test_run ();
  auth_test_free (test);
  return status;
}
