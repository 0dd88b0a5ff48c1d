/* rest-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rest-test-util.h"

RestEnv rest_env;

static char *
user_token (const char *sub)
{
  g_autoptr(JsonObject) claims = json_object_new ();

  json_object_set_string_member (claims, "sub", sub);
  json_object_set_string_member (claims, "aud", "authenticated");
  json_object_set_string_member (claims, "email", "someone@example.com");
  return tandem_test_server_make_token (rest_env.server, "authenticated", 3600, claims);
}

void
rest_env_start (const char *setup_sql)
{
  rest_env.pg = tandem_test_pg_new ();
  /* The server applies its migrations (roles, auth helpers) first. */
  rest_env.server = tandem_test_server_new (rest_env.pg, NULL);
  if (setup_sql != NULL)
    tandem_test_pg_exec (rest_env.pg, setup_sql);
  rest_env.session = soup_session_new_with_options ("timeout", 30, NULL);
  rest_env.anon = g_strdup (tandem_test_server_get_anon_key (rest_env.server));
  rest_env.service = g_strdup (tandem_test_server_get_service_key (rest_env.server));
  rest_env.user_a = user_token (USER_A);
  rest_env.user_b = user_token (USER_B);
}

void
rest_env_stop (void)
{
  g_clear_object (&rest_env.session);
  tandem_test_server_stop (rest_env.server);
  g_clear_pointer (&rest_env.server, tandem_test_server_free);
  g_clear_pointer (&rest_env.pg, tandem_test_pg_free);
  g_clear_pointer (&rest_env.anon, g_free);
  g_clear_pointer (&rest_env.service, g_free);
  g_clear_pointer (&rest_env.user_a, g_free);
  g_clear_pointer (&rest_env.user_b, g_free);
}

void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

Reply *
rest_call (const char *method,
           const char *path,
           const char *token,
           const char *body,
           ...)
{
  g_autofree char *url = g_strconcat (tandem_test_server_get_url (rest_env.server), "/rest/v1", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  SoupMessageHeaders *headers;
  Reply *reply;
  va_list args;
  const char *name;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NO_TOKEN)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token ? token : rest_env.anon, NULL);

      soup_message_headers_replace (headers, "apikey", rest_env.anon);
      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        soup_message_headers_remove (headers, name);
      else
        soup_message_headers_replace (headers, name, value);
    }
  va_end (args);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      /* copied: setting the body replaces the header the string lives in */
      g_autofree char *type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));

      soup_message_set_request_body_from_bytes (msg, type ? type : "application/json", bytes);
    }

  response = soup_session_send_and_read (rest_env.session, msg, NULL, &error);
  g_assert_no_error (error);
  reply = g_new0 (Reply, 1);
  reply->status = soup_message_get_status (msg);
  reply->body = g_bytes_get_size (response) > 0 ? g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response))
                                                 : g_strdup ("");
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

void
rest_sql (const char *sql)
{
  tandem_test_pg_exec (rest_env.pg, sql);
}

char *
rest_sql_value (const char *sql)
{
  PGresult *result = tandem_test_pg_query (rest_env.pg, sql);
  char *value;

  g_assert_cmpint (PQntuples (result), >=, 1);
  value = PQgetisnull (result, 0, 0) ? NULL : g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static JsonNode *
parse_json (const char *text,
            const char *what,
            const char *file,
            int         line)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  if (node == NULL)
    g_error ("%s:%d: %s is not JSON (%s): «%s»", file, line, what, error ? error->message : "empty", text);
  return node;
}

void
rest_assert_reply (Reply      *reply,
                   guint       status,
                   const char *json,
                   const char *file,
                   int         line)
{
  g_autoptr(JsonNode) actual = NULL;
  g_autoptr(JsonNode) expected = NULL;

  if (reply->status != status)
    g_error ("%s:%d: expected status %u, got %u: %s", file, line, status, reply->status, reply->body);
  if (json == NULL)
    {
      if (reply->body[0] != '\0')
        g_error ("%s:%d: expected an empty body, got «%s»", file, line, reply->body);
      return;
    }
  actual = parse_json (reply->body, "the body", file, line);
  expected = parse_json (json, "the expectation", file, line);
  if (!json_node_equal (actual, expected))
    g_error ("%s:%d: expected %s\n                got %s", file, line, json, reply->body);
}

JsonObject *
rest_assert_error (Reply      *reply,
                   guint       status,
                   const char *code,
                   const char *message,
                   const char *file,
                   int         line)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (reply->status != status)
    g_error ("%s:%d: expected status %u, got %u: %s", file, line, status, reply->status, reply->body);
  node = parse_json (reply->body, "the error", file, line);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    g_error ("%s:%d: the error is not an object: %s", file, line, reply->body);
  object = json_node_get_object (node);
  /* PostgREST's shape: exactly these four members. */
  if (json_object_get_size (object) != 4 || !json_object_has_member (object, "code") ||
      !json_object_has_member (object, "details") || !json_object_has_member (object, "hint") ||
      !json_object_has_member (object, "message"))
    g_error ("%s:%d: not PostgREST's error shape: %s", file, line, reply->body);
  if (g_strcmp0 (json_object_get_string_member (object, "code"), code) != 0)
    g_error ("%s:%d: expected code %s: %s", file, line, code, reply->body);
  if (message != NULL && g_strcmp0 (json_object_get_string_member (object, "message"), message) != 0)
    g_error ("%s:%d: expected message «%s»: %s", file, line, message, reply->body);
  if (!g_str_has_prefix (soup_message_headers_get_content_type (reply->headers, NULL), "application/json"))
    g_error ("%s:%d: the error is not application/json", file, line);
  return json_object_ref (object);
}

char *
reply_ids (Reply *reply)
{
  g_autoptr(JsonNode) node = parse_json (reply->body, "the body", __FILE__, __LINE__);
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    g_error ("not an array (status %u): %s", reply->status, reply->body);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", json_object_get_int_member (row, "id"));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}
