/* tandem-undo-manager.h: undo and redo of the local user's changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tandem-text.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_UNDO_MANAGER (tandem_undo_manager_get_type ())
G_DECLARE_FINAL_TYPE (TandemUndoManager, tandem_undo_manager, TANDEM, UNDO_MANAGER, GObject)

TandemUndoManager *tandem_undo_manager_new             (TandemText        *text);
gboolean           tandem_undo_manager_undo            (TandemUndoManager *self);
gboolean           tandem_undo_manager_redo            (TandemUndoManager *self);
gboolean           tandem_undo_manager_get_can_undo    (TandemUndoManager *self);
gboolean           tandem_undo_manager_get_can_redo    (TandemUndoManager *self);
void               tandem_undo_manager_stop_capturing  (TandemUndoManager *self);
void               tandem_undo_manager_clear           (TandemUndoManager *self);

G_END_DECLS
