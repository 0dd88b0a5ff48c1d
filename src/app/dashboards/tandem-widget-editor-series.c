/* tandem-widget-editor-series.c: the editor's group of fields per series
 *
 * Each group has its own error rows, one right below each field, made
 * with the group; the fields' names follow the groups' positions and are
 * given again whenever a series is removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-widget-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-dashboard-layout.h"
#include "tandem-widget-editor-private.h"

void
_tandem_widget_editor_register_series_fields (TandemWidgetEditor *self)
{
  GHashTableIter iter;
  gpointer key;

  /* Names follow positions, which change when a series goes. */
  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, "series-"))
      g_hash_table_iter_remove (&iter);

  for (guint i = 0; i < self->series->len; i++)
    {
      SeriesRows *rows = self->series->pdata[i];
      g_autofree char *title = g_strdup_printf (_("Series %u"), i + 1);
      struct { const char *suffix; GtkWidget *row; } parts[] = {
        { "label", rows->label }, { "table", rows->table }, { "filter", rows->filter },
        { "time-column", rows->time_column }, { "value-column", rows->value_column },
        { "aggregation", GTK_WIDGET (rows->aggregation) },
      };

      adw_preferences_group_set_title (rows->group, title);
      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        {
          g_autofree char *name = g_strdup_printf ("series-%u-%s", i, parts[p].suffix);
          Field *field = g_new0 (Field, 1);

          /* The error rows exist already (made with the group). */
          field->row = parts[p].row;
          field->input = parts[p].row;
          field->error_row = g_object_get_data (G_OBJECT (parts[p].row), "tandem-error-row");
          g_hash_table_replace (self->fields, g_steal_pointer (&name), field);
        }
    }
}

static GtkWidget *
add_entry (AdwPreferencesGroup *group,
           const char          *title,
           const char          *text)
{
  GtkWidget *row = adw_entry_row_new ();
  AdwActionRow *error_row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_preferences_group_add (group, row);

  adw_action_row_set_title_lines (error_row, 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (error_row), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (error_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (error_row), FALSE);
  adw_preferences_group_add (group, GTK_WIDGET (error_row));
  g_object_set_data (G_OBJECT (row), "tandem-error-row", error_row);
  return row;
}

static void
series_entry_changed_cb (GtkEditable        *editable,
                         TandemWidgetEditor *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Field *) value)->row == GTK_WIDGET (editable) && ((Field *) value)->message != NULL)
      _tandem_widget_editor_show_field_error (value, NULL);
}

static void
remove_series_cb (GtkButton          *button,
                  TandemWidgetEditor *self)
{
  AdwPreferencesGroup *group = g_object_get_data (G_OBJECT (button), "tandem-group");

  for (guint i = 0; i < self->series->len; i++)
    if (((SeriesRows *) self->series->pdata[i])->group == group)
      {
        adw_preferences_page_remove (self->page, group);
        g_ptr_array_remove_index (self->series, i);
        break;
      }
  _tandem_widget_editor_register_series_fields (self);
  _tandem_widget_editor_update_sensitivity (self);
}

void
_tandem_widget_editor_append_series (TandemWidgetEditor *self,
                                     TandemSeriesSpec   *spec)
{
  SeriesRows *rows = g_new0 (SeriesRows, 1);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autoptr(GtkStringList) aggregations = NULL;
  const char * const names[] = {
    _("None: every row as it is"), _("Count"), _("Sum"), _("Average"), _("Minimum"), _("Maximum"), NULL,
  };

  rows->original = tandem_series_spec_ref (spec);
  rows->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Series"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Series"), -1);
  g_object_set_data (G_OBJECT (remove), "tandem-group", rows->group);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_series_cb), self, 0);
  adw_preferences_group_set_header_suffix (rows->group, remove);

  rows->label = add_entry (rows->group, _("_Label"), tandem_series_spec_get_label (spec));
  rows->table = add_entry (rows->group, _("T_able"), tandem_series_spec_get_table (spec));
  rows->filter = add_entry (rows->group, _("_Filter (such as name=eq.page_view)"), tandem_series_spec_get_filter (spec));
  rows->time_column = add_entry (rows->group, _("Ti_me Column"), tandem_series_spec_get_time_column (spec));
  rows->value_column = add_entry (rows->group, _("_Value Column"), tandem_series_spec_get_value_column (spec));

  aggregations = gtk_string_list_new (names);
  rows->aggregation = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->aggregation), _("A_ggregation"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (rows->aggregation), TRUE);
  adw_combo_row_set_model (rows->aggregation, G_LIST_MODEL (aggregations));
  adw_combo_row_set_selected (rows->aggregation, tandem_series_spec_get_aggregation (spec));
  adw_preferences_group_add (rows->group, GTK_WIDGET (rows->aggregation));
  g_signal_connect_object (rows->aggregation, "notify::selected", G_CALLBACK (_tandem_widget_editor_update_sensitivity), self,
                           G_CONNECT_SWAPPED);

  {
    GtkWidget *entries[] = { rows->label, rows->table, rows->filter, rows->time_column, rows->value_column };

    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      g_signal_connect_object (entries[i], "changed", G_CALLBACK (series_entry_changed_cb), self, 0);
  }

  /* Series go above the Add Series button's group. */
  g_object_ref (self->actions_group);
  adw_preferences_page_remove (self->page, self->actions_group);
  adw_preferences_page_add (self->page, rows->group);
  adw_preferences_page_add (self->page, self->actions_group);
  g_object_unref (self->actions_group);

  g_ptr_array_add (self->series, rows);
  _tandem_widget_editor_register_series_fields (self);
}
