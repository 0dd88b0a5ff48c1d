/* tandem-query-execute.c: sending a TandemQuery and reading the answer
 *
 * Headers as supabase-js sends them (lib/fetch.ts fetchWithAuth and
 * PostgrestBuilder.then): the API key, the bearer token of the signed-in
 * session (refreshed first when it is about to expire) or else the
 * client's token, the profile of the schema (always, public by default),
 * Content-Type on writes, Prefer and Accept as the query asks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "tandem-auth.h"
#include "tandem-query-impl-private.h"

typedef struct
{
  SoupMessage *msg;
} Execution;

static void
execution_free (Execution *execution)
{
  g_clear_object (&execution->msg);
  g_free (execution);
}

/* "0-9/42" or "*\/42": the total after the slash, or -1 for "*". */
static gint64
parse_content_range (const char *range)
{
  const char *slash = range ? strrchr (range, '/') : NULL;
  guint64 total;

  if (slash == NULL || !g_ascii_string_to_unsigned (slash + 1, 10, 0, G_MAXINT64, &total, NULL))
    return -1;
  return (gint64) total;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TandemQuery *self = g_task_get_source_object (task);
  Execution *execution = g_task_get_task_data (task);
  SoupMessage *msg = execution->msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const char *data;
  gsize length;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, _tandem_rest_error_from_transport (g_steal_pointer (&error)));
      return;
    }

  status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &length);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* postgrest-js #295: a 404 with an array is an empty answer, and a
       * 404 with nothing a 204. */
      if (status == SOUP_STATUS_NOT_FOUND && length == 0)
        {
          g_task_return_pointer (task, NULL, NULL);
          return;
        }
      if (status == SOUP_STATUS_NOT_FOUND && length > 0 && data[0] == '[')
        {
          g_task_return_pointer (task, json_node_init_array (json_node_alloc (), json_array_new ()),
                                 (GDestroyNotify) json_node_unref);
          return;
        }
      g_task_return_error (task, _tandem_rest_error_from_response (status, data, length));
      return;
    }

  if (self->count_exact)
    self->count = parse_content_range (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                     "Content-Range"));
  if (length == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &error) || json_parser_get_root (parser) == NULL)
    {
      g_task_return_error (task, _tandem_rest_error_new (TANDEM_REST_ERROR_PROTOCOL, status, NULL, NULL, NULL,
                                                         "The server's answer is not JSON"));
      return;
    }
  g_task_return_pointer (task, json_node_copy (json_parser_get_root (parser)), (GDestroyNotify) json_node_unref);
}

static void
send_with_token (GTask      *task,
                 const char *token)
{
  TandemQuery *self = g_task_get_source_object (task);
  Execution *execution = g_task_get_task_data (task);
  g_autofree char *path = _tandem_query_dup_path (self);
  g_autofree char *query = _tandem_query_dup_query (self);
  g_autofree char *prefer = _tandem_query_dup_prefer (self);
  g_autofree char *body = _tandem_query_dup_body (self);
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  const char *method = _tandem_query_get_method (self);
  const char *api_key = tandem_client_get_api_key (self->client);
  gboolean read = g_str_equal (method, "GET");
  SoupMessageHeaders *headers;

  url = g_strconcat (_tandem_client_get_rest_url (self->client), path, query ? "?" : "", query ? query : "", NULL);
  execution->msg = soup_message_new (method, url);
  if (execution->msg == NULL)
    {
      g_task_return_error (task, _tandem_rest_error_new (TANDEM_REST_ERROR_BAD_REQUEST, 0, NULL, NULL, NULL,
                                                         "The request URL is not valid"));
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (execution->msg);
  authorization = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (headers, "apikey", api_key);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "X-Client-Info", "libtandem/" PACKAGE_VERSION);
  soup_message_headers_replace (headers, read ? "Accept-Profile" : "Content-Profile",
                                self->schema ? self->schema : "public");
  if (self->single)
    soup_message_headers_replace (headers, "Accept", "application/vnd.pgrst.object+json");
  if (prefer != NULL)
    soup_message_headers_replace (headers, "Prefer", prefer);
  for (guint i = 0; i < self->headers->len; i++)
    {
      QueryParam *header = self->headers->pdata[i];

      soup_message_headers_replace (headers, header->name, header->value);
    }
  if (body != NULL)
    {
      gsize length = strlen (body);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), length);

      soup_message_set_request_body_from_bytes (execution->msg, "application/json", bytes);
    }
  else if (!read)
    soup_message_headers_replace (headers, "Content-Type", "application/json");

  soup_session_send_and_read_async (tandem_client_get_session (self->client), execution->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, task);
}

/* An Auth failure in the REST domain: the request never went out. */
static GError *
error_from_auth (GError *auth_error)
{
  g_autoptr(GError) owned = auth_error;
  TandemRestError code = TANDEM_REST_ERROR_UNAUTHORIZED;

  if (auth_error->domain != TANDEM_AUTH_ERROR)
    return g_steal_pointer (&owned);
  if (auth_error->code == TANDEM_AUTH_ERROR_NETWORK)
    code = TANDEM_REST_ERROR_NETWORK;
  else if (auth_error->code == TANDEM_AUTH_ERROR_SERVER)
    code = TANDEM_REST_ERROR_SERVER;
  return _tandem_rest_error_new (code, 0, tandem_auth_error_get_code (auth_error), NULL, NULL,
                                 auth_error->message);
}

static void
fresh_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  TandemQuery *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = tandem_auth_ensure_fresh_token_finish (TANDEM_AUTH (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error_from_auth (g_steal_pointer (&error)));
      g_object_unref (task);
      return;
    }
  /* Signed out meanwhile: the client's token (the API key, usually). */
  send_with_token (task, token ? token : tandem_client_get_access_token (self->client));
}

/**
 * tandem_query_execute_async:
 * @self: a #TandemQuery
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Sends the query, once, through the client's #SoupSession. A builder
 * mistake is reported here, without sending anything.
 */
void
tandem_query_execute_async (TandemQuery         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TandemAuth *auth;

  g_return_if_fail (TANDEM_IS_QUERY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_query_execute_async);
  g_task_set_task_data (task, g_new0 (Execution, 1), (GDestroyNotify) execution_free);

  if (self->error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->error));
      return;
    }
  if (self->executed)
    {
      g_task_return_error (task, _tandem_rest_error_new (TANDEM_REST_ERROR_BAD_REQUEST, 0, NULL, NULL, NULL,
                                                         "A query runs once; build another"));
      return;
    }
  self->executed = TRUE;
  self->count = -1;

  auth = tandem_client_get_auth (self->client);
  if (auth != NULL && tandem_auth_get_session (auth) != NULL)
    tandem_auth_ensure_fresh_token_async (auth, cancellable, fresh_token_cb, g_steal_pointer (&task));
  else
    send_with_token (g_steal_pointer (&task), tandem_client_get_access_token (self->client));
}

/**
 * tandem_query_execute_finish:
 * @self: a #TandemQuery
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the rows (an array), the row (an
 *   object, with tandem_query_single()), an rpc's result, or %NULL without
 *   an error when nothing was asked back (a write without
 *   representation); %NULL with an error in %TANDEM_REST_ERROR (or
 *   %G_IO_ERROR_CANCELLED) on failure
 */
JsonNode *
tandem_query_execute_finish (TandemQuery   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_query_execute_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
