/* tandem-batcher-private.h: coalescing broadcasts into batch_messages
 *
 * Queued broadcasts are sent as one broadcast whose event is
 * "batch_messages" and whose payload is
 *   {"messages": [{"event": E, "payload": P}, …]}
 * when TANDEM_BATCH_MAX_MESSAGES are queued or TANDEM_BATCH_DELAY_MS have
 * passed since the first one was queued, whichever comes first. A receiver
 * unpacks such a payload into one broadcast per message, in order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-clock-private.h"

G_BEGIN_DECLS

#define TANDEM_BATCH_EVENT        "batch_messages"
#define TANDEM_BATCH_MAX_MESSAGES 10
#define TANDEM_BATCH_DELAY_MS     100

typedef struct _TandemBatcher TandemBatcher;

/* Called with the batch payload to send (transfer none). A batch of one
 * message is sent as that message itself: @event is then the message's
 * event and @payload its payload. */
typedef void (*TandemBatcherFlushFunc) (const char *event,
                                        JsonNode   *payload,
                                        gpointer    user_data);

TandemBatcher *_tandem_batcher_new      (TandemClock            *clock,
                                         TandemBatcherFlushFunc  flush,
                                         gpointer                user_data);
/* Drops what is queued without sending it. */
void           _tandem_batcher_free     (TandemBatcher          *self);
void           _tandem_batcher_queue    (TandemBatcher          *self,
                                         const char             *event,
                                         JsonNode               *payload);
/* Sends what is queued now. */
void           _tandem_batcher_flush    (TandemBatcher          *self);
guint          _tandem_batcher_get_n_queued (TandemBatcher      *self);

/* Unpacks a received batch payload: calls @func for each well-formed message
 * (an object with a string "event" and any "payload"), in order; malformed
 * ones are skipped. Returns FALSE if @payload is not a batch at all. */
typedef void (*TandemBatchMessageFunc) (const char *event,
                                        JsonNode   *payload,
                                        gpointer    user_data);
gboolean       _tandem_batch_unpack     (JsonNode               *payload,
                                         TandemBatchMessageFunc  func,
                                         gpointer                user_data);

G_END_DECLS
