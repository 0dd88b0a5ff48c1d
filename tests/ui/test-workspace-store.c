/* test-workspace-store.c: the saved workspaces (GSettings) and their
 * secrets (the real libsecret, on gnome-keyring under dbus-run-session:
 * see keyring-env.sh), and what errors say to the sign-in form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "tandem.h"
#include "tandem-workspace.h"
#include "tandem-workspace-error.h"
#include "tandem-workspace-store.h"
#include "ui-test-util.h"

typedef struct
{
  GSettings            *settings;
  TandemWorkspaceStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->settings = g_settings_new ("org.gnome.Tandem");
  fixture->store = tandem_workspace_store_new (fixture->settings);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  /* Leave nothing for the next test: the memory backend is per process. */
  while (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)) > 0)
    {
      g_autoptr(TandemWorkspace) workspace = g_list_model_get_item (G_LIST_MODEL (fixture->store), 0);

      tandem_workspace_store_remove (fixture->store, workspace);
    }
  tandem_test_run_for (50);  /* the keyring clears */
  g_assert_finalize_object (fixture->store);
  g_clear_object (&fixture->settings);
}

static TandemWorkspace *
make_workspace (const char          *id,
                TandemWorkspaceKind  kind,
                const char          *name)
{
  TandemWorkspace *workspace = tandem_workspace_new (id, kind);

  tandem_workspace_set_name (workspace, name);
  tandem_workspace_set_url (workspace, kind == TANDEM_WORKSPACE_REMOTE ? "https://abcd.supabase.co" : "http://127.0.0.1:5000");
  tandem_workspace_set_email (workspace, "ada@example.com");
  tandem_workspace_set_display_name (workspace, "Ada");
  tandem_workspace_set_port (workspace, kind == TANDEM_WORKSPACE_LOCAL ? 5000 : 0);
  return workspace;
}

static void
count_cb (GListModel *model,
          guint       position,
          guint       removed,
          guint       added,
          guint      *count)
{
  (*count)++;
}

static void
test_save_and_list (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TandemWorkspace) local = make_workspace ("aaaa00000001", TANDEM_WORKSPACE_LOCAL, "Ada’s Workspace");
  g_autoptr(TandemWorkspace) remote = make_workspace ("bbbb00000002", TANDEM_WORKSPACE_REMOTE, "abcd");
  g_autoptr(TandemWorkspaceStore) again = NULL;
  g_autoptr(TandemWorkspace) first = NULL;
  TandemWorkspace *found;
  guint changes = 0;

  g_signal_connect (fixture->store, "items-changed", G_CALLBACK (count_cb), &changes);

  tandem_workspace_store_add (fixture->store, local);
  tandem_workspace_store_add (fixture->store, remote);
  tandem_workspace_store_add (fixture->store, remote);  /* twice: once */
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 2);
  g_assert_true (tandem_workspace_store_lookup (fixture->store, "bbbb00000002") == remote);

  /* A change after saving is saved too. */
  tandem_workspace_set_port (local, 5001);

  /* Another store over the same settings: what the next start sees. */
  again = tandem_workspace_store_new (fixture->settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (tandem_workspace_get_id (first), ==, "aaaa00000001");
  g_assert_cmpint (tandem_workspace_get_kind (first), ==, TANDEM_WORKSPACE_LOCAL);
  g_assert_cmpstr (tandem_workspace_get_name (first), ==, "Ada’s Workspace");
  g_assert_cmpstr (tandem_workspace_get_email (first), ==, "ada@example.com");
  g_assert_cmpstr (tandem_workspace_get_display_name (first), ==, "Ada");
  g_assert_cmpuint (tandem_workspace_get_port (first), ==, 5001);
  found = tandem_workspace_store_lookup (again, "bbbb00000002");
  g_assert_nonnull (found);
  g_assert_cmpint (tandem_workspace_get_kind (found), ==, TANDEM_WORKSPACE_REMOTE);
  g_assert_cmpstr (tandem_workspace_get_url (found), ==, "https://abcd.supabase.co");

  /* Removing forgets it for good. */
  tandem_workspace_store_remove (fixture->store, local);
  g_assert_cmpuint (changes, ==, 3);
  g_clear_object (&again);
  again = tandem_workspace_store_new (fixture->settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_null (tandem_workspace_store_lookup (again, "aaaa00000001"));
  g_signal_handlers_disconnect_by_data (fixture->store, &changes);
}

static void
test_switch (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TandemWorkspace) one = make_workspace ("cccc00000001", TANDEM_WORKSPACE_LOCAL, "One");
  g_autoptr(TandemWorkspace) two = make_workspace ("cccc00000002", TANDEM_WORKSPACE_REMOTE, "Two");
  g_autoptr(TandemWorkspaceStore) again = NULL;

  g_assert_null (tandem_workspace_store_get_last (fixture->store));
  tandem_workspace_store_add (fixture->store, one);
  tandem_workspace_store_add (fixture->store, two);

  tandem_workspace_store_set_last (fixture->store, one);
  g_assert_true (tandem_workspace_store_get_last (fixture->store) == one);
  tandem_workspace_store_set_last (fixture->store, two);
  g_assert_true (tandem_workspace_store_get_last (fixture->store) == two);

  again = tandem_workspace_store_new (fixture->settings);
  g_assert_cmpstr (tandem_workspace_get_id (tandem_workspace_store_get_last (again)), ==, "cccc00000002");

  /* The last one removed: no last one. */
  tandem_workspace_store_remove (fixture->store, two);
  g_assert_null (tandem_workspace_store_get_last (fixture->store));
}

static void
test_ignores_bad_ids (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *ids[] = { "dddd00000001", "../../etc", "", "dddd00000001", NULL };
  g_autoptr(TandemWorkspaceStore) store = NULL;

  g_settings_set_strv (fixture->settings, "workspaces", ids);
  g_test_expect_message ("tandem-workspace-store", G_LOG_LEVEL_WARNING, "*not a valid id*");
  g_test_expect_message ("tandem-workspace-store", G_LOG_LEVEL_WARNING, "*not a valid id*");
  g_test_expect_message ("tandem-workspace-store", G_LOG_LEVEL_WARNING, "*not a valid id*");
  store = tandem_workspace_store_new (fixture->settings);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_clear_object (&store);
  g_settings_reset (fixture->settings, "workspaces");
}

static void
save_secret (TandemWorkspaceStore *store,
             TandemWorkspace      *workspace,
             TandemSecretKind      kind,
             const char           *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_workspace_store_save_secret_async (store, workspace, kind, secret, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  g_assert_true (tandem_workspace_store_save_secret_finish (store, result, &error));
  g_assert_no_error (error);
}

static char *
lookup_secret (TandemWorkspaceStore *store,
               TandemWorkspace      *workspace,
               TandemSecretKind      kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  tandem_workspace_store_lookup_secret_async (store, workspace, kind, NULL, ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  secret = tandem_workspace_store_lookup_secret_finish (store, result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
test_secrets (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TandemWorkspace) one = make_workspace ("eeee00000001", TANDEM_WORKSPACE_REMOTE, "One");
  g_autoptr(TandemWorkspace) two = make_workspace ("eeee00000002", TANDEM_WORKSPACE_LOCAL, "Two");
  const char *key = "eyJhbGciOiJIUzI1NiJ9.anon-key-secret-1";
  const char *token = "refresh-token-secret-2";
  const char *password = "p4ssw0rd-secret-3";
  g_autofree char *found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tandem_workspace_store_add (fixture->store, one);
  tandem_workspace_store_add (fixture->store, two);

  save_secret (fixture->store, one, TANDEM_SECRET_API_KEY, key);
  save_secret (fixture->store, one, TANDEM_SECRET_REFRESH_TOKEN, token);
  save_secret (fixture->store, two, TANDEM_SECRET_PASSWORD, password);

  /* Through the store and straight from libsecret, under our schema. */
  found = lookup_secret (fixture->store, one, TANDEM_SECRET_API_KEY);
  g_assert_cmpstr (found, ==, key);
  g_clear_pointer (&found, g_free);
  found = ui_test_lookup_secret ("eeee00000001", TANDEM_SECRET_REFRESH_TOKEN);
  g_assert_cmpstr (found, ==, token);
  g_clear_pointer (&found, g_free);
  found = ui_test_lookup_secret ("eeee00000002", TANDEM_SECRET_PASSWORD);
  g_assert_cmpstr (found, ==, password);
  g_clear_pointer (&found, g_free);
  /* Kinds and workspaces do not mix. */
  g_assert_null (lookup_secret (fixture->store, one, TANDEM_SECRET_PASSWORD));
  g_assert_null (lookup_secret (fixture->store, two, TANDEM_SECRET_API_KEY));

  /* A rotated token replaces the old one. */
  save_secret (fixture->store, one, TANDEM_SECRET_REFRESH_TOKEN, "refresh-token-secret-4");
  found = lookup_secret (fixture->store, one, TANDEM_SECRET_REFRESH_TOKEN);
  g_assert_cmpstr (found, ==, "refresh-token-secret-4");
  g_clear_pointer (&found, g_free);

  /* Never in GSettings. */
  g_assert_true (ui_test_settings_contain (fixture->settings, "ada@example.com"));  /* the probe works */
  g_assert_false (ui_test_settings_contain (fixture->settings, "secret"));

  /* Clearing one kind. */
  tandem_workspace_store_clear_secret_async (fixture->store, one, TANDEM_SECRET_REFRESH_TOKEN, NULL,
                                             ui_test_store_result, &result);
  UI_TEST_WAIT_RESULT (result, UI_TEST_TIMEOUT_MS);
  g_assert_true (tandem_workspace_store_clear_secret_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_assert_null (lookup_secret (fixture->store, one, TANDEM_SECRET_REFRESH_TOKEN));
  found = lookup_secret (fixture->store, one, TANDEM_SECRET_API_KEY);
  g_assert_cmpstr (found, ==, key);
  g_clear_pointer (&found, g_free);

  /* Removing a workspace removes its secrets. */
  tandem_workspace_store_remove (fixture->store, one);
  TANDEM_WAIT_UNTIL_TIMEOUT (({ g_autofree char *left = ui_test_lookup_secret ("eeee00000001", TANDEM_SECRET_API_KEY);
                                left == NULL; }), UI_TEST_TIMEOUT_MS);
  found = ui_test_lookup_secret ("eeee00000002", TANDEM_SECRET_PASSWORD);
  g_assert_cmpstr (found, ==, password);
}

static void
test_error_fields (void)
{
  struct {
    GQuark domain;
    int code;
    const char *gotrue_code;
    TandemWorkspaceField field;
  } cases[] = {
    { 0, TANDEM_CLIENT_ERROR_INVALID_URL, NULL, TANDEM_WORKSPACE_FIELD_URL },
    { 0, TANDEM_CLIENT_ERROR_CONNECTION, NULL, TANDEM_WORKSPACE_FIELD_URL },
    { 1, G_IO_ERROR_CONNECTION_REFUSED, NULL, TANDEM_WORKSPACE_FIELD_URL },
    { 2, TANDEM_AUTH_ERROR_INVALID_CREDENTIALS, NULL, TANDEM_WORKSPACE_FIELD_PASSWORD },
    { 2, TANDEM_AUTH_ERROR_WEAK_PASSWORD, NULL, TANDEM_WORKSPACE_FIELD_PASSWORD },
    { 2, TANDEM_AUTH_ERROR_USER_EXISTS, NULL, TANDEM_WORKSPACE_FIELD_EMAIL },
    { 2, TANDEM_AUTH_ERROR_VALIDATION, NULL, TANDEM_WORKSPACE_FIELD_EMAIL },
    { 2, TANDEM_AUTH_ERROR_NETWORK, NULL, TANDEM_WORKSPACE_FIELD_URL },
    { 2, TANDEM_AUTH_ERROR_SESSION_EXPIRED, NULL, TANDEM_WORKSPACE_FIELD_PASSWORD },
    { 2, TANDEM_AUTH_ERROR_SERVER, NULL, TANDEM_WORKSPACE_FIELD_NONE },
    { 3, TANDEM_WORKSPACE_ERROR_INVALID_KEY, NULL, TANDEM_WORKSPACE_FIELD_KEY },
    { 3, TANDEM_WORKSPACE_ERROR_INVALID_NAME, NULL, TANDEM_WORKSPACE_FIELD_NAME },
    { 3, TANDEM_WORKSPACE_ERROR_SERVER_FAILED, NULL, TANDEM_WORKSPACE_FIELD_NAME },
    { 3, TANDEM_WORKSPACE_ERROR_KEYRING, NULL, TANDEM_WORKSPACE_FIELD_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domains[] = { TANDEM_CLIENT_ERROR, G_IO_ERROR, TANDEM_AUTH_ERROR, TANDEM_WORKSPACE_ERROR };
      g_autoptr(GError) error = g_error_new (domains[cases[i].domain], cases[i].code, "technical %u", i);
      g_autoptr(GError) translated = NULL;

      g_assert_cmpint (tandem_workspace_error_get_field (error), ==, cases[i].field);
      translated = tandem_workspace_error_translate (g_error_copy (error));
      g_assert_cmpint (tandem_workspace_error_get_field (translated), ==, cases[i].field);
      /* What people read is not the bare technical text. */
      if (cases[i].field != TANDEM_WORKSPACE_FIELD_NONE && cases[i].domain != 3)
        g_assert_cmpstr (translated->message, !=, error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/workspace-store/save-and-list", Fixture, NULL, fixture_setup, test_save_and_list, fixture_teardown);
  g_test_add ("/workspace-store/switch", Fixture, NULL, fixture_setup, test_switch, fixture_teardown);
  g_test_add ("/workspace-store/ignores-bad-ids", Fixture, NULL, fixture_setup, test_ignores_bad_ids, fixture_teardown);
  g_test_add ("/workspace-store/secrets", Fixture, NULL, fixture_setup, test_secrets, fixture_teardown);
  g_test_add_func ("/workspace-error/fields", test_error_fields);

  return g_test_run ();
}
