/* tandem-document.c: a collaborative document (GObject face of TandemYDoc)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-document-private.h"

/**
 * TandemDocument:
 *
 * A document shared with other peers, Tandem's or Yjs's: it holds named
 * texts (#TandemText) and whatever else Yjs peers put in it. Local changes
 * are reported by #TandemDocument::update as Yjs v1 updates to broadcast;
 * updates from peers are applied with tandem_document_apply_update(), in any
 * order and any number of times.
 */
struct _TandemDocument
{
  GObject     parent_instance;
  TandemYDoc *ydoc;
  guint64     client_id;
  GHashTable *texts;      /* handle -> TandemText (owned) */
  GArray     *observers;  /* Observer */
};

typedef struct
{
  TandemYDocTransactionFunc func;
  gpointer data;
} Observer;

G_DEFINE_FINAL_TYPE (TandemDocument, tandem_document, G_TYPE_OBJECT)

enum { PROP_0, PROP_CLIENT_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_UPDATE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_update (TandemYDoc *doc, const guint8 *update, gsize len, gboolean local, gpointer data)
{
  TandemDocument *self = data;
  g_autoptr(GBytes) bytes = g_bytes_new (update, len);
  g_signal_emit (self, signals[SIGNAL_UPDATE], 0, bytes, local);
}

static void
on_change (TandemYDoc *doc, guint32 text, guint index, guint n_deleted, const char *inserted,
           gsize inserted_len, guint n_inserted, gboolean local, gpointer data)
{
  TandemDocument *self = data;
  TandemText *t = g_hash_table_lookup (self->texts, GUINT_TO_POINTER (text));
  if (t)
    _tandem_text_emit_change (t, index, n_deleted, inserted, inserted_len, n_inserted, local);
}

static void
on_txn (TandemYDoc *doc, TandemYTransaction *txn, gpointer data)
{
  TandemDocument *self = data;
  for (guint i = 0; i < self->observers->len; i++)
    {
      Observer *o = &g_array_index (self->observers, Observer, i);
      o->func (doc, txn, o->data);
    }
}

static void
tandem_document_constructed (GObject *object)
{
  TandemDocument *self = TANDEM_DOCUMENT (object);
  G_OBJECT_CLASS (tandem_document_parent_class)->constructed (object);
  self->ydoc = tandem_ydoc_new (self->client_id);
  self->client_id = tandem_ydoc_get_client_id (self->ydoc);
  tandem_ydoc_set_update_func (self->ydoc, on_update, self);
  tandem_ydoc_set_change_func (self->ydoc, on_change, self);
  tandem_ydoc_set_transaction_func (self->ydoc, on_txn, self);
}

static void
tandem_document_dispose (GObject *object)
{
  TandemDocument *self = TANDEM_DOCUMENT (object);
  g_hash_table_remove_all (self->texts);
  G_OBJECT_CLASS (tandem_document_parent_class)->dispose (object);
}

static void
tandem_document_finalize (GObject *object)
{
  TandemDocument *self = TANDEM_DOCUMENT (object);
  tandem_ydoc_free (self->ydoc);
  g_hash_table_unref (self->texts);
  g_array_unref (self->observers);
  G_OBJECT_CLASS (tandem_document_parent_class)->finalize (object);
}

static void
tandem_document_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TandemDocument *self = TANDEM_DOCUMENT (object);
  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      g_value_set_uint64 (value, self->ydoc ? tandem_ydoc_get_client_id (self->ydoc) : self->client_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_document_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TandemDocument *self = TANDEM_DOCUMENT (object);
  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      self->client_id = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_document_class_init (TandemDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tandem_document_constructed;
  object_class->dispose = tandem_document_dispose;
  object_class->finalize = tandem_document_finalize;
  object_class->get_property = tandem_document_get_property;
  object_class->set_property = tandem_document_set_property;

  /**
   * TandemDocument:client-id:
   *
   * The Yjs client id of this replica (0 at construction: a random one).
   * It changes if a peer turns out to use the same id.
   */
  properties[PROP_CLIENT_ID] =
    g_param_spec_uint64 ("client-id", NULL, NULL, 0, (G_GUINT64_CONSTANT (1) << 53) - 1, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemDocument::update:
   * @self: the document
   * @update: a Yjs v1 update describing one transaction
   * @local: whether the change was made here (%FALSE: an applied update)
   *
   * Emitted after each transaction that changed the document. Broadcast
   * local updates to the peers.
   */
  signals[SIGNAL_UPDATE] =
    g_signal_new ("update", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_BOOLEAN);
}

static void
tandem_document_init (TandemDocument *self)
{
  self->texts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->observers = g_array_new (FALSE, FALSE, sizeof (Observer));
}

/**
 * tandem_document_new:
 *
 * Returns: (transfer full): a new empty document with a random client id
 */
TandemDocument *
tandem_document_new (void)
{
  return g_object_new (TANDEM_TYPE_DOCUMENT, NULL);
}

/**
 * tandem_document_new_with_client_id:
 * @client_id: a client id below 2^53, never reused with an older state
 *
 * Returns: (transfer full): a new empty document
 */
TandemDocument *
tandem_document_new_with_client_id (guint64 client_id)
{
  return g_object_new (TANDEM_TYPE_DOCUMENT, "client-id", client_id, NULL);
}

guint64
tandem_document_get_client_id (TandemDocument *self)
{
  g_return_val_if_fail (TANDEM_IS_DOCUMENT (self), 0);
  return tandem_ydoc_get_client_id (self->ydoc);
}

/**
 * tandem_document_get_text:
 * @self: a document
 * @name: the text's name (Yjs `doc.getText(name)`)
 *
 * Returns: (transfer none): the text named @name
 */
TandemText *
tandem_document_get_text (TandemDocument *self, const char *name)
{
  g_return_val_if_fail (TANDEM_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  guint32 handle = tandem_ydoc_get_text (self->ydoc, name);
  TandemText *t = g_hash_table_lookup (self->texts, GUINT_TO_POINTER (handle));
  if (t == NULL)
    {
      t = _tandem_text_new (self, handle, name);
      g_hash_table_insert (self->texts, GUINT_TO_POINTER (handle), t);
    }
  return t;
}

/**
 * tandem_document_begin:
 * @self: a document
 *
 * Starts a transaction: changes until tandem_document_commit() give one
 * update and one undo step. Transactions nest.
 */
void
tandem_document_begin (TandemDocument *self)
{
  g_return_if_fail (TANDEM_IS_DOCUMENT (self));
  tandem_ydoc_begin (self->ydoc, NULL);
}

void
tandem_document_commit (TandemDocument *self)
{
  g_return_if_fail (TANDEM_IS_DOCUMENT (self));
  tandem_ydoc_commit (self->ydoc);
}

/**
 * tandem_document_encode_state_vector:
 * @self: a document
 *
 * Returns: (transfer full): the state vector (Yjs `encodeStateVector`)
 */
GBytes *
tandem_document_encode_state_vector (TandemDocument *self)
{
  g_return_val_if_fail (TANDEM_IS_DOCUMENT (self), NULL);
  return tandem_ydoc_encode_state_vector (self->ydoc);
}

/**
 * tandem_document_encode_state_as_update:
 * @self: a document
 * @state_vector: (nullable): a peer's state vector, %NULL for everything
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what the peer misses (Yjs `encodeStateAsUpdate`)
 */
GBytes *
tandem_document_encode_state_as_update (TandemDocument *self, GBytes *state_vector, GError **error)
{
  gsize len = 0;
  const guint8 *sv = state_vector ? g_bytes_get_data (state_vector, &len) : NULL;
  g_return_val_if_fail (TANDEM_IS_DOCUMENT (self), NULL);
  return tandem_ydoc_encode_state_as_update (self->ydoc, sv, len, error);
}

/**
 * tandem_document_apply_update:
 * @self: a document
 * @update: a Yjs v1 update from a peer
 * @error: return location for a #GError
 *
 * Returns: %FALSE if @update is malformed (the document is then unchanged)
 */
gboolean
tandem_document_apply_update (TandemDocument *self, GBytes *update, GError **error)
{
  gsize len;
  const guint8 *d;
  g_return_val_if_fail (TANDEM_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (update != NULL, FALSE);
  d = g_bytes_get_data (update, &len);
  return tandem_ydoc_apply_update (self->ydoc, d, len, NULL, error);
}

/**
 * tandem_document_has_pending:
 * @self: a document
 *
 * Returns: whether received changes wait for updates that did not arrive yet
 */
gboolean
tandem_document_has_pending (TandemDocument *self)
{
  g_return_val_if_fail (TANDEM_IS_DOCUMENT (self), FALSE);
  return tandem_ydoc_has_pending (self->ydoc);
}

TandemYDoc *
_tandem_document_get_ydoc (TandemDocument *self)
{
  return self->ydoc;
}

void
_tandem_document_add_txn_observer (TandemDocument *self, TandemYDocTransactionFunc func, gpointer data)
{
  Observer o = { func, data };
  g_array_append_val (self->observers, o);
}

void
_tandem_document_remove_txn_observer (TandemDocument *self, gpointer data)
{
  for (guint i = 0; i < self->observers->len; i++)
    if (g_array_index (self->observers, Observer, i).data == data)
      {
        g_array_remove_index (self->observers, i);
        return;
      }
}
