/* test-auth-sessions.c: sessions and refresh tokens of a real tandem-server
 *
 * Rotation on every refresh; the answer a client lost given again; the
 * reuse interval; a revoked token used again revoking its whole family;
 * logout in each scope; a new password ending the other sessions; the
 * password rate limit per address; and the access tokens' configured
 * lifetime.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "auth-test-util.h"
#include "tandem-jwt.h"

static AuthTest *test;

/* The stored form of a refresh token, computed by PostgreSQL. */
static char *
stored (const char *token)
{
  g_autofree char *sql = g_strdup_printf ("SELECT encode (extensions.digest ('%s', 'sha256'), 'hex')", token);

  return auth_test_sql_value (test, sql);
}

static char *
token_column (const char *token,
              const char *column)
{
  g_autofree char *hash = stored (token);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM auth.refresh_tokens WHERE token = '%s'", column, hash);

  return auth_test_sql_value (test, sql);
}

static void
assert_revoked (const char *token,
                const char *expected)
{
  g_autofree char *revoked = token_column (token, "revoked::text");

  g_assert_cmpstr (revoked, ==, expected);
}

/* Moves the last change of @token's row @seconds into the past. */
static void
age_token (const char *token,
           int         seconds)
{
  g_autofree char *hash = stored (token);
  g_autofree char *sql = g_strdup_printf ("UPDATE auth.refresh_tokens"
                                          "   SET updated_at = updated_at - interval '%d seconds'"
                                          " WHERE token = '%s'", seconds, hash);

  auth_test_sql (test, sql);
}

static char *
session_of (AuthResponse *response)
{
  g_autoptr(JsonObject) claims = tandem_jwt_decode_unverified (auth_response_get_string (response, "access_token"),
                                                               NULL);

  g_assert_nonnull (claims);
  return g_strdup (json_object_get_string_member (claims, "session_id"));
}

static char *
count_tokens (const char *session_id,
              const char *condition)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM auth.refresh_tokens"
                                          " WHERE session_id = '%s' AND %s", session_id, condition);

  return auth_test_sql_value (test, sql);
}

static AuthResponse *
refresh_ok (const char *token)
{
  AuthResponse *response = auth_test_refresh (test, token);

  if (response->status != 200)
    {
      g_autofree char *text = json_to_string (response->body, FALSE);

      g_error ("refresh answered %u: %s", response->status, text);
    }
  return response;
}

/* Refresh */

static void
test_rotation (void)
{
  g_autofree char *email = auth_test_email ("rotate");
  g_autoptr(AuthResponse) up = auth_test_sign_up (test, email, "secret-123");
  const char *first = auth_response_get_string (up, "refresh_token");
  g_autoptr(AuthResponse) second = NULL;
  g_autoptr(AuthResponse) third = NULL;
  g_autofree char *session = session_of (up);
  g_autofree char *second_session = NULL;
  g_autofree char *plain_sql = g_strdup_printf ("SELECT count (*) FROM auth.refresh_tokens WHERE token = '%s'",
                                                first);
  g_autofree char *plain = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *first_hash = stored (first);
  g_autofree char *refreshed_sql = g_strdup_printf ("SELECT refreshed_at IS NOT NULL FROM auth.sessions"
                                                    " WHERE id = '%s'", session);
  g_autofree char *refreshed = NULL;
  g_autofree char *all = NULL;

  second = refresh_ok (first);
  /* A new token in the same session, with the same answer's shape. */
  g_assert_cmpstr (auth_response_get_string (second, "refresh_token"), !=, first);
  g_assert_cmpuint (strlen (auth_response_get_string (second, "refresh_token")), ==, 43);
  second_session = session_of (second);
  g_assert_cmpstr (second_session, ==, session);
  g_assert_cmpstr (auth_response_get_string (second, "token_type"), ==, "bearer");
  g_assert_cmpint (auth_response_get_int (second, "expires_in"), ==, 3600);
  g_assert_cmpstr (auth_response_get_string (second, "user.email"), ==, email);
  g_assert_true (json_node_equal (auth_response_get (second, "user.identities"),
                                  auth_response_get (up, "user.identities")));

  /* The database has hashes only; the old token is revoked, the new one is
   * its child. */
  plain = auth_test_sql_value (test, plain_sql);
  g_assert_cmpstr (plain, ==, "0");
  assert_revoked (first, "true");
  assert_revoked (auth_response_get_string (second, "refresh_token"), "false");
  parent = token_column (auth_response_get_string (second, "refresh_token"), "parent");
  g_assert_cmpstr (parent, ==, first_hash);
  refreshed = auth_test_sql_value (test, refreshed_sql);
  g_assert_cmpstr (refreshed, ==, "t");

  third = refresh_ok (auth_response_get_string (second, "refresh_token"));
  g_assert_cmpstr (auth_response_get_string (third, "refresh_token"), !=,
                   auth_response_get_string (second, "refresh_token"));
  all = count_tokens (session, "true");
  g_assert_cmpstr (all, ==, "3");
}

/* A client that lost the answer to a refresh gets the same child again,
 * even after the reuse interval, as long as that child is unused. */
static void
test_lost_answer (void)
{
  g_autofree char *email = auth_test_email ("lost");
  g_autoptr(AuthResponse) up = auth_test_sign_up (test, email, "secret-123");
  const char *first = auth_response_get_string (up, "refresh_token");
  g_autoptr(AuthResponse) child = refresh_ok (first);
  g_autoptr(AuthResponse) again = NULL;
  g_autoptr(AuthResponse) later = NULL;
  g_autoptr(AuthResponse) next = NULL;
  g_autofree char *session = session_of (up);
  g_autofree char *count = NULL;

  again = refresh_ok (first);
  g_assert_cmpstr (auth_response_get_string (again, "refresh_token"), ==,
                   auth_response_get_string (child, "refresh_token"));
  count = count_tokens (session, "true");
  g_assert_cmpstr (count, ==, "2");

  age_token (first, 3600);
  later = refresh_ok (first);
  g_assert_cmpstr (auth_response_get_string (later, "refresh_token"), ==,
                   auth_response_get_string (child, "refresh_token"));

  next = refresh_ok (auth_response_get_string (child, "refresh_token"));
  g_assert_cmpstr (auth_response_get_string (next, "refresh_token"), !=,
                   auth_response_get_string (child, "refresh_token"));
}

/* Two tabs refreshing at once: an older token still works within the reuse
 * interval (10 s), and gets a child of its own. */
static void
test_reuse_interval (void)
{
  g_autofree char *email = auth_test_email ("reuse");
  g_autoptr(AuthResponse) up = auth_test_sign_up (test, email, "secret-123");
  const char *first = auth_response_get_string (up, "refresh_token");
  g_autoptr(AuthResponse) second = refresh_ok (first);
  g_autoptr(AuthResponse) third = refresh_ok (auth_response_get_string (second, "refresh_token"));
  g_autoptr(AuthResponse) reused = NULL;
  g_autofree char *session = session_of (up);
  g_autofree char *reused_session = NULL;
  g_autofree char *active = NULL;

  reused = refresh_ok (first);
  g_assert_cmpstr (auth_response_get_string (reused, "refresh_token"), !=,
                   auth_response_get_string (second, "refresh_token"));
  g_assert_cmpstr (auth_response_get_string (reused, "refresh_token"), !=,
                   auth_response_get_string (third, "refresh_token"));
  reused_session = session_of (reused);
  g_assert_cmpstr (reused_session, ==, session);
  active = count_tokens (session, "NOT revoked");
  g_assert_cmpstr (active, ==, "2");
}

/* A revoked token used again after the interval: the whole family is
 * revoked, and stays so. */
static void
test_family_revocation (void)
{
  g_autofree char *email = auth_test_email ("family");
  g_autoptr(AuthResponse) up = auth_test_sign_up (test, email, "secret-123");
  const char *first = auth_response_get_string (up, "refresh_token");
  g_autoptr(AuthResponse) second = refresh_ok (first);
  g_autoptr(AuthResponse) third = refresh_ok (auth_response_get_string (second, "refresh_token"));
  g_autoptr(AuthResponse) reused = NULL;
  g_autoptr(AuthResponse) latest = NULL;
  g_autoptr(AuthResponse) legacy = NULL;
  g_autoptr(AuthResponse) other = NULL;
  g_autoptr(AuthResponse) other_refreshed = NULL;
  g_autofree char *session = session_of (up);
  g_autofree char *active = NULL;

  /* Another session of the same user is not part of the family. */
  other = auth_test_sign_in (test, email, "secret-123");

  age_token (first, 11);
  reused = auth_test_refresh (test, first);
  auth_assert_error (reused, 400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
  active = count_tokens (session, "NOT revoked");
  g_assert_cmpstr (active, ==, "0");

  /* Even the newest token of the family is dead now. */
  latest = auth_test_refresh (test, auth_response_get_string (third, "refresh_token"));
  auth_assert_error (latest, 400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
  legacy = auth_test_request (test, "POST", "/token?grant_type=refresh_token", NULL,
                              "{\"refresh_token\": \"x\"}", AUTH_REQUEST_LEGACY);
  auth_assert_legacy_error (legacy, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");

  other_refreshed = refresh_ok (auth_response_get_string (other, "refresh_token"));
  g_assert_cmpstr (auth_response_get_string (other_refreshed, "user.email"), ==, email);
}

static void
test_refresh_errors (void)
{
  g_autoptr(AuthResponse) unknown = auth_test_refresh (test, "no-such-token");
  g_autoptr(AuthResponse) empty = auth_test_refresh (test, "");
  g_autoptr(AuthResponse) missing = auth_test_request (test, "POST", "/token?grant_type=refresh_token", NULL, "{}",
                                                       AUTH_REQUEST_DEFAULT);
  g_autoptr(AuthResponse) no_body = auth_test_request (test, "POST", "/token?grant_type=refresh_token", NULL, NULL,
                                                       AUTH_REQUEST_DEFAULT);
  g_autoptr(AuthResponse) wrong_type = auth_test_request (test, "POST", "/token?grant_type=refresh_token", NULL,
                                                          "{\"refresh_token\": 1}", AUTH_REQUEST_DEFAULT);

  auth_assert_error (unknown, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  /* GoTrue's OAuth shape for this one. */
  g_assert_cmpuint (empty->status, ==, 400);
  g_assert_cmpstr (auth_response_get_string (empty, "error"), ==, "invalid_request");
  g_assert_cmpstr (auth_response_get_string (empty, "error_description"), ==, "refresh_token required");
  g_assert_cmpuint (missing->status, ==, 400);
  g_assert_cmpstr (auth_response_get_string (missing, "error_description"), ==, "refresh_token required");
  auth_assert_error (no_body, 400, "bad_json", "Could not parse request body as JSON: unexpected end of JSON input");
  auth_assert_error (wrong_type, 400, "bad_json",
                     "Could not parse request body as JSON: json: cannot unmarshal number into Go struct field "
                     "RefreshTokenGrantParams.refresh_token of type string");
}

/* Logout */

static void
assert_session_gone (AuthResponse *session)
{
  g_autoptr(AuthResponse) user = auth_test_request (test, "GET", "/user",
                                                    auth_response_get_string (session, "access_token"), NULL,
                                                    AUTH_REQUEST_DEFAULT);
  g_autoptr(AuthResponse) refresh = auth_test_refresh (test, auth_response_get_string (session, "refresh_token"));

  auth_assert_error (user, 403, "session_not_found", "Session from session_id claim in JWT does not exist");
  auth_assert_error (refresh, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
}

static void
assert_session_alive (AuthResponse *session)
{
  g_autoptr(AuthResponse) user = auth_test_request (test, "GET", "/user",
                                                    auth_response_get_string (session, "access_token"), NULL,
                                                    AUTH_REQUEST_DEFAULT);

  g_assert_cmpuint (user->status, ==, 200);
}

static void
logout (AuthResponse *session,
        const char   *scope)
{
  g_autofree char *path = scope ? g_strconcat ("/logout?scope=", scope, NULL) : g_strdup ("/logout");
  g_autoptr(AuthResponse) response = auth_test_request (test, "POST", path,
                                                        auth_response_get_string (session, "access_token"), NULL,
                                                        AUTH_REQUEST_DEFAULT);

  g_assert_cmpuint (response->status, ==, 204);
  g_assert_null (response->body);
}

static void
test_logout_scopes (void)
{
  g_autofree char *email = auth_test_email ("logout");
  g_autoptr(AuthResponse) s1 = auth_test_sign_up (test, email, "secret-123");
  g_autoptr(AuthResponse) s2 = auth_test_sign_in (test, email, "secret-123");
  g_autoptr(AuthResponse) s3 = auth_test_sign_in (test, email, "secret-123");
  g_autoptr(AuthResponse) s4 = NULL;
  g_autoptr(AuthResponse) s5 = NULL;
  g_autoptr(AuthResponse) again = NULL;
  g_autofree char *user_sql = NULL;
  g_autofree char *left = NULL;

  logout (s1, "others");
  assert_session_gone (s2);
  assert_session_gone (s3);
  assert_session_alive (s1);

  s4 = auth_test_sign_in (test, email, "secret-123");
  logout (s4, "local");
  assert_session_gone (s4);
  assert_session_alive (s1);

  s5 = auth_test_sign_in (test, email, "secret-123");
  logout (s5, NULL);
  assert_session_gone (s5);
  assert_session_gone (s1);

  user_sql = g_strdup_printf ("SELECT count (*) FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id"
                              " WHERE u.email = '%s'", email);
  left = auth_test_sql_value (test, user_sql);
  g_assert_cmpstr (left, ==, "0");

  /* Signing out twice: the session is already gone (auth-js ignores it). */
  again = auth_test_request (test, "POST", "/logout", auth_response_get_string (s1, "access_token"), NULL,
                             AUTH_REQUEST_DEFAULT);
  auth_assert_error (again, 403, "session_not_found", "Session from session_id claim in JWT does not exist");
}

static void
test_logout_errors (void)
{
  g_autofree char *email = auth_test_email ("logouterr");
  g_autoptr(AuthResponse) session = auth_test_sign_up (test, email, "secret-123");
  g_autoptr(AuthResponse) bad_scope = NULL;
  g_autoptr(AuthResponse) no_token = NULL;
  g_autoptr(AuthResponse) anon = NULL;

  bad_scope = auth_test_request (test, "POST", "/logout?scope=everywhere",
                                 auth_response_get_string (session, "access_token"), NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (bad_scope, 400, "validation_failed", "Unsupported logout scope \"everywhere\"");
  assert_session_alive (session);

  /* The token is checked first. */
  no_token = auth_test_request (test, "POST", "/logout?scope=everywhere", NULL, NULL, AUTH_REQUEST_DEFAULT);
  auth_assert_error (no_token, 401, "no_authorization", "This endpoint requires a valid Bearer token");
  anon = auth_test_request (test, "POST", "/logout", tandem_test_server_get_anon_key (test->server), NULL,
                            AUTH_REQUEST_DEFAULT);
  auth_assert_error (anon, 403, "bad_jwt", "invalid claim: missing sub claim");
}

/* A new password signs out everywhere else. */
static void
test_password_change_ends_other_sessions (void)
{
  g_autofree char *email = auth_test_email ("newpassword");
  g_autoptr(AuthResponse) mine = auth_test_sign_up (test, email, "secret-123");
  g_autoptr(AuthResponse) theirs = auth_test_sign_in (test, email, "secret-123");
  g_autoptr(AuthResponse) changed = NULL;
  g_autoptr(AuthResponse) refreshed = NULL;

  changed = auth_test_request (test, "PUT", "/user", auth_response_get_string (mine, "access_token"),
                               "{\"password\": \"secret-456\"}", AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (changed->status, ==, 200);
  assert_session_gone (theirs);
  assert_session_alive (mine);
  refreshed = refresh_ok (auth_response_get_string (mine, "refresh_token"));
  g_assert_cmpstr (auth_response_get_string (refreshed, "user.email"), ==, email);
}

/* A server with a small rate limit and short-lived access tokens */

static void
test_rate_limit_and_expiry (void)
{
  const char * const args[] = { "--auth-rate-limit", "3", "--jwt-expiry", "2", NULL };
  g_autoptr(AuthTest) limited = auth_test_new (args);
  AuthTest *saved = test;
  g_autofree char *email = auth_test_email ("limited");
  g_autofree char *wrong = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"wrong-password\"}", email);
  g_autofree char *right = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"secret-123\"}", email);
  g_autoptr(AuthResponse) up = NULL;
  g_autoptr(AuthResponse) in = NULL;
  g_autoptr(AuthResponse) failed = NULL;
  g_autoptr(AuthResponse) over = NULL;
  g_autoptr(AuthResponse) over_legacy = NULL;
  g_autoptr(AuthResponse) over_signup = NULL;
  g_autoptr(AuthResponse) refreshed = NULL;
  g_autoptr(AuthResponse) user = NULL;
  g_autoptr(AuthResponse) expired = NULL;
  g_autoptr(AuthResponse) fresh_user = NULL;

  test = limited;

  /* Three attempts from this address: a sign-up and two sign-ins, one of
   * them failing. */
  up = auth_test_sign_up (test, email, "secret-123");
  g_assert_cmpint (auth_response_get_int (up, "expires_in"), ==, 2);
  in = auth_test_sign_in (test, email, "secret-123");
  failed = auth_test_request (test, "POST", "/token?grant_type=password", NULL, wrong, AUTH_REQUEST_DEFAULT);
  auth_assert_error (failed, 400, "invalid_credentials", "Invalid login credentials");

  /* The fourth is refused, right password or not, and so is a sign-up. */
  over = auth_test_request (test, "POST", "/token?grant_type=password", NULL, right, AUTH_REQUEST_DEFAULT);
  auth_assert_error (over, 429, "over_request_rate_limit", "Request rate limit reached");
  over_legacy = auth_test_request (test, "POST", "/token?grant_type=password", NULL, right, AUTH_REQUEST_LEGACY);
  auth_assert_legacy_error (over_legacy, 429, "over_request_rate_limit", "Request rate limit reached");
  over_signup = auth_test_request (test, "POST", "/signup", NULL,
                                   "{\"email\": \"another@example.com\", \"password\": \"secret-123\"}",
                                   AUTH_REQUEST_DEFAULT);
  auth_assert_error (over_signup, 429, "over_request_rate_limit", "Request rate limit reached");

  /* Sessions carry on: refreshing is not limited. */
  refreshed = refresh_ok (auth_response_get_string (in, "refresh_token"));
  user = auth_test_request (test, "GET", "/user", auth_response_get_string (refreshed, "access_token"), NULL,
                            AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (user->status, ==, 200);

  /* The access tokens live --jwt-expiry seconds. */
  g_usleep (3 * G_USEC_PER_SEC);
  expired = auth_test_request (test, "GET", "/user", auth_response_get_string (refreshed, "access_token"), NULL,
                               AUTH_REQUEST_DEFAULT);
  auth_assert_error (expired, 403, "bad_jwt",
                     "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired");
  g_clear_pointer (&refreshed, auth_response_free);
  refreshed = refresh_ok (auth_response_get_string (in, "refresh_token"));
  fresh_user = auth_test_request (test, "GET", "/user", auth_response_get_string (refreshed, "access_token"), NULL,
                                  AUTH_REQUEST_DEFAULT);
  g_assert_cmpuint (fresh_user->status, ==, 200);

  test = saved;
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--auth-rate-limit", "1000", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/sessions/rotation", test_rotation);
  g_test_add_func ("/auth/sessions/lost-answer", test_lost_answer);
  g_test_add_func ("/auth/sessions/reuse-interval", test_reuse_interval);
  g_test_add_func ("/auth/sessions/family-revocation", test_family_revocation);
  g_test_add_func ("/auth/sessions/refresh-errors", test_refresh_errors);
  g_test_add_func ("/auth/sessions/logout-scopes", test_logout_scopes);
  g_test_add_func ("/auth/sessions/logout-errors", test_logout_errors);
  g_test_add_func ("/auth/sessions/password-change", test_password_change_ends_other_sessions);
  g_test_add_func ("/auth/sessions/rate-limit-and-expiry", test_rate_limit_and_expiry);

  test = auth_test_new (args);
  status = g_test_run ();
  auth_test_free (test);
  return status;
}
