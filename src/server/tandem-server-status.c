/* tandem-server-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-server"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tandem-server-keys.h"
#include "tandem-server-status.h"

gboolean
tandem_output_format_from_string (const char         *text,
                                  TandemOutputFormat *format)
{
  if (g_strcmp0 (text, "pretty") == 0)
    *format = TANDEM_OUTPUT_PRETTY;
  else if (g_strcmp0 (text, "env") == 0)
    *format = TANDEM_OUTPUT_ENV;
  else if (g_strcmp0 (text, "json") == 0)
    *format = TANDEM_OUTPUT_JSON;
  else
    return FALSE;
  return TRUE;
}

void
tandem_server_status_clear (TandemServerStatus *status)
{
  g_clear_pointer (&status->api_url, g_free);
  g_clear_pointer (&status->db_url, g_free);
  g_clear_pointer (&status->jwt_secret, g_free);
  g_clear_pointer (&status->anon_key, g_free);
  g_clear_pointer (&status->service_role_key, g_free);
}

static char *
realtime_url (const char *api_url)
{
  if (g_str_has_prefix (api_url, "https://"))
    return g_strconcat ("wss://", api_url + strlen ("https://"), "/realtime/v1", NULL);
  if (g_str_has_prefix (api_url, "http://"))
    return g_strconcat ("ws://", api_url + strlen ("http://"), "/realtime/v1", NULL);
  return g_strconcat (api_url, "/realtime/v1", NULL);
}

char *
tandem_server_status_format (const TandemServerStatus *status,
                             TandemOutputFormat        format)
{
  g_autofree char *rt_url = realtime_url (status->api_url);
  g_autofree char *rest_url = g_strconcat (status->api_url, "/rest/v1", NULL);
  const char *names[] = { "API_URL", "REST_URL", "REALTIME_URL", "DB_URL", "JWT_SECRET", "ANON_KEY", "SERVICE_ROLE_KEY" };
  const char *labels[] = { N_("API URL"), N_("REST URL"), N_("Realtime URL"), N_("DB URL"),
                           N_("JWT secret"), N_("anon key"), N_("service_role key") };
  const char *values[] = { status->api_url, rest_url, rt_url, status->db_url,
                           status->jwt_secret, status->anon_key, status->service_role_key };
  GString *out = g_string_new (NULL);

  switch (format)
    {
    case TANDEM_OUTPUT_ENV:
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *quoted = g_strescape (values[i] ? values[i] : "", NULL);

          g_string_append_printf (out, "%s=\"%s\"\n", names[i], quoted);
        }
      break;

    case TANDEM_OUTPUT_JSON:
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autofree char *text = NULL;

        json_builder_begin_object (builder);
        for (guint i = 0; i < G_N_ELEMENTS (names); i++)
          {
            json_builder_set_member_name (builder, names[i]);
            json_builder_add_string_value (builder, values[i] ? values[i] : "");
          }
        json_builder_set_member_name (builder, "RUNNING");
        json_builder_add_boolean_value (builder, status->running);
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        text = json_to_string (root, TRUE);
        g_string_append_printf (out, "%s\n", text);
      }
      break;

    case TANDEM_OUTPUT_PRETTY:
    default:
      g_string_append_printf (out, "%s\n\n", status->running ? _("tandem-server is running.")
                                                             : _("tandem-server is not running."));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        g_string_append_printf (out, "%18s: %s\n", _(labels[i]), values[i] ? values[i] : "");
      break;
    }

  return g_string_free (out, FALSE);
}

gboolean
tandem_server_status_save (const char               *data_dir,
                           const TandemServerStatus *status,
                           GError                  **error)
{
  g_autofree char *path = g_build_filename (data_dir, "state.json", NULL);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "api_url", status->api_url);
  json_object_set_string_member (object, "db_url", status->db_url);
  json_object_set_int_member (object, "pid", status->pid);
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, TRUE);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

void
tandem_server_status_forget_pid (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  TandemServerStatus status = { 0 };
  g_autofree char *path = g_build_filename (data_dir, "state.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  status.api_url = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "api_url", ""));
  status.db_url = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "db_url", ""));
  status.pid = 0;
  if (!tandem_server_status_save (data_dir, &status, &error))
    g_warning ("could not update %s: %s", path, error->message);
  tandem_server_status_clear (&status);
}

gboolean
tandem_server_status_load (const char         *data_dir,
                           TandemServerStatus *status,
                           GError            **error)
{
  g_autofree char *path = g_build_filename (data_dir, "state.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  TandemServerKeys keys = { 0 };
  JsonObject *object;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, error))
    {
      g_prefix_error (error, _("No tandem-server has run with --data %s: "), data_dir);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s is not a state file"), path);
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!tandem_server_keys_load_existing (&keys, data_dir, error))
    return FALSE;

  status->api_url = g_strdup (json_object_get_string_member_with_default (object, "api_url", ""));
  status->db_url = g_strdup (json_object_get_string_member_with_default (object, "db_url", ""));
  status->pid = (gint) json_object_get_int_member_with_default (object, "pid", 0);
  status->running = status->pid > 0 && (kill (status->pid, 0) == 0 || errno == EPERM);
  status->jwt_secret = g_steal_pointer (&keys.jwt_secret);
  status->anon_key = g_steal_pointer (&keys.anon_key);
  status->service_role_key = g_steal_pointer (&keys.service_role_key);
  return TRUE;
}
