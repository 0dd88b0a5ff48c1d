/* crdt-peer.c: C CRDT peers driven over stdin/stdout by the Node interop
 * tests (tests/interop/yjs/). One process hosts any number of documents.
 *
 * One command per line, binary and text as hex; one reply line each:
 *   new ID CLIENT            -> ok
 *   ins ID POS16 HEXTEXT     -> upd HEX|-      (the local update)
 *   del ID POS16 LEN16       -> upd HEX|-
 *   apply ID HEX             -> ok | err MESSAGE
 *   text ID                  -> text HEX
 *   len ID                   -> len N16
 *   sv ID                    -> sv HEX
 *   state ID [SVHEX]         -> state HEX
 *   runs ID                  -> runs DUMP
 *   pending ID               -> pending 0|1
 *   merge HEX...             -> merged HEX
 *   replay ID TRACE.json.gz  -> ok N  (a sequential editing trace, edit by edit)
 *   quit
 * Positions and lengths are UTF-16 code units, as in Yjs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "crdt-test-util.h"
#include "crdt-trace.h"

static GHashTable *docs;
static GString *last_update;

static void
on_update (TandemYDoc *doc, const guint8 *update, gsize len, gboolean local, gpointer data)
{
  if (!local)
    return;
  g_autofree char *h = bytes_to_hex_len (update, len);
  g_string_assign (last_update, h);
}

static TandemYDoc *
get_doc (const char *id)
{
  TandemYDoc *doc = g_hash_table_lookup (docs, id);
  if (doc == NULL)
    {
      printf ("err no such document %s\n", id);
      fflush (stdout);
    }
  return doc;
}

static void
reply_update (gboolean ok, GError *error)
{
  if (!ok)
    printf ("err %s\n", error->message);
  else
    printf ("upd %s\n", last_update->len ? last_update->str : "-");
}

int
main (int argc, char *argv[])
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  docs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) tandem_ydoc_free);
  last_update = g_string_new (NULL);
  while ((n = getline (&line, &cap, stdin)) > 0)
    {
      g_strchomp (line);
      g_auto(GStrv) w = g_strsplit (line, " ", -1);
      guint nw = g_strv_length (w);
      g_autoptr(GError) error = NULL;
      TandemYDoc *doc;

      if (nw == 0 || g_str_equal (w[0], "quit"))
        break;
      if (g_str_equal (w[0], "merge"))
        {
          g_autoptr(GPtrArray) ups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
          for (guint i = 1; i < nw; i++)
            g_ptr_array_add (ups, hex_to_bytes (w[i]));
          g_autoptr(GBytes) m = tandem_yupdate_merge ((GBytes **) ups->pdata, ups->len, &error);
          if (m == NULL)
            printf ("err %s\n", error->message);
          else
            {
              g_autofree char *h = bytes_to_hex (m);
              printf ("merged %s\n", h);
            }
          fflush (stdout);
          continue;
        }
      if (nw < 2)
        {
          printf ("err bad command\n");
          fflush (stdout);
          continue;
        }
      if (g_str_equal (w[0], "new") && nw == 3)
        {
          doc = tandem_ydoc_new (g_ascii_strtoull (w[2], NULL, 10));
          tandem_ydoc_set_update_func (doc, on_update, NULL);
          tandem_ydoc_get_text (doc, "t");
          g_hash_table_replace (docs, g_strdup (w[1]), doc);
          printf ("ok\n");
          fflush (stdout);
          continue;
        }
      if ((doc = get_doc (w[1])) == NULL)
        continue;
      guint32 t = tandem_ydoc_get_text (doc, "t");
      g_string_truncate (last_update, 0);
      if (g_str_equal (w[0], "ins") && nw == 4)
        {
          g_autoptr(GBytes) s = hex_to_bytes (w[3]);
          gboolean ok = tandem_ydoc_text_insert_utf16 (doc, t, atoi (w[2]), g_bytes_get_data (s, NULL),
                                                       g_bytes_get_size (s), &error);
          reply_update (ok, error);
        }
      else if (g_str_equal (w[0], "del") && nw == 4)
        {
          gboolean ok = tandem_ydoc_text_delete_utf16 (doc, t, atoi (w[2]), atoi (w[3]), &error);
          reply_update (ok, error);
        }
      else if (g_str_equal (w[0], "apply") && nw == 3)
        {
          g_autoptr(GBytes) u = hex_to_bytes (w[2]);
          if (tandem_ydoc_apply_update (doc, g_bytes_get_data (u, NULL), g_bytes_get_size (u), NULL, &error))
            printf ("ok\n");
          else
            printf ("err %s\n", error->message);
        }
      else if (g_str_equal (w[0], "replay") && nw == 3)
        {
          Trace *tr = trace_load (w[2], &error);
          gboolean ok = tr != NULL;
          if (ok && *tr->start_content)
            ok = tandem_ydoc_text_insert (doc, t, 0, tr->start_content, -1, &error);
          for (guint i = 0; ok && i < tr->patches->len; i++)
            {
              TracePatch *p = &g_array_index (tr->patches, TracePatch, i);
              if (p->ndel)
                ok = tandem_ydoc_text_delete (doc, t, p->pos, p->ndel, &error);
              if (ok && p->ins)
                ok = tandem_ydoc_text_insert (doc, t, p->pos, p->ins, p->ins_len, &error);
            }
          if (ok)
            printf ("ok %u\n", tr->patches->len);
          else
            printf ("err %s\n", error->message);
          trace_free (tr);
        }
      else if (g_str_equal (w[0], "text"))
        {
          gsize len;
          g_autofree char *s = tandem_ydoc_text_to_string (doc, t, &len);
          g_autofree char *h = bytes_to_hex_len ((const guint8 *) s, len);
          printf ("text %s\n", h);
        }
      else if (g_str_equal (w[0], "len"))
        printf ("len %u\n", tandem_ydoc_text_length_utf16 (doc, t));
      else if (g_str_equal (w[0], "sv"))
        {
          g_autofree char *h = sv_hex (doc);
          printf ("sv %s\n", h);
        }
      else if (g_str_equal (w[0], "state"))
        {
          g_autoptr(GBytes) sv = nw > 2 ? hex_to_bytes (w[2]) : NULL;
          g_autoptr(GBytes) st = tandem_ydoc_encode_state_as_update (doc, sv ? g_bytes_get_data (sv, NULL) : NULL,
                                                                     sv ? g_bytes_get_size (sv) : 0, &error);
          if (st == NULL)
            printf ("err %s\n", error->message);
          else
            {
              g_autofree char *h = bytes_to_hex (st);
              printf ("state %s\n", h);
            }
        }
      else if (g_str_equal (w[0], "runs"))
        {
          g_autofree char *r = tandem_ydoc_dump_runs (doc, t);
          printf ("runs %s\n", r);
        }
      else if (g_str_equal (w[0], "pending"))
        printf ("pending %d\n", tandem_ydoc_has_pending (doc));
      else
        printf ("err bad command\n");
      fflush (stdout);
    }
  free (line);
  g_hash_table_unref (docs);
  g_string_free (last_update, TRUE);
  return 0;
}
