/* tandem-workspace-store.h: the saved workspaces (a GListModel of
 * TandemWorkspace), kept in GSettings; their secrets in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_WORKSPACE_SCHEMA_ID "org.gnome.Tandem.Workspace"
#define TANDEM_WORKSPACE_SCHEMA_PATH "/org/gnome/Tandem/workspaces/"

#define TANDEM_TYPE_WORKSPACE_STORE (tandem_workspace_store_get_type ())
G_DECLARE_FINAL_TYPE (TandemWorkspaceStore, tandem_workspace_store, TANDEM, WORKSPACE_STORE, GObject)

/* @settings: of the schema org.gnome.Tandem (keys `workspaces` and
 * `last-workspace`); each workspace's fields are in the relocatable schema
 * org.gnome.Tandem.Workspace under /org/gnome/Tandem/workspaces/<id>/. */
TandemWorkspaceStore *tandem_workspace_store_new              (GSettings            *settings);
GSettings            *tandem_workspace_store_get_settings     (TandemWorkspaceStore *self);

TandemWorkspace      *tandem_workspace_store_lookup           (TandemWorkspaceStore *self,
                                                               const char           *id);
/* Saves @workspace and, from then on, every change of its properties. */
void                  tandem_workspace_store_add              (TandemWorkspaceStore *self,
                                                               TandemWorkspace      *workspace);
/* Forgets @workspace, its settings and its keyring items. */
void                  tandem_workspace_store_remove           (TandemWorkspaceStore *self,
                                                               TandemWorkspace      *workspace);
/* The workspace used last (or NULL). */
TandemWorkspace      *tandem_workspace_store_get_last         (TandemWorkspaceStore *self);
void                  tandem_workspace_store_set_last         (TandemWorkspaceStore *self,
                                                               TandemWorkspace      *workspace);

void                  tandem_workspace_store_save_secret_async  (TandemWorkspaceStore *self,
                                                                 TandemWorkspace      *workspace,
                                                                 TandemSecretKind      kind,
                                                                 const char           *secret,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean              tandem_workspace_store_save_secret_finish (TandemWorkspaceStore *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
/* The secret, or NULL without error when the keyring has none. */
void                  tandem_workspace_store_lookup_secret_async  (TandemWorkspaceStore *self,
                                                                   TandemWorkspace      *workspace,
                                                                   TandemSecretKind      kind,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
char                 *tandem_workspace_store_lookup_secret_finish (TandemWorkspaceStore *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);
void                  tandem_workspace_store_clear_secret_async   (TandemWorkspaceStore *self,
                                                                   TandemWorkspace      *workspace,
                                                                   TandemSecretKind      kind,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
gboolean              tandem_workspace_store_clear_secret_finish  (TandemWorkspaceStore *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

G_END_DECLS
