/* tandem-query-impl-private.h: the inside of TandemQuery, shared by its files
 *
 *   tandem-query.c          the object, verbs and modifiers
 *   tandem-query-filter.c   the filters
 *   tandem-query-encode.c   the request as postgrest-js would send it:
 *                           method, path, query string, Prefer, body
 *   tandem-query-execute.c  sending it and reading the answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-client-private.h"
#include "tandem-query-private.h"
#include "tandem-rest-error-private.h"

G_BEGIN_DECLS

typedef enum
{
  QUERY_SELECT,
  QUERY_INSERT,
  QUERY_UPSERT,
  QUERY_UPDATE,
  QUERY_DELETE,
  QUERY_RPC,
} QueryVerb;

typedef struct
{
  char *name;
  char *value;
} QueryParam;

struct _TandemQuery
{
  GObject       parent_instance;

  TandemClient *client;
  char         *relation;          /* the table, view or function */
  QueryVerb     verb;
  gboolean      verb_chosen;       /* select/insert/… was called */

  char         *columns;           /* select=; NULL: * */
  gboolean      select_called;     /* select() on an rpc or after a write */
  JsonNode     *body;              /* rows, values or rpc arguments */
  char         *on_conflict;
  gboolean      ignore_duplicates;

  GPtrArray    *params;            /* QueryParam *: filters, in order */
  GString      *order;             /* NULL: none */
  gint64        limit;             /* -1: none */
  gint64        offset;            /* -1: none */
  gboolean      single;
  gboolean      count_exact;
  gboolean      representation;
  char         *schema;            /* NULL: public */
  GPtrArray    *headers;           /* QueryParam *: tandem_query_header() */
  GPtrArray    *prefer;            /* char *: Prefer values from header() */

  GError       *error;             /* the first builder mistake */
  gboolean      executed;
  gint64        count;
};

void         _tandem_query_param_free    (gpointer      data);
/* Whether @column is a name; records the mistake when not. */
gboolean     _tandem_query_check_column  (TandemQuery  *self,
                                          const char   *column,
                                          const char   *what);

/* Keeps the first builder mistake, for execute to report. */
void         _tandem_query_set_error     (TandemQuery  *self,
                                          const char   *format,
                                          ...) G_GNUC_PRINTF (2, 3);

/* Appends @text to @string form-urlencoded as URLSearchParams does:
 * ASCII letters, digits and *-._ stay, a space becomes '+', every other
 * byte of the UTF-8 is %XX. */
void         _tandem_query_append_form   (GString      *string,
                                          const char   *text);
const char  *_tandem_query_get_method    (TandemQuery  *self);
/* The path below the REST URL, "/todos" or "/rpc/fn", percent-encoded. */
char        *_tandem_query_dup_path      (TandemQuery  *self);
/* The query string without '?', or NULL when there are no parameters. */
char        *_tandem_query_dup_query     (TandemQuery  *self);
/* The Prefer header, or NULL. */
char        *_tandem_query_dup_prefer    (TandemQuery  *self);
/* The request body, or NULL (GET, HEAD, DELETE). */
char        *_tandem_query_dup_body      (TandemQuery  *self);
/* Whether the answer is read as one object. */
gboolean     _tandem_query_wants_object  (TandemQuery  *self);

G_END_DECLS
