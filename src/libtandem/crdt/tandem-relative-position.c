/* tandem-relative-position.c: Yjs relative positions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-relative-position.h"
#include <string.h>

#include "tandem-ydoc-private.h"

struct _TandemRelativePosition
{
  gboolean has_type, has_item;
  guint64  type_client, item_client;
  guint32  type_clock, item_clock;
  char    *tname;
  gint     assoc;
};

G_DEFINE_BOXED_TYPE (TandemRelativePosition, tandem_relative_position,
                     tandem_relative_position_copy, tandem_relative_position_free)

static TandemRelativePosition *
for_type (TandemYDoc *doc, guint32 branch, gint assoc)
{
  TandemRelativePosition *rp = g_new0 (TandemRelativePosition, 1);
  YBranch *b = y_branch (doc, branch);
  if (b->name)
    rp->tname = g_strndup (b->name, b->name_len);
  else
    {
      YItem *t = y_item (doc, b->type_item);
      rp->has_type = TRUE;
      rp->type_client = doc->clients[t->client]->id;
      rp->type_clock = t->clock;
    }
  rp->assoc = assoc;
  return rp;
}

/**
 * tandem_relative_position_new_from_index:
 * @doc: a document
 * @text: a text handle
 * @index16: a position in UTF-16 code units
 * @assoc: ≥ 0 to stick to the character after @index16, < 0 to the one before
 *
 * Creates a relative position as Yjs's `createRelativePositionFromTypeIndex`.
 *
 * Returns: (transfer full): the position
 */
TandemRelativePosition *
tandem_relative_position_new_from_index (TandemYDoc *doc, guint32 text, guint index16, gint assoc)
{
  TandemRelativePosition *rp = for_type (doc, text, assoc);
  guint32 seq = y_branch (doc, text)->list;
  guint32 off, idx;

  if (assoc < 0)
    {
      if (index16 == 0 || seq == 0)
        return rp;
      index16--;
    }
  if (seq == 0)
    return rp;
  idx = y_tree_find (doc, seq, index16, FALSE, &off);
  if (idx == 0 && assoc < 0)
    {
      idx = y_tree_last (doc, seq);
      if (idx == 0)
        return rp;
      off = y_item (doc, idx)->len - 1;
    }
  if (idx != 0)
    {
      YItem *it = y_item (doc, idx);
      rp->has_item = TRUE;
      rp->item_client = doc->clients[it->client]->id;
      rp->item_clock = it->clock + off;
    }
  return rp;
}

TandemRelativePosition *
tandem_relative_position_copy (const TandemRelativePosition *rpos)
{
  TandemRelativePosition *c = g_memdup2 (rpos, sizeof *rpos);
  c->tname = g_strdup (rpos->tname);
  return c;
}

void
tandem_relative_position_free (TandemRelativePosition *rpos)
{
  if (rpos == NULL)
    return;
  g_free (rpos->tname);
  g_free (rpos);
}

gboolean
tandem_relative_position_equal (const TandemRelativePosition *a, const TandemRelativePosition *b)
{
  return a->has_type == b->has_type && a->has_item == b->has_item && a->assoc == b->assoc &&
         g_strcmp0 (a->tname, b->tname) == 0 &&
         (!a->has_type || (a->type_client == b->type_client && a->type_clock == b->type_clock)) &&
         (!a->has_item || (a->item_client == b->item_client && a->item_clock == b->item_clock));
}

gint
tandem_relative_position_get_assoc (const TandemRelativePosition *rpos)
{
  return rpos->assoc;
}

const char *
tandem_relative_position_get_tname (const TandemRelativePosition *rpos)
{
  return rpos->tname;
}

/**
 * tandem_relative_position_get_item:
 * @rpos: a position
 * @client: (out) (optional): the client of the character's id
 * @clock: (out) (optional): the clock of the character's id
 *
 * Returns: whether the position sticks to a character (else to an end)
 */
gboolean
tandem_relative_position_get_item (const TandemRelativePosition *rpos, guint64 *client, guint32 *clock)
{
  if (client)
    *client = rpos->item_client;
  if (clock)
    *clock = rpos->item_clock;
  return rpos->has_item;
}

/**
 * tandem_relative_position_encode:
 * @rpos: a position
 *
 * Returns: (transfer full): the binary form (Yjs `encodeRelativePosition`)
 */
GBytes *
tandem_relative_position_encode (const TandemRelativePosition *rpos)
{
  YEnc enc;
  y_enc_init (&enc);
  if (rpos->has_item)
    {
      y_enc_varuint (&enc, 0);
      y_enc_varuint (&enc, rpos->item_client);
      y_enc_varuint (&enc, rpos->item_clock);
    }
  else if (rpos->tname)
    {
      y_enc_varuint (&enc, 1);
      y_enc_varstring (&enc, rpos->tname, strlen (rpos->tname));
    }
  else
    {
      y_enc_varuint (&enc, 2);
      y_enc_varuint (&enc, rpos->type_client);
      y_enc_varuint (&enc, rpos->type_clock);
    }
  y_enc_varint (&enc, rpos->assoc);
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_relative_position_decode:
 * @data: (array length=len): the binary form
 * @len: its length
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the position, or %NULL if @data is malformed
 */
TandemRelativePosition *
tandem_relative_position_decode (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(TandemRelativePosition) rp = g_new0 (TandemRelativePosition, 1);
  YDec dec;
  guint64 tag, clock;
  gint64 assoc = 0;
  const char *s;
  gsize slen;

  y_dec_init (&dec, data, len);
  if (!y_dec_varuint (&dec, &tag))
    goto malformed;
  switch (tag)
    {
    case 0:
      if (!y_dec_varuint (&dec, &rp->item_client) || !y_dec_varuint (&dec, &clock) || clock > G_MAXUINT32)
        goto malformed;
      rp->has_item = TRUE;
      rp->item_clock = clock;
      break;
    case 1:
      if (!y_dec_varstring (&dec, &s, &slen) || memchr (s, 0, slen))
        goto malformed;
      rp->tname = g_strndup (s, slen);
      break;
    case 2:
      if (!y_dec_varuint (&dec, &rp->type_client) || !y_dec_varuint (&dec, &clock) || clock > G_MAXUINT32)
        goto malformed;
      rp->has_type = TRUE;
      rp->type_clock = clock;
      break;
    default:
      goto malformed;
    }
  if (y_dec_has_content (&dec) && (!y_dec_varint (&dec, &assoc) || assoc < G_MININT || assoc > G_MAXINT))
    goto malformed;
  rp->assoc = assoc;
  return g_steal_pointer (&rp);

malformed:
  g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED, "Malformed relative position");
  return NULL;
}

static JsonNode *
id_node (guint64 client, guint32 clock)
{
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "client", client);
  json_object_set_int_member (o, "clock", clock);
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (n, o);
  return n;
}

/**
 * tandem_relative_position_to_json_node:
 * @rpos: a position
 *
 * The JSON form that Yjs bindings put in awareness states, with all four
 * keys `type`, `tname`, `item`, `assoc` (nulls explicit).
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
tandem_relative_position_to_json_node (const TandemRelativePosition *rpos)
{
  JsonObject *o = json_object_new ();
  if (rpos->has_type)
    json_object_set_member (o, "type", id_node (rpos->type_client, rpos->type_clock));
  else
    json_object_set_null_member (o, "type");
  if (rpos->tname)
    json_object_set_string_member (o, "tname", rpos->tname);
  else
    json_object_set_null_member (o, "tname");
  if (rpos->has_item)
    json_object_set_member (o, "item", id_node (rpos->item_client, rpos->item_clock));
  else
    json_object_set_null_member (o, "item");
  json_object_set_int_member (o, "assoc", rpos->assoc);
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (n, o);
  return n;
}

char *
tandem_relative_position_to_json (const TandemRelativePosition *rpos)
{
  g_autoptr(JsonNode) n = tandem_relative_position_to_json_node (rpos);
  return json_to_string (n, FALSE);
}

static gboolean
read_id (JsonObject *o, const char *key, gboolean *has, guint64 *client, guint32 *clock)
{
  JsonNode *n = json_object_get_member (o, key);
  *has = FALSE;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return FALSE;
  JsonObject *id = json_node_get_object (n);
  JsonNode *c = json_object_get_member (id, "client"), *k = json_object_get_member (id, "clock");
  if (!c || !k || json_node_get_value_type (c) != G_TYPE_INT64 || json_node_get_value_type (k) != G_TYPE_INT64)
    return FALSE;
  gint64 cv = json_node_get_int (c), kv = json_node_get_int (k);
  if (cv < 0 || (guint64) cv > Y_MAX_SAFE_INTEGER || kv < 0 || kv > G_MAXUINT32)
    return FALSE;
  *has = TRUE;
  *client = cv;
  *clock = kv;
  return TRUE;
}

/**
 * tandem_relative_position_from_json_node:
 * @node: a JSON object
 * @error: return location for a #GError
 *
 * Reads the JSON form (Yjs `createRelativePositionFromJSON`; a missing
 * `assoc` is 0).
 *
 * Returns: (transfer full): the position, or %NULL if @node is not one
 */
TandemRelativePosition *
tandem_relative_position_from_json_node (JsonNode *node, GError **error)
{
  g_autoptr(TandemRelativePosition) rp = g_new0 (TandemRelativePosition, 1);
  JsonObject *o;
  JsonNode *n;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;
  o = json_node_get_object (node);
  if (!read_id (o, "type", &rp->has_type, &rp->type_client, &rp->type_clock) ||
      !read_id (o, "item", &rp->has_item, &rp->item_client, &rp->item_clock))
    goto invalid;
  n = json_object_get_member (o, "tname");
  if (n && !JSON_NODE_HOLDS_NULL (n))
    {
      if (json_node_get_value_type (n) != G_TYPE_STRING)
        goto invalid;
      rp->tname = g_strdup (json_node_get_string (n));
    }
  n = json_object_get_member (o, "assoc");
  if (n && !JSON_NODE_HOLDS_NULL (n))
    {
      if (json_node_get_value_type (n) == G_TYPE_INT64)
        rp->assoc = CLAMP (json_node_get_int (n), G_MININT, G_MAXINT);
      else if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
        rp->assoc = json_node_get_double (n) < 0 ? -1 : 0;
      else
        goto invalid;
    }
  if (!rp->has_item && !rp->has_type && rp->tname == NULL)
    goto invalid;
  return g_steal_pointer (&rp);

invalid:
  g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED, "Not a relative position");
  return NULL;
}

TandemRelativePosition *
tandem_relative_position_from_json (const char *json, GError **error)
{
  g_autoptr(JsonNode) n = json_from_string (json, error);
  if (n == NULL)
    return NULL;
  return tandem_relative_position_from_json_node (n, error);
}

/**
 * tandem_relative_position_resolve:
 * @rpos: a position
 * @doc: a document
 * @text: (out) (optional): the text handle the position is in
 * @index16: (out) (optional): the index in UTF-16 code units
 *
 * Where is @rpos now (Yjs `createAbsolutePositionFromRelativePosition` with
 * `followUndoneDeletions = false`)? A position on a deleted character lands
 * where that character was.
 *
 * Returns: %FALSE if the position is not known in @doc (yet)
 */
gboolean
tandem_relative_position_resolve (const TandemRelativePosition *rpos, TandemYDoc *doc,
                                  guint32 *text, guint *index16)
{
  guint32 branch = 0, index = 0;

  if (rpos->has_item)
    {
      guint32 c = y_client_get (doc, rpos->item_client, FALSE);
      if (c == Y_NO_CLIENT || doc->clients[c]->state <= rpos->item_clock)
        return FALSE;
      guint32 idx = y_find_item (doc, c, rpos->item_clock);
      YItem *it = y_item (doc, idx);
      if (it->ref == Y_REF_GC || it->seq == 0 || y_seq (doc, it->seq)->key != NULL)
        return FALSE;
      branch = y_seq (doc, it->seq)->branch;
      if (!y_branch (doc, branch)->deleted)
        {
          guint32 i16;
          index = y_item_visible (it) ? (rpos->item_clock - it->clock) + (rpos->assoc >= 0 ? 0 : 1) : 0;
          y_tree_index_of (doc, idx, &i16, NULL);
          index += i16;
        }
    }
  else
    {
      if (rpos->tname)
        branch = tandem_ydoc_get_text (doc, rpos->tname);
      else
        {
          guint32 c = y_client_get (doc, rpos->type_client, FALSE);
          if (c == Y_NO_CLIENT || doc->clients[c]->state <= rpos->type_clock)
            return FALSE;
          YItem *t = y_item (doc, y_find_item (doc, c, rpos->type_clock));
          if (t->ref != Y_REF_TYPE)
            return FALSE;
          branch = y_opaque_get (doc, t->data)->branch;
        }
      guint32 seq = y_branch (doc, branch)->list;
      index = rpos->assoc >= 0 && seq ? y_seq (doc, seq)->w16 : 0;
    }
  if (text)
    *text = branch;
  if (index16)
    *index16 = index;
  return TRUE;
}
