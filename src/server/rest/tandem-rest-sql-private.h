/* tandem-rest-sql-private.h: what the SQL builders share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-rest-sql.h"

G_BEGIN_DECLS

typedef struct
{
  GString   *sql;
  GPtrArray *params;
} Builder;

/* The relation filters and select items refer to: "s"."t" or _src. */
typedef struct
{
  const char            *schema;  /* NULL: @name is the bare _src */
  const char            *name;
  const TandemRestTable *table;   /* for column types, or NULL */
} Source;

/* What the final SELECT renders as the body. */
typedef enum
{
  BODY_NONE,       /* no body (HEAD, return=minimal, void) */
  BODY_ROWS,       /* the rows of _r */
  BODY_SCALAR,     /* the _scalar column of _r */
} BodyKind;

void                 _tandem_rest_sql_builder_init   (Builder                 *b);
void                 _tandem_rest_sql_builder_clear  (Builder                 *b);
TandemRestStatement *_tandem_rest_sql_builder_finish (Builder                 *b);
/* Appends $n bound to @value (copied; NULL is SQL NULL) / taken over. */
void                 _tandem_rest_sql_add_param      (Builder                 *b,
                                                      const char              *value);
void                 _tandem_rest_sql_add_param_take (Builder                 *b,
                                                      char                    *value);
void                 _tandem_rest_sql_emit_ident     (Builder                 *b,
                                                      const char              *name);
void                 _tandem_rest_sql_emit_qualified (Builder                 *b,
                                                      const char              *schema,
                                                      const char              *name);
void                 _tandem_rest_sql_select_list    (Builder                 *b,
                                                      const Source            *src,
                                                      GPtrArray               *items);
/* " WHERE …" (nothing without filters), " ORDER BY …", " LIMIT $ OFFSET $". */
void                 _tandem_rest_sql_where_sql      (Builder                 *b,
                                                      const Source            *src,
                                                      const TandemRestRequest *request);
void                 _tandem_rest_sql_order_sql      (Builder                 *b,
                                                      const Source            *src,
                                                      const TandemRestRequest *request);
void                 _tandem_rest_sql_limit_sql      (Builder                 *b,
                                                      const TandemRestRequest *request);
/* SELECT <total>, count(_r), <body>, <location> FROM (@inner_sql) _r, over
 * _src defined by a WITH; @total_sql is the count subquery or NULL. */
void                 _tandem_rest_sql_final_select   (Builder                 *b,
                                                      const TandemRestRequest *request,
                                                      const char              *total_sql,
                                                      BodyKind                 body,
                                                      gboolean                 single_value,
                                                      const char              *inner_sql,
                                                      gboolean                 location);
gboolean             _tandem_rest_sql_wants_count    (const TandemRestRequest *request);
/* The request body as JSON, or NULL with 400 PGRST102. */
JsonNode            *_tandem_rest_sql_parse_body     (const TandemRestRequest *request,
                                                      TandemRestError        **error);
TandemRestError     *_tandem_rest_sql_invalid_body   (const char              *message);

G_END_DECLS
