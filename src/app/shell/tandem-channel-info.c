/* tandem-channel-info.c
 *
 * The properties are the texts the columns show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-connection-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-channel-info.h"

struct _TandemChannelInfo
{
  GObject  parent_instance;

  char    *name;
  char    *status;
  char    *retries;
  char    *last_error;
  char    *time_in_state;
  char    *messages_in;
  char    *messages_out;
  char    *heartbeat;
  guint64  n_in;
};

G_DEFINE_FINAL_TYPE (TandemChannelInfo, tandem_channel_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATUS,
  PROP_RETRIES,
  PROP_LAST_ERROR,
  PROP_TIME_IN_STATE,
  PROP_MESSAGES_IN,
  PROP_MESSAGES_OUT,
  PROP_HEARTBEAT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char **
field (TandemChannelInfo *self,
       guint              prop_id)
{
  switch (prop_id)
    {
    case PROP_NAME:
      return &self->name;
    case PROP_STATUS:
      return &self->status;
    case PROP_RETRIES:
      return &self->retries;
    case PROP_LAST_ERROR:
      return &self->last_error;
    case PROP_TIME_IN_STATE:
      return &self->time_in_state;
    case PROP_MESSAGES_IN:
      return &self->messages_in;
    case PROP_MESSAGES_OUT:
      return &self->messages_out;
    case PROP_HEARTBEAT:
      return &self->heartbeat;
    default:
      return NULL;
    }
}

static void
tandem_channel_info_finalize (GObject *object)
{
  TandemChannelInfo *self = TANDEM_CHANNEL_INFO (object);

  for (guint i = PROP_NAME; i < N_PROPS; i++)
    g_free (*field (self, i));

  G_OBJECT_CLASS (tandem_channel_info_parent_class)->finalize (object);
}

static void
tandem_channel_info_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  char **text = field (TANDEM_CHANNEL_INFO (object), prop_id);

  if (text == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_set_string (value, *text);
}

static void
tandem_channel_info_class_init (TandemChannelInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const names[N_PROPS] = {
    NULL, "name", "status", "retries", "last-error", "time-in-state", "messages-in", "messages-out", "heartbeat",
  };

  object_class->finalize = tandem_channel_info_finalize;
  object_class->get_property = tandem_channel_info_get_property;

  for (guint i = PROP_NAME; i < N_PROPS; i++)
    properties[i] = g_param_spec_string (names[i], NULL, NULL, NULL,
                                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_channel_info_init (TandemChannelInfo *self)
{
}

TandemChannelInfo *
tandem_channel_info_new (const char *name)
{
  TandemChannelInfo *self = g_object_new (TANDEM_TYPE_CHANNEL_INFO, NULL);

  self->name = g_strdup (name);
  return self;
}

const char *
tandem_channel_info_get_name (TandemChannelInfo *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL_INFO (self), NULL);
  return self->name;
}

const char *
tandem_channel_info_get_status (TandemChannelInfo *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL_INFO (self), NULL);
  return self->status;
}

guint64
tandem_channel_info_get_messages_in (TandemChannelInfo *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL_INFO (self), 0);
  return self->n_in;
}

static void
take (TandemChannelInfo *self,
      guint              prop_id,
      char              *text)
{
  char **slot = field (self, prop_id);

  if (g_strcmp0 (*slot, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (*slot);
  *slot = text;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static char *
format_duration (gint64 ms)
{
  int s = (int) MIN (ms / 1000, G_MAXINT);

  if (s < 60)
    /* Translators: a time in a state, in seconds */
    return g_strdup_printf (_("%d s"), s);
  if (s < 3600)
    /* Translators: a time in a state, minutes and seconds */
    return g_strdup_printf (_("%d min %02d s"), s / 60, s % 60);
  /* Translators: a time in a state, hours and minutes */
  return g_strdup_printf (_("%d h %02d min"), s / 3600, (s / 60) % 60);
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "connected") == 0)
    return _("Joined");
  if (g_strcmp0 (status, "connecting") == 0)
    return _("Joining");
  if (g_strcmp0 (status, "reconnecting") == 0)
    return _("Rejoining");
  if (g_strcmp0 (status, "error") == 0)
    return _("Error");
  if (g_strcmp0 (status, "disconnected") == 0)
    return _("Left");
  return status ? status : "";
}

void
tandem_channel_info_update (TandemChannelInfo *self,
                            JsonObject        *channel,
                            gint64             heartbeat_rtt_ms)
{
  const char *status = json_object_get_string_member_with_default (channel, "status", NULL);
  const char *last_error = NULL;
  gint64 n_out;

  g_return_if_fail (TANDEM_IS_CHANNEL_INFO (self));

  if (json_object_has_member (channel, "last_error") && !json_object_get_null_member (channel, "last_error"))
    last_error = json_object_get_string_member_with_default (channel, "last_error", NULL);
  self->n_in = (guint64) json_object_get_int_member_with_default (channel, "messages_in", 0);
  n_out = json_object_get_int_member_with_default (channel, "messages_out", 0);

  g_object_freeze_notify (G_OBJECT (self));
  take (self, PROP_STATUS, g_strdup (status_label (status)));
  take (self, PROP_RETRIES, g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member_with_default (channel, "retries", 0)));
  take (self, PROP_LAST_ERROR, g_strdup (last_error ? last_error : "—"));
  take (self, PROP_TIME_IN_STATE,
        format_duration (json_object_get_int_member_with_default (channel, "time_in_state_ms", 0)));
  take (self, PROP_MESSAGES_IN, g_strdup_printf ("%" G_GUINT64_FORMAT, self->n_in));
  take (self, PROP_MESSAGES_OUT, g_strdup_printf ("%" G_GINT64_FORMAT, n_out));
  /* Translators: a heartbeat's round trip in milliseconds */
  take (self, PROP_HEARTBEAT, heartbeat_rtt_ms >= 0 ? g_strdup_printf (_("%d ms"), (int) MIN (heartbeat_rtt_ms, G_MAXINT))
                                                    : g_strdup ("—"));
  g_object_thaw_notify (G_OBJECT (self));
}
