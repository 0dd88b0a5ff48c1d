/* ui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>

#include "tandem-workspace-secrets.h"
#include "tandem-workspace-store.h"
#include "ui-test-util.h"

void
ui_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

char *
ui_test_lookup_secret (const char       *workspace_id,
                       TandemSecretKind  kind)
{
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookup_sync (tandem_workspace_secrets_get_schema (), NULL, &error,
                                        "workspace", workspace_id,
                                        "kind", tandem_secret_kind_to_string (kind),
                                        NULL);
  g_assert_no_error (error);
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

static gboolean
schema_contains (GSettings  *settings,
                 const char *needle)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

gboolean
ui_test_settings_contain (GSettings  *settings,
                          const char *needle)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "workspaces");

  if (schema_contains (settings, needle))
    return TRUE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (TANDEM_WORKSPACE_SCHEMA_PATH, ids[i], "/", NULL);
      g_autoptr(GSettings) workspace = g_settings_new_with_path (TANDEM_WORKSPACE_SCHEMA_ID, path);

      if (schema_contains (workspace, needle))
        return TRUE;
    }
  return FALSE;
}
