/* tandem-rest-schema.h: the REST API's schema cache
 *
 * Tables, views and functions of the exposed schemas with their columns,
 * types (as format_type() prints them), primary keys and parameters, read
 * from the catalog with one query (tandem_rest_schema_query()) whose single
 * JSON value tandem_rest_schema_cache_new_from_json() turns into the cache.
 * The cache is immutable; the API replaces it when a lookup misses.
 *
 * Exposed: every schema but PostgreSQL's own (pg_*, information_schema) and
 * the ones Supabase keeps internal (auth, realtime, storage, extensions, …).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char     *name;
  char     *type;         /* format_type(): "bigint", "text[]", "timestamp with time zone" */
  char     *default_expr; /* nullable: pg_get_expr of the default */
  char     *description;  /* nullable */
  gboolean  nullable;
  gboolean  generated;    /* GENERATED ALWAYS AS (…) STORED */
  guint     pk_position;  /* 1-based position in the primary key, 0 when not in it */
} TandemRestColumn;

typedef struct
{
  char       *schema;
  char       *name;
  char        kind;         /* pg_class.relkind: r, p, v, m, f */
  char       *description;  /* nullable */
  gboolean    insertable;
  gboolean    updatable;
  gboolean    deletable;
  GPtrArray  *columns;      /* TandemRestColumn *, in attnum order */
  GHashTable *by_name;      /* name → TandemRestColumn * */
  GPtrArray  *pk;           /* const char * column names, in key order */
} TandemRestTable;

typedef struct
{
  char     *name;         /* "" when unnamed */
  char     *type;         /* format_type() */
  gboolean  has_default;
  gboolean  variadic;
} TandemRestParam;

typedef enum
{
  TANDEM_REST_RETURNS_VOID,
  TANDEM_REST_RETURNS_SCALAR,
  TANDEM_REST_RETURNS_COMPOSITE,
} TandemRestReturnKind;

typedef struct
{
  char                 *schema;
  char                 *name;
  char                 *description;   /* nullable */
  char                  volatility;    /* 'i', 's' or 'v' */
  gboolean              returns_set;
  TandemRestReturnKind  return_kind;
  char                 *return_type;   /* format_type() */
  GPtrArray            *params;        /* TandemRestParam *: the input parameters */
} TandemRestFunction;

typedef struct _TandemRestSchemaCache TandemRestSchemaCache;

/* The catalog query; its one row, one column is the JSON the cache is
 * built from. No parameters. */
const char            *tandem_rest_schema_query                 (void);

/* NULL with @error (G_IO_ERROR_INVALID_DATA) when @json is not what the
 * query returns. */
TandemRestSchemaCache *tandem_rest_schema_cache_new_from_json   (const char            *json,
                                                                 GError               **error);
TandemRestSchemaCache *tandem_rest_schema_cache_ref             (TandemRestSchemaCache *cache);
void                   tandem_rest_schema_cache_unref           (TandemRestSchemaCache *cache);

gboolean               tandem_rest_schema_cache_has_schema      (TandemRestSchemaCache *cache,
                                                                 const char            *schema);
/* The exposed schemas, sorted, as "a, b, c". */
char                  *tandem_rest_schema_cache_dup_schema_list (TandemRestSchemaCache *cache);

/* Tables and views of @schema (borrowed; sorted by name). */
GPtrArray             *tandem_rest_schema_cache_get_tables      (TandemRestSchemaCache *cache,
                                                                 const char            *schema);
TandemRestTable       *tandem_rest_schema_cache_lookup_table    (TandemRestSchemaCache *cache,
                                                                 const char            *schema,
                                                                 const char            *name);
/* Every overload of @schema.@name (borrowed), or NULL. */
GPtrArray             *tandem_rest_schema_cache_lookup_functions (TandemRestSchemaCache *cache,
                                                                  const char            *schema,
                                                                  const char            *name);
/* Every function of @schema (borrowed; sorted by name). */
GPtrArray             *tandem_rest_schema_cache_get_functions   (TandemRestSchemaCache *cache,
                                                                 const char            *schema);

TandemRestColumn      *tandem_rest_table_lookup_column          (const TandemRestTable *table,
                                                                 const char            *name);

/* The overload of @functions to call with arguments named @names (NULL:
 * none), as PostgREST picks it: every name is a parameter and every
 * parameter without a default is named. @single_json: the body may be
 * passed whole to a function with one unnamed json/jsonb parameter. NULL
 * when none fits. */
TandemRestFunction    *tandem_rest_function_choose              (GPtrArray             *functions,
                                                                 const char * const    *names,
                                                                 gboolean               single_json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestSchemaCache, tandem_rest_schema_cache_unref)

G_END_DECLS
