/* tandem-query.c: a PostgREST request builder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-query-impl-private.h"

/**
 * TandemQuery:
 *
 * One PostgREST request, built by chaining calls as with postgrest-js and
 * sent once with tandem_query_execute_async():
 *
 * |[<!-- language="C" -->
 * g_autoptr(TandemQuery) query = tandem_client_from (client, "todos");
 *
 * tandem_query_order (tandem_query_eq (tandem_query_select (query, "id,task"),
 *                                      "done", "false"),
 *                     "id", FALSE, TANDEM_NULLS_DEFAULT);
 * tandem_query_execute_async (query, NULL, on_rows, self);
 * ]|
 *
 * The request is what postgrest-js sends for the same calls, parameter for
 * parameter and byte for byte (see tandem_query_to_string()). Builder
 * calls never fail on the spot: a mistake (an empty column name, a second
 * verb) is kept and reported by execute, as %TANDEM_REST_ERROR_BAD_REQUEST.
 */

G_DEFINE_FINAL_TYPE (TandemQuery, tandem_query, G_TYPE_OBJECT)

void
_tandem_query_param_free (gpointer data)
{
  QueryParam *param = data;

  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

static void
tandem_query_finalize (GObject *object)
{
  TandemQuery *self = TANDEM_QUERY (object);

  g_clear_object (&self->client);
  g_free (self->relation);
  g_free (self->columns);
  g_clear_pointer (&self->body, json_node_unref);
  g_free (self->on_conflict);
  g_ptr_array_unref (self->params);
  if (self->order != NULL)
    g_string_free (self->order, TRUE);
  g_free (self->schema);
  g_ptr_array_unref (self->headers);
  g_ptr_array_unref (self->prefer);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (tandem_query_parent_class)->finalize (object);
}

static void
tandem_query_class_init (TandemQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_query_finalize;
}

static void
tandem_query_init (TandemQuery *self)
{
  self->params = g_ptr_array_new_with_free_func (_tandem_query_param_free);
  self->headers = g_ptr_array_new_with_free_func (_tandem_query_param_free);
  self->prefer = g_ptr_array_new_with_free_func (g_free);
  self->limit = -1;
  self->offset = -1;
  self->count = -1;
}

TandemQuery *
_tandem_query_new_table (TandemClient *client,
                         const char   *relation)
{
  TandemQuery *self = g_object_new (TANDEM_TYPE_QUERY, NULL);

  self->client = g_object_ref (client);
  self->relation = g_strdup (relation);
  self->verb = QUERY_SELECT;
  if (relation == NULL || *relation == '\0')
    _tandem_query_set_error (self, "The table name is empty");
  return self;
}

TandemQuery *
_tandem_query_new_rpc (TandemClient *client,
                       const char   *function,
                       JsonNode     *args)
{
  TandemQuery *self = g_object_new (TANDEM_TYPE_QUERY, NULL);

  self->client = g_object_ref (client);
  self->relation = g_strdup (function);
  self->verb = QUERY_RPC;
  self->verb_chosen = TRUE;
  if (function == NULL || *function == '\0')
    _tandem_query_set_error (self, "The function name is empty");
  if (args != NULL && !JSON_NODE_HOLDS_OBJECT (args))
    _tandem_query_set_error (self, "The arguments of %s must be an object", function);
  else if (args != NULL)
    self->body = json_node_copy (args);
  return self;
}

void
_tandem_query_set_error (TandemQuery *self,
                         const char  *format,
                         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (self->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  self->error = _tandem_rest_error_new (TANDEM_REST_ERROR_BAD_REQUEST, 0, NULL, NULL, NULL, message);
}

void
_tandem_query_add_param (TandemQuery *self,
                         const char  *name,
                         const char  *value)
{
  QueryParam *param = g_new0 (QueryParam, 1);

  param->name = g_strdup (name);
  param->value = g_strdup (value);
  g_ptr_array_add (self->params, param);
}

static const char *
verb_name (QueryVerb verb)
{
  static const char * const names[] = { "select", "insert", "upsert", "update", "delete", "rpc" };

  return names[verb];
}

/* Whether @verb may be chosen now; records the mistake when not. */
static gboolean
choose_verb (TandemQuery *self,
             QueryVerb    verb)
{
  if (self->verb_chosen)
    {
      _tandem_query_set_error (self, "A query has one verb: %s() after %s()", verb_name (verb),
                               verb_name (self->verb));
      return FALSE;
    }
  self->verb = verb;
  self->verb_chosen = TRUE;
  return TRUE;
}

/* As postgrest-js: drop whitespace outside double quotes. */
static char *
clean_columns (const char *columns)
{
  GString *clean = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = columns; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) && !quoted)
        continue;
      if (*p == '"')
        quoted = !quoted;
      g_string_append_c (clean, *p);
    }
  return g_string_free (clean, FALSE);
}

/**
 * tandem_query_select:
 * @self: a #TandemQuery
 * @columns: (nullable): the columns, as PostgREST's `select` takes them
 *   ("id,task", "*, owner(name)"), or %NULL for all
 *
 * Reads rows (the default verb). After tandem_query_insert(),
 * tandem_query_upsert(), tandem_query_update() or tandem_query_delete(), as
 * postgrest-js's `.select()` after a write, it asks for the written rows
 * back with these columns instead. On an rpc it selects from the result.
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_select (TandemQuery *self,
                     const char  *columns)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  clean = clean_columns (columns ? columns : "*");
  if (*clean == '\0')
    {
      _tandem_query_set_error (self, "select() with an empty column list");
      return self;
    }
  if (self->verb_chosen && self->verb != QUERY_SELECT)
    {
      /* .insert(…).select(…) or .rpc(…).select(…) */
      if (self->select_called)
        {
          _tandem_query_set_error (self, "select() twice");
          return self;
        }
      self->select_called = TRUE;
      self->representation = TRUE;
    }
  else if (!choose_verb (self, QUERY_SELECT))
    return self;
  g_free (self->columns);
  self->columns = g_steal_pointer (&clean);
  return self;
}

static gboolean
check_rows (TandemQuery *self,
            JsonNode    *rows,
            const char  *what)
{
  if (rows == NULL)
    {
      _tandem_query_set_error (self, "%s() without rows", what);
      return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (rows))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (rows))
    {
      JsonArray *array = json_node_get_array (rows);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
          {
            _tandem_query_set_error (self, "%s(): row %u is not an object", what, i);
            return FALSE;
          }
      return TRUE;
    }
  _tandem_query_set_error (self, "%s() takes an object or an array of objects", what);
  return FALSE;
}

/**
 * tandem_query_insert:
 * @self: a #TandemQuery
 * @rows: an object (one row) or an array of objects
 *
 * Inserts rows (POST). Nothing comes back unless
 * tandem_query_returning() or tandem_query_select() asks for the rows.
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_insert (TandemQuery *self,
                     JsonNode    *rows)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (!choose_verb (self, QUERY_INSERT) || !check_rows (self, rows, "insert"))
    return self;
  self->body = json_node_copy (rows);
  return self;
}

/**
 * tandem_query_upsert:
 * @self: a #TandemQuery
 * @rows: an object (one row) or an array of objects
 * @on_conflict: (nullable): the comma-separated columns of the unique
 *   constraint that decides a conflict, or %NULL for the primary key
 * @ignore_duplicates: keep the existing row instead of merging into it
 *
 * Inserts rows, or updates the ones that are already there (POST with
 * `Prefer: resolution=merge-duplicates` or `ignore-duplicates`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_upsert (TandemQuery *self,
                     JsonNode    *rows,
                     const char  *on_conflict,
                     gboolean     ignore_duplicates)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (!choose_verb (self, QUERY_UPSERT) || !check_rows (self, rows, "upsert"))
    return self;
  if (on_conflict != NULL && *on_conflict == '\0')
    {
      _tandem_query_set_error (self, "upsert() with an empty on_conflict");
      return self;
    }
  self->body = json_node_copy (rows);
  self->on_conflict = g_strdup (on_conflict);
  self->ignore_duplicates = ignore_duplicates;
  return self;
}

/**
 * tandem_query_update:
 * @self: a #TandemQuery
 * @values: the columns to set and their values
 *
 * Updates the rows the filters match (PATCH).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_update (TandemQuery *self,
                     JsonObject  *values)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (!choose_verb (self, QUERY_UPDATE))
    return self;
  if (values == NULL)
    {
      _tandem_query_set_error (self, "update() without values");
      return self;
    }
  self->body = json_node_init_object (json_node_alloc (), values);
  return self;
}

/**
 * tandem_query_delete:
 * @self: a #TandemQuery
 *
 * Deletes the rows the filters match (DELETE).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_delete (TandemQuery *self)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  choose_verb (self, QUERY_DELETE);
  return self;
}

gboolean
_tandem_query_check_column (TandemQuery *self,
                            const char  *column,
                            const char  *what)
{
  if (column == NULL || *column == '\0')
    {
      _tandem_query_set_error (self, "%s() with an empty column name", what);
      return FALSE;
    }
  return TRUE;
}

/* ---- modifiers ---- */

/**
 * tandem_query_order:
 * @self: a #TandemQuery
 * @column: a column
 * @ascending: ascending, else descending
 * @nulls: where nulls go
 *
 * Orders the rows by @column; each call adds a key after the earlier ones
 * (`order=a.asc,b.desc.nullsfirst`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_order (TandemQuery      *self,
                    const char       *column,
                    gboolean          ascending,
                    TandemNullsOrder  nulls)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (!_tandem_query_check_column (self, column, "order"))
    return self;
  if (self->order == NULL)
    self->order = g_string_new (NULL);
  else
    g_string_append_c (self->order, ',');
  g_string_append_printf (self->order, "%s.%s%s", column, ascending ? "asc" : "desc",
                          nulls == TANDEM_NULLS_FIRST ? ".nullsfirst" :
                          nulls == TANDEM_NULLS_LAST ? ".nullslast" : "");
  return self;
}

/**
 * tandem_query_limit:
 * @self: a #TandemQuery
 * @count: the most rows to return
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_limit (TandemQuery *self,
                    guint        count)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  self->limit = count;
  return self;
}

/**
 * tandem_query_range:
 * @self: a #TandemQuery
 * @from: the first row, zero-based
 * @to: the last row, inclusive
 *
 * Returns rows @from to @to (`offset=from&limit=to-from+1`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_range (TandemQuery *self,
                    guint        from,
                    guint        to)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (to < from)
    {
      _tandem_query_set_error (self, "range(%u, %u): the end comes before the start", from, to);
      return self;
    }
  self->offset = from;
  self->limit = (gint64) to - from + 1;
  return self;
}

/**
 * tandem_query_single:
 * @self: a #TandemQuery
 *
 * Asks for exactly one row, returned as an object; none or several give
 * %TANDEM_REST_ERROR_NOT_ACCEPTABLE (PostgREST's PGRST116).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_single (TandemQuery *self)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  self->single = TRUE;
  return self;
}

/**
 * tandem_query_count_exact:
 * @self: a #TandemQuery
 *
 * Asks for the exact number of matching rows (`Prefer: count=exact`),
 * which tandem_query_get_count() gives after execute.
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_count_exact (TandemQuery *self)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  self->count_exact = TRUE;
  return self;
}

/**
 * tandem_query_returning:
 * @self: a #TandemQuery
 * @representation: whether to get the written rows back
 *
 * Asks for the rows an insert, upsert, update or delete wrote, all their
 * columns (`select=*` and `Prefer: return=representation`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_returning (TandemQuery *self,
                        gboolean     representation)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  self->representation = representation;
  return self;
}

/**
 * tandem_query_schema:
 * @self: a #TandemQuery
 * @schema: a schema the API exposes
 *
 * Queries @schema instead of public (`Accept-Profile`/`Content-Profile`).
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_schema (TandemQuery *self,
                     const char  *schema)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (schema == NULL || *schema == '\0')
    {
      _tandem_query_set_error (self, "schema() with an empty name");
      return self;
    }
  g_free (self->schema);
  self->schema = g_strdup (schema);
  return self;
}

/**
 * tandem_query_header:
 * @self: a #TandemQuery
 * @name: a header name
 * @value: its value
 *
 * Sends another header. `Prefer` values are added to the ones the query
 * sends already (joined with ", ", as fetch does); any other header
 * replaces one of the same name.
 *
 * Returns: (transfer none): @self
 */
TandemQuery *
tandem_query_header (TandemQuery *self,
                     const char  *name,
                     const char  *value)
{
  QueryParam *header;

  g_return_val_if_fail (TANDEM_IS_QUERY (self), NULL);

  if (name == NULL || *name == '\0' || value == NULL)
    {
      _tandem_query_set_error (self, "header() needs a name and a value");
      return self;
    }
  if (g_ascii_strcasecmp (name, "Prefer") == 0)
    {
      g_ptr_array_add (self->prefer, g_strdup (value));
      return self;
    }
  for (guint i = 0; i < self->headers->len; i++)
    {
      header = self->headers->pdata[i];
      if (g_ascii_strcasecmp (header->name, name) == 0)
        {
          g_free (header->value);
          header->value = g_strdup (value);
          return self;
        }
    }
  header = g_new0 (QueryParam, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value);
  g_ptr_array_add (self->headers, header);
  return self;
}

/**
 * tandem_query_get_count:
 * @self: a #TandemQuery
 *
 * Returns: the exact count after an execute with
 *   tandem_query_count_exact(), else -1
 */
gint64
tandem_query_get_count (TandemQuery *self)
{
  g_return_val_if_fail (TANDEM_IS_QUERY (self), -1);
  return self->count;
}
