/* test-workspace-session.c: opening workspaces for real (tandem-server,
 * gnome-keyring): a local one created, restored from its refresh token,
 * signed out; a "Supabase project" (a tandem-server of the test's own)
 * with every kind of mistake, each reported at its field; presence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>

#include "tandem.h"
#include "tandem-local-server.h"
#include "tandem-workspace-secrets.h"
#include "tandem-workspace.h"
#include "tandem-workspace-error.h"
#include "tandem-workspace-session.h"
#include "tandem-workspace-store.h"
#include "ui-test-util.h"

static GSettings *settings;
static TandemWorkspaceStore *store;

static TandemWorkspaceSession *
finish_open (GAsyncResult **result,
             GError       **error)
{
  TandemWorkspaceSession *session;

  UI_TEST_WAIT_RESULT (*result, UI_TEST_SERVER_TIMEOUT_MS);
  session = tandem_workspace_session_open_finish (*result, error);
  g_clear_object (result);
  return session;
}

static TandemWorkspaceSession *
create_local (const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TandemWorkspaceSession *session;

  tandem_workspace_session_create_local_async (store, name, NULL, ui_test_store_result, &result);
  session = finish_open (&result, &error);
  g_assert_no_error (error);
  return session;
}

static TandemWorkspaceSession *
open_saved (TandemWorkspace *workspace,
            const char      *password,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_workspace_session_open_async (store, workspace, password, NULL, ui_test_store_result, &result);
  return finish_open (&result, error);
}

static TandemWorkspaceSession *
create_remote (const char *url,
               const char *key,
               const char *email,
               const char *password,
               gboolean    sign_up,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_workspace_session_create_remote_async (store, url, key, email, password, sign_up, NULL,
                                                ui_test_store_result, &result);
  return finish_open (&result, error);
}

static void
close_session (TandemWorkspaceSession *session,
               gboolean                sign_out)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_workspace_session_close_async (session, sign_out, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  g_assert_true (tandem_workspace_session_close_finish (session, result, &error));
  g_assert_no_error (error);
}

static const char *
own_status (TandemWorkspaceSession *session)
{
  TandemPresence *presence = tandem_workspace_session_get_presence (session);
  TandemPresenceEntry *entry;

  if (presence == NULL)
    return NULL;
  entry = tandem_presence_lookup (presence, tandem_workspace_session_get_user_id (session));
  return entry ? tandem_presence_entry_get_string (entry, "status") : NULL;
}

static void
test_local (void)
{
  g_autoptr(TandemWorkspaceSession) session = NULL;
  g_autoptr(TandemWorkspaceSession) again = NULL;
  g_autoptr(TandemWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  TandemLocalServer *server;
  TandemPresenceEntry *entry;
  const char *id;

  session = create_local ("Grace Hopper");
  workspace = g_object_ref (tandem_workspace_session_get_workspace (session));
  id = tandem_workspace_get_id (workspace);
  server = tandem_workspace_session_get_local_server (session);
  g_assert_nonnull (server);
  g_assert_true (tandem_local_server_get_running (server));

  /* Saved, and last. */
  g_assert_true (tandem_workspace_store_lookup (store, id) == workspace);
  g_assert_true (tandem_workspace_store_get_last (store) == workspace);
  g_assert_cmpint (tandem_workspace_get_kind (workspace), ==, TANDEM_WORKSPACE_LOCAL);
  g_assert_cmpstr (tandem_workspace_get_email (workspace), ==, "grace.hopper@tandem.local");
  g_assert_cmpstr (tandem_workspace_get_display_name (workspace), ==, "Grace Hopper");
  g_assert_cmpstr (tandem_workspace_session_get_display_name (session), ==, "Grace Hopper");
  g_assert_cmpuint (tandem_workspace_get_port (workspace), ==, tandem_local_server_get_port (server));
  {
    g_autofree char *data_dir = tandem_workspace_dup_data_dir (workspace);
    g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "tandem", "workspaces", id, NULL);

    g_assert_cmpstr (data_dir, ==, expected);
    g_assert_cmpstr (tandem_local_server_get_data_dir (server), ==, expected);
  }

  /* The password and the session are in the keyring, not in GSettings. */
  TANDEM_WAIT_UNTIL_TIMEOUT ((g_free (password), password = ui_test_lookup_secret (id, TANDEM_SECRET_PASSWORD)) != NULL,
                             UI_TEST_TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT ((g_free (token), token = ui_test_lookup_secret (id, TANDEM_SECRET_REFRESH_TOKEN)) != NULL,
                             UI_TEST_TIMEOUT_MS);
  g_assert_cmpuint (strlen (password), >=, 24);
  g_assert_false (ui_test_settings_contain (settings, password));
  g_assert_false (ui_test_settings_contain (settings, token));
  g_assert_false (ui_test_settings_contain (settings, tandem_local_server_get_anon_key (server)));

  /* Connected, and present with one's name, color and status. */
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_client_get_status (tandem_workspace_session_get_client (session))
                             == TANDEM_STATUS_CONNECTED, UI_TEST_TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (own_status (session), "online") == 0, UI_TEST_TIMEOUT_MS);
  entry = tandem_presence_lookup (tandem_workspace_session_get_presence (session),
                                  tandem_workspace_session_get_user_id (session));
  g_assert_cmpstr (tandem_presence_entry_get_string (entry, "name"), ==, "Grace Hopper");
  g_assert_true (g_str_has_prefix (tandem_presence_entry_get_string (entry, "color"), "#"));
  g_assert_nonnull (tandem_presence_entry_get_string (entry, "online_at"));

  tandem_workspace_session_set_status (session, TANDEM_USER_DND);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (own_status (session), "dnd") == 0, UI_TEST_TIMEOUT_MS);
  /* Invisible: not tracked at all. */
  tandem_workspace_session_set_status (session, TANDEM_USER_INVISIBLE);
  TANDEM_WAIT_UNTIL_TIMEOUT (own_status (session) == NULL, UI_TEST_TIMEOUT_MS);
  tandem_workspace_session_set_status (session, TANDEM_USER_ONLINE);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_strcmp0 (own_status (session), "online") == 0, UI_TEST_TIMEOUT_MS);

  /* Closed without signing out: the server stops, the session stays. */
  close_session (session, FALSE);
  g_assert_false (tandem_local_server_get_running (server));
  g_clear_object (&session);

  /* Restored from the refresh token alone: take the password away first. */
  g_assert_true (secret_password_clear_sync (tandem_workspace_secrets_get_schema (), NULL, NULL,
                                             "workspace", id, "kind", "password", NULL));
  again = open_saved (workspace, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_workspace_session_get_display_name (again), ==, "Grace Hopper");
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_client_get_status (tandem_workspace_session_get_client (again))
                             == TANDEM_STATUS_CONNECTED, UI_TEST_TIMEOUT_MS);
  /* The token rotated, and the keyring has the new one. */
  TANDEM_WAIT_UNTIL_TIMEOUT (({ g_autofree char *now = ui_test_lookup_secret (id, TANDEM_SECRET_REFRESH_TOKEN);
                                now != NULL && g_strcmp0 (now, token) != 0; }), UI_TEST_TIMEOUT_MS);

  /* Signed out: the token is forgotten; with no password either, the
   * password is asked for (at its field). */
  close_session (again, TRUE);
  g_clear_object (&again);
  g_clear_pointer (&token, g_free);
  token = ui_test_lookup_secret (id, TANDEM_SECRET_REFRESH_TOKEN);
  g_assert_null (token);
  again = open_saved (workspace, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED);
  g_assert_cmpint (tandem_workspace_error_get_field (error), ==, TANDEM_WORKSPACE_FIELD_PASSWORD);

  tandem_workspace_store_remove (store, workspace);
}

static void
assert_field (GError               *error,
              int                   code,
              TandemWorkspaceField  field)
{
  g_assert_error (error, TANDEM_WORKSPACE_ERROR, code);
  g_assert_cmpint (tandem_workspace_error_get_field (error), ==, field);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_remote (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "tandem-test-project", NULL);
  g_autoptr(TandemLocalServer) project = tandem_local_server_new (dir, 0, FALSE);
  g_autoptr(TandemWorkspaceSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unreachable = NULL;
  g_autofree char *wrong_path = NULL;
  g_autofree char *key = NULL;
  TandemWorkspace *workspace;
  const char *url, *anon;
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (store));

  tandem_local_server_start_async (project, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_SERVER_TIMEOUT_MS);
  g_assert_true (tandem_local_server_start_finish (project, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  url = tandem_local_server_get_url (project);
  anon = tandem_local_server_get_anon_key (project);

  /* A new account. */
  session = create_remote (url, anon, "linus@example.com", "correct horse battery", TRUE, &error);
  g_assert_no_error (error);
  workspace = tandem_workspace_session_get_workspace (session);
  g_assert_cmpint (tandem_workspace_get_kind (workspace), ==, TANDEM_WORKSPACE_REMOTE);
  g_assert_cmpstr (tandem_workspace_get_url (workspace), ==, url);
  g_assert_cmpstr (tandem_workspace_get_email (workspace), ==, "linus@example.com");
  g_assert_cmpstr (tandem_workspace_session_get_display_name (session), ==, "linus");
  TANDEM_WAIT_UNTIL_TIMEOUT ((g_free (key), key = ui_test_lookup_secret (tandem_workspace_get_id (workspace),
                                                                         TANDEM_SECRET_API_KEY)) != NULL,
                             UI_TEST_TIMEOUT_MS);
  g_assert_cmpstr (key, ==, anon);
  g_assert_false (ui_test_settings_contain (settings, anon));
  g_assert_false (ui_test_settings_contain (settings, "correct horse"));
  close_session (session, FALSE);
  g_clear_object (&session);

  /* Opened again from the keyring (key and refresh token). */
  {
    g_autoptr(TandemWorkspace) saved = g_object_ref (tandem_workspace_store_get_last (store));

    session = open_saved (saved, NULL, &error);
    g_assert_no_error (error);
    close_session (session, FALSE);
    g_clear_object (&session);
  }

  /* Every mistake, at its field. */
  session = create_remote ("", anon, "linus@example.com", "x", FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_INVALID_URL, TANDEM_WORKSPACE_FIELD_URL);
  g_clear_error (&error);

  session = create_remote ("ftp://files.example.com", anon, "linus@example.com", "x", FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_INVALID_URL, TANDEM_WORKSPACE_FIELD_URL);
  g_clear_error (&error);

  wrong_path = g_strconcat (url, "/not-supabase", NULL);
  session = create_remote (wrong_path, anon, "linus@example.com", "correct horse battery", FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_INVALID_URL, TANDEM_WORKSPACE_FIELD_URL);
  g_clear_error (&error);

  session = create_remote (url, "", "linus@example.com", "x", FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_INVALID_KEY, TANDEM_WORKSPACE_FIELD_KEY);
  g_clear_error (&error);

  session = create_remote (url, "eyJhbGciOiJIUzI1NiJ9.e30.wrong", "linus@example.com", "correct horse battery",
                           FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_INVALID_KEY, TANDEM_WORKSPACE_FIELD_KEY);
  g_clear_error (&error);

  session = create_remote (url, anon, "", "x", FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_INVALID_EMAIL, TANDEM_WORKSPACE_FIELD_EMAIL);
  g_clear_error (&error);

  session = create_remote (url, anon, "linus@example.com", "wrong password", FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_INVALID_CREDENTIALS, TANDEM_WORKSPACE_FIELD_PASSWORD);
  g_clear_error (&error);

  session = create_remote (url, anon, "linus@example.com", "correct horse battery", TRUE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_USER_EXISTS, TANDEM_WORKSPACE_FIELD_EMAIL);
  g_clear_error (&error);

  unreachable = g_strdup_printf ("http://127.0.0.1:%u", tandem_test_find_free_port ());
  session = create_remote (unreachable, anon, "linus@example.com", "correct horse battery", FALSE, &error);
  assert_field (error, TANDEM_WORKSPACE_ERROR_UNREACHABLE, TANDEM_WORKSPACE_FIELD_URL);
  g_clear_error (&error);

  /* None of the failures was saved. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n_before + 1);

  /* The server down: the saved workspace says so at the URL. */
  {
    g_autoptr(TandemWorkspace) saved = g_object_ref (tandem_workspace_store_get_last (store));
    g_autoptr(GAsyncResult) stopped = NULL;

    tandem_local_server_stop_async (project, NULL, ui_test_store_result, &stopped);
    UI_TEST_WAIT_RESULT (stopped, UI_TEST_TIMEOUT_MS);
    g_assert_true (tandem_local_server_stop_finish (project, stopped, NULL));
    session = open_saved (saved, NULL, &error);
    g_assert_null (session);
    assert_field (error, TANDEM_WORKSPACE_ERROR_UNREACHABLE, TANDEM_WORKSPACE_FIELD_URL);
    g_clear_error (&error);
    tandem_workspace_store_remove (store, saved);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* meson sets it to the tandem-server it built: without it, fail. */
  if (g_getenv ("TANDEM_SERVER") == NULL)
    {
      g_printerr ("Bail out! TANDEM_SERVER is not set (run through meson test)\n");
      return 1;
    }

  settings = g_settings_new ("org.gnome.Tandem");
  store = tandem_workspace_store_new (settings);

  g_test_add_func ("/workspace-session/local", test_local);
  g_test_add_func ("/workspace-session/remote", test_remote);
  status = g_test_run ();

  tandem_test_run_for (100);
  g_assert_finalize_object (store);
  g_clear_object (&settings);
  return status;
}
