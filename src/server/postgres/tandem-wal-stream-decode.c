/* tandem-wal-stream-decode.c: wal2json's messages into transactions
 *
 * wal2json format-version 2 sends one JSON object per message: "B" begins a
 * transaction, "I"/"U"/"D"/"T" are its row changes, "C" commits it. A
 * committed transaction waits in a queue until every type oid in it is
 * known (tandem-wal-stream-types.c), so transactions are emitted in commit
 * order. One without row changes is not emitted: its position is confirmed
 * by ourselves once everything delivered before it was (see "Positions" in
 * tandem-wal-stream-protocol.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tandem-pg-values.h"
#include "tandem-wal-stream-private.h"

static void
raw_txn_free (RawTxn *txn)
{
  g_ptr_array_unref (txn->changes);
  g_free (txn);
}

static RawTxn *
raw_txn_new (void)
{
  RawTxn *txn = g_new0 (RawTxn, 1);

  txn->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return txn;
}

/* Drops everything received but not yet emitted. */
void
_tandem_wal_stream_drop_received (TandemWalStream *self)
{
  g_clear_pointer (&self->current_txn, raw_txn_free);
  g_queue_clear_full (&self->ready, (GDestroyNotify) raw_txn_free);
}

/* Decoding */

static gboolean
schema_is_skipped (TandemWalStream *self,
                   const char      *schema)
{
  if (schema == NULL)
    return FALSE;
  if (strcmp (schema, "pg_catalog") == 0 || strcmp (schema, "information_schema") == 0)
    return TRUE;
  return self->skip_schemas != NULL && g_strv_contains ((const char * const *) self->skip_schemas, schema);
}

/* Converts a wal2json column list into record values and column metadata. */
static JsonObject *
convert_columns (TandemWalStream *self,
                 JsonArray       *columns,
                 GHashTable      *column_types)
{
  JsonObject *record = json_object_new ();
  guint n = columns != NULL ? json_array_get_length (columns) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      const TypeInfo *info;
      const char *name;

      if (column == NULL || (name = member_string (column, "name")) == NULL)
        continue;
      info = _tandem_wal_stream_column_type (self, column);
      json_object_set_member (record, name,
                              tandem_pg_value_from_wal2json (info->conv != NULL ? info->conv : info->typname,
                                                             json_object_get_member (column, "value")));
      if (!g_hash_table_contains (column_types, name))
        g_hash_table_insert (column_types, g_strdup (name), g_strdup (info->typname));
    }

  return record;
}

static void
add_column_entry (JsonArray  *out,
                  const char *name,
                  const char *typname)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "name", name);
  json_object_set_string_member (entry, "type", typname);
  json_array_add_object_element (out, entry);
}

/* The name of the @i-th column of a wal2json column list, or NULL. */
static const char *
column_name (JsonArray *columns,
             guint      i)
{
  JsonObject *column = json_array_get_object_element (columns, i);

  return column != NULL ? member_string (column, "name") : NULL;
}

/* Adds the columns of @columns that are not in @seen yet, in their order. */
static void
add_column_entries (JsonArray  *out,
                    GHashTable *seen,
                    JsonArray  *columns,
                    GHashTable *column_types)
{
  guint n = columns != NULL ? json_array_get_length (columns) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char *name = column_name (columns, i);

      if (name != NULL && g_hash_table_add (seen, (gpointer) name))
        add_column_entry (out, name, g_hash_table_lookup (column_types, name));
    }
}

static JsonArray *
build_column_list (JsonArray  *columns,
                   JsonArray  *identity,
                   GHashTable *column_types,
                   gboolean    merge_identity)
{
  JsonArray *out = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = columns != NULL ? json_array_get_length (columns) : 0;
  guint n_identity = identity != NULL ? json_array_get_length (identity) : 0;
  gboolean identity_has_all = merge_identity && n_identity > 0;

  /* An UPDATE leaves out unchanged TOAST columns; with REPLICA IDENTITY
   * FULL the identity lists every column in table order, so use its order
   * when it covers the new row. */
  if (identity_has_all)
    {
      g_autoptr(GHashTable) in_identity = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < n_identity; i++)
        {
          const char *name = column_name (identity, i);

          if (name != NULL)
            g_hash_table_add (in_identity, (gpointer) name);
        }
      for (guint i = 0; i < n && identity_has_all; i++)
        {
          const char *name = column_name (columns, i);

          if (name != NULL && !g_hash_table_contains (in_identity, name))
            identity_has_all = FALSE;
        }
    }

  if (identity_has_all && n_identity > n)
    {
      add_column_entries (out, seen, identity, column_types);
      return out;
    }

  add_column_entries (out, seen, columns, column_types);
  if (merge_identity)
    add_column_entries (out, seen, identity, column_types);

  return out;
}

static TandemWalChange *
convert_change (TandemWalStream *self,
                JsonObject      *raw)
{
  TandemWalChange *change;
  const char *action = member_string (raw, "action");
  JsonArray *columns = member_array (raw, "columns");
  JsonArray *identity = member_array (raw, "identity");
  JsonArray *pk = member_array (raw, "pk");
  g_autoptr(GStrvBuilder) pk_names = g_strv_builder_new ();
  guint n_pk = pk != NULL ? json_array_get_length (pk) : 0;

  change = g_new0 (TandemWalChange, 1);
  change->schema = g_strdup (member_string (raw, "schema"));
  change->table = g_strdup (member_string (raw, "table"));
  change->column_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  switch (action[0])
    {
    case 'I':
      change->type = TANDEM_CHANGE_INSERT;
      change->record = convert_columns (self, columns, change->column_types);
      change->columns = build_column_list (columns, NULL, change->column_types, FALSE);
      break;

    case 'U':
      change->type = TANDEM_CHANGE_UPDATE;
      change->record = convert_columns (self, columns, change->column_types);
      if (identity != NULL)
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          change->old_record = convert_columns (self, identity, change->column_types);
          /* Unchanged TOAST values are not in the new row: take them from
           * the old one when it has them. */
          json_object_iter_init (&iter, change->old_record);
          while (json_object_iter_next (&iter, &name, &value))
            if (!json_object_has_member (change->record, name))
              json_object_set_member (change->record, name, json_node_copy (value));
        }
      else
        change->old_record = json_object_new ();
      change->columns = build_column_list (columns, identity, change->column_types, TRUE);
      break;

    case 'D':
      change->type = TANDEM_CHANGE_DELETE;
      change->old_record = identity != NULL ? convert_columns (self, identity, change->column_types)
                                            : json_object_new ();
      change->columns = build_column_list (identity, NULL, change->column_types, FALSE);
      break;

    case 'T':
    default:
      change->type = TANDEM_CHANGE_TRUNCATE;
      change->columns = json_array_new ();
      break;
    }

  for (guint i = 0; i < n_pk; i++)
    {
      JsonObject *column = json_array_get_object_element (pk, i);
      const char *name = column != NULL ? member_string (column, "name") : NULL;

      if (name == NULL)
        continue;
      g_strv_builder_add (pk_names, name);
      if (!g_hash_table_contains (change->column_types, name))
        g_hash_table_insert (change->column_types, g_strdup (name),
                             g_strdup (_tandem_wal_stream_column_type (self, column)->typname));
    }
  change->primary_key = g_strv_builder_end (pk_names);

  return change;
}

static void
note_skipped (TandemWalStream *self,
              guint64          end_lsn)
{
  PendingSkip skip = { self->last_emitted_end, end_lsn };

  /* Nothing to deliver in it: its position may be confirmed as soon as
   * every transaction delivered before it is. */
  if (self->pending_skips->len == 0 && self->confirmed_lsn >= self->last_emitted_end)
    {
      self->confirmed_lsn = MAX (self->confirmed_lsn, end_lsn);
      return;
    }

  if (self->pending_skips->len > 0)
    {
      PendingSkip *last = &g_array_index (self->pending_skips, PendingSkip, self->pending_skips->len - 1);

      if (last->after == skip.after)
        {
          last->end = MAX (last->end, end_lsn);
          return;
        }
    }
  g_array_append_val (self->pending_skips, skip);
}

void
_tandem_wal_stream_apply_pending_skips (TandemWalStream *self)
{
  guint n = 0;

  while (n < self->pending_skips->len)
    {
      PendingSkip *skip = &g_array_index (self->pending_skips, PendingSkip, n);

      if (self->confirmed_lsn < skip->after)
        break;
      self->confirmed_lsn = MAX (self->confirmed_lsn, skip->end);
      n++;
    }
  if (n > 0)
    g_array_remove_range (self->pending_skips, 0, n);
}

void
_tandem_wal_stream_process_ready (TandemWalStream *self)
{
  g_autoptr(TandemWalStream) hold = NULL;
  guint generation = self->generation;

  if (self->processing)
    return;
  self->processing = TRUE;
  hold = g_object_ref (self);

  while (!g_queue_is_empty (&self->ready) && self->generation == generation)
    {
      RawTxn *raw = g_queue_peek_head (&self->ready);
      g_autoptr(TandemWalTransaction) txn = NULL;

      if (raw->changes->len == 0)
        {
          g_queue_pop_head (&self->ready);
          note_skipped (self, raw->end_lsn);
          raw_txn_free (raw);
          continue;
        }

      if (!_tandem_wal_stream_raw_txn_types_known (self, raw))
        {
          _tandem_wal_stream_start_type_reload (self);
          break;
        }

      g_queue_pop_head (&self->ready);
      txn = _tandem_wal_transaction_new ();
      txn->xid = raw->xid;
      txn->end_lsn = raw->end_lsn;
      txn->commit_time_usec = raw->commit_time_usec;
      txn->commit_timestamp = tandem_pg_format_commit_timestamp (raw->commit_time_usec);
      for (guint i = 0; i < raw->changes->len; i++)
        g_ptr_array_add (txn->changes, convert_change (self, g_ptr_array_index (raw->changes, i)));
      raw_txn_free (raw);

      self->last_emitted_end = MAX (self->last_emitted_end, txn->end_lsn);
      _tandem_wal_stream_emit_transaction (self, txn);
    }

  self->processing = FALSE;
}

void
_tandem_wal_stream_handle_json (TandemWalStream *self,
                                const char      *data,
                                gsize            length,
                                guint64          data_start)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *action;

  root = tandem_pg_json_parse (data, length, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      _tandem_wal_stream_emit_protocol_error (self, "Cannot parse wal2json output at %X/%X: %s",
                                              (guint) (data_start >> 32), (guint) data_start,
                                              error != NULL ? error->message : "not an object");
      return;
    }

  object = json_node_get_object (root);
  action = member_string (object, "action");
  if (action == NULL || action[0] == '\0' || action[1] != '\0')
    {
      _tandem_wal_stream_emit_protocol_error (self, "wal2json output without an action at %X/%X",
                                              (guint) (data_start >> 32), (guint) data_start);
      return;
    }

  switch (action[0])
    {
    case 'B':
      {
        const char *timestamp = member_string (object, "timestamp");

        if (self->current_txn != NULL)
          {
            _tandem_wal_stream_emit_protocol_error (self, "wal2json began a transaction inside another");
            g_clear_pointer (&self->current_txn, raw_txn_free);
          }
        self->current_txn = raw_txn_new ();
        self->current_txn->xid = (guint64) member_int (object, "xid");
        if (timestamp == NULL ||
            !tandem_pg_parse_timestamptz (timestamp, &self->current_txn->commit_time_usec))
          self->current_txn->commit_time_usec = g_get_real_time ();
      }
      break;

    case 'C':
      {
        RawTxn *txn = g_steal_pointer (&self->current_txn);

        if (txn == NULL)
          {
            _tandem_wal_stream_emit_protocol_error (self, "wal2json committed a transaction it did not begin");
            return;
          }
        /* The commit's end: "nextlsn", which is also where the walsender
         * says this message starts. */
        if (!_tandem_wal_parse_lsn (member_string (object, "nextlsn"), &txn->end_lsn))
          txn->end_lsn = data_start;
        g_queue_push_tail (&self->ready, txn);
        _tandem_wal_stream_process_ready (self);
      }
      break;

    case 'I':
    case 'U':
    case 'D':
    case 'T':
      if (self->current_txn == NULL)
        {
          _tandem_wal_stream_emit_protocol_error (self, "wal2json sent a change outside a transaction");
          return;
        }
      if (schema_is_skipped (self, member_string (object, "schema")))
        return;
      g_ptr_array_add (self->current_txn->changes, json_object_ref (object));
      break;

    case 'M':
    default:
      /* Logical messages (pg_logical_emit_message) are not row changes. */
      break;
    }
}
