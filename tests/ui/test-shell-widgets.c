/* test-shell-widgets.c: the shell's widgets on their own: the connection
 * indicator and banner over a client that cannot connect, the idle monitor,
 * people rows, the status chooser, the welcome page's field messages, the
 * preferences and the Connection Monitor. Each ends finalized (no leaks, no
 * reference cycles).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tandem.h"
#include "tandem-confirm-dialog.h"
#include "tandem-presence-private.h"
#include "tandem-app-enums.h"
#include "tandem-channel-info.h"
#include "tandem-connection-banner.h"
#include "tandem-connection-indicator.h"
#include "tandem-connection-monitor.h"
#include "tandem-connection-watch.h"
#include "tandem-idle-monitor.h"
#include "tandem-people-list.h"
#include "tandem-person-row.h"
#include "tandem-preferences-window.h"
#include "tandem-status-chooser.h"
#include "tandem-user-color.h"
#include "tandem-welcome-page.h"
#include "tandem-workspace.h"
#include "tandem-workspace-error.h"
#include "ui-test-util.h"

static TandemClient *
unreachable_client (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", tandem_test_find_free_port ());
  g_autoptr(GError) error = NULL;
  TandemClient *client = tandem_client_new (url, "anon-key", &error);

  g_assert_no_error (error);
  return client;
}

static void
test_connection_widgets (void)
{
  g_autoptr(TandemConnectionWatch) watch = tandem_connection_watch_new ();
  g_autoptr(TandemClient) client = unreachable_client ();
  GtkWidget *indicator = g_object_ref_sink (tandem_connection_indicator_new ());
  GtkWidget *banner = g_object_ref_sink (tandem_connection_banner_new ());
  TandemConnectionIndicator *ind = TANDEM_CONNECTION_INDICATOR (indicator);
  TandemConnectionBanner *ban = TANDEM_CONNECTION_BANNER (banner);

  /* Nothing to watch: offline, and no banner (nothing is lost). */
  g_assert_cmpint (tandem_connection_indicator_get_state (ind), ==, TANDEM_CONNECTION_OFFLINE);
  g_assert_cmpstr (tandem_connection_indicator_get_text (ind), ==, "Offline");
  g_assert_false (tandem_connection_banner_get_revealed (ban));

  tandem_connection_indicator_set_connection (ind, watch);
  tandem_connection_banner_set_connection (ban, watch);
  tandem_connection_watch_set_client (watch, client);
  tandem_client_connect (client);

  /* Nobody listens: reconnecting, with libtandem's countdown. */
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_connection_watch_get_state (watch) == TANDEM_CONNECTION_RECONNECTING &&
                             tandem_connection_watch_get_seconds_to_retry (watch) > 0, UI_TEST_TIMEOUT_MS);
  g_assert_cmpint (tandem_connection_indicator_get_state (ind), ==, TANDEM_CONNECTION_RECONNECTING);
  g_assert_true (g_str_has_prefix (tandem_connection_indicator_get_text (ind), "Reconnecting in "));
  g_assert_true (tandem_connection_banner_get_revealed (ban));
  g_assert_true (strstr (tandem_connection_banner_get_text (ban), "Trying again in") != NULL);

  /* The countdown counts. */
  {
    int first = tandem_connection_watch_get_seconds_to_retry (watch);

    TANDEM_WAIT_UNTIL_TIMEOUT (tandem_connection_watch_get_seconds_to_retry (watch) != first, UI_TEST_TIMEOUT_MS);
  }

  /* Signed out: offline again, banner gone. */
  tandem_connection_watch_set_client (watch, NULL);
  tandem_client_disconnect (client);
  g_assert_cmpint (tandem_connection_indicator_get_state (ind), ==, TANDEM_CONNECTION_OFFLINE);
  g_assert_false (tandem_connection_banner_get_revealed (ban));

  g_assert_finalize_object (indicator);
  g_assert_finalize_object (banner);
  g_assert_finalize_object (g_steal_pointer (&watch));
}

static void
test_idle_monitor (void)
{
  GtkWidget *window = gtk_window_new ();
  TandemIdleMonitor *monitor = tandem_idle_monitor_new (window);

  g_assert_false (tandem_idle_monitor_get_idle (monitor));
  tandem_idle_monitor_set_delay (monitor, 1);
  g_assert_cmpuint (tandem_idle_monitor_get_delay (monitor), ==, 1);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_idle_monitor_get_idle (monitor), UI_TEST_TIMEOUT_MS);

  tandem_idle_monitor_input (monitor);
  g_assert_false (tandem_idle_monitor_get_idle (monitor));
  /* And idle again after the delay. */
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_idle_monitor_get_idle (monitor), UI_TEST_TIMEOUT_MS);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (monitor);
}

static TandemPresenceEntry *
make_entry (const char *key,
            const char *name,
            const char *status)
{
  g_autoptr(JsonArray) metas = json_array_new ();
  JsonObject *meta = json_object_new ();

  json_object_set_string_member (meta, "name", name);
  json_object_set_string_member (meta, "status", status);
  json_object_set_string_member (meta, "phx_ref", "ref");
  json_array_add_object_element (metas, meta);
  return _tandem_presence_entry_new (key, metas);
}

static void
test_person_rows (void)
{
  g_autoptr(TandemPresenceEntry) ada = make_entry ("user-ada", "Ada", "away");
  g_autoptr(TandemPresenceEntry) me = make_entry ("user-me", "Me", "dnd");
  GtkWidget *row = g_object_ref_sink (tandem_person_row_new (ada, FALSE));
  GtkWidget *own = g_object_ref_sink (tandem_person_row_new (me, TRUE));
  g_autofree char *color = tandem_person_color_class ("user-ada");
  g_autoptr(GListStore) model = g_list_store_new (TANDEM_TYPE_PRESENCE_ENTRY);
  GtkWidget *list;

  g_assert_cmpstr (tandem_person_row_get_name (TANDEM_PERSON_ROW (row)), ==, "Ada");
  g_assert_cmpstr (tandem_person_row_get_status (TANDEM_PERSON_ROW (row)), ==, "away");
  g_assert_cmpstr (tandem_person_status_label ("away"), ==, "Away");
  g_assert_cmpstr (tandem_person_status_label ("dnd"), ==, "Do Not Disturb");
  /* The color follows the id, the same everywhere. */
  g_assert_cmpuint (tandem_user_color_index ("user-ada"), ==, tandem_user_color_index ("user-ada"));
  g_assert_cmpuint (tandem_user_color_index ("user-ada"), >=, 1);
  g_assert_cmpuint (tandem_user_color_index ("user-ada"), <=, TANDEM_USER_N_COLORS);
  g_assert_true (g_str_has_prefix (color, "tandem-color-"));

  /* The list follows its model. */
  list = g_object_ref_sink (tandem_people_list_new ());
  tandem_people_list_set_own_key (TANDEM_PEOPLE_LIST (list), "user-me");
  tandem_people_list_set_model (TANDEM_PEOPLE_LIST (list), G_LIST_MODEL (model));
  g_assert_null (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-ada"));
  g_list_store_append (model, ada);
  g_list_store_append (model, me);
  g_assert_nonnull (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-ada"));
  g_assert_nonnull (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-me"));

  /* One's own row shows the status one chose at once, before presence
   * (paced) says so; the others' rows are theirs; a new entry of one's
   * own keeps it. */
  tandem_people_list_set_own_status (TANDEM_PEOPLE_LIST (list), "away");
  g_assert_cmpstr (tandem_person_row_get_status (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-me")),
                   ==, "away");
  g_assert_cmpstr (tandem_person_row_get_status (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-ada")),
                   ==, "away");
  tandem_people_list_set_own_status (TANDEM_PEOPLE_LIST (list), "online");
  g_assert_cmpstr (tandem_person_row_get_status (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-me")),
                   ==, "online");
  g_assert_cmpstr (tandem_person_row_get_status (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-ada")),
                   ==, "away");
  {
    g_autoptr(TandemPresenceEntry) me_again = make_entry ("user-me", "Me", "dnd");

    g_list_store_splice (model, 1, 1, (gpointer *) &me_again, 1);
    g_assert_cmpstr (tandem_person_row_get_status (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-me")),
                     ==, "online");
  }
  /* Unset: as the entry says. */
  tandem_people_list_set_own_status (TANDEM_PEOPLE_LIST (list), NULL);
  g_assert_cmpstr (tandem_person_row_get_status (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-me")),
                   ==, "dnd");

  g_list_store_remove (model, 0);
  g_assert_null (tandem_people_list_find_row (TANDEM_PEOPLE_LIST (list), "user-ada"));
  tandem_people_list_set_model (TANDEM_PEOPLE_LIST (list), NULL);

  g_assert_finalize_object (list);
  g_assert_finalize_object (row);
  g_assert_finalize_object (own);
}

static void
test_status_chooser (void)
{
  GtkWidget *chooser = g_object_ref_sink (tandem_status_chooser_new ());

  g_object_set (chooser, "user-id", "user-1", "display-name", "Ada", NULL);
  tandem_status_chooser_set_status (TANDEM_STATUS_CHOOSER (chooser), TANDEM_USER_DND);
  g_assert_cmpint (tandem_status_chooser_get_status (TANDEM_STATUS_CHOOSER (chooser)), ==, TANDEM_USER_DND);
  g_assert_finalize_object (chooser);
}

static void
test_welcome_messages (void)
{
  GtkWidget *page = g_object_ref_sink (tandem_welcome_page_new ());
  TandemWelcomePage *welcome = TANDEM_WELCOME_PAGE (page);
  g_autoptr(TandemWorkspace) workspace = tandem_workspace_new ("ffff00000001", TANDEM_WORKSPACE_REMOTE);
  g_autoptr(GError) wrong_password = g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_INVALID_CREDENTIALS,
                                                          "Invalid login credentials");
  g_autoptr(GError) down = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused");
  GtkWidget *row;

  g_assert_cmpstr (tandem_welcome_page_get_visible (welcome), ==, "choose");
  tandem_workspace_set_name (workspace, "abcd");
  tandem_workspace_set_url (workspace, "https://abcd.supabase.co");
  tandem_workspace_set_email (workspace, "ada@example.com");

  /* A wrong password: at the password row, styled and described. */
  tandem_welcome_page_show_sign_in (welcome, workspace, wrong_password);
  g_assert_cmpstr (tandem_welcome_page_get_visible (welcome), ==, "sign-in");
  row = tandem_welcome_page_get_row (welcome, TANDEM_WORKSPACE_FIELD_PASSWORD);
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (row));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_PASSWORD), ==,
                   "The email address or the password is wrong");
  g_assert_null (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_URL));

  /* Typing takes it away. */
  gtk_editable_set_text (GTK_EDITABLE (row), "x");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_null (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_PASSWORD));

  /* The server down: at the server row. */
  tandem_welcome_page_show_sign_in (welcome, workspace, down);
  g_assert_nonnull (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_URL));
  g_assert_true (strstr (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_URL), "cannot be reached") != NULL);
  g_assert_true (gtk_widget_has_css_class (tandem_welcome_page_get_row (welcome, TANDEM_WORKSPACE_FIELD_URL), "error"));

  /* Reset: back to the choice, nothing left. */
  tandem_welcome_page_reset (welcome);
  g_assert_cmpstr (tandem_welcome_page_get_visible (welcome), ==, "choose");
  tandem_welcome_page_show (welcome, "sign-in");
  g_assert_null (tandem_welcome_page_get_error (welcome, TANDEM_WORKSPACE_FIELD_URL));

  g_assert_finalize_object (page);
}

static void
collect_combo_rows (GtkWidget  *widget,
                    GPtrArray  *rows)
{
  if (ADW_IS_COMBO_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_combo_rows (child, rows);
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.gnome.Tandem");
  TandemPreferencesWindow *window = tandem_preferences_window_new (settings);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  collect_combo_rows (GTK_WIDGET (window), rows);
  g_assert_cmpuint (rows->len, ==, 2);  /* status on startup, style */

  /* Row → setting and setting → row. */
  adw_combo_row_set_selected (rows->pdata[0], 1);
  g_assert_cmpint (g_settings_get_enum (settings, "status-on-startup"), ==, 1);  /* away */
  g_settings_set_enum (settings, "status-on-startup", 4);  /* last */
  g_assert_cmpuint (adw_combo_row_get_selected (rows->pdata[0]), ==, 4);
  adw_combo_row_set_selected (rows->pdata[1], 2);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 2);  /* dark */

  g_settings_reset (settings, "status-on-startup");
  g_settings_reset (settings, "color-scheme");
  g_ptr_array_set_size (rows, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_connection_monitor (void)
{
  g_autoptr(TandemClient) client = unreachable_client ();
  g_autoptr(TandemChannel) room = tandem_client_channel (client, "room:1", NULL);
  TandemConnectionMonitor *monitor = g_object_ref_sink (tandem_connection_monitor_new ());
  GListModel *channels = tandem_connection_monitor_get_channels (monitor);
  g_autoptr(TandemChannelInfo) info = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (channels), ==, 0);
  tandem_connection_monitor_set_client (monitor, client);
  g_assert_cmpuint (g_list_model_get_n_items (channels), ==, 1);
  info = g_list_model_get_item (channels, 0);
  g_assert_cmpstr (tandem_channel_info_get_name (info), ==, "room:1");

  /* Updated in place, the same row object. */
  tandem_connection_monitor_refresh (monitor);
  {
    g_autoptr(TandemChannelInfo) again = g_list_model_get_item (channels, 0);

    g_assert_true (again == info);
  }

  tandem_client_remove_channel (client, room);
  tandem_connection_monitor_refresh (monitor);
  g_assert_cmpuint (g_list_model_get_n_items (channels), ==, 0);

  tandem_connection_monitor_set_client (monitor, NULL);
  gtk_window_destroy (GTK_WINDOW (monitor));
  g_clear_object (&info);
  g_assert_finalize_object (monitor);
}

/* Asking before a destructive action: Cancel is what Enter and Escape
 * answer; the action is shown destructive. */
static void
test_confirm_dialog (void)
{
  GtkWidget *dialog = tandem_confirm_dialog_new (NULL, "Delete Thing?", "It goes for everyone.", "delete", "_Delete");
  AdwMessageDialog *message = ADW_MESSAGE_DIALOG (dialog);

  g_object_ref_sink (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, "Delete Thing?");
  g_assert_cmpstr (adw_message_dialog_get_body (message), ==, "It goes for everyone.");
  g_assert_true (adw_message_dialog_has_response (message, "cancel"));
  g_assert_true (adw_message_dialog_has_response (message, "delete"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (message), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (message), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (message, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (message, "cancel"), ==, ADW_RESPONSE_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/shell-widgets/connection", test_connection_widgets);
  g_test_add_func ("/shell-widgets/idle-monitor", test_idle_monitor);
  g_test_add_func ("/shell-widgets/people", test_person_rows);
  g_test_add_func ("/shell-widgets/status-chooser", test_status_chooser);
  g_test_add_func ("/shell-widgets/welcome-messages", test_welcome_messages);
  g_test_add_func ("/shell-widgets/preferences", test_preferences);
  g_test_add_func ("/shell-widgets/connection-monitor", test_connection_monitor);
  g_test_add_func ("/shell-widgets/confirm-dialog", test_confirm_dialog);

  return g_test_run ();
}
