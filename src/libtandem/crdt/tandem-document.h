/* tandem-document.h: a collaborative document (GObject face of TandemYDoc)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tandem-ydoc.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_DOCUMENT (tandem_document_get_type ())
G_DECLARE_FINAL_TYPE (TandemDocument, tandem_document, TANDEM, DOCUMENT, GObject)

typedef struct _TandemText TandemText;

TandemDocument *tandem_document_new                   (void);
TandemDocument *tandem_document_new_with_client_id    (guint64          client_id);
guint64         tandem_document_get_client_id         (TandemDocument  *self);
TandemText     *tandem_document_get_text              (TandemDocument  *self,
                                                       const char      *name);
void            tandem_document_begin                 (TandemDocument  *self);
void            tandem_document_commit                (TandemDocument  *self);
GBytes         *tandem_document_encode_state_vector   (TandemDocument  *self);
GBytes         *tandem_document_encode_state_as_update (TandemDocument *self,
                                                        GBytes         *state_vector,
                                                        GError        **error);
gboolean        tandem_document_apply_update          (TandemDocument  *self,
                                                       GBytes          *update,
                                                       GError         **error);
gboolean        tandem_document_has_pending           (TandemDocument  *self);

G_END_DECLS
