/* tandem-test-client.h: a bare Realtime WebSocket client for server tests
 *
 * Speaks frames directly (no libtandem), so the tests see exactly what the
 * server sends and can send what no well-behaved client would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-message.h"

G_BEGIN_DECLS

typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  TandemSerializer         serializer;
  GPtrArray               *received;      /* TandemMessage, in arrival order */
  GPtrArray               *binary_frames; /* GBytes of every binary frame received */
  guint                    consumed;      /* messages before this index were taken */
  gboolean                 closed;
  gushort                  close_code;
  guint                    next_ref;
} TestClient;

/* Connects (asserting success) to @ws_url?apikey=…&vsn=…. */
TestClient    *test_client_new             (const char       *ws_url,
                                            const char       *apikey,
                                            TandemSerializer  serializer);
void           test_client_free            (TestClient       *client);

/* Sends [join_ref, ref, topic, event, payload] (payload as JSON text) and
 * returns the ref used. */
char          *test_client_push            (TestClient       *client,
                                            const char       *join_ref,
                                            const char       *topic,
                                            const char       *event,
                                            const char       *payload_json);
void           test_client_send_text       (TestClient       *client,
                                            const char       *text);
void           test_client_send_binary     (TestClient       *client,
                                            GBytes           *bytes);

/* Waits for the phx_reply with @ref (asserting it comes). Owned by client. */
TandemMessage *test_client_wait_reply      (TestClient       *client,
                                            const char       *ref);
/* Waits for the next not yet taken message with @topic and @event. */
TandemMessage *test_client_wait_event      (TestClient       *client,
                                            const char       *topic,
                                            const char       *event);
/* Whether such a message arrived (taken or not), without waiting. */
guint          test_client_count_events    (TestClient       *client,
                                            const char       *topic,
                                            const char       *event);
void           test_client_wait_closed     (TestClient       *client);

/* Joins @topic ("realtime:x") with @config_json (the "config" object text)
 * and an optional access token; returns the reply (asserting it arrives).
 * The join ref is the reply's ref. */
TandemMessage *test_client_join            (TestClient       *client,
                                            const char       *topic,
                                            const char       *config_json,
                                            const char       *access_token);

/* The payload's "status" and its response object of a reply. */
const char    *test_reply_status           (TandemMessage    *reply);
JsonNode      *test_reply_response         (TandemMessage    *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestClient, test_client_free)

G_END_DECLS
