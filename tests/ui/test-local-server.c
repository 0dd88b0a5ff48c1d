/* test-local-server.c: a local workspace's tandem-server as a child process:
 * start, read its URL and keys, stop, start again on the same data folder
 * (same port, same keys)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "tandem-local-server.h"
#include "tandem-workspace-error.h"
#include "ui-test-util.h"

static void
start (TandemLocalServer *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_local_server_start_async (server, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_SERVER_TIMEOUT_MS);
  g_assert_true (tandem_local_server_start_finish (server, result, &error));
  g_assert_no_error (error);
  g_assert_true (tandem_local_server_get_running (server));
}

static void
stop (TandemLocalServer *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_local_server_stop_async (server, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  g_assert_true (tandem_local_server_stop_finish (server, result, &error));
  g_assert_no_error (error);
  g_assert_false (tandem_local_server_get_running (server));
}

static guint
get_status (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    return 0;
  return soup_message_get_status (msg);
}

static void
test_start_stop_restart (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "tandem-test-server", NULL);
  g_autoptr(TandemLocalServer) server = tandem_local_server_new (dir, 0, FALSE);
  g_autofree char *url = NULL;
  g_autofree char *anon = NULL;
  g_autofree char *health = NULL;
  guint port;

  g_assert_false (tandem_local_server_get_running (server));
  start (server);

  url = g_strdup (tandem_local_server_get_url (server));
  anon = g_strdup (tandem_local_server_get_anon_key (server));
  port = tandem_local_server_get_port (server);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_cmpuint (port, >, 0);
  g_assert_nonnull (anon);
  g_assert_true (g_str_has_prefix (anon, "eyJ"));
  g_assert_nonnull (tandem_local_server_get_service_role_key (server));
  g_assert_cmpstr (tandem_local_server_get_service_role_key (server), !=, anon);

  health = g_strconcat (url, "/health", NULL);
  g_assert_cmpuint (get_status (health), ==, 200);

  /* Starting a running server is a no-op. */
  start (server);
  g_assert_cmpstr (tandem_local_server_get_url (server), ==, url);

  stop (server);
  g_assert_cmpuint (get_status (health), ==, 0);  /* nobody listens */
  /* Stopping a stopped server too. */
  stop (server);

  /* Again on the same folder: same port, same keys (the JWT secret stays). */
  start (server);
  g_assert_cmpuint (tandem_local_server_get_port (server), ==, port);
  g_assert_cmpstr (tandem_local_server_get_url (server), ==, url);
  g_assert_cmpstr (tandem_local_server_get_anon_key (server), ==, anon);
  g_assert_cmpuint (get_status (health), ==, 200);
  stop (server);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_exited (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "tandem-test-server", NULL);
  g_autoptr(TandemLocalServer) server = tandem_local_server_new (dir, 0, FALSE);
  g_autoptr(TandemLocalServer) second = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  start (server);
  /* A second server on the folder of a running one cannot start. */
  second = tandem_local_server_new (dir, 0, FALSE);
  tandem_local_server_start_async (second, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_SERVER_TIMEOUT_MS);
  if (tandem_local_server_start_finish (second, result, &error))
    {
      /* tandem-server allows it: nothing more to check here. */
      stop (second);
    }
  else
    {
      g_assert_error (error, TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SERVER_FAILED);
      g_assert_cmpint (tandem_workspace_error_get_field (error), ==, TANDEM_WORKSPACE_FIELD_NAME);
      g_assert_false (tandem_local_server_get_running (second));
    }
  g_assert_true (tandem_local_server_get_running (server));
  stop (server);
}

static void
test_not_installed (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("TANDEM_SERVER"));
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "tandem-never", NULL);
  g_autoptr(TandemLocalServer) server = tandem_local_server_new (dir, 0, FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("TANDEM_SERVER", "/nonexistent/tandem-server", TRUE);
  g_assert_null (tandem_local_server_find_program ());
  tandem_local_server_start_async (server, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  g_assert_false (tandem_local_server_start_finish (server, result, &error));
  g_assert_error (error, TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SERVER_FAILED);
  g_assert_false (tandem_local_server_get_running (server));
  if (saved != NULL)
    g_setenv ("TANDEM_SERVER", saved, TRUE);
  else
    g_unsetenv ("TANDEM_SERVER");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* meson sets it to the tandem-server it built: without it, fail. */
  if (g_getenv ("TANDEM_SERVER") == NULL)
    {
      g_printerr ("Bail out! TANDEM_SERVER is not set (run through meson test)\n");
      return 1;
    }

  g_test_add_func ("/local-server/start-stop-restart", test_start_stop_restart);
  g_test_add_func ("/local-server/second-on-same-folder", test_exited);
  g_test_add_func ("/local-server/not-installed", test_not_installed);

  return g_test_run ();
}
