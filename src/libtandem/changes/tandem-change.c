/* tandem-change.c: one row change delivered by postgres_changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-change-private.h"
#include "tandem-client.h"
#include "tandem-enums.h"

/**
 * TandemChange:
 *
 * One row change delivered to a postgres_changes binding: where it
 * happened, what happened, and the row before and after.
 *
 * Values are converted from the column types as realtime-js does, so an
 * app sees the same record a JavaScript peer sees. A change is immutable:
 * its record, old record and columns are sealed.
 */
struct _TandemChange
{
  GObject            parent_instance;

  char              *schema;
  char              *table;
  TandemChangeEvent  event;
  JsonObject        *record;
  JsonObject        *old_record;
  GDateTime         *commit_timestamp;  /* nullable */
  JsonArray         *columns;
  GStrv              errors;            /* nullable */
};

G_DEFINE_FINAL_TYPE (TandemChange, tandem_change, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SCHEMA,
  PROP_TABLE,
  PROP_EVENT,
  PROP_RECORD,
  PROP_OLD_RECORD,
  PROP_COMMIT_TIMESTAMP,
  PROP_COLUMNS,
  PROP_ERRORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tandem_change_finalize (GObject *object)
{
  TandemChange *self = TANDEM_CHANGE (object);

  g_clear_pointer (&self->schema, g_free);
  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->old_record, json_object_unref);
  g_clear_pointer (&self->commit_timestamp, g_date_time_unref);
  g_clear_pointer (&self->columns, json_array_unref);
  g_clear_pointer (&self->errors, g_strfreev);

  G_OBJECT_CLASS (tandem_change_parent_class)->finalize (object);
}

static void
tandem_change_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TandemChange *self = TANDEM_CHANGE (object);

  switch (prop_id)
    {
    case PROP_SCHEMA:
      g_value_set_string (value, self->schema);
      break;

    case PROP_TABLE:
      g_value_set_string (value, self->table);
      break;

    case PROP_EVENT:
      g_value_set_enum (value, self->event);
      break;

    case PROP_RECORD:
      g_value_set_boxed (value, self->record);
      break;

    case PROP_OLD_RECORD:
      g_value_set_boxed (value, self->old_record);
      break;

    case PROP_COMMIT_TIMESTAMP:
      g_value_set_boxed (value, self->commit_timestamp);
      break;

    case PROP_COLUMNS:
      g_value_set_boxed (value, self->columns);
      break;

    case PROP_ERRORS:
      g_value_set_boxed (value, self->errors);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_change_class_init (TandemChangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_change_finalize;
  object_class->get_property = tandem_change_get_property;

  /**
   * TandemChange:schema:
   *
   * The schema of the changed table, e.g. `public`.
   */
  properties[PROP_SCHEMA] =
    g_param_spec_string ("schema", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemChange:table:
   *
   * The changed table.
   */
  properties[PROP_TABLE] =
    g_param_spec_string ("table", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemChange:event:
   *
   * %TANDEM_CHANGE_INSERT, %TANDEM_CHANGE_UPDATE or %TANDEM_CHANGE_DELETE.
   */
  properties[PROP_EVENT] =
    g_param_spec_enum ("event", NULL, NULL,
                       TANDEM_TYPE_CHANGE_EVENT,
                       TANDEM_CHANGE_INSERT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemChange:record:
   *
   * The new row; empty for a delete.
   */
  properties[PROP_RECORD] =
    g_param_spec_boxed ("record", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemChange:old-record:
   *
   * The old row's identity columns; empty for an insert.
   */
  properties[PROP_OLD_RECORD] =
    g_param_spec_boxed ("old-record", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemChange:commit-timestamp:
   *
   * When the transaction committed (UTC), or %NULL if the server did not
   * say.
   */
  properties[PROP_COMMIT_TIMESTAMP] =
    g_param_spec_boxed ("commit-timestamp", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemChange:columns:
   *
   * The columns the subscriber may see, as `{"name": …, "type": …}`
   * objects in table order.
   */
  properties[PROP_COLUMNS] =
    g_param_spec_boxed ("columns", NULL, NULL,
                        JSON_TYPE_ARRAY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemChange:errors:
   *
   * The server's errors for this change (e.g. `Error 413: Payload Too
   * Large`), or %NULL.
   */
  properties[PROP_ERRORS] =
    g_param_spec_boxed ("errors", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_change_init (TandemChange *self)
{
}

static gboolean
fail (GError     **error,
      const char  *what)
{
  g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PROTOCOL,
               "Malformed postgres_changes data: %s", what);
  return FALSE;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The {"name", "type"} column objects, and name → type for conversion.
 * Malformed entries are left out: realtime-js's lookup never matches them. */
static gboolean
read_columns (JsonObject  *data,
              JsonArray  **out_columns,
              GHashTable **out_types,
              GError     **error)
{
  JsonNode *node = json_object_get_member (data, "columns");
  g_autoptr(JsonArray) columns = json_array_new ();
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return fail (error, "columns is not an array");
      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonNode *copy;
          const char *name;
          const char *type;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          name = get_string_member (json_node_get_object (element), "name");
          type = get_string_member (json_node_get_object (element), "type");
          if (name == NULL || type == NULL)
            continue;

          copy = _tandem_change_json_deep_copy (element);
          json_array_add_element (columns, copy);
          /* realtime-js takes the first column of a name. */
          if (!g_hash_table_contains (types, name))
            g_hash_table_insert (types,
                                 (gpointer) get_string_member (json_node_get_object (copy), "name"),
                                 (gpointer) get_string_member (json_node_get_object (copy), "type"));
        }
    }

  json_array_seal (columns);
  *out_columns = g_steal_pointer (&columns);
  *out_types = g_steal_pointer (&types);
  return TRUE;
}

/* The converted copy of data[@name]: empty when missing (realtime-js starts
 * from {}), or when @wanted is FALSE (the member does not belong to this
 * event, as realtime-js ignores it). */
static gboolean
read_record (JsonObject  *data,
             const char  *name,
             gboolean     wanted,
             GHashTable  *types,
             JsonObject **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (data, name);
  g_autoptr(JsonObject) record = json_object_new ();

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObjectIter iter;
      const char *column;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *what = g_strdup_printf ("%s is not an object", name);

          return fail (error, what);
        }

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (wanted && json_object_iter_next_ordered (&iter, &column, &value))
        {
          const char *type = g_hash_table_lookup (types, column);

          json_object_set_member (record, column,
                                  type != NULL ? _tandem_change_convert_value (type, value)
                                               : _tandem_change_json_deep_copy (value));
        }
    }

  json_object_seal (record);
  *out = g_steal_pointer (&record);
  return TRUE;
}

static gboolean
read_commit_timestamp (JsonObject  *data,
                       GDateTime  **out,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (data, "commit_timestamp");
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;

  *out = NULL;
  /* Changes that only carry errors may come without one. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, "commit_timestamp is not a string");

  utc = g_time_zone_new_utc ();
  parsed = g_date_time_new_from_iso8601 (json_node_get_string (node), utc);
  if (parsed == NULL)
    return fail (error, "commit_timestamp is not an ISO 8601 time");

  *out = g_date_time_to_timezone (parsed, utc);
  return TRUE;
}

static gboolean
read_errors (JsonObject  *data,
             GStrv       *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (data, "errors");
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint n;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "errors is neither null nor an array");

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return TRUE;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return fail (error, "errors holds a non-string");
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

TandemChange *
_tandem_change_new_from_data (JsonObject  *data,
                              GError     **error)
{
  g_autoptr(TandemChange) self = NULL;
  g_autoptr(GHashTable) types = NULL;
  const char *schema;
  const char *table;
  const char *type;
  TandemChangeEvent event;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    {
      fail (error, "no data");
      return NULL;
    }

  schema = get_string_member (data, "schema");
  table = get_string_member (data, "table");
  type = get_string_member (data, "type");
  if (schema == NULL || table == NULL || type == NULL)
    {
      fail (error, "schema, table or type missing");
      return NULL;
    }
  if (!_tandem_change_event_from_string (type, &event) || event == TANDEM_CHANGE_ALL)
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PROTOCOL,
                   "Malformed postgres_changes data: unknown type “%s”", type);
      return NULL;
    }

  self = g_object_new (TANDEM_TYPE_CHANGE, NULL);
  self->schema = g_strdup (schema);
  self->table = g_strdup (table);
  self->event = event;

  if (!read_columns (data, &self->columns, &types, error) ||
      !read_record (data, "record", event != TANDEM_CHANGE_DELETE, types, &self->record, error) ||
      !read_record (data, "old_record", event != TANDEM_CHANGE_INSERT, types, &self->old_record, error) ||
      !read_commit_timestamp (data, &self->commit_timestamp, error) ||
      !read_errors (data, &self->errors, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
_tandem_change_event_to_string (TandemChangeEvent event)
{
  switch (event)
    {
    case TANDEM_CHANGE_INSERT:
      return "INSERT";
    case TANDEM_CHANGE_UPDATE:
      return "UPDATE";
    case TANDEM_CHANGE_DELETE:
      return "DELETE";
    case TANDEM_CHANGE_ALL:
    default:
      return "*";
    }
}

gboolean
_tandem_change_event_from_string (const char        *text,
                                  TandemChangeEvent *event)
{
  static const struct {
    const char        *name;
    TandemChangeEvent  event;
  } events[] = {
    { "*", TANDEM_CHANGE_ALL },
    { "INSERT", TANDEM_CHANGE_INSERT },
    { "UPDATE", TANDEM_CHANGE_UPDATE },
    { "DELETE", TANDEM_CHANGE_DELETE },
  };

  g_return_val_if_fail (event != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      if (g_ascii_strcasecmp (text, events[i].name) == 0)
        {
          *event = events[i].event;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * tandem_change_get_schema:
 * @self: a #TandemChange
 *
 * Returns: the schema of the changed table
 */
const char *
tandem_change_get_schema (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return self->schema;
}

/**
 * tandem_change_get_table:
 * @self: a #TandemChange
 *
 * Returns: the changed table
 */
const char *
tandem_change_get_table (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return self->table;
}

/**
 * tandem_change_get_event:
 * @self: a #TandemChange
 *
 * Returns: %TANDEM_CHANGE_INSERT, %TANDEM_CHANGE_UPDATE or
 *   %TANDEM_CHANGE_DELETE (never %TANDEM_CHANGE_ALL)
 */
TandemChangeEvent
tandem_change_get_event (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), TANDEM_CHANGE_INSERT);

  return self->event;
}

/**
 * tandem_change_get_event_name:
 * @self: a #TandemChange
 *
 * Returns: `INSERT`, `UPDATE` or `DELETE`, as realtime-js's `eventType`
 */
const char *
tandem_change_get_event_name (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return _tandem_change_event_to_string (self->event);
}

/**
 * tandem_change_get_record:
 * @self: a #TandemChange
 *
 * The new row of an insert or update, with string values converted by
 * column type as realtime-js does (`t` → true, numbers parsed, JSON
 * parsed, array literals to arrays). Empty for a delete.
 *
 * Returns: (transfer none): the new row (sealed)
 */
JsonObject *
tandem_change_get_record (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return self->record;
}

/**
 * tandem_change_get_old_record:
 * @self: a #TandemChange
 *
 * The old row of an update or delete: its replica identity (the primary
 * key unless the table is `REPLICA IDENTITY FULL`), converted like the
 * record. Empty for an insert.
 *
 * Returns: (transfer none): the old row (sealed)
 */
JsonObject *
tandem_change_get_old_record (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return self->old_record;
}

/**
 * tandem_change_get_commit_timestamp:
 * @self: a #TandemChange
 *
 * Returns: (transfer none) (nullable): when the transaction committed, in
 *   UTC, or %NULL if the server did not say
 */
GDateTime *
tandem_change_get_commit_timestamp (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return self->commit_timestamp;
}

/**
 * tandem_change_get_columns:
 * @self: a #TandemChange
 *
 * The columns the subscriber may see, in table order, as objects with the
 * string members `name` and `type` (the PostgreSQL type name; arrays start
 * with `_`).
 *
 * Returns: (transfer none): the columns (sealed)
 */
JsonArray *
tandem_change_get_columns (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return self->columns;
}

/**
 * tandem_change_get_errors:
 * @self: a #TandemChange
 *
 * The server's errors for this change, e.g. `Error 413: Payload Too Large`
 * (then only small values are in the records).
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   errors, or %NULL if there are none
 */
const char * const *
tandem_change_get_errors (TandemChange *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANGE (self), NULL);

  return (const char * const *) self->errors;
}
