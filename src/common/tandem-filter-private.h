/* tandem-filter-private.h: what the filter's files share
 * (tandem-filter.c: the grammar; tandem-filter-values.c: values read as
 * their column's type; tandem-filter-match.c: matching a record)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-filter.h"

G_BEGIN_DECLS

typedef struct
{
  TandemFilterCondition pub;
  GRegex               *regex; /* compiled once, for match/imatch */
} Condition;

struct _TandemFilter
{
  Condition *conditions;
  guint      n_conditions;
};

typedef enum
{
  KIND_TEXT,
  KIND_INT2,
  KIND_INT4,
  KIND_INT8,
  KIND_FLOAT,     /* float4, float8, numeric */
  KIND_OID,
  KIND_BOOL,
  KIND_DATE,
  KIND_TIMESTAMP,
  KIND_TIMESTAMPTZ,
  KIND_UUID,
} TypeKind;

/* A value read as its column's type. */
typedef struct
{
  gboolean is_int;
  gint64   i;       /* integers, booleans (0/1), instants (µs), */
  double   d;       /* other numbers */
  char     uuid[33];
} Operand;

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The kind of a column of PostgreSQL type @type (text for any other). */
TypeKind _tandem_filter_type_kind        (const char *type);
/* Reads @text, or a record's @node, as a value of @kind; FALSE when it
 * does not cast. */
gboolean _tandem_filter_operand_from_text (TypeKind    kind,
                                           const char *text,
                                           Operand    *operand);
gboolean _tandem_filter_operand_from_node (TypeKind    kind,
                                           JsonNode   *node,
                                           Operand    *operand);

G_END_DECLS
