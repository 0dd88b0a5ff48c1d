/* tandem-auth-op.h: one Auth request's database work, step by step
 *
 * An op borrows a connection from the pool, runs its statements one after
 * the other (each step is called with the previous statement's result), and
 * gives the connection back before it completes: with a rollback first when
 * it fails inside a transaction. Its GTask returns a pointer or an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-pg-pool.h"

G_BEGIN_DECLS

typedef struct _TandemAuthOp TandemAuthOp;

/* A step gets the statement's result (owned by the op, valid during the
 * call) or, for statements run with tandem_auth_op_query_catch(), the error
 * (@result is then NULL). The first step gets neither. */
typedef void (*TandemAuthOpStep) (TandemAuthOp   *op,
                                  const PGresult *result,
                                  const GError   *error);

TandemAuthOp *tandem_auth_op_new         (TandemPgPool        *pool,
                                          gpointer             source_tag,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The op's own state, freed with it. */
void          tandem_auth_op_set_data    (TandemAuthOp        *op,
                                          gpointer             data,
                                          GDestroyNotify       destroy);
gpointer      tandem_auth_op_get_data    (TandemAuthOp        *op);

/* Borrows a connection and calls @first. */
void          tandem_auth_op_start       (TandemAuthOp        *op,
                                          TandemAuthOpStep     first);

/* Runs @sql ($1… from @params, NULL entries are SQL NULL) and calls @next
 * with its result. A failure fails the op with GoTrue's "Database error"
 * (logged with the details). */
void          tandem_auth_op_query       (TandemAuthOp        *op,
                                          const char          *sql,
                                          const char * const  *params,
                                          int                  n_params,
                                          TandemAuthOpStep     next);
/* The same, but @next also gets a failure, to turn it into an error of its
 * own (a unique violation into email_exists…). */
void          tandem_auth_op_query_catch (TandemAuthOp        *op,
                                          const char          *sql,
                                          const char * const  *params,
                                          int                  n_params,
                                          TandemAuthOpStep     next);
/* BEGIN and COMMIT; the op knows it is inside a transaction in between. */
void          tandem_auth_op_begin       (TandemAuthOp        *op,
                                          TandemAuthOpStep     next);
void          tandem_auth_op_commit      (TandemAuthOp        *op,
                                          TandemAuthOpStep     next);

/* Ends the op (after a ROLLBACK if a transaction is open) with @error
 * (transfer full). */
void          tandem_auth_op_fail        (TandemAuthOp        *op,
                                          GError              *error);
/* Ends the op with @result (transfer full); no transaction may be open. */
void          tandem_auth_op_return      (TandemAuthOp        *op,
                                          gpointer             result,
                                          GDestroyNotify       destroy);

/* The result given to tandem_auth_op_return(), or NULL with the error. */
gpointer      tandem_auth_op_finish      (GAsyncResult        *result,
                                          gpointer             source_tag,
                                          GError             **error);

G_END_DECLS
