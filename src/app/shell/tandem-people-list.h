/* tandem-people-list.h: who is on the workspace (its presence)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_PEOPLE_LIST (tandem_people_list_get_type ())
G_DECLARE_FINAL_TYPE (TandemPeopleList, tandem_people_list, TANDEM, PEOPLE_LIST, GtkWidget)

GtkWidget       *tandem_people_list_new       (void);
/* A GListModel of TandemPresenceEntry (a TandemPresence), or NULL. */
GListModel      *tandem_people_list_get_model (TandemPeopleList *self);
void             tandem_people_list_set_model (TandemPeopleList *self,
                                               GListModel       *model);
/* The presence key (user id) of the one using this app. */
void             tandem_people_list_set_own_key (TandemPeopleList *self,
                                                 const char       *key);
/* The status one's own row shows ("online", "away", "dnd"), or NULL: as
 * its presence entry says. */
void             tandem_people_list_set_own_status (TandemPeopleList *self,
                                                    const char       *status);
/* The row of @key, or NULL (for tests). */
TandemPersonRow *tandem_people_list_find_row  (TandemPeopleList *self,
                                               const char       *key);

G_END_DECLS
