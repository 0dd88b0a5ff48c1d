/* tandem-pg-values-array.c: PostgreSQL array literals as JSON arrays
 *
 * Parses array_in's grammar, as array_out writes it; each element is
 * converted by tandem_pg_value_from_text() for the element type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tandem-pg-values.h"

typedef struct
{
  const char *p;
  const char *element_typname;
  char        delimiter;
  guint       depth;
} ArrayParser;

static void
skip_space (ArrayParser *ap)
{
  while (g_ascii_isspace (*ap->p))
    ap->p++;
}

static JsonNode *
parse_array_level (ArrayParser *ap)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(GString) item = NULL;
  JsonNode *node;

  g_assert (*ap->p == '{');

  /* array_in accepts at most 6 dimensions; be generous but bounded. */
  if (++ap->depth > 32)
    return NULL;

  ap->p++;
  array = json_array_new ();
  item = g_string_new (NULL);

  skip_space (ap);
  if (*ap->p == '}')
    {
      ap->p++;
      ap->depth--;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      skip_space (ap);

      if (*ap->p == '{')
        {
          JsonNode *child = parse_array_level (ap);

          if (child == NULL)
            return NULL;
          json_array_add_element (array, child);
        }
      else if (*ap->p == '"')
        {
          g_string_truncate (item, 0);
          ap->p++;
          while (*ap->p != '"')
            {
              if (*ap->p == '\0')
                return NULL;
              if (*ap->p == '\\')
                {
                  ap->p++;
                  if (*ap->p == '\0')
                    return NULL;
                }
              g_string_append_c (item, *ap->p);
              ap->p++;
            }
          ap->p++;
          json_array_add_element (array, tandem_pg_value_from_text (ap->element_typname, item->str));
        }
      else
        {
          gboolean escaped = FALSE;
          gsize significant = 0;

          g_string_truncate (item, 0);
          while (*ap->p != ap->delimiter && *ap->p != '}')
            {
              if (*ap->p == '\0' || *ap->p == '{' || *ap->p == '"')
                return NULL;
              if (*ap->p == '\\')
                {
                  ap->p++;
                  if (*ap->p == '\0')
                    return NULL;
                  escaped = TRUE;
                  g_string_append_c (item, *ap->p);
                  significant = item->len;
                }
              else
                {
                  g_string_append_c (item, *ap->p);
                  if (!g_ascii_isspace (*ap->p))
                    significant = item->len;
                }
              ap->p++;
            }
          /* Trailing unquoted, unescaped white space is not part of the
           * element. */
          g_string_truncate (item, significant);
          if (item->len == 0)
            return NULL;

          if (!escaped && g_ascii_strcasecmp (item->str, "NULL") == 0)
            json_array_add_element (array, json_node_init_null (json_node_alloc ()));
          else
            json_array_add_element (array, tandem_pg_value_from_text (ap->element_typname, item->str));
        }

      skip_space (ap);
      if (*ap->p == ap->delimiter)
        {
          ap->p++;
          continue;
        }
      if (*ap->p == '}')
        {
          ap->p++;
          break;
        }
      return NULL;
    }

  ap->depth--;
  node = json_node_init_array (json_node_alloc (), array);
  return node;
}

static gboolean
skip_bound (const char **p)
{
  if (**p == '-' || **p == '+')
    (*p)++;
  if (!g_ascii_isdigit (**p))
    return FALSE;
  while (g_ascii_isdigit (**p))
    (*p)++;
  return TRUE;
}

JsonNode *
tandem_pg_array_from_text (const char *element_typname,
                           const char *literal,
                           char        delimiter)
{
  ArrayParser ap = { literal, element_typname, delimiter, 0 };
  JsonNode *node;

  g_return_val_if_fail (literal != NULL, NULL);

  skip_space (&ap);

  /* Explicit bounds, "[0:1][1:2]={…}": JSON has no place for them. */
  if (*ap.p == '[')
    {
      while (*ap.p == '[')
        {
          ap.p++;
          if (!skip_bound (&ap.p))
            return NULL;
          if (*ap.p == ':')
            {
              ap.p++;
              if (!skip_bound (&ap.p))
                return NULL;
            }
          if (*ap.p != ']')
            return NULL;
          ap.p++;
        }
      if (*ap.p != '=')
        return NULL;
      ap.p++;
      skip_space (&ap);
    }

  if (*ap.p != '{')
    return NULL;

  node = parse_array_level (&ap);
  if (node == NULL)
    return NULL;

  skip_space (&ap);
  if (*ap.p != '\0')
    {
      json_node_unref (node);
      return NULL;
    }

  return node;
}
