/* tandem-widget-editor-private.h: what the editor's files share
 * (tandem-widget-editor.c: the widget's fields, checking, saving;
 * tandem-widget-editor-series.c: a group of fields per series)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-widget-editor.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWidget    *row;
  GtkWidget    *input;
  AdwActionRow *error_row;     /* below the row; NULL: the row says it */
  char         *message;
} Field;

typedef struct
{
  AdwPreferencesGroup *group;
  GtkWidget           *label;
  GtkWidget           *table;
  GtkWidget           *filter;
  GtkWidget           *time_column;
  GtkWidget           *value_column;
  AdwComboRow         *aggregation;
  TandemSeriesSpec    *original;   /* keeps members we do not edit */
} SeriesRows;

struct _TandemWidgetEditor
{
  AdwWindow              parent_instance;

  TandemClient          *client;
  char                  *dashboard_id;
  TandemDashboardLayout *layout;
  TandemWidgetSpec      *original;  /* the widget edited, or a new one */
  gboolean               is_new;

  GHashTable            *fields;    /* name → Field */
  GPtrArray             *series;    /* of SeriesRows */
  GCancellable          *cancellable;
  gboolean               saving;

  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  AdwPreferencesPage    *page;
  AdwPreferencesGroup   *widget_group;
  AdwPreferencesGroup   *actions_group;
  AdwComboRow           *kind_row;
  AdwEntryRow           *title_row;
  AdwActionRow          *bucket_row;
  GtkSpinButton         *bucket_spin;
  AdwActionRow          *points_row;
  GtkSpinButton         *points_spin;
  AdwActionRow          *seconds_row;
  GtkSpinButton         *seconds_spin;
  AdwActionRow          *broadcast_row;
  GtkSwitch             *broadcast_switch;
  AdwPreferencesGroup   *place_group;
  AdwActionRow          *column_row;
  GtkSpinButton         *column_spin;
  AdwActionRow          *row_row;
  GtkSpinButton         *row_spin;
  AdwActionRow          *width_row;
  GtkSpinButton         *width_spin;
  AdwActionRow          *height_row;
  GtkSpinButton         *height_spin;
  GtkButton             *add_series_button;
};

void _tandem_widget_editor_field_free              (Field              *field);
void _tandem_widget_editor_series_rows_free        (SeriesRows         *rows);
/* Shows @message at the field (NULL: clears it). */
void _tandem_widget_editor_show_field_error        (Field              *field,
                                                    const char         *message);
void _tandem_widget_editor_set_error               (TandemWidgetEditor *self,
                                                    const char         *name,
                                                    const char         *message);
void _tandem_widget_editor_update_sensitivity      (TandemWidgetEditor *self);
/* A group of fields for @spec, above the Add Series button. */
void _tandem_widget_editor_append_series           (TandemWidgetEditor *self,
                                                    TandemSeriesSpec   *spec);
/* Names the series fields after their positions ("series-0-table"). */
void _tandem_widget_editor_register_series_fields  (TandemWidgetEditor *self);

G_END_DECLS
