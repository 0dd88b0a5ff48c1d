/* tandem-widget-editor.h: the window that edits one widget of a dashboard
 * (or makes a new one) and saves the layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <tandem.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_WIDGET_EDITOR (tandem_widget_editor_get_type ())
G_DECLARE_FINAL_TYPE (TandemWidgetEditor, tandem_widget_editor, TANDEM, WIDGET_EDITOR, AdwWindow)

/* Edits widget @widget_id of @layout, or a new widget when NULL. */
TandemWidgetEditor *tandem_widget_editor_new             (TandemClient          *client,
                                                          const char            *dashboard_id,
                                                          TandemDashboardLayout *layout,
                                                          const char            *widget_id);

/* The id of the widget edited (a new one's too). */
const char         *tandem_widget_editor_get_widget_id   (TandemWidgetEditor    *self);

/* The fields by name: "kind", "title", "bucket-seconds", "window-points",
 * "window-seconds", "broadcast", and per series N (from 0)
 * "series-N-label", "series-N-table", "series-N-filter",
 * "series-N-time-column", "series-N-value-column",
 * "series-N-aggregation"; "series" for the list as a whole. Entry rows are
 * GtkEditable, numbers GtkSpinButton, the kind and aggregations
 * AdwComboRow, broadcast a GtkSwitch. (transfer none) (nullable) */
GtkWidget          *tandem_widget_editor_get_field       (TandemWidgetEditor    *self,
                                                          const char            *field);
/* The error shown at @field, or NULL. */
const char         *tandem_widget_editor_get_field_error (TandemWidgetEditor    *self,
                                                          const char            *field);

guint               tandem_widget_editor_get_n_series    (TandemWidgetEditor    *self);
void                tandem_widget_editor_add_series      (TandemWidgetEditor    *self);

/* Checks every field, showing each error at its field; TRUE when none. */
gboolean            tandem_widget_editor_validate        (TandemWidgetEditor    *self);
/* The widget as the fields say, or NULL when they do not validate. */
TandemWidgetSpec   *tandem_widget_editor_build_spec      (TandemWidgetEditor    *self,
                                                          GError               **error);

/* Validates, and writes the layout with the widget (what Save does); the
 * window closes itself once saved. */
void                tandem_widget_editor_save_async      (TandemWidgetEditor    *self,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean            tandem_widget_editor_save_finish     (TandemWidgetEditor    *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

G_END_DECLS
