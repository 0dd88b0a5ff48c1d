/* tandem-wal-stream.c: committed row changes read from PostgreSQL's WAL
 *
 * The transaction boxed type and the stream's GObject: properties, signals
 * and the position the owner confirms. The rest of the class is in
 * tandem-wal-stream-setup.c (connecting, start-up checks, the slot, stop and
 * reconnect), tandem-wal-stream-protocol.c (the COPY BOTH stream and status
 * updates), tandem-wal-stream-decode.c (wal2json into transactions) and
 * tandem-wal-stream-types.c (type names); tandem-wal-stream-private.h holds
 * what they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tandem-wal-stream-private.h"

G_DEFINE_QUARK (tandem-wal-stream-error-quark, tandem_wal_stream_error)

/* Transactions and changes */

void
tandem_wal_change_free (TandemWalChange *change)
{
  if (change == NULL)
    return;

  g_free (change->schema);
  g_free (change->table);
  g_clear_pointer (&change->record, json_object_unref);
  g_clear_pointer (&change->old_record, json_object_unref);
  g_clear_pointer (&change->columns, json_array_unref);
  g_clear_pointer (&change->column_types, g_hash_table_unref);
  g_strfreev (change->primary_key);
  g_free (change);
}

static void
transaction_clear (gpointer data)
{
  TandemWalTransaction *txn = data;

  g_free (txn->commit_timestamp);
  g_clear_pointer (&txn->changes, g_ptr_array_unref);
}

TandemWalTransaction *
_tandem_wal_transaction_new (void)
{
  TandemWalTransaction *txn = g_atomic_rc_box_new0 (TandemWalTransaction);

  txn->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_wal_change_free);
  return txn;
}

TandemWalTransaction *
tandem_wal_transaction_ref (TandemWalTransaction *txn)
{
  g_return_val_if_fail (txn != NULL, NULL);

  return g_atomic_rc_box_acquire (txn);
}

void
tandem_wal_transaction_unref (TandemWalTransaction *txn)
{
  g_return_if_fail (txn != NULL);

  g_atomic_rc_box_release_full (txn, transaction_clear);
}

void
tandem_wal_transaction_free (TandemWalTransaction *txn)
{
  if (txn != NULL)
    tandem_wal_transaction_unref (txn);
}

G_DEFINE_BOXED_TYPE (TandemWalTransaction, tandem_wal_transaction,
                     tandem_wal_transaction_ref, tandem_wal_transaction_unref)

const char *
tandem_change_type_to_string (TandemChangeType type)
{
  switch (type)
    {
    case TANDEM_CHANGE_INSERT:
      return "INSERT";
    case TANDEM_CHANGE_UPDATE:
      return "UPDATE";
    case TANDEM_CHANGE_DELETE:
      return "DELETE";
    case TANDEM_CHANGE_TRUNCATE:
      return "TRUNCATE";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The stream */

G_DEFINE_FINAL_TYPE (TandemWalStream, tandem_wal_stream, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNINFO,
  PROP_SLOT_NAME,
  PROP_CONNECTED,
  PROP_SKIP_SCHEMAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_TRANSACTION,
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const default_skip_schemas[] = { "tandem", NULL };

void
_tandem_wal_stream_set_connected (TandemWalStream *self,
                                  gboolean         connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

void
_tandem_wal_stream_emit_transaction (TandemWalStream      *self,
                                     TandemWalTransaction *txn)
{
  g_signal_emit (self, signals[SIGNAL_TRANSACTION], 0, txn);
}

void
_tandem_wal_stream_emit_error (TandemWalStream *self,
                               const GError    *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

void
_tandem_wal_stream_emit_protocol_error (TandemWalStream *self,
                                        const char      *format,
                                        ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL, message);
  _tandem_wal_stream_emit_error (self, error);
}

/* Public API */

TandemWalStream *
tandem_wal_stream_new (const char *conninfo,
                       const char *slot_name)
{
  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (slot_name != NULL, NULL);

  return g_object_new (TANDEM_TYPE_WAL_STREAM,
                       "conninfo", conninfo,
                       "slot-name", slot_name,
                       NULL);
}

void
tandem_wal_stream_confirm (TandemWalStream *self,
                           guint64          lsn)
{
  g_return_if_fail (TANDEM_IS_WAL_STREAM (self));

  if (lsn <= self->confirmed_lsn)
    return;

  self->confirmed_lsn = lsn;
  _tandem_wal_stream_apply_pending_skips (self);

  _tandem_wal_stream_schedule_confirm (self);
}

guint64
tandem_wal_stream_get_confirmed_lsn (TandemWalStream *self)
{
  g_return_val_if_fail (TANDEM_IS_WAL_STREAM (self), 0);

  return self->confirmed_lsn;
}

gboolean
tandem_wal_stream_get_connected (TandemWalStream *self)
{
  g_return_val_if_fail (TANDEM_IS_WAL_STREAM (self), FALSE);

  return self->connected;
}

void
tandem_wal_stream_set_skip_schemas (TandemWalStream    *self,
                                    const char * const *schemas)
{
  g_return_if_fail (TANDEM_IS_WAL_STREAM (self));

  if (self->skip_schemas != NULL && schemas != NULL &&
      g_strv_equal ((const char * const *) self->skip_schemas, schemas))
    return;

  g_strfreev (self->skip_schemas);
  self->skip_schemas = g_strdupv ((char **) schemas);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_SCHEMAS]);
}

/* GObject */

static void
tandem_wal_stream_dispose (GObject *object)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  if (self->running || self->conn != NULL || self->lookup_conn != NULL || self->start_task != NULL)
    tandem_wal_stream_stop (self);

  G_OBJECT_CLASS (tandem_wal_stream_parent_class)->dispose (object);
}

static void
tandem_wal_stream_finalize (GObject *object)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  g_assert (self->watch == NULL);
  g_assert (self->retry_source == NULL);
  g_assert (self->status_source == NULL);
  g_assert (self->confirm_source == NULL);
  g_assert (self->resume_source == NULL);
  g_assert (self->start_cancel_source == NULL);
  g_assert (self->start_task == NULL);

  g_free (self->conninfo);
  g_free (self->slot_name);
  g_strfreev (self->skip_schemas);
  g_hash_table_unref (self->types);
  g_hash_table_unref (self->types_by_name);
  g_array_unref (self->pending_skips);

  G_OBJECT_CLASS (tandem_wal_stream_parent_class)->finalize (object);
}

static void
tandem_wal_stream_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_value_set_string (value, self->conninfo);
      break;
    case PROP_SLOT_NAME:
      g_value_set_string (value, self->slot_name);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_SKIP_SCHEMAS:
      g_value_set_boxed (value, self->skip_schemas);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_wal_stream_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_free (self->conninfo);
      self->conninfo = g_value_dup_string (value);
      break;
    case PROP_SLOT_NAME:
      g_free (self->slot_name);
      self->slot_name = g_value_dup_string (value);
      break;
    case PROP_SKIP_SCHEMAS:
      tandem_wal_stream_set_skip_schemas (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_wal_stream_class_init (TandemWalStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_wal_stream_dispose;
  object_class->finalize = tandem_wal_stream_finalize;
  object_class->get_property = tandem_wal_stream_get_property;
  object_class->set_property = tandem_wal_stream_set_property;

  properties[PROP_CONNINFO] =
    g_param_spec_string ("conninfo", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLOT_NAME] =
    g_param_spec_string ("slot-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemWalStream:skip-schemas:
   *
   * Schemas whose changes are not emitted, besides pg_catalog and
   * information_schema (always skipped). Default: "tandem", the server's own
   * bookkeeping.
   */
  properties[PROP_SKIP_SCHEMAS] =
    g_param_spec_boxed ("skip-schemas", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TRANSACTION] =
    g_signal_new ("transaction", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  TANDEM_TYPE_WAL_TRANSACTION | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tandem_wal_stream_init (TandemWalStream *self)
{
  self->watch_fd = -1;
  self->phase = PHASE_STOPPED;
  self->backoff_ms = BACKOFF_MIN_MS;
  self->skip_schemas = g_strdupv ((char **) default_skip_schemas);
  self->types = g_hash_table_new_full (NULL, NULL, NULL,
                                       (GDestroyNotify) _tandem_wal_type_info_free);
  self->types_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) _tandem_wal_type_info_free);
  g_queue_init (&self->ready);
  self->pending_skips = g_array_new (FALSE, FALSE, sizeof (PendingSkip));
}
