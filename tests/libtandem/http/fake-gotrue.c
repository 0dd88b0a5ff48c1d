/* fake-gotrue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fake-gotrue.h"

static gint64
fake_now (FakeGoTrue *fake)
{
  return tandem_clock_get_real_time (fake->clock) / G_USEC_PER_SEC;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (object, "code", code);
  json_object_set_string_member (object, "message", message);
  node = json_node_init_object (json_node_alloc (), object);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Supabase-Api-Version",
                                "2024-01-01");
  respond_json (msg, status, node);
}

static JsonObject *
fake_user (JsonObject *metadata)
{
  JsonObject *user = json_object_new ();

  json_object_set_string_member (user, "id", "11111111-1111-4111-8111-111111111111");
  json_object_set_string_member (user, "email", "ada@example.com");
  json_object_set_string_member (user, "aud", "authenticated");
  json_object_set_object_member (user, "user_metadata", metadata ? json_object_ref (metadata) : json_object_new ());
  return user;
}

static void
respond_session (FakeGoTrue        *fake,
                 SoupServerMessage *msg)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  guint n = ++fake->issued;
  g_autofree char *access = g_strdup_printf ("access-%u", n);
  g_autofree char *refresh = g_strdup_printf ("refresh-%u", n);

  g_hash_table_add (fake->refresh_tokens, g_strdup (refresh));
  json_object_set_string_member (object, "access_token", access);
  json_object_set_string_member (object, "token_type", "bearer");
  json_object_set_int_member (object, "expires_in", fake->expires_in);
  json_object_set_int_member (object, "expires_at",
                              fake_now (fake) + (fake->expires_at_in > 0 ? fake->expires_at_in : fake->expires_in));
  json_object_set_string_member (object, "refresh_token", refresh);
  json_object_set_object_member (object, "user", fake_user (NULL));
  node = json_node_init_object (json_node_alloc (), object);
  respond_json (msg, 200, node);
}

void
fake_gotrue_handler (ScriptServer      *server,
              ScriptRequest     *request,
              SoupServerMessage *msg,
              gpointer           user_data)
{
  FakeGoTrue *fake = user_data;

  if (g_str_equal (request->path, "/auth/v1/token") && g_strcmp0 (request->query, "grant_type=password") == 0)
    {
      g_autoptr(JsonNode) body = script_request_json (request);

      if (g_strcmp0 (json_object_get_string_member (json_node_get_object (body), "password"), "secret") == 0)
        respond_session (fake, msg);
      else
        respond_error (msg, 400, "invalid_credentials", "Invalid login credentials");
    }
  else if (g_str_equal (request->path, "/auth/v1/token"))
    {
      g_autoptr(JsonNode) body = script_request_json (request);
      const char *token = json_object_get_string_member (json_node_get_object (body), "refresh_token");

      if (fake->refresh_status != 0)
        respond_error (msg, fake->refresh_status, "unexpected_failure", "Database error");
      else if (g_hash_table_remove (fake->refresh_tokens, token))
        respond_session (fake, msg);
      else
        respond_error (msg, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
  else if (g_str_equal (request->path, "/auth/v1/signup"))
    respond_session (fake, msg);
  else if (g_str_equal (request->path, "/auth/v1/logout"))
    soup_server_message_set_status (msg, 204, NULL);
  else if (g_str_equal (request->path, "/auth/v1/user"))
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *data = NULL;
      g_autoptr(JsonNode) body = NULL;

      if (g_str_equal (request->method, "PUT"))
        {
          body = script_request_json (request);
          data = json_object_get_object_member (json_node_get_object (body), "data");
        }
      node = json_node_init_object (json_node_alloc (), fake_user (data));
      json_object_unref (json_node_get_object (node));
      respond_json (msg, 200, node);
    }
  else if (g_str_has_prefix (request->path, "/rest/v1/"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}
