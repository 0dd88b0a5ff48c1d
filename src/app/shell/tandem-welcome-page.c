/* tandem-welcome-page.c: the widget and moving between its pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-welcome"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-welcome-page-private.h"
#include "tandem-workspace.h"

G_DEFINE_FINAL_TYPE (TandemWelcomePage, tandem_welcome_page, GTK_TYPE_WIDGET)

enum {
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_tandem_welcome_page_update_header (TandemWelcomePage *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean choosing = g_strcmp0 (page, "choose") == 0;
  gboolean again = g_strcmp0 (page, "sign-in") == 0;

  gtk_widget_set_visible (self->back_button, !choosing);
  gtk_widget_set_visible (self->cancel_button, choosing && self->can_cancel);
  gtk_widget_set_sensitive (self->back_button, !self->busy);

  if (choosing)
    adw_window_title_set_title (self->title, "");
  else if (again)
    adw_window_title_set_title (self->title, _("Sign In"));
  else if (g_strcmp0 (page, "local") == 0)
    adw_window_title_set_title (self->title, _("Local Workspace"));
  else
    adw_window_title_set_title (self->title, _("Supabase Project"));
}

static void
back_clicked_cb (TandemWelcomePage *self)
{
  g_cancellable_cancel (self->cancellable);
  _tandem_welcome_page_set_busy (self, FALSE);
  _tandem_welcome_page_clear_errors (self);
  tandem_welcome_page_show (self, "choose");
}

static void
cancel_clicked_cb (TandemWelcomePage *self)
{
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
local_choice_cb (TandemWelcomePage *self)
{
  tandem_welcome_page_show (self, "local");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
remote_choice_cb (TandemWelcomePage *self)
{
  tandem_welcome_page_show (self, "remote");
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

static void
tandem_welcome_page_dispose (GObject *object)
{
  TandemWelcomePage *self = TANDEM_WELCOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->again_workspace);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (tandem_welcome_page_parent_class)->dispose (object);
}

static void
tandem_welcome_page_class_init (TandemWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_welcome_page_dispose;

  /**
   * TandemWelcomePage::cancelled:
   *
   * Cancel was clicked: back to the open workspace.
   */
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, root_box);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, title);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, back_button);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, name_error);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, start_button);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, start_spinner);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, start_label);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, url_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, url_error);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, key_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, key_error);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, email_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, email_error);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, password_error);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, sign_up_button);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, remote_spinner);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, again_title);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, again_server_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, again_server_error);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, again_email_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, again_password_row);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, again_password_error);
  gtk_widget_class_bind_template_child (widget_class, TandemWelcomePage, again_button);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_choice_cb);
  gtk_widget_class_bind_template_callback (widget_class, remote_choice_cb);
  _tandem_welcome_page_class_init_forms (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "welcomepage");
}

static void
tandem_welcome_page_init (TandemWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  _tandem_welcome_page_update_header (self);
}

GtkWidget *
tandem_welcome_page_new (void)
{
  return g_object_new (TANDEM_TYPE_WELCOME_PAGE, NULL);
}

void
tandem_welcome_page_reset (TandemWelcomePage *self)
{
  AdwEntryRow *rows[] = { self->name_row, self->url_row, self->key_row, self->email_row, self->password_row,
                          self->again_password_row };

  g_return_if_fail (TANDEM_IS_WELCOME_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  _tandem_welcome_page_set_busy (self, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
  _tandem_welcome_page_clear_errors (self);
  tandem_welcome_page_show (self, "choose");
}

void
tandem_welcome_page_set_can_cancel (TandemWelcomePage *self,
                                    gboolean           can_cancel)
{
  g_return_if_fail (TANDEM_IS_WELCOME_PAGE (self));

  self->can_cancel = can_cancel;
  _tandem_welcome_page_update_header (self);
}

void
tandem_welcome_page_show_sign_in (TandemWelcomePage *self,
                                  TandemWorkspace   *workspace,
                                  const GError      *error)
{
  g_autofree char *title = NULL;
  const char *url;
  gboolean remote;

  g_return_if_fail (TANDEM_IS_WELCOME_PAGE (self));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));

  g_set_object (&self->again_workspace, workspace);
  /* Translators: %s is a workspace's name */
  title = g_strdup_printf (_("Sign In to %s"), tandem_workspace_get_name (workspace));
  gtk_label_set_label (self->again_title, title);
  url = tandem_workspace_get_url (workspace);
  adw_action_row_set_subtitle (self->again_server_row,
                               tandem_workspace_get_kind (workspace) == TANDEM_WORKSPACE_LOCAL
                                 ? _("On this computer") : (url ? url : ""));
  gtk_editable_set_text (GTK_EDITABLE (self->again_email_row), tandem_workspace_get_email (workspace) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->again_password_row), "");
  /* A local account's password is in the keyring: nothing to type. */
  remote = tandem_workspace_get_kind (workspace) == TANDEM_WORKSPACE_REMOTE;
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->again_password_row)), remote);
  gtk_button_set_label (GTK_BUTTON (self->again_button), remote ? _("Sign _In") : _("_Try Again"));
  _tandem_welcome_page_set_busy (self, FALSE);
  _tandem_welcome_page_clear_errors (self);
  tandem_welcome_page_show (self, "sign-in");
  if (error != NULL)
    _tandem_welcome_page_show_error (self, error);
}

void
tandem_welcome_page_show (TandemWelcomePage *self,
                          const char        *name)
{
  g_return_if_fail (TANDEM_IS_WELCOME_PAGE (self));

  gtk_stack_set_visible_child_name (self->stack, name);
  _tandem_welcome_page_update_header (self);
}

const char *
tandem_welcome_page_get_visible (TandemWelcomePage *self)
{
  g_return_val_if_fail (TANDEM_IS_WELCOME_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
tandem_welcome_page_get_row (TandemWelcomePage    *self,
                             TandemWorkspaceField  field)
{
  g_return_val_if_fail (TANDEM_IS_WELCOME_PAGE (self), NULL);
  return _tandem_welcome_page_row_for (self, field, NULL);
}

const char *
tandem_welcome_page_get_error (TandemWelcomePage    *self,
                               TandemWorkspaceField  field)
{
  GtkLabel *label = NULL;

  g_return_val_if_fail (TANDEM_IS_WELCOME_PAGE (self), NULL);

  _tandem_welcome_page_row_for (self, field, &label);
  if (label == NULL || !gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_label (label);
}

GtkWidget *
tandem_welcome_page_get_button (TandemWelcomePage *self)
{
  const char *page;

  g_return_val_if_fail (TANDEM_IS_WELCOME_PAGE (self), NULL);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (page, "local") == 0)
    return self->start_button;
  if (g_strcmp0 (page, "remote") == 0)
    return self->sign_in_button;
  if (g_strcmp0 (page, "sign-in") == 0)
    return self->again_button;
  return NULL;
}

gboolean
tandem_welcome_page_get_busy (TandemWelcomePage *self)
{
  g_return_val_if_fail (TANDEM_IS_WELCOME_PAGE (self), FALSE);
  return self->busy;
}
