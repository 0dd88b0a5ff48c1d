/* tandem-preferences-window.h: status, automatic away, notifications and
 * style, all in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_PREFERENCES_WINDOW (tandem_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TandemPreferencesWindow, tandem_preferences_window, TANDEM, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @settings: of org.gnome.Tandem */
TandemPreferencesWindow *tandem_preferences_window_new (GSettings *settings);

G_END_DECLS
