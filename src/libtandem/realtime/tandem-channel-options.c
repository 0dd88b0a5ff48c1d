/* tandem-channel-options.c: the join configuration of a channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-channel-private.h"

/**
 * TandemChannelOptions:
 *
 * How a channel joins: the `config` of its `phx_join` (protocol.md §2.2).
 * A channel copies the options it is created with, so changing them later
 * does not change the channel.
 */
struct _TandemChannelOptions
{
  gatomicrefcount  ref_count;
  gboolean         broadcast_self;
  gboolean         broadcast_ack;
  char            *presence_key;
  gboolean         presence_enabled;
  gboolean         is_private;
};

G_DEFINE_BOXED_TYPE (TandemChannelOptions, tandem_channel_options,
                     tandem_channel_options_ref, tandem_channel_options_unref)

/**
 * tandem_channel_options_new:
 *
 * Creates the default options: no self broadcasts, no acks, a key the
 * server generates, presence enabled, a public channel.
 *
 * Returns: (transfer full): new options
 */
TandemChannelOptions *
tandem_channel_options_new (void)
{
  TandemChannelOptions *self = g_new0 (TandemChannelOptions, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->presence_enabled = TRUE;
  return self;
}

/**
 * tandem_channel_options_ref:
 * @self: options
 *
 * Returns: (transfer full): @self
 */
TandemChannelOptions *
tandem_channel_options_ref (TandemChannelOptions *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * tandem_channel_options_unref:
 * @self: (transfer full): options
 *
 * Drops a reference.
 */
void
tandem_channel_options_unref (TandemChannelOptions *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->presence_key);
      g_free (self);
    }
}

TandemChannelOptions *
_tandem_channel_options_copy (TandemChannelOptions *self)
{
  TandemChannelOptions *copy = tandem_channel_options_new ();

  if (self != NULL)
    {
      copy->broadcast_self = self->broadcast_self;
      copy->broadcast_ack = self->broadcast_ack;
      copy->presence_key = g_strdup (self->presence_key);
      copy->presence_enabled = self->presence_enabled;
      copy->is_private = self->is_private;
    }
  return copy;
}

/**
 * tandem_channel_options_set_broadcast_self:
 * @self: options
 * @self_: whether to receive one's own broadcasts
 *
 * Sets `config.broadcast.self` (default %FALSE).
 */
void
tandem_channel_options_set_broadcast_self (TandemChannelOptions *self,
                                           gboolean              self_)
{
  g_return_if_fail (self != NULL);
  self->broadcast_self = !!self_;
}

/**
 * tandem_channel_options_set_broadcast_ack:
 * @self: options
 * @ack: whether the server acknowledges each broadcast
 *
 * Sets `config.broadcast.ack` (default %FALSE). With acks, sending a
 * broadcast completes when the server replied.
 */
void
tandem_channel_options_set_broadcast_ack (TandemChannelOptions *self,
                                          gboolean              ack)
{
  g_return_if_fail (self != NULL);
  self->broadcast_ack = !!ack;
}

/**
 * tandem_channel_options_set_presence_key:
 * @self: options
 * @key: (nullable): the presence key, or %NULL to let the server pick one
 *
 * Sets `config.presence.key`.
 */
void
tandem_channel_options_set_presence_key (TandemChannelOptions *self,
                                         const char           *key)
{
  g_return_if_fail (self != NULL);
  if (self->presence_key != key)
    {
      g_free (self->presence_key);
      self->presence_key = g_strdup (key);
    }
}

/**
 * tandem_channel_options_set_presence_enabled:
 * @self: options
 * @enabled: whether to receive presence
 *
 * Sets `config.presence.enabled` (default %TRUE: unlike realtime-js, which
 * enables it only when a presence listener exists, a #TandemChannel always
 * exposes its #TandemPresence).
 */
void
tandem_channel_options_set_presence_enabled (TandemChannelOptions *self,
                                             gboolean              enabled)
{
  g_return_if_fail (self != NULL);
  self->presence_enabled = !!enabled;
}

/**
 * tandem_channel_options_set_private:
 * @self: options
 * @is_private: whether the channel is private (RLS-authorised)
 *
 * Sets `config.private` (default %FALSE).
 */
void
tandem_channel_options_set_private (TandemChannelOptions *self,
                                    gboolean              is_private)
{
  g_return_if_fail (self != NULL);
  self->is_private = !!is_private;
}

/**
 * tandem_channel_options_get_broadcast_self:
 * @self: options
 *
 * Returns: whether one's own broadcasts are received
 */
gboolean
tandem_channel_options_get_broadcast_self (TandemChannelOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->broadcast_self;
}

/**
 * tandem_channel_options_get_broadcast_ack:
 * @self: options
 *
 * Returns: whether broadcasts are acknowledged
 */
gboolean
tandem_channel_options_get_broadcast_ack (TandemChannelOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->broadcast_ack;
}

/**
 * tandem_channel_options_get_presence_key:
 * @self: options
 *
 * Returns: (nullable): the presence key
 */
const char *
tandem_channel_options_get_presence_key (TandemChannelOptions *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->presence_key;
}

/**
 * tandem_channel_options_get_presence_enabled:
 * @self: options
 *
 * Returns: whether presence is received
 */
gboolean
tandem_channel_options_get_presence_enabled (TandemChannelOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->presence_enabled;
}

/**
 * tandem_channel_options_get_private:
 * @self: options
 *
 * Returns: whether the channel is private
 */
gboolean
tandem_channel_options_get_private (TandemChannelOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->is_private;
}
