/* tandem-workspace-session-open.c: the ways into a workspace
 *
 *   create local:  start server → sign up (random password) → save
 *   create remote: check URL and key (/auth/v1/settings) → sign in or up → save
 *   open saved:    [start server] → restore from the refresh token
 *                  → [local: sign in with the stored password]
 *
 * Every failure becomes a TANDEM_WORKSPACE_ERROR naming its form field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-workspace-session"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tandem-workspace-session-private.h"

typedef struct
{
  TandemWorkspaceStore   *store;
  TandemWorkspace        *workspace;
  TandemLocalServer      *server;
  TandemWorkspaceSession *session;
  char                   *your_name;
  char                   *email;
  char                   *password;
  char                   *api_key;
  gboolean                sign_up;      /* asked for: create the account */
  gboolean                signing_up;   /* what signed_in_cb finishes */
  gboolean                is_new;
} Open;

static void
open_free (gpointer data)
{
  Open *op = data;

  g_clear_object (&op->store);
  g_clear_object (&op->workspace);
  g_clear_object (&op->server);
  g_clear_object (&op->session);
  g_free (op->your_name);
  g_free (op->email);
  if (op->password != NULL)
    {
      explicit_bzero (op->password, strlen (op->password));
      g_free (op->password);
    }
  if (op->api_key != NULL)
    {
      explicit_bzero (op->api_key, strlen (op->api_key));
      g_free (op->api_key);
    }
  g_free (op);
}

static GTask *
open_task_new (TandemWorkspaceStore *store,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data,
               Open                **op_out)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  Open *op = g_new0 (Open, 1);

  g_task_set_source_tag (task, tandem_workspace_session_open_async);
  op->store = g_object_ref (store);
  g_task_set_task_data (task, op, open_free);
  *op_out = op;
  return task;
}

static void
fail (GTask  *task,
      GError *error)
{
  Open *op = g_task_get_task_data (task);

  error = tandem_workspace_error_translate (error);
  g_debug ("opening a workspace failed: %s", error->message);
  /* A server we started for nothing goes again. */
  if (op->server != NULL)
    tandem_local_server_terminate (op->server);
  g_task_return_error (task, error);
}

static void
succeed (GTask *task)
{
  Open *op = g_task_get_task_data (task);

  if (op->is_new)
    {
      if (op->password != NULL && tandem_workspace_get_kind (op->workspace) == TANDEM_WORKSPACE_LOCAL)
        _tandem_workspace_session_save_secret (op->session, TANDEM_SECRET_PASSWORD, op->password);
      if (op->api_key != NULL)
        _tandem_workspace_session_save_secret (op->session, TANDEM_SECRET_API_KEY, op->api_key);
      tandem_workspace_store_add (op->store, op->workspace);
    }
  tandem_workspace_store_set_last (op->store, op->workspace);
  _tandem_workspace_session_start (op->session);
  g_task_return_pointer (task, g_object_ref (op->session), g_object_unref);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(TandemSession) session = NULL;
  GError *error = NULL;
  Open *op = g_task_get_task_data (task);

  if (op->signing_up)
    session = tandem_auth_sign_up_finish (TANDEM_AUTH (source), result, &error);
  else
    session = tandem_auth_sign_in_with_password_finish (TANDEM_AUTH (source), result, &error);

  if (session == NULL)
    fail (task, error);
  else
    succeed (task);
}

static TandemAuth *
auth_of (Open *op)
{
  return tandem_client_get_auth (tandem_workspace_session_get_client (op->session));
}

static void
sign_in (GTask *task)
{
  Open *op = g_task_get_task_data (task);

  op->signing_up = FALSE;
  tandem_auth_sign_in_with_password_async (auth_of (op), op->email, op->password,
                                           g_task_get_cancellable (task), signed_in_cb, task);
}

static void
sign_up (GTask *task)
{
  Open *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = json_object_new ();

  op->signing_up = TRUE;
  if (op->your_name != NULL)
    json_object_set_string_member (data, "name", op->your_name);
  tandem_auth_sign_up_async (auth_of (op), op->email, op->password, data,
                             g_task_get_cancellable (task), signed_in_cb, task);
}

/* ---- saved workspaces: refresh token, then the local password ---- */

static void
password_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Open *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *password;

  password = tandem_workspace_store_lookup_secret_finish (TANDEM_WORKSPACE_STORE (source), result, &error);
  if (error != NULL)
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }
  if (password == NULL)
    {
      fail (task, g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED,
                                       _("The password of this workspace’s account is no longer in the keyring")));
      g_object_unref (task);
      return;
    }
  op->password = password;
  sign_in (task);
}

static void
session_expired (GTask *task)
{
  Open *op = g_task_get_task_data (task);

  if (tandem_workspace_get_kind (op->workspace) == TANDEM_WORKSPACE_LOCAL)
    {
      tandem_workspace_store_lookup_secret_async (op->store, op->workspace, TANDEM_SECRET_PASSWORD,
                                                  g_task_get_cancellable (task), password_found_cb, task);
      return;
    }
  fail (task, g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED,
                                   _("The session has ended: enter the password to sign in again")));
  g_object_unref (task);
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(TandemSession) session = NULL;
  GError *error = NULL;

  session = tandem_auth_restore_session_finish (TANDEM_AUTH (source), result, &error);
  if (session != NULL)
    {
      succeed (task);
      g_object_unref (task);
      return;
    }
  if (g_error_matches (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SESSION_EXPIRED) ||
      g_error_matches (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_INVALID_CREDENTIALS))
    {
      g_debug ("stored session refused: %s", error->message);
      g_error_free (error);
      session_expired (task);
      return;
    }
  fail (task, error);
  g_object_unref (task);
}

static void
token_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Open *op = g_task_get_task_data (task);
  g_autofree char *token = NULL;
  GError *error = NULL;

  token = tandem_workspace_store_lookup_secret_finish (TANDEM_WORKSPACE_STORE (source), result, &error);
  if (error != NULL)
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }
  if (token == NULL)
    {
      session_expired (task);
      return;
    }
  tandem_auth_restore_session_async (auth_of (op), token, g_task_get_cancellable (task), restored_cb, task);
}

static void
authenticate_saved (GTask *task)
{
  Open *op = g_task_get_task_data (task);

  if (op->password != NULL)
    {
      sign_in (task);
      return;
    }
  tandem_workspace_store_lookup_secret_async (op->store, op->workspace, TANDEM_SECRET_REFRESH_TOKEN,
                                              g_task_get_cancellable (task), token_found_cb, task);
}

/* ---- local workspaces ---- */

static char *
random_password (void)
{
  guchar bytes[24];

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    for (guint i = 0; i < sizeof bytes; i++)
      bytes[i] = (guchar) g_random_int_range (0, 256);
  return g_base64_encode (bytes, sizeof bytes);
}

/* "Ada Lovelace" → "ada.lovelace@tandem.local" */
static char *
email_for_name (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *local = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (local, g_ascii_tolower (*p));
      else if (local->len > 0 && local->str[local->len - 1] != '.')
        g_string_append_c (local, '.');
    }
  while (local->len > 0 && local->str[local->len - 1] == '.')
    g_string_truncate (local, local->len - 1);
  if (local->len == 0)
    g_string_append (local, "me");
  g_string_append (local, "@tandem.local");
  return g_string_free (local, FALSE);
}

static void
server_started_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Open *op = g_task_get_task_data (task);
  g_autoptr(TandemClient) client = NULL;
  GError *error = NULL;

  if (!tandem_local_server_start_finish (op->server, result, &error))
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }

  tandem_workspace_set_port (op->workspace, tandem_local_server_get_port (op->server));
  tandem_workspace_set_url (op->workspace, tandem_local_server_get_url (op->server));
  client = tandem_client_new (tandem_local_server_get_url (op->server),
                              tandem_local_server_get_anon_key (op->server), &error);
  if (client == NULL)
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }
  op->session = _tandem_workspace_session_new (op->store, op->workspace, client, op->server);

  if (op->is_new)
    sign_up (task);
  else
    authenticate_saved (task);
}

static void
start_local (GTask *task)
{
  Open *op = g_task_get_task_data (task);
  g_autofree char *data_dir = tandem_workspace_dup_data_dir (op->workspace);

  op->server = tandem_local_server_new (data_dir, tandem_workspace_get_port (op->workspace), TRUE);
  tandem_local_server_start_async (op->server, g_task_get_cancellable (task), server_started_cb, task);
}

void
tandem_workspace_session_create_local_async (TandemWorkspaceStore *store,
                                             const char           *your_name,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data)
{
  GTask *task;
  Open *op;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (store));

  task = open_task_new (store, cancellable, callback, user_data, &op);
  name = g_strstrip (g_strdup (your_name ? your_name : ""));
  if (*name == '\0')
    {
      fail (task, g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_NAME,
                                       _("Enter your name: the others see it next to your work")));
      g_object_unref (task);
      return;
    }

  id = tandem_workspace_generate_id ();
  op->is_new = TRUE;
  op->your_name = g_strdup (name);
  op->email = email_for_name (name);
  op->password = random_password ();
  op->workspace = tandem_workspace_new (id, TANDEM_WORKSPACE_LOCAL);
  /* Translators: the name of a new local workspace; %s is its owner's name */
  title = g_strdup_printf (_("%s’s Workspace"), name);
  tandem_workspace_set_name (op->workspace, title);
  tandem_workspace_set_display_name (op->workspace, name);
  tandem_workspace_set_email (op->workspace, op->email);
  start_local (task);
}

/* ---- remote workspaces ---- */

static char *
normalize_url (const char *url)
{
  g_autofree char *text = g_strstrip (g_strdup (url ? url : ""));

  while (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  if (*text != '\0' && strstr (text, "://") == NULL)
    return g_strconcat ("https://", text, NULL);
  return g_steal_pointer (&text);
}

/* "https://abcd.supabase.co" → "abcd"; otherwise host[:port]. */
static char *
name_for_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return g_strdup (url);
  if (g_str_has_suffix (host, ".supabase.co") && strchr (host, '.') != NULL)
    return g_strndup (host, strchr (host, '.') - host);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
  return g_strdup (host);
}

static void
settings_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Open *op = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      fail (task, error);  /* translated: unreachable, at the URL */
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      fail (task, g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_KEY,
                                       _("The server refused this key: copy the anon key from the project’s API settings")));
      g_object_unref (task);
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND || (status >= 300 && status < 500))
    {
      fail (task, g_error_new (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_URL,
                               _("No Supabase project answers at this address (HTTP %u)"), status));
      g_object_unref (task);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fail (task, g_error_new (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_UNREACHABLE,
                               _("The server failed (HTTP %u %s); try again later"), status,
                               soup_status_get_phrase (status)));
      g_object_unref (task);
      return;
    }

  if (op->sign_up)
    sign_up (task);
  else
    sign_in (task);
}

void
tandem_workspace_session_create_remote_async (TandemWorkspaceStore *store,
                                              const char           *url,
                                              const char           *api_key,
                                              const char           *email,
                                              const char           *password,
                                              gboolean              sign_up_,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data)
{
  GTask *task;
  Open *op;
  g_autofree char *project_url = normalize_url (url);
  g_autofree char *key = g_strstrip (g_strdup (api_key ? api_key : ""));
  g_autofree char *address = g_strstrip (g_strdup (email ? email : ""));
  g_autofree char *settings_url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autoptr(TandemClient) client = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (store));

  task = open_task_new (store, cancellable, callback, user_data, &op);
  op->is_new = TRUE;
  op->sign_up = sign_up_;

  if (*project_url == '\0')
    error = g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_URL,
                                 _("Enter the project’s address, such as https://project.supabase.co"));
  else if (*key == '\0')
    error = g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_KEY,
                                 _("Enter the project’s anon key"));
  else if (*address == '\0')
    error = g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_EMAIL,
                                 _("Enter your email address"));
  else if (password == NULL || *password == '\0')
    error = g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_CREDENTIALS,
                                 _("Enter your password"));
  else
    client = tandem_client_new (project_url, key, &error);
  if (error != NULL)
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }

  id = tandem_workspace_generate_id ();
  name = name_for_url (project_url);
  op->workspace = tandem_workspace_new (id, TANDEM_WORKSPACE_REMOTE);
  tandem_workspace_set_name (op->workspace, name);
  tandem_workspace_set_url (op->workspace, project_url);
  tandem_workspace_set_email (op->workspace, address);
  op->email = g_strdup (address);
  op->password = g_strdup (password);
  op->api_key = g_strdup (key);
  op->session = _tandem_workspace_session_new (store, op->workspace, client, NULL);

  /* The key is checked on its own first, so a wrong one is named as such. */
  settings_url = g_strconcat (project_url, "/auth/v1/settings", NULL);
  msg = soup_message_new ("GET", settings_url);
  if (msg == NULL)
    {
      fail (task, g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_URL,
                                       _("Enter the project’s address, such as https://project.supabase.co")));
      g_object_unref (task);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "apikey", key);
  soup_session_send_and_read_async (tandem_client_get_session (client), msg, G_PRIORITY_DEFAULT,
                                    cancellable, settings_cb, task);
}

static void
api_key_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Open *op = g_task_get_task_data (task);
  g_autoptr(TandemClient) client = NULL;
  GError *error = NULL;

  op->api_key = tandem_workspace_store_lookup_secret_finish (TANDEM_WORKSPACE_STORE (source), result, &error);
  if (error == NULL && op->api_key == NULL)
    error = g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_INVALID_KEY,
                                 _("The project’s key is no longer in the keyring: connect to the project again"));
  if (error == NULL)
    client = tandem_client_new (tandem_workspace_get_url (op->workspace), op->api_key, &error);
  if (error != NULL)
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }
  op->session = _tandem_workspace_session_new (op->store, op->workspace, client, NULL);
  authenticate_saved (task);
}

void
tandem_workspace_session_open_async (TandemWorkspaceStore *store,
                                     TandemWorkspace      *workspace,
                                     const char           *password,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  GTask *task;
  Open *op;

  g_return_if_fail (TANDEM_IS_WORKSPACE_STORE (store));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));

  task = open_task_new (store, cancellable, callback, user_data, &op);
  op->workspace = g_object_ref (workspace);
  op->email = g_strdup (tandem_workspace_get_email (workspace));
  if (password != NULL && *password != '\0')
    op->password = g_strdup (password);

  if (tandem_workspace_get_kind (workspace) == TANDEM_WORKSPACE_LOCAL)
    start_local (task);
  else
    tandem_workspace_store_lookup_secret_async (store, workspace, TANDEM_SECRET_API_KEY, cancellable,
                                                api_key_found_cb, task);
}

TandemWorkspaceSession *
tandem_workspace_session_open_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_workspace_session_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
