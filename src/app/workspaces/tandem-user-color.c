/* tandem-user-color.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-user-color"

#include "config.h"

#include "tandem-user-color.h"

/* The GNOME palette's middle shades, as AdwAvatar's colors use them. */
static const char * const palette[TANDEM_USER_N_COLORS] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac", "#986a44",
  "#1c71d8", "#26a269", "#e5a50a", "#c64600", "#a51d2d", "#613583", "#63452c",
};

guint
tandem_user_color_index (const char *user_id)
{
  guint32 hash = 2166136261u;  /* FNV-1a: stable everywhere */

  for (const char *p = user_id ? user_id : ""; *p; p++)
    {
      hash ^= (guchar) *p;
      hash *= 16777619u;
    }
  return hash % TANDEM_USER_N_COLORS + 1;
}

const char *
tandem_user_color_hex (guint index)
{
  g_return_val_if_fail (index >= 1 && index <= TANDEM_USER_N_COLORS, palette[0]);
  return palette[index - 1];
}
