/* tandem-chart-frame-private.h: the geometry shared by the layers of a
 * time chart (plot area, ranges, ticks) and the grid and axis labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-axis-ticks.h"
#include "tandem-chart.h"

G_BEGIN_DECLS

/* Axis label layouts by text, so a frame re-lays out nothing that did
 * not change. */
typedef struct
{
  PangoContext *context;
  GHashTable   *layouts;   /* text → PangoLayout */
  int           line_height;
} TandemChartLabels;

void         _tandem_chart_labels_init    (TandemChartLabels *labels);
void         _tandem_chart_labels_clear   (TandemChartLabels *labels);
PangoLayout *_tandem_chart_labels_get     (TandemChartLabels *labels,
                                           GtkWidget         *widget,
                                           const char        *text,
                                           int               *width,
                                           int               *height);

typedef struct
{
  int              width;
  int              height;
  gboolean         has_data;
  graphene_rect_t  plot;      /* pixel-aligned */
  gint64           t0, t1;
  double           v0, v1;
  TandemTicks      yticks;
  TandemTimeTicks  xticks;
} TandemChartFrame;

/* @bucket: the time a bar covers (0 for lines): the axis ends a bucket
 * after the last point. @include_zero: the value axis includes 0 (bars). */
void    _tandem_chart_frame_compute       (TandemChartFrame  *frame,
                                           TandemChart       *chart,
                                           TandemChartLabels *labels,
                                           int                width,
                                           int                height,
                                           gint64             bucket,
                                           gboolean           include_zero);
void    _tandem_chart_frame_snapshot_grid (const TandemChartFrame *frame,
                                           TandemChart       *chart,
                                           TandemChartLabels *labels,
                                           GtkSnapshot       *snapshot);
/* "No data" in the middle. */
void    _tandem_chart_snapshot_empty      (TandemChart       *chart,
                                           TandemChartLabels *labels,
                                           GtkSnapshot       *snapshot,
                                           int                width,
                                           int                height);

static inline double
_tandem_chart_frame_x (const TandemChartFrame *f,
                       gint64                  t)
{
  return f->plot.origin.x + (double) (t - f->t0) / (double) (f->t1 - f->t0) * f->plot.size.width;
}

static inline double
_tandem_chart_frame_y (const TandemChartFrame *f,
                       double                  v)
{
  return f->plot.origin.y + f->plot.size.height -
         (v - f->v0) / (f->v1 - f->v0) * f->plot.size.height;
}

static inline gint64
_tandem_chart_frame_time_at (const TandemChartFrame *f,
                             double                  x)
{
  return f->t0 + (gint64) ((x - f->plot.origin.x) / f->plot.size.width * (double) (f->t1 - f->t0));
}

/* Tabular figures for @layout. */
void    _tandem_chart_layout_set_tabular  (PangoLayout       *layout);

/* The exact value and time of a point, for tooltips: "views: 12.5". */
char   *_tandem_chart_format_value        (double             value);

G_END_DECLS
