/* tandem-idle-monitor.h: whether a window had no keyboard or pointer input
 * for a while (for automatic away)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_IDLE_MONITOR (tandem_idle_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TandemIdleMonitor, tandem_idle_monitor, TANDEM, IDLE_MONITOR, GObject)

/* Watches @widget's input (its controllers see events in the capture phase,
 * before any child). */
TandemIdleMonitor *tandem_idle_monitor_new        (GtkWidget         *widget);
gboolean           tandem_idle_monitor_get_idle   (TandemIdleMonitor *self);
/* Seconds without input until idle. */
guint              tandem_idle_monitor_get_delay  (TandemIdleMonitor *self);
void               tandem_idle_monitor_set_delay  (TandemIdleMonitor *self,
                                                   guint              delay);
/* Input happened (the controllers call it; so may tests). */
void               tandem_idle_monitor_input      (TandemIdleMonitor *self);

G_END_DECLS
