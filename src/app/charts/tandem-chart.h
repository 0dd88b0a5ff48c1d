/* tandem-chart.h: what every chart widget has: its series, layers, title,
 * pause, time span and zone, and the style it draws in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-charts-types.h"
#include "tandem-chart-layer.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CHART (tandem_chart_get_type ())
G_DECLARE_DERIVABLE_TYPE (TandemChart, tandem_chart, TANDEM, CHART, GtkWidget)

struct _TandemChartClass
{
  GtkWidgetClass parent_class;

  /* The shown data changed (a series changed, was added or removed, the
   * chart was resumed): the default queues a draw of every exported
   * layer, which GTK coalesces into one per frame. */
  void     (*data_changed)  (TandemChart *self);
  /* Text for the tooltip at (@x, @y), or NULL for none. */
  char   * (*tooltip_text)  (TandemChart *self,
                             double       x,
                             double       y);
  /* The accessible description (what the chart shows now). */
  char   * (*describe)      (TandemChart *self);

  gpointer padding[8];
};

void          tandem_chart_add_series        (TandemChart *self,
                                              TandemSeries *series);
void          tandem_chart_remove_all_series (TandemChart *self);
guint         tandem_chart_get_n_series      (TandemChart *self);
/* The live series @index. (transfer none) */
TandemSeries *tandem_chart_get_series        (TandemChart *self,
                                              guint        index);
/* What is drawn: the live series, or while paused the copy taken when
 * the chart was paused. (transfer none) */
TandemSeries *tandem_chart_get_shown_series  (TandemChart *self,
                                              guint        index);
/* The colour of series @index in the current style. */
void          tandem_chart_get_series_color  (TandemChart *self,
                                              guint        index,
                                              GdkRGBA     *rgba);

/* The title is the chart's accessible name (property "title"). */
const char   *tandem_chart_get_title         (TandemChart *self);
void          tandem_chart_set_title         (TandemChart *self,
                                              const char  *title);

/* Paused, the chart keeps showing what it showed (property "paused";
 * action "chart.pause" toggles it). */
gboolean      tandem_chart_get_paused        (TandemChart *self);
void          tandem_chart_set_paused        (TandemChart *self,
                                              gboolean     paused);

/* The time axis spans the newest @span_usec (0: all the data). */
gint64        tandem_chart_get_time_span     (TandemChart *self);
void          tandem_chart_set_time_span     (TandemChart *self,
                                              gint64       span_usec);

/* The zone of time labels (NULL: local). (transfer none) */
GTimeZone    *tandem_chart_get_time_zone     (TandemChart *self);
void          tandem_chart_set_time_zone     (TandemChart *self,
                                              GTimeZone   *tz);

/* Follows AdwStyleManager's "dark" unless forced (for exports and tests):
 * -1 follows, 0 light, 1 dark (property "style", int). */
gboolean      tandem_chart_get_dark          (TandemChart *self);
void          tandem_chart_set_style         (TandemChart *self,
                                              int          style);

/* For subclasses. */
void          tandem_chart_add_layer         (TandemChart *self,
                                              GtkWidget   *layer);
/* The pointer over the chart, or FALSE. */
gboolean      tandem_chart_get_pointer       (TandemChart *self,
                                              double      *x,
                                              double      *y);
/* The time range [*t0, *t1] of the shown data under the time span; FALSE
 * when there is none. */
gboolean      tandem_chart_get_time_range    (TandemChart *self,
                                              gint64      *t0,
                                              gint64      *t1);
/* Redraw the pointer layers only. */
void          tandem_chart_queue_pointer_draw (TandemChart *self);
void          tandem_chart_queue_data_draw   (TandemChart *self);

G_END_DECLS
