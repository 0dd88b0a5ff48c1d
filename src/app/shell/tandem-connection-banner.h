/* tandem-connection-banner.h: a banner under the header bar while the
 * workspace is not connected, with "Reconnect Now"
 *
 * libadwaita 1.2 has no AdwBanner: a GtkRevealer with a styled box, as
 * AdwBanner looks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CONNECTION_BANNER (tandem_connection_banner_get_type ())
G_DECLARE_FINAL_TYPE (TandemConnectionBanner, tandem_connection_banner, TANDEM, CONNECTION_BANNER, GtkWidget)

GtkWidget             *tandem_connection_banner_new            (void);
TandemConnectionWatch *tandem_connection_banner_get_connection (TandemConnectionBanner *self);
void                   tandem_connection_banner_set_connection (TandemConnectionBanner *self,
                                                                TandemConnectionWatch  *connection);
/* Whether it is shown (for tests). */
gboolean               tandem_connection_banner_get_revealed   (TandemConnectionBanner *self);
const char            *tandem_connection_banner_get_text       (TandemConnectionBanner *self);

G_END_DECLS
