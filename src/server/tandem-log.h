/* tandem-log.h: structured logs on stderr
 *
 * One line per event in logfmt (`time=… level=… component=… msg="…"`), so a
 * person can read it and a program can parse it. Every GLib log call in the
 * server ends up here; the level is set with --log-level.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TANDEM_LOG_DEBUG,
  TANDEM_LOG_INFO,
  TANDEM_LOG_WARNING,
  TANDEM_LOG_ERROR,
} TandemLogLevel;

gboolean tandem_log_level_from_string (const char     *text,
                                       TandemLogLevel *level);
/* Installs the writer. Messages below @level are dropped. */
void     tandem_log_init              (TandemLogLevel  level);
gboolean tandem_log_enabled           (TandemLogLevel  level);

G_END_DECLS
