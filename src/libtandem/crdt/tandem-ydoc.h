/* tandem-ydoc.h: a Yjs-compatible CRDT document (plain C core)
 *
 * TandemYDoc is a Yjs document (npm yjs 13.x, update format v1) holding any
 * number of named root types. Tandem interprets Y.Text roots (plain text);
 * every other struct received from Yjs peers (maps, arrays, formats, embeds,
 * nested types, ...) is integrated with the same YATA rules and kept, so it
 * is passed on unchanged in encoded states and diffs.
 *
 * Positions in the plain API count Unicode code points (like GtkTextIter
 * offsets); the _utf16 variants count UTF-16 code units, which is what Yjs
 * uses on the wire, in Y.Text indexes and in relative positions. Embeds and
 * nested types count as one unit in both.
 *
 * The GObject face is TandemDocument / TandemText; this API is what they and
 * the tests are built on. It is not thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TANDEM_CRDT_ERROR (tandem_crdt_error_quark ())

/**
 * TandemCrdtError:
 * @TANDEM_CRDT_ERROR_MALFORMED: truncated or invalid binary data
 * @TANDEM_CRDT_ERROR_INVALID_UTF8: a string is not strictly valid UTF-8
 * @TANDEM_CRDT_ERROR_UNKNOWN_CONTENT: an unknown struct content type
 * @TANDEM_CRDT_ERROR_OUT_OF_RANGE: a position or length outside the text
 * @TANDEM_CRDT_ERROR_INVALID_ARGUMENT: any other invalid argument
 *
 * Errors of the CRDT. A failed operation leaves the document unchanged.
 */
typedef enum
{
  TANDEM_CRDT_ERROR_MALFORMED,
  TANDEM_CRDT_ERROR_INVALID_UTF8,
  TANDEM_CRDT_ERROR_UNKNOWN_CONTENT,
  TANDEM_CRDT_ERROR_OUT_OF_RANGE,
  TANDEM_CRDT_ERROR_INVALID_ARGUMENT,
} TandemCrdtError;

GQuark tandem_crdt_error_quark (void);

typedef struct _TandemYDoc TandemYDoc;
typedef struct _TandemYTransaction TandemYTransaction;

/* Called after each transaction that changed the document, with the Yjs v1
 * update describing the change (what `doc.on('update')` gives in Yjs).
 * Observers (update, change and transaction functions) may read the
 * document but must not modify it; other documents are fine. */
typedef void (*TandemYDocUpdateFunc) (TandemYDoc   *doc,
                                      const guint8 *update,
                                      gsize         len,
                                      gboolean      local,
                                      gpointer      user_data);

/* Called for each change of a text, in order, at the moment it happens:
 * at code point @index, @n_deleted code points were removed and
 * @inserted (@inserted_len bytes, @n_inserted code points) was inserted.
 * Embeds and other countable non-text content are reported as U+FFFC. */
typedef void (*TandemYDocChangeFunc) (TandemYDoc *doc,
                                      guint32     text,
                                      guint       index,
                                      guint       n_deleted,
                                      const char *inserted,
                                      gsize       inserted_len,
                                      guint       n_inserted,
                                      gboolean    local,
                                      gpointer    user_data);

/* Called at the end of every outermost transaction (internal users: undo). */
typedef void (*TandemYDocTransactionFunc) (TandemYDoc         *doc,
                                           TandemYTransaction *txn,
                                           gpointer            user_data);

TandemYDoc *tandem_ydoc_new                 (guint64     client_id);
void        tandem_ydoc_free                (TandemYDoc *doc);
guint64     tandem_ydoc_get_client_id       (TandemYDoc *doc);
guint64     tandem_ydoc_generate_client_id  (void);

guint32     tandem_ydoc_get_text            (TandemYDoc *doc,
                                             const char *name);
const char *tandem_ydoc_text_get_name       (TandemYDoc *doc,
                                             guint32     text);

gboolean    tandem_ydoc_text_insert         (TandemYDoc *doc,
                                             guint32     text,
                                             guint       pos,
                                             const char *str,
                                             gssize      len,
                                             GError    **error);
gboolean    tandem_ydoc_text_delete         (TandemYDoc *doc,
                                             guint32     text,
                                             guint       pos,
                                             guint       n,
                                             GError    **error);
gboolean    tandem_ydoc_text_insert_utf16   (TandemYDoc *doc,
                                             guint32     text,
                                             guint       pos,
                                             const char *str,
                                             gssize      len,
                                             GError    **error);
gboolean    tandem_ydoc_text_delete_utf16   (TandemYDoc *doc,
                                             guint32     text,
                                             guint       pos,
                                             guint       n,
                                             GError    **error);
char       *tandem_ydoc_text_to_string      (TandemYDoc *doc,
                                             guint32     text,
                                             gsize      *len);
guint       tandem_ydoc_text_length         (TandemYDoc *doc,
                                             guint32     text);
guint       tandem_ydoc_text_length_utf16   (TandemYDoc *doc,
                                             guint32     text);
guint       tandem_ydoc_text_utf16_to_chars (TandemYDoc *doc,
                                             guint32     text,
                                             guint       index16);
guint       tandem_ydoc_text_chars_to_utf16 (TandemYDoc *doc,
                                             guint32     text,
                                             guint       index);

void        tandem_ydoc_begin               (TandemYDoc *doc,
                                             gpointer    origin);
void        tandem_ydoc_commit              (TandemYDoc *doc);

GBytes     *tandem_ydoc_encode_state_vector (TandemYDoc   *doc);
GBytes     *tandem_ydoc_encode_state_as_update (TandemYDoc   *doc,
                                                const guint8 *state_vector,
                                                gsize         sv_len,
                                                GError      **error);
GBytes     *tandem_ydoc_encode_delete_set   (TandemYDoc   *doc);
gboolean    tandem_ydoc_apply_update        (TandemYDoc   *doc,
                                             const guint8 *update,
                                             gsize         len,
                                             gpointer      origin,
                                             GError      **error);
gboolean    tandem_ydoc_has_pending         (TandemYDoc   *doc);
char       *tandem_ydoc_dump_runs           (TandemYDoc   *doc,
                                             guint32       text);
gsize       tandem_ydoc_memory_size         (TandemYDoc   *doc);

void        tandem_ydoc_set_update_func     (TandemYDoc           *doc,
                                             TandemYDocUpdateFunc  func,
                                             gpointer              user_data);
void        tandem_ydoc_set_change_func     (TandemYDoc           *doc,
                                             TandemYDocChangeFunc  func,
                                             gpointer              user_data);
void        tandem_ydoc_set_transaction_func (TandemYDoc               *doc,
                                              TandemYDocTransactionFunc func,
                                              gpointer                  user_data);

/* Updates without a document (tandem-ydoc-merge.c) */
GBytes     *tandem_yupdate_merge            (GBytes      **updates,
                                             guint         n_updates,
                                             GError      **error);
GBytes     *tandem_yupdate_diff             (const guint8 *update,
                                             gsize         len,
                                             const guint8 *state_vector,
                                             gsize         sv_len,
                                             GError      **error);
GBytes     *tandem_yupdate_state_vector     (const guint8 *update,
                                             gsize         len,
                                             GError      **error);

/* State vectors: decoded as parallel arrays, in the order they were written */
gboolean    tandem_ystate_vector_decode     (const guint8 *data,
                                             gsize         len,
                                             GArray      **clients,
                                             GArray      **clocks,
                                             GError      **error);

G_END_DECLS
