/* tandem-workspace-session-private.h: shared by tandem-workspace-session.c
 * (the object, tokens, closing), -open.c (the ways in) and -presence.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-connection-watch.h"
#include "tandem-local-server.h"
#include "tandem-workspace.h"
#include "tandem-workspace-error.h"
#include "tandem-workspace-session.h"
#include "tandem-workspace-store.h"

G_BEGIN_DECLS

struct _TandemWorkspaceSession
{
  GObject                 parent_instance;

  TandemWorkspaceStore   *store;
  TandemWorkspace        *workspace;
  TandemLocalServer      *server;
  TandemClient           *client;
  TandemConnectionWatch  *connection;
  GCancellable           *cancellable;

  char                   *user_id;
  char                   *display_name;

  /* presence */
  TandemChannel          *channel;
  TandemUserStatus        status;
  char                   *online_at;
  gboolean                tracked;

  /* keyring writes in flight, and close_async tasks waiting for them */
  guint                   pending_writes;
  GQueue                  close_waiters;
  gboolean                closing;
};

enum {
  SESSION_PROP_0,
  SESSION_PROP_STORE,
  SESSION_PROP_WORKSPACE,
  SESSION_PROP_CLIENT,
  SESSION_PROP_LOCAL_SERVER,
  SESSION_PROP_CONNECTION,
  SESSION_PROP_USER_ID,
  SESSION_PROP_DISPLAY_NAME,
  SESSION_PROP_PRESENCE,
  SESSION_PROP_STATUS,
  SESSION_N_PROPS
};

extern GParamSpec *_tandem_workspace_session_properties[SESSION_N_PROPS];

/* tandem-workspace-session.c */
TandemWorkspaceSession *_tandem_workspace_session_new          (TandemWorkspaceStore   *store,
                                                                TandemWorkspace        *workspace,
                                                                TandemClient           *client,
                                                                TandemLocalServer      *server);
/* After signing in: user id and name from the TandemSession, connects,
 * joins presence. */
void                    _tandem_workspace_session_start        (TandemWorkspaceSession *self);
/* A keyring write counted for close_async. */
void                    _tandem_workspace_session_save_secret  (TandemWorkspaceSession *self,
                                                                TandemSecretKind        kind,
                                                                const char             *secret);

/* tandem-workspace-session-presence.c */
void                    _tandem_workspace_session_join_presence  (TandemWorkspaceSession *self);
void                    _tandem_workspace_session_leave_presence (TandemWorkspaceSession *self);

G_END_DECLS
