/* tandem-pg-values-timestamp.c: timestamps as to_jsonb() and Supabase
 * write them
 *
 * PostgreSQL's ISO output ("2026-01-01 00:00:00+00") to ISO 8601, and
 * commit times to Supabase's commit_timestamp.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tandem-pg-values.h"

/* Returns the position of the space between date and time, or NULL. */
static const char *
find_date_time_space (const char *text)
{
  const char *space = strchr (text, ' ');

  if (space == NULL || space == text || !g_ascii_isdigit (space[-1]) ||
      !g_ascii_isdigit (space[1]))
    return NULL;
  return space;
}

char *
tandem_pg_timestamp_to_iso (const char *text)
{
  const char *space;
  char *iso;

  g_return_val_if_fail (text != NULL, NULL);

  iso = g_strdup (text);
  space = find_date_time_space (text);
  if (space != NULL)
    iso[space - text] = 'T';
  return iso;
}

char *
tandem_pg_timestamptz_to_iso (const char *text)
{
  const char *space, *p, *sign = NULL, *end;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  space = find_date_time_space (text);
  if (space == NULL)
    return g_strdup (text);

  /* The offset follows the time: the first sign after the date. */
  for (p = space + 1; *p != '\0' && *p != ' '; p++)
    if (*p == '+' || *p == '-')
      {
        sign = p;
        break;
      }

  out = g_string_sized_new (strlen (text) + 4);
  g_string_append_len (out, text, space - text);
  g_string_append_c (out, 'T');

  if (sign == NULL)
    {
      g_string_append (out, space + 1);
      return g_string_free (out, FALSE);
    }

  g_string_append_len (out, space + 1, sign - (space + 1));

  for (end = sign + 1; g_ascii_isdigit (*end) || *end == ':'; end++)
    ;
  g_string_append_len (out, sign, end - sign);
  /* "+05" -> "+05:00"; "+05:30" and "+00:19:32" stay. */
  if (memchr (sign, ':', end - sign) == NULL)
    g_string_append (out, ":00");
  g_string_append (out, end);

  return g_string_free (out, FALSE);
}

static gboolean
parse_digits (const char **p,
              guint        n,
              int         *out)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

gboolean
tandem_pg_parse_timestamptz (const char *text,
                             gint64     *out_usec)
{
  const char *p = text;
  int year = 0, month, day, hour, minute, second;
  gint64 frac_usec = 0, offset_sec = 0;
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  while (g_ascii_isdigit (*p))
    year = year * 10 + (*p++ - '0');
  if (p - text < 4 || year > 9999 || *p++ != '-')
    return FALSE;
  if (!parse_digits (&p, 2, &month) || *p++ != '-' ||
      !parse_digits (&p, 2, &day) || (*p != ' ' && *p != 'T'))
    return FALSE;
  p++;
  if (!parse_digits (&p, 2, &hour) || *p++ != ':' ||
      !parse_digits (&p, 2, &minute) || *p++ != ':' ||
      !parse_digits (&p, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      gint64 scale = 100000;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          frac_usec += (*p - '0') * scale;
          scale /= 10;
        }
    }

  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1, oh, om = 0, os = 0;

      p++;
      if (!parse_digits (&p, 2, &oh))
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (!parse_digits (&p, 2, &om))
            return FALSE;
          if (*p == ':')
            {
              p++;
              if (!parse_digits (&p, 2, &os))
                return FALSE;
            }
        }
      else if (g_ascii_isdigit (*p) && !parse_digits (&p, 2, &om))
        return FALSE;
      offset_sec = sign * (oh * 3600 + om * 60 + os);
    }

  if (*p != '\0')
    return FALSE;

  /* Leap seconds do not exist in PostgreSQL; 60 would be rejected below. */
  dt = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;

  *out_usec = (g_date_time_to_unix (dt) - offset_sec) * G_USEC_PER_SEC + frac_usec;
  return TRUE;
}

char *
tandem_pg_format_commit_timestamp (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 rem = usec % G_USEC_PER_SEC;

  if (rem < 0)
    {
      secs--;
      rem += G_USEC_PER_SEC;
    }

  dt = g_date_time_new_from_unix_utc (secs);
  g_return_val_if_fail (dt != NULL, NULL);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (dt),
                          g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt),
                          (int) (rem / 1000));
}
