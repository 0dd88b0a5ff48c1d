/* test-http-auth.c: TandemAuth against tandem-server
 *
 * Sign-up, sign-in and GoTrue's errors, refresh rotation, restoring from a
 * refresh token, the user's metadata, sign-out revoking the refresh token,
 * and the automatic refresh keeping requests going past the first token's
 * expiry (a second server with 6 s tokens).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-auth-impl-private.h"
#include "tandem-client-private.h"
#include "tandem-query.h"
#include "tandem-rest-error.h"
#include "tandem-test-server.h"
#include "http-test-util.h"

static TandemTestPg *pg;
static TandemTestServer *server;

static const char setup_sql[] =
  "CREATE TABLE public.profiles (id uuid PRIMARY KEY DEFAULT auth.uid (), nick text);"
  "ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY own ON public.profiles FOR ALL TO authenticated"
  "  USING (id = auth.uid ()) WITH CHECK (id = auth.uid ());";

static TandemClient *
client_for (TandemTestServer *on)
{
  g_autoptr(GError) error = NULL;
  TandemClient *client = tandem_client_new (tandem_test_server_get_url (on), tandem_test_server_get_anon_key (on),
                                            &error);

  g_assert_no_error (error);
  return client;
}

static char *
new_email (void)
{
  static guint n;
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("user%u-%.8s@example.com", ++n, uuid);
}

static TandemSession *
sign_up (TandemAuth  *auth,
         const char  *email,
         const char  *password,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_auth_sign_up_async (auth, email, password, NULL, NULL, http_test_result_cb, &result);
  return tandem_auth_sign_up_finish (auth, http_test_await (&result), error);
}

static TandemSession *
sign_in (TandemAuth  *auth,
         const char  *email,
         const char  *password,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_auth_sign_in_with_password_async (auth, email, password, NULL, http_test_result_cb, &result);
  return tandem_auth_sign_in_with_password_finish (auth, http_test_await (&result), error);
}

static TandemSession *
restore (TandemAuth  *auth,
         const char  *refresh_token,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_auth_restore_session_async (auth, refresh_token, NULL, http_test_result_cb, &result);
  return tandem_auth_restore_session_finish (auth, http_test_await (&result), error);
}

static JsonObject *
get_user (TandemAuth  *auth,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_auth_get_user_async (auth, NULL, http_test_result_cb, &result);
  return tandem_auth_get_user_finish (auth, http_test_await (&result), error);
}

static void
test_sign_up (void)
{
  g_autoptr(TandemClient) client = client_for (server);
  TandemAuth *auth = tandem_client_get_auth (client);
  g_autofree char *email = new_email ();
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(TandemSession) again = NULL;
  g_autoptr(TandemSession) weak = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_up (auth, email, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_session_get_email (session), ==, email);
  g_assert_true (g_uuid_string_is_valid (tandem_session_get_user_id (session)));
  g_assert_cmpint (tandem_session_get_expires_at (session), >, g_get_real_time () / G_USEC_PER_SEC + 3000);
  g_assert_true (tandem_auth_get_session (auth) == session);
  g_assert_cmpstr (tandem_client_get_access_token (client), ==, tandem_session_get_access_token (session));

  again = sign_up (auth, email, "correct horse", &error);
  g_assert_null (again);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_USER_EXISTS);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "user_already_exists");
  g_clear_error (&error);

  g_free (email);
  email = new_email ();
  weak = sign_up (auth, email, "abc", &error);
  g_assert_null (weak);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_WEAK_PASSWORD);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "weak_password");
  g_assert_cmpstr (error->message, ==, "Password should be at least 6 characters.");
  /* The session that was there stays */
  g_assert_true (tandem_auth_get_session (auth) == session);
}

static void
test_sign_in (void)
{
  g_autoptr(TandemClient) client = client_for (server);
  TandemAuth *auth = tandem_client_get_auth (client);
  g_autofree char *email = new_email ();
  g_autoptr(TandemSession) created = NULL, session = NULL, wrong = NULL, unknown = NULL, invalid = NULL;
  g_autoptr(GError) error = NULL;

  created = sign_up (auth, email, "s3cret-pass", &error);
  g_assert_no_error (error);

  session = sign_in (auth, email, "s3cret-pass", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_session_get_user_id (session), ==, tandem_session_get_user_id (created));
  g_assert_cmpstr (tandem_session_get_access_token (session), !=, tandem_session_get_access_token (created));

  wrong = sign_in (auth, email, "not the password", &error);
  g_assert_null (wrong);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "invalid_credentials");
  g_assert_cmpstr (error->message, ==, "Invalid login credentials");
  g_clear_error (&error);

  unknown = sign_in (auth, "nobody-at-all@example.com", "whatever1", &error);
  g_assert_null (unknown);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "invalid_credentials");
  g_clear_error (&error);

  invalid = sign_in (auth, "", "whatever1", &error);
  g_assert_null (invalid);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "validation_failed");
  g_assert_true (tandem_auth_get_session (auth) == session);
}

static void
test_refresh_and_restore (void)
{
  g_autoptr(TandemClient) client = client_for (server);
  g_autoptr(TandemClient) other = client_for (server);
  TandemAuth *auth = tandem_client_get_auth (client);
  g_autofree char *email = new_email ();
  g_autoptr(TandemSession) first = NULL, refreshed = NULL, restored = NULL, replay = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) user = NULL;

  first = sign_up (auth, email, "s3cret-pass", &error);
  g_assert_no_error (error);

  tandem_auth_refresh_session_async (auth, NULL, http_test_result_cb, &result);
  refreshed = tandem_auth_refresh_session_finish (auth, http_test_await (&result), &error);
  g_assert_no_error (error);
  /* Rotated: a new refresh token, a new access token of the same user */
  g_assert_cmpstr (tandem_session_get_refresh_token (refreshed), !=, tandem_session_get_refresh_token (first));
  g_assert_cmpstr (tandem_session_get_user_id (refreshed), ==, tandem_session_get_user_id (first));
  g_assert_true (tandem_auth_get_session (auth) == refreshed);

  /* The stored (current) refresh token starts a session elsewhere */
  restored = restore (tandem_client_get_auth (other), tandem_session_get_refresh_token (refreshed), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_session_get_user_id (restored), ==, tandem_session_get_user_id (first));
  g_assert_cmpstr (tandem_session_get_refresh_token (restored), !=, tandem_session_get_refresh_token (refreshed));
  user = get_user (tandem_client_get_auth (other), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, email);

  /* (Replaying the first token within GoTrue's reuse interval, 10 s, would
   * be let through, as GoTrue does for two tabs refreshing at once.) */

  /* A token that never was */
  replay = restore (tandem_client_get_auth (other), "no-such-token", &error);
  g_assert_null (replay);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SESSION_EXPIRED);
  g_assert_cmpstr (tandem_auth_error_get_code (error), ==, "refresh_token_not_found");
}

static void
test_user_metadata (void)
{
  g_autoptr(TandemClient) client = client_for (server);
  TandemAuth *auth = tandem_client_get_auth (client);
  g_autofree char *email = new_email ();
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(JsonObject) attributes = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  JsonObject *metadata;

  session = sign_up (auth, email, "s3cret-pass", &error);
  g_assert_no_error (error);

  json_object_set_string_member (data, "theme", "dark");
  json_object_set_int_member (data, "volume", 7);
  json_object_set_object_member (attributes, "data", json_object_ref (data));
  tandem_auth_update_user_async (auth, attributes, NULL, http_test_result_cb, &result);
  updated = tandem_auth_update_user_finish (auth, http_test_await (&result), &error);
  g_assert_no_error (error);
  metadata = json_object_get_object_member (updated, "user_metadata");
  g_assert_cmpstr (json_object_get_string_member (metadata, "theme"), ==, "dark");
  g_assert_cmpint (json_object_get_int_member (metadata, "volume"), ==, 7);

  /* The session carries the new user; the server has it too */
  metadata = json_object_get_object_member (tandem_session_get_user (tandem_auth_get_session (auth)), "user_metadata");
  g_assert_cmpstr (json_object_get_string_member (metadata, "theme"), ==, "dark");
  fetched = get_user (auth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (fetched, "id"), ==, tandem_session_get_user_id (session));
  metadata = json_object_get_object_member (fetched, "user_metadata");
  g_assert_cmpstr (json_object_get_string_member (metadata, "theme"), ==, "dark");
}

static void
test_sign_out (void)
{
  g_autoptr(TandemClient) client = client_for (server);
  g_autoptr(TandemClient) other = client_for (server);
  TandemAuth *auth = tandem_client_get_auth (client);
  g_autofree char *email = new_email ();
  g_autofree char *refresh_token = NULL;
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(TandemSession) revived = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_up (auth, email, "s3cret-pass", &error);
  g_assert_no_error (error);
  refresh_token = g_strdup (tandem_session_get_refresh_token (session));

  tandem_auth_sign_out_async (auth, TANDEM_SIGN_OUT_GLOBAL, NULL, http_test_result_cb, &result);
  g_assert_true (tandem_auth_sign_out_finish (auth, http_test_await (&result), &error));
  g_assert_no_error (error);
  g_assert_null (tandem_auth_get_session (auth));
  g_assert_cmpstr (tandem_client_get_access_token (client), ==, tandem_test_server_get_anon_key (server));

  /* The server revoked it: the old refresh token starts nothing */
  revived = restore (tandem_client_get_auth (other), refresh_token, &error);
  g_assert_null (revived);
  g_assert_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SESSION_EXPIRED);
  g_assert_nonnull (tandem_auth_error_get_code (error));
  g_assert_null (tandem_auth_get_session (tandem_client_get_auth (other)));
}

/* ---- tokens that expire: a server of its own with 6 s tokens ---- */

static char *
raw_get_user (TandemTestServer *on,
              const char       *token,
              guint            *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (tandem_test_server_get_url (on), "/auth/v1/user", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "apikey", tandem_test_server_get_anon_key (on));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
count_refreshes (TandemAuth      *auth,
                 TandemAuthEvent  event,
                 TandemSession   *session,
                 guint           *refreshes)
{
  if (event == TANDEM_AUTH_TOKEN_REFRESHED)
    (*refreshes)++;
}

static void
test_auto_refresh (void)
{
  const char * const args[] = { "--jwt-expiry", "6", "--auth-rate-limit", "1000", NULL };
  g_autoptr(TandemTestPg) short_pg = tandem_test_pg_new ();
  g_autoptr(TandemTestServer) short_server = tandem_test_server_new (short_pg, args);
  g_autoptr(TandemClient) client = NULL;
  g_autofree char *email = new_email ();
  g_autofree char *first_token = NULL;
  g_autofree char *body = NULL;
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(TandemQuery) insert = NULL;
  g_autoptr(TandemQuery) select = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) inserted = NULL, rows = NULL;
  g_autoptr(JsonObject) user = NULL;
  g_autoptr(JsonNode) row = json_from_string ("{\"nick\":\"ada\"}", NULL);
  TandemAuth *auth;
  gint64 first_expiry;
  guint refreshes = 0;
  guint status;

  tandem_test_pg_exec (short_pg, setup_sql);
  client = client_for (short_server);
  auth = tandem_client_get_auth (client);
  g_signal_connect (auth, "session-changed", G_CALLBACK (count_refreshes), &refreshes);

  session = sign_up (auth, email, "s3cret-pass", &error);
  g_assert_no_error (error);
  first_token = g_strdup (tandem_session_get_access_token (session));
  first_expiry = tandem_session_get_expires_at (session);
  g_assert_cmpint (first_expiry - g_get_real_time () / G_USEC_PER_SEC, <=, 6);

  /* Wait (the real clock) until the first token is a second past its
   * expiry; refreshes at half its life keep the session's token good. */
  TANDEM_WAIT_UNTIL_TIMEOUT (g_get_real_time () / G_USEC_PER_SEC > first_expiry + 1, 30000);
  TANDEM_WAIT_UNTIL (tandem_session_get_expires_at (tandem_auth_get_session (auth)) >
                     g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpuint (refreshes, >=, 1);
  g_assert_cmpstr (tandem_auth_get_access_token (auth), !=, first_token);

  /* The server says the first is expired ... */
  body = raw_get_user (short_server, first_token, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_nonnull (strstr (body, "expired"));

  /* ... while requests through the client keep working, REST and Auth */
  insert = tandem_client_from (client, "profiles");
  tandem_query_returning (tandem_query_insert (insert, row), TRUE);
  tandem_query_execute_async (insert, NULL, http_test_result_cb, &r1);
  inserted = tandem_query_execute_finish (insert, http_test_await (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (inserted), 0),
                                                  "id"), ==, tandem_session_get_user_id (session));
  select = tandem_client_from (client, "profiles");
  tandem_query_select (select, "nick");
  tandem_query_execute_async (select, NULL, http_test_result_cb, &r2);
  rows = tandem_query_execute_finish (select, http_test_await (&r2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (rows)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (rows), 0),
                                                  "nick"), ==, "ada");
  user = get_user (auth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, email);

  g_signal_handlers_disconnect_by_data (auth, &refreshes);
  g_clear_object (&client);
  tandem_test_server_stop (short_server);
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--auth-rate-limit", "1000", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, args);
  tandem_test_pg_exec (pg, setup_sql);

  g_test_add_func ("/http/auth-server/sign-up", test_sign_up);
  g_test_add_func ("/http/auth-server/sign-in", test_sign_in);
  g_test_add_func ("/http/auth-server/refresh-and-restore", test_refresh_and_restore);
  g_test_add_func ("/http/auth-server/user-metadata", test_user_metadata);
  g_test_add_func ("/http/auth-server/sign-out", test_sign_out);
  g_test_add_func ("/http/auth-server/auto-refresh", test_auto_refresh);

  status = g_test_run ();

  tandem_test_server_stop (server);
  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
