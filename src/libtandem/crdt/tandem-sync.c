/* tandem-sync.c: the y-protocols sync messages and y-websocket framing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-sync.h"
#include "tandem-ydoc-encoding.h"

static GBytes *
message (guint type, const guint8 *payload, gsize len)
{
  YEnc enc;
  y_enc_init (&enc);
  y_enc_varuint (&enc, type);
  y_enc_varbytes (&enc, payload, len);
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_sync_encode_step1:
 * @doc: a document
 *
 * Returns: (transfer full): a sync step 1 message with @doc's state vector
 */
GBytes *
tandem_sync_encode_step1 (TandemYDoc *doc)
{
  g_autoptr(GBytes) sv = tandem_ydoc_encode_state_vector (doc);
  return message (TANDEM_SYNC_STEP1, g_bytes_get_data (sv, NULL), g_bytes_get_size (sv));
}

/**
 * tandem_sync_encode_step2:
 * @doc: a document
 * @state_vector: (array length=sv_len) (nullable): the peer's state vector
 * @sv_len: its length
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a sync step 2 message with what the peer misses
 */
GBytes *
tandem_sync_encode_step2 (TandemYDoc *doc, const guint8 *state_vector, gsize sv_len, GError **error)
{
  g_autoptr(GBytes) u = tandem_ydoc_encode_state_as_update (doc, state_vector, sv_len, error);
  if (u == NULL)
    return NULL;
  return message (TANDEM_SYNC_STEP2, g_bytes_get_data (u, NULL), g_bytes_get_size (u));
}

/**
 * tandem_sync_encode_update:
 * @update: (array length=len): an update
 * @len: its length
 *
 * Returns: (transfer full): an update message
 */
GBytes *
tandem_sync_encode_update (const guint8 *update, gsize len)
{
  return message (TANDEM_SYNC_UPDATE, update, len);
}

/**
 * tandem_sync_read_message:
 * @doc: a document
 * @message: (array length=len): a sync message
 * @len: its length
 * @origin: (nullable): transaction origin for updates
 * @type: (out) (optional): the message type
 * @reply: (out) (optional) (transfer full) (nullable): the answer to send
 *   back (a step 2 for a step 1), else %NULL
 * @error: return location for a #GError
 *
 * Handles a sync message as y-protocols' `readSyncMessage` does: a step 1 is
 * answered with a step 2, a step 2 or an update is applied to @doc.
 *
 * Returns: %FALSE if the message is malformed (then @doc is unchanged)
 */
gboolean
tandem_sync_read_message (TandemYDoc *doc, const guint8 *msg, gsize len, gpointer origin,
                          TandemSyncMessageType *type, GBytes **reply, GError **error)
{
  YDec dec;
  guint64 t;
  const guint8 *payload;
  gsize plen;

  if (reply)
    *reply = NULL;
  y_dec_init (&dec, msg, len);
  if (!y_dec_varuint (&dec, &t) || !y_dec_varbytes (&dec, &payload, &plen) || t > TANDEM_SYNC_UPDATE)
    {
      g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED, "Malformed sync message");
      return FALSE;
    }
  if (type)
    *type = t;
  if (t == TANDEM_SYNC_STEP1)
    {
      GBytes *r = tandem_sync_encode_step2 (doc, payload, plen, error);
      if (r == NULL)
        return FALSE;
      if (reply)
        *reply = r;
      else
        g_bytes_unref (r);
      return TRUE;
    }
  return tandem_ydoc_apply_update (doc, payload, plen, origin, error);
}

/**
 * tandem_sync_frame:
 * @kind: the frame kind
 * @body: (nullable): a sync message, an awareness update, or an auth body
 *
 * Returns: (transfer full): a y-websocket frame (the awareness update is
 *   length-prefixed, as the y-websocket client and server do)
 */
GBytes *
tandem_sync_frame (TandemSyncFrameKind kind, GBytes *body)
{
  YEnc enc;
  gsize len = 0;
  const guint8 *d = body ? g_bytes_get_data (body, &len) : NULL;

  y_enc_init (&enc);
  y_enc_varuint (&enc, kind);
  if (kind == TANDEM_SYNC_FRAME_AWARENESS)
    y_enc_varbytes (&enc, d, len);
  else
    y_enc_raw (&enc, d, len);
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_sync_frame_parse:
 * @frame: (array length=len): a y-websocket frame
 * @len: its length
 * @kind: (out): the frame kind
 * @body: (out) (transfer none) (array length=body_len): the body inside @frame
 * @body_len: (out): its length
 * @error: return location for a #GError
 *
 * Returns: %FALSE if the frame is malformed
 */
gboolean
tandem_sync_frame_parse (const guint8 *frame, gsize len, TandemSyncFrameKind *kind,
                         const guint8 **body, gsize *body_len, GError **error)
{
  YDec dec;
  guint64 k;

  y_dec_init (&dec, frame, len);
  if (!y_dec_varuint (&dec, &k) || k > TANDEM_SYNC_FRAME_QUERY_AWARENESS)
    goto malformed;
  *kind = k;
  if (k == TANDEM_SYNC_FRAME_AWARENESS)
    {
      if (!y_dec_varbytes (&dec, body, body_len))
        goto malformed;
    }
  else
    {
      *body = dec.p;
      *body_len = dec.end - dec.p;
    }
  return TRUE;

malformed:
  g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED, "Malformed frame");
  return FALSE;
}
