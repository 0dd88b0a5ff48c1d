/* tandem-auth-http.c: GoTrue requests, and GoTrue's errors as GErrors
 *
 * Requests carry what auth-js sends (lib/fetch.ts _request): the API key,
 * a bearer token (the user's JWT, else the API key), X-Supabase-Api-Version
 * 2024-01-01 so that errors come with a code string, and a JSON body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-json-util.h"
#include "tandem-auth-impl-private.h"

#define API_VERSION "2024-01-01"

/* ---- the error domain -------------------------------------------------- */

typedef struct
{
  char  *code;    /* GoTrue's code string, nullable */
  guint  status;  /* HTTP status, 0 without an answer */
} TandemAuthErrorPrivate;

static void
tandem_auth_error_private_init (TandemAuthErrorPrivate *priv)
{
}

static void
tandem_auth_error_private_copy (const TandemAuthErrorPrivate *src,
                                TandemAuthErrorPrivate       *dest)
{
  dest->code = g_strdup (src->code);
  dest->status = src->status;
}

static void
tandem_auth_error_private_clear (TandemAuthErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
}

G_DEFINE_EXTENDED_ERROR (TandemAuthError, tandem_auth_error)

/**
 * tandem_auth_error_get_code:
 * @error: a #GError
 *
 * Gives GoTrue's own error code, for the cases the #TandemAuthError
 * classification does not tell apart (such as `email_exists` and
 * `user_already_exists`).
 *
 * Returns: (nullable): GoTrue's code string of an error in
 *   %TANDEM_AUTH_ERROR (such as "invalid_credentials"), or %NULL when the
 *   server gave none or @error is of another domain
 */
const char *
tandem_auth_error_get_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TANDEM_AUTH_ERROR)
    return NULL;
  return tandem_auth_error_get_private (error)->code;
}

guint
_tandem_auth_error_get_status (const GError *error)
{
  if (error == NULL || error->domain != TANDEM_AUTH_ERROR)
    return 0;
  return tandem_auth_error_get_private (error)->status;
}

GError *
_tandem_auth_error_new (TandemAuthError  error_code,
                        const char      *gotrue_code,
                        guint            status,
                        const char      *message)
{
  GError *error = g_error_new_literal (TANDEM_AUTH_ERROR, error_code, message);
  TandemAuthErrorPrivate *priv = tandem_auth_error_get_private (error);

  priv->code = g_strdup (gotrue_code);
  priv->status = status;
  return error;
}

gboolean
_tandem_auth_error_is_retryable (const GError *error)
{
  return g_error_matches (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NETWORK) ||
         g_error_matches (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SERVER) ||
         g_error_matches (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_RATE_LIMITED);
}

static const struct
{
  const char      *code;
  TandemAuthError  error;
} code_map[] = {
  { "invalid_credentials", TANDEM_AUTH_ERROR_INVALID_CREDENTIALS },
  { "invalid_grant", TANDEM_AUTH_ERROR_INVALID_CREDENTIALS },    /* very old GoTrue */
  { "user_already_exists", TANDEM_AUTH_ERROR_USER_EXISTS },
  { "email_exists", TANDEM_AUTH_ERROR_USER_EXISTS },
  { "phone_exists", TANDEM_AUTH_ERROR_USER_EXISTS },
  { "weak_password", TANDEM_AUTH_ERROR_WEAK_PASSWORD },
  { "validation_failed", TANDEM_AUTH_ERROR_VALIDATION },
  { "bad_json", TANDEM_AUTH_ERROR_VALIDATION },
  { "email_address_invalid", TANDEM_AUTH_ERROR_VALIDATION },
  { "same_password", TANDEM_AUTH_ERROR_VALIDATION },
  { "invalid_request", TANDEM_AUTH_ERROR_VALIDATION },
  { "over_request_rate_limit", TANDEM_AUTH_ERROR_RATE_LIMITED },
  { "over_email_send_rate_limit", TANDEM_AUTH_ERROR_RATE_LIMITED },
  { "over_sms_send_rate_limit", TANDEM_AUTH_ERROR_RATE_LIMITED },
  /* The session is gone one way or another: sign in again. */
  { "refresh_token_not_found", TANDEM_AUTH_ERROR_SESSION_EXPIRED },
  { "refresh_token_already_used", TANDEM_AUTH_ERROR_SESSION_EXPIRED },
  { "session_not_found", TANDEM_AUTH_ERROR_SESSION_EXPIRED },
  { "session_expired", TANDEM_AUTH_ERROR_SESSION_EXPIRED },
  { "user_not_found", TANDEM_AUTH_ERROR_SESSION_EXPIRED },
  { "user_banned", TANDEM_AUTH_ERROR_SESSION_EXPIRED },
  { "bad_jwt", TANDEM_AUTH_ERROR_SESSION_EXPIRED },
  { "no_authorization", TANDEM_AUTH_ERROR_NOT_SIGNED_IN },
};


/* GoTrue before error codes said "weak" only with weak_password.reasons. */
static gboolean
has_weak_password_reasons (JsonObject *object)
{
  JsonNode *weak = json_object_get_member (object, "weak_password");
  JsonNode *reasons;

  if (weak == NULL || !JSON_NODE_HOLDS_OBJECT (weak))
    return FALSE;
  reasons = json_object_get_member (json_node_get_object (weak), "reasons");
  return reasons != NULL && JSON_NODE_HOLDS_ARRAY (reasons) &&
         json_array_get_length (json_node_get_array (reasons)) > 0;
}

GError *
_tandem_auth_error_from_response (guint       status,
                                  const char *body,
                                  gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *fallback = NULL;
  JsonObject *object = NULL;
  const char *code = NULL, *message = NULL;
  TandemAuthError error_code = TANDEM_AUTH_ERROR_FAILED;

  if (body != NULL && length > 0 && json_parser_load_from_data (parser, body, length, NULL) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));

  if (object != NULL)
    {
      code = tandem_json_string_member (object, "code");
      if (code == NULL)
        code = tandem_json_string_member (object, "error_code");
      if (code == NULL)
        code = tandem_json_string_member (object, "error");
      message = tandem_json_string_member (object, "msg");
      if (message == NULL)
        message = tandem_json_string_member (object, "message");
      if (message == NULL)
        message = tandem_json_string_member (object, "error_description");
      if (message == NULL)
        message = tandem_json_string_member (object, "error");
    }
  if (message == NULL || *message == '\0')
    message = fallback = g_strdup_printf ("The server answered %u %s", status,
                                          soup_status_get_phrase (status));

  /* As auth-js: 5xx is the server's trouble, whatever the body says, and
   * worth retrying. */
  if (status >= 500)
    error_code = TANDEM_AUTH_ERROR_SERVER;
  else if (object == NULL)
    error_code = TANDEM_AUTH_ERROR_PROTOCOL;
  else if (status == 429)
    error_code = TANDEM_AUTH_ERROR_RATE_LIMITED;
  else
    {
      for (guint i = 0; code != NULL && i < G_N_ELEMENTS (code_map); i++)
        if (g_str_equal (code, code_map[i].code))
          {
            error_code = code_map[i].error;
            break;
          }
      if (error_code == TANDEM_AUTH_ERROR_FAILED && has_weak_password_reasons (object))
        error_code = TANDEM_AUTH_ERROR_WEAK_PASSWORD;
    }

  return _tandem_auth_error_new (error_code, code, status, message);
}

/* ---- requests ---------------------------------------------------------- */

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const char *data;
  gsize length;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, _tandem_auth_error_new (TANDEM_AUTH_ERROR_NETWORK, NULL, 0, error->message));
      return;
    }

  status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &length);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, _tandem_auth_error_from_response (status, data, length));
      return;
    }
  if (length == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &error) || json_parser_get_root (parser) == NULL)
    {
      g_task_return_error (task, _tandem_auth_error_new (TANDEM_AUTH_ERROR_PROTOCOL, NULL, status,
                                                         "The server's answer is not JSON"));
      return;
    }
  g_task_return_pointer (task, json_node_copy (json_parser_get_root (parser)), (GDestroyNotify) json_node_unref);
}

void
_tandem_auth_send_async (TandemAuth          *self,
                         const char          *method,
                         const char          *path,
                         const char          *bearer,
                         JsonNode            *body,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->auth_url, path, NULL);
  g_autofree char *authorization = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, _tandem_auth_send_async);
  if (msg == NULL)
    {
      g_task_return_error (task, _tandem_auth_error_new (TANDEM_AUTH_ERROR_PROTOCOL, NULL, 0,
                                                         "The Auth URL is not valid"));
      return;
    }

  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", bearer != NULL ? bearer : self->api_key, NULL);
  soup_message_headers_replace (headers, "apikey", self->api_key);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "X-Supabase-Api-Version", API_VERSION);
  soup_message_headers_replace (headers, "X-Client-Info", "libtandem/" PACKAGE_VERSION);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (msg, "application/json;charset=UTF-8", bytes);
    }

  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->soup_session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    sent_cb, g_steal_pointer (&task));
}

JsonNode *
_tandem_auth_send_finish (TandemAuth    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _tandem_auth_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
