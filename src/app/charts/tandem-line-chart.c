/* tandem-line-chart.c
 *
 * Three layers: the grid and axes, the lines, and the pointer (a
 * crosshair and a dot per series). The lines layer decimates each series
 * to one min/max column per pixel, so its cost follows the width, and
 * draws them in one cairo node (GTK 4.8 has no GskPath): dense columns as
 * bars through a coverage mask, the rest as stroked segments (see
 * draw_series()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-line-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tandem-line-chart.h"
#include "tandem-chart-frame-private.h"
#include "tandem-chart-style.h"
#include "tandem-decimate.h"
#include "tandem-series.h"

#define LINE_WIDTH 2.0
#define DOT_RADIUS 4.0

struct _TandemLineChart
{
  TandemChart        parent_instance;

  TandemChartLabels  labels;
  TandemChartFrame   frame;        /* as of the last grid layer draw */
  TandemColumn      *columns;
  struct _Bar       *bars;         /* one per column, see draw_series() */
  guint              n_columns;
};

G_DEFINE_FINAL_TYPE (TandemLineChart, tandem_line_chart, TANDEM_TYPE_CHART)

/* Every layer of one frame computes the same geometry; the grid layer
 * (first) computes it and the others reuse it when the size matches. */
static const TandemChartFrame *
get_frame (TandemLineChart *self,
           int              width,
           int              height,
           gboolean         recompute)
{
  if (recompute || self->frame.width != width || self->frame.height != height)
    _tandem_chart_frame_compute (&self->frame, TANDEM_CHART (self), &self->labels,
                                 width, height, 0, FALSE);
  return &self->frame;
}

static void
draw_grid (GtkWidget   *widget,
           GtkSnapshot *snapshot,
           int          width,
           int          height)
{
  TandemLineChart *self = TANDEM_LINE_CHART (widget);
  const TandemChartFrame *frame = get_frame (self, width, height, TRUE);

  if (!frame->has_data)
    {
      _tandem_chart_snapshot_empty (TANDEM_CHART (self), &self->labels, snapshot, width, height);
      return;
    }
  _tandem_chart_frame_snapshot_grid (frame, TANDEM_CHART (self), &self->labels, snapshot);
}

/* How a series is drawn at a column a pixel wide. A line whose columns
 * hold several points each is, stroked as a path, a comb of vertical
 * strokes one pixel apart (first → min → max → last in each column):
 * cairo turns that into thousands of overlapping edges, and rasterizing
 * them took 50 to 150 ms a frame at 800 px with the software renderer.
 * Such a column is drawn instead as what that stroke covers: a bar a line
 * width wide from the column's smallest to its largest value (and over
 * the join from its neighbour, see draw_series()). The bars are
 * rasterized here into a coverage mask (antialiased, at the widget's
 * scale, over the bars' bounding box only), through which cairo paints
 * the series' colour once: time that follows the width and the height,
 * never the data. The rest is stroked as before, with round joins and
 * caps, so a line of a point per column or fewer is the same polyline as
 * ever. */
typedef struct _Bar
{
  double y0;    /* top, widget coordinates; y0 > y1: none */
  double y1;
} Bar;

typedef struct
{
  cairo_surface_t *surface;   /* CAIRO_FORMAT_A8 */
  guchar          *data;
  int              stride;
  int              width;     /* in device pixels */
  int              height;
  int              scale;
  int              x0;        /* the mask's origin, in device pixels */
  int              y0;
  /* The bars' horizontal coverage: column c's bar covers device pixels
   * first_x + c × scale + k (k < n_x) by x_weight[k]. */
  int              first_x;
  int              n_x;
  double           x_weight[8];
  guchar           full[8];   /* a whole row's coverage: x_weight × 255 */
} BarMask;

/* A mask over the bars of columns @c0..@c1 from y @top to @bottom. */
static gboolean
bar_mask_init (BarMask                *mask,
               const TandemChartFrame *frame,
               int                     scale,
               guint                   c0,
               guint                   c1,
               double                  top,
               double                  bottom)
{
  /* Column 0's centre is half a pixel into the plot. */
  double left = (frame->plot.origin.x + 0.5 - LINE_WIDTH / 2) * scale;
  double right = left + LINE_WIDTH * scale;

  memset (mask, 0, sizeof *mask);
  mask->scale = scale;
  mask->first_x = (int) floor (left);
  for (int i = mask->first_x; i < right && mask->n_x < (int) G_N_ELEMENTS (mask->x_weight); i++)
    {
      mask->x_weight[mask->n_x] = MIN (right, i + 1) - MAX (left, i);
      mask->full[mask->n_x] = (guchar) (mask->x_weight[mask->n_x] * 255 + 0.5);
      mask->n_x++;
    }

  mask->x0 = mask->first_x + (int) c0 * scale;
  mask->width = (int) (c1 - c0) * scale + mask->n_x;
  mask->y0 = (int) floor (top * scale);
  mask->height = (int) ceil (bottom * scale) - mask->y0;
  if (mask->width <= 0 || mask->height <= 0)
    return FALSE;
  mask->surface = cairo_image_surface_create (CAIRO_FORMAT_A8, mask->width, mask->height);
  cairo_surface_flush (mask->surface);
  mask->data = cairo_image_surface_get_data (mask->surface);
  mask->stride = cairo_image_surface_get_stride (mask->surface);
  if (mask->data == NULL)
    {
      g_clear_pointer (&mask->surface, cairo_surface_destroy);
      return FALSE;
    }
  return TRUE;
}

/* Adds @cover (0..255) of a bar's row to the mask's pixels @row. */
static inline void
bar_mask_add_row (const BarMask *mask,
                  guchar        *row,
                  double         cover)
{
  for (int k = 0; k < mask->n_x; k++)
    {
      int v = row[k] + (int) (cover * mask->x_weight[k] + 0.5);

      row[k] = (guchar) MIN (v, 255);
    }
}

/* Adds the bar of column @c to the mask: the rows it covers whole, and
 * its fractions of the two ends. */
static void
bar_mask_add (BarMask   *mask,
              guint      c,
              const Bar *bar)
{
  int x = mask->first_x + (int) c * mask->scale - mask->x0;
  double y0 = CLAMP (bar->y0 * mask->scale - mask->y0, 0, mask->height);
  double y1 = CLAMP (bar->y1 * mask->scale - mask->y0, 0, mask->height);
  guchar *row;
  int j0, j1;

  if (y1 <= y0 || x < 0 || x + mask->n_x > mask->width)
    return;
  j0 = (int) floor (y0);
  j1 = (int) ceil (y1) - 1;   /* the last row touched */
  row = mask->data + (gsize) j0 * mask->stride + x;
  if (j0 == j1)
    {
      bar_mask_add_row (mask, row, (y1 - y0) * 255);
      return;
    }
  bar_mask_add_row (mask, row, (j0 + 1 - y0) * 255);
  /* The whole rows, a pixel column at a time: a pixel column that the
   * bar covers whole is simply full. */
  for (int k = 0; k < mask->n_x; k++)
    {
      guchar *p = row + k + mask->stride;
      int add = mask->full[k];

      if (add == 255)
        for (int j = j0 + 1; j < j1; j++, p += mask->stride)
          *p = 255;
      else
        for (int j = j0 + 1; j < j1; j++, p += mask->stride)
          *p = (guchar) MIN (*p + add, 255);
    }
  bar_mask_add_row (mask, row + (gsize) (j1 - j0) * mask->stride, (y1 - j1) * 255);
}

/* Paints the source through the mask. */
static void
bar_mask_paint (BarMask *mask,
                cairo_t *cr)
{
  cairo_surface_mark_dirty (mask->surface);
  cairo_surface_set_device_scale (mask->surface, mask->scale, mask->scale);
  cairo_mask_surface (cr, mask->surface, (double) mask->x0 / mask->scale, (double) mask->y0 / mask->scale);
  g_clear_pointer (&mask->surface, cairo_surface_destroy);
}

static void
draw_series (TandemLineChart        *self,
             cairo_t                *cr,
             const TandemChartFrame *frame,
             TandemSeries           *series,
             guint                   n_columns,
             int                     scale)
{
  const graphene_rect_t *p = &frame->plot;
  const TandemColumn *columns = self->columns;
  Bar *bars = self->bars;
  double vscale = p->size.height / (frame->v1 - frame->v0);
  double base = p->origin.y + p->size.height + frame->v0 * vscale;
  double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;
  guint prev = G_MAXUINT, path_end = G_MAXUINT, c0 = G_MAXUINT, c1 = 0;
  guint n_shown = 0;
  gboolean joins = FALSE;

  if (tandem_decimate (series, frame->t0, frame->t1, n_columns, self->columns, NULL) == 0)
    return;

  /* A column whose points span more than a line width is a bar; a
   * shorter one is stroked (first → min → max → last). The join from the
   * column before is stroked too, unless it is a neighbour's and either
   * this column is a bar or the join is steep: then the bar (made for it
   * if need be) grows to cover it, which is all a steep join one pixel
   * wide covers. So a smooth line stays a polyline, and a dense or jagged
   * one is bars. */
  for (guint c = 0; c < n_columns; c++)
    {
      const TandemColumn *col = &columns[c];
      double x = p->origin.x + c + 0.5;
      double y_first = base - col->first * vscale;
      double y_top = base - col->max * vscale, y_bottom = base - col->min * vscale;
      gboolean is_bar = col->n_points > 1 && y_bottom - y_top > LINE_WIDTH;
      Bar *bar = &bars[c];

      *bar = (Bar) { G_MAXDOUBLE, -G_MAXDOUBLE };
      if (col->n_points == 0)
        continue;
      n_shown++;
      if (is_bar)
        *bar = (Bar) { y_top, y_bottom };
      if (prev != G_MAXUINT)
        {
          double y_from = base - columns[prev].last * vscale;

          if (prev + 1 == c && (is_bar || fabs (y_first - y_from) > LINE_WIDTH))
            {
              bar->y0 = MIN (bar->y0, MIN (y_from, y_first));
              bar->y1 = MAX (bar->y1, MAX (y_from, y_first));
              if (!is_bar)
                path_end = G_MAXUINT;
            }
          else
            {
              if (path_end != prev)
                cairo_move_to (cr, p->origin.x + prev + 0.5, y_from);
              cairo_line_to (cr, x, y_first);
              joins = TRUE;
              path_end = c;
            }
        }
      if (!is_bar && col->n_points > 1)
        {
          if (path_end != c)
            cairo_move_to (cr, x, y_first);
          cairo_line_to (cr, x, base - col->min * vscale);
          cairo_line_to (cr, x, base - col->max * vscale);
          cairo_line_to (cr, x, base - col->last * vscale);
          joins = TRUE;
          path_end = c;
        }
      else if (is_bar)
        path_end = G_MAXUINT;
      if (bar->y0 <= bar->y1)
        {
          bar->y0 -= LINE_WIDTH / 2;
          bar->y1 += LINE_WIDTH / 2;
          top = MIN (top, bar->y0);
          bottom = MAX (bottom, bar->y1);
          c0 = MIN (c0, c);
          c1 = c;
        }
      prev = c;
    }

  if (c0 != G_MAXUINT)
    {
      BarMask mask;

      if (bar_mask_init (&mask, frame, scale, c0, c1, top, bottom))
        {
          for (guint c = c0; c <= c1; c++)
            if (bars[c].y0 < bars[c].y1)
              bar_mask_add (&mask, c, &bars[c]);
          bar_mask_paint (&mask, cr);
        }
    }
  /* A single point still shows: a dot. */
  else if (n_shown == 1)
    {
      double x = p->origin.x + prev + 0.5, y = base - columns[prev].first * vscale;

      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + 0.01, y);
      joins = TRUE;
    }
  if (joins)
    cairo_stroke (cr);
}

static void
draw_lines (GtkWidget   *widget,
            GtkSnapshot *snapshot,
            int          width,
            int          height)
{
  TandemLineChart *self = TANDEM_LINE_CHART (widget);
  TandemChart *chart = TANDEM_CHART (self);
  const TandemChartFrame *frame = get_frame (self, width, height, FALSE);
  int scale = CLAMP (gtk_widget_get_scale_factor (widget), 1, 4);
  guint n_columns;
  cairo_t *cr;

  if (!frame->has_data || tandem_chart_get_n_series (chart) == 0)
    return;

  n_columns = (guint) frame->plot.size.width;
  if (n_columns > self->n_columns)
    {
      self->columns = g_renew (TandemColumn, self->columns, n_columns);
      self->bars = g_renew (Bar, self->bars, n_columns);
      self->n_columns = n_columns;
    }

  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (frame->plot.origin.x - LINE_WIDTH,
                                                       frame->plot.origin.y - LINE_WIDTH,
                                                       frame->plot.size.width + 2 * LINE_WIDTH,
                                                       frame->plot.size.height + 2 * LINE_WIDTH));
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < tandem_chart_get_n_series (chart); i++)
    {
      GdkRGBA color;

      tandem_chart_get_series_color (chart, i, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      draw_series (self, cr, frame, tandem_chart_get_shown_series (chart, i), n_columns, scale);
    }
  cairo_destroy (cr);
}

/* The point of each series nearest the pointer's time. */
static gboolean
hovered_time (TandemLineChart *self,
              int              width,
              int              height,
              gint64          *t)
{
  const TandemChartFrame *frame = get_frame (self, width, height, FALSE);
  double x, y;

  if (!frame->has_data || !tandem_chart_get_pointer (TANDEM_CHART (self), &x, &y))
    return FALSE;
  if (x < frame->plot.origin.x || x > frame->plot.origin.x + frame->plot.size.width)
    return FALSE;
  *t = _tandem_chart_frame_time_at (frame, x);
  return TRUE;
}

static void
draw_pointer (GtkWidget   *widget,
              GtkSnapshot *snapshot,
              int          width,
              int          height)
{
  TandemLineChart *self = TANDEM_LINE_CHART (widget);
  TandemChart *chart = TANDEM_CHART (self);
  const TandemChartFrame *frame;
  GdkRGBA grid;
  gint64 t;

  if (!hovered_time (self, width, height, &t))
    return;
  frame = get_frame (self, width, height, FALSE);
  tandem_chart_style_get_dim (tandem_chart_get_dark (chart), &grid);
  grid.alpha = 0.35;

  for (guint i = 0; i < tandem_chart_get_n_series (chart); i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (chart, i);
      GdkRGBA color;
      guint idx;
      double px, py;
      GskRoundedRect dot;

      if (!tandem_series_nearest (s, t, &idx))
        continue;
      px = _tandem_chart_frame_x (frame, tandem_series_get_time (s, idx));
      py = _tandem_chart_frame_y (frame, tandem_series_get_value (s, idx));
      if (px < frame->plot.origin.x - 1 || px > frame->plot.origin.x + frame->plot.size.width + 1)
        continue;
      if (i == 0)
        gtk_snapshot_append_color (snapshot, &grid,
                                   &GRAPHENE_RECT_INIT (floor (px), frame->plot.origin.y,
                                                        1, frame->plot.size.height));
      tandem_chart_get_series_color (chart, i, &color);
      gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (px - DOT_RADIUS, py - DOT_RADIUS,
                                                                   2 * DOT_RADIUS, 2 * DOT_RADIUS),
                                       DOT_RADIUS);
      gtk_snapshot_push_rounded_clip (snapshot, &dot);
      gtk_snapshot_append_color (snapshot, &color, &dot.bounds);
      gtk_snapshot_pop (snapshot);
    }
}

static char *
tandem_line_chart_tooltip_text (TandemChart *chart,
                                double       x,
                                double       y)
{
  TandemLineChart *self = TANDEM_LINE_CHART (chart);
  g_autoptr(GString) text = NULL;
  GtkWidget *widget = GTK_WIDGET (chart);
  const TandemChartFrame *frame = get_frame (self, gtk_widget_get_width (widget),
                                             gtk_widget_get_height (widget), FALSE);
  gint64 t;

  if (!frame->has_data || x < frame->plot.origin.x || x > frame->plot.origin.x + frame->plot.size.width)
    return NULL;
  t = _tandem_chart_frame_time_at (frame, x);

  for (guint i = 0; i < tandem_chart_get_n_series (chart); i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (chart, i);
      g_autofree char *when = NULL, *value = NULL;
      guint idx;

      if (!tandem_series_nearest (s, t, &idx))
        continue;
      when = tandem_format_time_full (tandem_series_get_time (s, idx), tandem_chart_get_time_zone (chart));
      value = _tandem_chart_format_value (tandem_series_get_value (s, idx));
      if (text == NULL)
        text = g_string_new (NULL);
      else
        g_string_append_c (text, '\n');
      /* Translators: a chart tooltip line: series label, value, time. */
      g_string_append_printf (text, _("%s: %s at %s"), tandem_series_get_label (s), value, when);
    }
  return text ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static char *
tandem_line_chart_describe (TandemChart *chart)
{
  g_autofree char *series = TANDEM_CHART_CLASS (tandem_line_chart_parent_class)->describe (chart);

  /* Translators: the accessible description of a line chart; %s lists
   * its series. */
  return g_strdup_printf (_("Line chart of %s"), series);
}

static void
tandem_line_chart_finalize (GObject *object)
{
  TandemLineChart *self = (TandemLineChart *) object;

  _tandem_chart_labels_clear (&self->labels);
  g_free (self->columns);
  g_free (self->bars);

  G_OBJECT_CLASS (tandem_line_chart_parent_class)->finalize (object);
}

static void
tandem_line_chart_class_init (TandemLineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TandemChartClass *chart_class = TANDEM_CHART_CLASS (klass);

  object_class->finalize = tandem_line_chart_finalize;
  chart_class->tooltip_text = tandem_line_chart_tooltip_text;
  chart_class->describe = tandem_line_chart_describe;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "linechart");
}

static void
tandem_line_chart_init (TandemLineChart *self)
{
  _tandem_chart_labels_init (&self->labels);
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (draw_grid, TRUE));
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (draw_lines, TRUE));
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (draw_pointer, FALSE));
}

GtkWidget *
tandem_line_chart_new (void)
{
  return g_object_new (TANDEM_TYPE_LINE_CHART, NULL);
}

gboolean
tandem_line_chart_map_point (TandemLineChart *self,
                             int              width,
                             int              height,
                             gint64           time_usec,
                             double           value,
                             double          *x,
                             double          *y)
{
  const TandemChartFrame *frame;

  g_return_val_if_fail (TANDEM_IS_LINE_CHART (self), FALSE);

  frame = get_frame (self, width, height, TRUE);
  if (!frame->has_data)
    return FALSE;
  *x = _tandem_chart_frame_x (frame, time_usec);
  *y = _tandem_chart_frame_y (frame, value);
  return TRUE;
}
