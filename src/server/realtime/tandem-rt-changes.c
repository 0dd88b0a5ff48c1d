/* tandem-rt-changes.c: subscriptions, their validation, the publication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-realtime"

#include "config.h"

#include <string.h>

#include "tandem-json-util.h"
#include "tandem-rt-changes-private.h"

/* One validation run for one channel; outlives the channel if it must. */
typedef struct
{
  TandemRtChanges *self;
  TandemRtChannel *channel;   /* NULL once the channel went away */
  GPtrArray       *pending;   /* Subscription, validated so far */
  guint            index;
  char            *role;
  GCancellable    *cancellable;
} Validation;

static void
subscription_free (Subscription *sub)
{
  g_free (sub->event);
  g_free (sub->schema);
  g_free (sub->table);
  g_clear_pointer (&sub->filter, tandem_filter_free);
  g_free (sub);
}

static void
validation_free (Validation *validation)
{
  g_ptr_array_unref (validation->pending);
  g_free (validation->role);
  g_clear_object (&validation->cancellable);
  g_free (validation);
}

static void
on_transaction (TandemWalStream      *stream,
                TandemWalTransaction *txn,
                TandemRtChanges      *self)
{
  tandem_rt_changes_dispatch (self, txn);
}

static void
push_system_to_all (TandemRtChanges *self,
                    const char      *status,
                    const char      *message)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      TandemRtChannel *channel = key;
      g_autoptr(JsonNode) system =
        tandem_rt_system_payload ("postgres_changes", status, message,
                                  tandem_rt_channel_get_sub_topic (channel));

      tandem_rt_socket_push (channel->socket, channel, "system", system);
    }
}

static void
on_connected_changed (TandemWalStream *stream,
                      GParamSpec      *pspec,
                      TandemRtChanges *self)
{
  /* Channels stay open while the database is away; they hear about it and
   * about the recovery, as Supabase's channels do. */
  if (tandem_wal_stream_get_connected (stream))
    push_system_to_all (self, "ok", "Subscribed to PostgreSQL");
  else
    push_system_to_all (self, "error", "Realtime was unable to connect to the project database");
}

static const char publication_sql[] =
  "SELECT p.schemaname || '.' || p.tablename, c.relrowsecurity "
  "FROM pg_publication_tables p "
  "JOIN pg_namespace n ON n.nspname = p.schemaname "
  "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = p.tablename "
  "WHERE p.pubname = 'supabase_realtime'";

static void
load_publication (TandemRtChanges *self,
                  PGresult        *result)
{
  g_hash_table_remove_all (self->published);
  for (int row = 0; row < PQntuples (result); row++)
    g_hash_table_insert (self->published, g_strdup (PQgetvalue (result, row, 0)),
                         GINT_TO_POINTER (g_str_equal (PQgetvalue (result, row, 1), "t")));
}

static void
publication_loaded_cb (GObject      *source,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  TandemRtChanges *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &error);

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("reading the publication failed: %s", error->message);
      return;
    }
  load_publication (self, result);
}

/* Tables join and leave the publication with ALTER PUBLICATION at any time;
 * re-read it at each subscription and every few seconds. */
static void
refresh_publication (TandemRtChanges *self)
{
  if (tandem_pg_conn_is_connected (self->conn))
    tandem_pg_conn_query_async (self->conn, publication_sql, NULL, 0, self->cancellable,
                                publication_loaded_cb, self);
}

static gboolean
refresh_publication_cb (gpointer user_data)
{
  refresh_publication (user_data);
  return G_SOURCE_CONTINUE;
}

gboolean
tandem_rt_changes_is_published (TandemRtChanges *self,
              TandemWalChange *change,
              gboolean        *rls_enabled)
{
  g_autofree char *name = g_strconcat (change->schema, ".", change->table, NULL);
  gpointer value = NULL;

  if (!g_hash_table_lookup_extended (self->published, name, NULL, &value))
    return FALSE;
  *rls_enabled = GPOINTER_TO_INT (value);
  return TRUE;
}

TandemRtChanges *
tandem_rt_changes_new (TandemRtHub     *hub,
                       TandemPgConn    *conn,
                       TandemWalStream *stream)
{
  TandemRtChanges *self = g_new0 (TandemRtChanges, 1);

  self->hub = hub;
  self->conn = g_object_ref (conn);
  self->stream = g_object_ref (stream);
  self->subscriptions = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->validations = g_hash_table_new (NULL, NULL);
  self->published = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->pending);
  self->cancellable = g_cancellable_new ();
  self->refresh_source = g_timeout_add_seconds (5, refresh_publication_cb, self);
  refresh_publication (self);
  self->transaction_handler = g_signal_connect (stream, "transaction", G_CALLBACK (on_transaction), self);
  self->connected_handler = g_signal_connect (stream, "notify::connected", G_CALLBACK (on_connected_changed), self);
  return self;
}

void
tandem_rt_changes_free (TandemRtChanges *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_pointer (&self->published, g_hash_table_unref);
  g_queue_clear_full (&self->pending, (GDestroyNotify) tandem_wal_transaction_unref);
  if (self->in_flight != NULL)
    tandem_rt_changes_batch_detach (self->in_flight);
  g_clear_signal_handler (&self->transaction_handler, self->stream);
  g_clear_signal_handler (&self->connected_handler, self->stream);

  /* In-flight validations finish on their own and find no owner. */
  g_hash_table_iter_init (&iter, self->validations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Validation *validation = value;

      validation->channel = NULL;
      validation->self = NULL;
      g_cancellable_cancel (validation->cancellable);
    }
  g_hash_table_unref (self->validations);
  g_hash_table_unref (self->subscriptions);
  g_object_unref (self->conn);
  g_object_unref (self->stream);
  g_free (self);
}

/* Ids */

static const char *
binding_string (JsonObject *binding,
                const char *member)
{
  JsonNode *node = json_object_get_member (binding, member);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

gint64
tandem_rt_changes_binding_id (JsonObject *binding)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), binding);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  guint32 hash = 2166136261u;

  /* FNV-1a over the canonical JSON text: identical bindings, identical ids. */
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  for (const char *p = text; *p; p++)
    {
      hash ^= (guchar) *p;
      hash *= 16777619u;
    }
  return (gint64) (hash & ((1u << 27) - 1));
}

JsonArray *
tandem_rt_changes_prepare (JsonArray *requested)
{
  JsonArray *echo = json_array_new ();

  for (guint i = 0; i < json_array_get_length (requested); i++)
    {
      JsonNode *element = json_array_get_element (requested, i);
      JsonObject *entry;
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;

      entry = json_object_new ();
      json_object_iter_init (&iter, json_node_get_object (element));
      while (json_object_iter_next (&iter, &member, &value))
        if (!g_str_equal (member, "id"))
          json_object_set_member (entry, member, json_node_copy (value));
      json_object_set_int_member (entry, "id", tandem_rt_changes_binding_id (json_node_get_object (element)));
      json_array_add_object_element (echo, entry);
    }

  return echo;
}

/* Validation */

/* Realtime's message names the parameters in Elixir's keyword syntax. */
static char *
describe_params (Subscription *sub)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "[event: %s, schema: %s, table: %s, filters: [",
                          sub->event, sub->schema, sub->table);
  for (guint i = 0; sub->filter && i < tandem_filter_get_n_conditions (sub->filter); i++)
    {
      const TandemFilterCondition *condition = tandem_filter_get_condition (sub->filter, i);
      g_autofree char *value = condition->values ? g_strjoinv (",", condition->values) : g_strdup (condition->value);

      g_string_append_printf (text, "%s{\"%s\", \"%s%s\", \"%s\"}", i ? ", " : "", condition->column,
                              condition->negated ? "not." : "", tandem_filter_op_to_string (condition->op),
                              value ? value : "");
    }
  g_string_append (text, "], select: nil]");
  return g_string_free (text, FALSE);
}

static void
finish_validation (Validation *validation,
                   const char *error_message)
{
  TandemRtChanges *self = validation->self;
  TandemRtChannel *channel = validation->channel;

  if (self != NULL && channel != NULL)
    {
      g_autoptr(JsonNode) system = NULL;

      g_hash_table_remove (self->validations, channel);
      if (error_message == NULL)
        {
          g_hash_table_replace (self->subscriptions, channel, g_ptr_array_ref (validation->pending));
          system = tandem_rt_system_payload ("postgres_changes", "ok", "Subscribed to PostgreSQL",
                                             tandem_rt_channel_get_sub_topic (channel));
        }
      else
        {
          g_info ("postgres_changes on %s refused: %s", channel->topic_name, error_message);
          g_hash_table_remove (self->subscriptions, channel);
          system = tandem_rt_system_payload ("postgres_changes", "error", error_message,
                                             tandem_rt_channel_get_sub_topic (channel));
        }
      tandem_rt_socket_push (channel->socket, channel, "system", system);
    }

  validation_free (validation);
}

static void validate_next (Validation *validation);

static const char *
column_type_from_result (const char *column,
                         gpointer    user_data)
{
  PGresult *result = user_data;

  for (int row = 0; row < PQntuples (result); row++)
    if (!PQgetisnull (result, row, 0) && g_str_equal (PQgetvalue (result, row, 0), column))
      return PQgetvalue (result, row, 1);
  return NULL;
}

static void
table_checked_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  Validation *validation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &error);
  Subscription *sub;
  g_autofree char *params = NULL;

  if (validation->channel == NULL)
    {
      finish_validation (validation, NULL);
      return;
    }

  sub = g_ptr_array_index (validation->pending, validation->index);
  params = describe_params (sub);

  if (result == NULL)
    {
      g_autofree char *message = NULL;

      g_info ("checking %s.%s failed: %s", sub->schema, sub->table, error->message);
      if (error->domain == TANDEM_PG_ERROR && error->code == TANDEM_PG_ERROR_SQL)
        message = g_strdup_printf ("Unable to subscribe to changes with given parameters. Please check "
                                   "Realtime is enabled for the given connect parameters: %s", params);
      else
        message = g_strdup ("Realtime was unable to connect to the project database");
      finish_validation (validation, message);
      return;
    }

  /* Columns 0 name, 1 type, 2 published, 3 selectable: no row means no table. */
  if (PQntuples (result) == 0 || !g_str_equal (PQgetvalue (result, 0, 2), "t") ||
      (sub->filter != NULL && !tandem_filter_check_types (sub->filter, column_type_from_result, result, NULL)))
    {
      g_autofree char *message =
        g_strdup_printf ("Unable to subscribe to changes with given parameters. Please check "
                         "Realtime is enabled for the given connect parameters: %s", params);

      finish_validation (validation, message);
      return;
    }

  for (guint i = 0; sub->filter && i < tandem_filter_get_n_conditions (sub->filter); i++)
    {
      const TandemFilterCondition *condition = tandem_filter_get_condition (sub->filter, i);

      for (int row = 0; row < PQntuples (result); row++)
        if (g_str_equal (PQgetvalue (result, row, 0), condition->column) &&
            !g_str_equal (PQgetvalue (result, row, 3), "t"))
          {
            g_autofree char *message =
              g_strdup_printf ("Unable to subscribe to changes with given parameters. Please check "
                               "Realtime is enabled for the given connect parameters: %s", params);

            finish_validation (validation, message);
            return;
          }
    }

  validation->index++;
  validate_next (validation);
}

static const char table_check_sql[] =
  "SELECT a.attname, t.typname, "
  "       EXISTS (SELECT 1 FROM pg_publication_tables p "
  "               WHERE p.pubname = 'supabase_realtime' AND p.schemaname = n.nspname "
  "                 AND p.tablename = c.relname) AS published, "
  "       CASE WHEN a.attname IS NULL THEN false "
  "            WHEN EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = $3) "
  "            THEN has_column_privilege($3, c.oid, a.attnum, 'SELECT') "
  "            ELSE false END AS selectable "
  "FROM pg_class c "
  "JOIN pg_namespace n ON n.oid = c.relnamespace "
  "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
  "LEFT JOIN pg_type t ON t.oid = a.atttypid "
  "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') "
  "ORDER BY a.attnum";

static void
validation_publication_cb (GObject      *source,
                           GAsyncResult *res,
                           gpointer      user_data)
{
  Validation *validation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &error);

  if (validation->channel == NULL)
    {
      finish_validation (validation, NULL);
      return;
    }
  if (result == NULL)
    {
      finish_validation (validation, "Realtime was unable to connect to the project database");
      return;
    }
  load_publication (validation->self, result);
  finish_validation (validation, NULL);
}

static void
validate_next (Validation *validation)
{
  Subscription *sub;
  const char *params[3];

  if (validation->index >= validation->pending->len)
    {
      /* Read the publication before confirming, so that a change committed
       * right after "Subscribed to PostgreSQL" is known to be published. */
      tandem_pg_conn_query_async (validation->self->conn, publication_sql, NULL, 0,
                                  validation->cancellable, validation_publication_cb, validation);
      return;
    }

  sub = g_ptr_array_index (validation->pending, validation->index);
  if (g_str_equal (sub->table, "*") || g_str_equal (sub->schema, "*"))
    {
      /* Wildcards cover every published table; nothing to check. */
      validation->index++;
      validate_next (validation);
      return;
    }

  params[0] = sub->schema;
  params[1] = sub->table;
  params[2] = validation->role;
  tandem_pg_conn_query_async (validation->self->conn, table_check_sql, params, 3,
                              validation->cancellable, table_checked_cb, validation);
}

/* The first, database-free step: shapes and filter syntax. */
static Subscription *
parse_binding (JsonObject  *binding,
               char       **error_message)
{
  const char *event = binding_string (binding, "event");
  const char *schema = binding_string (binding, "schema");
  const char *table = binding_string (binding, "table");
  const char *filter = binding_string (binding, "filter");
  g_autoptr(GError) error = NULL;
  Subscription *sub;

  if (schema == NULL && table == NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), binding);
      g_autofree char *text = json_to_string (node, FALSE);

      *error_message = g_strdup_printf ("No subscription params provided. Please provide at least a "
                                        "`schema` or `table` to subscribe to: %s", text);
      return NULL;
    }

  sub = g_new0 (Subscription, 1);
  sub->id = json_object_get_int_member_with_default (binding, "id", 0);
  if (event != NULL && (g_ascii_strcasecmp (event, "INSERT") == 0 ||
                        g_ascii_strcasecmp (event, "UPDATE") == 0 ||
                        g_ascii_strcasecmp (event, "DELETE") == 0))
    sub->event = g_ascii_strup (event, -1);
  else
    sub->event = g_strdup ("*");
  sub->schema = g_strdup (schema ? schema : "public");
  sub->table = g_strdup (table ? table : "*");

  if (filter != NULL)
    {
      sub->filter = tandem_filter_parse (filter, &error);
      if (sub->filter == NULL)
        {
          const char *eq = strchr (filter, '=');

          /* Realtime names the parts it could not use: what follows the
           * '=', split at the operator's '.'. */
          if (error->code == TANDEM_FILTER_ERROR_TOO_MANY_VALUES)
            *error_message = g_strdup (error->message);
          else if (eq != NULL && strchr (eq + 1, '.') != NULL)
            {
              const char *dot = strchr (eq + 1, '.');
              g_autofree char *op = g_strndup (eq + 1, dot - eq - 1);

              *error_message = g_strdup_printf ("Error parsing `filter` params: [\"%s\", \"%s\"]", op, dot + 1);
            }
          else
            *error_message = g_strdup_printf ("Error parsing `filter` params: [\"%s\"]", eq != NULL ? eq + 1 : filter);
          subscription_free (sub);
          return NULL;
        }
      if (tandem_filter_get_n_conditions (sub->filter) == 0)
        g_clear_pointer (&sub->filter, tandem_filter_free);
    }

  return sub;
}

void
tandem_rt_changes_subscribe (TandemRtChanges *self,
                             TandemRtChannel *channel)
{
  Validation *validation;

  /* A newer validation replaces an older one still running. */
  validation = g_hash_table_lookup (self->validations, channel);
  if (validation != NULL)
    {
      validation->channel = NULL;
      g_cancellable_cancel (validation->cancellable);
      g_hash_table_remove (self->validations, channel);
    }

  validation = g_new0 (Validation, 1);
  validation->self = self;
  validation->channel = channel;
  validation->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) subscription_free);
  validation->role = g_strdup (tandem_rt_channel_get_role (channel));
  validation->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->validations, channel, validation);

  for (guint i = 0; i < json_array_get_length (channel->postgres_changes); i++)
    {
      JsonObject *binding = json_array_get_object_element (channel->postgres_changes, i);
      g_autofree char *error_message = NULL;
      Subscription *sub = parse_binding (binding, &error_message);

      if (sub == NULL)
        {
          finish_validation (validation, error_message);
          return;
        }
      g_ptr_array_add (validation->pending, sub);
    }

  validate_next (validation);
}

void
tandem_rt_changes_unsubscribe (TandemRtChanges *self,
                               TandemRtChannel *channel)
{
  Validation *validation = g_hash_table_lookup (self->validations, channel);

  if (validation != NULL)
    {
      validation->channel = NULL;
      g_cancellable_cancel (validation->cancellable);
      g_hash_table_remove (self->validations, channel);
    }
  g_hash_table_remove (self->subscriptions, channel);
}

