/* tandem-dashboard-layout-private.h: the layout specs' structures and the
 * strict JSON readers they share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-dashboard-layout.h"

G_BEGIN_DECLS

struct _TandemSeriesSpec
{
  gint               ref_count;
  char              *label;
  char              *table;
  char              *filter;
  char              *time_column;
  char              *value_column;
  TandemAggregation  aggregation;
  JsonNode          *extras;        /* unknown members, or NULL */
};

struct _TandemWidgetSpec
{
  gint              ref_count;
  char             *id;
  char             *kind_name;
  TandemWidgetKind  kind;
  char             *title;
  GPtrArray        *series;         /* of TandemSeriesSpec */
  guint             bucket_seconds;
  guint             window_points;
  guint             window_seconds;
  gboolean          broadcast;
  guint             x;
  guint             y;
  guint             width;
  guint             height;
  JsonNode         *extras;         /* unknown members, or NULL */
  JsonNode         *raw;            /* an unsupported kind's object, as read */
};

struct _TandemDashboardLayout
{
  gint       ref_count;
  GPtrArray *widgets;               /* of TandemWidgetSpec */
  JsonNode  *extras;
};

#define STRING_ACCESSORS(Type, type, field)                             \
  const char *                                                          \
  tandem_##type##_get_##field (Type *self)                              \
  {                                                                     \
    g_return_val_if_fail (self != NULL, NULL);                          \
    return self->field;                                                 \
  }

/* Errors name the member by @path ("widgets[1]") and @member. Each reader
 * leaves *@out as it is (the default) when the member is missing. */
gboolean          _tandem_layout_fail_type      (GError            **error,
                                                 const char         *path,
                                                 const char         *member,
                                                 const char         *expected);
gboolean          _tandem_layout_read_string    (JsonObject         *object,
                                                 const char         *member,
                                                 const char         *path,
                                                 gboolean            required,
                                                 char              **out,
                                                 GError            **error);
gboolean          _tandem_layout_read_uint      (JsonObject         *object,
                                                 const char         *member,
                                                 const char         *path,
                                                 guint               min,
                                                 guint               max,
                                                 guint              *out,
                                                 GError            **error);
gboolean          _tandem_layout_read_bool      (JsonObject         *object,
                                                 const char         *member,
                                                 const char         *path,
                                                 gboolean           *out,
                                                 GError            **error);
JsonNode         *_tandem_layout_collect_extras (JsonObject         *object,
                                                 const char * const *known);
void              _tandem_layout_add_extras     (JsonBuilder        *builder,
                                                 JsonNode           *extras);
gboolean          _tandem_layout_extras_equal   (JsonNode           *a,
                                                 JsonNode           *b);
void              _tandem_layout_set_string     (char              **field,
                                                 const char         *value);

TandemSeriesSpec *_tandem_series_spec_from_json (JsonNode           *node,
                                                 const char         *path,
                                                 GError            **error);
void              _tandem_series_spec_to_json   (TandemSeriesSpec   *self,
                                                 JsonBuilder        *builder);
gboolean          _tandem_series_spec_validate  (TandemSeriesSpec   *self,
                                                 const char         *path,
                                                 GError            **error);
TandemWidgetSpec *_tandem_widget_spec_from_json (JsonNode           *node,
                                                 const char         *path,
                                                 GError            **error);
void              _tandem_widget_spec_to_json   (TandemWidgetSpec   *self,
                                                 JsonBuilder        *builder);

G_END_DECLS
