/* tandem-series-binding-rows.c: each row counted once
 *
 * Every row counted is remembered by its key (its `id`, or its whole text
 * for a table without one) with its time, so that a row that comes both
 * through REST and live, or again in a gap re-fetch, counts once; keys of
 * rows older than anything still shown are forgotten, as those rows can
 * no longer come back into the window. A table widget keeps the rows
 * themselves, newest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-series-binding"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tandem-aggregator.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-util.h"
#include "tandem-series.h"
#include "tandem-series-binding-private.h"
#include "tandem-table-row.h"

static char *
row_key (JsonObject *row)
{
  JsonNode *id = json_object_get_member (row, "id");

  if (id != NULL && !JSON_NODE_HOLDS_NULL (id))
    return tandem_dashboard_json_cell_text (id);
  /* Without a key the row's whole text tells repeats apart. */
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), row);

    return json_to_string (node, FALSE);
  }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The id, the time, then the other columns by name: PostgREST and the WAL
 * give a row's members in different orders, and the columns must not
 * move with the way the first row came. */
static void
ensure_columns (TandemSeriesBinding *self,
                JsonObject          *row)
{
  const char *time_column = tandem_series_spec_get_time_column (self->spec);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (self->columns != NULL)
    return;
  json_object_iter_init (&iter, row);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_str_equal (name, "id") && !g_str_equal (name, time_column))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  if (json_object_has_member (row, time_column))
    g_ptr_array_insert (names, 0, g_strdup (time_column));
  if (json_object_has_member (row, "id"))
    g_ptr_array_insert (names, 0, g_strdup ("id"));
  g_ptr_array_add (names, NULL);
  self->columns = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  g_object_notify (G_OBJECT (self), "columns");
}

/* The time column reads as local time, the same whichever way the row
 * came (PostgREST and the WAL spell times differently). */
static char *
cell_text (TandemSeriesBinding *self,
           const char          *column,
           JsonNode            *node,
           gint64               time_usec)
{
  if (g_str_equal (column, tandem_series_spec_get_time_column (self->spec)))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time_usec / G_USEC_PER_SEC);

      if (dt != NULL)
        return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
    }
  return tandem_dashboard_json_cell_text (node);
}

/* Newest first, at most window_points rows. FALSE when the row is older
 * than every row of a full table. */
static gboolean
add_table_row (TandemSeriesBinding *self,
               JsonObject          *row,
               const char          *key,
               gint64               time_usec)
{
  guint cap = tandem_widget_spec_get_window_points (self->widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint lo = 0, hi = n;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TandemTableRow) table_row = NULL;

  if (cap == 0)
    cap = TANDEM_WIDGET_MAX_WINDOW_POINTS;

  /* The first row after every row of the same time or newer. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(TandemTableRow) other = g_list_model_get_item (G_LIST_MODEL (self->rows), mid);

      if (tandem_table_row_get_time (other) >= time_usec)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo >= cap)
    return FALSE;

  ensure_columns (self, row);
  for (guint i = 0; self->columns[i] != NULL; i++)
    g_ptr_array_add (values, cell_text (self, self->columns[i],
                                        json_object_get_member (row, self->columns[i]), time_usec));
  g_ptr_array_add (values, NULL);
  table_row = tandem_table_row_new (key, time_usec, (const char * const *) self->columns,
                                    (const char * const *) values->pdata);
  g_list_store_insert (self->rows, lo, table_row);
  if (n + 1 > cap)
    g_list_store_remove (self->rows, cap);
  return TRUE;
}

/* Counts @row once; FALSE when it was counted before, is unreadable or
 * falls outside the window. */
gboolean
_tandem_series_binding_add_row (TandemSeriesBinding *self,
                                JsonObject          *row)
{
  g_autofree char *key = row_key (row);
  JsonNode *time_node = json_object_get_member (row, tandem_series_spec_get_time_column (self->spec));
  gint64 time_usec;
  double value = 1.0;
  gboolean accepted;

  if (g_hash_table_contains (self->seen, key))
    return FALSE;

  if (time_node == NULL || !JSON_NODE_HOLDS_VALUE (time_node) ||
      json_node_get_value_type (time_node) != G_TYPE_STRING ||
      !tandem_dashboard_parse_time (json_node_get_string (time_node), &time_usec))
    {
      if (self->row_error == NULL)
        _tandem_series_binding_set_error (self, &self->row_error,
                         g_strdup_printf (_("Some rows have no time in “%s”"),
                                          tandem_series_spec_get_time_column (self->spec)));
      return FALSE;
    }

  if (_tandem_series_binding_is_table (self))
    accepted = add_table_row (self, row, key, time_usec);
  else
    {
      if (tandem_series_spec_get_aggregation (self->spec) != TANDEM_AGGREGATION_COUNT &&
          !tandem_dashboard_json_number (json_object_get_member (row, tandem_series_spec_get_value_column (self->spec)),
                                         &value))
        {
          if (self->row_error == NULL)
            _tandem_series_binding_set_error (self, &self->row_error,
                             g_strdup_printf (_("Some rows have no number in “%s”"),
                                              tandem_series_spec_get_value_column (self->spec)));
          return FALSE;
        }
      accepted = tandem_aggregator_add (self->aggregator, time_usec, value);
    }
  if (!accepted)
    return FALSE;

  g_hash_table_insert (self->seen, g_steal_pointer (&key), g_memdup2 (&time_usec, sizeof time_usec));
  self->newest = MAX (self->newest, time_usec);
  self->n_rows++;
  return TRUE;
}

/* Forgets the keys of rows older than anything still shown: they cannot
 * come back into the window. */
void
_tandem_series_binding_prune_seen (TandemSeriesBinding *self)
{
  GHashTableIter iter;
  gpointer value;
  gint64 oldest;

  if (g_hash_table_size (self->seen) < SEEN_PRUNE_MIN)
    return;
  if (_tandem_series_binding_is_table (self))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
      g_autoptr(TandemTableRow) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->rows), n - 1) : NULL;

      if (last == NULL)
        return;
      oldest = tandem_table_row_get_time (last);
    }
  else if (tandem_series_get_n_points (self->series) > 0)
    oldest = tandem_series_get_time (self->series, 0);
  else
    return;

  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *) value < oldest - GAP_MARGIN_USEC)
      g_hash_table_iter_remove (&iter);
}
