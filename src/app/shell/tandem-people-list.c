/* tandem-people-list.c
 *
 * Presence entries are replaced, never changed, so a row is made once per
 * entry and the list box follows the model. One's own row shows the status
 * one chose at once (#TandemPeopleList:own-status), not what presence last
 * said: presence updates are paced (5 per 30 s), so the entry may be a few
 * seconds behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-people"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem.h"
#include "tandem-people-list.h"
#include "tandem-person-row.h"

struct _TandemPeopleList
{
  GtkWidget   parent_instance;

  GtkListBox *list;
  GListModel *model;
  char       *own_key;
  char       *own_status;
};

G_DEFINE_FINAL_TYPE (TandemPeopleList, tandem_people_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_OWN_KEY,
  PROP_OWN_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  TandemPeopleList *self = user_data;
  TandemPresenceEntry *entry = item;
  gboolean own = g_strcmp0 (tandem_presence_entry_get_key (entry), self->own_key) == 0;
  GtkWidget *row = tandem_person_row_new (entry, own);

  if (own && self->own_status != NULL)
    tandem_person_row_set_status (TANDEM_PERSON_ROW (row), self->own_status);
  return row;
}

static void
rebind (TandemPeopleList *self)
{
  gtk_list_box_bind_model (self->list, self->model, self->model ? create_row : NULL, self, NULL);
}

static void
tandem_people_list_dispose (GObject *object)
{
  TandemPeopleList *self = TANDEM_PEOPLE_LIST (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->model);
  g_clear_pointer ((GtkWidget **) &self->list, gtk_widget_unparent);

  G_OBJECT_CLASS (tandem_people_list_parent_class)->dispose (object);
}

static void
tandem_people_list_finalize (GObject *object)
{
  TandemPeopleList *self = TANDEM_PEOPLE_LIST (object);

  g_free (self->own_key);
  g_free (self->own_status);

  G_OBJECT_CLASS (tandem_people_list_parent_class)->finalize (object);
}

static void
tandem_people_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TandemPeopleList *self = TANDEM_PEOPLE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_OWN_KEY:
      g_value_set_string (value, self->own_key);
      break;
    case PROP_OWN_STATUS:
      g_value_set_string (value, self->own_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_people_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TandemPeopleList *self = TANDEM_PEOPLE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      tandem_people_list_set_model (self, g_value_get_object (value));
      break;
    case PROP_OWN_KEY:
      tandem_people_list_set_own_key (self, g_value_get_string (value));
      break;
    case PROP_OWN_STATUS:
      tandem_people_list_set_own_status (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_people_list_class_init (TandemPeopleListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_people_list_dispose;
  object_class->finalize = tandem_people_list_finalize;
  object_class->get_property = tandem_people_list_get_property;
  object_class->set_property = tandem_people_list_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWN_KEY] =
    g_param_spec_string ("own-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemPeopleList:own-status:
   *
   * The status one's own row shows ("online", "away", "dnd"), whatever
   * its presence entry says; %NULL: as the entry says.
   */
  properties[PROP_OWN_STATUS] =
    g_param_spec_string ("own-status", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "peoplelist");
}

static void
tandem_people_list_init (TandemPeopleList *self)
{
  GtkWidget *placeholder;

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("People"), -1);

  placeholder = gtk_label_new (_("Nobody is here yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 6);
  gtk_widget_set_margin_bottom (placeholder, 6);
  gtk_list_box_set_placeholder (self->list, placeholder);
  gtk_widget_set_parent (GTK_WIDGET (self->list), GTK_WIDGET (self));
}

GtkWidget *
tandem_people_list_new (void)
{
  return g_object_new (TANDEM_TYPE_PEOPLE_LIST, NULL);
}

GListModel *
tandem_people_list_get_model (TandemPeopleList *self)
{
  g_return_val_if_fail (TANDEM_IS_PEOPLE_LIST (self), NULL);
  return self->model;
}

void
tandem_people_list_set_model (TandemPeopleList *self,
                              GListModel       *model)
{
  g_return_if_fail (TANDEM_IS_PEOPLE_LIST (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;
  rebind (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
tandem_people_list_set_own_key (TandemPeopleList *self,
                                const char       *key)
{
  g_return_if_fail (TANDEM_IS_PEOPLE_LIST (self));

  if (g_strcmp0 (self->own_key, key) == 0)
    return;
  g_free (self->own_key);
  self->own_key = g_strdup (key);
  rebind (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWN_KEY]);
}

void
tandem_people_list_set_own_status (TandemPeopleList *self,
                                   const char       *status)
{
  TandemPersonRow *row;

  g_return_if_fail (TANDEM_IS_PEOPLE_LIST (self));

  if (g_strcmp0 (self->own_status, status) == 0)
    return;
  g_free (self->own_status);
  self->own_status = g_strdup (status);
  row = self->own_key != NULL ? tandem_people_list_find_row (self, self->own_key) : NULL;
  if (row != NULL && status != NULL)
    tandem_person_row_set_status (row, status);
  else if (row != NULL)
    rebind (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWN_STATUS]);
}

TandemPersonRow *
tandem_people_list_find_row (TandemPeopleList *self,
                             const char       *key)
{
  g_return_val_if_fail (TANDEM_IS_PEOPLE_LIST (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (TANDEM_IS_PERSON_ROW (child) &&
        g_strcmp0 (tandem_presence_entry_get_key (tandem_person_row_get_entry (TANDEM_PERSON_ROW (child))), key) == 0)
      return TANDEM_PERSON_ROW (child);
  return NULL;
}
