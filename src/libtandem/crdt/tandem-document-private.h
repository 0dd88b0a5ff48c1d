/* tandem-document-private.h: internals shared by TandemDocument, TandemText
 * and TandemUndoManager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-document.h"
#include "tandem-text.h"

G_BEGIN_DECLS

TandemYDoc *_tandem_document_get_ydoc          (TandemDocument            *self);
void        _tandem_document_add_txn_observer  (TandemDocument            *self,
                                                TandemYDocTransactionFunc  func,
                                                gpointer                   data);
void        _tandem_document_remove_txn_observer (TandemDocument          *self,
                                                  gpointer                 data);
TandemText *_tandem_text_new                   (TandemDocument            *document,
                                                guint32                    handle,
                                                const char                *name);
guint32     _tandem_text_get_handle            (TandemText                *self);
void        _tandem_text_emit_change           (TandemText                *self,
                                                guint                      index,
                                                guint                      n_deleted,
                                                const char                *inserted,
                                                gsize                      inserted_len,
                                                guint                      n_inserted,
                                                gboolean                   local);

G_END_DECLS
