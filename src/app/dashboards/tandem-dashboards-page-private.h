/* tandem-dashboards-page-private.h: what the page's files share
 * (tandem-dashboards-page.c: the live list and the open view;
 * tandem-dashboards-page-actions.c: new, rename, delete)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-dashboards-page.h"

G_BEGIN_DECLS

struct _TandemDashboardsPage
{
  AdwBin               parent_instance;

  TandemClient        *client;
  GListStore          *dashboards;     /* of TandemDashboard, by name */
  TandemChannel       *channel;        /* postgres_changes on dashboards */
  GCancellable        *cancellable;    /* everything of the current client */
  gboolean             listed;         /* the first list arrived */
  gboolean             subscribed;
  gboolean             auto_opened;
  TandemDashboardView *view;
  GtkWindow           *dialog;         /* the open new/rename/delete dialog */

  GtkStack            *stack;
  GtkListBox          *list_box;
  GtkLabel            *dashboard_title;
  GtkMenuButton       *dashboard_menu_button;
  AdwBin              *view_bin;
};

/* Shows @message in a toast. */
void             _tandem_dashboards_page_toast        (TandemDashboardsPage *self,
                                                       const char           *message);
/* The dashboard with @id in the list, or NULL. (transfer none) */
TandemDashboard *_tandem_dashboards_page_lookup       (TandemDashboardsPage *self,
                                                       const char           *id);
/* Adds or updates a row from the table. */
TandemDashboard *_tandem_dashboards_page_apply_row    (TandemDashboardsPage *self,
                                                       JsonObject           *row);
void             _tandem_dashboards_page_show_dialog  (TandemDashboardsPage *self,
                                                       GtkWidget            *dialog);

void             _tandem_dashboards_page_new_action    (GtkWidget  *widget,
                                                        const char *action_name,
                                                        GVariant   *parameter);
void             _tandem_dashboards_page_rename_action (GtkWidget  *widget,
                                                        const char *action_name,
                                                        GVariant   *parameter);
void             _tandem_dashboards_page_delete_action (GtkWidget  *widget,
                                                        const char *action_name,
                                                        GVariant   *parameter);

G_END_DECLS
