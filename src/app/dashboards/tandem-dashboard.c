/* tandem-dashboard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboards"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tandem-json-util.h"

#include "tandem-dashboard.h"
#include "tandem-dashboard-layout.h"

struct _TandemDashboard
{
  GObject                parent_instance;

  char                  *id;
  char                  *name;
  char                  *owner;
  TandemDashboardLayout *layout;
  char                  *layout_error;
};

G_DEFINE_FINAL_TYPE (TandemDashboard, tandem_dashboard, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_OWNER,
  PROP_LAYOUT,
  PROP_LAYOUT_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tandem_dashboard_finalize (GObject *object)
{
  TandemDashboard *self = (TandemDashboard *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->owner);
  g_clear_pointer (&self->layout, tandem_dashboard_layout_unref);
  g_free (self->layout_error);

  G_OBJECT_CLASS (tandem_dashboard_parent_class)->finalize (object);
}

static void
tandem_dashboard_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TandemDashboard *self = TANDEM_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_OWNER:
      g_value_set_string (value, self->owner);
      break;
    case PROP_LAYOUT:
      g_value_set_boxed (value, self->layout);
      break;
    case PROP_LAYOUT_ERROR:
      g_value_set_string (value, self->layout_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_dashboard_class_init (TandemDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_dashboard_finalize;
  object_class->get_property = tandem_dashboard_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWNER] =
    g_param_spec_string ("owner", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYOUT] =
    g_param_spec_boxed ("layout", NULL, NULL, TANDEM_TYPE_DASHBOARD_LAYOUT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYOUT_ERROR] =
    g_param_spec_string ("layout-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_dashboard_init (TandemDashboard *self)
{
  self->name = g_strdup ("");
  self->layout = tandem_dashboard_layout_new ();
}

/* A layout as a jsonb value (an object), or as a JSON string holding one
 * (what a client that stringified it wrote). */
static TandemDashboardLayout *
read_layout (JsonObject  *row,
             GError     **error)
{
  JsonNode *node = json_object_get_member (row, "layout");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return tandem_dashboard_layout_new ();
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return tandem_dashboard_layout_new_from_string (json_node_get_string (node), error);
  return tandem_dashboard_layout_new_from_json (node, error);
}

static gboolean
apply_row (TandemDashboard  *self,
           JsonObject       *row,
           gboolean          notify,
           GError          **error)
{
  const char *id = tandem_json_string_member (row, "id");
  const char *name = tandem_json_string_member (row, "name");
  const char *owner = tandem_json_string_member (row, "owner");
  g_autoptr(TandemDashboardLayout) layout = NULL;
  g_autoptr(GError) layout_error = NULL;
  g_autofree char *layout_message = NULL;

  if (id == NULL || name == NULL)
    {
      g_set_error_literal (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                           _("A dashboard row without an id or a name"));
      return FALSE;
    }
  if (self->id != NULL && !g_str_equal (self->id, id))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   "the row of dashboard %s given to dashboard %s", id, self->id);
      return FALSE;
    }

  layout = read_layout (row, &layout_error);
  if (layout == NULL)
    {
      layout_message = g_strdup (layout_error->message);
      layout = tandem_dashboard_layout_new ();
    }

  if (self->id == NULL)
    self->id = g_strdup (id);
  if (g_strcmp0 (self->name, name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (name);
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
  if (g_strcmp0 (self->owner, owner) != 0)
    {
      g_free (self->owner);
      self->owner = g_strdup (owner);
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER]);
    }
  if (g_strcmp0 (self->layout_error, layout_message) != 0)
    {
      g_free (self->layout_error);
      self->layout_error = g_steal_pointer (&layout_message);
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT_ERROR]);
    }
  if (!tandem_dashboard_layout_equal (self->layout, layout))
    {
      tandem_dashboard_layout_unref (self->layout);
      self->layout = g_steal_pointer (&layout);
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
    }
  return TRUE;
}

TandemDashboard *
tandem_dashboard_new_from_row (JsonObject  *row,
                               GError     **error)
{
  g_autoptr(TandemDashboard) self = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (TANDEM_TYPE_DASHBOARD, NULL);
  if (!apply_row (self, row, FALSE, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
tandem_dashboard_update_from_row (TandemDashboard  *self,
                                  JsonObject       *row,
                                  GError          **error)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  return apply_row (self, row, TRUE, error);
}

const char *
tandem_dashboard_get_id (TandemDashboard *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD (self), NULL);
  return self->id;
}

const char *
tandem_dashboard_get_name (TandemDashboard *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD (self), NULL);
  return self->name;
}

const char *
tandem_dashboard_get_owner (TandemDashboard *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD (self), NULL);
  return self->owner;
}

TandemDashboardLayout *
tandem_dashboard_get_layout (TandemDashboard *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD (self), NULL);
  return self->layout;
}

const char *
tandem_dashboard_get_layout_error (TandemDashboard *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD (self), NULL);
  return self->layout_error;
}

int
tandem_dashboard_compare (gconstpointer a,
                          gconstpointer b,
                          gpointer      user_data)
{
  TandemDashboard *da = (TandemDashboard *) a;
  TandemDashboard *db = (TandemDashboard *) b;
  g_autofree char *ka = g_utf8_collate_key (da->name, -1);
  g_autofree char *kb = g_utf8_collate_key (db->name, -1);
  int cmp = strcmp (ka, kb);

  return cmp != 0 ? cmp : g_strcmp0 (da->id, db->id);
}

static void
save_layout_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) rows = NULL;
  GError *error = NULL;

  rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else if (!JSON_NODE_HOLDS_ARRAY (rows) || json_array_get_length (json_node_get_array (rows)) == 0)
    g_task_return_new_error (task, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_NOT_FOUND,
                             _("The dashboard is gone"));
  else
    g_task_return_boolean (task, TRUE);
}

void
tandem_dashboard_save_layout_async (TandemClient          *client,
                                    const char            *dashboard_id,
                                    TandemDashboardLayout *layout,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(JsonObject) values = json_object_new ();

  g_return_if_fail (TANDEM_IS_CLIENT (client));
  g_return_if_fail (dashboard_id != NULL);
  g_return_if_fail (layout != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_dashboard_save_layout_async);

  json_object_set_member (values, "layout", tandem_dashboard_layout_to_json (layout));
  query = tandem_client_from (client, "dashboards");
  tandem_query_update (query, values);
  tandem_query_eq (query, "id", dashboard_id);
  /* The changed row back, to tell "saved" from "no row matched". */
  tandem_query_select (query, "id");
  tandem_query_returning (query, TRUE);
  tandem_query_execute_async (query, cancellable, save_layout_cb, g_steal_pointer (&task));
}

gboolean
tandem_dashboard_save_layout_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_dashboard_save_layout_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
