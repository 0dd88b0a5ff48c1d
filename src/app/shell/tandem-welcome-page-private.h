/* tandem-welcome-page-private.h: shared by tandem-welcome-page.c (the
 * widget and its pages) and tandem-welcome-page-forms.c (sending the forms,
 * messages at their fields)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-welcome-page.h"

G_BEGIN_DECLS

struct _TandemWelcomePage
{
  GtkWidget        parent_instance;

  AdwWindowTitle  *title;
  GtkWidget       *back_button;
  GtkWidget       *cancel_button;
  GtkWidget       *root_box;
  GtkStack        *stack;

  AdwEntryRow     *name_row;
  GtkLabel        *name_error;
  GtkWidget       *start_button;
  GtkSpinner      *start_spinner;
  GtkLabel        *start_label;

  AdwEntryRow     *url_row;
  GtkLabel        *url_error;
  AdwEntryRow     *key_row;
  GtkLabel        *key_error;
  AdwEntryRow     *email_row;
  GtkLabel        *email_error;
  AdwEntryRow     *password_row;
  GtkLabel        *password_error;
  GtkWidget       *sign_in_button;
  GtkWidget       *sign_up_button;
  GtkSpinner      *remote_spinner;

  GtkLabel        *again_title;
  AdwActionRow    *again_server_row;
  GtkLabel        *again_server_error;
  AdwEntryRow     *again_email_row;
  AdwEntryRow     *again_password_row;
  GtkLabel        *again_password_error;
  GtkWidget       *again_button;

  TandemWorkspace *again_workspace;
  GCancellable    *cancellable;
  gboolean         can_cancel;
  gboolean         busy;
};

/* tandem-welcome-page.c */
void       _tandem_welcome_page_update_header (TandemWelcomePage *self);

/* tandem-welcome-page-forms.c */
void       _tandem_welcome_page_class_init_forms (GtkWidgetClass  *widget_class);
void       _tandem_welcome_page_clear_errors  (TandemWelcomePage *self);
void       _tandem_welcome_page_show_error    (TandemWelcomePage *self,
                                               const GError      *error);
GtkWidget *_tandem_welcome_page_row_for       (TandemWelcomePage   *self,
                                               TandemWorkspaceField field,
                                               GtkLabel           **error_label);
void       _tandem_welcome_page_set_busy      (TandemWelcomePage *self,
                                               gboolean           busy);

G_END_DECLS
