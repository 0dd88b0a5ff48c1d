/* tandem-relative-position.h: Yjs relative positions (cursors that stay
 * anchored to characters while the text changes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tandem-ydoc.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_RELATIVE_POSITION (tandem_relative_position_get_type ())

/**
 * TandemRelativePosition:
 *
 * A position in a text that sticks to a character (Yjs `RelativePosition`):
 * with @assoc ≥ 0 to the character after it, with @assoc < 0 to the one
 * before it. Its binary and JSON forms are Yjs's.
 */
typedef struct _TandemRelativePosition TandemRelativePosition;

GType                   tandem_relative_position_get_type   (void) G_GNUC_CONST;

TandemRelativePosition *tandem_relative_position_new_from_index (TandemYDoc *doc,
                                                                guint32     text,
                                                                guint       index16,
                                                                gint        assoc);
TandemRelativePosition *tandem_relative_position_copy       (const TandemRelativePosition *rpos);
void                    tandem_relative_position_free       (TandemRelativePosition *rpos);
gboolean                tandem_relative_position_equal      (const TandemRelativePosition *a,
                                                             const TandemRelativePosition *b);
gint                    tandem_relative_position_get_assoc  (const TandemRelativePosition *rpos);
const char             *tandem_relative_position_get_tname  (const TandemRelativePosition *rpos);
gboolean                tandem_relative_position_get_item   (const TandemRelativePosition *rpos,
                                                             guint64                      *client,
                                                             guint32                      *clock);

GBytes                 *tandem_relative_position_encode     (const TandemRelativePosition *rpos);
TandemRelativePosition *tandem_relative_position_decode     (const guint8 *data,
                                                             gsize         len,
                                                             GError      **error);
JsonNode               *tandem_relative_position_to_json_node (const TandemRelativePosition *rpos);
TandemRelativePosition *tandem_relative_position_from_json_node (JsonNode *node,
                                                                GError  **error);
char                   *tandem_relative_position_to_json    (const TandemRelativePosition *rpos);
TandemRelativePosition *tandem_relative_position_from_json  (const char *json,
                                                             GError    **error);

gboolean                tandem_relative_position_resolve    (const TandemRelativePosition *rpos,
                                                             TandemYDoc                   *doc,
                                                             guint32                      *text,
                                                             guint                        *index16);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRelativePosition, tandem_relative_position_free)

G_END_DECLS
