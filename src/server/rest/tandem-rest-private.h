/* tandem-rest-private.h: what the REST modules share among themselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-rest-request.h"

G_BEGIN_DECLS

/* The hand-written parser shared by tandem-rest-grammar.c and
 * tandem-rest-filter.c. */
typedef struct
{
  const char       *text;   /* the whole parameter value */
  const char       *p;      /* the cursor */
  const char       *what;   /* "filter", "order", … for the message */
  TandemRestError  *error;  /* the first failure */
} Parser;

void      _tandem_rest_parser_init        (Parser          *parser,
                                          const char      *what,
                                          const char      *text);
/* Records the first failure (400 PGRST100 at the cursor); FALSE. */
gboolean  _tandem_rest_parser_fail        (Parser          *parser,
                                          const char      *format,
                                          ...) G_GNUC_PRINTF (2, 3);
/* Parsec's wording for what is under the cursor. */
char     *_tandem_rest_parser_unexpected  (Parser          *parser);
gboolean  _tandem_rest_parser_expect_fail (Parser          *parser,
                                          const char      *expected);
void      _tandem_rest_skip_blanks        (Parser          *parser);
gboolean  _tandem_rest_at                 (Parser          *parser,
                                          const char      *literal);
gboolean  _tandem_rest_eat                (Parser          *parser,
                                          const char      *literal);
gboolean  _tandem_rest_is_identifier_char (char             c);
/* "…" with backslash escapes. */
char     *_tandem_rest_parse_quoted       (Parser          *parser);
char     *_tandem_rest_parse_field_name   (Parser          *parser);
/* A field name and its JSON path, blanks around. */
gboolean  _tandem_rest_parse_field        (Parser          *parser,
                                          TandemRestField *field);
void      _tandem_rest_field_clear        (TandemRestField *field);

/* tandem-rest-grammar.c: tandem_rest_parse_select() naming @resource in
 * the error for an embedded resource. */
GPtrArray *tandem_rest_parse_select_for (const char       *text,
                                         const char       *resource,
                                         TandemRestError **error);

/* tandem-rest-filter.c: whether the first @len bytes of @name are an
 * operator name (eq, like, eq(any), fts, …): what makes a query parameter
 * a filter. */
gboolean   tandem_rest_is_operator_name (const char       *name,
                                         gsize             len);

G_END_DECLS
