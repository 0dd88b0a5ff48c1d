/* tandem-person-row.h: one person of the workspace: avatar (initials, a
 * color from the user id), name and status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem.h"
#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_PERSON_ROW (tandem_person_row_get_type ())
G_DECLARE_FINAL_TYPE (TandemPersonRow, tandem_person_row, TANDEM, PERSON_ROW, GtkListBoxRow)

/* @is_self: the row of the one using this app ("(You)"). */
GtkWidget           *tandem_person_row_new        (TandemPresenceEntry *entry,
                                                   gboolean             is_self);
TandemPresenceEntry *tandem_person_row_get_entry  (TandemPersonRow     *self);
const char          *tandem_person_row_get_name   (TandemPersonRow     *self);
/* "online", "away" or "dnd": as the entry says, or as set. */
const char          *tandem_person_row_get_status (TandemPersonRow     *self);
void                 tandem_person_row_set_status (TandemPersonRow     *self,
                                                   const char          *status);

/* The words for a presence status ("Online", "Away", "Do Not Disturb"). */
const char          *tandem_person_status_label   (const char          *status);
/* The CSS class of an avatar with the color of @user_id. */
char                *tandem_person_color_class    (const char          *user_id);

G_END_DECLS
