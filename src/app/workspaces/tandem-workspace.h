/* tandem-workspace.h: one saved workspace (what GSettings keeps of it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_WORKSPACE (tandem_workspace_get_type ())
G_DECLARE_FINAL_TYPE (TandemWorkspace, tandem_workspace, TANDEM, WORKSPACE, GObject)

TandemWorkspace     *tandem_workspace_new              (const char          *id,
                                                        TandemWorkspaceKind  kind);
/* A new random id: 12 lowercase hex digits (short, as it is part of the
 * local server's socket path). */
char                *tandem_workspace_generate_id      (void);

const char          *tandem_workspace_get_id           (TandemWorkspace     *self);
TandemWorkspaceKind  tandem_workspace_get_kind         (TandemWorkspace     *self);
const char          *tandem_workspace_get_name         (TandemWorkspace     *self);
void                 tandem_workspace_set_name         (TandemWorkspace     *self,
                                                        const char          *name);
const char          *tandem_workspace_get_url          (TandemWorkspace     *self);
void                 tandem_workspace_set_url          (TandemWorkspace     *self,
                                                        const char          *url);
const char          *tandem_workspace_get_email        (TandemWorkspace     *self);
void                 tandem_workspace_set_email        (TandemWorkspace     *self,
                                                        const char          *email);
const char          *tandem_workspace_get_display_name (TandemWorkspace     *self);
void                 tandem_workspace_set_display_name (TandemWorkspace     *self,
                                                        const char          *display_name);
/* The local server's port (0: none chosen yet). */
guint                tandem_workspace_get_port         (TandemWorkspace     *self);
void                 tandem_workspace_set_port         (TandemWorkspace     *self,
                                                        guint                port);
/* $XDG_DATA_HOME/tandem/workspaces/<id> (local workspaces). */
char                *tandem_workspace_dup_data_dir     (TandemWorkspace     *self);

G_END_DECLS
