/* tandem-whiteboards-page-private.h: what the page's files share, and
 * what the page's tests look at (tandem-whiteboards-page.c: the widget,
 * the client and its outbox, the open board; tandem-whiteboards-page-list.c:
 * the boards listed and their live following; tandem-whiteboards-page-actions.c:
 * new, rename, delete)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-whiteboards-page.h"

G_BEGIN_DECLS

/* A listed board. */
#define TANDEM_TYPE_BOARD_ITEM (tandem_board_item_get_type ())
G_DECLARE_FINAL_TYPE (TandemBoardItem, tandem_board_item, TANDEM, BOARD_ITEM, GObject)

struct _TandemBoardItem
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *key;    /* the name's collation key */
};

struct _TandemWhiteboardsPage
{
  AdwBin                parent_instance;

  TandemClient         *client;
  TandemOutbox         *outbox;
  GCancellable         *cancellable;  /* everything of the current client */
  GListStore           *boards;       /* of TandemBoardItem, by name */
  TandemChannel        *channel;      /* postgres_changes on whiteboards */
  gboolean              subscribed;   /* the channel is joined now */
  gboolean              listed;       /* the first list arrived */
  GCancellable         *fetching;     /* the fetch on its way, or NULL */
  GHashTable           *touched;      /* ids changed since it was sent */
  guint                 n_fetches;
  TandemWhiteboardView *view;
  GtkWindow            *dialog;

  GtkStack             *stack;
  GtkListBox           *list_box;
  GtkLabel             *board_title;
  AdwBin               *view_bin;
};

/* tandem-whiteboards-page.c */

/* Shows @message in a toast. */
void             _tandem_whiteboards_page_toast         (TandemWhiteboardsPage *self,
                                                         const char            *message);
/* Shows the page that fits (signed out, loading, empty, list, board) and
 * enables the actions that fit. */
void             _tandem_whiteboards_page_update        (TandemWhiteboardsPage *self);
/* Closes the open board, if any, back to the list. */
void             _tandem_whiteboards_page_close_view    (TandemWhiteboardsPage *self);

/* tandem-whiteboards-page-list.c */

/* The board with @id in the list, or NULL. (transfer none) */
TandemBoardItem *_tandem_whiteboards_page_find_board    (TandemWhiteboardsPage *self,
                                                         const char            *id);
/* Adds or updates a board from a row of the table. */
void             _tandem_whiteboards_page_apply_row     (TandemWhiteboardsPage *self,
                                                         JsonObject            *row);
/* Someone deleted it, or it is found gone: closes it if open here. */
void             _tandem_whiteboards_page_remove_board  (TandemWhiteboardsPage *self,
                                                         const char            *id);
/* A change that a fetch's answer on its way may not know of yet. */
void             _tandem_whiteboards_page_touch         (TandemWhiteboardsPage *self,
                                                         const char            *id);
/* Fetches the list again (the newest fetch wins). */
void             _tandem_whiteboards_page_fetch_list    (TandemWhiteboardsPage *self);
/* Subscribes to the table's changes and fetches the list. */
void             _tandem_whiteboards_page_follow        (TandemWhiteboardsPage *self);

/* tandem-whiteboards-page-actions.c */

void             _tandem_whiteboards_page_new_action    (GtkWidget  *widget,
                                                         const char *action_name,
                                                         GVariant   *parameter);
void             _tandem_whiteboards_page_rename_action (GtkWidget  *widget,
                                                         const char *action_name,
                                                         GVariant   *parameter);
void             _tandem_whiteboards_page_delete_action (GtkWidget  *widget,
                                                         const char *action_name,
                                                         GVariant   *parameter);

/* For the tests. */

/* The open new/rename/delete dialog (an AdwMessageDialog), or NULL, and
 * its name entry (NULL for delete). */
GtkWindow *_tandem_whiteboards_page_get_dialog (TandemWhiteboardsPage *self);
GtkEditable *_tandem_whiteboards_page_get_dialog_entry (TandemWhiteboardsPage *self);
/* The page shown: "signed-out", "loading", "empty", "list" or "board". */
const char *_tandem_whiteboards_page_get_shown (TandemWhiteboardsPage *self);
/* The channel is joined and the list fetched since has arrived: changes
 * come live from now on, without fetching. */
gboolean _tandem_whiteboards_page_get_live (TandemWhiteboardsPage *self);

G_END_DECLS
