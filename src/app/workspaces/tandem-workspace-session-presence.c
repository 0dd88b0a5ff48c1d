/* tandem-workspace-session-presence.c: the `workspace` channel and one's own
 * status
 *
 * Presence key: the user id; meta {"name", "color", "status", "online_at"}.
 * A track goes out only when the status changes (and again after every
 * rejoin, as the server forgets a connection's presence with it); invisible
 * untracks. libtandem paces presence pushes to the server's 5 per 30 s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-presence"

#include "config.h"

#include "tandem-user-color.h"
#include "tandem-workspace-session-private.h"

#define properties _tandem_workspace_session_properties

static JsonObject *
build_meta (TandemWorkspaceSession *self)
{
  JsonObject *meta = json_object_new ();

  json_object_set_string_member (meta, "name", self->display_name ? self->display_name : "");
  json_object_set_string_member (meta, "color", tandem_user_color_hex (tandem_user_color_index (self->user_id)));
  json_object_set_string_member (meta, "status", tandem_user_status_to_string (self->status));
  json_object_set_string_member (meta, "online_at", self->online_at ? self->online_at : "");
  return meta;
}

static void
track_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tandem_channel_track_finish (TANDEM_CHANNEL (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED))
    g_debug ("presence track: %s", error->message);
}

static void
untrack_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tandem_channel_untrack_finish (TANDEM_CHANNEL (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED))
    g_debug ("presence untrack: %s", error->message);
}

static void
track (TandemWorkspaceSession *self)
{
  g_autoptr(JsonObject) meta = build_meta (self);

  self->tracked = TRUE;
  tandem_channel_track_async (self->channel, meta, self->cancellable, track_cb, NULL);
}

static void
untrack (TandemWorkspaceSession *self)
{
  self->tracked = FALSE;
  tandem_channel_untrack_async (self->channel, self->cancellable, untrack_cb, NULL);
}

static void
subscribe_state_cb (TandemChannel          *channel,
                    TandemSubscribeState    state,
                    const GError           *error,
                    TandemWorkspaceSession *self)
{
  if (state == TANDEM_SUBSCRIBE_SUBSCRIBED)
    {
      if (self->status != TANDEM_USER_INVISIBLE && !self->closing)
        track (self);
    }
  else if (error != NULL)
    g_debug ("workspace channel: %s", error->message);
}

void
_tandem_workspace_session_join_presence (TandemWorkspaceSession *self)
{
  g_autoptr(TandemChannelOptions) options = tandem_channel_options_new ();

  if (self->channel != NULL)
    return;

  tandem_channel_options_set_presence_key (options, self->user_id);
  tandem_channel_options_set_presence_enabled (options, TRUE);
  self->channel = tandem_client_channel (self->client, TANDEM_WORKSPACE_CHANNEL, options);
  g_signal_connect_object (self->channel, "subscribe-state", G_CALLBACK (subscribe_state_cb), self, 0);
  tandem_channel_subscribe (self->channel);
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_PRESENCE]);
}

void
_tandem_workspace_session_leave_presence (TandemWorkspaceSession *self)
{
  if (self->channel == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->channel, self);
  tandem_client_remove_channel (self->client, self->channel);
  g_clear_object (&self->channel);
  self->tracked = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_PRESENCE]);
}

TandemChannel *
tandem_workspace_session_get_presence_channel (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->channel;
}

TandemPresence *
tandem_workspace_session_get_presence (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->channel ? tandem_channel_get_presence (self->channel) : NULL;
}

TandemUserStatus
tandem_workspace_session_get_status (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), TANDEM_USER_ONLINE);
  return self->status;
}

void
tandem_workspace_session_set_status (TandemWorkspaceSession *self,
                                     TandemUserStatus        status)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE_SESSION (self));
  g_return_if_fail (status <= TANDEM_USER_INVISIBLE);

  if (self->status == status)
    return;
  self->status = status;
  g_debug ("own status: %s", tandem_user_status_to_string (status));

  /* Before the join the SUBSCRIBED handler tracks with the new status. */
  if (self->channel != NULL && tandem_channel_get_status (self->channel) == TANDEM_STATUS_CONNECTED && !self->closing)
    {
      if (status == TANDEM_USER_INVISIBLE)
        {
          if (self->tracked)
            untrack (self);
        }
      else
        track (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_STATUS]);
}
