/* tandem-whiteboard-view-export.c: a board exported as PNG or SVG
 *
 * The PNG is the canvas's drawing (tandem_board_render_texture()) at one
 * pixel per board unit, the SVG the same shapes as vector paths; both
 * with a margin around the strokes, on white. The file is asked for with
 * GtkFileDialog where GTK has it (4.10), else a native file chooser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboard-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tandem-board-export.h"
#include "tandem-board-render.h"
#include "tandem-board-sync.h"
#include "tandem-whiteboard-view-private.h"

#if GTK_CHECK_VERSION (4, 10, 0)
# if GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
#  define USE_FILE_DIALOG 1
# endif
#endif

#define EXPORT_PADDING 16.0

gboolean
tandem_whiteboard_view_export_png (TandemWhiteboardView  *self,
                                   GFile                 *file,
                                   GError               **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (TANDEM_IS_WHITEBOARD_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  texture = tandem_board_render_texture (tandem_board_sync_get_model (self->sync), EXPORT_PADDING, 1, error);
  if (texture == NULL)
    return FALSE;
  bytes = gdk_texture_save_to_png_bytes (texture);
  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

gboolean
tandem_whiteboard_view_export_svg (TandemWhiteboardView  *self,
                                   GFile                 *file,
                                   GError               **error)
{
  g_autofree char *svg = NULL;

  g_return_val_if_fail (TANDEM_IS_WHITEBOARD_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  svg = tandem_board_export_to_svg (tandem_board_sync_get_model (self->sync), NULL, EXPORT_PADDING, "#ffffff");
  return g_file_replace_contents (file, svg, strlen (svg), NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                  NULL, error);
}

static void
export_to (TandemWhiteboardView *self,
           GFile                *file,
           gboolean              png)
{
  g_autoptr(GError) error = NULL;
  gboolean done = png ? tandem_whiteboard_view_export_png (self, file, &error)
                      : tandem_whiteboard_view_export_svg (self, file, &error);

  if (!done)
    {
      g_autofree char *message = g_strdup_printf (_("Could not export the whiteboard: %s"), error->message);

      _tandem_whiteboard_view_toast (self, message);
    }
  else
    _tandem_whiteboard_view_toast (self, _("Whiteboard exported"));
}

#ifdef USE_FILE_DIALOG
static void
save_dialog_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TandemWhiteboardView) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  gboolean png = GPOINTER_TO_INT (g_object_get_data (source, "tandem-png"));

  if (file != NULL && self->sync != NULL)
    export_to (self, file, png);
}
#else
static void
chooser_response_cb (GtkNativeDialog      *chooser,
                     int                   response,
                     TandemWhiteboardView *self)
{
  gboolean png = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "tandem-png"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        export_to (self, file, png);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}
#endif

static void
ask_file (TandemWhiteboardView *self,
          gboolean              png)
{
  const char *title = png ? _("Export as PNG") : _("Export as SVG");
  const char *name = png ? _("Whiteboard.png") : _("Whiteboard.svg");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, png ? _("PNG Images") : _("SVG Images"));
  gtk_file_filter_add_mime_type (filter, png ? "image/png" : "image/svg+xml");
#ifdef USE_FILE_DIALOG
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_initial_name (dialog, name);
    gtk_file_dialog_set_default_filter (dialog, filter);
    g_object_set_data (G_OBJECT (dialog), "tandem-png", GINT_TO_POINTER (png));
    gtk_file_dialog_save (dialog, _tandem_whiteboard_view_parent_window (self), self->cancellable, save_dialog_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, _tandem_whiteboard_view_parent_window (self),
                                                                 GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                 _("_Export"), _("_Cancel"));

    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    g_object_set_data (G_OBJECT (chooser), "tandem-png", GINT_TO_POINTER (png));
    g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

void
_tandem_whiteboard_view_export_png_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  ask_file (TANDEM_WHITEBOARD_VIEW (widget), TRUE);
}

void
_tandem_whiteboard_view_export_svg_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  ask_file (TANDEM_WHITEBOARD_VIEW (widget), FALSE);
}
