/* tandem-workspace-store.c
 *
 * The list of ids is the `workspaces` key; each workspace's fields live in
 * its own path of the relocatable schema and are bound to its properties,
 * so a change of a workspace is saved as it happens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-workspace-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-workspace.h"
#include "tandem-workspace-secrets.h"
#include "tandem-workspace-store.h"

typedef struct
{
  TandemWorkspace *workspace;
  GSettings       *settings;
} Entry;

struct _TandemWorkspaceStore
{
  GObject    parent_instance;

  GSettings *settings;
  GPtrArray *entries;  /* Entry */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TandemWorkspaceStore, tandem_workspace_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const bound_keys[] = { "name", "url", "email", "display-name", "port" };

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  for (guint i = 0; i < G_N_ELEMENTS (bound_keys); i++)
    g_settings_unbind (entry->workspace, bound_keys[i]);
  g_clear_object (&entry->workspace);
  g_clear_object (&entry->settings);
  g_free (entry);
}

static GSettings *
workspace_settings_new (const char *id)
{
  g_autofree char *path = g_strconcat (TANDEM_WORKSPACE_SCHEMA_PATH, id, "/", NULL);

  return g_settings_new_with_path (TANDEM_WORKSPACE_SCHEMA_ID, path);
}

static void
bind_entry (Entry *entry)
{
  for (guint i = 0; i < G_N_ELEMENTS (bound_keys); i++)
    g_settings_bind (entry->settings, bound_keys[i], entry->workspace, bound_keys[i], G_SETTINGS_BIND_DEFAULT);
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static void
load (TandemWorkspaceStore *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "workspaces");

  for (guint i = 0; ids[i] != NULL; i++)
    {
      Entry *entry;
      g_autofree char *kind = NULL;

      if (!valid_id (ids[i]) || tandem_workspace_store_lookup (self, ids[i]) != NULL)
        {
          g_warning ("Ignoring the saved workspace “%s”: not a valid id", ids[i]);
          continue;
        }
      entry = g_new0 (Entry, 1);
      entry->settings = workspace_settings_new (ids[i]);
      kind = g_settings_get_string (entry->settings, "kind");
      entry->workspace = tandem_workspace_new (ids[i], g_str_equal (kind, "remote") ? TANDEM_WORKSPACE_REMOTE
                                                                                    : TANDEM_WORKSPACE_LOCAL);
      bind_entry (entry);
      g_ptr_array_add (self->entries, entry);
    }
}

static void
save_ids (TandemWorkspaceStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      g_strv_builder_add (builder, tandem_workspace_get_id (entry->workspace));
    }
  ids = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "workspaces", (const char * const *) ids);
}

static void
tandem_workspace_store_constructed (GObject *object)
{
  TandemWorkspaceStore *self = TANDEM_WORKSPACE_STORE (object);

  G_OBJECT_CLASS (tandem_workspace_store_parent_class)->constructed (object);

  g_return_if_fail (G_IS_SETTINGS (self->settings));
  load (self);
}

static void
tandem_workspace_store_finalize (GObject *object)
{
  TandemWorkspaceStore *self = TANDEM_WORKSPACE_STORE (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tandem_workspace_store_parent_class)->finalize (object);
}

static void
tandem_workspace_store_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TandemWorkspaceStore *self = TANDEM_WORKSPACE_STORE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_store_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TandemWorkspaceStore *self = TANDEM_WORKSPACE_STORE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_store_class_init (TandemWorkspaceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tandem_workspace_store_constructed;
  object_class->finalize = tandem_workspace_store_finalize;
  object_class->get_property = tandem_workspace_store_get_property;
  object_class->set_property = tandem_workspace_store_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_workspace_store_init (TandemWorkspaceStore *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

static GType
get_item_type (GListModel *model)
{
  return TANDEM_TYPE_WORKSPACE;
}

static guint
get_n_items (GListModel *model)
{
  return TANDEM_WORKSPACE_STORE (model)->entries->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  TandemWorkspaceStore *self = TANDEM_WORKSPACE_STORE (model);
  Entry *entry;

  if (position >= self->entries->len)
    return NULL;
  entry = g_ptr_array_index (self->entries, position);
  return g_object_ref (entry->workspace);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

TandemWorkspaceStore *
tandem_workspace_store_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (TANDEM_TYPE_WORKSPACE_STORE, "settings", settings, NULL);
}

GSettings *
tandem_workspace_store_get_settings (TandemWorkspaceStore *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_STORE (self), NULL);
  return self->settings;
}

static int
find (TandemWorkspaceStore *self,
      const char           *id)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (tandem_workspace_get_id (entry->workspace), id) == 0)
        return (int) i;
    }
  return -1;
}

TandemWorkspace *
tandem_workspace_store_lookup (TandemWorkspaceStore *self,
                               const char           *id)
{
  int i;

  g_return_val_if_fail (TANDEM_IS_WORKSPACE_STORE (self), NULL);

  i = id ? find (self, id) : -1;
  return i < 0 ? NULL : ((Entry *) g_ptr_array_index (self->entries, i))->workspace;
}

void
tandem_workspace_store_add (TandemWorkspaceStore *self,
                            TandemWorkspace      *workspace)
{
  Entry *entry;
  const char *id;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (self));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));

  id = tandem_workspace_get_id (workspace);
  g_return_if_fail (valid_id (id));
  if (find (self, id) >= 0)
    return;

  entry = g_new0 (Entry, 1);
  entry->workspace = g_object_ref (workspace);
  entry->settings = workspace_settings_new (id);
  g_settings_set_string (entry->settings, "kind",
                         tandem_workspace_get_kind (workspace) == TANDEM_WORKSPACE_REMOTE ? "remote" : "local");
  /* Bind writes the settings' (default) values into the object first:
   * save the object's own values, then bind. */
  g_settings_set_string (entry->settings, "name", tandem_workspace_get_name (workspace) ?: "");
  g_settings_set_string (entry->settings, "url", tandem_workspace_get_url (workspace) ?: "");
  g_settings_set_string (entry->settings, "email", tandem_workspace_get_email (workspace) ?: "");
  g_settings_set_string (entry->settings, "display-name", tandem_workspace_get_display_name (workspace) ?: "");
  g_settings_set_uint (entry->settings, "port", tandem_workspace_get_port (workspace));
  bind_entry (entry);

  g_ptr_array_add (self->entries, entry);
  save_ids (self);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
}

static void
clear_secrets_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tandem_workspace_secrets_clear_finish (result, &error))
    g_warning ("Could not remove a workspace's keyring items: %s", error->message);
}

void
tandem_workspace_store_remove (TandemWorkspaceStore *self,
                               TandemWorkspace      *workspace)
{
  Entry *entry;
  int i;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (self));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));

  i = find (self, tandem_workspace_get_id (workspace));
  if (i < 0)
    return;

  entry = g_ptr_array_index (self->entries, i);
  for (guint k = 0; k < G_N_ELEMENTS (bound_keys); k++)
    g_settings_unbind (entry->workspace, bound_keys[k]);
  {
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (entry->settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint k = 0; keys[k] != NULL; k++)
      g_settings_reset (entry->settings, keys[k]);
  }
  tandem_workspace_secrets_clear_async (tandem_workspace_get_id (workspace), -1, NULL, clear_secrets_cb, NULL);

  if (tandem_workspace_store_get_last (self) == workspace)
    g_settings_set_string (self->settings, "last-workspace", "");
  g_ptr_array_remove_index (self->entries, i);
  save_ids (self);
  g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
}

TandemWorkspace *
tandem_workspace_store_get_last (TandemWorkspaceStore *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (TANDEM_IS_WORKSPACE_STORE (self), NULL);

  id = g_settings_get_string (self->settings, "last-workspace");
  return tandem_workspace_store_lookup (self, id);
}

void
tandem_workspace_store_set_last (TandemWorkspaceStore *self,
                                 TandemWorkspace      *workspace)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (self));
  g_return_if_fail (workspace == NULL || TANDEM_IS_WORKSPACE (workspace));

  g_settings_set_string (self->settings, "last-workspace", workspace ? tandem_workspace_get_id (workspace) : "");
}

/* ---- secrets ---- */

static char *
secret_label (TandemWorkspace  *workspace,
              TandemSecretKind  kind)
{
  const char *name = tandem_workspace_get_name (workspace);

  if (name == NULL || *name == '\0')
    name = tandem_workspace_get_id (workspace);

  switch (kind)
    {
    case TANDEM_SECRET_API_KEY:
      /* Translators: a keyring item; %s is a workspace's name */
      return g_strdup_printf (_("Tandem: API key of %s"), name);
    case TANDEM_SECRET_PASSWORD:
      /* Translators: a keyring item; %s is a workspace's name */
      return g_strdup_printf (_("Tandem: password of %s"), name);
    case TANDEM_SECRET_REFRESH_TOKEN:
    default:
      /* Translators: a keyring item; %s is a workspace's name */
      return g_strdup_printf (_("Tandem: session of %s"), name);
    }
}

static void
forward_boolean_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == tandem_workspace_store_save_secret_async)
    ok = tandem_workspace_secrets_store_finish (result, &error);
  else
    ok = tandem_workspace_secrets_clear_finish (result, &error);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tandem_workspace_store_save_secret_async (TandemWorkspaceStore *self,
                                          TandemWorkspace      *workspace,
                                          TandemSecretKind      kind,
                                          const char           *secret,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (self));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_workspace_store_save_secret_async);
  label = secret_label (workspace, kind);
  tandem_workspace_secrets_store_async (tandem_workspace_get_id (workspace), kind, label, secret,
                                        cancellable, forward_boolean_cb, g_steal_pointer (&task));
}

gboolean
tandem_workspace_store_save_secret_finish (TandemWorkspaceStore  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
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

  secret = tandem_workspace_secrets_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, g_free);
}

void
tandem_workspace_store_lookup_secret_async (TandemWorkspaceStore *self,
                                            TandemWorkspace      *workspace,
                                            TandemSecretKind      kind,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (self));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_workspace_store_lookup_secret_async);
  tandem_workspace_secrets_lookup_async (tandem_workspace_get_id (workspace), kind, cancellable,
                                         lookup_cb, g_steal_pointer (&task));
}

char *
tandem_workspace_store_lookup_secret_finish (TandemWorkspaceStore  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tandem_workspace_store_clear_secret_async (TandemWorkspaceStore *self,
                                           TandemWorkspace      *workspace,
                                           TandemSecretKind      kind,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (self));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_workspace_store_clear_secret_async);
  tandem_workspace_secrets_clear_async (tandem_workspace_get_id (workspace), kind, cancellable,
                                        forward_boolean_cb, g_steal_pointer (&task));
}

gboolean
tandem_workspace_store_clear_secret_finish (TandemWorkspaceStore  *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
