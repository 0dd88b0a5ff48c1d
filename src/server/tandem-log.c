/* tandem-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tandem-log.h"

static TandemLogLevel min_level = TANDEM_LOG_INFO;

gboolean
tandem_log_level_from_string (const char     *text,
                              TandemLogLevel *level)
{
  static const struct { const char *name; TandemLogLevel level; } names[] = {
    { "debug", TANDEM_LOG_DEBUG },
    { "info", TANDEM_LOG_INFO },
    { "warning", TANDEM_LOG_WARNING },
    { "warn", TANDEM_LOG_WARNING },
    { "error", TANDEM_LOG_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *level = names[i].level;
        return TRUE;
      }
  return FALSE;
}

static TandemLogLevel
level_from_flags (GLogLevelFlags flags)
{
  if (flags & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return TANDEM_LOG_ERROR;
  if (flags & G_LOG_LEVEL_WARNING)
    return TANDEM_LOG_WARNING;
  if (flags & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
    return TANDEM_LOG_INFO;
  return TANDEM_LOG_DEBUG;
}

gboolean
tandem_log_enabled (TandemLogLevel level)
{
  return level >= min_level;
}

/* Quotes a logfmt value when it needs it. */
static void
append_value (GString    *out,
              const char *value)
{
  gboolean needs_quotes = *value == '\0';

  for (const char *p = value; *p && !needs_quotes; p++)
    if (*p == ' ' || *p == '"' || *p == '=' || (guchar) *p < 0x20)
      needs_quotes = TRUE;

  if (!needs_quotes)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\x%02x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static GLogWriterOutput
tandem_log_writer (GLogLevelFlags   flags,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  static const char *level_names[] = { "debug", "info", "warning", "error" };
  TandemLogLevel level = level_from_flags (flags);
  const char *domain = NULL;
  const char *message = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GString) line = NULL;

  if (level < min_level)
    return G_LOG_WRITER_HANDLED;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }

  /* Libraries' debug output (libsoup logs every frame) only when
   * G_MESSAGES_DEBUG asks for it. */
  if (level == TANDEM_LOG_DEBUG && (domain == NULL || !g_str_has_prefix (domain, "tandem")) &&
      g_log_writer_default_would_drop (flags, domain))
    return G_LOG_WRITER_HANDLED;

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  line = g_string_new ("time=");
  /* microseconds are too fine for a log; keep milliseconds */
  g_string_append_len (line, stamp, 23);
  g_string_append_c (line, 'Z');
  g_string_append_printf (line, " level=%s component=", level_names[level]);
  append_value (line, domain ? domain : "tandem");
  g_string_append (line, " msg=");
  append_value (line, message ? message : "");
  g_string_append_c (line, '\n');

  fputs (line->str, stderr);
  fflush (stderr);

  return G_LOG_WRITER_HANDLED;
}

void
tandem_log_init (TandemLogLevel level)
{
  min_level = level;
  g_log_set_writer_func (tandem_log_writer, NULL, NULL);
}
