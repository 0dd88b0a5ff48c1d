/* tandem-name-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tandem-name-dialog.h"

#define ENTRY_KEY "tandem-entry"

GtkWidget *
tandem_name_dialog_new (GtkWindow  *parent,
                        const char *heading,
                        const char *response,
                        const char *response_label,
                        const char *name)
{
  GtkWidget *dialog;
  GtkWidget *entry;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (response != NULL && response_label != NULL, NULL);

  dialog = adw_message_dialog_new (parent, heading, NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), name ? name : "");
  gtk_entry_set_max_length (GTK_ENTRY (entry), TANDEM_NAME_MAX_LENGTH);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), response, response_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), response);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), ENTRY_KEY, entry);
  return dialog;
}

GtkWidget *
tandem_name_dialog_get_entry (AdwMessageDialog *dialog)
{
  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);
  return g_object_get_data (G_OBJECT (dialog), ENTRY_KEY);
}

char *
tandem_name_dialog_dup_name (AdwMessageDialog *dialog)
{
  GtkEditable *entry;
  g_autofree char *name = NULL;

  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);

  entry = GTK_EDITABLE (tandem_name_dialog_get_entry (dialog));
  g_return_val_if_fail (GTK_IS_EDITABLE (entry), NULL);
  name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  return *name != '\0' ? g_steal_pointer (&name) : NULL;
}
