/* tandem-dashboard-widget-export.c: a widget's chart as PNG, its data as
 * CSV, to a file chosen in the portal's file chooser
 *
 * GtkFileDialog where GTK has it (4.10) and the build allows it (the app
 * pins GDK_VERSION_MAX_ALLOWED), GtkFileChooserNative on Debian 12's 4.8.
 * Either way the dialog and the write share the widget's cancellable, so
 * nothing lands on a widget that is gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboard-widget"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tandem-charts.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-widget-private.h"

#if GTK_CHECK_VERSION (4, 10, 0)
# if GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
#  define USE_FILE_DIALOG 1
# endif
#endif

#define DEFAULT_PNG_WIDTH  800
#define DEFAULT_PNG_HEIGHT 400

GBytes *
tandem_dashboard_widget_export_bytes (TandemDashboardWidget  *self,
                                      TandemExportFormat      format,
                                      GError                **error)
{
  int width, height;

  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);

  if (self->chart == NULL || GTK_IS_LABEL (self->chart))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This widget has nothing to export"));
      return NULL;
    }

  if (format == TANDEM_EXPORT_CSV)
    {
      char *csv = tandem_chart_export_csv (self->chart);

      return g_bytes_new_take (csv, strlen (csv));
    }

  /* At the size it is shown, so the picture is what one sees. */
  width = gtk_widget_get_width (self->chart);
  height = gtk_widget_get_height (self->chart);
  if (width <= 0 || height <= 0)
    {
      width = DEFAULT_PNG_WIDTH;
      height = DEFAULT_PNG_HEIGHT;
    }
  return tandem_chart_render_png (self->chart, width, height, error);
}

static void
replace_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tandem_dashboard_widget_export_async (TandemDashboardWidget *self,
                                      TandemExportFormat     format,
                                      GFile                 *file,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  g_return_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_dashboard_widget_export_async);

  /* Rendered now, on the main thread (GTK's); only the write is async. */
  bytes = tandem_dashboard_widget_export_bytes (self, format, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, replace_cb, g_steal_pointer (&task));
}

gboolean
tandem_dashboard_widget_export_finish (TandemDashboardWidget  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_dashboard_widget_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the dialog ---- */

static void
show_error (TandemDashboardWidget *self,
            const GError          *error)
{
  g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TandemDashboardWidget *self = TANDEM_DASHBOARD_WIDGET (source);
  g_autoptr(GError) error = NULL;

  if (!tandem_dashboard_widget_export_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error);
}

static char *
suggested_name (TandemDashboardWidget *self,
                TandemExportFormat     format)
{
  const char *title = tandem_widget_spec_get_title (self->spec);
  g_autofree char *base = g_strdup (*title != '\0' ? title : tandem_widget_spec_get_id (self->spec));

  /* A title is not a file name: no folders in it. */
  g_strdelimit (base, "/\\", '-');
  return g_strconcat (base, format == TANDEM_EXPORT_PNG ? ".png" : ".csv", NULL);
}

static GtkWindow *
parent_window (TandemDashboardWidget *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

#ifdef USE_FILE_DIALOG

typedef struct
{
  TandemDashboardWidget *self;
  TandemExportFormat     format;
} SaveData;

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL && !g_cancellable_is_cancelled (data->self->cancellable))
    tandem_dashboard_widget_export_async (data->self, data->format, file, data->self->cancellable,
                                          export_done_cb, NULL);
  g_object_unref (data->self);
  g_free (data);
}

void
_tandem_dashboard_widget_export_with_dialog (TandemDashboardWidget *self,
                                             TandemExportFormat     format)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autofree char *name = suggested_name (self, format);
  SaveData *data = g_new0 (SaveData, 1);

  gtk_file_dialog_set_title (dialog, format == TANDEM_EXPORT_PNG ? _("Export as PNG") : _("Export as CSV"));
  gtk_file_dialog_set_initial_name (dialog, name);
  data->self = g_object_ref (self);
  data->format = format;
  gtk_file_dialog_save (dialog, parent_window (self), self->cancellable, save_cb, data);
}

#else

static void
response_cb (GtkNativeDialog       *dialog,
             int                    response,
             TandemDashboardWidget *self)
{
  TandemExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tandem-format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        tandem_dashboard_widget_export_async (self, format, file, self->cancellable, export_done_cb, NULL);
    }
  gtk_native_dialog_destroy (dialog);
  if (self->export_dialog == (gpointer) dialog)
    g_clear_object (&self->export_dialog);
}

void
_tandem_dashboard_widget_export_with_dialog (TandemDashboardWidget *self,
                                             TandemExportFormat     format)
{
  g_autofree char *name = suggested_name (self, format);
  GtkFileChooserNative *dialog;

  /* One at a time. */
  if (self->export_dialog != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_dialog));
      g_clear_object (&self->export_dialog);
    }
  dialog = gtk_file_chooser_native_new (format == TANDEM_EXPORT_PNG ? _("Export as PNG") : _("Export as CSV"),
                                        parent_window (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "tandem-format", GINT_TO_POINTER (format));
  /* The widget owns the dialog: dispose destroys it, so no answer comes
   * to a widget that is gone. */
  self->export_dialog = G_OBJECT (dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

#endif
