/* tandem-dashboard-widget-private.h: what the widget's files share
 * (tandem-dashboard-widget.c: the card and its binding;
 * tandem-dashboard-widget-export.c: PNG and CSV export)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem-dashboard-widget.h"

G_BEGIN_DECLS

struct _TandemDashboardWidget
{
  GtkWidget         parent_instance;

  TandemClient     *client;
  char             *dashboard_id;
  TandemWidgetSpec *spec;

  GPtrArray        *bindings;         /* of TandemSeriesBinding */
  TandemSeries     *broadcast_series; /* a broadcast value widget's */
  GtkWidget        *chart;
  gboolean          paused;
  gboolean          loaded;
  char             *error;

  /* Export dialogs and writes; cancelled on dispose. */
  GCancellable     *cancellable;
  GObject          *export_dialog;    /* GtkFileChooserNative (GTK < 4.10) */

  /* Template children */
  GtkWidget        *card;
  GtkLabel         *title_label;
  GtkLabel         *paused_label;
  GtkMenuButton    *menu_button;
  GtkLabel         *error_label;
  AdwBin           *chart_bin;
};

/* Opens a file chooser and writes the export to the chosen file; a
 * failure shows in the error label. */
void _tandem_dashboard_widget_export_with_dialog (TandemDashboardWidget *self,
                                                  TandemExportFormat     format);

G_END_DECLS
