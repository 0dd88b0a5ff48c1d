/* tandem-rest-response.c: PostgREST's answers
 *
 * Status, Content-Range, Location, Preference-Applied, Content-Profile and
 * the body PostgreSQL rendered, for each kind of request; errors; CORS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-rest-api-private.h"
#include "tandem-rest-openapi.h"

void
tandem_rest_add_cors_headers (SoupMessageHeaders *headers)
{
  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Expose-Headers",
                                "Content-Encoding, Content-Location, Content-Range, Content-Type, "
                                "Date, Location, Server, Transfer-Encoding, Range-Unit, Preference-Applied");
}

void
tandem_rest_respond_error (SoupServerMessage     *msg,
                           const TandemRestError *error)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char *body = tandem_rest_error_to_json (error);

  soup_server_message_set_status (msg, error->status, NULL);
  if (error->www_authenticate != NULL)
    soup_message_headers_replace (headers, "WWW-Authenticate", error->www_authenticate);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, body, strlen (body));
}

void
tandem_rest_respond_preflight (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *asked = soup_message_headers_get_one (request, "Access-Control-Request-Headers");

  soup_message_headers_replace (response, "Allow", "OPTIONS,GET,HEAD,POST,PATCH,DELETE");
  if (soup_message_headers_get_one (request, "Access-Control-Request-Method") != NULL)
    {
      soup_message_headers_replace (response, "Access-Control-Allow-Methods",
                                    "GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS");
      soup_message_headers_replace (response, "Access-Control-Allow-Headers",
                                    asked != NULL ? asked
                                                  : "Authorization, Content-Type, Accept, apikey, x-client-info, "
                                                    "Prefer, Range, Range-Unit, Accept-Profile, Content-Profile");
      soup_message_headers_replace (response, "Access-Control-Max-Age", "86400");
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static const char *
media_type (const TandemRestRequest *request)
{
  switch (request->media)
    {
    case TANDEM_REST_MEDIA_OBJECT:
      return request->strip_nulls ? "application/vnd.pgrst.object+json; nulls=stripped; charset=utf-8"
                                  : "application/vnd.pgrst.object+json; charset=utf-8";
    case TANDEM_REST_MEDIA_CSV:
      return "text/csv; charset=utf-8";
    case TANDEM_REST_MEDIA_OPENAPI:
      return "application/openapi+json; charset=utf-8";
    case TANDEM_REST_MEDIA_JSON:
    default:
      return request->strip_nulls ? "application/vnd.pgrst.array+json; nulls=stripped; charset=utf-8"
                                  : "application/json; charset=utf-8";
    }
}

static gint64
result_int (PGresult *result,
            int       column,
            gint64    fallback)
{
  if (result == NULL || PQntuples (result) < 1 || PQnfields (result) <= column || PQgetisnull (result, 0, column))
    return fallback;
  return g_ascii_strtoll (PQgetvalue (result, 0, column), NULL, 10);
}

static const char *
result_text (PGresult *result,
             int       column)
{
  if (result == NULL || PQntuples (result) < 1 || PQnfields (result) <= column || PQgetisnull (result, 0, column))
    return NULL;
  return PQgetvalue (result, 0, column);
}

static char *
content_range (gint64 lower,
               gint64 upper,
               gint64 total)
{
  g_autofree char *range = total != 0 && lower <= upper ? g_strdup_printf ("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, lower, upper)
                                                        : g_strdup ("*");

  if (total < 0)
    return g_strdup_printf ("%s/*", range);
  return g_strdup_printf ("%s/%" G_GINT64_FORMAT, range, total);
}

/* /table?pk=eq.value&… for the single inserted row. */
static char *
location_header (const RestCall *call,
                 const char     *pk_json)
{
  g_autoptr(JsonNode) node = json_from_string (pk_json, NULL);
  g_autoptr(GString) location = g_string_new ("/");
  JsonObject *object;
  g_autoptr(GList) members = NULL;
  g_autofree char *escaped = g_uri_escape_string (call->request->resource, NULL, FALSE);

  g_string_append (location, escaped);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_string_free (g_steal_pointer (&location), FALSE);
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);
      g_autofree char *key = g_uri_escape_string (l->data, NULL, FALSE);
      g_autofree char *text = NULL;
      g_autofree char *escaped_value = NULL;

      if (JSON_NODE_HOLDS_NULL (value))
        text = g_strdup ("is.null");
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        text = g_strconcat ("eq.", json_node_get_string (value), NULL);
      else
        {
          g_autofree char *json = json_to_string (value, FALSE);
          text = g_strconcat ("eq.", json, NULL);
        }
      escaped_value = g_uri_escape_string (text, NULL, FALSE);
      g_string_append_printf (location, "%c%s=%s", l == members ? '?' : '&', key, escaped_value);
    }
  return g_string_free (g_steal_pointer (&location), FALSE);
}

static TandemRestError *
singular_error (gint64 rows)
{
  g_autofree char *details = g_strdup_printf ("The result contains %" G_GINT64_FORMAT " rows", rows);

  return tandem_rest_error_new (406, "PGRST116", details, NULL, "Cannot coerce the result to a single JSON object");
}

gboolean
tandem_rest_call_needs_check (const RestCall *call)
{
  const TandemRestRequest *request = call->request;

  if (request->target == TANDEM_REST_TARGET_ROOT || (call->statement != NULL && call->statement->returns_void))
    return FALSE;
  return request->media == TANDEM_REST_MEDIA_OBJECT ||
         (request->prefer.strict && request->prefer.max_affected >= 0);
}

gboolean
tandem_rest_call_check_result (RestCall *call)
{
  const TandemRestRequest *request = call->request;
  gint64 rows = result_int (call->result, 1, 0);
  gboolean mutation = request->target == TANDEM_REST_TARGET_TABLE && !tandem_rest_request_is_read (request);

  if (request->media == TANDEM_REST_MEDIA_OBJECT && request->target != TANDEM_REST_TARGET_ROOT &&
      !(call->statement != NULL && call->statement->returns_void) && rows != 1)
    {
      call->error = singular_error (rows);
      return FALSE;
    }
  if (mutation && request->prefer.strict && request->prefer.max_affected >= 0 &&
      rows > request->prefer.max_affected &&
      (request->method == TANDEM_REST_METHOD_PATCH || request->method == TANDEM_REST_METHOD_DELETE))
    {
      g_autofree char *details = g_strdup_printf ("The query affects %" G_GINT64_FORMAT " rows", rows);

      call->error = tandem_rest_error_new (400, "PGRST124", details, NULL,
                                           "Query result exceeds max-affected preference constraint");
      return FALSE;
    }
  return TRUE;
}

static void
set_body (SoupServerMessage       *msg,
          const TandemRestRequest *request,
          const char              *body)
{
  if (body == NULL || request->method == TANDEM_REST_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Type", media_type (request));
      return;
    }
  soup_server_message_set_response (msg, media_type (request), SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_root (RestCall *call)
{
  g_autoptr(GHashTable) visible = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) names = json_from_string (result_text (call->result, 2), NULL);
  g_autofree char *document = NULL;
  const char *groups[] = { "relations", "functions" };
  const char *prefixes[] = { "r:", "f:" };

  for (guint g = 0; names != NULL && JSON_NODE_HOLDS_OBJECT (names) && g < G_N_ELEMENTS (groups); g++)
    {
      JsonNode *list = json_object_get_member (json_node_get_object (names), groups[g]);

      for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) && i < json_array_get_length (json_node_get_array (list)); i++)
        g_hash_table_add (visible, g_strconcat (prefixes[g], json_array_get_string_element (json_node_get_array (list), i), NULL));
    }
  document = tandem_rest_openapi_build (call->cache, call->request->schema, visible, call->host);
  soup_server_message_set_status (call->msg, SOUP_STATUS_OK, NULL);
  set_body (call->msg, call->request, document);
}

void
tandem_rest_respond_result (RestCall *call)
{
  const TandemRestRequest *request = call->request;
  SoupServerMessage *msg = call->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gint64 total = result_int (call->result, 0, -1);
  gint64 rows = result_int (call->result, 1, 0);
  const char *body = result_text (call->result, 2);
  const char *location = result_text (call->result, 3);
  g_autofree char *range = NULL;
  gboolean representation = request->prefer.ret == TANDEM_REST_RETURN_REPRESENTATION;
  guint status = SOUP_STATUS_OK;

  if (request->prefer.applied != NULL)
    soup_message_headers_replace (headers, "Preference-Applied", request->prefer.applied);
  if (request->schema_from_profile)
    soup_message_headers_replace (headers, "Content-Profile", request->schema);

  if (request->target == TANDEM_REST_TARGET_ROOT)
    {
      respond_root (call);
      return;
    }

  if (request->target == TANDEM_REST_TARGET_RPC || tandem_rest_request_is_read (request))
    {
      if (call->statement->returns_void)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
          return;
        }
      range = content_range (request->offset, request->offset + rows - 1, total);
      soup_message_headers_replace (headers, "Content-Range", range);
      if (total >= 0 && request->offset > total)
        {
          g_autofree char *details = g_strdup_printf ("An offset of %" G_GINT64_FORMAT " was requested, but there are only %" G_GINT64_FORMAT " rows.",
                                                      request->offset, total);
          g_autoptr(TandemRestError) error = tandem_rest_error_new (416, "PGRST103", details, NULL,
                                                                    "Requested range not satisfiable");
          tandem_rest_respond_error (msg, error);
          return;
        }
      if (total >= 0 && rows < total)
        status = SOUP_STATUS_PARTIAL_CONTENT;
      soup_server_message_set_status (msg, status, NULL);
      set_body (msg, request, body);
      return;
    }

  if (request->prefer.count != TANDEM_REST_COUNT_NONE)
    total = rows;
  switch (request->method)
    {
    case TANDEM_REST_METHOD_POST:
      range = content_range (1, 0, total);
      soup_message_headers_replace (headers, "Content-Range", range);
      if (location != NULL)
        {
          g_autofree char *value = location_header (call, location);
          soup_message_headers_replace (headers, "Location", value);
        }
      soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
      if (representation)
        set_body (msg, request, body);
      break;

    case TANDEM_REST_METHOD_PATCH:
    case TANDEM_REST_METHOD_DELETE:
    default:
      range = request->method == TANDEM_REST_METHOD_PATCH ? content_range (0, rows - 1, total)
                                                          : content_range (1, 0, total);
      soup_message_headers_replace (headers, "Content-Range", range);
      soup_server_message_set_status (msg, representation ? SOUP_STATUS_OK : SOUP_STATUS_NO_CONTENT, NULL);
      if (representation)
        set_body (msg, request, body);
      break;
    }
}

