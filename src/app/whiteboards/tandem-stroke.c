/* tandem-stroke.c: one stroke of a whiteboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-stroke-private.h"

/**
 * TandemStroke:
 *
 * One stroke: its key (id, author, start time, which never change), how
 * it is drawn (tool, color, width), its points with pressure, the text of a
 * text stroke, and whether its author finished it. A canvas reads strokes
 * from a #TandemBoardModel; only the model changes them.
 */
struct _TandemStroke
{
  GObject     parent_instance;

  char       *id;
  char       *author;
  TandemTool  tool;
  char       *color;
  double      width;
  gint64      started_at;
  char       *text;

  GArray     *points;   /* TandemPoint */
  /* The points' extent (without the width), kept as points are added so
   * a canvas can ask for it on every frame. */
  double      min_x, min_y, max_x, max_y;

  guint       finished : 1;
  guint       complete : 1;

  gpointer    iter;     /* the model's GSequenceIter while visible */
};

G_DEFINE_FINAL_TYPE (TandemStroke, tandem_stroke, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_AUTHOR,
  PROP_TOOL,
  PROP_COLOR,
  PROP_WIDTH,
  PROP_STARTED_AT,
  PROP_TEXT,
  PROP_FINISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tandem_stroke_finalize (GObject *object)
{
  TandemStroke *self = TANDEM_STROKE (object);

  g_free (self->id);
  g_free (self->author);
  g_free (self->color);
  g_free (self->text);
  g_array_unref (self->points);

  G_OBJECT_CLASS (tandem_stroke_parent_class)->finalize (object);
}

static void
tandem_stroke_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TandemStroke *self = TANDEM_STROKE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_TOOL:
      g_value_set_enum (value, self->tool);
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    case PROP_WIDTH:
      g_value_set_double (value, self->width);
      break;
    case PROP_STARTED_AT:
      g_value_set_int64 (value, self->started_at);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_stroke_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TandemStroke *self = TANDEM_STROKE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_AUTHOR:
      self->author = g_value_dup_string (value);
      break;
    case PROP_TOOL:
      self->tool = g_value_get_enum (value);
      break;
    case PROP_COLOR:
      self->color = g_value_dup_string (value);
      break;
    case PROP_WIDTH:
      self->width = g_value_get_double (value);
      break;
    case PROP_STARTED_AT:
      self->started_at = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_stroke_class_init (TandemStrokeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tandem_stroke_finalize;
  object_class->get_property = tandem_stroke_get_property;
  object_class->set_property = tandem_stroke_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, construct);
  properties[PROP_TOOL] = g_param_spec_enum ("tool", NULL, NULL, TANDEM_TYPE_TOOL, TANDEM_TOOL_PEN, construct);
  properties[PROP_COLOR] = g_param_spec_string ("color", NULL, NULL, "#000000", construct);
  properties[PROP_WIDTH] = g_param_spec_double ("width", NULL, NULL, 0, TANDEM_STROKE_MAX_WIDTH, 2, construct);
  properties[PROP_STARTED_AT] = g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, construct);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_stroke_init (TandemStroke *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (TandemPoint));
  self->complete = TRUE;
  self->min_x = self->min_y = INFINITY;
  self->max_x = self->max_y = -INFINITY;
}

TandemStroke *
tandem_stroke_new (const char *id,
                   const char *author,
                   TandemTool  tool,
                   const char *color,
                   double      width,
                   gint64      started_at)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (tool != TANDEM_TOOL_ERASER, NULL);
  g_return_val_if_fail (tandem_stroke_color_is_valid (color), NULL);

  return g_object_new (TANDEM_TYPE_STROKE,
                       "id", id,
                       "author", author ? author : "",
                       "tool", tool,
                       "color", color,
                       "width", CLAMP (width, 0.0, TANDEM_STROKE_MAX_WIDTH),
                       "started-at", MAX (started_at, 0),
                       NULL);
}

TandemStroke *
tandem_stroke_copy (TandemStroke *self)
{
  TandemStroke *copy;

  g_return_val_if_fail (TANDEM_IS_STROKE (self), NULL);

  copy = tandem_stroke_new (self->id, self->author, self->tool, self->color, self->width, self->started_at);
  _tandem_stroke_take_content (copy, self);
  return copy;
}

const char *
tandem_stroke_get_id (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), NULL);
  return self->id;
}

const char *
tandem_stroke_get_author (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), NULL);
  return self->author;
}

TandemTool
tandem_stroke_get_tool (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), TANDEM_TOOL_PEN);
  return self->tool;
}

const char *
tandem_stroke_get_color (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), NULL);
  return self->color;
}

static int
hex_digit (char c)
{
  return g_ascii_xdigit_value (c);
}

void
tandem_stroke_get_rgba (TandemStroke *self,
                        double       *rgba)
{
  const char *c;

  g_return_if_fail (TANDEM_IS_STROKE (self));
  g_return_if_fail (rgba != NULL);

  c = self->color + 1;
  for (guint i = 0; i < 3; i++)
    rgba[i] = (hex_digit (c[2 * i]) * 16 + hex_digit (c[2 * i + 1])) / 255.0;
  rgba[3] = strlen (c) == 8 ? (hex_digit (c[6]) * 16 + hex_digit (c[7])) / 255.0 : 1.0;
}

double
tandem_stroke_get_width (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), 0);
  return self->width;
}

gint64
tandem_stroke_get_started_at (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), 0);
  return self->started_at;
}

const char *
tandem_stroke_get_text (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), NULL);
  return self->text;
}

guint
tandem_stroke_get_n_points (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), 0);
  return self->points->len;
}

const TandemPoint *
tandem_stroke_get_points (TandemStroke *self,
                          guint        *n_points)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), NULL);

  if (n_points != NULL)
    *n_points = self->points->len;
  return (const TandemPoint *) (gpointer) self->points->data;
}

double
tandem_stroke_get_width_at (TandemStroke *self,
                            guint         index)
{
  const TandemPoint *p;
  double pressure;

  g_return_val_if_fail (TANDEM_IS_STROKE (self), 0);

  if (self->tool != TANDEM_TOOL_PEN || index >= self->points->len)
    return self->width;
  p = &g_array_index (self->points, TandemPoint, index);
  pressure = p->pressure;
  if (index + 1 < self->points->len)
    pressure = (pressure + p[1].pressure) / 2;
  /* Never thinner than a quarter, so a light touch still shows. */
  return self->width * (0.25 + 0.75 * CLAMP (pressure, 0.0, 1.0));
}

/* A text's box, guessed from its length: the canvas measures the real one
 * with Pango; this is for hit tests and exports without a font. */
static void
text_extent (TandemStroke *self,
             double       *width,
             double       *height)
{
  guint lines = 1, longest = 0, current = 0;

  for (const char *c = self->text ? self->text : ""; *c != '\0'; c = g_utf8_next_char (c))
    {
      if (*c == '\n')
        {
          lines++;
          current = 0;
          continue;
        }
      current++;
      longest = MAX (longest, current);
    }
  *width = 0.6 * self->width * longest;
  *height = 1.25 * self->width * lines;
}

void
tandem_stroke_get_bounds (TandemStroke *self,
                          TandemRect   *bounds)
{
  double margin;

  g_return_if_fail (TANDEM_IS_STROKE (self));
  g_return_if_fail (bounds != NULL);

  if (self->points->len == 0)
    {
      *bounds = (TandemRect) { 0, 0, 0, 0 };
      return;
    }
  if (self->tool == TANDEM_TOOL_TEXT)
    {
      bounds->x = self->min_x;
      bounds->y = self->min_y;
      text_extent (self, &bounds->width, &bounds->height);
      return;
    }
  margin = self->width / 2;
  bounds->x = self->min_x - margin;
  bounds->y = self->min_y - margin;
  bounds->width = self->max_x - self->min_x + 2 * margin;
  bounds->height = self->max_y - self->min_y + 2 * margin;
}

gboolean
tandem_stroke_get_finished (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), FALSE);
  return self->finished;
}

gboolean
tandem_stroke_get_complete (TandemStroke *self)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), FALSE);
  return self->complete;
}

static double
segment_distance (double px, double py,
                  double ax, double ay,
                  double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double length2 = dx * dx + dy * dy;
  double t = length2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / length2 : 0;

  t = CLAMP (t, 0.0, 1.0);
  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

static gboolean
polyline_hit (const TandemPoint *p,
              guint              n,
              gboolean           closed,
              double             x,
              double             y,
              double             reach)
{
  if (n == 1)
    return hypot (x - p[0].x, y - p[0].y) <= reach;
  for (guint i = 0; i + 1 < n; i++)
    if (segment_distance (x, y, p[i].x, p[i].y, p[i + 1].x, p[i + 1].y) <= reach)
      return TRUE;
  return closed && n > 2 && segment_distance (x, y, p[n - 1].x, p[n - 1].y, p[0].x, p[0].y) <= reach;
}

gboolean
tandem_stroke_hit (TandemStroke *self,
                   double        x,
                   double        y,
                   double        radius)
{
  const TandemPoint *p;
  guint n;
  double reach;
  TandemRect bounds;

  g_return_val_if_fail (TANDEM_IS_STROKE (self), FALSE);

  p = tandem_stroke_get_points (self, &n);
  if (n == 0)
    return FALSE;
  tandem_stroke_get_bounds (self, &bounds);
  if (x < bounds.x - radius || y < bounds.y - radius ||
      x > bounds.x + bounds.width + radius || y > bounds.y + bounds.height + radius)
    return FALSE;
  reach = radius + self->width / 2;

  switch (self->tool)
    {
    case TANDEM_TOOL_TEXT:
      return TRUE;  /* within the box, checked above */
    case TANDEM_TOOL_RECTANGLE:
      if (n < 2)
        return polyline_hit (p, 1, FALSE, x, y, reach);
      {
        TandemPoint corners[4] = {
          { p[0].x, p[0].y, 1 }, { p[1].x, p[0].y, 1 }, { p[1].x, p[1].y, 1 }, { p[0].x, p[1].y, 1 },
        };

        return polyline_hit (corners, 4, TRUE, x, y, reach);
      }
    case TANDEM_TOOL_ELLIPSE:
      if (n < 2)
        return polyline_hit (p, 1, FALSE, x, y, reach);
      {
        /* The outline as a 64-sided polygon: close enough to erase by. */
        TandemPoint outline[64];
        double cx = (p[0].x + p[1].x) / 2, cy = (p[0].y + p[1].y) / 2;
        double rx = fabs (p[1].x - p[0].x) / 2, ry = fabs (p[1].y - p[0].y) / 2;

        for (guint i = 0; i < G_N_ELEMENTS (outline); i++)
          {
            double angle = 2 * G_PI * i / G_N_ELEMENTS (outline);

            outline[i] = (TandemPoint) { cx + rx * cos (angle), cy + ry * sin (angle), 1 };
          }
        return polyline_hit (outline, G_N_ELEMENTS (outline), TRUE, x, y, reach);
      }
    case TANDEM_TOOL_LINE:
      return polyline_hit (p, MIN (n, 2), FALSE, x, y, reach);
    case TANDEM_TOOL_PEN:
    case TANDEM_TOOL_HIGHLIGHTER:
    case TANDEM_TOOL_ERASER:
    default:
      return polyline_hit (p, n, FALSE, x, y, reach);
    }
}

int
tandem_stroke_compare (TandemStroke *a,
                       TandemStroke *b)
{
  int result;

  if (a->started_at != b->started_at)
    return a->started_at < b->started_at ? -1 : 1;
  if ((result = strcmp (a->author, b->author)) != 0)
    return result;
  return strcmp (a->id, b->id);
}

gboolean
tandem_stroke_color_is_valid (const char *color)
{
  gsize length;

  if (color == NULL || color[0] != '#')
    return FALSE;
  length = strlen (color + 1);
  if (length != 6 && length != 8)
    return FALSE;
  for (gsize i = 1; i <= length; i++)
    if (!g_ascii_isxdigit (color[i]) || g_ascii_isupper (color[i]))
      return FALSE;
  return TRUE;
}

/* ---- changed by the model ---- */

static void
extend_extent (TandemStroke      *self,
               const TandemPoint *points,
               guint              n_points)
{
  for (guint i = 0; i < n_points; i++)
    {
      self->min_x = MIN (self->min_x, points[i].x);
      self->min_y = MIN (self->min_y, points[i].y);
      self->max_x = MAX (self->max_x, points[i].x);
      self->max_y = MAX (self->max_y, points[i].y);
    }
}

gboolean
_tandem_stroke_set_points_from (TandemStroke      *self,
                                guint              index,
                                const TandemPoint *points,
                                guint              n_points)
{
  g_return_val_if_fail (TANDEM_IS_STROKE (self), FALSE);
  g_return_val_if_fail (points != NULL || n_points == 0, FALSE);

  if (index > self->points->len || (gsize) index + n_points > TANDEM_STROKE_MAX_POINTS)
    return FALSE;

  if (index < self->points->len)
    {
      g_array_set_size (self->points, index);
      /* Shrinking loses the extent; shapes (two points) are the usual
       * case, so recomputing is cheap. */
      self->min_x = self->min_y = INFINITY;
      self->max_x = self->max_y = -INFINITY;
      extend_extent (self, (const TandemPoint *) (gpointer) self->points->data, self->points->len);
    }
  g_array_append_vals (self->points, points, n_points);
  extend_extent (self, points, n_points);
  return TRUE;
}

void
_tandem_stroke_set_text (TandemStroke *self,
                         const char   *text)
{
  g_return_if_fail (TANDEM_IS_STROKE (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

void
_tandem_stroke_set_finished (TandemStroke *self,
                             gboolean      finished)
{
  g_return_if_fail (TANDEM_IS_STROKE (self));

  finished = !!finished;
  if (self->finished == (guint) finished)
    return;
  self->finished = finished;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

void
_tandem_stroke_set_complete (TandemStroke *self,
                             gboolean      complete)
{
  g_return_if_fail (TANDEM_IS_STROKE (self));
  self->complete = !!complete;
}

void
_tandem_stroke_take_content (TandemStroke *self,
                             TandemStroke *from)
{
  g_return_if_fail (TANDEM_IS_STROKE (self));
  g_return_if_fail (TANDEM_IS_STROKE (from));

  if (self == from)
    return;
  g_array_set_size (self->points, 0);
  self->min_x = self->min_y = INFINITY;
  self->max_x = self->max_y = -INFINITY;
  _tandem_stroke_set_points_from (self, 0, (const TandemPoint *) (gpointer) from->points->data, from->points->len);
  _tandem_stroke_set_text (self, from->text);
  self->complete = from->complete;
  _tandem_stroke_set_finished (self, from->finished);
}

gpointer
_tandem_stroke_get_iter (TandemStroke *self)
{
  return self->iter;
}

void
_tandem_stroke_set_iter (TandemStroke *self,
                         gpointer      iter)
{
  self->iter = iter;
}
