/* tandem-server-keys.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tandem-jwt.h"
#include "tandem-server-keys.h"

#define TEN_YEARS_S ((gint64) 10 * 365 * 24 * 3600)

char *
tandem_server_keys_make_key (const char *secret,
                             const char *role)
{
  g_autoptr(JsonObject) claims = json_object_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_object_set_string_member (claims, "iss", "tandem");
  json_object_set_string_member (claims, "role", role);
  json_object_set_int_member (claims, "iat", now);
  json_object_set_int_member (claims, "exp", now + TEN_YEARS_S);
  return tandem_jwt_sign_hs256 (claims, secret);
}

void
tandem_server_keys_clear (TandemServerKeys *keys)
{
  g_clear_pointer (&keys->jwt_secret, g_free);
  g_clear_pointer (&keys->anon_key, g_free);
  g_clear_pointer (&keys->service_role_key, g_free);
}

static gboolean
key_is_valid (const char *key,
              const char *secret,
              const char *role)
{
  g_autoptr(JsonObject) claims = NULL;

  if (key == NULL)
    return FALSE;
  claims = tandem_jwt_verify (key, secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP,
                              g_get_real_time () / G_USEC_PER_SEC + 24 * 3600, NULL);
  return claims != NULL &&
         g_strcmp0 (json_object_get_string_member_with_default (claims, "role", ""), role) == 0;
}

static gboolean
write_private_file (const char  *path,
                    const char  *contents,
                    GError     **error)
{
  /* g_file_set_contents_full creates the file with @mode before writing. */
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
read_keys_file (const char       *path,
                TandemServerKeys *keys)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;

  if (!json_parser_load_from_file (parser, path, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  keys->anon_key = g_strdup (json_object_get_string_member_with_default (object, "anon_key", NULL));
  keys->service_role_key = g_strdup (json_object_get_string_member_with_default (object, "service_role_key", NULL));
  return TRUE;
}

gboolean
tandem_server_keys_load_existing (TandemServerKeys *keys,
                                  const char       *data_dir,
                                  GError          **error)
{
  g_autofree char *secret_path = g_build_filename (data_dir, "jwt-secret", NULL);
  g_autofree char *keys_path = g_build_filename (data_dir, "keys.json", NULL);
  g_autofree char *secret = NULL;

  if (!g_file_get_contents (secret_path, &secret, NULL, error))
    return FALSE;
  g_strstrip (secret);
  keys->jwt_secret = g_steal_pointer (&secret);
  if (!read_keys_file (keys_path, keys) ||
      !key_is_valid (keys->anon_key, keys->jwt_secret, "anon") ||
      !key_is_valid (keys->service_role_key, keys->jwt_secret, "service_role"))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "The keys in %s are missing or do not match its secret; start the server once to renew them",
                   data_dir);
      tandem_server_keys_clear (keys);
      return FALSE;
    }
  return TRUE;
}

gboolean
tandem_server_keys_load (TandemServerKeys *keys,
                         const char       *data_dir,
                         const char       *secret_override,
                         GError          **error)
{
  g_autofree char *secret_path = NULL;
  g_autofree char *keys_path = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (data_dir == NULL)
    {
      keys->jwt_secret = secret_override ? g_strdup (secret_override) : tandem_jwt_generate_secret (32);
      keys->anon_key = tandem_server_keys_make_key (keys->jwt_secret, "anon");
      keys->service_role_key = tandem_server_keys_make_key (keys->jwt_secret, "service_role");
      return TRUE;
    }

  secret_path = g_build_filename (data_dir, "jwt-secret", NULL);
  keys_path = g_build_filename (data_dir, "keys.json", NULL);

  if (secret_override != NULL)
    keys->jwt_secret = g_strdup (secret_override);
  else if (g_file_get_contents (secret_path, &keys->jwt_secret, NULL, NULL))
    g_strstrip (keys->jwt_secret);
  else
    keys->jwt_secret = tandem_jwt_generate_secret (32);

  if (secret_override == NULL && !write_private_file (secret_path, keys->jwt_secret, error))
    return FALSE;

  /* Keep stored keys while they are valid for a while yet; renew otherwise. */
  if (secret_override == NULL && read_keys_file (keys_path, keys) &&
      key_is_valid (keys->anon_key, keys->jwt_secret, "anon") &&
      key_is_valid (keys->service_role_key, keys->jwt_secret, "service_role"))
    return TRUE;

  g_clear_pointer (&keys->anon_key, g_free);
  g_clear_pointer (&keys->service_role_key, g_free);
  keys->anon_key = tandem_server_keys_make_key (keys->jwt_secret, "anon");
  keys->service_role_key = tandem_server_keys_make_key (keys->jwt_secret, "service_role");
  if (secret_override != NULL)
    return TRUE;

  object = json_object_new ();
  json_object_set_string_member (object, "anon_key", keys->anon_key);
  json_object_set_string_member (object, "service_role_key", keys->service_role_key);
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, TRUE);
  return write_private_file (keys_path, text, error);
}
