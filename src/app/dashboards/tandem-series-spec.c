/* tandem-series-spec.c
 *
 * One series of a widget: where its rows come from and how they are
 * aggregated. Parsing checks the names (plain identifiers, as they go into
 * URLs and channel names) and the filter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboards"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tandem-json-util.h"

#include "tandem-aggregator.h"
#include "tandem-dashboard-filter.h"
#include "tandem-dashboard-layout-private.h"

static const char * const series_members[] = {
  "label", "table", "filter", "time_column", "value_column", "aggregation", NULL,
};

/* ---- TandemSeriesSpec ---- */

G_DEFINE_BOXED_TYPE (TandemSeriesSpec, tandem_series_spec, tandem_series_spec_ref, tandem_series_spec_unref)

TandemSeriesSpec *
tandem_series_spec_new (void)
{
  TandemSeriesSpec *self = g_new0 (TandemSeriesSpec, 1);

  self->ref_count = 1;
  self->label = g_strdup ("");
  self->table = g_strdup ("analytics_events");
  self->filter = g_strdup ("");
  self->time_column = g_strdup ("created_at");
  self->value_column = g_strdup ("value");
  self->aggregation = TANDEM_AGGREGATION_NONE;
  return self;
}

TandemSeriesSpec *
tandem_series_spec_ref (TandemSeriesSpec *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
tandem_series_spec_unref (TandemSeriesSpec *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_free (self->label);
  g_free (self->table);
  g_free (self->filter);
  g_free (self->time_column);
  g_free (self->value_column);
  g_clear_pointer (&self->extras, json_node_unref);
  g_free (self);
}

TandemSeriesSpec *
tandem_series_spec_copy (TandemSeriesSpec *self)
{
  TandemSeriesSpec *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = tandem_series_spec_new ();
  tandem_series_spec_set_label (copy, self->label);
  tandem_series_spec_set_table (copy, self->table);
  tandem_series_spec_set_filter (copy, self->filter);
  tandem_series_spec_set_time_column (copy, self->time_column);
  tandem_series_spec_set_value_column (copy, self->value_column);
  copy->aggregation = self->aggregation;
  copy->extras = self->extras ? json_node_copy (self->extras) : NULL;
  return copy;
}

gboolean
tandem_series_spec_equal (TandemSeriesSpec *a,
                          TandemSeriesSpec *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_str_equal (a->label, b->label) && g_str_equal (a->table, b->table) &&
         g_str_equal (a->filter, b->filter) && g_str_equal (a->time_column, b->time_column) &&
         g_str_equal (a->value_column, b->value_column) && a->aggregation == b->aggregation &&
         _tandem_layout_extras_equal (a->extras, b->extras);
}

STRING_ACCESSORS (TandemSeriesSpec, series_spec, label)
STRING_ACCESSORS (TandemSeriesSpec, series_spec, table)
STRING_ACCESSORS (TandemSeriesSpec, series_spec, filter)
STRING_ACCESSORS (TandemSeriesSpec, series_spec, time_column)
STRING_ACCESSORS (TandemSeriesSpec, series_spec, value_column)

void
tandem_series_spec_set_label (TandemSeriesSpec *self, const char *label)
{
  g_return_if_fail (self != NULL);
  _tandem_layout_set_string (&self->label, label);
}

void
tandem_series_spec_set_table (TandemSeriesSpec *self, const char *table)
{
  g_return_if_fail (self != NULL);
  _tandem_layout_set_string (&self->table, table);
}

void
tandem_series_spec_set_filter (TandemSeriesSpec *self, const char *filter)
{
  g_return_if_fail (self != NULL);
  _tandem_layout_set_string (&self->filter, filter);
}

void
tandem_series_spec_set_time_column (TandemSeriesSpec *self, const char *column)
{
  g_return_if_fail (self != NULL);
  _tandem_layout_set_string (&self->time_column, column);
}

void
tandem_series_spec_set_value_column (TandemSeriesSpec *self, const char *column)
{
  g_return_if_fail (self != NULL);
  _tandem_layout_set_string (&self->value_column, column);
}

TandemAggregation
tandem_series_spec_get_aggregation (TandemSeriesSpec *self)
{
  g_return_val_if_fail (self != NULL, TANDEM_AGGREGATION_NONE);
  return self->aggregation;
}

void
tandem_series_spec_set_aggregation (TandemSeriesSpec  *self,
                                    TandemAggregation  aggregation)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (aggregation <= TANDEM_AGGREGATION_MAX);
  self->aggregation = aggregation;
}

gboolean
_tandem_series_spec_validate (TandemSeriesSpec  *self,
                              const char        *path,
                              GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!tandem_dashboard_check_identifier (self->table, &local_error))
    goto fail_table;
  if (!tandem_dashboard_check_identifier (self->time_column, &local_error))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   "%s.time_column: %s", path, local_error->message);
      return FALSE;
    }
  /* A count needs no value. */
  if ((self->aggregation != TANDEM_AGGREGATION_COUNT || *self->value_column != '\0') &&
      !tandem_dashboard_check_identifier (self->value_column, &local_error))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   "%s.value_column: %s", path, local_error->message);
      return FALSE;
    }
  if (!tandem_dashboard_filter_check (self->filter, &local_error))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_FILTER,
                   "%s.filter: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;

fail_table:
  g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
               "%s.table: %s", path, local_error->message);
  return FALSE;
}

TandemSeriesSpec *
_tandem_series_spec_from_json (JsonNode    *node,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(TandemSeriesSpec) self = tandem_series_spec_new ();
  g_autofree char *aggregation = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   _("%s: expected an object"), path);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!_tandem_layout_read_string (object, "label", path, FALSE, &self->label, error) ||
      !_tandem_layout_read_string (object, "table", path, TRUE, &self->table, error) ||
      !_tandem_layout_read_string (object, "filter", path, FALSE, &self->filter, error) ||
      !_tandem_layout_read_string (object, "time_column", path, FALSE, &self->time_column, error) ||
      !_tandem_layout_read_string (object, "value_column", path, FALSE, &self->value_column, error) ||
      !_tandem_layout_read_string (object, "aggregation", path, FALSE, &aggregation, error))
    return NULL;
  if (aggregation != NULL && !tandem_aggregation_from_string (aggregation, &self->aggregation))
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   _("%s.aggregation: “%s” is not one of none, count, sum, avg, min, max"),
                   path, aggregation);
      return NULL;
    }
  if (!_tandem_series_spec_validate (self, path, error))
    return NULL;
  self->extras = _tandem_layout_collect_extras (object, series_members);
  return g_steal_pointer (&self);
}

void
_tandem_series_spec_to_json (TandemSeriesSpec *self,
                             JsonBuilder      *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, self->label);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, self->table);
  json_builder_set_member_name (builder, "filter");
  json_builder_add_string_value (builder, self->filter);
  json_builder_set_member_name (builder, "time_column");
  json_builder_add_string_value (builder, self->time_column);
  json_builder_set_member_name (builder, "value_column");
  json_builder_add_string_value (builder, self->value_column);
  json_builder_set_member_name (builder, "aggregation");
  json_builder_add_string_value (builder, tandem_aggregation_to_string (self->aggregation));
  _tandem_layout_add_extras (builder, self->extras);
  json_builder_end_object (builder);
}
