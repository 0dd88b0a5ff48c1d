/* auth-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth-test-util.h"
#include "tandem-pg-conn.h"

AuthTest *
auth_test_new (const char * const *extra_args)
{
  AuthTest *test = g_new0 (AuthTest, 1);

  test->pg = tandem_test_pg_new ();
  test->server = tandem_test_server_new (test->pg, extra_args);
  test->session = soup_session_new_with_options ("timeout", 60, NULL);
  return test;
}

void
auth_test_free (AuthTest *test)
{
  g_clear_object (&test->session);
  tandem_test_server_free (test->server);
  tandem_test_pg_free (test->pg);
  g_free (test);
}

void
auth_response_free (AuthResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, json_node_unref);
  g_free (response);
}

AuthResponse *
auth_test_request (AuthTest         *test,
                   const char       *method,
                   const char       *path,
                   const char       *bearer,
                   const char       *body,
                   AuthRequestFlags  flags)
{
  g_autofree char *url = g_strconcat (tandem_test_server_get_url (test->server), "/auth/v1", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  AuthResponse *response;
  const char *key;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  key = flags & AUTH_REQUEST_SERVICE_KEY ? tandem_test_server_get_service_key (test->server)
                                         : tandem_test_server_get_anon_key (test->server);
  if (!(flags & AUTH_REQUEST_NO_API_KEY))
    soup_message_headers_append (headers, "apikey", key);
  if (!(flags & AUTH_REQUEST_LEGACY))
    soup_message_headers_append (headers, "X-Supabase-Api-Version", "2024-01-01");
  if (bearer != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_append (headers, "Authorization", authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json;charset=UTF-8", request_body);
    }

  bytes = soup_session_send_and_read (test->session, msg, NULL, &error);
  g_assert_no_error (error);

  response = g_new0 (AuthResponse, 1);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (bytes) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      response->body = json_from_string (text, &error);
      if (response->body == NULL)
        g_error ("%s %s answered %u with something that is not JSON: %s", method, path, response->status, text);
    }
  return response;
}

static void
assert_session (AuthResponse *response,
                const char   *what)
{
  if (response->status != SOUP_STATUS_OK)
    {
      g_autofree char *text = response->body ? json_to_string (response->body, FALSE) : g_strdup ("");

      g_error ("%s answered %u: %s", what, response->status, text);
    }
  g_assert_nonnull (auth_response_get_string (response, "access_token"));
  g_assert_nonnull (auth_response_get_string (response, "refresh_token"));
}

AuthResponse *
auth_test_sign_up (AuthTest   *test,
                   const char *email,
                   const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  AuthResponse *response;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  response = auth_test_request (test, "POST", "/signup", NULL, body, AUTH_REQUEST_DEFAULT);
  assert_session (response, "sign-up");
  return response;
}

AuthResponse *
auth_test_sign_in (AuthTest   *test,
                   const char *email,
                   const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  AuthResponse *response;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "gotrue_meta_security");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  response = auth_test_request (test, "POST", "/token?grant_type=password", NULL, body, AUTH_REQUEST_DEFAULT);
  assert_session (response, "sign-in");
  return response;
}

AuthResponse *
auth_test_refresh (AuthTest   *test,
                   const char *refresh_token)
{
  g_autofree char *body = g_strdup_printf ("{\"refresh_token\": \"%s\"}", refresh_token);

  return auth_test_request (test, "POST", "/token?grant_type=refresh_token", NULL, body, AUTH_REQUEST_DEFAULT);
}

char *
auth_test_email (const char *prefix)
{
  static guint counter;

  return g_strdup_printf ("%s-%u@example.com", prefix, ++counter);
}

JsonNode *
auth_response_get (AuthResponse *response,
                   const char   *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = response->body;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          guint index = (guint) atoi (parts[i]);
          JsonArray *array = json_node_get_array (node);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else
        node = NULL;
    }
  return node;
}

const char *
auth_response_get_string (AuthResponse *response,
                          const char   *path)
{
  JsonNode *node = auth_response_get (response, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
auth_response_get_int (AuthResponse *response,
                       const char   *path)
{
  JsonNode *node = auth_response_get (response, path);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

static void
dump_if (gboolean      failed,
         AuthResponse *response)
{
  if (failed)
    {
      g_autofree char *text = response->body ? json_to_string (response->body, FALSE) : g_strdup ("(empty)");

      g_printerr ("unexpected answer %u: %s\n", response->status, text);
    }
}

void
auth_assert_error (AuthResponse *response,
                   guint         status,
                   const char   *code,
                   const char   *message)
{
  JsonObject *body;

  dump_if (response->status != status || response->body == NULL, response);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_nonnull (response->body);
  body = json_node_get_object (response->body);
  dump_if (g_strcmp0 (json_object_get_string_member_with_default (body, "code", NULL), code) != 0, response);
  g_assert_cmpstr (json_object_get_string_member_with_default (body, "code", NULL), ==, code);
  g_assert_cmpstr (json_object_get_string_member_with_default (body, "message", NULL), ==, message);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Supabase-Api-Version"), ==, "2024-01-01");
}

void
auth_assert_legacy_error (AuthResponse *response,
                          guint         status,
                          const char   *code,
                          const char   *message)
{
  JsonObject *body;

  dump_if (response->status != status || response->body == NULL, response);
  g_assert_cmpuint (response->status, ==, status);
  body = json_node_get_object (response->body);
  g_assert_cmpint (json_object_get_int_member_with_default (body, "code", 0), ==, status);
  g_assert_cmpstr (json_object_get_string_member_with_default (body, "error_code", NULL), ==, code);
  g_assert_cmpstr (json_object_get_string_member_with_default (body, "msg", NULL), ==, message);
  g_assert_null (soup_message_headers_get_one (response->headers, "X-Supabase-Api-Version"));
}

char *
auth_test_sql_value (AuthTest   *test,
                     const char *sql)
{
  g_autoptr(PGresult) result = tandem_test_pg_query (test->pg, sql);

  if (PQntuples (result) == 0 || PQgetisnull (result, 0, 0))
    return NULL;
  return g_strdup (PQgetvalue (result, 0, 0));
}

void
auth_test_sql (AuthTest   *test,
               const char *sql)
{
  tandem_test_pg_exec (test->pg, sql);
}
