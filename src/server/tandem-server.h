/* tandem-server.h: the local Supabase-compatible backend as one object
 *
 * Owns the PostgreSQL cluster (with --data) or a connection to an existing
 * database (--database-url), the schema migrations, the WAL change stream,
 * the HTTP server and the Realtime hub, and keeps them running: a crashed
 * PostgreSQL is started again and the connections follow it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem-auth-api.h"
#include "tandem-rt-types.h"
#include "tandem-server-status.h"

G_BEGIN_DECLS

typedef struct
{
  char           *data_dir;      /* nullable with database_url */
  char           *database_url;  /* nullable: use our own cluster in data_dir */
  char           *listen_host;   /* "127.0.0.1" */
  guint           listen_port;   /* 54321; 0 picks a free port */
  char           *jwt_secret;    /* nullable: stored/generated */
  guint           db_port;       /* TCP port of our own cluster, 0: socket only */
  char           *slot_name;     /* "tandem_realtime" */
  guint           pool_size;     /* database connections for REST and Auth, 8 */
  gboolean        demo;          /* write demo analytics events (--demo) */
  guint           demo_rate;     /* demo events per second, 5 */
  TandemRtLimits  limits;
  TandemAuthOptions auth;
} TandemServerOptions;

void tandem_server_options_init  (TandemServerOptions *options);
void tandem_server_options_clear (TandemServerOptions *options);

#define TANDEM_TYPE_SERVER (tandem_server_get_type ())
G_DECLARE_FINAL_TYPE (TandemServer, tandem_server, TANDEM, SERVER, GObject)

TandemServer *tandem_server_new           (const TandemServerOptions *options);

void          tandem_server_start_async   (TandemServer        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      tandem_server_start_finish  (TandemServer        *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Closes every client, stops the change stream (the slot is kept, at the
 * last confirmed position) and stops our PostgreSQL. Blocks briefly. */
void          tandem_server_stop          (TandemServer        *self);

/* URLs and keys, once started. */
void          tandem_server_get_status    (TandemServer        *self,
                                           TandemServerStatus  *status);

G_END_DECLS
