/* crdt-trace.h: loading the editing traces of josephg/editing-traces
 * (/work/shared/data/editing-traces, see its README) into plain arrays.
 * Shared by the trace replay test and the benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  guint  pos;
  guint  ndel;
  char  *ins;      /* NULL when nothing is inserted */
  gsize  ins_len;
} TracePatch;

typedef struct
{
  guint   first_patch, n_patches;
  guint   agent;
  guint   n_parents;
  guint  *parents;
} TraceTxn;

typedef struct
{
  gboolean concurrent;
  guint    num_agents;
  char    *start_content;
  char    *end_content;
  GArray  *patches;  /* TracePatch */
  GArray  *txns;     /* TraceTxn */
  GStringChunk *strings;
} Trace;

static inline void
trace_free (Trace *t)
{
  if (t == NULL)
    return;
  g_free (t->start_content);
  g_free (t->end_content);
  for (guint i = 0; t->txns && i < t->txns->len; i++)
    g_free (g_array_index (t->txns, TraceTxn, i).parents);
  if (t->txns)
    g_array_unref (t->txns);
  if (t->patches)
    g_array_unref (t->patches);
  if (t->strings)
    g_string_chunk_free (t->strings);
  g_free (t);
}

static inline Trace *
trace_load (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) raw = g_file_read (file, NULL, error);
  if (raw == NULL)
    return NULL;
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (G_INPUT_STREAM (raw), G_CONVERTER (z));
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  if (!json_parser_load_from_stream (parser, in, NULL, error))
    return NULL;
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  Trace *t = g_new0 (Trace, 1);
  t->patches = g_array_new (FALSE, FALSE, sizeof (TracePatch));
  t->txns = g_array_new (FALSE, FALSE, sizeof (TraceTxn));
  t->strings = g_string_chunk_new (1 << 16);
  t->concurrent = json_object_has_member (root, "kind") &&
                  g_strcmp0 (json_object_get_string_member (root, "kind"), "concurrent") == 0;
  if (json_object_has_member (root, "startContent"))
    t->start_content = g_strdup (json_object_get_string_member (root, "startContent"));
  else
    t->start_content = g_strdup ("");
  t->end_content = g_strdup (json_object_get_string_member (root, "endContent"));
  if (t->concurrent)
    t->num_agents = json_object_get_int_member (root, "numAgents");
  JsonArray *txns = json_object_get_array_member (root, "txns");
  for (guint i = 0; i < json_array_get_length (txns); i++)
    {
      JsonObject *tx = json_array_get_object_element (txns, i);
      JsonArray *patches = json_object_get_array_member (tx, "patches");
      TraceTxn txn = { t->patches->len, json_array_get_length (patches), 0, 0, NULL };
      if (t->concurrent)
        {
          JsonArray *parents = json_object_get_array_member (tx, "parents");
          txn.agent = json_object_get_int_member (tx, "agent");
          txn.n_parents = json_array_get_length (parents);
          txn.parents = g_new (guint, MAX (txn.n_parents, 1));
          for (guint k = 0; k < txn.n_parents; k++)
            txn.parents[k] = json_array_get_int_element (parents, k);
        }
      for (guint k = 0; k < txn.n_patches; k++)
        {
          JsonArray *p = json_array_get_array_element (patches, k);
          const char *ins = json_array_get_string_element (p, 2);
          TracePatch patch = { json_array_get_int_element (p, 0), json_array_get_int_element (p, 1), NULL, 0 };
          if (ins && *ins)
            {
              patch.ins_len = strlen (ins);
              patch.ins = g_string_chunk_insert_len (t->strings, ins, patch.ins_len);
            }
          g_array_append_val (t->patches, patch);
        }
      g_array_append_val (t->txns, txn);
    }
  return t;
}
