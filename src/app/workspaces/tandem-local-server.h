/* tandem-local-server.h: a local workspace's tandem-server, run as a child
 * process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_LOCAL_SERVER (tandem_local_server_get_type ())
G_DECLARE_FINAL_TYPE (TandemLocalServer, tandem_local_server, TANDEM, LOCAL_SERVER, GObject)

/* @port: the port to listen on (127.0.0.1), 0 for any free one; after the
 * first start it stays the one the server got, so that a restart keeps
 * clients' URLs valid. @demo: pass --demo (demo analytics and dashboard). */
TandemLocalServer *tandem_local_server_new                  (const char         *data_dir,
                                                             guint               port,
                                                             gboolean            demo);

/* The tandem-server to run: $TANDEM_SERVER, else the one next to this
 * program in a build folder, else the installed one (bindir), else the one
 * in $PATH. NULL when there is none. */
char              *tandem_local_server_find_program         (void);

/* Starts the server and waits until it prints its URL and keys. */
void               tandem_local_server_start_async          (TandemLocalServer  *self,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
gboolean           tandem_local_server_start_finish         (TandemLocalServer  *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);
/* SIGTERM, then waits until it exited (it closes its clients and stops
 * PostgreSQL); SIGKILL after 20 s. */
void               tandem_local_server_stop_async           (TandemLocalServer  *self,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
gboolean           tandem_local_server_stop_finish          (TandemLocalServer  *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);
/* SIGTERM without waiting (when the app quits). */
void               tandem_local_server_terminate            (TandemLocalServer  *self);

gboolean           tandem_local_server_get_running          (TandemLocalServer  *self);
const char        *tandem_local_server_get_data_dir         (TandemLocalServer  *self);
guint              tandem_local_server_get_port             (TandemLocalServer  *self);
/* Valid once started (and kept after a stop). */
const char        *tandem_local_server_get_url              (TandemLocalServer  *self);
const char        *tandem_local_server_get_anon_key         (TandemLocalServer  *self);
const char        *tandem_local_server_get_service_role_key (TandemLocalServer  *self);
/* The last lines the server logged (for error messages). */
char              *tandem_local_server_dup_log_tail         (TandemLocalServer  *self);

G_END_DECLS
