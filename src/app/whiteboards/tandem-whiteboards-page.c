/* tandem-whiteboards-page.c: the Whiteboards section
 *
 * The page lists the workspace's boards (tandem-whiteboards-page-list.c:
 * the list and how it follows the `whiteboards` table live) and offers
 * New, Rename and Delete (tandem-whiteboards-page-actions.c). This file
 * holds the widget: the pages of its stack, the list's rows, the open
 * board, the client.
 *
 * Opening a board swaps the list for its TandemWhiteboardView, with a back
 * button. The page keeps one TandemOutbox per signed-in client, a SQLite
 * file in the user's cache named after the server and the user, so a
 * board's strokes drawn offline are saved after a restart too. Changing
 * the client cancels everything of the old one and starts over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards-page"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tandem-whiteboards-page-private.h"
#include "tandem-name-dialog.h"

G_DEFINE_FINAL_TYPE (TandemWhiteboardsPage, tandem_whiteboards_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_tandem_whiteboards_page_toast (TandemWhiteboardsPage *self,
                                const char            *message)
{
  /* The bin's child: AdwBin unparents it itself, so it is not a bound
   * template child (dispose would unparent it twice). */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))), adw_toast_new (message));
}

void
_tandem_whiteboards_page_update (TandemWhiteboardsPage *self)
{
  const char *page;

  if (self->client == NULL)
    page = "signed-out";
  else if (self->view != NULL)
    page = "board";
  else if (!self->listed)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->boards)) == 0)
    page = "empty";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "whiteboards.new", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "whiteboards.refresh", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "whiteboards.back", self->view != NULL);
}

/* ---- the list's rows ---- */

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  TandemBoardItem *board = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete…"), NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), board->name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "whiteboards.open");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (board->id));

  g_menu_item_set_action_and_target_value (rename, "whiteboards.rename", g_variant_new_string (board->id));
  g_menu_item_set_action_and_target_value (delete, "whiteboards.delete", g_variant_new_string (board->id));
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Whiteboard Menu"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

/* ---- the open board ---- */

void
_tandem_whiteboards_page_close_view (TandemWhiteboardsPage *self)
{
  if (self->view == NULL)
    return;
  adw_bin_set_child (self->view_bin, NULL);
  self->view = NULL;
  gtk_label_set_label (self->board_title, "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tandem_whiteboards_page_open (TANDEM_WHITEBOARDS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (widget);

  _tandem_whiteboards_page_close_view (self);
  _tandem_whiteboards_page_update (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _tandem_whiteboards_page_fetch_list (TANDEM_WHITEBOARDS_PAGE (widget));
}

/* ---- the client ---- */

/* One outbox per signed-in client: a file per server and user. */
static void
open_outbox (TandemWhiteboardsPage *self)
{
  TandemSession *session = tandem_auth_get_session (tandem_client_get_auth (self->client));
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_strdup_printf ("%s\n%s", tandem_client_get_url (self->client),
                                          session != NULL ? tandem_session_get_user_id (session) : "");
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "tandem", NULL);
  g_autofree char *name = g_strdup_printf ("outbox-%.16s.db", hash);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  TandemOutbox *outbox = g_object_get_data (G_OBJECT (self->client), "tandem-whiteboards-outbox");

  if (outbox != NULL)
    {
      self->outbox = g_object_ref (outbox);
      return;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
    }
  else
    self->outbox = tandem_outbox_new (self->client, path, &error);
  if (self->outbox == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Drawings cannot be kept while offline: %s"), error->message);

      _tandem_whiteboards_page_toast (self, message);
      return;
    }
  g_object_set_data_full (G_OBJECT (self->client), "tandem-whiteboards-outbox", g_object_ref (self->outbox),
                          g_object_unref);
}

static void
teardown (TandemWhiteboardsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  g_clear_weak_pointer (&self->dialog);
  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      g_clear_object (&self->channel);
    }
  g_cancellable_cancel (self->fetching);
  g_clear_object (&self->fetching);
  if (self->touched != NULL)
    g_hash_table_remove_all (self->touched);
  _tandem_whiteboards_page_close_view (self);
  g_clear_object (&self->outbox);
  if (self->boards != NULL)
    g_list_store_remove_all (self->boards);
  self->listed = FALSE;
  self->subscribed = FALSE;
}

static void
setup (TandemWhiteboardsPage *self)
{
  self->cancellable = g_cancellable_new ();
  open_outbox (self);
  _tandem_whiteboards_page_follow (self);
}

/* ---- GObject ---- */

static void
tandem_whiteboards_page_dispose (GObject *object)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

  teardown (self);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_WHITEBOARDS_PAGE);

  G_OBJECT_CLASS (tandem_whiteboards_page_parent_class)->dispose (object);
}

static void
tandem_whiteboards_page_finalize (GObject *object)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

  g_clear_object (&self->boards);
  g_clear_pointer (&self->touched, g_hash_table_unref);

  G_OBJECT_CLASS (tandem_whiteboards_page_parent_class)->finalize (object);
}

static void
tandem_whiteboards_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_VIEW:
      g_value_set_object (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_whiteboards_page_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      tandem_whiteboards_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_whiteboards_page_class_init (TandemWhiteboardsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_whiteboards_page_dispose;
  object_class->finalize = tandem_whiteboards_page_finalize;
  object_class->get_property = tandem_whiteboards_page_get_property;
  object_class->set_property = tandem_whiteboards_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] =
    g_param_spec_object ("view", NULL, NULL, TANDEM_TYPE_WHITEBOARD_VIEW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gnome/Tandem/whiteboards/tandem-whiteboards-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, board_title);
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, view_bin);

  gtk_widget_class_install_action (widget_class, "whiteboards.new", NULL, _tandem_whiteboards_page_new_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.rename", "s", _tandem_whiteboards_page_rename_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.delete", "s", _tandem_whiteboards_page_delete_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.refresh", NULL, refresh_action);
}

static void
tandem_whiteboards_page_init (TandemWhiteboardsPage *self)
{
  self->boards = g_list_store_new (TANDEM_TYPE_BOARD_ITEM);
  self->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->boards), create_row, NULL, NULL);
  _tandem_whiteboards_page_update (self);
}

GtkWidget *
tandem_whiteboards_page_new (void)
{
  return g_object_new (TANDEM_TYPE_WHITEBOARDS_PAGE, NULL);
}

TandemClient *
tandem_whiteboards_page_get_client (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->client;
}

void
tandem_whiteboards_page_set_client (TandemWhiteboardsPage *self,
                                    TandemClient          *client)
{
  g_return_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self));
  g_return_if_fail (client == NULL || TANDEM_IS_CLIENT (client));

  if (client == self->client)
    return;
  teardown (self);
  g_set_object (&self->client, client);
  if (client != NULL)
    setup (self);
  _tandem_whiteboards_page_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

GStrv
tandem_whiteboards_page_dup_boards (TandemWhiteboardsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->boards)); i++)
    {
      g_autoptr(TandemBoardItem) board = g_list_model_get_item (G_LIST_MODEL (self->boards), i);
      g_autofree char *line = g_strdup_printf ("%s\t%s", board->id, board->name);

      g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

guint
tandem_whiteboards_page_get_n_fetches (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), 0);
  return self->n_fetches;
}

TandemOutbox *
tandem_whiteboards_page_get_outbox (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->outbox;
}

void
tandem_whiteboards_page_open (TandemWhiteboardsPage *self,
                              const char            *board_id)
{
  TandemBoardItem *board;

  g_return_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self));
  g_return_if_fail (board_id != NULL);

  if (self->client == NULL || !g_uuid_string_is_valid (board_id))
    return;
  if (self->view == NULL || !g_str_equal (tandem_whiteboard_view_get_board_id (self->view), board_id))
    {
      _tandem_whiteboards_page_close_view (self);
      self->view = TANDEM_WHITEBOARD_VIEW (tandem_whiteboard_view_new (self->client, self->outbox, board_id));
      adw_bin_set_child (self->view_bin, GTK_WIDGET (self->view));
      board = _tandem_whiteboards_page_find_board (self, board_id);
      gtk_label_set_label (self->board_title, board != NULL ? board->name : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
    }
  _tandem_whiteboards_page_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (tandem_whiteboard_view_get_canvas (self->view)));
}

TandemWhiteboardView *
tandem_whiteboards_page_get_view (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->view;
}

GtkWindow *
_tandem_whiteboards_page_get_dialog (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->dialog;
}

GtkEditable *
_tandem_whiteboards_page_get_dialog_entry (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->dialog != NULL ? GTK_EDITABLE (tandem_name_dialog_get_entry (ADW_MESSAGE_DIALOG (self->dialog))) : NULL;
}

const char *
_tandem_whiteboards_page_get_shown (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
_tandem_whiteboards_page_get_live (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), FALSE);
  return self->subscribed && self->listed && self->fetching == NULL;
}
