/* tandem-chart-layer.h: one layer of a chart: a widget over the chart's
 * whole area that draws with a function of the chart's, so that redrawing
 * one layer (the pointer's) reuses the others' cached render nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

/* @chart: the layer's parent. Draws at @width × @height, which is the
 * allocation on screen and the image size when exporting. */
typedef void (*TandemChartLayerDrawFunc) (GtkWidget   *chart,
                                          GtkSnapshot *snapshot,
                                          int          width,
                                          int          height);

#define TANDEM_TYPE_CHART_LAYER (tandem_chart_layer_get_type ())
G_DECLARE_FINAL_TYPE (TandemChartLayer, tandem_chart_layer, TANDEM, CHART_LAYER, GtkWidget)

/* @exported: whether the layer is part of an exported image (the pointer
 * layer is not). */
GtkWidget *tandem_chart_layer_new          (TandemChartLayerDrawFunc  draw,
                                            gboolean                  exported);
gboolean   tandem_chart_layer_get_exported (TandemChartLayer         *self);
void       tandem_chart_layer_draw         (TandemChartLayer         *self,
                                            GtkSnapshot              *snapshot,
                                            int                       width,
                                            int                       height);

G_END_DECLS
