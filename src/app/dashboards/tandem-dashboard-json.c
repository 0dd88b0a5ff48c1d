/* tandem-dashboard-json.c
 *
 * Reading the members of a layout strictly, and keeping the ones this
 * version does not know: shared by the layout, widget and series specs.
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

G_DEFINE_QUARK (tandem-dashboard-error-quark, tandem_dashboard_error)

/* ---- reading members ---- */

gboolean
_tandem_layout_fail_type (GError     **error,
                          const char  *path,
                          const char  *member,
                          const char  *expected)
{
  g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
               /* Translators: "widgets[0].title: expected a string" */
               _("%s%s%s: expected %s"), path, *path ? "." : "", member, expected);
  return FALSE;
}

/* @out keeps its default when the member is missing. */
gboolean
_tandem_layout_read_string (JsonObject  *object,
                            const char  *member,
                            const char  *path,
                            gboolean     required,
                            char       **out,
                            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_MISSING,
                   _("%s%s%s is missing"), path, *path ? "." : "", member);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _tandem_layout_fail_type (error, path, member, _("a string"));
  text = json_node_get_string (node);
  if (strlen (text) > TANDEM_DASHBOARD_MAX_STRING)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_TOO_LARGE,
                   _("%s%s%s is longer than %u characters"), path, *path ? "." : "", member,
                   TANDEM_DASHBOARD_MAX_STRING);
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (text);
  return TRUE;
}

gboolean
_tandem_layout_read_uint (JsonObject  *object,
                          const char  *member,
                          const char  *path,
                          guint        min,
                          guint        max,
                          guint       *out,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  double value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return _tandem_layout_fail_type (error, path, member, _("a number"));
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = (double) json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;
    default:
      return _tandem_layout_fail_type (error, path, member, _("a number"));
    }
  /* 10.0 is 10 (some writers only have doubles); 10.5 is a mistake. */
  if (!isfinite (value) || value != floor (value) || value < min || value > max)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   _("%s%s%s: expected a whole number from %u to %u"), path, *path ? "." : "", member,
                   min, max);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

gboolean
_tandem_layout_read_bool (JsonObject  *object,
                          const char  *member,
                          const char  *path,
                          gboolean    *out,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return _tandem_layout_fail_type (error, path, member, _("true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* The members of @object not in @known, as an object node, or NULL. */
JsonNode *
_tandem_layout_collect_extras (JsonObject         *object,
                               const char * const *known)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (g_strv_contains (known, name))
        continue;
      if (node == NULL)
        node = tandem_json_node_take_object (json_object_new ());
      json_object_set_member (json_node_get_object (node), name, json_node_copy (value));
    }
  return g_steal_pointer (&node);
}

void
_tandem_layout_add_extras (JsonBuilder *builder,
                           JsonNode    *extras)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (extras == NULL)
    return;
  json_object_iter_init (&iter, json_node_get_object (extras));
  while (json_object_iter_next (&iter, &name, &value))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_value (builder, json_node_copy (value));
    }
}

gboolean
_tandem_layout_extras_equal (JsonNode *a,
                             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

void
_tandem_layout_set_string (char       **field,
                           const char  *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}
