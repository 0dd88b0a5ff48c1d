/* tandem-pg-conn.h: one asynchronous libpq connection on the main context
 *
 * Queries are queued and run one at a time in submission order, so a caller
 * can send BEGIN; SET LOCAL …; SELECT …; COMMIT as consecutive queries. The
 * socket is watched with a GSource; nothing blocks the main loop except the
 * explicit *_sync helpers meant for start-up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define TANDEM_PG_ERROR (tandem_pg_error_quark ())

typedef enum
{
  TANDEM_PG_ERROR_CONNECTION, /* cannot connect, or the connection was lost */
  TANDEM_PG_ERROR_SQL,        /* the server reported an error: see accessors */
  TANDEM_PG_ERROR_CLOSED,     /* the connection was closed by its owner */
} TandemPgErrorEnum;

/* An extended GError domain: TANDEM_PG_ERROR_SQL errors carry the server's
 * SQLSTATE, detail and hint (NULL for other codes). */
GQuark       tandem_pg_error_quark         (void);
const char  *tandem_pg_error_get_sqlstate  (const GError *error);
const char  *tandem_pg_error_get_detail    (const GError *error);
const char  *tandem_pg_error_get_hint      (const GError *error);
/* Builds a TANDEM_PG_ERROR_SQL GError from a failed result. */
GError      *tandem_pg_error_new_from_result (const PGresult *result);

#define TANDEM_TYPE_PG_CONN (tandem_pg_conn_get_type ())
G_DECLARE_FINAL_TYPE (TandemPgConn, tandem_pg_conn, TANDEM, PG_CONN, GObject)

TandemPgConn *tandem_pg_conn_new            (const char          *conninfo);

void          tandem_pg_conn_connect_async  (TandemPgConn        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      tandem_pg_conn_connect_finish (TandemPgConn        *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Blocking connect, for start-up and tools. */
gboolean      tandem_pg_conn_connect_sync   (TandemPgConn        *self,
                                             GError             **error);

/* Runs one statement with text parameters ($1…$n; NULL entries are SQL
 * NULL). Results are in text format. */
void          tandem_pg_conn_query_async    (TandemPgConn        *self,
                                             const char          *sql,
                                             const char * const  *params,
                                             int                  n_params,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* Returns the result (PGRES_TUPLES_OK or PGRES_COMMAND_OK), or NULL with
 * TANDEM_PG_ERROR_SQL / _CONNECTION / _CLOSED. */
PGresult     *tandem_pg_conn_query_finish   (TandemPgConn        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Blocking variants for start-up (migrations) and tools. @sql may hold
 * several statements when there are no parameters. */
PGresult     *tandem_pg_conn_query_sync     (TandemPgConn        *self,
                                             const char          *sql,
                                             const char * const  *params,
                                             int                  n_params,
                                             GError             **error);
gboolean      tandem_pg_conn_exec_sync      (TandemPgConn        *self,
                                             const char          *sql,
                                             GError             **error);

gboolean      tandem_pg_conn_is_connected   (TandemPgConn        *self);
/* Fails every queued query with TANDEM_PG_ERROR_CLOSED and disconnects. */
void          tandem_pg_conn_close          (TandemPgConn        *self);

/* Additions. */
const char   *tandem_pg_conn_get_conninfo   (TandemPgConn        *self);
/* Queries queued or in flight. */
guint         tandem_pg_conn_get_n_pending  (TandemPgConn        *self);

/* Signals:
 *   "lost" (): the connection broke (server gone); queued queries failed
 *   with TANDEM_PG_ERROR_CONNECTION. Connect again to reuse the object. */

G_END_DECLS
