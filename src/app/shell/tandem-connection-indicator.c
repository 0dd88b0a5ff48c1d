/* tandem-connection-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-connection-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-connection-indicator.h"
#include "tandem-connection-watch.h"

struct _TandemConnectionIndicator
{
  GtkWidget              parent_instance;

  GtkMenuButton         *button;
  GtkImage              *icon;
  GtkLabel              *label;
  GtkLabel              *heading;
  GtkLabel              *detail;
  GtkWidget             *reconnect_button;

  TandemConnectionWatch *connection;
  GSignalGroup          *connection_signals;
  char                  *text;
};

G_DEFINE_FINAL_TYPE (TandemConnectionIndicator, tandem_connection_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_classes[] = { "offline", "connecting", "connected", "reconnecting", "error" };

static void
update (TandemConnectionIndicator *self)
{
  TandemConnectionState state = tandem_connection_indicator_get_state (self);
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;
  g_autofree char *accessible = NULL;
  const char *icon_name;

  if (self->connection != NULL)
    {
      summary = tandem_connection_watch_dup_summary (self->connection);
      description = tandem_connection_watch_dup_description (self->connection);
    }
  else
    {
      summary = g_strdup (_("Offline"));
      description = g_strdup (_("Not signed in to a workspace."));
    }

  switch (state)
    {
    case TANDEM_CONNECTION_CONNECTED:
      icon_name = "network-transmit-receive-symbolic";
      break;
    case TANDEM_CONNECTION_CONNECTING:
    case TANDEM_CONNECTION_RECONNECTING:
      icon_name = "network-no-route-symbolic";
      break;
    case TANDEM_CONNECTION_ERROR:
      icon_name = "network-error-symbolic";
      break;
    case TANDEM_CONNECTION_OFFLINE:
    default:
      icon_name = "network-offline-symbolic";
      break;
    }

  gtk_image_set_from_icon_name (self->icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      if (i == (guint) state)
        gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
    }

  /* Connected is the quiet state: the icon says it; anything else is
   * spelled out, with the countdown. */
  gtk_label_set_label (self->label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->label), state != TANDEM_CONNECTION_CONNECTED);
  gtk_label_set_label (self->heading, summary);
  gtk_label_set_label (self->detail, description);
  gtk_widget_set_visible (self->reconnect_button,
                          state != TANDEM_CONNECTION_CONNECTED && self->connection != NULL &&
                          tandem_connection_watch_get_client (self->connection) != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), description);

  /* Translators: the accessible name of the connection indicator; %s is its state */
  accessible = g_strdup_printf (_("Connection: %s"), summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  g_free (self->text);
  self->text = g_steal_pointer (&summary);
}

static void
tandem_connection_indicator_dispose (GObject *object)
{
  TandemConnectionIndicator *self = TANDEM_CONNECTION_INDICATOR (object);

  if (self->connection_signals != NULL)
    g_signal_group_set_target (self->connection_signals, NULL);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_CONNECTION_INDICATOR);

  G_OBJECT_CLASS (tandem_connection_indicator_parent_class)->dispose (object);
}

static void
tandem_connection_indicator_finalize (GObject *object)
{
  TandemConnectionIndicator *self = TANDEM_CONNECTION_INDICATOR (object);

  g_free (self->text);

  G_OBJECT_CLASS (tandem_connection_indicator_parent_class)->finalize (object);
}

static void
tandem_connection_indicator_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  TandemConnectionIndicator *self = TANDEM_CONNECTION_INDICATOR (object);

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
tandem_connection_indicator_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  TandemConnectionIndicator *self = TANDEM_CONNECTION_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      tandem_connection_indicator_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_indicator_class_init (TandemConnectionIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_connection_indicator_dispose;
  object_class->finalize = tandem_connection_indicator_finalize;
  object_class->get_property = tandem_connection_indicator_get_property;
  object_class->set_property = tandem_connection_indicator_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, TANDEM_TYPE_CONNECTION_WATCH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-connection-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionIndicator, heading);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionIndicator, detail);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionIndicator, reconnect_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionindicator");
}

static void
tandem_connection_indicator_init (TandemConnectionIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connection_signals = g_signal_group_new (TANDEM_TYPE_CONNECTION_WATCH);
  g_signal_group_connect_swapped (self->connection_signals, "notify", G_CALLBACK (update), self);
  update (self);
}

GtkWidget *
tandem_connection_indicator_new (void)
{
  return g_object_new (TANDEM_TYPE_CONNECTION_INDICATOR, NULL);
}

TandemConnectionWatch *
tandem_connection_indicator_get_connection (TandemConnectionIndicator *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_INDICATOR (self), NULL);
  return self->connection;
}

void
tandem_connection_indicator_set_connection (TandemConnectionIndicator *self,
                                            TandemConnectionWatch     *connection)
{
  g_return_if_fail (TANDEM_IS_CONNECTION_INDICATOR (self));
  g_return_if_fail (connection == NULL || TANDEM_IS_CONNECTION_WATCH (connection));

  if (!g_set_object (&self->connection, connection))
    return;
  g_signal_group_set_target (self->connection_signals, connection);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

TandemConnectionState
tandem_connection_indicator_get_state (TandemConnectionIndicator *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_INDICATOR (self), TANDEM_CONNECTION_OFFLINE);

  return self->connection ? tandem_connection_watch_get_state (self->connection) : TANDEM_CONNECTION_OFFLINE;
}

const char *
tandem_connection_indicator_get_text (TandemConnectionIndicator *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_INDICATOR (self), NULL);
  return self->text;
}
