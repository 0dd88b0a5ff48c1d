/* tandem-chart-layer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-chart-layer"

#include "config.h"

#include "tandem-chart-layer.h"

struct _TandemChartLayer
{
  GtkWidget                parent_instance;

  TandemChartLayerDrawFunc draw;
  gboolean                 exported;
};

G_DEFINE_FINAL_TYPE (TandemChartLayer, tandem_chart_layer, GTK_TYPE_WIDGET)

static void
tandem_chart_layer_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TandemChartLayer *self = TANDEM_CHART_LAYER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width > 0 && height > 0)
    tandem_chart_layer_draw (self, snapshot, width, height);
}

static void
tandem_chart_layer_class_init (TandemChartLayerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = tandem_chart_layer_snapshot;
  gtk_widget_class_set_css_name (widget_class, "chartlayer");
  /* The chart speaks for its layers. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
tandem_chart_layer_init (TandemChartLayer *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self), FALSE);
}

GtkWidget *
tandem_chart_layer_new (TandemChartLayerDrawFunc draw,
                        gboolean                 exported)
{
  TandemChartLayer *self;

  g_return_val_if_fail (draw != NULL, NULL);

  self = g_object_new (TANDEM_TYPE_CHART_LAYER, NULL);
  self->draw = draw;
  self->exported = exported;
  return GTK_WIDGET (self);
}

gboolean
tandem_chart_layer_get_exported (TandemChartLayer *self)
{
  g_return_val_if_fail (TANDEM_IS_CHART_LAYER (self), FALSE);
  return self->exported;
}

void
tandem_chart_layer_draw (TandemChartLayer *self,
                         GtkSnapshot      *snapshot,
                         int               width,
                         int               height)
{
  GtkWidget *chart;

  g_return_if_fail (TANDEM_IS_CHART_LAYER (self));

  chart = gtk_widget_get_parent (GTK_WIDGET (self));
  if (chart != NULL)
    self->draw (chart, snapshot, width, height);
}
