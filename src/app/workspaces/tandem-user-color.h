/* tandem-user-color.h: a person's color, from their user id
 *
 * The same id gives the same color on every client: the presence meta
 * carries it as `color` for clients that draw their own avatars.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TANDEM_USER_N_COLORS 14

/* 1 … TANDEM_USER_N_COLORS */
guint       tandem_user_color_index (const char *user_id);
/* "#rrggbb" */
const char *tandem_user_color_hex   (guint       index);

G_END_DECLS
