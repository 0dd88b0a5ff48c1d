/* tandem-workspace-secrets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-secrets"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-workspace-error.h"
#include "tandem-workspace-secrets.h"

const SecretSchema *
tandem_workspace_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    "org.gnome.Tandem.Workspace", SECRET_SCHEMA_NONE,
    {
      { "workspace", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

const char *
tandem_secret_kind_to_string (TandemSecretKind kind)
{
  switch (kind)
    {
    case TANDEM_SECRET_API_KEY:
      return "api-key";
    case TANDEM_SECRET_PASSWORD:
      return "password";
    case TANDEM_SECRET_REFRESH_TOKEN:
      return "refresh-token";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Keyring failures name the keyring, not the workspace form. */
static GError *
keyring_error (GError *error)
{
  GError *result;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  result = g_error_new (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_KEYRING,
                        _("The keyring could not be used: %s"), error->message);
  g_error_free (error);
  return result;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tandem_workspace_secrets_store_async (const char          *workspace_id,
                                      TandemSecretKind     kind,
                                      const char          *label,
                                      const char          *secret,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (workspace_id != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_workspace_secrets_store_async);
  secret_password_store (tandem_workspace_secrets_get_schema (), SECRET_COLLECTION_DEFAULT,
                         label, secret, cancellable, store_cb, g_steal_pointer (&task),
                         "workspace", workspace_id,
                         "kind", tandem_secret_kind_to_string (kind),
                         NULL);
}

gboolean
tandem_workspace_secrets_store_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
tandem_workspace_secrets_lookup_async (const char          *workspace_id,
                                       TandemSecretKind     kind,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (workspace_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_workspace_secrets_lookup_async);
  secret_password_lookup (tandem_workspace_secrets_get_schema (), cancellable,
                          lookup_cb, g_steal_pointer (&task),
                          "workspace", workspace_id,
                          "kind", tandem_secret_kind_to_string (kind),
                          NULL);
}

char *
tandem_workspace_secrets_lookup_finish (GAsyncResult  *result,
                                        GError       **error)
{
  char *kept, *secret;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  /* Hand back ordinary memory; the keyring's copy is wiped here. */
  kept = g_task_propagate_pointer (G_TASK (result), error);
  if (kept == NULL)
    return NULL;
  secret = g_strdup (kept);
  secret_password_free (kept);
  return secret;
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tandem_workspace_secrets_clear_async (const char          *workspace_id,
                                      int                  kind,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (workspace_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_workspace_secrets_clear_async);

  /* libsecret keeps a reference to the table until it is done: it owns
   * copies of everything in it. */
  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (attributes, g_strdup ("workspace"), g_strdup (workspace_id));
  if (kind >= 0)
    g_hash_table_insert (attributes, g_strdup ("kind"), g_strdup (tandem_secret_kind_to_string (kind)));
  secret_password_clearv (tandem_workspace_secrets_get_schema (), attributes, cancellable,
                          clear_cb, g_steal_pointer (&task));
}

gboolean
tandem_workspace_secrets_clear_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
