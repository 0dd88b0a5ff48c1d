/* tandem-welcome-page-forms.c: sending the forms, and every failure shown at
 * the field it is about: the row gets the "error" style class and a message
 * below it (also its accessible description). Errors that belong to no
 * field become a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-welcome"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-application.h"
#include "tandem-welcome-page-private.h"
#include "tandem-window.h"
#include "tandem-workspace.h"
#include "tandem-workspace-session.h"

GtkWidget *
_tandem_welcome_page_row_for (TandemWelcomePage    *self,
                              TandemWorkspaceField  field,
                              GtkLabel            **error_label)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  GtkWidget *row = NULL;
  GtkLabel *label = NULL;

  if (g_strcmp0 (page, "local") == 0)
    {
      /* A local workspace has one field: its server's failures go there. */
      if (field != TANDEM_WORKSPACE_FIELD_NONE)
        {
          row = GTK_WIDGET (self->name_row);
          label = self->name_error;
        }
    }
  else if (g_strcmp0 (page, "remote") == 0)
    {
      switch (field)
        {
        case TANDEM_WORKSPACE_FIELD_URL:
          row = GTK_WIDGET (self->url_row);
          label = self->url_error;
          break;
        case TANDEM_WORKSPACE_FIELD_KEY:
          row = GTK_WIDGET (self->key_row);
          label = self->key_error;
          break;
        case TANDEM_WORKSPACE_FIELD_EMAIL:
          row = GTK_WIDGET (self->email_row);
          label = self->email_error;
          break;
        case TANDEM_WORKSPACE_FIELD_PASSWORD:
          row = GTK_WIDGET (self->password_row);
          label = self->password_error;
          break;
        case TANDEM_WORKSPACE_FIELD_NAME:
        case TANDEM_WORKSPACE_FIELD_NONE:
        default:
          break;
        }
    }
  else if (g_strcmp0 (page, "sign-in") == 0)
    {
      switch (field)
        {
        case TANDEM_WORKSPACE_FIELD_URL:
        case TANDEM_WORKSPACE_FIELD_KEY:
        case TANDEM_WORKSPACE_FIELD_NAME:
          row = GTK_WIDGET (self->again_server_row);
          label = self->again_server_error;
          break;
        case TANDEM_WORKSPACE_FIELD_EMAIL:
        case TANDEM_WORKSPACE_FIELD_PASSWORD:
          row = GTK_WIDGET (self->again_password_row);
          label = self->again_password_error;
          break;
        case TANDEM_WORKSPACE_FIELD_NONE:
        default:
          break;
        }
    }

  if (error_label != NULL)
    *error_label = label;
  return row;
}

static void
set_field_error (GtkWidget  *row,
                 GtkLabel   *label,
                 const char *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_label_set_label (label, message);
      gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_label_set_label (label, "");
      gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

void
_tandem_welcome_page_clear_errors (TandemWelcomePage *self)
{
  struct { GtkWidget *row; GtkLabel *label; } fields[] = {
    { GTK_WIDGET (self->name_row), self->name_error },
    { GTK_WIDGET (self->url_row), self->url_error },
    { GTK_WIDGET (self->key_row), self->key_error },
    { GTK_WIDGET (self->email_row), self->email_error },
    { GTK_WIDGET (self->password_row), self->password_error },
    { GTK_WIDGET (self->again_server_row), self->again_server_error },
    { GTK_WIDGET (self->again_password_row), self->again_password_error },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    set_field_error (fields[i].row, fields[i].label, NULL);
}

void
_tandem_welcome_page_show_error (TandemWelcomePage *self,
                                 const GError      *raw)
{
  /* Errors are told in words for people, whatever their domain. */
  g_autoptr(GError) error = tandem_workspace_error_translate (g_error_copy (raw));
  TandemWorkspaceField field = tandem_workspace_error_get_field (error);
  GtkLabel *label = NULL;
  GtkWidget *row = _tandem_welcome_page_row_for (self, field, &label);
  GtkRoot *root;

  if (row != NULL)
    {
      set_field_error (row, label, error->message);
      if (GTK_IS_EDITABLE (row))
        gtk_widget_grab_focus (row);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (TANDEM_IS_WINDOW (root))
    tandem_window_add_toast (TANDEM_WINDOW (root), adw_toast_new (error->message));
  else
    g_warning ("%s", error->message);
}

void
_tandem_welcome_page_set_busy (TandemWelcomePage *self,
                               gboolean           busy)
{
  GtkWidget *inputs[] = {
    GTK_WIDGET (self->name_row), self->start_button,
    GTK_WIDGET (self->url_row), GTK_WIDGET (self->key_row), GTK_WIDGET (self->email_row),
    GTK_WIDGET (self->password_row), self->sign_in_button, self->sign_up_button,
    GTK_WIDGET (self->again_password_row), self->again_button,
  };

  self->busy = busy;
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    gtk_widget_set_sensitive (inputs[i], !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->start_spinner), busy);
  gtk_spinner_set_spinning (self->start_spinner, busy);
  gtk_label_set_text_with_mnemonic (self->start_label, busy ? _("Starting…") : _("_Start Workspace"));
  gtk_widget_set_visible (GTK_WIDGET (self->remote_spinner), busy);
  gtk_spinner_set_spinning (self->remote_spinner, busy);
  _tandem_welcome_page_update_header (self);
}

static TandemApplication *
app_of (TandemWelcomePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return TANDEM_IS_APPLICATION (app) ? TANDEM_APPLICATION (app) : NULL;
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TandemWelcomePage) self = user_data;
  g_autoptr(TandemWorkspaceSession) session = NULL;
  g_autoptr(GError) error = NULL;
  TandemApplication *app;

  session = tandem_workspace_session_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  _tandem_welcome_page_set_busy (self, FALSE);
  if (session == NULL)
    {
      _tandem_welcome_page_show_error (self, error);
      return;
    }

  app = app_of (self);
  if (app != NULL)
    tandem_application_set_session (app, session);
  tandem_welcome_page_reset (self);
}

static void
renew_cancellable (TandemWelcomePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
start_local_cb (TandemWelcomePage *self)
{
  TandemApplication *app = app_of (self);

  if (self->busy || app == NULL)
    return;

  _tandem_welcome_page_clear_errors (self);
  renew_cancellable (self);
  _tandem_welcome_page_set_busy (self, TRUE);
  tandem_workspace_session_create_local_async (tandem_application_get_store (app),
                                               gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                               self->cancellable, opened_cb, g_object_ref (self));
}

static void
send_remote (TandemWelcomePage *self,
             gboolean           sign_up)
{
  TandemApplication *app = app_of (self);

  if (self->busy || app == NULL)
    return;

  _tandem_welcome_page_clear_errors (self);
  renew_cancellable (self);
  _tandem_welcome_page_set_busy (self, TRUE);
  tandem_workspace_session_create_remote_async (tandem_application_get_store (app),
                                                gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                                gtk_editable_get_text (GTK_EDITABLE (self->key_row)),
                                                gtk_editable_get_text (GTK_EDITABLE (self->email_row)),
                                                gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                                sign_up, self->cancellable, opened_cb, g_object_ref (self));
}

static void
sign_in_cb (TandemWelcomePage *self)
{
  send_remote (self, FALSE);
}

static void
sign_up_cb (TandemWelcomePage *self)
{
  send_remote (self, TRUE);
}

/* A saved workspace goes through the application, which shows the loading
 * page and, on failure, this form again with the message. */
static void
again_sign_in_cb (TandemWelcomePage *self)
{
  TandemApplication *app = app_of (self);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->again_password_row));

  if (self->busy || app == NULL || self->again_workspace == NULL)
    return;
  if (tandem_workspace_get_kind (self->again_workspace) == TANDEM_WORKSPACE_REMOTE && *password == '\0')
    {
      set_field_error (GTK_WIDGET (self->again_password_row), self->again_password_error, _("Enter your password"));
      return;
    }
  _tandem_welcome_page_clear_errors (self);
  tandem_application_open_workspace (app, self->again_workspace, *password ? password : NULL);
}

static void
again_retry_cb (TandemWelcomePage *self)
{
  TandemApplication *app = app_of (self);

  if (self->busy || app == NULL || self->again_workspace == NULL)
    return;
  _tandem_welcome_page_clear_errors (self);
  tandem_application_open_workspace (app, self->again_workspace, NULL);
}

/* Typing in a field takes its message away. */
static void
field_changed_cb (TandemWelcomePage *self,
                  GtkEditable       *row)
{
  const struct { GtkWidget *row; GtkLabel *label; } fields[] = {
    { GTK_WIDGET (self->name_row), self->name_error },
    { GTK_WIDGET (self->url_row), self->url_error },
    { GTK_WIDGET (self->key_row), self->key_error },
    { GTK_WIDGET (self->email_row), self->email_error },
    { GTK_WIDGET (self->password_row), self->password_error },
    { GTK_WIDGET (self->again_password_row), self->again_password_error },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].row == GTK_WIDGET (row) && gtk_widget_has_css_class (fields[i].row, "error"))
      set_field_error (fields[i].row, fields[i].label, NULL);
}

void
_tandem_welcome_page_class_init_forms (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, start_local_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_up_cb);
  gtk_widget_class_bind_template_callback (widget_class, again_sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, again_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}
