/* tandem-query-filter.c: TandemQuery's filters
 *
 * Each filter is one query parameter, <column>=<op>.<value>, appended in
 * call order, so a column may be filtered twice (id=gt.1&id=lt.4), as
 * postgrest-js does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-query-impl-private.h"

/* <column>=<op>.<value> */
static TandemQuery *
add_filter (TandemQuery *self,
            const char  *column,
            const char  *op,
            const char  *value)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (!_tandem_query_check_column (self, column, op))
    return self;
  if (value == NULL)
    {
      _tandem_query_set_error (self, "%s() on %s without a value (use is() for null)", op, column);
      return self;
    }
  text = g_strconcat (op, ".", value, NULL);
  _tandem_query_add_param (self, column, text);
  return self;
}

/**
 * tandem_query_eq:
 * @self: a #TandemQuery
 * @column: a column (or a JSON path, "meta->>k")
 * @value: the value, as PostgREST text ("42", "true", "walk dog")
 *
 * Keeps rows where @column equals @value (`column=eq.value`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_eq (TandemQuery *self, const char *column, const char *value)
{
  return add_filter (self, column, "eq", value);
}

/**
 * tandem_query_neq:
 * @self: a #TandemQuery
 * @column: a column
 * @value: the value
 *
 * Keeps rows where @column is not @value (`neq`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_neq (TandemQuery *self, const char *column, const char *value)
{
  return add_filter (self, column, "neq", value);
}

/**
 * tandem_query_gt:
 * @self: a #TandemQuery
 * @column: a column
 * @value: the value
 *
 * Keeps rows where @column is greater than @value (`gt`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_gt (TandemQuery *self, const char *column, const char *value)
{
  return add_filter (self, column, "gt", value);
}

/**
 * tandem_query_gte:
 * @self: a #TandemQuery
 * @column: a column
 * @value: the value
 *
 * Keeps rows where @column is at least @value (`gte`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_gte (TandemQuery *self, const char *column, const char *value)
{
  return add_filter (self, column, "gte", value);
}

/**
 * tandem_query_lt:
 * @self: a #TandemQuery
 * @column: a column
 * @value: the value
 *
 * Keeps rows where @column is less than @value (`lt`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_lt (TandemQuery *self, const char *column, const char *value)
{
  return add_filter (self, column, "lt", value);
}

/**
 * tandem_query_lte:
 * @self: a #TandemQuery
 * @column: a column
 * @value: the value
 *
 * Keeps rows where @column is at most @value (`lte`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_lte (TandemQuery *self, const char *column, const char *value)
{
  return add_filter (self, column, "lte", value);
}

/**
 * tandem_query_like:
 * @self: a #TandemQuery
 * @column: a column
 * @pattern: an SQL LIKE pattern (`%` or `*` for any text)
 *
 * Keeps rows where @column matches @pattern, case-sensitively (`like`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_like (TandemQuery *self, const char *column, const char *pattern)
{
  return add_filter (self, column, "like", pattern);
}

/**
 * tandem_query_ilike:
 * @self: a #TandemQuery
 * @column: a column
 * @pattern: an SQL LIKE pattern
 *
 * Keeps rows where @column matches @pattern, ignoring case (`ilike`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_ilike (TandemQuery *self, const char *column, const char *pattern)
{
  return add_filter (self, column, "ilike", pattern);
}

/**
 * tandem_query_is:
 * @self: a #TandemQuery
 * @column: a column
 * @value: "null", "true", "false" or "unknown"
 *
 * Keeps rows where @column IS @value (`is`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_is (TandemQuery *self, const char *column, const char *value)
{
  static const char * const allowed[] = { "null", "true", "false", "unknown" };

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  for (guint i = 0; value != NULL && i < G_N_ELEMENTS (allowed); i++)
    if (g_ascii_strcasecmp (value, allowed[i]) == 0)
      return add_filter (self, column, "is", allowed[i]);
  _tandem_query_set_error (self, "is() takes null, true, false or unknown, not “%s”", value ? value : "(null)");
  return self;
}

/* postgrest-js quotes elements with PostgREST's reserved , ( ); quotes and
 * spaces are quoted here too (and backslash-escaped inside), since the
 * server would otherwise end or trim the element there. */
static gboolean
needs_quotes (const char *value)
{
  return *value == '\0' || strpbrk (value, ",()\" \\") != NULL;
}

/**
 * tandem_query_in:
 * @self: a #TandemQuery
 * @column: a column
 * @values: (array zero-terminated=1): the values
 *
 * Keeps rows where @column is one of @values (`in.(a,b,"c,d")`). As
 * postgrest-js, a repeated value is sent once.
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_in (TandemQuery        *self,
                 const char         *column,
                 const char * const *values)
{
  g_autoptr(GString) list = g_string_new ("(");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (values == NULL)
    {
      _tandem_query_set_error (self, "in() on %s without values", column ? column : "(null)");
      return self;
    }
  for (guint i = 0; values[i] != NULL; i++)
    {
      if (!g_hash_table_add (seen, (gpointer) values[i]))
        continue;
      if (list->len > 1)
        g_string_append_c (list, ',');
      if (!needs_quotes (values[i]))
        {
          g_string_append (list, values[i]);
          continue;
        }
      g_string_append_c (list, '"');
      for (const char *p = values[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (list, '\\');
          g_string_append_c (list, *p);
        }
      g_string_append_c (list, '"');
    }
  g_string_append_c (list, ')');
  return add_filter (self, column, "in", list->str);
}

/* PostgREST ignores a parameter whose value does not start with a known
 * operator, so a misspelt operator would silently drop the filter (and an
 * update or delete would reach every row): refuse it here instead. Accepts
 * "op" and "op(any)"/"op(all)" (and fts's "op(config)"). */
static gboolean
is_known_operator (const char *op)
{
  static const char * const operators[] = {
    "eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch", "in", "is",
    "isdistinct", "fts", "plfts", "phfts", "wfts", "cs", "cd", "ov", "sl", "sr", "nxr", "nxl", "adj",
  };
  gsize len = strcspn (op, "(");

  if (op[len] == '(' && op[strlen (op) - 1] != ')')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    if (strlen (operators[i]) == len && strncmp (op, operators[i], len) == 0)
      return TRUE;
  return FALSE;
}

/**
 * tandem_query_not:
 * @self: a #TandemQuery
 * @column: a column
 * @op: a PostgREST operator ("eq", "in", "is", "like", …)
 * @value: its operand; for "in", the list in parentheses ("(1,2)")
 *
 * Keeps rows where the filter does not hold (`column=not.op.value`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_not (TandemQuery *self,
                  const char  *column,
                  const char  *op,
                  const char  *value)
{
  g_autofree char *negated = NULL;

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (op == NULL || !is_known_operator (op))
    {
      _tandem_query_set_error (self, "not(): “%s” is not a PostgREST operator", op ? op : "");
      return self;
    }
  negated = g_strconcat ("not.", op, NULL);
  return add_filter (self, column, negated, value);
}

/**
 * tandem_query_or:
 * @self: a #TandemQuery
 * @filters: filters in PostgREST's form, "a.eq.1,b.gt.2" (nested
 *   "and(…)" allowed)
 *
 * Keeps rows where any of @filters holds (`or=(…)`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_or (TandemQuery *self,
                 const char  *filters)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (filters == NULL || *filters == '\0')
    {
      _tandem_query_set_error (self, "or() without filters");
      return self;
    }
  text = g_strconcat ("(", filters, ")", NULL);
  _tandem_query_add_param (self, "or", text);
  return self;
}

/**
 * tandem_query_filter:
 * @self: a #TandemQuery
 * @column: a column
 * @op: any PostgREST operator ("cs", "ov", "fts", "like(any)", …)
 * @value: its operand, as PostgREST text
 *
 * Adds `column=op.value` for the operators without a call of their own.
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_filter (TandemQuery *self,
                     const char  *column,
                     const char  *op,
                     const char  *value)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (op == NULL || !is_known_operator (op))
    {
      _tandem_query_set_error (self, "filter(): “%s” is not a PostgREST operator", op ? op : "");
      return self;
    }
  return add_filter (self, column, op, value);
}

