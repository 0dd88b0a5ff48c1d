/* tandem-connection-indicator.h: the connection's state in the header bar,
 * with a popover to reconnect now or open the Connection Monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CONNECTION_INDICATOR (tandem_connection_indicator_get_type ())
G_DECLARE_FINAL_TYPE (TandemConnectionIndicator, tandem_connection_indicator, TANDEM, CONNECTION_INDICATOR, GtkWidget)

GtkWidget             *tandem_connection_indicator_new            (void);
TandemConnectionWatch *tandem_connection_indicator_get_connection (TandemConnectionIndicator *self);
void                   tandem_connection_indicator_set_connection (TandemConnectionIndicator *self,
                                                                   TandemConnectionWatch     *connection);
/* What it shows (for tests). */
TandemConnectionState  tandem_connection_indicator_get_state      (TandemConnectionIndicator *self);
const char            *tandem_connection_indicator_get_text       (TandemConnectionIndicator *self);

G_END_DECLS
