/* tandem-widget-spec.c
 *
 * One widget of a layout. A widget of a kind this version does not know
 * is kept verbatim (only its id, title and place are read) and written
 * back as it came, so that an older app editing a newer layout loses
 * nothing.
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

#define MAX_ID 64

static const char * const kind_names[] = {
  [TANDEM_WIDGET_LINE] = "line",
  [TANDEM_WIDGET_BAR] = "bar",
  [TANDEM_WIDGET_VALUE] = "value",
  [TANDEM_WIDGET_TABLE] = "table",
};

static const char * const widget_members[] = {
  "id", "kind", "title", "series", "bucket_seconds", "window_points", "window_seconds",
  "broadcast", "x", "y", "width", "height", NULL,
};

/* ---- TandemWidgetSpec ---- */

G_DEFINE_BOXED_TYPE (TandemWidgetSpec, tandem_widget_spec, tandem_widget_spec_ref, tandem_widget_spec_unref)

static TandemWidgetKind
kind_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      return i;
  return TANDEM_WIDGET_UNSUPPORTED;
}

TandemWidgetSpec *
tandem_widget_spec_new (const char *id,
                        const char *kind)
{
  TandemWidgetSpec *self = g_new0 (TandemWidgetSpec, 1);

  self->ref_count = 1;
  self->id = g_strdup (id != NULL ? id : "");
  self->kind_name = g_strdup (kind != NULL ? kind : "line");
  self->kind = kind_from_name (self->kind_name);
  self->title = g_strdup ("");
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_series_spec_unref);
  self->bucket_seconds = TANDEM_WIDGET_DEFAULT_BUCKET_SECONDS;
  self->window_points = TANDEM_WIDGET_DEFAULT_WINDOW_POINTS;
  self->width = 1;
  self->height = 1;
  return self;
}

TandemWidgetSpec *
tandem_widget_spec_ref (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
tandem_widget_spec_unref (TandemWidgetSpec *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_free (self->id);
  g_free (self->kind_name);
  g_free (self->title);
  g_ptr_array_unref (self->series);
  g_clear_pointer (&self->extras, json_node_unref);
  g_clear_pointer (&self->raw, json_node_unref);
  g_free (self);
}

TandemWidgetSpec *
tandem_widget_spec_copy (TandemWidgetSpec *self)
{
  TandemWidgetSpec *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = tandem_widget_spec_new (self->id, self->kind_name);
  _tandem_layout_set_string (&copy->title, self->title);
  for (guint i = 0; i < self->series->len; i++)
    g_ptr_array_add (copy->series, tandem_series_spec_copy (self->series->pdata[i]));
  copy->bucket_seconds = self->bucket_seconds;
  copy->window_points = self->window_points;
  copy->window_seconds = self->window_seconds;
  copy->broadcast = self->broadcast;
  copy->x = self->x;
  copy->y = self->y;
  copy->width = self->width;
  copy->height = self->height;
  copy->extras = self->extras ? json_node_copy (self->extras) : NULL;
  copy->raw = self->raw ? json_node_copy (self->raw) : NULL;
  return copy;
}

gboolean
tandem_widget_spec_equal_data (TandemWidgetSpec *a,
                               TandemWidgetSpec *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!g_str_equal (a->kind_name, b->kind_name) || a->series->len != b->series->len ||
      a->bucket_seconds != b->bucket_seconds || a->window_points != b->window_points ||
      a->window_seconds != b->window_seconds || a->broadcast != b->broadcast)
    return FALSE;
  for (guint i = 0; i < a->series->len; i++)
    if (!tandem_series_spec_equal (a->series->pdata[i], b->series->pdata[i]))
      return FALSE;
  return TRUE;
}

gboolean
tandem_widget_spec_equal (TandemWidgetSpec *a,
                          TandemWidgetSpec *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return tandem_widget_spec_equal_data (a, b) && g_str_equal (a->id, b->id) &&
         g_str_equal (a->title, b->title) && a->x == b->x && a->y == b->y &&
         a->width == b->width && a->height == b->height && _tandem_layout_extras_equal (a->extras, b->extras) &&
         _tandem_layout_extras_equal (a->raw, b->raw);
}

STRING_ACCESSORS (TandemWidgetSpec, widget_spec, id)
STRING_ACCESSORS (TandemWidgetSpec, widget_spec, title)

const char *
tandem_widget_spec_get_kind_name (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->kind_name;
}

TandemWidgetKind
tandem_widget_spec_get_kind (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, TANDEM_WIDGET_UNSUPPORTED);
  return self->kind;
}

guint
tandem_widget_spec_get_n_series (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->series->len;
}

TandemSeriesSpec *
tandem_widget_spec_get_series (TandemWidgetSpec *self,
                               guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->series->len, NULL);
  return self->series->pdata[index];
}

guint
tandem_widget_spec_get_bucket_seconds (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bucket_seconds;
}

guint
tandem_widget_spec_get_window_points (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->window_points;
}

guint
tandem_widget_spec_get_window_seconds (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->window_seconds;
}

gboolean
tandem_widget_spec_get_broadcast (TandemWidgetSpec *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->broadcast;
}

void
tandem_widget_spec_get_position (TandemWidgetSpec *self,
                                 guint            *x,
                                 guint            *y,
                                 guint            *width,
                                 guint            *height)
{
  g_return_if_fail (self != NULL);
  if (x)
    *x = self->x;
  if (y)
    *y = self->y;
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

void
tandem_widget_spec_set_kind (TandemWidgetSpec *self,
                             const char       *kind)
{
  g_return_if_fail (self != NULL);
  _tandem_layout_set_string (&self->kind_name, kind);
  self->kind = kind_from_name (self->kind_name);
  /* A known kind is written from the fields from now on. */
  if (self->kind != TANDEM_WIDGET_UNSUPPORTED)
    g_clear_pointer (&self->raw, json_node_unref);
}

void
tandem_widget_spec_set_title (TandemWidgetSpec *self, const char *title)
{
  g_return_if_fail (self != NULL);
  _tandem_layout_set_string (&self->title, title);
}

void
tandem_widget_spec_add_series (TandemWidgetSpec *self,
                               TandemSeriesSpec *series)
{
  g_return_if_fail (self != NULL && series != NULL);
  g_ptr_array_add (self->series, tandem_series_spec_ref (series));
}

void
tandem_widget_spec_clear_series (TandemWidgetSpec *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->series, 0);
}

void
tandem_widget_spec_set_bucket_seconds (TandemWidgetSpec *self, guint seconds)
{
  g_return_if_fail (self != NULL);
  self->bucket_seconds = seconds;
}

void
tandem_widget_spec_set_window_points (TandemWidgetSpec *self, guint points)
{
  g_return_if_fail (self != NULL);
  self->window_points = points;
}

void
tandem_widget_spec_set_window_seconds (TandemWidgetSpec *self, guint seconds)
{
  g_return_if_fail (self != NULL);
  self->window_seconds = seconds;
}

void
tandem_widget_spec_set_broadcast (TandemWidgetSpec *self, gboolean broadcast)
{
  g_return_if_fail (self != NULL);
  self->broadcast = !!broadcast;
}

void
tandem_widget_spec_set_position (TandemWidgetSpec *self,
                                 guint             x,
                                 guint             y,
                                 guint             width,
                                 guint             height)
{
  g_return_if_fail (self != NULL);
  self->x = x;
  self->y = y;
  self->width = width;
  self->height = height;
}

static gboolean
check_range (guint        value,
             guint        min,
             guint        max,
             const char  *path,
             const char  *member,
             GError     **error)
{
  if (value >= min && value <= max)
    return TRUE;
  g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
               _("%s%s%s: expected a whole number from %u to %u"), path, *path ? "." : "", member, min, max);
  return FALSE;
}

static gboolean
check_id (const char  *id,
          const char  *path,
          GError     **error)
{
  gsize len = strlen (id);

  for (gsize i = 0; i < len && len <= MAX_ID; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '_' && id[i] != '-')
      len = 0;
  if (len > 0 && len <= MAX_ID)
    return TRUE;
  g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
               _("%s%sid: expected 1 to %u letters, digits, - or _"), path, *path ? "." : "", MAX_ID);
  return FALSE;
}

static gboolean
widget_validate (TandemWidgetSpec  *self,
                 const char        *path,
                 GError           **error)
{
  gboolean aggregated = FALSE;

  if (!check_id (self->id, path, error))
    return FALSE;
  if (self->kind == TANDEM_WIDGET_UNSUPPORTED)
    return TRUE;
  if (self->series->len > TANDEM_WIDGET_MAX_SERIES)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_TOO_LARGE,
                   _("%s%sseries: more than %u series"), path, *path ? "." : "", TANDEM_WIDGET_MAX_SERIES);
      return FALSE;
    }
  for (guint i = 0; i < self->series->len; i++)
    {
      g_autofree char *series_path = g_strdup_printf ("%s%sseries[%u]", path, *path ? "." : "", i);
      TandemSeriesSpec *series = self->series->pdata[i];

      if (!_tandem_series_spec_validate (series, series_path, error))
        return FALSE;
      aggregated |= series->aggregation != TANDEM_AGGREGATION_NONE;
    }
  if (!check_range (self->bucket_seconds, aggregated ? 1 : 0, TANDEM_WIDGET_MAX_BUCKET_SECONDS,
                    path, "bucket_seconds", error) ||
      !check_range (self->window_points, 0, TANDEM_WIDGET_MAX_WINDOW_POINTS, path, "window_points", error) ||
      !check_range (self->window_seconds, 0, TANDEM_WIDGET_MAX_WINDOW_SECONDS, path, "window_seconds", error) ||
      !check_range (self->x, 0, TANDEM_WIDGET_MAX_GRID, path, "x", error) ||
      !check_range (self->y, 0, TANDEM_WIDGET_MAX_GRID, path, "y", error) ||
      !check_range (self->width, 1, TANDEM_WIDGET_MAX_SPAN, path, "width", error) ||
      !check_range (self->height, 1, TANDEM_WIDGET_MAX_SPAN, path, "height", error))
    return FALSE;
  if (self->window_points == 0 && self->window_seconds == 0)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   _("%s: window_points and window_seconds are both 0"), *path ? path : "widget");
      return FALSE;
    }
  return TRUE;
}

gboolean
tandem_widget_spec_validate (TandemWidgetSpec  *self,
                             GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return widget_validate (self, "", error);
}

TandemWidgetSpec *
_tandem_widget_spec_from_json (JsonNode    *node,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(TandemWidgetSpec) self = NULL;
  g_autofree char *id = NULL;
  g_autofree char *kind = NULL;
  JsonObject *object;
  JsonNode *series;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   _("%s: expected an object"), path);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!_tandem_layout_read_string (object, "id", path, TRUE, &id, error) ||
      !_tandem_layout_read_string (object, "kind", path, TRUE, &kind, error))
    return NULL;

  self = tandem_widget_spec_new (id, kind);
  if (self->kind == TANDEM_WIDGET_UNSUPPORTED)
    {
      /* Someone else's kind: kept verbatim; the title and the place are
       * read if they make sense, for showing it. */
      self->raw = json_node_copy (node);
      _tandem_layout_read_string (object, "title", path, FALSE, &self->title, NULL);
      if (!_tandem_layout_read_uint (object, "x", path, 0, TANDEM_WIDGET_MAX_GRID, &self->x, NULL) ||
          !_tandem_layout_read_uint (object, "y", path, 0, TANDEM_WIDGET_MAX_GRID, &self->y, NULL) ||
          !_tandem_layout_read_uint (object, "width", path, 1, TANDEM_WIDGET_MAX_SPAN, &self->width, NULL) ||
          !_tandem_layout_read_uint (object, "height", path, 1, TANDEM_WIDGET_MAX_SPAN, &self->height, NULL))
        self->x = self->y = 0, self->width = self->height = 1;
      if (!check_id (self->id, path, error))
        return NULL;
      return g_steal_pointer (&self);
    }

  if (!_tandem_layout_read_string (object, "title", path, FALSE, &self->title, error) ||
      !_tandem_layout_read_uint (object, "bucket_seconds", path, 0, TANDEM_WIDGET_MAX_BUCKET_SECONDS, &self->bucket_seconds, error) ||
      !_tandem_layout_read_uint (object, "window_points", path, 0, TANDEM_WIDGET_MAX_WINDOW_POINTS, &self->window_points, error) ||
      !_tandem_layout_read_uint (object, "window_seconds", path, 0, TANDEM_WIDGET_MAX_WINDOW_SECONDS, &self->window_seconds, error) ||
      !_tandem_layout_read_bool (object, "broadcast", path, &self->broadcast, error) ||
      !_tandem_layout_read_uint (object, "x", path, 0, TANDEM_WIDGET_MAX_GRID, &self->x, error) ||
      !_tandem_layout_read_uint (object, "y", path, 0, TANDEM_WIDGET_MAX_GRID, &self->y, error) ||
      !_tandem_layout_read_uint (object, "width", path, 1, TANDEM_WIDGET_MAX_SPAN, &self->width, error) ||
      !_tandem_layout_read_uint (object, "height", path, 1, TANDEM_WIDGET_MAX_SPAN, &self->height, error))
    return NULL;

  series = json_object_get_member (object, "series");
  if (series != NULL)
    {
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (series))
        {
          _tandem_layout_fail_type (error, path, "series", _("an array"));
          return NULL;
        }
      array = json_node_get_array (series);
      n = json_array_get_length (array);
      if (n > TANDEM_WIDGET_MAX_SERIES)
        {
          g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_TOO_LARGE,
                       _("%s.series: more than %u series"), path, TANDEM_WIDGET_MAX_SERIES);
          return NULL;
        }
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *series_path = g_strdup_printf ("%s.series[%u]", path, i);
          TandemSeriesSpec *spec = _tandem_series_spec_from_json (json_array_get_element (array, i), series_path, error);

          if (spec == NULL)
            return NULL;
          g_ptr_array_add (self->series, spec);
        }
    }

  /* A window given only in seconds has no point limit. */
  if (json_object_get_member (object, "window_points") == NULL && self->window_seconds > 0)
    self->window_points = 0;
  if (!widget_validate (self, path, error))
    return NULL;
  self->extras = _tandem_layout_collect_extras (object, widget_members);
  return g_steal_pointer (&self);
}

static void
add_uint (JsonBuilder *builder,
          const char  *name,
          guint        value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
_tandem_widget_spec_to_json (TandemWidgetSpec *self,
                             JsonBuilder      *builder)
{
  if (self->raw != NULL)
    {
      json_builder_add_value (builder, json_node_copy (self->raw));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, self->kind_name);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "series");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->series->len; i++)
    _tandem_series_spec_to_json (self->series->pdata[i], builder);
  json_builder_end_array (builder);
  add_uint (builder, "bucket_seconds", self->bucket_seconds);
  add_uint (builder, "window_points", self->window_points);
  add_uint (builder, "window_seconds", self->window_seconds);
  json_builder_set_member_name (builder, "broadcast");
  json_builder_add_boolean_value (builder, self->broadcast);
  add_uint (builder, "x", self->x);
  add_uint (builder, "y", self->y);
  add_uint (builder, "width", self->width);
  add_uint (builder, "height", self->height);
  _tandem_layout_add_extras (builder, self->extras);
  json_builder_end_object (builder);
}
