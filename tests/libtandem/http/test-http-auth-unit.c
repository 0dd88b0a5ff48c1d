/* test-http-auth-unit.c: TandemAuth and TandemSession without a server
 *
 * A scripted GoTrue on 127.0.0.1 issues tokens whose expiry is read from
 * the same manual clock the client runs on, so the automatic refresh and
 * its retries can be checked to the millisecond without waiting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-auth-impl-private.h"
#include "tandem-client-private.h"
#include "tandem-enums.h"
#include "tandem-query.h"
#include "http-test-util.h"
#include "fake-gotrue.h"

#define START_US  (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC)
#define LIFETIME  3600

/* ---- the fixture ---- */

typedef struct
{
  ScriptServer *server;
  FakeGoTrue    fake;
  TandemClock  *clock;
  TandemClient *client;
  TandemAuth   *auth;
  GArray       *events;        /* TandemAuthEvent */
  guint         n_notify;
} Fixture;

static void
on_session_changed (TandemAuth      *auth,
                    TandemAuthEvent  event,
                    TandemSession   *session,
                    Fixture         *fixture)
{
  /* The property is already the new session when the signal comes. */
  g_assert_true (tandem_auth_get_session (auth) == session);
  g_array_append_val (fixture->events, event);
}

static void
on_notify_session (Fixture *fixture)
{
  fixture->n_notify++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = script_server_new ();
  fixture->clock = tandem_manual_clock_new (START_US);
  fixture->fake.clock = fixture->clock;
  fixture->fake.expires_in = LIFETIME;
  fixture->fake.refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  script_server_set_handler (fixture->server, fake_gotrue_handler, &fixture->fake);

  fixture->client = tandem_client_new (script_server_get_url (fixture->server), "anon-key", &error);
  g_assert_no_error (error);
  _tandem_client_set_clock (fixture->client, fixture->clock);
  fixture->auth = tandem_client_get_auth (fixture->client);
  fixture->events = g_array_new (FALSE, FALSE, sizeof (TandemAuthEvent));
  g_signal_connect (fixture->auth, "session-changed", G_CALLBACK (on_session_changed), fixture);
  g_signal_connect_swapped (fixture->auth, "notify::session", G_CALLBACK (on_notify_session), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->auth, fixture);
  g_assert_finalize_object (fixture->client);
  /* Every timeout of the auth went with it. */
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);
  g_assert_finalize_object (fixture->clock);
  script_server_free (fixture->server);
  g_hash_table_unref (fixture->fake.refresh_tokens);
  g_array_unref (fixture->events);
}

static TandemAuthEvent
last_event (Fixture *fixture)
{
  g_assert_cmpuint (fixture->events->len, >, 0);
  return g_array_index (fixture->events, TandemAuthEvent, fixture->events->len - 1);
}

static TandemSession *
sign_in (Fixture     *fixture,
         const char  *password,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_auth_sign_in_with_password_async (fixture->auth, "ada@example.com", password, NULL,
                                           http_test_result_cb, &result);
  return tandem_auth_sign_in_with_password_finish (fixture->auth, http_test_await (&result), error);
}

static char *
fresh_token (Fixture  *fixture,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_auth_ensure_fresh_token_async (fixture->auth, NULL, http_test_result_cb, &result);
  return tandem_auth_ensure_fresh_token_finish (fixture->auth, http_test_await (&result), error);
}

/* Runs the next timeout of the clock, which must be due in @expected_ms,
 * and waits until the requests to @path reach @count. */
static void
advance_expecting (Fixture    *fixture,
                   gint64      expected_ms,
                   const char *path,
                   guint       count)
{
  g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==, expected_ms);
  g_assert_cmpint (tandem_manual_clock_advance_to_next (fixture->clock), ==, expected_ms);
  TANDEM_WAIT_UNTIL (script_server_count (fixture->server, path) == count);
}

/* ---- sessions ---- */

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
test_session_parse (void)
{
  g_autoptr(JsonObject) full = parse_object ("{\"access_token\":\"a\",\"token_type\":\"bearer\",\"expires_in\":3600,"
                                             "\"expires_at\":1700003600,\"refresh_token\":\"r\","
                                             "\"user\":{\"id\":\"u-1\",\"email\":\"ada@example.com\"}}");
  g_autoptr(JsonObject) old = parse_object ("{\"access_token\":\"a\",\"expires_in\":60.0,\"refresh_token\":\"r\"}");
  g_autoptr(JsonObject) no_refresh = parse_object ("{\"access_token\":\"a\",\"expires_in\":60}");
  g_autoptr(JsonObject) user_only = parse_object ("{\"id\":\"u-1\",\"email\":\"ada@example.com\"}");
  g_autoptr(JsonObject) bad_user = parse_object ("{\"access_token\":\"a\",\"expires_in\":6,\"refresh_token\":\"r\","
                                                 "\"user\":[]}");
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(TandemSession) computed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  gint64 expires_at = 0;

  session = tandem_session_new_from_json (full, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_session_get_access_token (session), ==, "a");
  g_assert_cmpstr (tandem_session_get_refresh_token (session), ==, "r");
  g_assert_cmpint (tandem_session_get_expires_at (session), ==, 1700003600);
  g_assert_cmpstr (tandem_session_get_user_id (session), ==, "u-1");
  g_assert_cmpstr (tandem_session_get_email (session), ==, "ada@example.com");
  g_object_get (session, "user-id", &user_id, "expires-at", &expires_at, NULL);
  g_assert_cmpstr (user_id, ==, "u-1");
  g_assert_cmpint (expires_at, ==, 1700003600);

  /* Older GoTrue: no expires_at (computed), no user */
  computed = tandem_session_new_from_json (old, 1700000000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tandem_session_get_expires_at (computed), ==, 1700000060);
  g_assert_null (tandem_session_get_user (computed));
  g_assert_null (tandem_session_get_user_id (computed));

  g_assert_null (tandem_session_new_from_json (no_refresh, 0, &error));
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (tandem_session_new_from_json (user_only, 0, &error));
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (tandem_session_new_from_json (bad_user, 0, &error));
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL);

  /* A short-lived token is refreshed at half its life, not in a loop. */
  g_assert_cmpint (_tandem_auth_refresh_margin (session), ==, TANDEM_AUTH_REFRESH_MARGIN_S);
  g_assert_cmpint (_tandem_auth_refresh_margin (computed), ==, 30);
}

static void
test_error_mapping (void)
{
  static const struct
  {
    guint            status;
    const char      *body;
    TandemAuthError  error;
    const char      *code;
    const char      *message;
  } cases[] = {
    /* 2024-01-01 shape */
    { 400, "{\"code\":\"invalid_credentials\",\"message\":\"Invalid login credentials\"}",
      TANDEM_AUTH_ERROR_INVALID_CREDENTIALS, "invalid_credentials", "Invalid login credentials" },
    { 422, "{\"code\":\"user_already_exists\",\"message\":\"User already registered\"}",
      TANDEM_AUTH_ERROR_USER_EXISTS, "user_already_exists", "User already registered" },
    { 422, "{\"code\":\"email_exists\",\"message\":\"Email address already registered\"}",
      TANDEM_AUTH_ERROR_USER_EXISTS, "email_exists", "Email address already registered" },
    { 422, "{\"code\":\"weak_password\",\"message\":\"Password should be at least 6 characters.\","
           "\"weak_password\":{\"reasons\":[\"length\"]}}",
      TANDEM_AUTH_ERROR_WEAK_PASSWORD, "weak_password", "Password should be at least 6 characters." },
    { 400, "{\"code\":\"validation_failed\",\"message\":\"missing email or phone\"}",
      TANDEM_AUTH_ERROR_VALIDATION, "validation_failed", "missing email or phone" },
    { 400, "{\"code\":\"refresh_token_already_used\",\"message\":\"Invalid Refresh Token: Already Used\"}",
      TANDEM_AUTH_ERROR_SESSION_EXPIRED, "refresh_token_already_used", "Invalid Refresh Token: Already Used" },
    { 403, "{\"code\":\"session_not_found\",\"message\":\"Session from session_id claim in JWT does not exist\"}",
      TANDEM_AUTH_ERROR_SESSION_EXPIRED, "session_not_found", "Session from session_id claim in JWT does not exist" },
    { 401, "{\"code\":\"no_authorization\",\"message\":\"This endpoint requires a valid Bearer token\"}",
      TANDEM_AUTH_ERROR_NOT_SIGNED_IN, "no_authorization", "This endpoint requires a valid Bearer token" },
    { 429, "{\"code\":\"over_request_rate_limit\",\"message\":\"Request rate limit reached\"}",
      TANDEM_AUTH_ERROR_RATE_LIMITED, "over_request_rate_limit", "Request rate limit reached" },
    /* legacy shape */
    { 400, "{\"code\":400,\"error_code\":\"invalid_credentials\",\"msg\":\"Invalid login credentials\"}",
      TANDEM_AUTH_ERROR_INVALID_CREDENTIALS, "invalid_credentials", "Invalid login credentials" },
    /* legacy weak password, without a code */
    { 422, "{\"msg\":\"Password should be at least 6 characters\",\"weak_password\":{\"reasons\":[\"length\"]}}",
      TANDEM_AUTH_ERROR_WEAK_PASSWORD, NULL, "Password should be at least 6 characters" },
    /* OAuth shape */
    { 400, "{\"error\":\"invalid_request\",\"error_description\":\"refresh_token required\"}",
      TANDEM_AUTH_ERROR_VALIDATION, "invalid_request", "refresh_token required" },
    /* very old GoTrue */
    { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid login credentials\"}",
      TANDEM_AUTH_ERROR_INVALID_CREDENTIALS, "invalid_grant", "Invalid login credentials" },
    /* 5xx is the server's, whatever the body says */
    { 500, "{\"code\":\"unexpected_failure\",\"message\":\"Database error\"}",
      TANDEM_AUTH_ERROR_SERVER, "unexpected_failure", "Database error" },
    { 502, "<html>bad gateway</html>", TANDEM_AUTH_ERROR_SERVER, NULL, "The server answered 502 Bad Gateway" },
    { 400, "not json", TANDEM_AUTH_ERROR_PROTOCOL, NULL, "The server answered 400 Bad Request" },
    { 403, "{\"code\":\"something_new\",\"message\":\"New\"}", TANDEM_AUTH_ERROR_FAILED, "something_new", "New" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = _tandem_auth_error_from_response (cases[i].status, cases[i].body,
                                                                  strlen (cases[i].body));
      g_autoptr(GError) copy = g_error_copy (error);

      g_assert_error (error, TANDEM_AUTH_ERROR, (gint) cases[i].error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpstr (tandem_auth_error_get_code (error), ==, cases[i].code);
      g_assert_cmpstr (tandem_auth_error_get_code (copy), ==, cases[i].code);
      g_assert_cmpuint (_tandem_auth_error_get_status (copy), ==, cases[i].status);
    }
}

/* ---- sign-in ---- */

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(TandemSession) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  ScriptRequest *request;
  JsonObject *object;

  g_assert_cmpstr (tandem_client_get_access_token (fixture->client), ==, "anon-key");
  session = sign_in (fixture, "secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_session_get_access_token (session), ==, "access-1");
  g_assert_cmpstr (tandem_session_get_email (session), ==, "ada@example.com");
  g_assert_true (tandem_auth_get_session (fixture->auth) == session);
  g_assert_cmpstr (tandem_auth_get_access_token (fixture->auth), ==, "access-1");
  g_assert_cmpstr (tandem_client_get_access_token (fixture->client), ==, "access-1");
  g_assert_cmpuint (fixture->n_notify, ==, 1);
  g_assert_cmpuint (fixture->events->len, ==, 1);
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_SIGNED_IN);

  /* The request auth-js sends */
  request = script_server_last (fixture->server);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/auth/v1/token");
  g_assert_cmpstr (request->query, ==, "grant_type=password");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "apikey"), ==, "anon-key");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer anon-key");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-Supabase-Api-Version"), ==, "2024-01-01");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Content-Type"), ==,
                   "application/json;charset=UTF-8");
  body = script_request_json (request);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "ada@example.com");
  g_assert_cmpstr (json_object_get_string_member (object, "password"), ==, "secret");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "gotrue_meta_security")), ==, 0);

  /* A refused sign-in leaves the session as it was */
  refused = sign_in (fixture, "wrong", &error);
  g_assert_null (refused);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "invalid_credentials");
  g_assert_true (tandem_auth_get_session (fixture->auth) == session);
  g_assert_cmpuint (fixture->events->len, ==, 1);
}

static void
test_sign_up (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(TandemSession) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;

  json_object_set_string_member (metadata, "name", "Ada");
  tandem_auth_sign_up_async (fixture->auth, "ada@example.com", "secret", metadata, NULL, http_test_result_cb, &result);
  session = tandem_auth_sign_up_finish (fixture->auth, http_test_await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_session_get_access_token (session), ==, "access-1");
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_SIGNED_IN);
  body = script_request_json (script_server_last (fixture->server));
  g_assert_cmpstr (script_server_last (fixture->server)->path, ==, "/auth/v1/signup");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (body), "data"),
                                                  "name"), ==, "Ada");

  /* A project that confirms addresses answers with the user alone */
  script_server_push (fixture->server, 200, "{\"id\":\"u-2\",\"email\":\"bob@example.com\"}", NULL, NULL);
  tandem_auth_sign_up_async (fixture->auth, "bob@example.com", "secret", NULL, NULL, http_test_result_cb, &result2);
  none = tandem_auth_sign_up_finish (fixture->auth, http_test_await (&result2), &error);
  g_assert_null (none);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_FAILED);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "email_not_confirmed");
}

/* ---- automatic refresh ---- */

static void
test_auto_refresh (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TandemSession) session = sign_in (fixture, "secret", NULL);
  g_autoptr(JsonNode) body = NULL;
  TandemSession *refreshed;

  g_assert_nonnull (session);
  /* Due the margin before expiry, on the clock. */
  advance_expecting (fixture, (LIFETIME - TANDEM_AUTH_REFRESH_MARGIN_S) * 1000, "/auth/v1/token", 2);
  TANDEM_WAIT_UNTIL (fixture->events->len == 2);
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_TOKEN_REFRESHED);
  body = script_request_json (script_server_last (fixture->server));
  g_assert_cmpstr (script_server_last (fixture->server)->query, ==, "grant_type=refresh_token");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "refresh_token"), ==, "refresh-1");
  refreshed = tandem_auth_get_session (fixture->auth);
  g_assert_cmpstr (tandem_session_get_access_token (refreshed), ==, "access-2");
  g_assert_cmpstr (tandem_session_get_refresh_token (refreshed), ==, "refresh-2");
  g_assert_cmpstr (tandem_client_get_access_token (fixture->client), ==, "access-2");
  g_assert_cmpint (tandem_session_get_expires_at (refreshed), ==,
                   START_US / G_USEC_PER_SEC + (LIFETIME - TANDEM_AUTH_REFRESH_MARGIN_S) + LIFETIME);
  /* The old session object is untouched. */
  g_assert_cmpstr (tandem_session_get_access_token (session), ==, "access-1");

  /* And again for the new token, one lifetime later. */
  advance_expecting (fixture, (LIFETIME - TANDEM_AUTH_REFRESH_MARGIN_S) * 1000, "/auth/v1/token", 3);
  TANDEM_WAIT_UNTIL (fixture->events->len == 3);
  g_assert_cmpstr (tandem_auth_get_access_token (fixture->auth), ==, "access-3");
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 1);
}

static void
test_refresh_retry (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TandemSession) session = sign_in (fixture, "secret", NULL);
  const gint64 backoff[] = { 200, 400, 800, 1600, 3200, 6400 };
  guint refreshes = 1;

  g_assert_nonnull (session);
  fixture->fake.refresh_status = 503;
  advance_expecting (fixture, (LIFETIME - TANDEM_AUTH_REFRESH_MARGIN_S) * 1000, "/auth/v1/token", ++refreshes);
  /* 5xx three times, then the server cannot be reached at all: the same
   * back-off, the session kept all along. */
  for (guint i = 0; i < G_N_ELEMENTS (backoff); i++)
    {
      if (i == 3)
        script_server_set_down (fixture->server, TRUE);
      TANDEM_WAIT_UNTIL (tandem_manual_clock_get_next_delay (fixture->clock) == backoff[i]);
      g_assert_true (tandem_auth_get_session (fixture->auth) == session);
      if (i < 3)
        advance_expecting (fixture, backoff[i], "/auth/v1/token", ++refreshes);
      else
        g_assert_cmpint (tandem_manual_clock_advance_to_next (fixture->clock), ==, backoff[i]);
    }
  g_assert_cmpuint (fixture->events->len, ==, 1);

  /* Back up: the next retry refreshes, and the schedule is normal again. */
  TANDEM_WAIT_UNTIL (tandem_manual_clock_get_next_delay (fixture->clock) == 12800);
  script_server_set_down (fixture->server, FALSE);
  fixture->fake.refresh_status = 0;
  advance_expecting (fixture, 12800, "/auth/v1/token", ++refreshes);
  TANDEM_WAIT_UNTIL (fixture->events->len == 2);
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_TOKEN_REFRESHED);
  g_assert_cmpstr (tandem_auth_get_access_token (fixture->auth), ==, "access-2");
  /* (expiry is in whole seconds, and the retries took 25.4 s) */
  g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==,
                   (tandem_session_get_expires_at (tandem_auth_get_session (fixture->auth)) -
                    TANDEM_AUTH_REFRESH_MARGIN_S) * 1000 - tandem_clock_get_real_time (fixture->clock) / 1000);
  g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==,
                   (LIFETIME - TANDEM_AUTH_REFRESH_MARGIN_S) * 1000 - 400);
}

static void
test_refresh_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TandemSession) session = sign_in (fixture, "secret", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_nonnull (session);
  /* The server forgot the token (revoked elsewhere). */
  g_hash_table_remove_all (fixture->fake.refresh_tokens);
  advance_expecting (fixture, (LIFETIME - TANDEM_AUTH_REFRESH_MARGIN_S) * 1000, "/auth/v1/token", 2);
  TANDEM_WAIT_UNTIL (fixture->events->len == 2);
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_SIGNED_OUT);
  g_assert_null (tandem_auth_get_session (fixture->auth));
  g_assert_cmpuint (fixture->n_notify, ==, 2);
  g_assert_cmpstr (tandem_client_get_access_token (fixture->client), ==, "anon-key");
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);

  /* Signed out: no token, no error */
  token = fresh_token (fixture, &error);
  g_assert_no_error (error);
  g_assert_null (token);
}

/* ---- ensure_fresh_token ---- */

static void
test_ensure_fresh (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL;

  /* A fresh token is given as it is. */
  session = sign_in (fixture, "secret", NULL);
  t4 = fresh_token (fixture, &e1);
  g_assert_no_error (e1);
  g_assert_cmpstr (t4, ==, "access-1");
  g_assert_cmpuint (script_server_count (fixture->server, "/auth/v1/token"), ==, 1);
  g_clear_object (&session);
  g_clear_pointer (&t4, g_free);

  /* A token that expires within the margin: three callers at once, one of
   * them cancelled, one refresh. */
  fixture->fake.expires_at_in = 30;
  session = sign_in (fixture, "secret", NULL);
  g_assert_cmpstr (tandem_session_get_access_token (session), ==, "access-2");
  tandem_auth_ensure_fresh_token_async (fixture->auth, NULL, http_test_result_cb, &r1);
  tandem_auth_ensure_fresh_token_async (fixture->auth, cancellable, http_test_result_cb, &r3);
  tandem_auth_ensure_fresh_token_async (fixture->auth, NULL, http_test_result_cb, &r2);
  g_cancellable_cancel (cancellable);
  t1 = tandem_auth_ensure_fresh_token_finish (fixture->auth, http_test_await (&r1), &e1);
  t2 = tandem_auth_ensure_fresh_token_finish (fixture->auth, http_test_await (&r2), &e2);
  t3 = tandem_auth_ensure_fresh_token_finish (fixture->auth, http_test_await (&r3), &e3);
  g_assert_no_error (e1);
  g_assert_no_error (e2);
  g_assert_error (e3, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (t3);
  g_assert_cmpstr (t1, ==, "access-3");
  g_assert_cmpstr (t2, ==, "access-3");
  g_assert_cmpuint (script_server_count (fixture->server, "/auth/v1/token"), ==, 3);
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_TOKEN_REFRESHED);
}

static void
test_ensure_fresh_offline (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *still = NULL;
  g_autofree char *none = NULL;

  fixture->fake.expires_at_in = 30;
  session = sign_in (fixture, "secret", NULL);
  script_server_set_down (fixture->server, TRUE);

  /* Within the margin but not expired: the old token still does. */
  still = fresh_token (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (still, ==, "access-1");

  /* Expired (move the clock past it; the retries fail meanwhile). */
  tandem_manual_clock_advance (fixture->clock, 31 * 1000);
  http_test_settle ();
  none = fresh_token (fixture, &error);
  g_assert_null (none);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NETWORK);
  g_assert_true (tandem_auth_get_session (fixture->auth) == session);
  script_server_set_down (fixture->server, FALSE);
}

/* A REST request with an expiring token refreshes it first. */
static void
test_query_refreshes_first (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = NULL;
  GPtrArray *requests = script_server_get_requests (fixture->server);
  ScriptRequest *refresh, *rest;

  fixture->fake.expires_at_in = 30;
  session = sign_in (fixture, "secret", NULL);
  query = tandem_client_from (fixture->client, "todos");
  tandem_query_execute_async (query, NULL, http_test_result_cb, &result);
  rows = tandem_query_execute_finish (query, http_test_await (&result), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (rows));

  g_assert_cmpuint (requests->len, ==, 3);
  refresh = requests->pdata[1];
  rest = requests->pdata[2];
  g_assert_cmpstr (refresh->path, ==, "/auth/v1/token");
  g_assert_cmpstr (rest->path, ==, "/rest/v1/todos");
  g_assert_cmpstr (soup_message_headers_get_one (rest->headers, "Authorization"), ==, "Bearer access-2");
  g_assert_cmpstr (soup_message_headers_get_one (rest->headers, "apikey"), ==, "anon-key");
}

/* ---- user and sign-out ---- */

static void
test_update_user (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TandemSession) session = sign_in (fixture, "secret", NULL);
  g_autoptr(JsonObject) attributes = json_object_new ();
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) user = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  TandemSession *updated;
  ScriptRequest *request;

  json_object_set_string_member (metadata, "colour", "teal");
  json_object_set_object_member (attributes, "data", json_object_ref (metadata));
  tandem_auth_update_user_async (fixture->auth, attributes, NULL, http_test_result_cb, &result);
  user = tandem_auth_update_user_finish (fixture->auth, http_test_await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user, "user_metadata"), "colour"),
                   ==, "teal");
  request = script_server_last (fixture->server);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, "/auth/v1/user");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer access-1");

  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_USER_UPDATED);
  updated = tandem_auth_get_session (fixture->auth);
  g_assert_false (updated == session);
  g_assert_cmpstr (tandem_session_get_access_token (updated), ==, "access-1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (tandem_session_get_user (updated),
                                                                                 "user_metadata"), "colour"),
                   ==, "teal");

  tandem_auth_get_user_async (fixture->auth, NULL, http_test_result_cb, &result2);
  fetched = tandem_auth_get_user_finish (fixture->auth, http_test_await (&result2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (fetched, "email"), ==, "ada@example.com");
  g_assert_cmpstr (script_server_last (fixture->server)->method, ==, "GET");
}

static gboolean
sign_out (Fixture             *fixture,
          TandemSignOutScope   scope,
          GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_auth_sign_out_async (fixture->auth, scope, NULL, http_test_result_cb, &result);
  return tandem_auth_sign_out_finish (fixture->auth, http_test_await (&result), error);
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(TandemSession) s1 = NULL, s2 = NULL, s3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) user = NULL;
  ScriptRequest *request;

  /* local */
  s1 = sign_in (fixture, "secret", NULL);
  g_assert_true (sign_out (fixture, TANDEM_SIGN_OUT_LOCAL, &error));
  g_assert_no_error (error);
  request = script_server_last (fixture->server);
  g_assert_cmpstr (request->path, ==, "/auth/v1/logout");
  g_assert_cmpstr (request->query, ==, "scope=local");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer access-1");
  g_assert_null (tandem_auth_get_session (fixture->auth));
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_SIGNED_OUT);
  g_assert_cmpstr (tandem_client_get_access_token (fixture->client), ==, "anon-key");
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);

  /* others: this session stays */
  s2 = sign_in (fixture, "secret", NULL);
  g_assert_true (sign_out (fixture, TANDEM_SIGN_OUT_OTHERS, &error));
  g_assert_cmpstr (script_server_last (fixture->server)->query, ==, "scope=others");
  g_assert_true (tandem_auth_get_session (fixture->auth) == s2);

  /* global, with the server gone: ends here anyway, and says so */
  script_server_set_down (fixture->server, TRUE);
  g_assert_false (sign_out (fixture, TANDEM_SIGN_OUT_GLOBAL, &error));
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_null (tandem_auth_get_session (fixture->auth));
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_SIGNED_OUT);
  script_server_set_down (fixture->server, FALSE);

  /* Signed out: user calls say so; sign-out again is fine */
  tandem_auth_get_user_async (fixture->auth, NULL, http_test_result_cb, &result);
  user = tandem_auth_get_user_finish (fixture->auth, http_test_await (&result), &error);
  g_assert_null (user);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NOT_SIGNED_IN);
  g_clear_error (&error);
  g_assert_true (sign_out (fixture, TANDEM_SIGN_OUT_LOCAL, &error));
  g_assert_no_error (error);

  /* A session the server no longer knows (403) is signed out cleanly */
  s3 = sign_in (fixture, "secret", NULL);
  script_server_push (fixture->server, 403, "{\"code\":\"session_not_found\",\"message\":\"gone\"}", NULL, NULL);
  g_assert_true (sign_out (fixture, TANDEM_SIGN_OUT_LOCAL, &error));
  g_assert_no_error (error);
  g_assert_null (tandem_auth_get_session (fixture->auth));
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(TandemSession) restored = NULL;
  g_autoptr(TandemSession) refused = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_add (fixture->fake.refresh_tokens, g_strdup ("kept-in-keyring"));
  tandem_auth_restore_session_async (fixture->auth, "kept-in-keyring", NULL, http_test_result_cb, &r1);
  restored = tandem_auth_restore_session_finish (fixture->auth, http_test_await (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_session_get_access_token (restored), ==, "access-1");
  g_assert_cmpint (last_event (fixture), ==, TANDEM_AUTH_SIGNED_IN);
  g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==,
                   (LIFETIME - TANDEM_AUTH_REFRESH_MARGIN_S) * 1000);

  /* The same token again: spent */
  tandem_auth_restore_session_async (fixture->auth, "kept-in-keyring", NULL, http_test_result_cb, &r2);
  refused = tandem_auth_restore_session_finish (fixture->auth, http_test_await (&r2), &error);
  g_assert_null (refused);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SESSION_EXPIRED);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "refresh_token_not_found");
  /* The session that was there stays */
  g_assert_true (tandem_auth_get_session (fixture->auth) == restored);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/auth/session-parse", test_session_parse);
  g_test_add_func ("/http/auth/error-mapping", test_error_mapping);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/http/auth/sign-in", test_sign_in);
  ADD ("/http/auth/sign-up", test_sign_up);
  ADD ("/http/auth/auto-refresh", test_auto_refresh);
  ADD ("/http/auth/refresh-retry", test_refresh_retry);
  ADD ("/http/auth/refresh-refused", test_refresh_refused);
  ADD ("/http/auth/ensure-fresh", test_ensure_fresh);
  ADD ("/http/auth/ensure-fresh-offline", test_ensure_fresh_offline);
  ADD ("/http/auth/query-refreshes-first", test_query_refreshes_first);
  ADD ("/http/auth/update-user", test_update_user);
  ADD ("/http/auth/sign-out", test_sign_out);
  ADD ("/http/auth/restore", test_restore);
#undef ADD

  return g_test_run ();
}
