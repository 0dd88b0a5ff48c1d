/* fuzz-filter.c: libFuzzer target for the postgres_changes filter grammar
 *
 * Filters come from clients' join payloads, so the parser sees hostile text.
 * Whatever parses must print canonically (to_string, parse again, same
 * text), type-check and evaluate against a record without failing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tandem-filter.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const columns[][2] = {
  { "id", "int4" }, { "big", "int8" }, { "price", "numeric" }, { "active", "bool" },
  { "at", "timestamptz" }, { "day", "date" }, { "ts", "timestamp" }, { "uid", "uuid" },
  { "name", "text" }, { "tags", "_text" }, { "nothing", "text" },
};

static JsonObject *record;

static const char *
lookup (const char *column,
        gpointer    user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (strcmp (columns[i][0], column) == 0)
      return columns[i][1];
  return NULL;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(JsonNode) node = NULL;

  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  node = json_from_string ("{\"id\":46,\"big\":9007199254740993,\"price\":\"12.50\",\"active\":true,"
                           "\"at\":\"2024-01-01T10:00:00+00:00\",\"day\":\"2024-02-29\","
                           "\"ts\":\"2024-01-01T10:00:00\",\"uid\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\","
                           "\"name\":\"Buy Milk \xc3\xa9\",\"tags\":[\"a\",\"b\"],\"nothing\":null}", NULL);
  record = json_object_ref (json_node_get_object (node));
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemFilter) filter = NULL;
  g_autoptr(TandemFilter) again = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_again = NULL;

  filter = tandem_filter_parse (text, &error);
  if (filter == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TANDEM_FILTER_ERROR);
      return 0;
    }

  canonical = tandem_filter_to_string (filter);
  again = tandem_filter_parse (canonical, &error);
  g_assert_no_error (error);
  canonical_again = tandem_filter_to_string (again);
  g_assert_cmpstr (canonical, ==, canonical_again);
  g_assert_cmpuint (tandem_filter_get_n_conditions (filter), ==, tandem_filter_get_n_conditions (again));

  if (!tandem_filter_check_types (filter, lookup, NULL, &error))
    {
      g_assert_true (error->domain == TANDEM_FILTER_ERROR);
      g_clear_error (&error);
    }

  g_assert_cmpint (tandem_filter_matches (filter, record, lookup, NULL), ==,
                   tandem_filter_matches (again, record, lookup, NULL));
  (void) tandem_filter_matches (filter, record, NULL, NULL);

  return 0;
}
