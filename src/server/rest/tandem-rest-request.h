/* tandem-rest-request.h: a PostgREST request, parsed
 *
 * Pure parsing of what arrives at /rest/v1 (method, path, query string,
 * the headers that matter, body) into a typed request, with PostgREST's
 * grammar for select, filters (operators, not., in.(…), quoted values),
 * logic trees (or=(…), and=(…), nested), order, limit/offset and the Range
 * header, Prefer, Accept and the profile headers. The query string is
 * form-decoded first, as URLSearchParams encodes it ('+' is a space).
 *
 * Nothing here knows the database: names are kept as given and checked
 * against the schema cache later; values are kept as text and only ever
 * bound as query parameters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tandem-rest-errors.h"

G_BEGIN_DECLS

typedef enum
{
  TANDEM_REST_METHOD_GET,
  TANDEM_REST_METHOD_HEAD,
  TANDEM_REST_METHOD_POST,
  TANDEM_REST_METHOD_PATCH,
  TANDEM_REST_METHOD_DELETE,
  TANDEM_REST_METHOD_PUT,
  TANDEM_REST_METHOD_OPTIONS,
} TandemRestMethod;

typedef enum
{
  TANDEM_REST_TARGET_ROOT,   /* /rest/v1/: the OpenAPI description */
  TANDEM_REST_TARGET_TABLE,  /* /rest/v1/<table> */
  TANDEM_REST_TARGET_RPC,    /* /rest/v1/rpc/<function> */
} TandemRestTarget;

/* One step of a JSON path: ->key, ->>key, ->0, ->>-1. */
typedef struct
{
  gboolean  as_text;   /* ->> */
  gboolean  is_index;  /* an integer index (key holds its digits) */
  char     *key;
} TandemRestJsonStep;

/* A column, optionally followed by a JSON path. */
typedef struct
{
  char      *name;
  GPtrArray *json_path; /* TandemRestJsonStep *, NULL when none */
} TandemRestField;

typedef struct
{
  gboolean         star;   /* "*" */
  TandemRestField  field;
  char            *alias;  /* nullable */
  char            *cast;   /* nullable: a type name (letters, digits, _, space) */
} TandemRestSelectItem;

typedef enum
{
  TANDEM_REST_OP_EQ,
  TANDEM_REST_OP_NEQ,
  TANDEM_REST_OP_GT,
  TANDEM_REST_OP_GTE,
  TANDEM_REST_OP_LT,
  TANDEM_REST_OP_LTE,
  TANDEM_REST_OP_LIKE,
  TANDEM_REST_OP_ILIKE,
  TANDEM_REST_OP_MATCH,
  TANDEM_REST_OP_IMATCH,
  TANDEM_REST_OP_CS,
  TANDEM_REST_OP_CD,
  TANDEM_REST_OP_OV,
  TANDEM_REST_OP_SL,
  TANDEM_REST_OP_SR,
  TANDEM_REST_OP_NXR,
  TANDEM_REST_OP_NXL,
  TANDEM_REST_OP_ADJ,
  TANDEM_REST_OP_IS,
  TANDEM_REST_OP_ISDISTINCT,
  TANDEM_REST_OP_IN,
  TANDEM_REST_OP_FTS,
  TANDEM_REST_OP_PLFTS,
  TANDEM_REST_OP_PHFTS,
  TANDEM_REST_OP_WFTS,
} TandemRestOp;

typedef enum
{
  TANDEM_REST_QUANT_NONE,
  TANDEM_REST_QUANT_ANY,   /* eq(any).{a,b} */
  TANDEM_REST_QUANT_ALL,   /* like(all).{a,b} */
} TandemRestQuant;

typedef enum
{
  TANDEM_REST_IS_NULL,
  TANDEM_REST_IS_NOT_NULL,
  TANDEM_REST_IS_TRUE,
  TANDEM_REST_IS_FALSE,
  TANDEM_REST_IS_UNKNOWN,
} TandemRestIsValue;

typedef struct
{
  TandemRestField    field;
  gboolean           negate;    /* not.<op> */
  TandemRestOp       op;
  TandemRestQuant    quant;
  char              *value;     /* the operand (op IN: NULL) */
  char              *language;  /* fts(<config>): nullable */
  GPtrArray         *list;      /* op IN: the elements (char *) */
  TandemRestIsValue  is_value;  /* op IS */
} TandemRestFilter;

/* A boolean tree: a filter, or and/or over children, possibly negated. */
typedef struct _TandemRestLogic TandemRestLogic;
struct _TandemRestLogic
{
  TandemRestFilter *filter;    /* a leaf when non-NULL */
  gboolean          negate;
  gboolean          is_or;
  GPtrArray        *children;  /* TandemRestLogic * */
};

typedef enum
{
  TANDEM_REST_NULLS_DEFAULT,
  TANDEM_REST_NULLS_FIRST,
  TANDEM_REST_NULLS_LAST,
} TandemRestNulls;

typedef struct
{
  TandemRestField  field;
  gboolean         descending;
  gboolean         has_direction;
  TandemRestNulls  nulls;
} TandemRestOrderTerm;

typedef enum
{
  TANDEM_REST_RETURN_DEFAULT,          /* none given: minimal */
  TANDEM_REST_RETURN_MINIMAL,
  TANDEM_REST_RETURN_HEADERS_ONLY,
  TANDEM_REST_RETURN_REPRESENTATION,
} TandemRestReturn;

typedef enum
{
  TANDEM_REST_COUNT_NONE,
  TANDEM_REST_COUNT_EXACT,
  TANDEM_REST_COUNT_PLANNED,
  TANDEM_REST_COUNT_ESTIMATED,
} TandemRestCount;

typedef enum
{
  TANDEM_REST_RESOLUTION_NONE,
  TANDEM_REST_RESOLUTION_MERGE,
  TANDEM_REST_RESOLUTION_IGNORE,
} TandemRestResolution;

typedef struct
{
  TandemRestReturn      ret;
  TandemRestCount       count;
  TandemRestResolution  resolution;
  gboolean              missing_default;  /* missing=default */
  gboolean              strict;           /* handling=strict */
  gint64                max_affected;     /* -1 when not given */
  char                 *applied;          /* for Preference-Applied, nullable */
} TandemRestPrefer;

typedef enum
{
  TANDEM_REST_MEDIA_JSON,     /* application/json: an array */
  TANDEM_REST_MEDIA_OBJECT,   /* application/vnd.pgrst.object+json */
  TANDEM_REST_MEDIA_CSV,      /* text/csv */
  TANDEM_REST_MEDIA_OPENAPI,  /* application/openapi+json (root only) */
} TandemRestMedia;

/* The request headers the parser reads (any may be NULL). */
typedef struct
{
  const char *accept;
  const char *prefer;
  const char *range;
  const char *range_unit;
  const char *accept_profile;
  const char *content_profile;
  const char *content_type;
} TandemRestHeaders;

typedef struct
{
  TandemRestMethod   method;
  TandemRestTarget   target;
  char              *schema;          /* "public" unless a profile header says */
  gboolean           schema_from_profile;
  char              *resource;        /* the table or function name */

  GPtrArray         *select;          /* TandemRestSelectItem *; never empty */
  GPtrArray         *where;           /* TandemRestLogic *, all ANDed */
  GPtrArray         *order;           /* TandemRestOrderTerm * */
  gint64             offset;          /* 0 when none */
  gint64             limit;           /* -1 when none */
  GPtrArray         *columns;         /* columns=: char *, or NULL */
  GPtrArray         *on_conflict;     /* on_conflict=: char *, or NULL */
  GPtrArray         *rpc_args;        /* GET/HEAD rpc arguments: pairs name, value (char *) */

  TandemRestPrefer   prefer;
  TandemRestMedia    media;
  gboolean           strip_nulls;     /* ;nulls=stripped */

  GBytes            *body;            /* nullable */
} TandemRestRequest;

/* @path is what follows /rest/v1 (percent-encoded, as on the wire: "",
 * "/", "/todos", "/rpc/fn"); @query is the raw query string or NULL; @body
 * may be NULL. Returns the request or NULL with @error set to PostgREST's
 * error for it (400 PGRST100, 404 PGRST125, 405, 406 PGRST107, 416 PGRST103,
 * 400 PGRST122, …). */
TandemRestRequest *tandem_rest_request_parse    (const char               *method,
                                                 const char               *path,
                                                 const char               *query,
                                                 const TandemRestHeaders  *headers,
                                                 GBytes                   *body,
                                                 TandemRestError         **error);
void               tandem_rest_request_free     (TandemRestRequest        *request);

/* Whether the method only reads (GET, HEAD). */
gboolean           tandem_rest_request_is_read  (const TandemRestRequest  *request);

/* Form-decodes @text ('+' is a space, %XX escapes); NULL when an escape is
 * malformed, decodes to NUL, or the result is not UTF-8. */
char              *tandem_rest_form_decode      (const char               *text,
                                                 gssize                    len);

/* Parsers of the single parameters, for tests and the SQL builder. Each
 * returns NULL with @error set (400 PGRST100) on bad input. */
GPtrArray         *tandem_rest_parse_select     (const char               *text,
                                                 TandemRestError         **error);
TandemRestFilter  *tandem_rest_parse_filter     (const char               *key,
                                                 const char               *value,
                                                 TandemRestError         **error);
TandemRestLogic   *tandem_rest_parse_logic      (const char               *key,
                                                 const char               *value,
                                                 TandemRestError         **error);
GPtrArray         *tandem_rest_parse_order      (const char               *text,
                                                 TandemRestError         **error);
GPtrArray         *tandem_rest_parse_columns    (const char               *what,
                                                 const char               *text,
                                                 TandemRestError         **error);

void               tandem_rest_filter_free      (TandemRestFilter         *filter);
void               tandem_rest_logic_free       (TandemRestLogic          *logic);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestRequest, tandem_rest_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestFilter, tandem_rest_filter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestLogic, tandem_rest_logic_free)

G_END_DECLS
