/* tandem-outbox.c: writes that must not be lost, kept on disk until sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-client-private.h"
#include "tandem-outbox-private.h"
#include "tandem-query-private.h"
#include "tandem-rest-error.h"
#include "tandem-types.h"

/**
 * TandemOutbox:
 *
 * A queue of REST writes kept in an SQLite file until the server took
 * them, for an app that must not lose what its user did while offline.
 *
 * Writes go out one at a time, in the order they were queued. A write the
 * server could not take (no connection, a 5xx, 429) stays at the head of
 * the queue and is tried again after 1 s, 2 s, 4 s… up to 30 s, at once on
 * tandem_outbox_flush(), and at once when the client's Realtime connection
 * comes up. A write the server refuses (any other 4xx) leaves the queue
 * with #TandemOutbox::failed; one it takes leaves with
 * #TandemOutbox::completed. Either is emitted once per write.
 *
 * A write may reach the server without its answer reaching the app; it is
 * then sent again. Inserts are made safe to resend: each row gets the
 * write's idempotency key in a key column, and the insert is sent as an
 * upsert that ignores duplicates on that column, so the second copy is a
 * no-op. Updates, deletes and merging upserts are idempotent by nature.
 */
struct _TandemOutbox
{
  GObject            parent_instance;

  TandemClient      *client;
  char              *path;
  TandemOutboxStore *store;
  guint              n_pending;
  gboolean           return_representation;

  gboolean           sending;
  GCancellable      *cancellable;   /* of the request out */
  guint              retry_id;      /* on the client's clock */
  guint              failures;      /* attempts in a row that failed */
};

G_DEFINE_FINAL_TYPE (TandemOutbox, tandem_outbox, G_TYPE_OBJECT)

G_DEFINE_QUARK (tandem-outbox-error-quark, tandem_outbox_error)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_PATH,
  PROP_N_PENDING,
  PROP_RETURN_REPRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  COMPLETED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void send_next (TandemOutbox *self);

static void
tandem_outbox_dispose (GObject *object)
{
  TandemOutbox *self = TANDEM_OUTBOX (object);

  if (self->client != NULL)
    tandem_clock_clear_timeout (_tandem_client_get_clock (self->client), &self->retry_id);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (tandem_outbox_parent_class)->dispose (object);
}

static void
tandem_outbox_finalize (GObject *object)
{
  TandemOutbox *self = TANDEM_OUTBOX (object);

  g_assert (self->retry_id == 0);
  g_clear_pointer (&self->store, _tandem_outbox_store_close);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  G_OBJECT_CLASS (tandem_outbox_parent_class)->finalize (object);
}

static void
tandem_outbox_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TandemOutbox *self = TANDEM_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    case PROP_RETURN_REPRESENTATION:
      g_value_set_boolean (value, self->return_representation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_outbox_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TandemOutbox *self = TANDEM_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_RETURN_REPRESENTATION:
      if (self->return_representation != g_value_get_boolean (value))
        {
          self->return_representation = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_outbox_class_init (TandemOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_outbox_dispose;
  object_class->finalize = tandem_outbox_finalize;
  object_class->get_property = tandem_outbox_get_property;
  object_class->set_property = tandem_outbox_set_property;

  /**
   * TandemOutbox:client:
   *
   * The client whose session and token the writes go out with.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemOutbox:path:
   *
   * The SQLite file the queue lives in.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemOutbox:n-pending:
   *
   * How many writes wait to be taken by the server (the one out included).
   */
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemOutbox:return-representation:
   *
   * Whether to ask for the written rows back, for #TandemOutbox::completed
   * to carry them. Off by default: under row-level security a role may be
   * allowed to insert rows it may not read, and asking for them back
   * would then refuse the write.
   */
  properties[PROP_RETURN_REPRESENTATION] =
    g_param_spec_boolean ("return-representation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemOutbox::completed:
   * @self: the #TandemOutbox
   * @key: the write's idempotency key
   * @result: (nullable): the written rows, when
   *   #TandemOutbox:return-representation asked for them
   *
   * The server took the write; it has left the queue.
   */
  signals[COMPLETED] =
    g_signal_new ("completed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * TandemOutbox::failed:
   * @self: the #TandemOutbox
   * @key: the write's idempotency key
   * @error: why the server refused it, in %TANDEM_REST_ERROR (or
   *   %TANDEM_OUTBOX_ERROR_INVALID for an entry that cannot be read)
   *
   * The server refused the write (a 4xx: a constraint, a policy, a table
   * that does not exist); it has left the queue and will not be sent
   * again.
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tandem_outbox_init (TandemOutbox *self)
{
  self->cancellable = g_cancellable_new ();
}

static void
set_n_pending (TandemOutbox *self,
               guint         n_pending)
{
  if (self->n_pending == n_pending)
    return;
  self->n_pending = n_pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

static void
on_client_status (TandemOutbox *self)
{
  TandemStatus status = TANDEM_STATUS_DISCONNECTED;

  /* The server is reachable again: no need to sit out the back-off. */
  g_object_get (self->client, "status", &status, NULL);
  if (status == TANDEM_STATUS_CONNECTED)
    tandem_outbox_flush (self);
}

/**
 * tandem_outbox_new:
 * @client: the client to send with
 * @path: the SQLite file (created when missing)
 * @error: return location for a #GError
 *
 * Opens an outbox. What the file holds from an earlier run is sent again,
 * in order, starting now.
 *
 * Returns: (transfer full): the outbox, or %NULL with
 *   %TANDEM_OUTBOX_ERROR_STORAGE
 */
TandemOutbox *
tandem_outbox_new (TandemClient  *client,
                   const char    *path,
                   GError       **error)
{
  g_autoptr(TandemOutbox) self = NULL;
  gint64 count;

  g_return_val_if_fail (TANDEM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TANDEM_TYPE_OUTBOX, NULL);
  self->client = g_object_ref (client);
  self->path = g_strdup (path);
  self->store = _tandem_outbox_store_open (path, error);
  if (self->store == NULL)
    return NULL;
  count = _tandem_outbox_store_count (self->store, error);
  if (count < 0)
    return NULL;
  self->n_pending = (guint) count;

  /* The Realtime connection's status, where the client has one. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (client), "status") != NULL)
    g_signal_connect_object (client, "notify::status", G_CALLBACK (on_client_status), self, G_CONNECT_SWAPPED);

  send_next (self);
  return g_steal_pointer (&self);
}

/* ---- queueing ---- */

/* A key for row @index > 0 of an insert: a UUID (version 8, RFC 9562)
 * derived from the write's key, so a resent write carries the same keys
 * and each row its own. */
static char *
derive_row_key (const char *key,
                guint       index)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = g_strdup_printf ("%s/%u", key, index);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) name, -1);
  g_checksum_get_digest (checksum, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x80;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                          digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14],
                          digest[15]);
}

static void
set_row_key (JsonObject *row,
             const char *key_column,
             const char *key)
{
  if (!json_object_has_member (row, key_column) || json_object_get_null_member (row, key_column))
    json_object_set_string_member (row, key_column, key);
}

/* Checks "a=eq.1&b=eq.x" splits into name=value pairs. */
static gboolean
filters_are_valid (const char *filters)
{
  g_auto(GStrv) pairs = NULL;

  if (filters == NULL)
    return TRUE;
  pairs = g_strsplit (filters, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    if (*pairs[i] != '\0' && (strchr (pairs[i], '=') == NULL || *pairs[i] == '='))
      return FALSE;
  return TRUE;
}

static gboolean
rows_are_valid (JsonNode *body)
{
  JsonArray *array;

  if (body == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (body))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (body))
    return FALSE;
  array = json_node_get_array (body);
  if (json_array_get_length (array) == 0)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      return FALSE;
  return TRUE;
}

/**
 * tandem_outbox_enqueue:
 * @self: a #TandemOutbox
 * @operation: the kind of write
 * @table: the table
 * @body: (nullable): the rows (insert, upsert: an object or an array of
 *   objects) or the values (update: an object); %NULL for a delete
 * @filters: (nullable): the rows to update or delete, as PostgREST filters
 *   in query-string form: "id=eq.4&owner=eq.x"
 * @key_column: (nullable): for an insert, the column (unique) that takes
 *   the idempotency key of rows that have no value there; for an upsert,
 *   the conflict column (%NULL: the primary key)
 * @idempotency_key: (nullable): the write's key, or %NULL for a new UUID
 * @error: return location for a #GError
 *
 * Queues a write; it is on disk when this returns. An insert without
 * @key_column is sent as a plain insert, which a resend may store twice.
 *
 * Returns: (transfer full): the write's idempotency key, or %NULL with
 *   %TANDEM_OUTBOX_ERROR_INVALID or %TANDEM_OUTBOX_ERROR_STORAGE
 */
char *
tandem_outbox_enqueue (TandemOutbox           *self,
                       TandemOutboxOperation   operation,
                       const char             *table,
                       JsonNode               *body,
                       const char             *filters,
                       const char             *key_column,
                       const char             *idempotency_key,
                       GError                **error)
{
  TandemOutboxEntry entry = { 0, };
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) rows = NULL;

  g_return_val_if_fail (TANDEM_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (table == NULL || *table == '\0')
    {
      g_set_error_literal (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID, "A write needs a table");
      return NULL;
    }
  if ((operation == TANDEM_OUTBOX_INSERT || operation == TANDEM_OUTBOX_UPSERT) && !rows_are_valid (body))
    {
      g_set_error_literal (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID,
                           "Rows must be an object or a non-empty array of objects");
      return NULL;
    }
  if (operation == TANDEM_OUTBOX_UPDATE && (body == NULL || !JSON_NODE_HOLDS_OBJECT (body)))
    {
      g_set_error_literal (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID,
                           "An update takes an object of values");
      return NULL;
    }
  if (!filters_are_valid (filters))
    {
      g_set_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID,
                   "“%s” is not a list of filters (name=op.value&…)", filters);
      return NULL;
    }
  if ((guint) operation > TANDEM_OUTBOX_DELETE || (key_column != NULL && *key_column == '\0'))
    {
      g_set_error_literal (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID, "The write is malformed");
      return NULL;
    }

  key = idempotency_key ? g_strdup (idempotency_key) : g_uuid_string_random ();
  if (operation != TANDEM_OUTBOX_DELETE)
    {
      rows = json_node_copy (body);
      /* The keys are in the stored body, so a resend carries the same. */
      if (operation == TANDEM_OUTBOX_INSERT && key_column != NULL && JSON_NODE_HOLDS_OBJECT (rows))
        set_row_key (json_node_get_object (rows), key_column, key);
      else if (operation == TANDEM_OUTBOX_INSERT && key_column != NULL)
        {
          JsonArray *array = json_node_get_array (rows);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              g_autofree char *row_key = i == 0 ? g_strdup (key) : derive_row_key (key, i);

              set_row_key (json_array_get_object_element (array, i), key_column, row_key);
            }
        }
      text = json_to_string (rows, FALSE);
    }

  entry.key = key;
  entry.operation = operation;
  entry.table = (char *) table;
  entry.body = text;
  entry.filters = (char *) (filters && *filters ? filters : NULL);
  entry.key_column = (char *) key_column;
  if (!_tandem_outbox_store_append (self->store, &entry, NULL, error))
    return NULL;

  set_n_pending (self, self->n_pending + 1);
  /* Behind a back-off, it waits its turn with the others. */
  if (self->retry_id == 0)
    send_next (self);
  return g_steal_pointer (&key);
}

/**
 * tandem_outbox_get_n_pending:
 * @self: a #TandemOutbox
 *
 * Returns: how many writes wait to be taken by the server
 */
guint
tandem_outbox_get_n_pending (TandemOutbox *self)
{
  g_return_val_if_fail (TANDEM_IS_OUTBOX (self), 0);
  return self->n_pending;
}

/**
 * tandem_outbox_flush:
 * @self: a #TandemOutbox
 *
 * Sends the next write now instead of waiting for the next retry (when the
 * app knows the network is back, say).
 */
void
tandem_outbox_flush (TandemOutbox *self)
{
  g_return_if_fail (TANDEM_IS_OUTBOX (self));

  tandem_clock_clear_timeout (_tandem_client_get_clock (self->client), &self->retry_id);
  send_next (self);
}

/* ---- sending ---- */

gboolean
_tandem_outbox_error_is_retryable (const GError *error)
{
  if (error->domain != TANDEM_REST_ERROR)
    return FALSE;
  switch (error->code)
    {
    case TANDEM_REST_ERROR_NETWORK:
    case TANDEM_REST_ERROR_SERVER:
    case TANDEM_REST_ERROR_RATE_LIMITED:
      return TRUE;
    case TANDEM_REST_ERROR_UNAUTHORIZED:
      /* The session could not be refreshed (status 0: nothing was sent),
       * or the token expired on the way: it will be good again. */
      return tandem_rest_error_get_status (error) == 0 ||
             g_strcmp0 (tandem_rest_error_get_code (error), "PGRST303") == 0;
    default:
      return tandem_rest_error_get_status (error) == 408;
    }
}

/* Splits stored filters into the query's parameters, form-decoding them. */
static gboolean
add_filters (TandemQuery *query,
             const char  *filters)
{
  g_auto(GStrv) pairs = NULL;

  if (filters == NULL)
    return TRUE;
  pairs = g_strsplit (filters, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = NULL;
      g_autofree char *name = NULL, *value = NULL;

      if (*pairs[i] == '\0')
        continue;
      g_strdelimit (pairs[i], "+", ' ');
      pair = g_strsplit (pairs[i], "=", 2);
      if (pair[1] == NULL)
        return FALSE;
      name = g_uri_unescape_string (pair[0], NULL);
      value = g_uri_unescape_string (pair[1], NULL);
      if (name == NULL || value == NULL)
        return FALSE;
      _tandem_query_add_param (query, name, value);
    }
  return TRUE;
}

static TandemQuery *
query_for (TandemOutbox       *self,
           TandemOutboxEntry  *entry,
           GError            **error)
{
  g_autoptr(TandemQuery) query = tandem_client_from (self->client, entry->table);
  g_autoptr(JsonNode) body = NULL;

  if (entry->body != NULL)
    body = json_from_string (entry->body, NULL);
  if ((entry->operation != TANDEM_OUTBOX_DELETE && body == NULL) || !add_filters (query, entry->filters))
    {
      g_set_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID, "The queued write %s cannot be read",
                   entry->key);
      return NULL;
    }

  switch (entry->operation)
    {
    case TANDEM_OUTBOX_INSERT:
      if (entry->key_column != NULL)
        tandem_query_upsert (query, body, entry->key_column, TRUE);
      else
        tandem_query_insert (query, body);
      break;
    case TANDEM_OUTBOX_UPSERT:
      tandem_query_upsert (query, body, entry->key_column, FALSE);
      break;
    case TANDEM_OUTBOX_UPDATE:
      tandem_query_update (query, JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL);
      break;
    case TANDEM_OUTBOX_DELETE:
    default:
      tandem_query_delete (query);
      break;
    }
  tandem_query_header (query, "Idempotency-Key", entry->key);
  tandem_query_returning (query, self->return_representation);
  return g_steal_pointer (&query);
}

typedef struct
{
  GWeakRef            outbox;
  TandemOutboxEntry  *entry;
} Sending;

static void
sending_free (Sending *sending)
{
  g_weak_ref_clear (&sending->outbox);
  _tandem_outbox_entry_free (sending->entry);
  g_free (sending);
}

/* The write left the queue: @error says why when it was refused. */
static void
finish_entry (TandemOutbox      *self,
              TandemOutboxEntry *entry,
              JsonNode          *result,
              const GError      *error)
{
  g_autoptr(GError) storage_error = NULL;

  self->failures = 0;
  if (!_tandem_outbox_store_remove (self->store, entry->id, &storage_error))
    g_warning ("%s", storage_error->message);
  set_n_pending (self, self->n_pending > 0 ? self->n_pending - 1 : 0);
  if (error == NULL)
    g_signal_emit (self, signals[COMPLETED], 0, entry->key, result);
  else
    g_signal_emit (self, signals[FAILED], 0, entry->key, error);
}

static void
retry_cb (gpointer user_data)
{
  TandemOutbox *self = user_data;

  self->retry_id = 0;
  send_next (self);
}

static void
schedule_retry (TandemOutbox *self)
{
  TandemClock *clock = _tandem_client_get_clock (self->client);
  guint delay = TANDEM_OUTBOX_RETRY_MAX_MS;

  if (self->failures < 16)
    delay = MIN ((guint) TANDEM_OUTBOX_RETRY_FIRST_MS << self->failures, TANDEM_OUTBOX_RETRY_MAX_MS);
  self->failures++;
  tandem_clock_clear_timeout (clock, &self->retry_id);
  self->retry_id = tandem_clock_add_timeout_once (clock, delay, retry_cb, self);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(TandemOutbox) self = g_weak_ref_get (&sending->outbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  TandemOutboxEntry *entry = sending->entry;

  node = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sending_free (sending);
      return;
    }
  self->sending = FALSE;

  /* A 2xx whose body is not JSON still wrote the row. */
  if (g_error_matches (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_PROTOCOL) &&
      tandem_rest_error_get_status (error) >= 200 && tandem_rest_error_get_status (error) < 300)
    g_clear_error (&error);

  if (error == NULL)
    finish_entry (self, entry, node, NULL);
  else if (!_tandem_outbox_error_is_retryable (error))
    finish_entry (self, entry, NULL, error);
  else
    {
      g_autoptr(GError) storage_error = NULL;

      g_debug ("the write %s will be sent again: %s", entry->key, error->message);
      if (!_tandem_outbox_store_record_failure (self->store, entry->id, error->message, &storage_error))
        g_warning ("%s", storage_error->message);
      schedule_retry (self);
      sending_free (sending);
      return;
    }
  sending_free (sending);
  if (self->retry_id == 0)
    send_next (self);
}

static void
send_next (TandemOutbox *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemQuery) query = NULL;
  TandemOutboxEntry *entry = NULL;
  Sending *sending;

  while (!self->sending && self->store != NULL && self->n_pending > 0)
    {
      entry = _tandem_outbox_store_peek (self->store, &error);
      if (entry == NULL)
        {
          if (error != NULL)
            g_warning ("%s", error->message);
          return;
        }
      query = query_for (self, entry, &error);
      if (query != NULL)
        break;
      /* An entry that cannot be read will never go out. */
      finish_entry (self, entry, NULL, error);
      _tandem_outbox_entry_free (entry);
      g_clear_error (&error);
    }
  if (query == NULL)
    return;

  sending = g_new0 (Sending, 1);
  g_weak_ref_init (&sending->outbox, self);
  sending->entry = entry;
  self->sending = TRUE;
  tandem_query_execute_async (query, self->cancellable, sent_cb, sending);
}

GPtrArray *
_tandem_outbox_list_entries (TandemOutbox  *self,
                             GError       **error)
{
  return _tandem_outbox_store_list (self->store, error);
}

gboolean
_tandem_outbox_is_waiting (TandemOutbox *self)
{
  return self->retry_id != 0;
}

gboolean
_tandem_outbox_is_sending (TandemOutbox *self)
{
  return self->sending;
}
