/* tandem-dashboard-util.c
 *
 * Times arrive in two spellings: PostgREST's ("2026-03-03T10:00:00.123456+00:00")
 * and the WAL's text form that postgres_changes passes on for timestamptz
 * ("2026-03-03 10:00:00.123456+00"). The fraction is read here as whole
 * microseconds rather than through GLib's floating-point seconds, so that
 * a row lands in the same bucket whichever way it came.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboards"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-util.h"

#define MAX_TIME_TEXT 64

gboolean
tandem_dashboard_parse_time (const char *text,
                             gint64     *time_usec)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  char buf[MAX_TIME_TEXT];
  char *t, *dot;
  gint64 usec = 0;
  gsize len;

  g_return_val_if_fail (time_usec != NULL, FALSE);

  if (text == NULL || (len = strlen (text)) < 10 || len >= sizeof buf)
    return FALSE;
  memcpy (buf, text, len + 1);

  /* The date and the time are separated by a space in PostgreSQL's text. */
  t = strchr (buf, ' ');
  if (t != NULL)
    *t = 'T';
  t = strchr (buf, 'T');
  if (t == NULL)
    return FALSE;

  dot = strchr (t, '.');
  if (dot != NULL)
    {
      char *end = dot + 1;
      int digits = 0;

      while (g_ascii_isdigit (*end))
        {
          if (digits < 6)
            usec = usec * 10 + (*end - '0');
          digits++;
          end++;
        }
      if (digits == 0)
        return FALSE;
      for (; digits < 6; digits++)
        usec *= 10;
      memmove (dot, end, strlen (end) + 1);
    }

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (buf, utc);
  if (dt == NULL)
    return FALSE;
  *time_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + usec;
  return TRUE;
}

char *
tandem_dashboard_format_time (gint64 time_usec)
{
  gint64 seconds = time_usec / G_USEC_PER_SEC;
  gint64 usec = time_usec % G_USEC_PER_SEC;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *text = NULL;

  if (usec < 0)
    {
      usec += G_USEC_PER_SEC;
      seconds--;
    }
  dt = g_date_time_new_from_unix_utc (seconds);
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000000Z");
  text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%06dZ", text, (int) usec);
}

gboolean
tandem_dashboard_json_number (JsonNode *node,
                              double   *value)
{
  double v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      v = (double) json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      v = json_node_get_double (node);
      break;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;

        v = g_ascii_strtod (text, &end);
        if (end == text || *end != '\0')
          return FALSE;
      }
      break;
    default:
      return FALSE;
    }
  if (!isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

char *
tandem_dashboard_json_cell_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

gboolean
tandem_metric_update_parse (JsonNode  *payload,
                            char     **widget_id,
                            double    *value,
                            gint64    *time_usec,
                            GError   **error)
{
  JsonObject *object;
  JsonNode *id_node, *value_node, *time_node;

  g_return_val_if_fail (widget_id != NULL && value != NULL && time_usec != NULL, FALSE);

  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    {
      g_set_error_literal (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                           "metric_update: the payload is not an object");
      return FALSE;
    }
  object = json_node_get_object (payload);
  id_node = json_object_get_member (object, "widget_id");
  value_node = json_object_get_member (object, "value");
  time_node = json_object_get_member (object, "timestamp");

  if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
      json_node_get_value_type (id_node) != G_TYPE_STRING || *json_node_get_string (id_node) == '\0')
    {
      g_set_error_literal (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                           "metric_update: widget_id is not a string");
      return FALSE;
    }
  /* A number, not a numeric string: the sender is a program. */
  if (value_node == NULL || !JSON_NODE_HOLDS_VALUE (value_node) ||
      json_node_get_value_type (value_node) == G_TYPE_STRING ||
      !tandem_dashboard_json_number (value_node, value))
    {
      g_set_error_literal (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                           "metric_update: value is not a finite number");
      return FALSE;
    }
  if (time_node == NULL || !JSON_NODE_HOLDS_VALUE (time_node) ||
      json_node_get_value_type (time_node) != G_TYPE_STRING ||
      !tandem_dashboard_parse_time (json_node_get_string (time_node), time_usec))
    {
      g_set_error_literal (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                           "metric_update: timestamp is not an ISO 8601 time");
      return FALSE;
    }
  *widget_id = g_strdup (json_node_get_string (id_node));
  return TRUE;
}
