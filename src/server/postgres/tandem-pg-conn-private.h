/* tandem-pg-conn-private.h: what the files of TandemPgConn share
 *
 * TandemPgConn is one class split over several files:
 *   tandem-pg-conn.c         the GObject, the public API and the query queue
 *   tandem-pg-conn-socket.c  driving libpq: connecting, sending, results
 *   tandem-pg-conn-error.c   the TANDEM_PG_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-pg-conn.h"

G_BEGIN_DECLS

typedef enum
{
  STATE_DISCONNECTED,
  STATE_CONNECTING,
  STATE_CONNECTED,
} ConnState;

typedef struct
{
  TandemPgConn *self;          /* unowned; the query is owned by the conn */
  GTask        *task;
  char         *sql;
  char        **params;        /* n_params entries, NULL ones are SQL NULL */
  int           n_params;
  GSource      *cancel_source;
  PGresult     *result;
  GError       *error;
  gboolean      copy_out;
} Query;

struct _TandemPgConn
{
  GObject       parent_instance;

  char         *conninfo;
  PGconn       *conn;
  ConnState     state;

  GSource      *watch;
  int           watch_fd;
  PostgresPollingStatusType poll_status;
  GIOCondition  watch_condition;
  gboolean      flush_pending;

  GTask        *connect_task;
  GSource      *connect_cancel_source;
  GSource      *connect_timeout_source;

  GQueue        queue;         /* Query *, not yet sent */
  Query        *current;       /* sent, waiting for its results */
};

/* tandem-pg-conn.c */
void    _tandem_pg_query_free            (Query        *query);
void    _tandem_pg_query_complete        (Query        *query,
                                          GError       *error);
void    _tandem_pg_conn_fail_all_queries (TandemPgConn *self,
                                          int           code,
                                          const char   *message);
void    _tandem_pg_conn_emit_lost        (TandemPgConn *self);

/* tandem-pg-conn-socket.c */
void    _tandem_pg_conn_teardown         (TandemPgConn *self);
void    _tandem_pg_conn_fail_connect     (TandemPgConn *self,
                                          GError       *error);
void    _tandem_pg_conn_became_connected (TandemPgConn *self);
void    _tandem_pg_conn_update_watch     (TandemPgConn *self);
void    _tandem_pg_conn_handle_lost      (TandemPgConn *self);
void    _tandem_pg_conn_dispatch         (TandemPgConn *self);

/* tandem-pg-conn-error.c */
GError *_tandem_pg_error_new_connection  (PGconn       *conn,
                                          const char   *fallback);

G_END_DECLS
