/* tandem-connection-banner.c
 *
 * Shown while reconnecting, offline or failed; not during the first
 * connection, which is quick when all is well.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-connection-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-connection-banner.h"
#include "tandem-connection-watch.h"

struct _TandemConnectionBanner
{
  GtkWidget              parent_instance;

  GtkRevealer           *revealer;
  GtkLabel              *label;
  GtkWidget             *button;

  TandemConnectionWatch *connection;
  GSignalGroup          *connection_signals;
};

G_DEFINE_FINAL_TYPE (TandemConnectionBanner, tandem_connection_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (TandemConnectionBanner *self)
{
  TandemConnectionState state = TANDEM_CONNECTION_CONNECTED;
  g_autofree char *description = NULL;

  if (self->connection != NULL && tandem_connection_watch_get_client (self->connection) != NULL)
    {
      state = tandem_connection_watch_get_state (self->connection);
      description = tandem_connection_watch_dup_description (self->connection);
      gtk_label_set_label (self->label, description);
    }

  gtk_revealer_set_reveal_child (self->revealer,
                                 state != TANDEM_CONNECTION_CONNECTED && state != TANDEM_CONNECTION_CONNECTING);
  gtk_widget_set_sensitive (self->button, state != TANDEM_CONNECTION_CONNECTED);
}

static void
tandem_connection_banner_dispose (GObject *object)
{
  TandemConnectionBanner *self = TANDEM_CONNECTION_BANNER (object);

  if (self->connection_signals != NULL)
    g_signal_group_set_target (self->connection_signals, NULL);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_CONNECTION_BANNER);

  G_OBJECT_CLASS (tandem_connection_banner_parent_class)->dispose (object);
}

static void
tandem_connection_banner_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  TandemConnectionBanner *self = TANDEM_CONNECTION_BANNER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_banner_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  TandemConnectionBanner *self = TANDEM_CONNECTION_BANNER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      tandem_connection_banner_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_banner_class_init (TandemConnectionBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_connection_banner_dispose;
  object_class->get_property = tandem_connection_banner_get_property;
  object_class->set_property = tandem_connection_banner_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, TANDEM_TYPE_CONNECTION_WATCH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-connection-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionBanner, label);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionBanner, button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionbanner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tandem_connection_banner_init (TandemConnectionBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connection_signals = g_signal_group_new (TANDEM_TYPE_CONNECTION_WATCH);
  g_signal_group_connect_swapped (self->connection_signals, "notify", G_CALLBACK (update), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connection problem"), -1);
  update (self);
}

GtkWidget *
tandem_connection_banner_new (void)
{
  return g_object_new (TANDEM_TYPE_CONNECTION_BANNER, NULL);
}

TandemConnectionWatch *
tandem_connection_banner_get_connection (TandemConnectionBanner *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_BANNER (self), NULL);
  return self->connection;
}

void
tandem_connection_banner_set_connection (TandemConnectionBanner *self,
                                         TandemConnectionWatch  *connection)
{
  g_return_if_fail (TANDEM_IS_CONNECTION_BANNER (self));
  g_return_if_fail (connection == NULL || TANDEM_IS_CONNECTION_WATCH (connection));

  if (!g_set_object (&self->connection, connection))
    return;
  g_signal_group_set_target (self->connection_signals, connection);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

gboolean
tandem_connection_banner_get_revealed (TandemConnectionBanner *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
tandem_connection_banner_get_text (TandemConnectionBanner *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_BANNER (self), NULL);
  return gtk_label_get_label (self->label);
}
