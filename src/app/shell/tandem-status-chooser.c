/* tandem-status-chooser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-status-chooser"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tandem-app-enums.h"
#include "tandem-person-row.h"
#include "tandem-status-chooser.h"
#include "tandem-workspace-session.h"

struct _TandemStatusChooser
{
  GtkWidget         parent_instance;

  GtkMenuButton    *button;
  AdwAvatar        *avatar;
  GtkWidget        *dot;
  GtkLabel         *name_label;
  GtkLabel         *status_label;

  char             *user_id;
  char             *display_name;
  char             *color_class;
  TandemUserStatus  status;
};

G_DEFINE_FINAL_TYPE (TandemStatusChooser, tandem_status_chooser, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_USER_ID,
  PROP_DISPLAY_NAME,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const dot_classes[] = { "online", "away", "dnd", "invisible" };

static void
update (TandemStatusChooser *self)
{
  const char *status = tandem_user_status_to_string (self->status);
  const char *name = self->display_name && *self->display_name ? self->display_name : _("Signed Out");
  g_autofree char *accessible = NULL;

  adw_avatar_set_text (self->avatar, self->display_name);
  if (self->color_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->avatar), self->color_class);
  g_free (self->color_class);
  self->color_class = self->user_id ? tandem_person_color_class (self->user_id) : NULL;
  if (self->color_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->avatar), self->color_class);

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->status_label, tandem_person_status_label (status));
  for (guint i = 0; i < G_N_ELEMENTS (dot_classes); i++)
    {
      if (g_str_equal (dot_classes[i], status))
        gtk_widget_add_css_class (self->dot, dot_classes[i]);
      else
        gtk_widget_remove_css_class (self->dot, dot_classes[i]);
    }

  /* Translators: the accessible name of one's status button; %s is the status */
  accessible = g_strdup_printf (_("Your status: %s"), tandem_person_status_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), _("Change your status"));
}

static void
tandem_status_chooser_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TANDEM_TYPE_STATUS_CHOOSER);

  G_OBJECT_CLASS (tandem_status_chooser_parent_class)->dispose (object);
}

static void
tandem_status_chooser_finalize (GObject *object)
{
  TandemStatusChooser *self = TANDEM_STATUS_CHOOSER (object);

  g_free (self->user_id);
  g_free (self->display_name);
  g_free (self->color_class);

  G_OBJECT_CLASS (tandem_status_chooser_parent_class)->finalize (object);
}

static void
tandem_status_chooser_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TandemStatusChooser *self = TANDEM_STATUS_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
tandem_status_chooser_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TandemStatusChooser *self = TANDEM_STATUS_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      if (set_string (&self->user_id, g_value_get_string (value)))
        {
          update (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_DISPLAY_NAME:
      if (set_string (&self->display_name, g_value_get_string (value)))
        {
          update (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_STATUS:
      tandem_status_chooser_set_status (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_status_chooser_class_init (TandemStatusChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_status_chooser_dispose;
  object_class->finalize = tandem_status_chooser_finalize;
  object_class->get_property = tandem_status_chooser_get_property;
  object_class->set_property = tandem_status_chooser_set_property;

  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TANDEM_TYPE_USER_STATUS, TANDEM_USER_ONLINE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-status-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemStatusChooser, button);
  gtk_widget_class_bind_template_child (widget_class, TandemStatusChooser, avatar);
  gtk_widget_class_bind_template_child (widget_class, TandemStatusChooser, dot);
  gtk_widget_class_bind_template_child (widget_class, TandemStatusChooser, name_label);
  gtk_widget_class_bind_template_child (widget_class, TandemStatusChooser, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statuschooser");
}

static void
tandem_status_chooser_init (TandemStatusChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
tandem_status_chooser_new (void)
{
  return g_object_new (TANDEM_TYPE_STATUS_CHOOSER, NULL);
}

TandemUserStatus
tandem_status_chooser_get_status (TandemStatusChooser *self)
{
  g_return_val_if_fail (TANDEM_IS_STATUS_CHOOSER (self), TANDEM_USER_ONLINE);
  return self->status;
}

void
tandem_status_chooser_set_status (TandemStatusChooser *self,
                                  TandemUserStatus     status)
{
  g_return_if_fail (TANDEM_IS_STATUS_CHOOSER (self));

  if (self->status == status)
    return;
  self->status = status;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}
