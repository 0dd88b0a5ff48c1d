/* tandem-client-channels.c: the client's registry of channels
 *
 * One channel per name. The registry holds each channel through a toggle
 * reference, so it knows when nobody else does:
 *  - the last outside reference dropped: the channel leaves (if it was
 *    subscribed) and becomes idle;
 *  - an idle channel (unsubscribed, used by no one) is kept for
 *    TANDEM_CLIENT_PRUNE_AFTER_MS so that asking for the same name again
 *    soon reuses it, then released;
 *  - above #TandemClient:max-channels, making a new channel releases the
 *    channel idle the longest first; when none is idle the new one is made
 *    anyway (logged with g_info()).
 * tandem_client_remove_channel() leaves and releases at once, as
 * realtime-js's removeChannel().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-change-private.h"
#include "tandem-channel-private.h"
#include "tandem-client-internal.h"

/* The channels as a GListModel, in creation order; the items are the
 * registry's (no references of its own). */
#define TANDEM_TYPE_CHANNEL_LIST (tandem_channel_list_get_type ())
G_DECLARE_FINAL_TYPE (TandemChannelList, tandem_channel_list, TANDEM, CHANNEL_LIST, GObject)

struct _TandemChannelList
{
  GObject    parent_instance;
  GPtrArray *items;  /* TandemChannel, unowned */
};

static GType
tandem_channel_list_get_item_type (GListModel *model)
{
  return TANDEM_TYPE_CHANNEL;
}

static guint
tandem_channel_list_get_n_items (GListModel *model)
{
  return TANDEM_CHANNEL_LIST (model)->items->len;
}

static gpointer
tandem_channel_list_get_item (GListModel *model,
                              guint       position)
{
  TandemChannelList *self = TANDEM_CHANNEL_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
tandem_channel_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tandem_channel_list_get_item_type;
  iface->get_n_items = tandem_channel_list_get_n_items;
  iface->get_item = tandem_channel_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TandemChannelList, tandem_channel_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tandem_channel_list_model_init))

static void
tandem_channel_list_finalize (GObject *object)
{
  g_ptr_array_unref (TANDEM_CHANNEL_LIST (object)->items);
  G_OBJECT_CLASS (tandem_channel_list_parent_class)->finalize (object);
}

static void
tandem_channel_list_class_init (TandemChannelListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tandem_channel_list_finalize;
}

static void
tandem_channel_list_init (TandemChannelList *self)
{
  self->items = g_ptr_array_new ();
}

static TandemChannelList *
channel_list (TandemClient *self)
{
  return TANDEM_CHANNEL_LIST (self->channel_list);
}

/* The toggle reference */

static void
toggle_notify (gpointer  data,
               GObject  *object,
               gboolean  is_last_ref)
{
  TandemClient *self = data;
  TandemChannel *channel = TANDEM_CHANNEL (object);

  channel->unreferenced = is_last_ref;
  /* Nobody listens any more: leave (the registry never frees the channel
   * from here; the prune timer or the cap does, later). */
  if (is_last_ref && channel->wanted)
    tandem_channel_unsubscribe (channel);
  _tandem_client_channel_idle_changed (self, channel);
}

/* Takes @channel out of the registry and drops the registry's reference
 * (which may be the last). */
static void
release (TandemClient  *self,
         TandemChannel *channel)
{
  TandemChannelList *list = channel_list (self);
  guint position;

  tandem_clock_clear_timeout (channel->clock, &channel->prune_id);
  g_hash_table_remove (self->channels_by_topic, channel->topic);
  g_hash_table_remove (self->channels_by_name, channel->name);
  if (g_ptr_array_find (list->items, channel, &position))
    {
      g_ptr_array_remove_index (list->items, position);
      g_list_model_items_changed (G_LIST_MODEL (list), position, 1, 0);
    }
  _tandem_channel_detach (channel);
  g_object_remove_toggle_ref (G_OBJECT (channel), toggle_notify, self);
}

static void
prune_cb (gpointer data)
{
  TandemChannel *channel = data;
  TandemClient *self = channel->client;

  channel->prune_id = 0;
  if (self == NULL)
    return;
  /* Held again for a moment: the toggle back to the last reference arms a
   * new countdown. */
  if (!channel->unreferenced || !_tandem_channel_is_idle (channel))
    return;
  g_debug ("realtime: releasing %s, unused for %u s", channel->topic, TANDEM_CLIENT_PRUNE_AFTER_MS / 1000);
  release (self, channel);
}

void
_tandem_client_channel_idle_changed (TandemClient  *self,
                                     TandemChannel *channel)
{
  if (channel->client != self || g_hash_table_lookup (self->channels_by_name, channel->name) != channel)
    return;

  /* Only becoming busy, or being handed out again by
   * tandem_client_channel(), stops the countdown: the transient references
   * of signal emissions and of iterations over the channels must not
   * restart it. */
  if (!_tandem_channel_is_idle (channel))
    tandem_clock_clear_timeout (channel->clock, &channel->prune_id);
  else if (channel->unreferenced && channel->prune_id == 0)
    {
      channel->idle_since = tandem_clock_get_monotonic_time (channel->clock);
      channel->prune_id = tandem_clock_add_timeout_once (channel->clock, TANDEM_CLIENT_PRUNE_AFTER_MS,
                                                         prune_cb, channel);
    }
}

/* Above the cap: release the channel idle the longest. */
static gboolean
release_oldest_idle (TandemClient *self)
{
  TandemChannelList *list = channel_list (self);
  TandemChannel *oldest = NULL;

  for (guint i = 0; i < list->items->len; i++)
    {
      TandemChannel *channel = list->items->pdata[i];

      if (channel->prune_id == 0 || !channel->unreferenced)
        continue; /* in use */
      if (oldest == NULL || channel->idle_since < oldest->idle_since)
        oldest = channel;
    }
  if (oldest == NULL)
    return FALSE;
  g_debug ("realtime: releasing idle %s to stay within %u channels", oldest->topic, self->max_channels);
  release (self, oldest);
  return TRUE;
}

/* Setup and teardown */

void
_tandem_client_channels_init (TandemClient *self)
{
  self->channels_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->channels_by_topic = g_hash_table_new (g_str_hash, g_str_equal);
  self->channel_list = G_LIST_MODEL (g_object_new (TANDEM_TYPE_CHANNEL_LIST, NULL));
}

void
_tandem_client_channels_dispose (TandemClient *self)
{
  if (self->channel_list != NULL)
    {
      TandemChannelList *list = channel_list (self);

      /* Channels held elsewhere outlive us, detached (client NULL). */
      while (list->items->len > 0)
        release (self, list->items->pdata[list->items->len - 1]);
      g_clear_object (&self->channel_list);
    }
  g_clear_pointer (&self->channels_by_name, g_hash_table_unref);
  g_clear_pointer (&self->channels_by_topic, g_hash_table_unref);
}

TandemChannel *
_tandem_client_lookup_topic (TandemClient *self,
                             const char   *topic)
{
  return g_hash_table_lookup (self->channels_by_topic, topic);
}

GPtrArray *
_tandem_client_dup_channels (TandemClient *self)
{
  GPtrArray *channels = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->channel_list != NULL)
    {
      TandemChannelList *list = channel_list (self);

      for (guint i = 0; i < list->items->len; i++)
        g_ptr_array_add (channels, g_object_ref (list->items->pdata[i]));
    }
  return channels;
}

/* Public API */

/**
 * tandem_client_channel:
 * @self: a #TandemClient
 * @name: the channel name (the topic is `realtime:<name>`)
 * @options: (nullable): how it joins (%NULL for the defaults); ignored
 *   when the channel exists
 *
 * Returns the channel called @name, making it if needed: asking twice for
 * the same name gives the same object, as realtime-js's channel(). The
 * channel leaves when the last reference to it outside the client is
 * dropped; see #TandemClient:max-channels for how many are kept.
 *
 * Returns: (transfer full): the channel
 */
TandemChannel *
tandem_client_channel (TandemClient         *self,
                       const char           *name,
                       TandemChannelOptions *options)
{
  TandemChannel *channel;
  TandemChannelList *list;

  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);
  g_return_val_if_fail (g_utf8_validate (name, -1, NULL), NULL);

  channel = g_hash_table_lookup (self->channels_by_name, name);
  if (channel != NULL)
    {
      tandem_clock_clear_timeout (channel->clock, &channel->prune_id);
      return g_object_ref (channel);
    }

  list = channel_list (self);
  if (list->items->len >= self->max_channels && !release_oldest_idle (self))
    g_info ("realtime: every one of the %u channels is in use; making “%s” beyond max-channels",
            list->items->len, name);

  channel = _tandem_channel_new (self, name, options);
  g_object_add_toggle_ref (G_OBJECT (channel), toggle_notify, self);
  g_hash_table_insert (self->channels_by_name, channel->name, channel);
  g_hash_table_insert (self->channels_by_topic, channel->topic, channel);
  g_ptr_array_add (list->items, channel);
  g_list_model_items_changed (G_LIST_MODEL (list), list->items->len - 1, 0, 1);
  /* The caller's reference is the one g_object_new() gave. */
  return channel;
}

/**
 * tandem_client_remove_channel:
 * @self: a #TandemClient
 * @channel: one of its channels
 *
 * Leaves @channel and takes it out of the client at once (realtime-js's
 * removeChannel()): it reports %TANDEM_SUBSCRIBE_CLOSED, can no longer be
 * subscribed, and asking for its name makes a new channel.
 */
void
tandem_client_remove_channel (TandemClient  *self,
                              TandemChannel *channel)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));
  g_return_if_fail (TANDEM_IS_CHANNEL (channel));

  if (channel->client != self)
    return;

  g_object_ref (channel);
  tandem_channel_unsubscribe (channel);
  /* Do not wait for the server's reply: the channel is gone for us. */
  if (channel->state == TANDEM_CHANNEL_LEAVING)
    _tandem_channel_handle_leave_done (channel);
  if (channel->client == self)
    release (self, channel);
  g_object_unref (channel);
}

/**
 * tandem_client_remove_all_channels:
 * @self: a #TandemClient
 *
 * Removes every channel, as tandem_client_remove_channel() does (what
 * signing out does by itself).
 */
void
tandem_client_remove_all_channels (TandemClient *self)
{
  g_autoptr(GPtrArray) channels = NULL;

  g_return_if_fail (TANDEM_IS_CLIENT (self));

  channels = _tandem_client_dup_channels (self);
  for (guint i = 0; i < channels->len; i++)
    tandem_client_remove_channel (self, channels->pdata[i]);
}

/**
 * tandem_client_get_channels:
 * @self: a #TandemClient
 *
 * The channels the client holds, in the order they were made. Items
 * taken from the model are references like any other: holding them keeps
 * the channels from leaving.
 *
 * Returns: (transfer none): a #GListModel of #TandemChannel
 */
GListModel *
tandem_client_get_channels (TandemClient *self)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  return self->channel_list;
}

/**
 * tandem_client_get_channel_status:
 * @self: a #TandemClient
 * @name: a channel name
 *
 * Returns: the status of the channel called @name, or
 *   %TANDEM_STATUS_DISCONNECTED when there is none
 */
TandemStatus
tandem_client_get_channel_status (TandemClient *self,
                                  const char   *name)
{
  TandemChannel *channel;

  g_return_val_if_fail (TANDEM_IS_CLIENT (self), TANDEM_STATUS_DISCONNECTED);
  g_return_val_if_fail (name != NULL, TANDEM_STATUS_DISCONNECTED);

  channel = g_hash_table_lookup (self->channels_by_name, name);
  return channel ? channel->status : TANDEM_STATUS_DISCONNECTED;
}

static gboolean
has_binding (TandemChannel     *channel,
             TandemChangeEvent  event,
             const char        *schema,
             const char        *table,
             const char        *filter)
{
  for (guint i = 0; i < channel->bindings->len; i++)
    {
      TandemPgBinding *binding = channel->bindings->pdata[i];

      if (binding->event == event && g_str_equal (binding->schema, schema) && g_str_equal (binding->table, table) &&
          g_strcmp0 (binding->filter, filter) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * tandem_client_subscribe_table:
 * @self: a #TandemClient
 * @schema: (nullable): the schema (%NULL is `public`)
 * @table: the table
 * @event: which changes
 * @filter: (nullable): a filter such as `id=eq.1`
 * @error: return location for a #GError
 *
 * Subscribes to the row changes of one table on a channel of its own,
 * named `<schema>:<table>[:<filter>]` (with `#<EVENT>` appended for an
 * event other than %TANDEM_CHANGE_ALL), so that asking twice gives the same
 * channel. Connect to #TandemChannel::postgres-change on it.
 *
 * Returns: (transfer full): the subscribed channel, or %NULL with
 *   %TANDEM_CLIENT_ERROR_INVALID_ARGUMENT for a malformed filter or table
 */
TandemChannel *
tandem_client_subscribe_table (TandemClient       *self,
                               const char         *schema,
                               const char         *table,
                               TandemChangeEvent   event,
                               const char         *filter,
                               GError            **error)
{
  g_autoptr(TandemChannel) channel = NULL;
  g_autoptr(GString) name = NULL;

  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (schema == NULL)
    schema = "public";
  if (filter != NULL && *filter == '\0')
    filter = NULL;
  if (table == NULL || *table == '\0')
    {
      g_set_error_literal (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT, "no table given");
      return NULL;
    }

  name = g_string_new (NULL);
  g_string_append_printf (name, "%s:%s", schema, table);
  if (filter != NULL)
    g_string_append_printf (name, ":%s", filter);
  if (event != TANDEM_CHANGE_ALL)
    g_string_append_printf (name, "#%s", _tandem_change_event_to_string (event));

  channel = tandem_client_channel (self, name->str, NULL);
  if (!has_binding (channel, event, schema, table, filter))
    {
      if (!tandem_channel_add_postgres_changes (channel, event, schema, table, filter, error))
        return NULL;
    }
  tandem_channel_subscribe (channel);
  return g_steal_pointer (&channel);
}
