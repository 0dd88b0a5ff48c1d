/* tandem-application-private.h: shared by tandem-application.c and
 * tandem-application-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-application.h"

G_BEGIN_DECLS

struct _TandemApplication
{
  AdwApplication          parent_instance;

  GSettings              *settings;
  TandemWorkspaceStore   *store;
  TandemWorkspaceSession *session;
  GSignalGroup           *channel_signals;

  GCancellable           *open_cancellable;
  TandemWorkspace        *opening;
  gboolean                busy;
  gboolean                restored;

  GtkWindow              *connection_monitor;  /* weak */
  GtkWindow              *preferences;         /* weak */
};

/* tandem-application-actions.c */
void       _tandem_application_install_actions       (TandemApplication *self);
GtkWindow *_tandem_application_show_connection_monitor (TandemApplication *self);

G_END_DECLS
