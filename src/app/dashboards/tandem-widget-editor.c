/* tandem-widget-editor.c
 *
 * The fields sit in AdwPreferencesGroups: one for the widget, one per
 * series. Each field has an error row right below it, hidden until the
 * field is found wrong, so the message is where the mistake is (and the
 * field is marked invalid for screen readers). Fields are checked with
 * the same rules as a layout read from the database (tandem-dashboard-
 * filter.h for names and filters, tandem_widget_spec_validate() for the
 * rest), so what the editor saves always reads back.
 *
 * The widget's place (column, row, width and height in the grid) must be
 * free of other widgets.
 *
 * Saving only writes the dashboard row (PATCH dashboards?id=eq.<id>): the
 * postgres_changes UPDATE brings the new layout to every open view,
 * including the one this editor came from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-widget-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-aggregator.h"
#include "tandem-dashboard.h"
#include "tandem-dashboard-filter.h"
#include "tandem-dashboard-layout.h"
#include "tandem-widget-editor-private.h"

G_DEFINE_FINAL_TYPE (TandemWidgetEditor, tandem_widget_editor, ADW_TYPE_WINDOW)

/* The kind combo's order. */
static const char * const kinds[] = { "line", "bar", "value", "table" };

void
_tandem_widget_editor_field_free (Field *field)
{
  g_free (field->message);
  g_free (field);
}

void
_tandem_widget_editor_series_rows_free (SeriesRows *rows)
{
  g_clear_pointer (&rows->original, tandem_series_spec_unref);
  g_free (rows);
}

/* ---- fields and their errors ---- */

void
_tandem_widget_editor_show_field_error (Field      *field,
                                        const char *message)
{
  g_free (field->message);
  field->message = g_strdup (message);
  if (field->error_row != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->error_row), message ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (field->error_row), message != NULL);
    }
  else
    {
      /* A row that is only there for its error (the series list's). */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), message ? message : "");
      gtk_widget_set_visible (field->row, message != NULL);
    }
  if (message != NULL)
    {
      gtk_widget_add_css_class (field->row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (field->row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
input_changed_cb (GtkWidget *input,
                  Field     *field)
{
  /* Typing again is fixing it: the error waits for the next check. */
  if (field->message != NULL)
    _tandem_widget_editor_show_field_error (field, NULL);
}

/* @row must be in its group already: the error row goes right below. */
static void
add_field (TandemWidgetEditor *self,
           const char         *name,
           GtkWidget          *row,
           GtkWidget          *input)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *list = gtk_widget_get_parent (row);

  field->row = row;
  field->input = input;
  field->error_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_action_row_set_title_lines (field->error_row, 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (field->error_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (field->error_row), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (field->error_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (field->error_row), FALSE);
  g_return_if_fail (GTK_IS_LIST_BOX (list) && GTK_IS_LIST_BOX_ROW (row));
  gtk_list_box_insert (GTK_LIST_BOX (list), GTK_WIDGET (field->error_row),
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);

  if (GTK_IS_EDITABLE (input))
    g_signal_connect (input, "changed", G_CALLBACK (input_changed_cb), field);
  else if (GTK_IS_SPIN_BUTTON (input))
    g_signal_connect (input, "value-changed", G_CALLBACK (input_changed_cb), field);
  g_hash_table_replace (self->fields, g_strdup (name), field);
}

void
_tandem_widget_editor_set_error (TandemWidgetEditor *self,
                                 const char         *name,
                                 const char         *message)
{
  Field *field = g_hash_table_lookup (self->fields, name);

  if (field != NULL)
    _tandem_widget_editor_show_field_error (field, message);
}

static void
clear_errors (TandemWidgetEditor *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    _tandem_widget_editor_show_field_error (value, NULL);
}

static const char *
entry_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static TandemWidgetKind
current_kind (TandemWidgetEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  return selected < G_N_ELEMENTS (kinds) ? (TandemWidgetKind) selected : TANDEM_WIDGET_LINE;
}

static gboolean
uses_series (TandemWidgetEditor *self)
{
  return !(current_kind (self) == TANDEM_WIDGET_VALUE && gtk_switch_get_active (self->broadcast_switch));
}

void
_tandem_widget_editor_update_sensitivity (TandemWidgetEditor *self)
{
  TandemWidgetKind kind = current_kind (self);
  gboolean series = uses_series (self);
  gboolean aggregated = FALSE;

  for (guint i = 0; i < self->series->len; i++)
    {
      SeriesRows *rows = self->series->pdata[i];

      gtk_widget_set_visible (GTK_WIDGET (rows->group), series);
      aggregated |= adw_combo_row_get_selected (rows->aggregation) != TANDEM_AGGREGATION_NONE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->broadcast_row), kind == TANDEM_WIDGET_VALUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bucket_row), series && aggregated && kind != TANDEM_WIDGET_TABLE);
  /* A table and a single value show one series. */
  gtk_widget_set_visible (GTK_WIDGET (self->add_series_button),
                          series && (kind == TANDEM_WIDGET_LINE || kind == TANDEM_WIDGET_BAR ||
                                     self->series->len == 0) &&
                          self->series->len < TANDEM_WIDGET_MAX_SERIES);
}

static void
add_series_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  tandem_widget_editor_add_series (TANDEM_WIDGET_EDITOR (widget));
}

/* ---- building and checking ---- */

static gboolean
check_identifier (TandemWidgetEditor *self,
                  const char         *field,
                  const char         *text)
{
  g_autoptr(GError) error = NULL;

  if (tandem_dashboard_check_identifier (text, &error))
    return TRUE;
  _tandem_widget_editor_set_error (self, field, error->message);
  return FALSE;
}

/* The place chosen must be free: the grid would draw two widgets on the
 * same cells one over the other. */
static gboolean
check_place (TandemWidgetEditor *self)
{
  guint x = gtk_spin_button_get_value_as_int (self->column_spin);
  guint y = gtk_spin_button_get_value_as_int (self->row_spin);
  guint width = gtk_spin_button_get_value_as_int (self->width_spin);
  guint height = gtk_spin_button_get_value_as_int (self->height_spin);

  for (guint i = 0; i < tandem_dashboard_layout_get_n_widgets (self->layout); i++)
    {
      TandemWidgetSpec *other = tandem_dashboard_layout_get_widget (self->layout, i);
      guint ox, oy, ow, oh;

      if (g_strcmp0 (tandem_widget_spec_get_id (other), tandem_widget_spec_get_id (self->original)) == 0)
        continue;
      tandem_widget_spec_get_position (other, &ox, &oy, &ow, &oh);
      if (x < ox + ow && ox < x + width && y < oy + oh && oy < y + height)
        {
          const char *title = tandem_widget_spec_get_title (other);
          g_autofree char *message = NULL;

          /* Translators: %s is the title of another widget of the dashboard */
          message = title != NULL && *title != '\0' ? g_strdup_printf (_("This place is taken by “%s”"), title)
                                                    : g_strdup (_("This place is taken by another widget"));
          _tandem_widget_editor_set_error (self, "x", message);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tandem_widget_editor_validate (TandemWidgetEditor *self)
{
  gboolean valid = TRUE;
  gboolean aggregated = FALSE;
  TandemWidgetKind kind;
  g_autoptr(TandemWidgetSpec) spec = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TANDEM_IS_WIDGET_EDITOR (self), FALSE);

  clear_errors (self);
  kind = current_kind (self);

  {
    g_autofree char *title = g_strdup (entry_text (GTK_WIDGET (self->title_row)));

    if (*g_strstrip (title) == '\0')
      {
        _tandem_widget_editor_set_error (self, "title", _("A title is needed: it names the widget for everyone"));
        valid = FALSE;
      }
  }

  if (uses_series (self))
    {
      if (self->series->len == 0)
        {
          _tandem_widget_editor_set_error (self, "series", _("Add a series: where the widget’s data comes from"));
          valid = FALSE;
        }
      for (guint i = 0; i < self->series->len; i++)
        {
          SeriesRows *rows = self->series->pdata[i];
          TandemAggregation aggregation = adw_combo_row_get_selected (rows->aggregation);
          g_autofree char *table = g_strdup_printf ("series-%u-table", i);
          g_autofree char *filter = g_strdup_printf ("series-%u-filter", i);
          g_autofree char *time_column = g_strdup_printf ("series-%u-time-column", i);
          g_autofree char *value_column = g_strdup_printf ("series-%u-value-column", i);
          g_autoptr(GError) filter_error = NULL;

          valid &= check_identifier (self, table, entry_text (rows->table));
          valid &= check_identifier (self, time_column, entry_text (rows->time_column));
          if (aggregation != TANDEM_AGGREGATION_COUNT || *entry_text (rows->value_column) != '\0')
            valid &= check_identifier (self, value_column, entry_text (rows->value_column));
          if (!tandem_dashboard_filter_check (entry_text (rows->filter), &filter_error))
            {
              _tandem_widget_editor_set_error (self, filter, filter_error->message);
              valid = FALSE;
            }
          aggregated |= aggregation != TANDEM_AGGREGATION_NONE && kind != TANDEM_WIDGET_TABLE;
        }
    }

  if (aggregated && gtk_spin_button_get_value_as_int (self->bucket_spin) < 1)
    {
      _tandem_widget_editor_set_error (self, "bucket-seconds", _("A count, sum, average, minimum or maximum needs a bucket of at least 1 second"));
      valid = FALSE;
    }
  if (gtk_spin_button_get_value_as_int (self->points_spin) == 0 &&
      gtk_spin_button_get_value_as_int (self->seconds_spin) == 0)
    {
      _tandem_widget_editor_set_error (self, "window-points", _("Show some points, or a time span"));
      valid = FALSE;
    }
  valid &= check_place (self);
  if (!valid)
    return FALSE;

  /* Whatever the fields missed, the layout's own rules catch. */
  spec = tandem_widget_editor_build_spec (self, &error);
  if (spec == NULL)
    {
      _tandem_widget_editor_set_error (self, "title", error->message);
      return FALSE;
    }
  return TRUE;
}

TandemWidgetSpec *
tandem_widget_editor_build_spec (TandemWidgetEditor  *self,
                                 GError             **error)
{
  g_autoptr(TandemWidgetSpec) spec = NULL;
  g_autofree char *title = NULL;
  TandemWidgetKind kind;

  g_return_val_if_fail (TANDEM_IS_WIDGET_EDITOR (self), NULL);

  kind = current_kind (self);
  spec = tandem_widget_spec_copy (self->original);
  tandem_widget_spec_set_kind (spec, kinds[kind]);
  title = g_strstrip (g_strdup (entry_text (GTK_WIDGET (self->title_row))));
  tandem_widget_spec_set_title (spec, title);
  tandem_widget_spec_set_bucket_seconds (spec, gtk_spin_button_get_value_as_int (self->bucket_spin));
  tandem_widget_spec_set_window_points (spec, gtk_spin_button_get_value_as_int (self->points_spin));
  tandem_widget_spec_set_window_seconds (spec, gtk_spin_button_get_value_as_int (self->seconds_spin));
  tandem_widget_spec_set_broadcast (spec, kind == TANDEM_WIDGET_VALUE && gtk_switch_get_active (self->broadcast_switch));
  tandem_widget_spec_set_position (spec, gtk_spin_button_get_value_as_int (self->column_spin),
                                   gtk_spin_button_get_value_as_int (self->row_spin),
                                   gtk_spin_button_get_value_as_int (self->width_spin),
                                   gtk_spin_button_get_value_as_int (self->height_spin));
  tandem_widget_spec_clear_series (spec);
  /* A table and a single value show their first series only. */
  for (guint i = 0; uses_series (self) && i < self->series->len &&
                    (i == 0 || kind == TANDEM_WIDGET_LINE || kind == TANDEM_WIDGET_BAR); i++)
    {
      SeriesRows *rows = self->series->pdata[i];
      g_autoptr(TandemSeriesSpec) series = tandem_series_spec_copy (rows->original);
      g_autofree char *filter = g_strstrip (g_strdup (entry_text (rows->filter)));

      tandem_series_spec_set_label (series, entry_text (rows->label));
      tandem_series_spec_set_table (series, entry_text (rows->table));
      tandem_series_spec_set_filter (series, filter);
      tandem_series_spec_set_time_column (series, entry_text (rows->time_column));
      tandem_series_spec_set_value_column (series, entry_text (rows->value_column));
      tandem_series_spec_set_aggregation (series, adw_combo_row_get_selected (rows->aggregation));
      tandem_widget_spec_add_series (spec, series);
    }
  if (!tandem_widget_spec_validate (spec, error))
    return NULL;
  return g_steal_pointer (&spec);
}

/* ---- saving ---- */

static void
set_saving (TandemWidgetEditor *self,
            gboolean            saving)
{
  self->saving = saving;
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !saving);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TandemWidgetEditor *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!tandem_dashboard_save_layout_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not save: %s"), error->message);

          set_saving (self, FALSE);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  gtk_window_close (GTK_WINDOW (self));
}

void
tandem_widget_editor_save_async (TandemWidgetEditor  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(TandemWidgetSpec) spec = NULL;
  g_autoptr(TandemDashboardLayout) layout = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TANDEM_IS_WIDGET_EDITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_widget_editor_save_async);

  if (self->saving)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "already saving");
      return;
    }
  if (!tandem_widget_editor_validate (self) || (spec = tandem_widget_editor_build_spec (self, &error)) == NULL)
    {
      g_task_return_new_error (task, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                               _("Some fields need fixing"));
      return;
    }

  layout = tandem_dashboard_layout_copy (self->layout);
  tandem_dashboard_layout_put_widget (layout, spec);
  set_saving (self, TRUE);
  tandem_dashboard_save_layout_async (self->client, self->dashboard_id, layout,
                                      cancellable ? cancellable : self->cancellable,
                                      saved_cb, g_steal_pointer (&task));
}

gboolean
tandem_widget_editor_save_finish (TandemWidgetEditor  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (TANDEM_IS_WIDGET_EDITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tandem_widget_editor_save_async (TANDEM_WIDGET_EDITOR (widget), NULL, NULL, NULL);
}

/* ---- GObject ---- */

static void
tandem_widget_editor_dispose (GObject *object)
{
  TandemWidgetEditor *self = (TandemWidgetEditor *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_WIDGET_EDITOR);

  G_OBJECT_CLASS (tandem_widget_editor_parent_class)->dispose (object);
}

static void
tandem_widget_editor_finalize (GObject *object)
{
  TandemWidgetEditor *self = (TandemWidgetEditor *) object;

  g_hash_table_unref (self->fields);
  g_ptr_array_unref (self->series);
  g_clear_pointer (&self->layout, tandem_dashboard_layout_unref);
  g_clear_pointer (&self->original, tandem_widget_spec_unref);
  g_free (self->dashboard_id);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tandem_widget_editor_parent_class)->finalize (object);
}

static void
tandem_widget_editor_class_init (TandemWidgetEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_widget_editor_dispose;
  object_class->finalize = tandem_widget_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/dashboards/tandem-widget-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, page);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, widget_group);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, actions_group);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, bucket_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, bucket_spin);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, points_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, points_spin);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, seconds_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, seconds_spin);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, broadcast_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, broadcast_switch);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, place_group);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, column_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, column_spin);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, row_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, row_spin);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, width_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, width_spin);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, height_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, height_spin);
  gtk_widget_class_bind_template_child (widget_class, TandemWidgetEditor, add_series_button);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-series", NULL, add_series_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tandem_widget_editor_init (TandemWidgetEditor *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) _tandem_widget_editor_field_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) _tandem_widget_editor_series_rows_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  add_field (self, "kind", GTK_WIDGET (self->kind_row), GTK_WIDGET (self->kind_row));
  add_field (self, "title", GTK_WIDGET (self->title_row), GTK_WIDGET (self->title_row));
  add_field (self, "bucket-seconds", GTK_WIDGET (self->bucket_row), GTK_WIDGET (self->bucket_spin));
  add_field (self, "window-points", GTK_WIDGET (self->points_row), GTK_WIDGET (self->points_spin));
  add_field (self, "window-seconds", GTK_WIDGET (self->seconds_row), GTK_WIDGET (self->seconds_spin));
  add_field (self, "broadcast", GTK_WIDGET (self->broadcast_row), GTK_WIDGET (self->broadcast_switch));
  add_field (self, "x", GTK_WIDGET (self->column_row), GTK_WIDGET (self->column_spin));
  add_field (self, "y", GTK_WIDGET (self->row_row), GTK_WIDGET (self->row_spin));
  add_field (self, "width", GTK_WIDGET (self->width_row), GTK_WIDGET (self->width_spin));
  add_field (self, "height", GTK_WIDGET (self->height_row), GTK_WIDGET (self->height_spin));
  {
    /* The list's own error goes above the Add Series button. */
    Field *field = g_new0 (Field, 1);

    field->row = field->input = adw_action_row_new ();
    adw_action_row_set_title_lines (ADW_ACTION_ROW (field->row), 0);
    gtk_widget_add_css_class (field->row, "error");
    gtk_widget_set_visible (field->row, FALSE);
    adw_preferences_group_add (self->actions_group, field->row);
    g_hash_table_replace (self->fields, g_strdup ("series"), field);
  }

  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (_tandem_widget_editor_update_sensitivity), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->broadcast_switch, "notify::active", G_CALLBACK (_tandem_widget_editor_update_sensitivity), self,
                           G_CONNECT_SWAPPED);
}

TandemWidgetEditor *
tandem_widget_editor_new (TandemClient          *client,
                          const char            *dashboard_id,
                          TandemDashboardLayout *layout,
                          const char            *widget_id)
{
  TandemWidgetEditor *self;
  TandemWidgetSpec *spec;

  g_return_val_if_fail (TANDEM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (dashboard_id != NULL, NULL);
  g_return_val_if_fail (layout != NULL, NULL);

  self = g_object_new (TANDEM_TYPE_WIDGET_EDITOR, NULL);
  self->client = g_object_ref (client);
  self->dashboard_id = g_strdup (dashboard_id);
  self->layout = tandem_dashboard_layout_ref (layout);

  spec = widget_id != NULL ? tandem_dashboard_layout_lookup_widget (layout, widget_id) : NULL;
  if (spec != NULL)
    self->original = tandem_widget_spec_ref (spec);
  else
    {
      g_autofree char *id = tandem_dashboard_layout_new_widget_id (layout);
      g_autoptr(TandemSeriesSpec) series = tandem_series_spec_new ();

      /* A new widget goes below the others, a line of counts to start. */
      self->is_new = TRUE;
      self->original = tandem_widget_spec_new (id, "line");
      tandem_widget_spec_set_position (self->original, 0, tandem_dashboard_layout_get_next_row (layout), 1, 1);
      tandem_series_spec_set_aggregation (series, TANDEM_AGGREGATION_COUNT);
      tandem_widget_spec_add_series (self->original, series);
    }

  adw_window_title_set_title (self->window_title, self->is_new ? _("New Widget") : _("Edit Widget"));
  gtk_window_set_title (GTK_WINDOW (self), self->is_new ? _("New Widget") : _("Edit Widget"));

  spec = self->original;
  adw_combo_row_set_selected (self->kind_row, MIN (tandem_widget_spec_get_kind (spec), TANDEM_WIDGET_TABLE));
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), tandem_widget_spec_get_title (spec));
  gtk_spin_button_set_value (self->bucket_spin, tandem_widget_spec_get_bucket_seconds (spec));
  gtk_spin_button_set_value (self->points_spin, tandem_widget_spec_get_window_points (spec));
  gtk_spin_button_set_value (self->seconds_spin, tandem_widget_spec_get_window_seconds (spec));
  gtk_switch_set_active (self->broadcast_switch, tandem_widget_spec_get_broadcast (spec));
  {
    guint x, y, width, height;

    tandem_widget_spec_get_position (spec, &x, &y, &width, &height);
    gtk_spin_button_set_value (self->column_spin, x);
    gtk_spin_button_set_value (self->row_spin, y);
    gtk_spin_button_set_value (self->width_spin, width);
    gtk_spin_button_set_value (self->height_spin, height);
  }
  for (guint i = 0; i < tandem_widget_spec_get_n_series (spec); i++)
    _tandem_widget_editor_append_series (self, tandem_widget_spec_get_series (spec, i));
  _tandem_widget_editor_update_sensitivity (self);
  return self;
}

const char *
tandem_widget_editor_get_widget_id (TandemWidgetEditor *self)
{
  g_return_val_if_fail (TANDEM_IS_WIDGET_EDITOR (self), NULL);
  return tandem_widget_spec_get_id (self->original);
}

GtkWidget *
tandem_widget_editor_get_field (TandemWidgetEditor *self,
                                const char         *field)
{
  Field *f;

  g_return_val_if_fail (TANDEM_IS_WIDGET_EDITOR (self), NULL);

  f = g_hash_table_lookup (self->fields, field);
  return f != NULL ? f->input : NULL;
}

const char *
tandem_widget_editor_get_field_error (TandemWidgetEditor *self,
                                      const char         *field)
{
  Field *f;

  g_return_val_if_fail (TANDEM_IS_WIDGET_EDITOR (self), NULL);

  f = g_hash_table_lookup (self->fields, field);
  return f != NULL ? f->message : NULL;
}

guint
tandem_widget_editor_get_n_series (TandemWidgetEditor *self)
{
  g_return_val_if_fail (TANDEM_IS_WIDGET_EDITOR (self), 0);
  return self->series->len;
}

void
tandem_widget_editor_add_series (TandemWidgetEditor *self)
{
  g_autoptr(TandemSeriesSpec) series = tandem_series_spec_new ();

  g_return_if_fail (TANDEM_IS_WIDGET_EDITOR (self));

  if (self->series->len >= TANDEM_WIDGET_MAX_SERIES)
    return;
  tandem_series_spec_set_aggregation (series, TANDEM_AGGREGATION_COUNT);
  _tandem_widget_editor_append_series (self, series);
  _tandem_widget_editor_update_sensitivity (self);
  _tandem_widget_editor_set_error (self, "series", NULL);
}
