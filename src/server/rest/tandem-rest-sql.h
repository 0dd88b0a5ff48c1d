/* tandem-rest-sql.h: a parsed request as one SQL statement
 *
 * Pure: request + schema-cache entry → SQL text and a parameter array.
 * Identifiers are always double-quoted (tandem_rest_sql_quote_ident); every
 * value from the request (filter operands, JSON path keys, bodies, limits)
 * is a parameter, bound untyped so PostgreSQL gives it the type of the
 * column it meets; the only SQL text taken from elsewhere comes from the
 * catalog (column types, default expressions).
 *
 * Every statement returns one row of four text columns, PostgREST-style:
 *   total       the exact count (Prefer: count=…), or NULL
 *   page_total  how many rows the body holds (or the mutation affected)
 *   body        the JSON (or CSV) body as PostgreSQL renders it, or NULL
 *   location    for return=headers-only inserts: the JSON object of the
 *               primary key of the single inserted row, else NULL
 * Rows are rendered by json_agg over the result relation, so they read
 * exactly as PostgREST's (numeric, timestamptz, jsonb, arrays, uuid).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tandem-rest-errors.h"
#include "tandem-rest-request.h"
#include "tandem-rest-schema.h"

G_BEGIN_DECLS

typedef struct
{
  char      *sql;
  GPtrArray *params;       /* char *, NULL entries are SQL NULL */
  gboolean   returns_void; /* an rpc of a void function: no body */
} TandemRestStatement;

void                 tandem_rest_statement_free  (TandemRestStatement       *statement);

/* Appends @name as a double-quoted identifier ("" for an embedded quote). */
void                 tandem_rest_sql_quote_ident (GString                   *out,
                                                  const char                *name);

/* The statement that gives a connection a request's identity, for the
 * session: every setting a request depends on, so that it replaces all of
 * the previous request's. Parameters: $1 the role, $2 request.jwt.claims
 * (JSON), $3 request.jwt.claim.sub ('' when none), $4 request.method, $5
 * request.path, $6 request.headers (JSON), $7 search_path, $8
 * default_transaction_read_only ("on" for GET and HEAD). */
const char          *tandem_rest_sql_settings    (void);
/* The search_path for @schema: the schema, then public and extensions. */
char                *tandem_rest_sql_search_path (const char                *schema);

/* GET/HEAD on a table or view. */
TandemRestStatement *tandem_rest_sql_read        (const TandemRestRequest   *request,
                                                  const TandemRestTable     *table,
                                                  TandemRestError          **error);
/* POST: insert or upsert; the body is checked here (400 PGRST102, PGRST204). */
TandemRestStatement *tandem_rest_sql_insert      (const TandemRestRequest   *request,
                                                  const TandemRestTable     *table,
                                                  TandemRestError          **error);
/* PATCH. */
TandemRestStatement *tandem_rest_sql_update      (const TandemRestRequest   *request,
                                                  const TandemRestTable     *table,
                                                  TandemRestError          **error);
/* DELETE. */
TandemRestStatement *tandem_rest_sql_delete      (const TandemRestRequest   *request,
                                                  const TandemRestTable     *table,
                                                  TandemRestError          **error);
/* /rpc/<fn>: @functions are the overloads of the name (404 PGRST202 when
 * none takes the arguments given). */
TandemRestStatement *tandem_rest_sql_call        (const TandemRestRequest   *request,
                                                  GPtrArray                 *functions,
                                                  TandemRestError          **error);

/* The statement of a request, by method and target. */
TandemRestStatement *tandem_rest_sql_build       (const TandemRestRequest   *request,
                                                  const TandemRestTable     *table,
                                                  GPtrArray                 *functions,
                                                  TandemRestError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestStatement, tandem_rest_statement_free)

G_END_DECLS
