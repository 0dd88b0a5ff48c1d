/* tandem-rt-changes-delivery.c: matching committed changes against the
 * subscriptions, row-level security checks, and delivery in commit order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-realtime"

#include "config.h"

#include <string.h>

#include "tandem-json-util.h"
#include "tandem-rt-changes-private.h"

/* Delivery */

static const char *
change_column_type (const char *column,
                    gpointer    user_data)
{
  TandemWalChange *change = user_data;

  return change->column_types ? g_hash_table_lookup (change->column_types, column) : NULL;
}

gboolean
tandem_rt_changes_subscription_matches (Subscription    *sub,
                      TandemWalChange *change)
{
  JsonObject *row;

  if (!g_str_equal (sub->event, "*") && !g_str_equal (sub->event, tandem_change_type_to_string (change->type)))
    return FALSE;
  if (!g_str_equal (sub->schema, "*") && !g_str_equal (sub->schema, change->schema))
    return FALSE;
  if (!g_str_equal (sub->table, "*") && !g_str_equal (sub->table, change->table))
    return FALSE;
  if (sub->filter == NULL)
    return TRUE;

  /* DELETE filters look at the old identity columns. */
  row = change->type == TANDEM_CHANGE_DELETE ? change->old_record : change->record;
  if (row == NULL)
    return FALSE;
  return tandem_filter_matches (sub->filter, row, change_column_type, change);
}

static JsonObject *
small_values_only (JsonObject *record)
{
  JsonObject *small = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init (&iter, record);
  while (json_object_iter_next (&iter, &member, &value))
    {
      g_autofree char *text = json_to_string (value, FALSE);

      if (strlen (text) <= 64)
        json_object_set_member (small, member, json_node_copy (value));
    }
  return small;
}

static gsize
record_size (JsonObject *record)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (record == NULL)
    return 0;
  node = json_node_init_object (json_node_alloc (), record);
  text = json_to_string (node, FALSE);
  return strlen (text);
}

/* old_record reduced to the primary key, as Supabase sends DELETEs of
 * tables with row-level security. */
static JsonObject *
primary_key_only (TandemWalChange *change)
{
  JsonObject *pk = json_object_new ();

  for (guint i = 0; change->primary_key && change->primary_key[i]; i++)
    if (json_object_has_member (change->old_record, change->primary_key[i]))
      json_object_set_member (pk, change->primary_key[i],
                              json_node_copy (json_object_get_member (change->old_record, change->primary_key[i])));
  return pk;
}

JsonObject *
tandem_rt_changes_build_data (TandemWalChange *change,
                              const char      *commit_timestamp,
                              gsize            max_record_bytes,
                              gboolean         old_pk_only)
{
  JsonObject *data = json_object_new ();
  gboolean no_pk = change->primary_key == NULL || change->primary_key[0] == NULL;
  gboolean too_large = FALSE;

  json_object_set_string_member (data, "schema", change->schema);
  json_object_set_string_member (data, "table", change->table);
  json_object_set_string_member (data, "commit_timestamp", commit_timestamp);
  json_object_set_string_member (data, "type", tandem_change_type_to_string (change->type));

  if (no_pk)
    {
      JsonArray *errors = json_array_new ();

      json_object_set_array_member (data, "columns", json_array_new ());
      json_object_set_object_member (data, "record", json_object_new ());
      json_array_add_string_element (errors, "Error 400: Bad Request, no primary key");
      json_object_set_array_member (data, "errors", errors);
      return data;
    }

  too_large = record_size (change->record) + record_size (change->old_record) > max_record_bytes;

  json_object_set_array_member (data, "columns",
                                change->columns ? json_array_ref (change->columns) : json_array_new ());
  if (change->type != TANDEM_CHANGE_DELETE)
    json_object_set_object_member (data, "record",
                                   change->record == NULL ? json_object_new () :
                                   too_large ? small_values_only (change->record) :
                                   json_object_ref (change->record));
  if (change->type == TANDEM_CHANGE_UPDATE || change->type == TANDEM_CHANGE_DELETE)
    json_object_set_object_member (data, "old_record",
                                   change->old_record == NULL ? json_object_new () :
                                   old_pk_only ? primary_key_only (change) :
                                   too_large ? small_values_only (change->old_record) :
                                   json_object_ref (change->old_record));
  if (too_large)
    {
      JsonArray *errors = json_array_new ();

      json_array_add_string_element (errors, "Error 413: Payload Too Large");
      json_object_set_array_member (data, "errors", errors);
    }
  else
    json_object_set_null_member (data, "errors");

  return data;
}

/* One channel's share of one change: the ids that matched, and which
 * visibility check (if any) decides whether it is delivered. */
typedef struct
{
  guint            change_index;
  TandemRtChannel *channel;
  char            *join_ref;     /* to notice a channel replaced meanwhile */
  JsonArray       *ids;
  int              check;        /* index into the checks, or -1: no check */
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_free (delivery->join_ref);
  json_array_unref (delivery->ids);
  g_free (delivery);
}

struct _Batch
{
  TandemRtChanges      *self;
  TandemWalTransaction *txn;
  GPtrArray            *deliveries;  /* Delivery */
  GPtrArray            *checks;      /* JsonObject {schema, table, role, claims, pk} */
  GHashTable           *check_keys;  /* "change|role|claims" -> index + 1 */
  GArray               *rls;         /* per change: the table has RLS on */
  char                 *checks_text; /* the checks as sent */
  guint                 retry_source;
};

/* The owner went away while the batch's check runs: the callback finds no
 * owner and drops the batch (the slot keeps the transaction). */
static void batch_free (Batch *batch);

void
tandem_rt_changes_batch_detach (Batch *batch)
{
  batch->self = NULL;
  /* Waiting for a retry, nothing else holds it. */
  if (batch->retry_source != 0)
    batch_free (batch);
}

static void
batch_free (Batch *batch)
{
  g_clear_handle_id (&batch->retry_source, g_source_remove);
  g_free (batch->checks_text);
  tandem_wal_transaction_unref (batch->txn);
  g_ptr_array_unref (batch->deliveries);
  g_ptr_array_unref (batch->checks);
  g_hash_table_unref (batch->check_keys);
  g_array_unref (batch->rls);
  g_free (batch);
}

static JsonArray *
matching_ids (GPtrArray       *subs,
              TandemWalChange *change)
{
  JsonArray *ids = NULL;

  for (guint i = 0; i < subs->len; i++)
    {
      Subscription *sub = g_ptr_array_index (subs, i);
      gboolean seen = FALSE;

      if (!tandem_rt_changes_subscription_matches (sub, change))
        continue;
      if (ids == NULL)
        ids = json_array_new ();
      /* Identical bindings share an id; list it once. */
      for (guint j = 0; j < json_array_get_length (ids); j++)
        seen |= json_array_get_int_element (ids, j) == sub->id;
      if (!seen)
        json_array_add_int_element (ids, sub->id);
    }
  return ids;
}

/* The visibility check for @change as seen by @channel, shared between
 * channels with the same role and claims. */
static int
batch_add_check (Batch           *batch,
                 guint            change_index,
                 TandemWalChange *change,
                 TandemRtChannel *channel)
{
  g_autoptr(JsonNode) claims_node = tandem_json_node_take_object (json_object_ref (channel->claims));
  g_autofree char *claims_text = json_to_string (claims_node, FALSE);
  g_autofree char *key = g_strdup_printf ("%u|%s|%s", change_index, tandem_rt_channel_get_role (channel), claims_text);
  gpointer existing = g_hash_table_lookup (batch->check_keys, key);
  JsonObject *check;
  JsonObject *pk;

  if (existing != NULL)
    return GPOINTER_TO_INT (existing) - 1;

  pk = json_object_new ();
  for (guint i = 0; change->primary_key && change->primary_key[i]; i++)
    if (change->record != NULL && json_object_has_member (change->record, change->primary_key[i]))
      json_object_set_member (pk, change->primary_key[i],
                              json_node_copy (json_object_get_member (change->record, change->primary_key[i])));

  check = json_object_new ();
  json_object_set_string_member (check, "schema", change->schema);
  json_object_set_string_member (check, "table", change->table);
  json_object_set_string_member (check, "role", tandem_rt_channel_get_role (channel));
  json_object_set_object_member (check, "claims", json_object_ref (channel->claims));
  json_object_set_object_member (check, "pk", pk);
  g_ptr_array_add (batch->checks, check);
  g_hash_table_insert (batch->check_keys, g_steal_pointer (&key), GINT_TO_POINTER (batch->checks->len));
  return batch->checks->len - 1;
}

static Batch *
batch_new (TandemRtChanges      *self,
           TandemWalTransaction *txn)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->self = self;
  batch->txn = tandem_wal_transaction_ref (txn);
  batch->deliveries = g_ptr_array_new_with_free_func ((GDestroyNotify) delivery_free);
  batch->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  batch->check_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  batch->rls = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), txn->changes->len);

  for (guint c = 0; c < txn->changes->len; c++)
    {
      TandemWalChange *change = g_ptr_array_index (txn->changes, c);
      gboolean rls = FALSE;
      GHashTableIter iter;
      gpointer key, value;

      g_array_append_val (batch->rls, rls);
      /* Realtime never emits TRUNCATE, nor tables outside the publication. */
      if (change->type == TANDEM_CHANGE_TRUNCATE || !tandem_rt_changes_is_published (self, change, &rls))
        continue;
      g_array_index (batch->rls, gboolean, c) = rls;

      g_hash_table_iter_init (&iter, self->subscriptions);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          TandemRtChannel *channel = key;
          JsonArray *ids = matching_ids (value, change);
          Delivery *delivery;

          if (ids == NULL)
            continue;
          delivery = g_new0 (Delivery, 1);
          delivery->change_index = c;
          delivery->channel = channel;
          delivery->join_ref = g_strdup (channel->join_ref);
          delivery->ids = ids;
          /* Only tables with row-level security are checked, as Supabase's
           * apply_rls does; the service role bypasses RLS; DELETEs are not
           * checked (the row is gone), as Supabase documents. */
          if (!rls || change->type == TANDEM_CHANGE_DELETE ||
              g_str_equal (tandem_rt_channel_get_role (channel), "service_role"))
            delivery->check = -1;
          else
            delivery->check = batch_add_check (batch, c, change, channel);
          g_ptr_array_add (batch->deliveries, delivery);
        }
    }

  return batch;
}

/* Slots stay NULL for changes nobody receives. */
static void
data_object_free (gpointer data)
{
  if (data != NULL)
    json_object_unref (data);
}

static void
batch_deliver (Batch          *batch,
               const gboolean *visible,
               guint           n_visible)
{
  TandemRtChanges *self = batch->self;
  g_autoptr(GPtrArray) data = g_ptr_array_new_full (batch->txn->changes->len, data_object_free);

  g_ptr_array_set_size (data, batch->txn->changes->len);

  for (guint i = 0; i < batch->deliveries->len; i++)
    {
      Delivery *delivery = g_ptr_array_index (batch->deliveries, i);
      TandemWalChange *change = g_ptr_array_index (batch->txn->changes, delivery->change_index);
      TandemRtChannel *channel = delivery->channel;
      g_autoptr(JsonNode) payload = NULL;
      JsonObject *object;

      if (delivery->check >= 0 && ((guint) delivery->check >= n_visible || !visible[delivery->check]))
        continue;
      /* The channel may have left (or been replaced) while we checked. */
      if (!g_hash_table_contains (self->subscriptions, channel) ||
          g_strcmp0 (channel->join_ref, delivery->join_ref) != 0)
        continue;

      if (data->pdata[delivery->change_index] == NULL)
        data->pdata[delivery->change_index] =
          tandem_rt_changes_build_data (change, batch->txn->commit_timestamp, self->hub->limits.max_record_bytes,
                                        g_array_index (batch->rls, gboolean, delivery->change_index));

      object = json_object_new ();
      json_object_set_array_member (object, "ids", json_array_ref (delivery->ids));
      json_object_set_object_member (object, "data", json_object_ref (data->pdata[delivery->change_index]));
      payload = tandem_json_node_take_object (object);
      tandem_rt_socket_push (channel->socket, channel, "postgres_changes", payload);
    }

  /* Delivered (handed to every socket): only now may PostgreSQL forget it. */
  tandem_wal_stream_confirm (self->stream, batch->txn->end_lsn);
}

static void process_pending (TandemRtChanges *self);
static void batch_send_checks (Batch *batch);

static gboolean
batch_retry_cb (gpointer user_data)
{
  Batch *batch = user_data;

  batch->retry_source = 0;
  batch_send_checks (batch);
  return G_SOURCE_REMOVE;
}

/* Parses PostgreSQL's text form of boolean[]: "{t,f,t}". */
static gboolean *
parse_bool_array (const char *text,
                  guint      *n)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gboolean));

  for (const char *p = text; *p; p++)
    if (*p == 't' || *p == 'f')
      {
        gboolean value = *p == 't';

        g_array_append_val (values, value);
      }
  *n = values->len;
  return (gboolean *) g_array_free (g_steal_pointer (&values), FALSE);
}

static void
visibility_checked_cb (GObject      *source,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  Batch *batch = user_data;
  TandemRtChanges *self = batch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &error);
  g_autofree gboolean *visible = NULL;
  guint n = 0;

  if (self == NULL)
    {
      /* the server is shutting down; the slot keeps this transaction */
      batch_free (batch);
      return;
    }

  if (result == NULL && error->domain == TANDEM_PG_ERROR && error->code == TANDEM_PG_ERROR_CONNECTION)
    {
      /* The database is coming back: ask again, holding later transactions
       * so commit order is kept. */
      g_debug ("visibility check waits for the database: %s", error->message);
      batch->retry_source = g_timeout_add (250, batch_retry_cb, batch);
      return;
    }

  if (result != NULL && PQntuples (result) == 1)
    visible = parse_bool_array (PQgetvalue (result, 0, 0), &n);
  else
    g_warning ("row-level security check failed, withholding the changes: %s",
               error ? error->message : "no result");

  self->in_flight = NULL;
  batch_deliver (batch, visible, n);
  batch_free (batch);
  process_pending (self);
}

/* Delivers queued transactions in commit order; a transaction whose rows
 * need visibility checks waits for them, and so do those behind it. */
static void
process_pending (TandemRtChanges *self)
{
  while (self->in_flight == NULL && self->pending.length > 0)
    {
      g_autoptr(TandemWalTransaction) txn = g_queue_pop_head (&self->pending);
      Batch *batch = batch_new (self, txn);
      g_autoptr(JsonNode) checks = NULL;
      JsonArray *array;

      if (batch->checks->len == 0)
        {
          batch_deliver (batch, NULL, 0);
          batch_free (batch);
          continue;
        }

      array = json_array_new ();
      for (guint i = 0; i < batch->checks->len; i++)
        json_array_add_object_element (array, json_object_ref (g_ptr_array_index (batch->checks, i)));
      checks = tandem_json_node_take_array (array);
      batch->checks_text = json_to_string (checks, FALSE);

      self->in_flight = batch;
      batch_send_checks (batch);
    }
}

static void
batch_send_checks (Batch *batch)
{
  g_autofree char *xid = g_strdup_printf ("%" G_GUINT64_FORMAT, batch->txn->xid);
  const char *params[2] = { batch->checks_text, xid };

  /* The function waits until the transaction is visible to new snapshots:
   * its commit reaches us a moment before that. */
  tandem_pg_conn_query_async (batch->self->conn, "SELECT tandem.realtime_visibility($1::jsonb, $2::bigint)",
                              params, 2, NULL, visibility_checked_cb, batch);
}

void
tandem_rt_changes_dispatch (TandemRtChanges      *self,
                            TandemWalTransaction *txn)
{
  g_queue_push_tail (&self->pending, tandem_wal_transaction_ref (txn));
  process_pending (self);
}
