/* tandem-rest-request.c: from method, path, query, headers and body to a
 * TandemRestRequest
 *
 * The query string is split and form-decoded, then each parameter is
 * classified as PostgREST does: select, columns and on_conflict are
 * reserved; order, limit, offset, and, or (with not.) shape the result;
 * a parameter whose value starts with an operator is a filter; anything
 * else is an argument of a function (/rpc) or ignored (tables).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>

#include "tandem-rest-private.h"

/* ---- form decoding ------------------------------------------------------- */

char *
tandem_rest_form_decode (const char *text,
                         gssize      len)
{
  g_autoptr(GString) out = NULL;
  const char *end;

  if (len < 0)
    len = strlen (text);
  end = text + len;
  out = g_string_sized_new (len);

  for (const char *p = text; p < end; p++)
    {
      if (*p == '+')
        g_string_append_c (out, ' ');
      else if (*p == '%')
        {
          int hi, lo;

          if (end - p < 3 || (hi = g_ascii_xdigit_value (p[1])) < 0 || (lo = g_ascii_xdigit_value (p[2])) < 0)
            return NULL;
          if (hi == 0 && lo == 0)
            return NULL;
          g_string_append_c (out, (char) (hi << 4 | lo));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- small helpers --------------------------------------------------------- */

void
tandem_rest_request_free (TandemRestRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->schema);
  g_free (request->resource);
  g_clear_pointer (&request->select, g_ptr_array_unref);
  g_clear_pointer (&request->where, g_ptr_array_unref);
  g_clear_pointer (&request->order, g_ptr_array_unref);
  g_clear_pointer (&request->columns, g_ptr_array_unref);
  g_clear_pointer (&request->on_conflict, g_ptr_array_unref);
  g_clear_pointer (&request->rpc_args, g_ptr_array_unref);
  g_free (request->prefer.applied);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

gboolean
tandem_rest_request_is_read (const TandemRestRequest *request)
{
  return request->method == TANDEM_REST_METHOD_GET || request->method == TANDEM_REST_METHOD_HEAD;
}

static const char *
method_name (TandemRestMethod method)
{
  switch (method)
    {
    case TANDEM_REST_METHOD_GET: return "GET";
    case TANDEM_REST_METHOD_HEAD: return "HEAD";
    case TANDEM_REST_METHOD_POST: return "POST";
    case TANDEM_REST_METHOD_PATCH: return "PATCH";
    case TANDEM_REST_METHOD_DELETE: return "DELETE";
    case TANDEM_REST_METHOD_PUT: return "PUT";
    case TANDEM_REST_METHOD_OPTIONS: return "OPTIONS";
    default: return "?";
    }
}

static gboolean
parse_method (const char        *text,
              TandemRestMethod  *method)
{
  static const TandemRestMethod all[] = {
    TANDEM_REST_METHOD_GET, TANDEM_REST_METHOD_HEAD, TANDEM_REST_METHOD_POST, TANDEM_REST_METHOD_PATCH,
    TANDEM_REST_METHOD_DELETE, TANDEM_REST_METHOD_PUT, TANDEM_REST_METHOD_OPTIONS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_str_equal (text, method_name (all[i])))
      {
        *method = all[i];
        return TRUE;
      }
  return FALSE;
}

/* ---- path ------------------------------------------------------------------ */

static gboolean
parse_path (TandemRestRequest  *request,
            const char         *path,
            TandemRestError   **error)
{
  g_auto(GStrv) segments = NULL;
  guint n;

  while (*path == '/')
    path++;
  if (*path == '\0')
    {
      request->target = TANDEM_REST_TARGET_ROOT;
      return TRUE;
    }

  segments = g_strsplit (path, "/", -1);
  n = g_strv_length (segments);
  if (n == 2 && g_str_equal (segments[0], "rpc") && segments[1][0] != '\0')
    request->target = TANDEM_REST_TARGET_RPC;
  else if (n == 1)
    request->target = TANDEM_REST_TARGET_TABLE;
  else
    {
      *error = tandem_rest_error_new (404, "PGRST125", NULL, NULL, "Invalid path specified in request URL");
      return FALSE;
    }

  request->resource = g_uri_unescape_string (segments[n - 1], NULL);
  if (request->resource == NULL || request->resource[0] == '\0' ||
      !g_utf8_validate (request->resource, -1, NULL))
    {
      *error = tandem_rest_error_new (404, "PGRST125", NULL, NULL, "Invalid path specified in request URL");
      return FALSE;
    }
  return TRUE;
}

/* ---- Prefer ---------------------------------------------------------------- */

static gboolean
parse_prefer (TandemRestRequest  *request,
              const char         *header,
              TandemRestError   **error)
{
  TandemRestPrefer *prefer = &request->prefer;
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) invalid = g_ptr_array_new ();
  g_autoptr(GPtrArray) applied = g_ptr_array_new ();
  const char *resolution = NULL, *ret = NULL, *count = NULL, *missing = NULL, *handling = NULL;
  const char *max_affected = NULL;

  prefer->max_affected = -1;
  if (header == NULL)
    return TRUE;

  items = g_strsplit (header, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);

      if (item[0] == '\0')
        continue;
      if (g_str_equal (item, "return=minimal"))
        prefer->ret = TANDEM_REST_RETURN_MINIMAL, ret = item;
      else if (g_str_equal (item, "return=headers-only"))
        prefer->ret = TANDEM_REST_RETURN_HEADERS_ONLY, ret = item;
      else if (g_str_equal (item, "return=representation"))
        prefer->ret = TANDEM_REST_RETURN_REPRESENTATION, ret = item;
      else if (g_str_equal (item, "count=exact"))
        prefer->count = TANDEM_REST_COUNT_EXACT, count = item;
      else if (g_str_equal (item, "count=planned"))
        prefer->count = TANDEM_REST_COUNT_PLANNED, count = item;
      else if (g_str_equal (item, "count=estimated"))
        prefer->count = TANDEM_REST_COUNT_ESTIMATED, count = item;
      else if (g_str_equal (item, "resolution=merge-duplicates"))
        prefer->resolution = TANDEM_REST_RESOLUTION_MERGE, resolution = item;
      else if (g_str_equal (item, "resolution=ignore-duplicates"))
        prefer->resolution = TANDEM_REST_RESOLUTION_IGNORE, resolution = item;
      else if (g_str_equal (item, "missing=default"))
        prefer->missing_default = TRUE, missing = item;
      else if (g_str_equal (item, "missing=null"))
        prefer->missing_default = FALSE, missing = item;
      else if (g_str_equal (item, "handling=strict"))
        prefer->strict = TRUE, handling = item;
      else if (g_str_equal (item, "handling=lenient"))
        prefer->strict = FALSE, handling = item;
      else if (g_str_has_prefix (item, "max-affected="))
        {
          guint64 value;

          if (g_ascii_string_to_unsigned (item + strlen ("max-affected="), 10, 0, G_MAXINT64, &value, NULL))
            prefer->max_affected = (gint64) value, max_affected = item;
          else
            g_ptr_array_add (invalid, item);
        }
      else if (g_str_equal (item, "tx=commit") || g_str_equal (item, "tx=rollback") ||
               g_str_has_prefix (item, "timezone=") || g_str_equal (item, "params=single-object"))
        ; /* understood but not applied (as PostgREST without tx override) */
      else
        g_ptr_array_add (invalid, item);
    }

  if (prefer->strict && invalid->len > 0)
    {
      g_autoptr(GString) details = g_string_new ("Invalid preferences: ");

      for (guint i = 0; i < invalid->len; i++)
        g_string_append_printf (details, "%s%s", i > 0 ? ", " : "", (char *) invalid->pdata[i]);
      *error = tandem_rest_error_new (400, "PGRST122", details->str, NULL,
                                      "Invalid preferences given with handling=strict");
      return FALSE;
    }

  /* Preference-Applied lists what was honoured, in PostgREST's order. */
  if (resolution != NULL && request->method == TANDEM_REST_METHOD_POST)
    g_ptr_array_add (applied, (char *) resolution);
  if (ret != NULL && !tandem_rest_request_is_read (request))
    g_ptr_array_add (applied, (char *) ret);
  if (count != NULL)
    g_ptr_array_add (applied, (char *) count);
  if (missing != NULL && request->method == TANDEM_REST_METHOD_POST)
    g_ptr_array_add (applied, (char *) missing);
  if (handling != NULL)
    g_ptr_array_add (applied, (char *) handling);
  if (max_affected != NULL && prefer->strict &&
      (request->method == TANDEM_REST_METHOD_PATCH || request->method == TANDEM_REST_METHOD_DELETE))
    g_ptr_array_add (applied, (char *) max_affected);
  if (applied->len > 0)
    {
      g_ptr_array_add (applied, NULL);
      prefer->applied = g_strjoinv (", ", (char **) applied->pdata);
    }
  return TRUE;
}

/* ---- Accept ------------------------------------------------------------------ */

typedef struct
{
  char   *type;     /* lower case, parameters removed */
  double  q;
  gboolean stripped;
  guint   position;
} AcceptEntry;

static int
compare_accept (gconstpointer a,
                gconstpointer b)
{
  const AcceptEntry *x = *(const AcceptEntry * const *) a;
  const AcceptEntry *y = *(const AcceptEntry * const *) b;

  if (x->q != y->q)
    return x->q > y->q ? -1 : 1;
  return (int) x->position - (int) y->position;
}

static void
accept_entry_free (gpointer data)
{
  AcceptEntry *entry = data;

  g_free (entry->type);
  g_free (entry);
}

static gboolean
parse_accept (TandemRestRequest  *request,
              const char         *header,
              TandemRestError   **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (accept_entry_free);
  g_auto(GStrv) items = NULL;
  gboolean root = request->target == TANDEM_REST_TARGET_ROOT;

  request->media = root ? TANDEM_REST_MEDIA_OPENAPI : TANDEM_REST_MEDIA_JSON;
  if (header == NULL || header[0] == '\0')
    return TRUE;

  items = g_strsplit (header, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], ";", -1);
      AcceptEntry *entry;

      if (g_strstrip (parts[0])[0] == '\0')
        continue;
      entry = g_new0 (AcceptEntry, 1);
      entry->type = g_ascii_strdown (parts[0], -1);
      entry->q = 1.0;
      entry->position = i;
      for (guint j = 1; parts[j] != NULL; j++)
        {
          char *param = g_strstrip (parts[j]);

          if (g_str_has_prefix (param, "q="))
            entry->q = g_ascii_strtod (param + 2, NULL);
          else if (g_str_equal (param, "nulls=stripped"))
            entry->stripped = TRUE;
        }
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_accept);

  for (guint i = 0; i < entries->len; i++)
    {
      AcceptEntry *entry = entries->pdata[i];
      const char *type = entry->type;

      if (entry->q <= 0)
        continue;
      if (g_str_equal (type, "*/*") || g_str_equal (type, "application/*"))
        return TRUE;
      if (root)
        {
          if (g_str_equal (type, "application/openapi+json") || g_str_equal (type, "application/json"))
            return TRUE;
          continue;
        }
      if (g_str_equal (type, "application/json") || g_str_equal (type, "application/vnd.pgrst.array+json") ||
          g_str_equal (type, "application/vnd.pgrst.array"))
        {
          request->media = TANDEM_REST_MEDIA_JSON;
          request->strip_nulls = entry->stripped && !g_str_equal (type, "application/json");
          return TRUE;
        }
      if (g_str_equal (type, "application/vnd.pgrst.object+json") || g_str_equal (type, "application/vnd.pgrst.object"))
        {
          request->media = TANDEM_REST_MEDIA_OBJECT;
          request->strip_nulls = entry->stripped;
          return TRUE;
        }
      if (g_str_equal (type, "text/csv"))
        {
          request->media = TANDEM_REST_MEDIA_CSV;
          return TRUE;
        }
    }

  {
    g_autoptr(GString) list = g_string_new (NULL);

    for (guint i = 0; items[i] != NULL; i++)
      {
        char *item = g_strstrip (items[i]);

        if (item[0] != '\0')
          g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", item);
      }
    *error = tandem_rest_error_new (406, "PGRST107", NULL, NULL,
                                    "None of these media types are available: %s", list->str);
  }
  return FALSE;
}

/* ---- ranges -------------------------------------------------------------------- */

static TandemRestError *
range_error (const char *details)
{
  return tandem_rest_error_new (416, "PGRST103", details, NULL, "Requested range not satisfiable");
}

static gboolean
parse_int_param (const char  *name,
                 const char  *text,
                 gint64      *value,
                 TandemRestError **error)
{
  gint64 parsed;

  if (!g_ascii_string_to_signed (text, 10, G_MININT64 / 2, G_MAXINT64 / 2, &parsed, NULL))
    {
      *error = tandem_rest_error_new_parse (name, text, 1, "expecting an integer");
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

/* Intersects limit/offset with the Range header ("0-9", "10-"). */
static gboolean
apply_range (TandemRestRequest  *request,
             const char         *limit_text,
             const char         *offset_text,
             const char         *range,
             TandemRestError   **error)
{
  gint64 lower = 0, upper = G_MAXINT64;  /* inclusive */
  gint64 limit = -1, offset = 0;

  if (limit_text != NULL && !parse_int_param ("limit parameter", limit_text, &limit, error))
    return FALSE;
  if (offset_text != NULL && !parse_int_param ("offset parameter", offset_text, &offset, error))
    return FALSE;
  if (limit_text != NULL && limit < 0)
    {
      *error = range_error ("Limit should be greater than or equal to zero.");
      return FALSE;
    }
  if (offset < 0)
    {
      *error = tandem_rest_error_new_parse ("offset parameter", offset_text, 1,
                                            "Offset should be greater than or equal to zero.");
      return FALSE;
    }
  lower = offset;
  if (limit >= 0)
    upper = offset + limit - 1;

  if (range != NULL && tandem_rest_request_is_read (request))
    {
      g_auto(GStrv) bounds = NULL;
      guint64 low, high;

      while (*range == ' ')
        range++;
      bounds = g_strsplit (range, "-", -1);
      if (g_strv_length (bounds) == 2 && bounds[0][0] != '\0' &&
          g_ascii_string_to_unsigned (bounds[0], 10, 0, G_MAXINT64 / 2, &low, NULL))
        {
          if (bounds[1][0] == '\0')
            high = G_MAXINT64;
          else if (!g_ascii_string_to_unsigned (bounds[1], 10, 0, G_MAXINT64 / 2, &high, NULL))
            high = G_MAXUINT64; /* not a range: ignored, as PostgREST does */
          if (high != G_MAXUINT64)
            {
              if (low > high)
                {
                  *error = range_error ("The lower boundary must be lower than or equal to the upper boundary in the Range header.");
                  return FALSE;
                }
              lower = MAX (lower, (gint64) low);
              upper = MIN (upper, (gint64) high);
            }
        }
    }

  request->offset = lower;
  if (upper == G_MAXINT64)
    request->limit = -1;
  else
    request->limit = MAX (0, upper - lower + 1);
  return TRUE;
}

/* ---- the query string ---------------------------------------------------------- */

static gboolean
last_word_is (const char *key,
              const char *word)
{
  const char *dot = strrchr (key, '.');

  return g_str_equal (dot != NULL ? dot + 1 : key, word);
}

/* What PostgREST treats as a filter value: a first dot-separated word
 * that is an operator (eq, in, is, fts, eq(any), …), not followed by
 * anything, or <fts>(<language>)…. */
static gboolean
value_has_operator (const char *value)
{
  gsize len = strcspn (value, ".");

  if (len == 3 && strncmp (value, "not", 3) == 0 && value[3] == '.')
    return TRUE;
  if (len == 2 && (strncmp (value, "is", 2) == 0 || strncmp (value, "in", 2) == 0))
    return TRUE;
  if (tandem_rest_is_operator_name (value, len))
    return TRUE;
  len = strcspn (value, "(");
  return value[len] == '(' && tandem_rest_is_operator_name (value, len);
}

static TandemRestError *
not_embedded (const char *key)
{
  g_autofree char *resource = g_strndup (key, strcspn (key, "."));

  return tandem_rest_error_new (400, "PGRST108", NULL, NULL,
                                "'%s' is not an embedded resource in this request", resource);
}

static void
logic_free_cb (gpointer data)
{
  tandem_rest_logic_free (data);
}

static gboolean
parse_query (TandemRestRequest  *request,
             const char         *query,
             const char         *range_header,
             TandemRestError   **error)
{
  g_auto(GStrv) pairs = query != NULL ? g_strsplit (query, "&", -1) : g_new0 (char *, 1);
  g_autofree char *select = NULL, *columns = NULL, *on_conflict = NULL;
  g_autofree char *limit = NULL, *offset = NULL;

  request->where = g_ptr_array_new_with_free_func (logic_free_cb);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0' || eq == NULL)
        continue;
      key = tandem_rest_form_decode (pairs[i], eq - pairs[i]);
      value = tandem_rest_form_decode (eq + 1, -1);
      if (key == NULL || value == NULL)
        {
          *error = tandem_rest_error_new (400, "PGRST100", "the query string has a malformed %-escape, a NUL or invalid UTF-8",
                                          NULL, "\"failed to parse the query string\" (line 1, column %zu)",
                                          (size_t) (eq - pairs[i] + 1));
          return FALSE;
        }

      if (g_str_equal (key, "select"))
        {
          if (select == NULL)
            select = g_steal_pointer (&value);
        }
      else if (g_str_equal (key, "columns"))
        {
          if (columns == NULL)
            columns = g_steal_pointer (&value);
        }
      else if (g_str_equal (key, "on_conflict"))
        {
          if (on_conflict == NULL)
            on_conflict = g_steal_pointer (&value);
        }
      else if (last_word_is (key, "order") || last_word_is (key, "limit") || last_word_is (key, "offset"))
        {
          if (strchr (key, '.') != NULL)
            {
              *error = not_embedded (key);
              return FALSE;
            }
          if (value[0] == '\0')
            continue;
          if (g_str_equal (key, "order"))
            {
              GPtrArray *terms = tandem_rest_parse_order (value, error);

              if (terms == NULL)
                return FALSE;
              if (request->order == NULL)
                request->order = terms;
              else
                {
                  g_ptr_array_extend_and_steal (request->order, terms);
                }
            }
          else if (g_str_equal (key, "limit"))
            g_free (limit), limit = g_steal_pointer (&value);
          else
            g_free (offset), offset = g_steal_pointer (&value);
        }
      else if (last_word_is (key, "or") || last_word_is (key, "and"))
        {
          TandemRestLogic *logic;

          if (!g_str_equal (key, "or") && !g_str_equal (key, "and") &&
              !g_str_equal (key, "not.or") && !g_str_equal (key, "not.and"))
            {
              *error = not_embedded (key);
              return FALSE;
            }
          if (value[0] == '\0')
            continue;
          logic = tandem_rest_parse_logic (key, value, error);
          if (logic == NULL)
            return FALSE;
          g_ptr_array_add (request->where, logic);
        }
      else if (strchr (key, '.') != NULL)
        {
          *error = not_embedded (key);
          return FALSE;
        }
      else if (value_has_operator (value))
        {
          TandemRestLogic *logic;
          TandemRestFilter *filter = tandem_rest_parse_filter (key, value, error);

          if (filter == NULL)
            return FALSE;
          logic = g_new0 (TandemRestLogic, 1);
          logic->filter = filter;
          g_ptr_array_add (request->where, logic);
        }
      else if (request->target == TANDEM_REST_TARGET_RPC)
        {
          if (request->rpc_args == NULL)
            request->rpc_args = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (request->rpc_args, g_steal_pointer (&key));
          g_ptr_array_add (request->rpc_args, g_steal_pointer (&value));
        }
      /* else: not a filter on a table, ignored as PostgREST does */
    }

  request->select = tandem_rest_parse_select_for (select != NULL && select[0] != '\0' ? select : "*",
                                                  request->resource, error);
  if (request->select == NULL)
    return FALSE;
  if (columns != NULL && (request->columns = tandem_rest_parse_columns ("columns parameter", columns, error)) == NULL)
    return FALSE;
  if (on_conflict != NULL &&
      (request->on_conflict = tandem_rest_parse_columns ("on_conflict parameter", on_conflict, error)) == NULL)
    return FALSE;
  return apply_range (request, limit, offset, range_header, error);
}

/* ---- the request ------------------------------------------------------------------- */

static gboolean
check_method (TandemRestRequest  *request,
              const char         *method_text,
              TandemRestError   **error)
{
  switch (request->target)
    {
    case TANDEM_REST_TARGET_ROOT:
      if (tandem_rest_request_is_read (request))
        return TRUE;
      break;
    case TANDEM_REST_TARGET_RPC:
      if (tandem_rest_request_is_read (request) || request->method == TANDEM_REST_METHOD_POST)
        return TRUE;
      *error = tandem_rest_error_new (405, "PGRST101", NULL, NULL, "Cannot use the %s method on RPC", method_text);
      return FALSE;
    case TANDEM_REST_TARGET_TABLE:
    default:
      if (request->method != TANDEM_REST_METHOD_PUT)
        return TRUE;
      break;
    }
  *error = tandem_rest_error_new (405, "PGRST117", NULL, NULL, "Unsupported HTTP method: %s", method_text);
  return FALSE;
}

static gboolean
parse_profile (TandemRestRequest       *request,
               const TandemRestHeaders *headers,
               TandemRestError        **error)
{
  const char *profile = tandem_rest_request_is_read (request) ? headers->accept_profile : headers->content_profile;
  g_autofree char *name = profile != NULL ? g_strstrip (g_strdup (profile)) : NULL;

  if (name == NULL || name[0] == '\0')
    {
      request->schema = g_strdup ("public");
      return TRUE;
    }
  if (!g_utf8_validate (name, -1, NULL))
    {
      *error = tandem_rest_error_new (406, "PGRST106", NULL, NULL, "Invalid schema: %s", "?");
      return FALSE;
    }
  request->schema = g_steal_pointer (&name);
  request->schema_from_profile = TRUE;
  return TRUE;
}

static gboolean
check_content_type (TandemRestRequest       *request,
                    const TandemRestHeaders *headers,
                    TandemRestError        **error)
{
  g_autofree char *type = NULL;

  if (request->method != TANDEM_REST_METHOD_POST && request->method != TANDEM_REST_METHOD_PATCH)
    return TRUE;
  if (headers->content_type == NULL)
    return TRUE;
  type = g_strstrip (g_ascii_strdown (headers->content_type, strcspn (headers->content_type, ";")));
  if (g_str_equal (type, "application/json") || g_str_equal (type, "") ||
      (request->target == TANDEM_REST_TARGET_RPC && g_str_equal (type, "application/x-www-form-urlencoded") &&
       (request->body == NULL || g_bytes_get_size (request->body) == 0)))
    return TRUE;
  *error = tandem_rest_error_new (415, "PGRST107", NULL, NULL, "Content-Type not acceptable: %s", headers->content_type);
  return FALSE;
}

TandemRestRequest *
tandem_rest_request_parse (const char               *method,
                           const char               *path,
                           const char               *query,
                           const TandemRestHeaders  *headers,
                           GBytes                   *body,
                           TandemRestError         **error)
{
  g_autoptr(TandemRestRequest) request = g_new0 (TandemRestRequest, 1);

  g_return_val_if_fail (error != NULL && *error == NULL, NULL);

  request->limit = -1;
  request->prefer.max_affected = -1;
  request->body = body != NULL ? g_bytes_ref (body) : NULL;

  if (!parse_method (method, &request->method))
    {
      *error = tandem_rest_error_new (405, "PGRST117", NULL, NULL, "Unsupported HTTP method: %s", method);
      return NULL;
    }
  if (!parse_path (request, path, error) ||
      !check_method (request, method, error) ||
      !parse_profile (request, headers, error) ||
      !parse_accept (request, headers->accept, error) ||
      !parse_prefer (request, headers->prefer, error) ||
      !check_content_type (request, headers, error))
    return NULL;
  if (request->target == TANDEM_REST_TARGET_ROOT)
    return g_steal_pointer (&request);
  if (!parse_query (request, query, headers->range, error))
    return NULL;
  return g_steal_pointer (&request);
}
