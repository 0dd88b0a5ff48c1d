/* tandem-dashboard-layout.c
 *
 * A layout comes from a jsonb column anyone in the workspace may write, so
 * reading it trusts nothing: every member is type-checked, ranges are
 * bounded (one dashboard must not ask for a million points or a thousand
 * queries), and the first problem becomes a GError naming the member
 * (`widgets[1].series[0].aggregation`). Members this version does not know
 * are kept and written back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboards"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tandem-json-util.h"

#include "tandem-dashboard-layout-private.h"

static const char * const layout_members[] = { "widgets", NULL };


/* ---- TandemDashboardLayout ---- */

G_DEFINE_BOXED_TYPE (TandemDashboardLayout, tandem_dashboard_layout,
                     tandem_dashboard_layout_ref, tandem_dashboard_layout_unref)

TandemDashboardLayout *
tandem_dashboard_layout_new (void)
{
  TandemDashboardLayout *self = g_new0 (TandemDashboardLayout, 1);

  self->ref_count = 1;
  self->widgets = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_widget_spec_unref);
  return self;
}

TandemDashboardLayout *
tandem_dashboard_layout_ref (TandemDashboardLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
tandem_dashboard_layout_unref (TandemDashboardLayout *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_ptr_array_unref (self->widgets);
  g_clear_pointer (&self->extras, json_node_unref);
  g_free (self);
}

TandemDashboardLayout *
tandem_dashboard_layout_copy (TandemDashboardLayout *self)
{
  TandemDashboardLayout *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = tandem_dashboard_layout_new ();
  for (guint i = 0; i < self->widgets->len; i++)
    g_ptr_array_add (copy->widgets, tandem_widget_spec_copy (self->widgets->pdata[i]));
  copy->extras = self->extras ? json_node_copy (self->extras) : NULL;
  return copy;
}

gboolean
tandem_dashboard_layout_equal (TandemDashboardLayout *a,
                               TandemDashboardLayout *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->widgets->len != b->widgets->len || !_tandem_layout_extras_equal (a->extras, b->extras))
    return FALSE;
  for (guint i = 0; i < a->widgets->len; i++)
    if (!tandem_widget_spec_equal (a->widgets->pdata[i], b->widgets->pdata[i]))
      return FALSE;
  return TRUE;
}

TandemDashboardLayout *
tandem_dashboard_layout_new_from_json (JsonNode  *node,
                                       GError   **error)
{
  g_autoptr(TandemDashboardLayout) self = tandem_dashboard_layout_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *object;
  JsonNode *widgets;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                           _("The layout is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  widgets = json_object_get_member (object, "widgets");
  self->extras = _tandem_layout_collect_extras (object, layout_members);
  if (widgets == NULL)
    return g_steal_pointer (&self);
  if (!JSON_NODE_HOLDS_ARRAY (widgets))
    {
      _tandem_layout_fail_type (error, "", "widgets", _("an array"));
      return NULL;
    }

  array = json_node_get_array (widgets);
  n = json_array_get_length (array);
  if (n > TANDEM_DASHBOARD_MAX_WIDGETS)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_TOO_LARGE,
                   _("widgets: more than %u widgets"), TANDEM_DASHBOARD_MAX_WIDGETS);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("widgets[%u]", i);
      TandemWidgetSpec *spec = _tandem_widget_spec_from_json (json_array_get_element (array, i), path, error);

      if (spec == NULL)
        return NULL;
      g_ptr_array_add (self->widgets, spec);
      /* Broadcasts and edits find a widget by its id. */
      if (!g_hash_table_add (ids, spec->id))
        {
          g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_DUPLICATE,
                       _("%s.id: another widget has the id “%s”"), path, spec->id);
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

TandemDashboardLayout *
tandem_dashboard_layout_new_from_string (const char  *text,
                                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_PARSE,
                   _("The layout is not JSON: %s"), local_error->message);
      return NULL;
    }
  return tandem_dashboard_layout_new_from_json (json_parser_get_root (parser), error);
}

JsonNode *
tandem_dashboard_layout_to_json (TandemDashboardLayout *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "widgets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->widgets->len; i++)
    _tandem_widget_spec_to_json (self->widgets->pdata[i], builder);
  json_builder_end_array (builder);
  _tandem_layout_add_extras (builder, self->extras);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
tandem_dashboard_layout_to_string (TandemDashboardLayout *self)
{
  g_autoptr(JsonNode) node = tandem_dashboard_layout_to_json (self);

  return json_to_string (node, FALSE);
}

guint
tandem_dashboard_layout_get_n_widgets (TandemDashboardLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->widgets->len;
}

TandemWidgetSpec *
tandem_dashboard_layout_get_widget (TandemDashboardLayout *self,
                                    guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->widgets->len, NULL);
  return self->widgets->pdata[index];
}

static int
find_widget (TandemDashboardLayout *self,
             const char            *id)
{
  for (guint i = 0; i < self->widgets->len; i++)
    if (g_strcmp0 (((TandemWidgetSpec *) self->widgets->pdata[i])->id, id) == 0)
      return i;
  return -1;
}

TandemWidgetSpec *
tandem_dashboard_layout_lookup_widget (TandemDashboardLayout *self,
                                       const char            *id)
{
  int i;

  g_return_val_if_fail (self != NULL, NULL);

  i = find_widget (self, id);
  return i >= 0 ? self->widgets->pdata[i] : NULL;
}

void
tandem_dashboard_layout_put_widget (TandemDashboardLayout *self,
                                    TandemWidgetSpec      *spec)
{
  int i;

  g_return_if_fail (self != NULL && spec != NULL);

  i = find_widget (self, spec->id);
  tandem_widget_spec_ref (spec);
  if (i < 0)
    g_ptr_array_add (self->widgets, spec);
  else
    {
      tandem_widget_spec_unref (self->widgets->pdata[i]);
      self->widgets->pdata[i] = spec;
    }
}

gboolean
tandem_dashboard_layout_remove_widget (TandemDashboardLayout *self,
                                       const char            *id)
{
  int i;

  g_return_val_if_fail (self != NULL, FALSE);

  i = find_widget (self, id);
  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (self->widgets, i);
  return TRUE;
}

char *
tandem_dashboard_layout_new_widget_id (TandemDashboardLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint n = self->widgets->len + 1;; n++)
    {
      g_autofree char *id = g_strdup_printf ("w%u", n);

      if (find_widget (self, id) < 0)
        return g_steal_pointer (&id);
    }
}

guint
tandem_dashboard_layout_get_next_row (TandemDashboardLayout *self)
{
  guint row = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->widgets->len; i++)
    {
      TandemWidgetSpec *spec = self->widgets->pdata[i];

      row = MAX (row, spec->y + spec->height);
    }
  return MIN (row, TANDEM_WIDGET_MAX_GRID);
}
