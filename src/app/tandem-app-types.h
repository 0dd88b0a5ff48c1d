/* tandem-app-types.h: every type of the app's shell and workspaces, declared
 * once; other headers of src/app include only this (and libtandem)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* workspaces/ (no widgets) */
typedef struct _TandemWorkspace           TandemWorkspace;
typedef struct _TandemWorkspaceStore      TandemWorkspaceStore;
typedef struct _TandemWorkspaceSession    TandemWorkspaceSession;
typedef struct _TandemLocalServer         TandemLocalServer;
typedef struct _TandemConnectionWatch     TandemConnectionWatch;

/* shell/ */
typedef struct _TandemApplication         TandemApplication;
typedef struct _TandemWindow              TandemWindow;
typedef struct _TandemWelcomePage         TandemWelcomePage;
typedef struct _TandemWorkspaceSwitcher   TandemWorkspaceSwitcher;
typedef struct _TandemPeopleList          TandemPeopleList;
typedef struct _TandemPersonRow           TandemPersonRow;
typedef struct _TandemStatusChooser       TandemStatusChooser;
typedef struct _TandemIdleMonitor         TandemIdleMonitor;
typedef struct _TandemConnectionIndicator TandemConnectionIndicator;
typedef struct _TandemConnectionBanner    TandemConnectionBanner;
typedef struct _TandemConnectionMonitor   TandemConnectionMonitor;
typedef struct _TandemChannelInfo         TandemChannelInfo;
typedef struct _TandemPreferencesWindow   TandemPreferencesWindow;

/**
 * TandemWorkspaceKind:
 * @TANDEM_WORKSPACE_LOCAL: a tandem-server the app runs itself
 * @TANDEM_WORKSPACE_REMOTE: a Supabase project (or someone's tandem-server)
 */
typedef enum
{
  TANDEM_WORKSPACE_LOCAL,
  TANDEM_WORKSPACE_REMOTE,
} TandemWorkspaceKind;

/**
 * TandemSecretKind:
 * @TANDEM_SECRET_API_KEY: the project's anon key
 * @TANDEM_SECRET_PASSWORD: the password of a local workspace's account
 * @TANDEM_SECRET_REFRESH_TOKEN: the session's current refresh token
 *
 * What a keyring item of a workspace holds (its `kind` attribute).
 */
typedef enum
{
  TANDEM_SECRET_API_KEY,
  TANDEM_SECRET_PASSWORD,
  TANDEM_SECRET_REFRESH_TOKEN,
} TandemSecretKind;

/**
 * TandemUserStatus:
 * @TANDEM_USER_ONLINE: here
 * @TANDEM_USER_AWAY: away (chosen, or after a while without input)
 * @TANDEM_USER_DND: do not disturb: no desktop notifications
 * @TANDEM_USER_INVISIBLE: not tracked at all: others see one offline
 *
 * One's own status; the first three are sent as presence meta `status`
 * ("online", "away", "dnd").
 */
typedef enum
{
  TANDEM_USER_ONLINE,
  TANDEM_USER_AWAY,
  TANDEM_USER_DND,
  TANDEM_USER_INVISIBLE,
} TandemUserStatus;

/**
 * TandemConnectionState:
 * @TANDEM_CONNECTION_OFFLINE: no workspace, signed out, or no network
 * @TANDEM_CONNECTION_CONNECTING: the first connection is under way
 * @TANDEM_CONNECTION_CONNECTED: connected
 * @TANDEM_CONNECTION_RECONNECTING: the connection was lost; a new attempt
 *   is scheduled (see #TandemConnectionWatch:seconds-to-retry)
 * @TANDEM_CONNECTION_ERROR: libtandem gave up, or the server refused
 *
 * What the header's indicator and the banner show.
 */
typedef enum
{
  TANDEM_CONNECTION_OFFLINE,
  TANDEM_CONNECTION_CONNECTING,
  TANDEM_CONNECTION_CONNECTED,
  TANDEM_CONNECTION_RECONNECTING,
  TANDEM_CONNECTION_ERROR,
} TandemConnectionState;

G_END_DECLS
