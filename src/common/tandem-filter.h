/* tandem-filter.h: the postgres_changes filter grammar
 *
 * A filter is one or more conditions `column=op.value`, joined by commas and
 * ANDed (commas inside `(…)` or `"…"` do not split). Operators: eq, neq, lt,
 * lte, gt, gte, in.(a,b,"c,d") (at most 100 values), like, ilike,
 * is.(null|true|false|unknown), match, imatch, isdistinct; any of them may be
 * prefixed with `not.`. Values may be double-quoted PostgREST-style with \"
 * and \\ escapes (a backslash takes any next character literally); an
 * unquoted value may not contain '"' and is taken byte for byte, while the
 * items of an `in` list are trimmed of surrounding spaces (quote to keep
 * them). Column names may not contain '"', '(' or ')'. An empty or
 * whitespace-only filter has no conditions. See protocol.md §5.3.
 *
 * libtandem validates filters with it before subscribing; tandem-server
 * parses them at join and evaluates them against each change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TANDEM_FILTER_ERROR (tandem_filter_error_quark ())

typedef enum
{
  TANDEM_FILTER_ERROR_PARSE,           /* no '=', unknown operator, bad quoting, "undefined" */
  TANDEM_FILTER_ERROR_TOO_MANY_VALUES, /* "too many values for `in` filter. Maximum 100" */
  TANDEM_FILTER_ERROR_EMPTY_LIST,      /* in.() */
  TANDEM_FILTER_ERROR_INVALID_VALUE,   /* value does not cast to the column's type */
  TANDEM_FILTER_ERROR_UNKNOWN_COLUMN,  /* column not in the table */
} TandemFilterError;

typedef enum
{
  TANDEM_FILTER_OP_EQ,
  TANDEM_FILTER_OP_NEQ,
  TANDEM_FILTER_OP_LT,
  TANDEM_FILTER_OP_LTE,
  TANDEM_FILTER_OP_GT,
  TANDEM_FILTER_OP_GTE,
  TANDEM_FILTER_OP_IN,
  TANDEM_FILTER_OP_LIKE,
  TANDEM_FILTER_OP_ILIKE,
  TANDEM_FILTER_OP_IS,
  TANDEM_FILTER_OP_MATCH,
  TANDEM_FILTER_OP_IMATCH,
  TANDEM_FILTER_OP_ISDISTINCT,
} TandemFilterOp;

typedef struct
{
  char           *column;
  TandemFilterOp  op;
  gboolean        negated;  /* `not.` prefix */
  char           *value;    /* unquoted value; NULL for IN */
  GStrv           values;   /* unquoted list for IN; NULL otherwise */
} TandemFilterCondition;

typedef struct _TandemFilter TandemFilter;

GQuark        tandem_filter_error_quark      (void) G_GNUC_CONST;

/* Parses @text (NULL is the same as ""). Error messages are short English
 * descriptions; callers add Supabase's prefix. */
TandemFilter *tandem_filter_parse            (const char        *text,
                                              GError           **error);
void          tandem_filter_free             (TandemFilter      *filter);
guint         tandem_filter_get_n_conditions (const TandemFilter *filter);
const TandemFilterCondition *
              tandem_filter_get_condition    (const TandemFilter *filter,
                                              guint              index);
/* Canonical text form (parses back to an equal filter). */
char         *tandem_filter_to_string        (const TandemFilter *filter);

const char   *tandem_filter_op_to_string     (TandemFilterOp     op);
gboolean      tandem_filter_op_from_string   (const char        *text,
                                              TandemFilterOp    *op);

/* Looks up the PostgreSQL type name (pg_type.typname, e.g. "int4", "text",
 * "timestamptz", "_text") of @column; NULL when the table has no such column. */
typedef const char *(*TandemFilterTypeLookup) (const char *column,
                                               gpointer    user_data);

/* Checks that every column exists and every value casts to its column's type
 * (numbers for int2/int4/int8/float4/float8/numeric/oid, in range for the
 * integer types; t/f/true/false for bool, any case; ISO dates and timestamps
 * with years 1 to 99999, or ±infinity; uuids; other types accept any text).
 * `is.true/false/unknown` need a bool column. Patterns (like, ilike, match,
 * imatch) are not checked: they apply to the text form of any column.
 * @lookup must not be NULL. */
gboolean      tandem_filter_check_types      (const TandemFilter     *filter,
                                              TandemFilterTypeLookup  lookup,
                                              gpointer                user_data,
                                              GError                **error);

/* Evaluates the filter against @record, a change's row as JSON values
 * (numbers, booleans, strings, objects, arrays, null). Fails closed as current
 * Supabase does: a column missing from @record or a comparison with NULL
 * (other than `is`/`isdistinct`) is no match. Comparison follows the column's
 * type from @lookup: numeric types compare as numbers (numeric values may be
 * JSON strings), bool as booleans, date/timestamp/timestamptz as instants
 * (no zone means UTC), uuid case-insensitively, everything else as text in
 * byte order, i.e. the "C" collation (non-string JSON values compared by
 * their JSON text). @lookup may be NULL, or return NULL, and then the JSON
 * value decides (numbers, booleans, else text). A value that does not read
 * as the column's type is no match. like/ilike are SQL LIKE (% _ and
 * backslash escapes; ilike folds case); match/imatch use GRegex (PCRE), an
 * approximation of PostgreSQL's regular expressions. An empty filter
 * matches. */
gboolean      tandem_filter_matches          (const TandemFilter     *filter,
                                              JsonObject             *record,
                                              TandemFilterTypeLookup  lookup,
                                              gpointer                user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemFilter, tandem_filter_free)

G_END_DECLS
