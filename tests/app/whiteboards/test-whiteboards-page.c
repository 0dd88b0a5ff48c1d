/* test-whiteboards-page.c: the Whiteboards page with real widgets (under
 * Xvfb, GSK_RENDERER=cairo) against a throwaway PostgreSQL and
 * tandem-server
 *
 * The page lists, creates, renames, opens and deletes boards, and works
 * 360 px wide; it follows the boards another client creates, renames and
 * deletes live, and what changed while the server was down once it is
 * back. (A board's view is test-whiteboard-view.c.)
 *
 * Every wait is on a condition, with generous bounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tandem.h"
#include "tandem-board-sync.h"
#include "tandem-test-client.h"
#include "tandem-whiteboard-view.h"
#include "tandem-whiteboards-page-private.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

#define TIMEOUT_MS 30000
#define RESTART_MS 90000

static TandemTestPg *pg;
static TandemTestServer *server;
static char *tmpdir;

/* ---- helpers ---- */

static TandemClient *
signed_in_client (void)
{
  return tandem_test_client_new_signed_up (tandem_test_server_get_url (server), tandem_test_server_get_anon_key (server),
                                           "wb", TIMEOUT_MS, NULL);
}

static char *
create_board (const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO public.whiteboards (name) VALUES ('%s') RETURNING id", name);
  PGresult *result = tandem_test_pg_query (pg, sql);
  char *id = g_strdup (PQgetvalue (result, 0, 0));

  PQclear (result);
  return id;
}

/* ---- the page ---- */

static gboolean
has_board (TandemWhiteboardsPage *page,
           const char            *name,
           char                 **id)
{
  g_auto(GStrv) boards = tandem_whiteboards_page_dup_boards (page);

  for (guint i = 0; boards[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (boards[i], "\t", 2);

      if (g_str_equal (parts[1], name))
        {
          if (id != NULL)
            *id = g_strdup (parts[0]);
          return TRUE;
        }
    }
  return FALSE;
}

/* Listed by name. */
static void
assert_sorted (TandemWhiteboardsPage *page)
{
  g_auto(GStrv) boards = tandem_whiteboards_page_dup_boards (page);

  for (guint i = 1; boards[i] != NULL; i++)
    {
      const char *prev = strchr (boards[i - 1], '\t') + 1, *cur = strchr (boards[i], '\t') + 1;

      g_assert_cmpint (g_utf8_collate (prev, cur), <=, 0);
    }
}

static void
answer_dialog (TandemWhiteboardsPage *page,
               const char            *name,
               const char            *response)
{
  GtkWindow *dialog;

  TANDEM_WAIT_UNTIL_TIMEOUT (_tandem_whiteboards_page_get_dialog (page) != NULL, TIMEOUT_MS);
  dialog = _tandem_whiteboards_page_get_dialog (page);
  if (name != NULL)
    gtk_editable_set_text (_tandem_whiteboards_page_get_dialog_entry (page), name);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  /* (A click on the button closes it too.) */
  gtk_window_destroy (dialog);
  TANDEM_WAIT_UNTIL_TIMEOUT (_tandem_whiteboards_page_get_dialog (page) == NULL, TIMEOUT_MS);
}

static void
test_page (void)
{
  g_autoptr(TandemClient) client = signed_in_client ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TandemWhiteboardsPage *page = TANDEM_WHITEBOARDS_PAGE (tandem_whiteboards_page_new ());
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *other = create_board ("Someone else’s board");
  guint fetches;

  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "signed-out");

  g_object_set (page, "client", client, NULL);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_whiteboards_page_get_n_fetches (page) >= 1, TIMEOUT_MS);
  /* (Once live, the fetches counted below are the page's own.) */
  TANDEM_WAIT_UNTIL_TIMEOUT (_tandem_whiteboards_page_get_live (page), TIMEOUT_MS);
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "list");
  g_assert_true (has_board (page, "Someone else’s board", &other_id));
  g_assert_cmpstr (other_id, ==, other);
  g_assert_nonnull (tandem_whiteboards_page_get_outbox (page));

  /* New */
  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.new", NULL);
  answer_dialog (page, "  Zebra board ", "create");
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "Zebra board", &id), TIMEOUT_MS);

  assert_sorted (page);

  /* Rename; a blank name changes nothing */
  fetches = tandem_whiteboards_page_get_n_fetches (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.rename", "s", id);
  answer_dialog (page, "   ", "rename");
  tandem_test_run_for (200);
  g_assert_cmpuint (tandem_whiteboards_page_get_n_fetches (page), ==, fetches);
  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.rename", "s", id);
  answer_dialog (page, "Aardvark board", "rename");
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "Aardvark board", NULL), TIMEOUT_MS);
  g_assert_false (has_board (page, "Zebra board", NULL));

  /* Open it, and back */
  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.open", "s", id);
  g_assert_nonnull (tandem_whiteboards_page_get_view (page));
  g_assert_cmpstr (tandem_whiteboard_view_get_board_id (tandem_whiteboards_page_get_view (page)), ==, id);
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "board");
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_board_sync_get_loaded (tandem_whiteboard_view_get_sync (
                               tandem_whiteboards_page_get_view (page))), TIMEOUT_MS);

  /* 360 px wide: everything still fits (the toolbar scrolls). */
  gtk_window_set_default_size (window, 360, 640);
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_width (GTK_WIDGET (window)) <= 400, TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_width (GTK_WIDGET (tandem_whiteboards_page_get_view (page))) > 0 &&
                             gtk_widget_get_width (GTK_WIDGET (tandem_whiteboards_page_get_view (page))) <= 400,
                             TIMEOUT_MS);

  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.back", NULL);
  g_assert_null (tandem_whiteboards_page_get_view (page));
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "list");

  /* Delete: cancelled, then confirmed */
  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.delete", "s", id);
  answer_dialog (page, NULL, "cancel");
  tandem_test_run_for (200);
  g_assert_true (has_board (page, "Aardvark board", NULL));
  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.delete", "s", id);
  answer_dialog (page, NULL, "delete");
  TANDEM_WAIT_UNTIL_TIMEOUT (!has_board (page, "Aardvark board", NULL), TIMEOUT_MS);

  /* Someone else's board is not ours to delete: a toast, still listed. */
  fetches = tandem_whiteboards_page_get_n_fetches (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.delete", "s", other_id);
  answer_dialog (page, NULL, "delete");
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_whiteboards_page_get_n_fetches (page) > fetches, TIMEOUT_MS);
  g_assert_true (has_board (page, "Someone else’s board", NULL));

  /* Signed out */
  g_object_set (page, "client", NULL, NULL);
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "signed-out");
  g_assert_null (tandem_whiteboards_page_get_outbox (page));

  gtk_window_destroy (window);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0, TIMEOUT_MS);
  tandem_client_disconnect (client);
}

/* @query (a write) run to its end: the rows written. */
static JsonArray *
run_write (TandemQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = NULL;

  tandem_query_returning (query, TRUE);
  tandem_query_execute_async (query, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  rows = tandem_query_execute_finish (query, result, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (rows));
  return json_array_ref (json_node_get_array (rows));
}

static char *
other_creates (TandemClient *other,
               const char   *name)
{
  g_autoptr(TandemQuery) query = tandem_client_from (other, "whiteboards");
  g_autoptr(JsonObject) row = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) rows = NULL;

  json_object_set_string_member (row, "name", name);
  node = json_node_init_object (json_node_alloc (), row);
  tandem_query_insert (query, node);
  rows = run_write (query);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (rows, 0), "id"));
}

static void
other_renames (TandemClient *other,
               const char   *id,
               const char   *name)
{
  g_autoptr(TandemQuery) query = tandem_client_from (other, "whiteboards");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonArray) rows = NULL;

  json_object_set_string_member (values, "name", name);
  tandem_query_update (query, values);
  tandem_query_eq (query, "id", id);
  rows = run_write (query);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
}

static void
other_deletes (TandemClient *other,
               const char   *id)
{
  g_autoptr(TandemQuery) query = tandem_client_from (other, "whiteboards");
  g_autoptr(JsonArray) rows = NULL;

  tandem_query_delete (query);
  tandem_query_eq (query, "id", id);
  rows = run_write (query);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
}

static void sql (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
sql (const char *format,
     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  tandem_test_pg_exec (pg, text);
}

/* The list follows what another client does, without fetching it again;
 * after the server was down, the rejoin fetches what changed meanwhile. */
static void
test_page_live (void)
{
  g_autoptr(TandemClient) client = signed_in_client ();
  g_autoptr(TandemClient) other = signed_in_client ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TandemWhiteboardsPage *page = TANDEM_WHITEBOARDS_PAGE (tandem_whiteboards_page_new ());
  g_autofree char *id = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *open_id = NULL;
  g_autofree char *kept = create_board ("Kept while away");
  g_autofree char *gone = create_board ("Deleted while away");
  g_autofree char *made = NULL;
  guint fetches;

  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  tandem_whiteboards_page_set_client (page, client);
  TANDEM_WAIT_UNTIL_TIMEOUT (_tandem_whiteboards_page_get_live (page), TIMEOUT_MS);
  g_assert_true (has_board (page, "Kept while away", NULL));
  fetches = tandem_whiteboards_page_get_n_fetches (page);

  /* Created, renamed (moving in the list) and deleted by someone else. */
  id = other_creates (other, "Zz live board");
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "Zz live board", &seen), TIMEOUT_MS);
  g_assert_cmpstr (seen, ==, id);
  assert_sorted (page);
  other_renames (other, id, "Aa live board");
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "Aa live board", NULL), TIMEOUT_MS);
  g_assert_false (has_board (page, "Zz live board", NULL));
  assert_sorted (page);
  other_deletes (other, id);
  TANDEM_WAIT_UNTIL_TIMEOUT (!has_board (page, "Aa live board", NULL), TIMEOUT_MS);

  /* A board open here that someone deletes closes. */
  open_id = other_creates (other, "Open here");
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "Open here", NULL), TIMEOUT_MS);
  tandem_whiteboards_page_open (page, open_id);
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "board");
  other_deletes (other, open_id);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_whiteboards_page_get_view (page) == NULL, TIMEOUT_MS);
  g_assert_false (has_board (page, "Open here", NULL));
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "list");

  /* All of it live: no fetch. */
  g_assert_cmpuint (tandem_whiteboards_page_get_n_fetches (page), ==, fetches);

  /* Down: what changes meanwhile reaches nobody live... */
  tandem_test_server_stop (server);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_client_get_status (client) != TANDEM_STATUS_CONNECTED, TIMEOUT_MS);
  made = create_board ("Made while away");
  sql ("UPDATE public.whiteboards SET name = 'Renamed while away' WHERE id = '%s'", kept);
  sql ("DELETE FROM public.whiteboards WHERE id = '%s'", gone);
  tandem_test_run_for (200);
  g_assert_true (has_board (page, "Kept while away", NULL));
  g_assert_true (has_board (page, "Deleted while away", NULL));

  /* ...and is fetched once the channel is joined again. */
  tandem_test_server_restart (server);
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "Made while away", NULL), RESTART_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (_tandem_whiteboards_page_get_live (page), TIMEOUT_MS);
  g_assert_true (has_board (page, "Renamed while away", &seen));
  g_assert_cmpstr (seen, ==, kept);
  g_assert_false (has_board (page, "Kept while away", NULL));
  g_assert_false (has_board (page, "Deleted while away", NULL));
  g_assert_cmpuint (tandem_whiteboards_page_get_n_fetches (page), >, fetches);
  assert_sorted (page);

  /* Live again. */
  fetches = tandem_whiteboards_page_get_n_fetches (page);
  g_clear_pointer (&id, g_free);
  id = other_creates (other, "After the rejoin");
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "After the rejoin", NULL), TIMEOUT_MS);
  g_assert_cmpuint (tandem_whiteboards_page_get_n_fetches (page), ==, fetches);

  gtk_window_destroy (window);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0, TIMEOUT_MS);
  tandem_client_disconnect (client);
  tandem_client_disconnect (other);
}

/* An empty workspace: the status page with its New Whiteboard button. */
static void
test_page_empty (void)
{
  g_autoptr(TandemClient) client = signed_in_client ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TandemWhiteboardsPage *page = TANDEM_WHITEBOARDS_PAGE (tandem_whiteboards_page_new ());

  tandem_test_pg_exec (pg, "DELETE FROM public.whiteboards");
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  tandem_whiteboards_page_set_client (page, client);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_whiteboards_page_get_n_fetches (page) >= 1, TIMEOUT_MS);
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "empty");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "whiteboards.new", NULL));
  answer_dialog (page, "First", "create");
  TANDEM_WAIT_UNTIL_TIMEOUT (has_board (page, "First", NULL), TIMEOUT_MS);
  g_assert_cmpstr (_tandem_whiteboards_page_get_shown (page), ==, "list");

  gtk_window_destroy (window);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0, TIMEOUT_MS);
  tandem_client_disconnect (client);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The page's outbox goes to the cache: a throwaway one. */
  tmpdir = tandem_test_make_tmpdir ("whiteboards-page-ui");
  {
    g_autofree char *cache = g_build_filename (tmpdir, "cache", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, NULL);

  g_test_add_func ("/whiteboards/ui/page", test_page);
  g_test_add_func ("/whiteboards/ui/page-empty", test_page_empty);
  /* (Last: it restarts the server.) */
  g_test_add_func ("/whiteboards/ui/page-live", test_page_live);

  status = g_test_run ();

  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  tandem_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
