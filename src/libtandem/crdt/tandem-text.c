/* tandem-text.c: a shared plain text (Yjs Y.Text) and its change deltas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-document-private.h"

typedef struct
{
  TandemDeltaOpKind kind;
  guint length;
  char *text;
} DeltaOp;

struct _TandemDelta
{
  gatomicrefcount ref;
  guint n_ops;
  DeltaOp ops[3];
};

G_DEFINE_BOXED_TYPE (TandemDelta, tandem_delta, tandem_delta_ref, tandem_delta_unref)

/**
 * tandem_delta_ref:
 * @delta: a delta
 *
 * Returns: (transfer full): @delta
 */
TandemDelta *
tandem_delta_ref (TandemDelta *delta)
{
  g_atomic_ref_count_inc (&delta->ref);
  return delta;
}

void
tandem_delta_unref (TandemDelta *delta)
{
  if (g_atomic_ref_count_dec (&delta->ref))
    {
      for (guint i = 0; i < delta->n_ops; i++)
        g_free (delta->ops[i].text);
      g_free (delta);
    }
}

guint
tandem_delta_get_n_ops (TandemDelta *delta)
{
  return delta->n_ops;
}

/**
 * tandem_delta_get_op:
 * @delta: a delta
 * @index: which operation
 * @length: (out) (optional): its length in code points
 * @text: (out) (optional) (transfer none) (nullable): for an insertion, the text
 *
 * Returns: the kind of operation @index
 */
TandemDeltaOpKind
tandem_delta_get_op (TandemDelta *delta, guint index, guint *length, const char **text)
{
  g_return_val_if_fail (index < delta->n_ops, TANDEM_DELTA_RETAIN);
  if (length)
    *length = delta->ops[index].length;
  if (text)
    *text = delta->ops[index].text;
  return delta->ops[index].kind;
}

/**
 * TandemText:
 *
 * A text shared with peers. Positions count Unicode code points. Every
 * change, local or received, is reported at once by #TandemText::changed as
 * a delta relative to the text just before it, so a #GtkTextBuffer can
 * follow without re-reading the text.
 */
struct _TandemText
{
  GObject         parent_instance;
  TandemDocument *document; /* weak */
  guint32         handle;
  char           *name;
};

G_DEFINE_FINAL_TYPE (TandemText, tandem_text, G_TYPE_OBJECT)

enum { PROP_0, PROP_DOCUMENT, PROP_NAME, PROP_LENGTH, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tandem_text_finalize (GObject *object)
{
  TandemText *self = TANDEM_TEXT (object);
  g_clear_weak_pointer (&self->document);
  g_free (self->name);
  G_OBJECT_CLASS (tandem_text_parent_class)->finalize (object);
}

static void
tandem_text_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TandemText *self = TANDEM_TEXT (object);
  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LENGTH:
      g_value_set_uint (value, tandem_text_get_length (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_text_class_init (TandemTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_text_finalize;
  object_class->get_property = tandem_text_get_property;

  /**
   * TandemText:document:
   *
   * The document holding the text.
   */
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TANDEM_TYPE_DOCUMENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TandemText:name:
   *
   * The name of the text in its document.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TandemText:length:
   *
   * The length in code points.
   */
  properties[PROP_LENGTH] =
    g_param_spec_uint ("length", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemText::changed:
   * @self: the text
   * @delta: the change, relative to the text just before it
   * @local: %TRUE for a change made through this #TandemText (or its undo
   *   manager), %FALSE for a change received from a peer
   *
   * Emitted for each change, while it happens. Handlers must not change
   * the document.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TANDEM_TYPE_DELTA, G_TYPE_BOOLEAN);
}

static void
tandem_text_init (TandemText *self)
{
}

TandemText *
_tandem_text_new (TandemDocument *document, guint32 handle, const char *name)
{
  TandemText *self = g_object_new (TANDEM_TYPE_TEXT, NULL);
  g_set_weak_pointer (&self->document, document);
  self->handle = handle;
  self->name = g_strdup (name);
  return self;
}

guint32
_tandem_text_get_handle (TandemText *self)
{
  return self->handle;
}

void
_tandem_text_emit_change (TandemText *self, guint index, guint n_deleted, const char *inserted,
                          gsize inserted_len, guint n_inserted, gboolean local)
{
  TandemDelta *d = g_new0 (TandemDelta, 1);
  g_atomic_ref_count_init (&d->ref);
  if (index > 0)
    d->ops[d->n_ops++] = (DeltaOp) { TANDEM_DELTA_RETAIN, index, NULL };
  if (n_deleted > 0)
    d->ops[d->n_ops++] = (DeltaOp) { TANDEM_DELTA_DELETE, n_deleted, NULL };
  if (n_inserted > 0)
    d->ops[d->n_ops++] = (DeltaOp) { TANDEM_DELTA_INSERT, n_inserted, g_strndup (inserted, inserted_len) };
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, d, local);
  tandem_delta_unref (d);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LENGTH]);
}

static TandemYDoc *
ydoc (TandemText *self, GError **error)
{
  if (self->document == NULL)
    {
      g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_INVALID_ARGUMENT,
                   "The document of this text is gone");
      return NULL;
    }
  return _tandem_document_get_ydoc (self->document);
}

/**
 * tandem_text_get_document:
 * @self: a text
 *
 * Returns: (transfer none) (nullable): the document
 */
TandemDocument *
tandem_text_get_document (TandemText *self)
{
  g_return_val_if_fail (TANDEM_IS_TEXT (self), NULL);
  return self->document;
}

const char *
tandem_text_get_name (TandemText *self)
{
  g_return_val_if_fail (TANDEM_IS_TEXT (self), NULL);
  return self->name;
}

/**
 * tandem_text_get_string:
 * @self: a text
 *
 * Returns: (transfer full): the text (UTF-8)
 */
char *
tandem_text_get_string (TandemText *self)
{
  TandemYDoc *d;
  g_return_val_if_fail (TANDEM_IS_TEXT (self), NULL);
  d = ydoc (self, NULL);
  return d ? tandem_ydoc_text_to_string (d, self->handle, NULL) : g_strdup ("");
}

guint
tandem_text_get_length (TandemText *self)
{
  TandemYDoc *d;
  g_return_val_if_fail (TANDEM_IS_TEXT (self), 0);
  d = ydoc (self, NULL);
  return d ? tandem_ydoc_text_length (d, self->handle) : 0;
}

/**
 * tandem_text_insert:
 * @self: a text
 * @position: where to insert, in code points
 * @text: UTF-8 text
 * @len: length of @text in bytes, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; on error nothing changes
 */
gboolean
tandem_text_insert (TandemText *self, guint position, const char *text, gssize len, GError **error)
{
  TandemYDoc *d;
  g_return_val_if_fail (TANDEM_IS_TEXT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  if ((d = ydoc (self, error)) == NULL)
    return FALSE;
  return tandem_ydoc_text_insert (d, self->handle, position, text, len, error);
}

/**
 * tandem_text_delete:
 * @self: a text
 * @position: where to delete, in code points
 * @n_chars: how many code points
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; on error nothing changes
 */
gboolean
tandem_text_delete (TandemText *self, guint position, guint n_chars, GError **error)
{
  TandemYDoc *d;
  g_return_val_if_fail (TANDEM_IS_TEXT (self), FALSE);
  if ((d = ydoc (self, error)) == NULL)
    return FALSE;
  return tandem_ydoc_text_delete (d, self->handle, position, n_chars, error);
}

/**
 * tandem_text_create_relative_position:
 * @self: a text
 * @position: a position in code points
 * @assoc: ≥ 0 to stick to the character after @position, < 0 to the one before
 *
 * Returns: (transfer full) (nullable): a position that follows the text
 */
TandemRelativePosition *
tandem_text_create_relative_position (TandemText *self, guint position, gint assoc)
{
  TandemYDoc *d;
  g_return_val_if_fail (TANDEM_IS_TEXT (self), NULL);
  if ((d = ydoc (self, NULL)) == NULL)
    return NULL;
  return tandem_relative_position_new_from_index (d, self->handle,
                                                  tandem_ydoc_text_chars_to_utf16 (d, self->handle, position),
                                                  assoc);
}

/**
 * tandem_text_resolve_relative_position:
 * @self: a text
 * @rpos: a relative position
 * @position: (out): where it is now, in code points
 *
 * Returns: %FALSE if @rpos is not in this text or not known yet
 */
gboolean
tandem_text_resolve_relative_position (TandemText *self, const TandemRelativePosition *rpos,
                                       guint *position)
{
  TandemYDoc *d;
  guint32 handle;
  guint index16;
  g_return_val_if_fail (TANDEM_IS_TEXT (self), FALSE);
  if ((d = ydoc (self, NULL)) == NULL)
    return FALSE;
  if (!tandem_relative_position_resolve (rpos, d, &handle, &index16) || handle != self->handle)
    return FALSE;
  *position = tandem_ydoc_text_utf16_to_chars (d, self->handle, index16);
  return TRUE;
}
