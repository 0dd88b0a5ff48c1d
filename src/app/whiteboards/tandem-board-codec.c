/* tandem-board-codec.c: whiteboard events and rows to and from JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <math.h>

#include "tandem-board-codec.h"
#include "tandem-stroke-private.h"

G_DEFINE_QUARK (tandem-board-codec-error-quark, tandem_board_codec_error)

/* The messages here go to logs (a peer's bad message is not the user's
 * business), so they are not translated. */
#define INVALID(error, ...) \
  (g_set_error ((error), TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_INVALID, __VA_ARGS__), FALSE)
#define TOO_LARGE(error, ...) \
  (g_set_error ((error), TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_TOO_LARGE, __VA_ARGS__), FALSE)

/* ---- reading, each helper refusing what is not exactly right ---- */

/* The member, or NULL when absent or JSON null (optional fields). */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     required,
             guint        max_chars,
             char       **out,
             GError     **error)
{
  JsonNode *node = member (object, name);
  const char *value;

  if (node == NULL)
    return required ? INVALID (error, "“%s” is missing", name) : TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return INVALID (error, "“%s” is not a string", name);
  value = json_node_get_string (node);
  if (!g_utf8_validate (value, -1, NULL))
    return INVALID (error, "“%s” is not UTF-8", name);
  if (g_utf8_strlen (value, -1) > max_chars)
    return TOO_LARGE (error, "“%s” is longer than %u characters", name, max_chars);
  g_free (*out);
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_uuid (JsonObject  *object,
           const char  *name,
           char       **out,
           GError     **error)
{
  g_autofree char *value = NULL;

  if (!read_string (object, name, TRUE, 1000, &value, error))
    return FALSE;
  if (!g_uuid_string_is_valid (value))
    return INVALID (error, "“%s” is not a UUID", name);
  /* Lowercase, so ids compare equal however a peer spelled them. */
  *out = g_ascii_strdown (value, -1);
  return TRUE;
}

static gboolean
node_number (JsonNode *node,
             double   *out)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  /* json-glib reads 1e999 as infinity. */
  return isfinite (*out);
}

static gboolean
read_number (JsonObject *object,
             const char *name,
             double      min,
             double      max,
             double     *out,
             GError    **error)
{
  JsonNode *node = member (object, name);
  double value;

  if (node == NULL)
    return INVALID (error, "“%s” is missing", name);
  if (!node_number (node, &value))
    return INVALID (error, "“%s” is not a finite number", name);
  if (value < min || value > max)
    return INVALID (error, "“%s” is out of range", name);
  *out = value;
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *name,
          gint64      min,
          gint64      max,
          gint64     *out,
          GError    **error)
{
  JsonNode *node = member (object, name);
  gint64 value;

  if (node == NULL)
    return INVALID (error, "“%s” is missing", name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return INVALID (error, "“%s” is not an integer", name);
  value = json_node_get_int (node);
  if (value < min || value > max)
    return INVALID (error, "“%s” is out of range", name);
  *out = value;
  return TRUE;
}

static gboolean
read_bool (JsonObject *object,
           const char *name,
           gboolean   *out,
           GError    **error)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    {
      *out = FALSE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return INVALID (error, "“%s” is not a boolean", name);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_color (JsonObject  *object,
            const char  *name,
            gboolean     required,
            char       **out,
            GError     **error)
{
  g_autofree char *value = NULL;
  g_autofree char *lower = NULL;

  if (!read_string (object, name, required, 9, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  lower = g_ascii_strdown (value, -1);
  if (!tandem_stroke_color_is_valid (lower))
    return INVALID (error, "“%s” is not a #rrggbb color", name);
  *out = g_steal_pointer (&lower);
  return TRUE;
}

/* Flat [x, y, pressure, …] scaled integers (or numbers) into @points. */
static gboolean
read_points (JsonNode  *node,
             guint      max_points,
             GArray    *points,
             GError   **error)
{
  const double max_coordinate = TANDEM_STROKE_MAX_COORDINATE * TANDEM_BOARD_CODEC_SCALE;
  JsonArray *array;
  guint length;

  if (node == NULL)
    return INVALID (error, "“points” is missing");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return INVALID (error, "“points” is not an array");
  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length % 3 != 0)
    return INVALID (error, "“points” is not made of (x, y, pressure) triples");
  if (length / 3 > max_points)
    return TOO_LARGE (error, "more than %u points", max_points);

  g_array_set_size (points, length / 3);
  for (guint i = 0; i < length; i += 3)
    {
      double v[3];

      for (guint j = 0; j < 3; j++)
        if (!node_number (json_array_get_element (array, i + j), &v[j]))
          return INVALID (error, "point %u is not made of finite numbers", i / 3);
      if (fabs (v[0]) > max_coordinate || fabs (v[1]) > max_coordinate)
        return INVALID (error, "point %u is off the board", i / 3);
      if (v[2] < 0 || v[2] > TANDEM_BOARD_CODEC_SCALE)
        return INVALID (error, "point %u has a pressure outside 0..1", i / 3);
      g_array_index (points, TandemPoint, i / 3) = (TandemPoint) {
        v[0] / TANDEM_BOARD_CODEC_SCALE, v[1] / TANDEM_BOARD_CODEC_SCALE, v[2] / TANDEM_BOARD_CODEC_SCALE,
      };
    }
  return TRUE;
}

static gboolean
read_ids (JsonObject  *object,
          GStrv       *out,
          GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = member (object, "ids");
  JsonArray *array;
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return INVALID (error, "“ids” is not an array");
  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length == 0)
    return INVALID (error, "“ids” is empty");
  if (length > TANDEM_BOARD_CODEC_MAX_IDS)
    return TOO_LARGE (error, "more than %u ids", TANDEM_BOARD_CODEC_MAX_IDS);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return INVALID (error, "id %u is not a string", i);
      id = json_node_get_string (element);
      if (!g_uuid_string_is_valid (id))
        return INVALID (error, "id %u is not a UUID", i);
      {
        g_autofree char *lower = g_ascii_strdown (id, -1);

        g_strv_builder_add (builder, lower);
      }
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* The style and key of a stroke, shared by start and rows. */
static gboolean
read_stroke_header (JsonObject        *object,
                    const char        *started_at_member,
                    TandemBoardEvent  *event,
                    GError           **error)
{
  g_autofree char *tool = NULL;

  if (!read_string (object, "tool", TRUE, 16, &tool, error))
    return FALSE;
  if (!tandem_tool_from_string (tool, &event->tool))
    return INVALID (error, "“%s” is not a drawing tool", tool);
  if (!read_color (object, "color", TRUE, &event->color, error) ||
      !read_number (object, "width", 0, TANDEM_STROKE_MAX_WIDTH, &event->width, error) ||
      !read_int (object, started_at_member, 1, G_MAXINT64, &event->started_at, error) ||
      !read_string (object, "text", FALSE, TANDEM_STROKE_MAX_TEXT, &event->text, error))
    return FALSE;
  if (event->width <= 0)
    return INVALID (error, "“width” is not positive");
  if (event->tool != TANDEM_TOOL_TEXT)
    g_clear_pointer (&event->text, g_free);
  return TRUE;
}

static gboolean
decode_object (JsonObject        *object,
               TandemBoardEvent  *event,
               GError           **error)
{
  gint64 value;

  switch (event->kind)
    {
    case TANDEM_BOARD_EVENT_START:
      if (!read_uuid (object, "id", &event->id, error) ||
          !read_uuid (object, "author", &event->user, error) ||
          !read_stroke_header (object, "started_at", event, error))
        return FALSE;
      /* A start may come without points (a text) */
      if (member (object, "points") != NULL &&
          !read_points (member (object, "points"), TANDEM_BOARD_CODEC_MAX_POINTS, event->points, error))
        return FALSE;
      return TRUE;

    case TANDEM_BOARD_EVENT_DRAW:
      if (!read_uuid (object, "id", &event->id, error) ||
          !read_uuid (object, "author", &event->user, error) ||
          !read_int (object, "index", 0, TANDEM_STROKE_MAX_POINTS, &value, error) ||
          !read_points (member (object, "points"), TANDEM_BOARD_CODEC_MAX_POINTS, event->points, error))
        return FALSE;
      event->index = (guint) value;
      if (event->index + event->points->len > TANDEM_STROKE_MAX_POINTS)
        return TOO_LARGE (error, "a stroke of more than %u points", TANDEM_STROKE_MAX_POINTS);
      return TRUE;

    case TANDEM_BOARD_EVENT_END:
      if (!read_uuid (object, "id", &event->id, error) ||
          !read_uuid (object, "author", &event->user, error) ||
          !read_int (object, "n_points", 0, TANDEM_STROKE_MAX_POINTS, &value, error))
        return FALSE;
      event->n_points = (guint) value;
      return TRUE;

    case TANDEM_BOARD_EVENT_ERASE:
    case TANDEM_BOARD_EVENT_RESTORE:
    case TANDEM_BOARD_EVENT_SAVED:
      if (!read_uuid (object, "by", &event->user, error) ||
          !read_ids (object, &event->ids, error))
        return FALSE;
      if (event->kind != TANDEM_BOARD_EVENT_SAVED &&
          !read_int (object, "stamp", 1, G_MAXINT64, &event->stamp, error))
        return FALSE;
      return event->kind != TANDEM_BOARD_EVENT_ERASE || read_bool (object, "clear", &event->clear, error);

    case TANDEM_BOARD_EVENT_CURSOR:
      {
        const double max_coordinate = TANDEM_STROKE_MAX_COORDINATE * TANDEM_BOARD_CODEC_SCALE;

        if (!read_uuid (object, "user", &event->user, error) ||
            !read_number (object, "x", -max_coordinate, max_coordinate, &event->x, error) ||
            !read_number (object, "y", -max_coordinate, max_coordinate, &event->y, error) ||
            !read_string (object, "name", FALSE, TANDEM_BOARD_CODEC_MAX_NAME, &event->name, error) ||
            !read_color (object, "color", FALSE, &event->color, error))
          return FALSE;
        event->x /= TANDEM_BOARD_CODEC_SCALE;
        event->y /= TANDEM_BOARD_CODEC_SCALE;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

TandemBoardEvent *
tandem_board_codec_decode (const char  *event,
                           JsonNode    *payload,
                           GError     **error)
{
  g_autoptr(TandemBoardEvent) decoded = NULL;
  TandemBoardEventKind kind;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tandem_board_event_kind_from_string (event, &kind))
    {
      g_set_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_UNKNOWN_EVENT,
                   "“%s” is not a whiteboard event", event ? event : "(null)");
      return NULL;
    }
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    {
      g_set_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_INVALID,
                   "the payload of “%s” is not an object", event);
      return NULL;
    }
  decoded = tandem_board_event_new (kind);
  if (!decode_object (json_node_get_object (payload), decoded, error))
    return NULL;
  return g_steal_pointer (&decoded);
}

/* ---- writing ---- */

static void
add_points (JsonBuilder       *builder,
            const TandemPoint *points,
            guint              n_points)
{
  json_builder_set_member_name (builder, "points");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_points; i++)
    {
      json_builder_add_int_value (builder, (gint64) lround (points[i].x * TANDEM_BOARD_CODEC_SCALE));
      json_builder_add_int_value (builder, (gint64) lround (points[i].y * TANDEM_BOARD_CODEC_SCALE));
      json_builder_add_int_value (builder, (gint64) lround (CLAMP (points[i].pressure, 0.0, 1.0) *
                                                            TANDEM_BOARD_CODEC_SCALE));
    }
  json_builder_end_array (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_stroke_header (JsonBuilder  *builder,
                   TandemStroke *stroke)
{
  add_string (builder, "tool", tandem_tool_to_string (tandem_stroke_get_tool (stroke)));
  add_string (builder, "color", tandem_stroke_get_color (stroke));
  json_builder_set_member_name (builder, "width");
  /* Quarter units print short and exactly. */
  json_builder_add_double_value (builder, round (tandem_stroke_get_width (stroke) * 4) / 4);
  json_builder_set_member_name (builder, "started_at");
  json_builder_add_int_value (builder, tandem_stroke_get_started_at (stroke));
  if (tandem_stroke_get_text (stroke) != NULL)
    add_string (builder, "text", tandem_stroke_get_text (stroke));
}

JsonNode *
tandem_board_codec_encode_start (TandemStroke *stroke,
                                 guint         n_points)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const TandemPoint *points;
  guint total;

  g_return_val_if_fail (TANDEM_IS_STROKE (stroke), NULL);

  points = tandem_stroke_get_points (stroke, &total);
  n_points = MIN (MIN (n_points, total), TANDEM_BOARD_CODEC_MAX_POINTS);
  json_builder_begin_object (builder);
  add_string (builder, "id", tandem_stroke_get_id (stroke));
  add_string (builder, "author", tandem_stroke_get_author (stroke));
  add_stroke_header (builder, stroke);
  add_points (builder, points, n_points);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
tandem_board_codec_encode_draw (TandemStroke *stroke,
                                guint         index,
                                guint         n_points)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const TandemPoint *points;
  guint total;

  g_return_val_if_fail (TANDEM_IS_STROKE (stroke), NULL);

  points = tandem_stroke_get_points (stroke, &total);
  index = MIN (index, total);
  n_points = MIN (MIN (n_points, total - index), TANDEM_BOARD_CODEC_MAX_POINTS);
  json_builder_begin_object (builder);
  add_string (builder, "id", tandem_stroke_get_id (stroke));
  add_string (builder, "author", tandem_stroke_get_author (stroke));
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, index);
  add_points (builder, points + index, n_points);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
tandem_board_codec_encode_end (TandemStroke *stroke)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TANDEM_IS_STROKE (stroke), NULL);

  json_builder_begin_object (builder);
  add_string (builder, "id", tandem_stroke_get_id (stroke));
  add_string (builder, "author", tandem_stroke_get_author (stroke));
  json_builder_set_member_name (builder, "n_points");
  json_builder_add_int_value (builder, tandem_stroke_get_n_points (stroke));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
tandem_board_codec_encode_ids (TandemBoardEventKind  kind,
                               const char           *user,
                               const char * const   *ids,
                               guint                 n_ids,
                               gboolean              clear,
                               gint64                stamp)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (kind == TANDEM_BOARD_EVENT_ERASE || kind == TANDEM_BOARD_EVENT_RESTORE ||
                        kind == TANDEM_BOARD_EVENT_SAVED, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (n_ids <= TANDEM_BOARD_CODEC_MAX_IDS, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "by", user);
  json_builder_set_member_name (builder, "ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_ids; i++)
    json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);
  if (kind != TANDEM_BOARD_EVENT_SAVED)
    {
      json_builder_set_member_name (builder, "stamp");
      json_builder_add_int_value (builder, stamp);
    }
  if (kind == TANDEM_BOARD_EVENT_ERASE && clear)
    {
      json_builder_set_member_name (builder, "clear");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
tandem_board_codec_encode_cursor (const char *user,
                                  double      x,
                                  double      y,
                                  const char *name,
                                  const char *color)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const double limit = TANDEM_STROKE_MAX_COORDINATE;

  g_return_val_if_fail (user != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "user", user);
  json_builder_set_member_name (builder, "x");
  json_builder_add_int_value (builder, (gint64) lround (CLAMP (x, -limit, limit) * TANDEM_BOARD_CODEC_SCALE));
  json_builder_set_member_name (builder, "y");
  json_builder_add_int_value (builder, (gint64) lround (CLAMP (y, -limit, limit) * TANDEM_BOARD_CODEC_SCALE));
  if (name != NULL)
    add_string (builder, "name", name);
  if (color != NULL)
    add_string (builder, "color", color);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- rows ---- */

JsonNode *
tandem_board_codec_stroke_to_row (TandemStroke *stroke,
                                  const char   *board_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const TandemPoint *points;
  guint n_points;

  g_return_val_if_fail (TANDEM_IS_STROKE (stroke), NULL);
  g_return_val_if_fail (board_id != NULL, NULL);

  points = tandem_stroke_get_points (stroke, &n_points);
  json_builder_begin_object (builder);
  add_string (builder, "id", tandem_stroke_get_id (stroke));
  add_string (builder, "board_id", board_id);
  add_string (builder, "author", tandem_stroke_get_author (stroke));
  add_stroke_header (builder, stroke);
  add_points (builder, points, n_points);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

TandemStroke *
tandem_board_codec_stroke_from_row (JsonNode  *row,
                                    GError   **error)
{
  g_autoptr(TandemBoardEvent) fields = tandem_board_event_new (TANDEM_BOARD_EVENT_START);
  g_autoptr(TandemStroke) stroke = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (row == NULL || !JSON_NODE_HOLDS_OBJECT (row))
    {
      g_set_error_literal (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_INVALID,
                           "a stroke row is not an object");
      return NULL;
    }
  object = json_node_get_object (row);
  if (!read_uuid (object, "id", &fields->id, error) ||
      !read_stroke_header (object, "started_at", fields, error) ||
      !read_points (member (object, "points"), TANDEM_STROKE_MAX_POINTS, fields->points, error))
    return NULL;
  /* A deleted account leaves strokes without an author. */
  if (member (object, "author") != NULL && !read_uuid (object, "author", &fields->user, error))
    return NULL;

  stroke = tandem_stroke_new (fields->id, fields->user, fields->tool, fields->color, fields->width,
                              fields->started_at);
  _tandem_stroke_set_points_from (stroke, 0, (const TandemPoint *) (gpointer) fields->points->data,
                                  fields->points->len);
  _tandem_stroke_set_text (stroke, fields->text);
  _tandem_stroke_set_finished (stroke, TRUE);
  return g_steal_pointer (&stroke);
}
