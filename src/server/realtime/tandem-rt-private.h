/* tandem-rt-private.h: structures shared inside src/server/realtime/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tandem-message.h"
#include "tandem-rt-hub.h"
#include "tandem-rt-limits.h"
#include "tandem-rt-presence.h"
#include "tandem-rt-socket.h"

G_BEGIN_DECLS

struct _TandemRtHub
{
  TandemRtLimits       limits;
  char                *jwt_secret;
  GHashTable          *topics;   /* "0:name" / "1:name" (private) -> TandemRtTopic */
  GHashTable          *sockets;  /* set of TandemRtSocket (owned) */
  TandemRtChanges     *changes;  /* unowned, nullable */
  TandemRtRateCounter  events;
  TandemRtWindowCounter joins;
  gboolean             shutting_down;
  guint64              next_socket_id;
  guint64              messages_in;
  guint64              messages_out;
};

struct _TandemRtTopic
{
  char             *key;
  char             *name;       /* sub-topic, without "realtime:" */
  gboolean          is_private;
  GPtrArray        *channels;   /* TandemRtChannel, unowned */
  TandemRtPresence *presence;
};

struct _TandemRtChannel
{
  TandemRtSocket   *socket;     /* unowned: the socket owns its channels */
  TandemRtTopic    *topic;      /* unowned: the hub owns topics */
  char             *topic_name; /* "realtime:<name>" as joined */
  char             *join_ref;
  gboolean          is_private;
  gboolean          broadcast_self;
  gboolean          broadcast_ack;
  gboolean          presence_enabled;
  char             *presence_key;
  JsonArray        *postgres_changes; /* the join's entries echoed with ids */
  char             *access_token;
  JsonObject       *claims;
  guint             expiry_source;
  TandemRtWindowCounter presence_calls;
  guint64           messages_in;
  guint64           messages_out;
  gboolean          closed;
};

TandemRtTopic   *tandem_rt_hub_ensure_topic      (TandemRtHub      *hub,
                                                  const char       *name,
                                                  gboolean          is_private);
TandemRtTopic   *tandem_rt_hub_lookup_topic      (TandemRtHub      *hub,
                                                  const char       *name,
                                                  gboolean          is_private);
void             tandem_rt_hub_release_topic     (TandemRtHub      *hub,
                                                  TandemRtTopic    *topic);
void             tandem_rt_hub_add_socket        (TandemRtHub      *hub,
                                                  TandemRtSocket   *socket);
void             tandem_rt_hub_remove_socket     (TandemRtHub      *hub,
                                                  TandemRtSocket   *socket);

/* Fans a broadcast out to @topic: @message is a JSON broadcast (payload
 * {"type":"broadcast",…}) or a binary user broadcast. Each subscriber gets it
 * in its serializer's form, encoded once per form. @sender is skipped unless
 * it joined with self. Returns the number of deliveries. */
guint            tandem_rt_hub_broadcast         (TandemRtHub      *hub,
                                                  TandemRtTopic    *topic,
                                                  TandemMessage    *message,
                                                  TandemRtChannel  *sender);
/* Sends a presence_diff to every channel of @topic that receives presence. */
void             tandem_rt_hub_presence_diff     (TandemRtHub      *hub,
                                                  TandemRtTopic    *topic,
                                                  JsonObject       *diff);
/* Counts @n events against the tenant's events-per-second limit. FALSE when
 * the limit is now exceeded. */
gboolean         tandem_rt_hub_count_events      (TandemRtHub      *hub,
                                                  guint64           n);

/* Channels */
TandemRtChannel *tandem_rt_channel_new           (TandemRtSocket   *socket,
                                                  const char       *topic_name,
                                                  const char       *join_ref);
void             tandem_rt_channel_free          (TandemRtChannel  *channel);
const char      *tandem_rt_channel_get_sub_topic (TandemRtChannel  *channel);
const char      *tandem_rt_channel_get_role      (TandemRtChannel  *channel);

/* Payload helpers */
JsonNode        *tandem_rt_reply_payload         (const char       *status,
                                                  JsonNode         *response);
JsonNode        *tandem_rt_system_payload        (const char       *extension,
                                                  const char       *status,
                                                  const char       *message,
                                                  const char       *channel);

G_END_DECLS
