/* tandem-connection-watch.c
 *
 * Follows the client's `status` and, while reconnecting, reads the debug
 * info once a second for the countdown. A lost network shows as offline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-connection"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-app-enums.h"
#include "tandem-connection-watch.h"

struct _TandemConnectionWatch
{
  GObject                parent_instance;

  TandemClient          *client;
  GSignalGroup          *client_signals;
  GNetworkMonitor       *network;
  TandemConnectionState  state;
  int                    seconds_to_retry;
  char                  *last_error;
  guint                  tick_id;
  gulong                 network_handler;
};

G_DEFINE_FINAL_TYPE (TandemConnectionWatch, tandem_connection_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  PROP_SECONDS_TO_RETRY,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update (TandemConnectionWatch *self);

static gboolean
tick_cb (gpointer data)
{
  update (data);
  return G_SOURCE_CONTINUE;
}

static void
update (TandemConnectionWatch *self)
{
  TandemConnectionState state = TANDEM_CONNECTION_OFFLINE;
  int seconds = -1;
  g_autofree char *last_error = NULL;

  if (self->client != NULL)
    {
      g_autoptr(JsonNode) info = tandem_client_get_debug_info (self->client);
      JsonObject *object = json_node_get_object (info);
      JsonNode *next = json_object_get_member (object, "next_attempt_ms");
      JsonNode *error = json_object_get_member (object, "last_error");

      if (error != NULL && JSON_NODE_HOLDS_VALUE (error))
        last_error = g_strdup (json_node_get_string (error));

      switch (tandem_client_get_status (self->client))
        {
        case TANDEM_STATUS_CONNECTED:
          state = TANDEM_CONNECTION_CONNECTED;
          break;
        case TANDEM_STATUS_CONNECTING:
          state = TANDEM_CONNECTION_CONNECTING;
          break;
        case TANDEM_STATUS_RECONNECTING:
          state = TANDEM_CONNECTION_RECONNECTING;
          if (next != NULL && JSON_NODE_HOLDS_VALUE (next))
            seconds = (int) ((json_node_get_int (next) + 999) / 1000);
          break;
        case TANDEM_STATUS_ERROR:
          state = TANDEM_CONNECTION_ERROR;
          break;
        case TANDEM_STATUS_DISCONNECTED:
        default:
          state = TANDEM_CONNECTION_OFFLINE;
          break;
        }
      if (state != TANDEM_CONNECTION_CONNECTED && !g_network_monitor_get_network_available (self->network))
        state = TANDEM_CONNECTION_OFFLINE;
    }

  /* Tick only while there is a countdown to show. */
  if (state == TANDEM_CONNECTION_RECONNECTING && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (state != TANDEM_CONNECTION_RECONNECTING)
    g_clear_handle_id (&self->tick_id, g_source_remove);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->seconds_to_retry != seconds)
    {
      self->seconds_to_retry = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_TO_RETRY]);
    }
  if (g_strcmp0 (self->last_error, last_error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_steal_pointer (&last_error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
status_changed_cb (TandemConnectionWatch *self)
{
  update (self);
}

static void
network_changed_cb (GNetworkMonitor       *monitor,
                    gboolean               available,
                    TandemConnectionWatch *self)
{
  update (self);
}

static void
tandem_connection_watch_dispose (GObject *object)
{
  TandemConnectionWatch *self = TANDEM_CONNECTION_WATCH (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_signal_handler (&self->network_handler, self->network);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tandem_connection_watch_parent_class)->dispose (object);
}

static void
tandem_connection_watch_finalize (GObject *object)
{
  TandemConnectionWatch *self = TANDEM_CONNECTION_WATCH (object);

  g_free (self->last_error);

  G_OBJECT_CLASS (tandem_connection_watch_parent_class)->finalize (object);
}

static void
tandem_connection_watch_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TandemConnectionWatch *self = TANDEM_CONNECTION_WATCH (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SECONDS_TO_RETRY:
      g_value_set_int (value, self->seconds_to_retry);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_watch_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TandemConnectionWatch *self = TANDEM_CONNECTION_WATCH (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      tandem_connection_watch_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_watch_class_init (TandemConnectionWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_connection_watch_dispose;
  object_class->finalize = tandem_connection_watch_finalize;
  object_class->get_property = tandem_connection_watch_get_property;
  object_class->set_property = tandem_connection_watch_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TANDEM_TYPE_CONNECTION_STATE, TANDEM_CONNECTION_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECONDS_TO_RETRY] =
    g_param_spec_int ("seconds-to-retry", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_connection_watch_init (TandemConnectionWatch *self)
{
  self->seconds_to_retry = -1;
  self->network = g_network_monitor_get_default ();
  self->network_handler = g_signal_connect (self->network, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  self->client_signals = g_signal_group_new (TANDEM_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "notify::status", G_CALLBACK (status_changed_cb), self);
}

TandemConnectionWatch *
tandem_connection_watch_new (void)
{
  return g_object_new (TANDEM_TYPE_CONNECTION_WATCH, NULL);
}

TandemClient *
tandem_connection_watch_get_client (TandemConnectionWatch *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_WATCH (self), NULL);
  return self->client;
}

void
tandem_connection_watch_set_client (TandemConnectionWatch *self,
                                    TandemClient          *client)
{
  g_return_if_fail (TANDEM_IS_CONNECTION_WATCH (self));
  g_return_if_fail (client == NULL || TANDEM_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_signal_group_set_target (self->client_signals, client);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

TandemConnectionState
tandem_connection_watch_get_state (TandemConnectionWatch *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_WATCH (self), TANDEM_CONNECTION_OFFLINE);
  return self->state;
}

int
tandem_connection_watch_get_seconds_to_retry (TandemConnectionWatch *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_WATCH (self), -1);
  return self->seconds_to_retry;
}

const char *
tandem_connection_watch_get_last_error (TandemConnectionWatch *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_WATCH (self), NULL);
  return self->last_error;
}

char *
tandem_connection_watch_dup_summary (TandemConnectionWatch *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_WATCH (self), NULL);

  switch (self->state)
    {
    case TANDEM_CONNECTION_CONNECTED:
      return g_strdup (_("Connected"));
    case TANDEM_CONNECTION_CONNECTING:
      return g_strdup (_("Connecting…"));
    case TANDEM_CONNECTION_RECONNECTING:
      if (self->seconds_to_retry > 0)
        /* Translators: a countdown in the header bar; %d is a number of seconds */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reconnecting in %d s", "Reconnecting in %d s",
                                             self->seconds_to_retry), self->seconds_to_retry);
      return g_strdup (_("Reconnecting…"));
    case TANDEM_CONNECTION_ERROR:
      return g_strdup (_("Connection Error"));
    case TANDEM_CONNECTION_OFFLINE:
    default:
      return g_strdup (_("Offline"));
    }
}

char *
tandem_connection_watch_dup_description (TandemConnectionWatch *self)
{
  g_return_val_if_fail (TANDEM_IS_CONNECTION_WATCH (self), NULL);

  switch (self->state)
    {
    case TANDEM_CONNECTION_CONNECTED:
      return g_strdup (_("Connected to the workspace."));
    case TANDEM_CONNECTION_CONNECTING:
      return g_strdup (_("Connecting to the workspace…"));
    case TANDEM_CONNECTION_RECONNECTING:
      if (self->seconds_to_retry > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The connection was lost. Trying again in %d second…",
                                             "The connection was lost. Trying again in %d seconds…",
                                             self->seconds_to_retry), self->seconds_to_retry);
      return g_strdup (_("The connection was lost. Reconnecting…"));
    case TANDEM_CONNECTION_ERROR:
      if (self->last_error != NULL)
        /* Translators: %s is the technical reason */
        return g_strdup_printf (_("The workspace cannot be reached: %s"), self->last_error);
      return g_strdup (_("The workspace cannot be reached."));
    case TANDEM_CONNECTION_OFFLINE:
    default:
      if (self->client != NULL && !g_network_monitor_get_network_available (self->network))
        return g_strdup (_("You are offline. Changes will be sent when the network is back."));
      return g_strdup (_("Not connected to the workspace."));
    }
}

void
tandem_connection_watch_reconnect_now (TandemConnectionWatch *self)
{
  g_return_if_fail (TANDEM_IS_CONNECTION_WATCH (self));

  if (self->client != NULL)
    tandem_client_reconnect_now (self->client);
}
