/* ui-test-util.h: helpers of the app's tests (tests/ui)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem-app-types.h"
#include "tandem-test-utils.h"

G_BEGIN_DECLS

/* Generous bounds, never measurements: a first local server runs initdb. */
#define UI_TEST_SERVER_TIMEOUT_MS 120000
#define UI_TEST_TIMEOUT_MS        30000

/* A GAsyncReadyCallback that stores a ref of the result in *(GAsyncResult **) user_data. */
void      ui_test_store_result       (GObject       *source,
                                      GAsyncResult  *result,
                                      gpointer       user_data);
/* Iterates until *@result is set. */
#define UI_TEST_WAIT_RESULT(result, timeout_ms) TANDEM_WAIT_UNTIL_TIMEOUT ((result) != NULL, timeout_ms)

/* Straight from libsecret (not through the code under test). */
char     *ui_test_lookup_secret      (const char       *workspace_id,
                                      TandemSecretKind  kind);
/* Whether @needle appears in any key of org.gnome.Tandem or of any saved
 * workspace's org.gnome.Tandem.Workspace. */
gboolean  ui_test_settings_contain   (GSettings        *settings,
                                      const char       *needle);

G_END_DECLS
