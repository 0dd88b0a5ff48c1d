/* crdt-bench.c: the C side of the CRDT benchmark
 *
 * For each trace given: replay it edit by edit into a fresh document, encode
 * the result, load the encoding into a fresh document, and measure the heap
 * held by the replayed document (malloc statistics, the same way the Node
 * side measures V8's heap after a GC). Prints one JSON object per trace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <malloc.h>

#include "tandem-ydoc.h"
#include "crdt-trace.h"

static gsize
heap_in_use (void)
{
  struct mallinfo2 mi = mallinfo2 ();
  return mi.uordblks + mi.hblkhd;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

int
main (int argc, char *argv[])
{
  if (argc < 2)
    {
      g_printerr ("usage: %s TRACE.json.gz...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      Trace *t = trace_load (argv[i], &error);
      if (t == NULL)
        {
          g_printerr ("%s: %s\n", argv[i], error->message);
          return 1;
        }
      malloc_trim (0);
      gsize heap0 = heap_in_use ();
      double t0 = now_ms ();
      TandemYDoc *doc = tandem_ydoc_new (1);
      guint32 text = tandem_ydoc_get_text (doc, "text");
      if (*t->start_content)
        tandem_ydoc_text_insert (doc, text, 0, t->start_content, -1, NULL);
      for (guint k = 0; k < t->patches->len; k++)
        {
          TracePatch *p = &g_array_index (t->patches, TracePatch, k);
          if (p->ndel)
            tandem_ydoc_text_delete (doc, text, p->pos, p->ndel, NULL);
          if (p->ins)
            tandem_ydoc_text_insert (doc, text, p->pos, p->ins, p->ins_len, NULL);
        }
      double t1 = now_ms ();
      malloc_trim (0);
      gsize heap1 = heap_in_use ();
      t1 = now_ms ();
      g_autoptr(GBytes) state = tandem_ydoc_encode_state_as_update (doc, NULL, 0, NULL);
      double t2 = now_ms ();
      TandemYDoc *copy = tandem_ydoc_new (2);
      tandem_ydoc_apply_update (copy, g_bytes_get_data (state, NULL), g_bytes_get_size (state), NULL, NULL);
      double t3 = now_ms ();
      g_autofree char *end = tandem_ydoc_text_to_string (copy, tandem_ydoc_get_text (copy, "text"), NULL);
      g_autofree char *end0 = tandem_ydoc_text_to_string (doc, text, NULL);
      gboolean ok = g_str_equal (end, t->end_content) && g_str_equal (end0, t->end_content);
      g_print ("{\"trace\":\"%s\",\"edits\":%u,\"replay_ms\":%.1f,\"encode_ms\":%.2f,\"load_ms\":%.2f,"
               "\"size\":%zu,\"memory\":%zu,\"doc_memory\":%zu,\"ok\":%s}\n",
               g_path_get_basename (argv[i]), t->patches->len, t1 - t0, t2 - t1, t3 - t2,
               g_bytes_get_size (state), heap1 - heap0, tandem_ydoc_memory_size (doc), ok ? "true" : "false");
      tandem_ydoc_free (copy);
      tandem_ydoc_free (doc);
      trace_free (t);
    }
  return 0;
}
