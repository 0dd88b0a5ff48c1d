/* tandem-connection-monitor.c
 *
 * Rows are updated in place (matched by channel name) so that selection and
 * scrolling stay put; the timer runs only while the window is mapped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-connection-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-channel-info.h"
#include "tandem-connection-monitor.h"

struct _TandemConnectionMonitor
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel       *summary;
  GtkColumnView  *column_view;

  TandemClient   *client;
  GListStore     *channels;
  guint           tick_id;
};

G_DEFINE_FINAL_TYPE (TandemConnectionMonitor, tandem_connection_monitor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
int_or (JsonObject *object,
        const char *member,
        gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : fallback;
}

static int
find_channel (TandemConnectionMonitor *self,
              const char              *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->channels));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemChannelInfo) info = g_list_model_get_item (G_LIST_MODEL (self->channels), i);

      if (g_strcmp0 (tandem_channel_info_get_name (info), name) == 0)
        return (int) i;
    }
  return -1;
}

void
tandem_connection_monitor_refresh (TandemConnectionMonitor *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *summary = NULL;
  JsonObject *info;
  JsonArray *list;
  gint64 rtt;
  guint n;

  g_return_if_fail (TANDEM_IS_CONNECTION_MONITOR (self));

  if (self->client == NULL)
    {
      g_list_store_remove_all (self->channels);
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_label_set_label (self->summary, _("Not signed in to a workspace."));
      return;
    }

  node = tandem_client_get_debug_info (self->client);
  info = json_node_get_object (node);
  rtt = int_or (info, "heartbeat_rtt_ms", -1);
  adw_window_title_set_subtitle (self->window_title, json_object_get_string_member_with_default (info, "url", NULL));

  {
    g_autofree char *heartbeat = rtt >= 0 ? g_strdup_printf (_("%d ms"), (int) MIN (rtt, G_MAXINT)) : g_strdup ("—");
    gint64 next = int_or (info, "next_attempt_ms", -1);
    g_autofree char *next_text = next >= 0 ? g_strdup_printf (_("next attempt in %d s"), (int) ((next + 999) / 1000))
                                           : NULL;

    /* Translators: the Connection Monitor's summary line: status, protocol,
     * heartbeat round trip, retries, messages in and out */
    summary = g_strdup_printf (_("Connection: %s%s%s · protocol %s · heartbeat %s · retries %d · in %d · out %d"),
                               json_object_get_string_member_with_default (info, "status", "?"),
                               next_text ? ", " : "", next_text ? next_text : "",
                               json_object_get_string_member_with_default (info, "protocol", "?"),
                               heartbeat,
                               (int) int_or (info, "retries", 0),
                               (int) int_or (info, "messages_in", 0),
                               (int) int_or (info, "messages_out", 0));
    gtk_label_set_label (self->summary, summary);
  }

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list = json_object_get_array_member (info, "channels");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *channel = json_array_get_object_element (list, i);
      const char *name = json_object_get_string_member_with_default (channel, "name", NULL);
      g_autoptr(TandemChannelInfo) row = NULL;
      int position;

      if (name == NULL)
        continue;
      g_hash_table_add (seen, g_strdup (name));
      position = find_channel (self, name);
      if (position >= 0)
        row = g_list_model_get_item (G_LIST_MODEL (self->channels), position);
      else
        {
          row = tandem_channel_info_new (name);
          g_list_store_append (self->channels, row);
        }
      tandem_channel_info_update (row, channel, rtt);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->channels));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TandemChannelInfo) row = g_list_model_get_item (G_LIST_MODEL (self->channels), i - 1);

      if (!g_hash_table_contains (seen, tandem_channel_info_get_name (row)))
        g_list_store_remove (self->channels, i - 1);
    }
}

static gboolean
tick_cb (gpointer data)
{
  tandem_connection_monitor_refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
tandem_connection_monitor_map (GtkWidget *widget)
{
  TandemConnectionMonitor *self = TANDEM_CONNECTION_MONITOR (widget);

  GTK_WIDGET_CLASS (tandem_connection_monitor_parent_class)->map (widget);

  tandem_connection_monitor_refresh (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
tandem_connection_monitor_unmap (GtkWidget *widget)
{
  TandemConnectionMonitor *self = TANDEM_CONNECTION_MONITOR (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (tandem_connection_monitor_parent_class)->unmap (widget);
}

static void
tandem_connection_monitor_dispose (GObject *object)
{
  TandemConnectionMonitor *self = TANDEM_CONNECTION_MONITOR (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_CONNECTION_MONITOR);

  G_OBJECT_CLASS (tandem_connection_monitor_parent_class)->dispose (object);
}

static void
tandem_connection_monitor_finalize (GObject *object)
{
  TandemConnectionMonitor *self = TANDEM_CONNECTION_MONITOR (object);

  g_clear_object (&self->channels);

  G_OBJECT_CLASS (tandem_connection_monitor_parent_class)->finalize (object);
}

static void
tandem_connection_monitor_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  TandemConnectionMonitor *self = TANDEM_CONNECTION_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_monitor_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  TandemConnectionMonitor *self = TANDEM_CONNECTION_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      tandem_connection_monitor_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_monitor_class_init (TandemConnectionMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_connection_monitor_dispose;
  object_class->finalize = tandem_connection_monitor_finalize;
  object_class->get_property = tandem_connection_monitor_get_property;
  object_class->set_property = tandem_connection_monitor_set_property;
  widget_class->map = tandem_connection_monitor_map;
  widget_class->unmap = tandem_connection_monitor_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The columns' factories look it up by name. */
  g_type_ensure (TANDEM_TYPE_CHANNEL_INFO);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-connection-monitor.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionMonitor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionMonitor, summary);
  gtk_widget_class_bind_template_child (widget_class, TandemConnectionMonitor, column_view);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tandem_connection_monitor_init (TandemConnectionMonitor *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->channels = g_list_store_new (TANDEM_TYPE_CHANNEL_INFO);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->channels)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

TandemConnectionMonitor *
tandem_connection_monitor_new (void)
{
  return g_object_new (TANDEM_TYPE_CONNECTION_MONITOR, NULL);
}

TandemClient *
tandem_connection_monitor_get_client (TandemConnectionMonitor *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_MONITOR (self), NULL);
  return self->client;
}

void
tandem_connection_monitor_set_client (TandemConnectionMonitor *self,
                                      TandemClient            *client)
{
  g_return_if_fail (TANDEM_IS_CONNECTION_MONITOR (self));
  g_return_if_fail (client == NULL || TANDEM_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_list_store_remove_all (self->channels);
  tandem_connection_monitor_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

GListModel *
tandem_connection_monitor_get_channels (TandemConnectionMonitor *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_MONITOR (self), NULL);
  return G_LIST_MODEL (self->channels);
}
