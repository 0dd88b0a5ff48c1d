/* tandem-workspace-switcher.h: the current workspace in the sidebar's
 * header, with a popover listing the saved ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_WORKSPACE_SWITCHER (tandem_workspace_switcher_get_type ())
G_DECLARE_FINAL_TYPE (TandemWorkspaceSwitcher, tandem_workspace_switcher, TANDEM, WORKSPACE_SWITCHER, GtkWidget)

GtkWidget       *tandem_workspace_switcher_new         (void);
/* A GListModel of TandemWorkspace (the TandemWorkspaceStore). */
void             tandem_workspace_switcher_set_store   (TandemWorkspaceSwitcher *self,
                                                        GListModel              *store);
TandemWorkspace *tandem_workspace_switcher_get_current (TandemWorkspaceSwitcher *self);
void             tandem_workspace_switcher_set_current (TandemWorkspaceSwitcher *self,
                                                        TandemWorkspace         *workspace);

G_END_DECLS
