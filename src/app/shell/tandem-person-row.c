/* tandem-person-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-people"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tandem-person-row.h"
#include "tandem-user-color.h"

struct _TandemPersonRow
{
  GtkListBoxRow        parent_instance;

  AdwAvatar           *avatar;
  GtkWidget           *dot;
  GtkLabel            *name_label;
  GtkLabel            *status_label;

  TandemPresenceEntry *entry;
  char                *name;
  char                *status;
};

G_DEFINE_FINAL_TYPE (TandemPersonRow, tandem_person_row, GTK_TYPE_LIST_BOX_ROW)

const char *
tandem_person_status_label (const char *status)
{
  if (g_strcmp0 (status, "away") == 0)
    return _("Away");
  if (g_strcmp0 (status, "dnd") == 0)
    return _("Do Not Disturb");
  if (g_strcmp0 (status, "invisible") == 0)
    return _("Invisible");
  return _("Online");
}

char *
tandem_person_color_class (const char *user_id)
{
  return g_strdup_printf ("tandem-color-%u", tandem_user_color_index (user_id));
}

static void
tandem_person_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TANDEM_TYPE_PERSON_ROW);

  G_OBJECT_CLASS (tandem_person_row_parent_class)->dispose (object);
}

static void
tandem_person_row_finalize (GObject *object)
{
  TandemPersonRow *self = TANDEM_PERSON_ROW (object);

  g_clear_object (&self->entry);
  g_free (self->name);
  g_free (self->status);

  G_OBJECT_CLASS (tandem_person_row_parent_class)->finalize (object);
}

static void
tandem_person_row_class_init (TandemPersonRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_person_row_dispose;
  object_class->finalize = tandem_person_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-person-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemPersonRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, TandemPersonRow, dot);
  gtk_widget_class_bind_template_child (widget_class, TandemPersonRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TandemPersonRow, status_label);
}

static void
tandem_person_row_init (TandemPersonRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
update_accessible (TandemPersonRow *self)
{
  g_autofree char *accessible = NULL;

  /* Translators: how a screen reader reads a person; name, then status */
  accessible = g_strdup_printf (_("%s, %s"), gtk_label_get_label (self->name_label),
                                tandem_person_status_label (self->status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

GtkWidget *
tandem_person_row_new (TandemPresenceEntry *entry,
                       gboolean             is_self)
{
  TandemPersonRow *self;
  const char *name, *status, *key;
  g_autofree char *color_class = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (TANDEM_IS_PRESENCE_ENTRY (entry), NULL);

  self = g_object_new (TANDEM_TYPE_PERSON_ROW, NULL);
  self->entry = g_object_ref (entry);
  key = tandem_presence_entry_get_key (entry);
  name = tandem_presence_entry_get_string (entry, "name");
  status = tandem_presence_entry_get_string (entry, "status");
  self->name = g_strdup (name && *name ? name : _("Someone"));

  /* Translators: one's own row in the people list; %s is one's name */
  shown = is_self ? g_strdup_printf (_("%s (You)"), self->name) : g_strdup (self->name);
  adw_avatar_set_text (self->avatar, self->name);
  color_class = tandem_person_color_class (key);
  gtk_widget_add_css_class (GTK_WIDGET (self->avatar), color_class);
  gtk_label_set_label (self->name_label, shown);
  tandem_person_row_set_status (self, status ? status : "online");
  return GTK_WIDGET (self);
}

void
tandem_person_row_set_status (TandemPersonRow *self,
                              const char      *status)
{
  g_return_if_fail (TANDEM_IS_PERSON_ROW (self));
  g_return_if_fail (status != NULL);

  if (g_strcmp0 (self->status, status) == 0)
    return;
  if (self->status != NULL)
    gtk_widget_remove_css_class (self->dot, self->status);
  g_free (self->status);
  self->status = g_strdup (status);
  gtk_label_set_label (self->status_label, tandem_person_status_label (self->status));
  gtk_widget_add_css_class (self->dot, self->status);
  update_accessible (self);
}

TandemPresenceEntry *
tandem_person_row_get_entry (TandemPersonRow *self)
{
  g_return_val_if_fail (TANDEM_IS_PERSON_ROW (self), NULL);
  return self->entry;
}

const char *
tandem_person_row_get_name (TandemPersonRow *self)
{
  g_return_val_if_fail (TANDEM_IS_PERSON_ROW (self), NULL);
  return self->name;
}

const char *
tandem_person_row_get_status (TandemPersonRow *self)
{
  g_return_val_if_fail (TANDEM_IS_PERSON_ROW (self), NULL);
  return self->status;
}
