/* tandem-text.h: a shared plain text (Yjs Y.Text) and its change deltas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tandem-document.h"
#include "tandem-relative-position.h"

G_BEGIN_DECLS

/**
 * TandemDeltaOpKind:
 * @TANDEM_DELTA_RETAIN: keep the next characters
 * @TANDEM_DELTA_INSERT: insert text here
 * @TANDEM_DELTA_DELETE: delete the next characters
 *
 * The operations of a #TandemDelta.
 */
typedef enum
{
  TANDEM_DELTA_RETAIN,
  TANDEM_DELTA_INSERT,
  TANDEM_DELTA_DELETE,
} TandemDeltaOpKind;

#define TANDEM_TYPE_DELTA (tandem_delta_get_type ())

/**
 * TandemDelta:
 *
 * A change of a text as a list of operations applied from the start: retain
 * n characters, insert a string, delete n characters. Lengths count code
 * points, like #GtkTextIter offsets.
 */
typedef struct _TandemDelta TandemDelta;

GType             tandem_delta_get_type   (void) G_GNUC_CONST;
TandemDelta      *tandem_delta_ref        (TandemDelta *delta);
void              tandem_delta_unref      (TandemDelta *delta);
guint             tandem_delta_get_n_ops  (TandemDelta *delta);
TandemDeltaOpKind tandem_delta_get_op     (TandemDelta *delta,
                                           guint        index,
                                           guint       *length,
                                           const char **text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemDelta, tandem_delta_unref)

#define TANDEM_TYPE_TEXT (tandem_text_get_type ())
G_DECLARE_FINAL_TYPE (TandemText, tandem_text, TANDEM, TEXT, GObject)

TandemDocument *tandem_text_get_document    (TandemText  *self);
const char     *tandem_text_get_name        (TandemText  *self);
char           *tandem_text_get_string      (TandemText  *self);
guint           tandem_text_get_length      (TandemText  *self);
gboolean        tandem_text_insert          (TandemText  *self,
                                             guint        position,
                                             const char  *text,
                                             gssize       len,
                                             GError     **error);
gboolean        tandem_text_delete          (TandemText  *self,
                                             guint        position,
                                             guint        n_chars,
                                             GError     **error);
TandemRelativePosition *tandem_text_create_relative_position (TandemText *self,
                                                               guint       position,
                                                               gint        assoc);
gboolean        tandem_text_resolve_relative_position (TandemText                   *self,
                                                       const TandemRelativePosition *rpos,
                                                       guint                        *position);

G_END_DECLS
