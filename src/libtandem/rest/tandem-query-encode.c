/* tandem-query-encode.c: a TandemQuery as postgrest-js would send it
 *
 * postgrest-js keeps its parameters in a URLSearchParams, so the order of
 * the query string follows its calls: a read is
 * `select=…&<filters>&order=…&offset=…&limit=…`; an insert or upsert puts
 * `on_conflict` and `columns` first (its QueryBuilder sets them) and
 * `select=*` after the filters (the `.select()` that follows the write).
 * The oracle for every form is the unit test, whose expected strings were
 * produced by postgrest-js 2.109 itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-query-impl-private.h"

void
_tandem_query_append_form (GString    *string,
                           const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (string, *p);
      else if (*p == ' ')
        g_string_append_c (string, '+');
      else
        {
          g_string_append_c (string, '%');
          g_string_append_c (string, hex[*p >> 4]);
          g_string_append_c (string, hex[*p & 0xf]);
        }
    }
}

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  if (query->len > 0)
    g_string_append_c (query, '&');
  _tandem_query_append_form (query, name);
  g_string_append_c (query, '=');
  _tandem_query_append_form (query, value);
}

const char *
_tandem_query_get_method (TandemQuery *self)
{
  switch (self->verb)
    {
    case QUERY_SELECT:
      return "GET";
    case QUERY_UPDATE:
      return "PATCH";
    case QUERY_DELETE:
      return "DELETE";
    case QUERY_INSERT:
    case QUERY_UPSERT:
    case QUERY_RPC:
    default:
      return "POST";
    }
}

char *
_tandem_query_dup_path (TandemQuery *self)
{
  /* Everything but sub-delimiters, ':' and '@' is escaped, '/' included,
   * so a name stays one path segment. */
  g_autofree char *escaped = g_uri_escape_string (self->relation ? self->relation : "", "!$&'()*+,;=:@", FALSE);

  return g_strconcat (self->verb == QUERY_RPC ? "/rpc/" : "/", escaped, NULL);
}

/* columns="a","b": the union of the rows' keys in the order they first
 * appear, as postgrest-js sends with an array of rows. */
static char *
dup_columns (JsonNode *rows)
{
  g_autoptr(GString) columns = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonArray *array;

  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    return NULL;
  columns = g_string_new (NULL);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      g_autoptr(GList) members = json_object_get_members (row);

      for (GList *l = members; l != NULL; l = l->next)
        {
          if (!g_hash_table_add (seen, l->data))
            continue;
          g_string_append_printf (columns, "%s\"%s\"", columns->len > 0 ? "," : "", (const char *) l->data);
        }
    }
  if (columns->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&columns), FALSE);
}

/* Whether the written rows come back (select= and return=representation). */
static gboolean
returns_rows (TandemQuery *self)
{
  if (self->verb == QUERY_SELECT)
    return FALSE;
  if (self->verb == QUERY_RPC)
    return self->select_called;
  return self->representation;
}

char *
_tandem_query_dup_query (TandemQuery *self)
{
  g_autoptr(GString) query = g_string_new (NULL);

  if (self->verb == QUERY_SELECT)
    append_param (query, "select", self->columns ? self->columns : "*");
  if (self->verb == QUERY_UPSERT && self->on_conflict != NULL)
    append_param (query, "on_conflict", self->on_conflict);
  if (self->verb == QUERY_INSERT || self->verb == QUERY_UPSERT)
    {
      g_autofree char *columns = dup_columns (self->body);

      if (columns != NULL)
        append_param (query, "columns", columns);
    }
  for (guint i = 0; i < self->params->len; i++)
    {
      QueryParam *param = self->params->pdata[i];

      append_param (query, param->name, param->value);
    }
  if (returns_rows (self))
    append_param (query, "select", self->columns ? self->columns : "*");
  if (self->order != NULL)
    append_param (query, "order", self->order->str);
  if (self->offset >= 0)
    {
      g_autofree char *offset = g_strdup_printf ("%" G_GINT64_FORMAT, self->offset);

      append_param (query, "offset", offset);
    }
  if (self->limit >= 0)
    {
      g_autofree char *limit = g_strdup_printf ("%" G_GINT64_FORMAT, self->limit);

      append_param (query, "limit", limit);
    }

  if (query->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static void
append_prefer (GString    *prefer,
               const char *value)
{
  /* fetch's Headers.append joins repeated values with ", ". */
  if (prefer->len > 0)
    g_string_append (prefer, ", ");
  g_string_append (prefer, value);
}

char *
_tandem_query_dup_prefer (TandemQuery *self)
{
  g_autoptr(GString) prefer = g_string_new (NULL);

  if (self->verb == QUERY_UPSERT)
    append_prefer (prefer, self->ignore_duplicates ? "resolution=ignore-duplicates" : "resolution=merge-duplicates");
  if (self->count_exact)
    append_prefer (prefer, "count=exact");
  if (returns_rows (self))
    append_prefer (prefer, "return=representation");
  for (guint i = 0; i < self->prefer->len; i++)
    append_prefer (prefer, self->prefer->pdata[i]);

  if (prefer->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&prefer), FALSE);
}

char *
_tandem_query_dup_body (TandemQuery *self)
{
  switch (self->verb)
    {
    case QUERY_SELECT:
    case QUERY_DELETE:
      return NULL;
    case QUERY_RPC:
      if (self->body == NULL)
        return g_strdup ("{}");
      return json_to_string (self->body, FALSE);
    case QUERY_INSERT:
    case QUERY_UPSERT:
    case QUERY_UPDATE:
    default:
      return self->body ? json_to_string (self->body, FALSE) : NULL;
    }
}

gboolean
_tandem_query_wants_object (TandemQuery *self)
{
  return self->single;
}

/**
 * tandem_query_to_string:
 * @self: a #TandemQuery
 *
 * Gives the method and the path with its query string that execute sends,
 * for logs and tests: `GET /rest/v1/todos?select=*&id=eq.1`, exactly as
 * postgrest-js would send it for the same calls.
 *
 * Returns: (transfer full): the request line
 */
char *
tandem_query_to_string (TandemQuery *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  const char *base;

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  uri = g_uri_parse (_tandem_client_get_rest_url (self->client), G_URI_FLAGS_ENCODED, NULL);
  base = uri ? g_uri_get_path (uri) : "/rest/v1";
  path = _tandem_query_dup_path (self);
  query = _tandem_query_dup_query (self);
  return g_strconcat (_tandem_query_get_method (self), " ", base, path, query ? "?" : "", query ? query : "", NULL);
}
