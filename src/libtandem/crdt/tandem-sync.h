/* tandem-sync.h: the y-protocols sync messages and y-websocket framing
 *
 *   syncMessage := varUint type  varUint8Array payload
 *     0 = step 1 (state vector), 1 = step 2 (update), 2 = update
 *   frame       := varUint kind  body
 *     0 = sync (body = syncMessage), 1 = awareness (body = varUint8Array),
 *     2 = auth, 3 = query awareness (no body)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-ydoc.h"

G_BEGIN_DECLS

/**
 * TandemSyncMessageType:
 * @TANDEM_SYNC_STEP1: a state vector: "send me what I miss"
 * @TANDEM_SYNC_STEP2: the answer to a step 1: an update
 * @TANDEM_SYNC_UPDATE: an update from a local transaction
 */
typedef enum
{
  TANDEM_SYNC_STEP1 = 0,
  TANDEM_SYNC_STEP2 = 1,
  TANDEM_SYNC_UPDATE = 2,
} TandemSyncMessageType;

/**
 * TandemSyncFrameKind:
 * @TANDEM_SYNC_FRAME_SYNC: a sync message
 * @TANDEM_SYNC_FRAME_AWARENESS: an awareness update
 * @TANDEM_SYNC_FRAME_AUTH: an authentication message
 * @TANDEM_SYNC_FRAME_QUERY_AWARENESS: a request for all awareness states
 *
 * Message kinds of y-websocket frames.
 */
typedef enum
{
  TANDEM_SYNC_FRAME_SYNC = 0,
  TANDEM_SYNC_FRAME_AWARENESS = 1,
  TANDEM_SYNC_FRAME_AUTH = 2,
  TANDEM_SYNC_FRAME_QUERY_AWARENESS = 3,
} TandemSyncFrameKind;

GBytes  *tandem_sync_encode_step1   (TandemYDoc   *doc);
GBytes  *tandem_sync_encode_step2   (TandemYDoc   *doc,
                                     const guint8 *state_vector,
                                     gsize         sv_len,
                                     GError      **error);
GBytes  *tandem_sync_encode_update  (const guint8 *update,
                                     gsize         len);
gboolean tandem_sync_read_message   (TandemYDoc            *doc,
                                     const guint8          *message,
                                     gsize                  len,
                                     gpointer               origin,
                                     TandemSyncMessageType *type,
                                     GBytes               **reply,
                                     GError               **error);

GBytes  *tandem_sync_frame          (TandemSyncFrameKind kind,
                                     GBytes             *body);
gboolean tandem_sync_frame_parse    (const guint8         *frame,
                                     gsize                 len,
                                     TandemSyncFrameKind  *kind,
                                     const guint8        **body,
                                     gsize                *body_len,
                                     GError              **error);

G_END_DECLS
