/* tandem-workspace-session.h: a signed-in workspace: its TandemClient and
 * TandemAuth, its local server (if any), the workspace presence channel and
 * one's own status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem.h"
#include "tandem-app-types.h"

G_BEGIN_DECLS

/* The presence channel of a workspace (see src/app/README.md). */
#define TANDEM_WORKSPACE_CHANNEL "workspace"

#define TANDEM_TYPE_WORKSPACE_SESSION (tandem_workspace_session_get_type ())
G_DECLARE_FINAL_TYPE (TandemWorkspaceSession, tandem_workspace_session, TANDEM, WORKSPACE_SESSION, GObject)

/* ---- opening one (errors in TANDEM_WORKSPACE_ERROR, with a field) ---- */

/* A new local workspace: starts a tandem-server with --demo in a new data
 * folder, creates an account for @your_name (a random password, kept in
 * the keyring), signs in and saves the workspace. */
void                    tandem_workspace_session_create_local_async  (TandemWorkspaceStore *store,
                                                                      const char           *your_name,
                                                                      GCancellable         *cancellable,
                                                                      GAsyncReadyCallback   callback,
                                                                      gpointer              user_data);
/* A Supabase project: checks the URL and the key, signs in (or up) with
 * @email and @password, saves the workspace, the key in the keyring. */
void                    tandem_workspace_session_create_remote_async (TandemWorkspaceStore *store,
                                                                      const char           *url,
                                                                      const char           *api_key,
                                                                      const char           *email,
                                                                      const char           *password,
                                                                      gboolean              sign_up,
                                                                      GCancellable         *cancellable,
                                                                      GAsyncReadyCallback   callback,
                                                                      gpointer              user_data);
/* A saved workspace: starts its server (local), then restores the session
 * from the stored refresh token; a local account falls back to its stored
 * password; with @password (remote), signs in with it instead.
 * TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED means: ask for the password. */
void                    tandem_workspace_session_open_async          (TandemWorkspaceStore *store,
                                                                      TandemWorkspace      *workspace,
                                                                      const char           *password,
                                                                      GCancellable         *cancellable,
                                                                      GAsyncReadyCallback   callback,
                                                                      gpointer              user_data);
TandemWorkspaceSession *tandem_workspace_session_open_finish         (GAsyncResult         *result,
                                                                      GError              **error);

/* Leaves presence, disconnects, signs out first if @sign_out (forgetting
 * the refresh token), stops the local server, and waits for the keyring. */
void                    tandem_workspace_session_close_async         (TandemWorkspaceSession *self,
                                                                      gboolean                sign_out,
                                                                      GCancellable           *cancellable,
                                                                      GAsyncReadyCallback     callback,
                                                                      gpointer                user_data);
gboolean                tandem_workspace_session_close_finish        (TandemWorkspaceSession *self,
                                                                      GAsyncResult           *result,
                                                                      GError                **error);

/* ---- what it holds ---- */

TandemWorkspaceStore   *tandem_workspace_session_get_store           (TandemWorkspaceSession *self);
TandemWorkspace        *tandem_workspace_session_get_workspace       (TandemWorkspaceSession *self);
TandemClient           *tandem_workspace_session_get_client          (TandemWorkspaceSession *self);
/* NULL for a remote workspace. */
TandemLocalServer      *tandem_workspace_session_get_local_server    (TandemWorkspaceSession *self);
TandemConnectionWatch  *tandem_workspace_session_get_connection      (TandemWorkspaceSession *self);
const char             *tandem_workspace_session_get_user_id         (TandemWorkspaceSession *self);
const char             *tandem_workspace_session_get_display_name    (TandemWorkspaceSession *self);

/* ---- presence ---- */

TandemChannel          *tandem_workspace_session_get_presence_channel (TandemWorkspaceSession *self);
/* The people on the workspace channel (TandemPresenceEntry). */
TandemPresence         *tandem_workspace_session_get_presence        (TandemWorkspaceSession *self);
TandemUserStatus        tandem_workspace_session_get_status          (TandemWorkspaceSession *self);
/* Tracks the new status (untracks for invisible); nothing is sent when it
 * does not change. */
void                    tandem_workspace_session_set_status          (TandemWorkspaceSession *self,
                                                                      TandemUserStatus        status);

/* "online", "away", "dnd", "invisible" */
const char             *tandem_user_status_to_string                 (TandemUserStatus        status);
gboolean                tandem_user_status_from_string               (const char             *text,
                                                                      TandemUserStatus       *status);

G_END_DECLS
