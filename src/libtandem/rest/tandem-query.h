/* tandem-query.h: a PostgREST request builder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/**
 * TandemNullsOrder:
 * @TANDEM_NULLS_DEFAULT: PostgreSQL's default (last ascending, first
 *   descending)
 * @TANDEM_NULLS_FIRST: nulls first
 * @TANDEM_NULLS_LAST: nulls last
 */
typedef enum
{
  TANDEM_NULLS_DEFAULT,
  TANDEM_NULLS_FIRST,
  TANDEM_NULLS_LAST,
} TandemNullsOrder;

/* A query is built by chaining (each builder call returns @self, transfer
 * none) and run once with tandem_query_execute_async(). Builder mistakes
 * (an empty column, a second verb) are reported by execute. */
#define TANDEM_TYPE_QUERY (tandem_query_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemQuery, tandem_query, TANDEM, QUERY, GObject)

/* ---- verbs (default: select *) ---- */
TANDEM_EXPORT
TandemQuery *tandem_query_select      (TandemQuery        *self,
                                       const char         *columns);
/* @rows: an object, or an array of objects. */
TANDEM_EXPORT
TandemQuery *tandem_query_insert      (TandemQuery        *self,
                                       JsonNode           *rows);
/* @on_conflict: comma-separated columns, or NULL for the primary key. */
TANDEM_EXPORT
TandemQuery *tandem_query_upsert      (TandemQuery        *self,
                                       JsonNode           *rows,
                                       const char         *on_conflict,
                                       gboolean            ignore_duplicates);
TANDEM_EXPORT
TandemQuery *tandem_query_update      (TandemQuery        *self,
                                       JsonObject         *values);
TANDEM_EXPORT
TandemQuery *tandem_query_delete      (TandemQuery        *self);

/* ---- filters (values as PostgREST text) ---- */
TANDEM_EXPORT
TandemQuery *tandem_query_eq          (TandemQuery *self, const char *column, const char *value);
TANDEM_EXPORT
TandemQuery *tandem_query_neq         (TandemQuery *self, const char *column, const char *value);
TANDEM_EXPORT
TandemQuery *tandem_query_gt          (TandemQuery *self, const char *column, const char *value);
TANDEM_EXPORT
TandemQuery *tandem_query_gte         (TandemQuery *self, const char *column, const char *value);
TANDEM_EXPORT
TandemQuery *tandem_query_lt          (TandemQuery *self, const char *column, const char *value);
TANDEM_EXPORT
TandemQuery *tandem_query_lte         (TandemQuery *self, const char *column, const char *value);
TANDEM_EXPORT
TandemQuery *tandem_query_like        (TandemQuery *self, const char *column, const char *pattern);
TANDEM_EXPORT
TandemQuery *tandem_query_ilike       (TandemQuery *self, const char *column, const char *pattern);
/* @value: "null", "true", "false" or "unknown". */
TANDEM_EXPORT
TandemQuery *tandem_query_is          (TandemQuery *self, const char *column, const char *value);
TANDEM_EXPORT
TandemQuery *tandem_query_in          (TandemQuery *self, const char *column, const char * const *values);
/* not.<op>.<value>: @op is a PostgREST operator ("eq", "in", "is", …); for
 * "in", @value is the list in parentheses. */
TANDEM_EXPORT
TandemQuery *tandem_query_not         (TandemQuery *self, const char *column, const char *op, const char *value);
/* or=(…): @filters in PostgREST's form, "a.eq.1,b.gt.2". */
TANDEM_EXPORT
TandemQuery *tandem_query_or          (TandemQuery *self, const char *filters);
/* Any operator: <column>=<op>.<value>. */
TANDEM_EXPORT
TandemQuery *tandem_query_filter      (TandemQuery *self, const char *column, const char *op, const char *value);

/* ---- modifiers ---- */
TANDEM_EXPORT
TandemQuery *tandem_query_order       (TandemQuery        *self,
                                       const char         *column,
                                       gboolean            ascending,
                                       TandemNullsOrder    nulls);
TANDEM_EXPORT
TandemQuery *tandem_query_limit       (TandemQuery        *self,
                                       guint               count);
/* Rows @from to @to, inclusive, zero-based. */
TANDEM_EXPORT
TandemQuery *tandem_query_range       (TandemQuery        *self,
                                       guint               from,
                                       guint               to);
/* Exactly one row, returned as an object (TANDEM_REST_ERROR_NOT_ACCEPTABLE
 * otherwise). */
TANDEM_EXPORT
TandemQuery *tandem_query_single      (TandemQuery        *self);
/* Ask for the exact count (tandem_query_get_count() after execute). */
TANDEM_EXPORT
TandemQuery *tandem_query_count_exact (TandemQuery        *self);
/* Return the written rows (insert, upsert, update, delete). */
TANDEM_EXPORT
TandemQuery *tandem_query_returning   (TandemQuery        *self,
                                       gboolean            representation);
/* Another schema than public (Accept-Profile/Content-Profile). */
TANDEM_EXPORT
TandemQuery *tandem_query_schema      (TandemQuery        *self,
                                       const char         *schema);
/* Any other header (Prefer: …, Idempotency-Key: …). */
TANDEM_EXPORT
TandemQuery *tandem_query_header      (TandemQuery        *self,
                                       const char         *name,
                                       const char         *value);

/* ---- running it ---- */
TANDEM_EXPORT
void         tandem_query_execute_async  (TandemQuery        *self,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
/* The rows (an array), one row (an object, with single), or NULL without
 * error when nothing was asked back (writes without representation). */
TANDEM_EXPORT
JsonNode    *tandem_query_execute_finish (TandemQuery        *self,
                                          GAsyncResult       *result,
                                          GError            **error);
/* The exact count after a count_exact execute, else -1. */
TANDEM_EXPORT
gint64       tandem_query_get_count      (TandemQuery        *self);
/* The method and path with query string that execute sends (for logs and
 * tests), e.g. "GET /rest/v1/todos?select=*&id=eq.1" (URLSearchParams
 * leaves * unescaped, as postgrest-js sends it). */
TANDEM_EXPORT
char        *tandem_query_to_string      (TandemQuery        *self);

G_END_DECLS
