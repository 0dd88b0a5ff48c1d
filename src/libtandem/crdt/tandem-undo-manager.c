/* tandem-undo-manager.c: undo and redo of the local user's changes
 *
 * Like Yjs's UndoManager, it records what each local transaction did to one
 * text, by item ids: the ranges it inserted and the pieces it deleted (with
 * their text). Undoing deletes what is still visible of the inserted ranges
 * and re-inserts the deleted pieces right after their tombstones; changes
 * made by peers are never undone. The undo itself is a transaction whose
 * record goes to the redo stack. Local changes within capture-timeout
 * milliseconds of each other form one step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-undo-manager.h"
#include "tandem-document-private.h"
#include "tandem-ydoc-private.h"

typedef struct
{
  guint64 orig_client, copy_client;
  guint32 orig_clock, copy_clock, len;
} Redone;

typedef struct
{
  GArray *inserted; /* YIdRange */
  GArray *deleted;  /* YDeletedPiece (text owned) */
  gint64  time;
} StackItem;

struct _TandemUndoManager
{
  GObject         parent_instance;
  TandemText     *text;
  TandemDocument *document; /* weak */
  GPtrArray      *undo, *redo;
  GArray         *redone;   /* Redone: deleted pieces -> their restored copies */
  guint           capture_timeout;
  gboolean        undoing, redoing, stop_capturing;
};

G_DEFINE_FINAL_TYPE (TandemUndoManager, tandem_undo_manager, G_TYPE_OBJECT)

enum { PROP_0, PROP_TEXT, PROP_CAPTURE_TIMEOUT, PROP_CAN_UNDO, PROP_CAN_REDO, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
stack_item_free (StackItem *s)
{
  for (guint i = 0; i < s->deleted->len; i++)
    g_free (g_array_index (s->deleted, YDeletedPiece, i).text);
  g_array_unref (s->deleted);
  g_array_unref (s->inserted);
  g_free (s);
}

static StackItem *
stack_item_new (void)
{
  StackItem *s = g_new0 (StackItem, 1);
  s->inserted = g_array_new (FALSE, FALSE, sizeof (YIdRange));
  s->deleted = g_array_new (FALSE, FALSE, sizeof (YDeletedPiece));
  return s;
}

static gboolean
range_in_branch (TandemYDoc *doc, guint32 client, guint32 from, guint32 to, guint32 branch)
{
  while (from < to)
    {
      YItem *it = y_item (doc, y_find_item (doc, client, from));
      if (it->seq && y_seq (doc, it->seq)->branch == branch)
        return TRUE;
      from = it->clock + it->len;
    }
  return FALSE;
}

static void
notify_stacks (TandemUndoManager *self, gboolean could_undo, gboolean could_redo)
{
  if (could_undo != (self->undo->len > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != (self->redo->len > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
on_transaction (TandemYDoc *doc, TandemYTransaction *tx, gpointer data)
{
  TandemUndoManager *self = data;
  guint32 branch = _tandem_text_get_handle (self->text);
  guint32 me = doc->me;
  guint32 before = me < tx->n_before ? tx->before[me] : 0;
  guint32 after = doc->clients[me]->state;
  gboolean could_undo = self->undo->len > 0, could_redo = self->redo->len > 0;
  gboolean inserted, deleted = FALSE;

  if (!tx->local || (tx->origin != NULL && tx->origin != self))
    return;
  inserted = after > before && range_in_branch (doc, me, before, after, branch);
  for (guint i = 0; i < tx->deleted_log->len && !deleted; i++)
    deleted = g_array_index (tx->deleted_log, YDeletedPiece, i).branch == branch;
  if (!inserted && !deleted)
    return;

  gint64 now = g_get_monotonic_time () / 1000;
  GPtrArray *stack = self->undoing ? self->redo : self->undo;
  StackItem *item = NULL;
  if (!self->undoing && !self->redoing && !self->stop_capturing && self->undo->len > 0)
    {
      StackItem *last = g_ptr_array_index (self->undo, self->undo->len - 1);
      if (now - last->time < self->capture_timeout)
        item = last;
    }
  if (item == NULL)
    {
      item = stack_item_new ();
      g_ptr_array_add (stack, item);
    }
  self->stop_capturing = FALSE;
  item->time = now;
  if (inserted)
    {
      YIdRange r = { doc->client_id, before, after - before };
      g_array_append_val (item->inserted, r);
    }
  for (guint i = 0; i < tx->deleted_log->len; i++)
    {
      YDeletedPiece p = g_array_index (tx->deleted_log, YDeletedPiece, i);
      if (p.branch != branch)
        continue;
      p.text = g_memdup2 (p.text, p.size);
      g_array_append_val (item->deleted, p);
    }
  if (!self->undoing && !self->redoing)
    g_ptr_array_set_size (self->redo, 0);
  notify_stacks (self, could_undo, could_redo);
}

static gboolean
in_ranges (GArray *ranges, guint64 client, guint32 clock)
{
  for (guint i = 0; i < ranges->len; i++)
    {
      YIdRange *r = &g_array_index (ranges, YIdRange, i);
      if (r->client == client && clock >= r->clock && clock < r->clock + r->len)
        return TRUE;
    }
  return FALSE;
}

/* Deletes what is still visible of an id range, in one branch only; for
 * parts that were deleted and restored by an undo, deletes the copy. */
static void
delete_range (TandemUndoManager *self, TandemYDoc *doc, YIdRange r, guint32 branch, guint depth)
{
  guint32 c = y_client_get (doc, r.client, FALSE);
  if (c == Y_NO_CLIENT || depth > 64)
    return;
  guint32 end = MIN (r.clock + r.len, doc->clients[c]->state);
  guint32 clock = r.clock;
  while (clock < end)
    {
      guint32 idx = y_find_item (doc, c, clock);
      YItem *it = y_item (doc, idx);
      guint32 next = MIN (it->clock + it->len, end);
      if (y_item_visible (it) && it->seq && y_seq (doc, it->seq)->branch == branch &&
          y_seq (doc, it->seq)->key == NULL)
        {
          if (it->clock < clock)
            {
              idx = y_split (doc, idx, clock - it->clock, NULL);
              it = y_item (doc, idx);
            }
          if (it->clock + it->len > end)
            y_split (doc, idx, end - it->clock, NULL);
          y_item_delete (doc, idx);
        }
      else if (it->flags & Y_FLAG_DELETED)
        for (guint i = 0; i < self->redone->len; i++)
          {
            Redone m = g_array_index (self->redone, Redone, i);
            guint32 a = MAX (clock, m.orig_clock), b = MIN (next, m.orig_clock + m.len);
            if (m.orig_client != r.client || a >= b)
              continue;
            YIdRange copy = { m.copy_client, m.copy_clock + (a - m.orig_clock), b - a };
            delete_range (self, doc, copy, branch, depth + 1);
          }
      clock = next;
    }
}

/* Re-inserts a deleted piece right after its tombstone. */
static void
restore_piece (TandemUndoManager *self, TandemYDoc *doc, const YDeletedPiece *p)
{
  guint32 c = y_client_get (doc, p->client, FALSE);
  if (c == Y_NO_CLIENT)
    return;
  guint32 left = y_clean_end (doc, c, p->clock + p->len - 1);
  if (left == 0 || y_item (doc, left)->seq == 0)
    return;
  guint32 seq = y_item (doc, left)->seq;
  if (y_branch (doc, y_seq (doc, seq)->branch)->deleted)
    return;
  Redone m = { p->client, doc->client_id, p->clock, doc->clients[doc->me]->state, p->len };
  y_local_insert (doc, seq, left, y_tree_next (doc, left), p->text, p->size);
  g_array_append_val (self->redone, m);
}

static gboolean
pop (TandemUndoManager *self, gboolean undo)
{
  GPtrArray *stack = undo ? self->undo : self->redo;
  gboolean could_undo = self->undo->len > 0, could_redo = self->redo->len > 0;

  if (self->document == NULL || stack->len == 0)
    return FALSE;
  TandemYDoc *doc = _tandem_document_get_ydoc (self->document);
  guint32 branch = _tandem_text_get_handle (self->text);
  StackItem *item = g_ptr_array_steal_index (stack, stack->len - 1);

  if (undo)
    self->undoing = TRUE;
  else
    self->redoing = TRUE;
  y_txn_begin (doc, TRUE, self);
  for (guint i = 0; i < item->inserted->len; i++)
    delete_range (self, doc, g_array_index (item->inserted, YIdRange, i), branch, 0);
  for (guint i = item->deleted->len; i > 0; i--)
    {
      YDeletedPiece *p = &g_array_index (item->deleted, YDeletedPiece, i - 1);
      if (!in_ranges (item->inserted, p->client, p->clock))
        restore_piece (self, doc, p);
    }
  y_txn_end (doc);
  self->undoing = self->redoing = FALSE;
  self->stop_capturing = TRUE;
  stack_item_free (item);
  notify_stacks (self, could_undo, could_redo);
  return TRUE;
}

/**
 * tandem_undo_manager_undo:
 * @self: an undo manager
 *
 * Undoes the last step of local changes to the text.
 *
 * Returns: whether there was something to undo
 */
gboolean
tandem_undo_manager_undo (TandemUndoManager *self)
{
  g_return_val_if_fail (TANDEM_IS_UNDO_MANAGER (self), FALSE);
  return pop (self, TRUE);
}

/**
 * tandem_undo_manager_redo:
 * @self: an undo manager
 *
 * Returns: whether there was something to redo
 */
gboolean
tandem_undo_manager_redo (TandemUndoManager *self)
{
  g_return_val_if_fail (TANDEM_IS_UNDO_MANAGER (self), FALSE);
  return pop (self, FALSE);
}

gboolean
tandem_undo_manager_get_can_undo (TandemUndoManager *self)
{
  g_return_val_if_fail (TANDEM_IS_UNDO_MANAGER (self), FALSE);
  return self->undo->len > 0;
}

gboolean
tandem_undo_manager_get_can_redo (TandemUndoManager *self)
{
  g_return_val_if_fail (TANDEM_IS_UNDO_MANAGER (self), FALSE);
  return self->redo->len > 0;
}

/**
 * tandem_undo_manager_stop_capturing:
 * @self: an undo manager
 *
 * The next local change starts a new undo step, however soon it comes.
 */
void
tandem_undo_manager_stop_capturing (TandemUndoManager *self)
{
  g_return_if_fail (TANDEM_IS_UNDO_MANAGER (self));
  self->stop_capturing = TRUE;
}

void
tandem_undo_manager_clear (TandemUndoManager *self)
{
  gboolean could_undo = self->undo->len > 0, could_redo = self->redo->len > 0;
  g_return_if_fail (TANDEM_IS_UNDO_MANAGER (self));
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  g_array_set_size (self->redone, 0);
  notify_stacks (self, could_undo, could_redo);
}

static void
tandem_undo_manager_constructed (GObject *object)
{
  TandemUndoManager *self = TANDEM_UNDO_MANAGER (object);
  G_OBJECT_CLASS (tandem_undo_manager_parent_class)->constructed (object);
  g_return_if_fail (self->text != NULL && tandem_text_get_document (self->text) != NULL);
  g_set_weak_pointer (&self->document, tandem_text_get_document (self->text));
  _tandem_document_add_txn_observer (self->document, on_transaction, self);
  _tandem_document_get_ydoc (self->document)->record_deleted++;
}

static void
tandem_undo_manager_dispose (GObject *object)
{
  TandemUndoManager *self = TANDEM_UNDO_MANAGER (object);
  if (self->document)
    {
      _tandem_document_remove_txn_observer (self->document, self);
      _tandem_document_get_ydoc (self->document)->record_deleted--;
      g_clear_weak_pointer (&self->document);
    }
  g_clear_object (&self->text);
  G_OBJECT_CLASS (tandem_undo_manager_parent_class)->dispose (object);
}

static void
tandem_undo_manager_finalize (GObject *object)
{
  TandemUndoManager *self = TANDEM_UNDO_MANAGER (object);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_array_unref (self->redone);
  G_OBJECT_CLASS (tandem_undo_manager_parent_class)->finalize (object);
}

static void
tandem_undo_manager_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TandemUndoManager *self = TANDEM_UNDO_MANAGER (object);
  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_object (value, self->text);
      break;
    case PROP_CAPTURE_TIMEOUT:
      g_value_set_uint (value, self->capture_timeout);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->undo->len > 0);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->redo->len > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_undo_manager_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TandemUndoManager *self = TANDEM_UNDO_MANAGER (object);
  switch (prop_id)
    {
    case PROP_TEXT:
      self->text = g_value_dup_object (value);
      break;
    case PROP_CAPTURE_TIMEOUT:
      self->capture_timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_undo_manager_class_init (TandemUndoManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tandem_undo_manager_constructed;
  object_class->dispose = tandem_undo_manager_dispose;
  object_class->finalize = tandem_undo_manager_finalize;
  object_class->get_property = tandem_undo_manager_get_property;
  object_class->set_property = tandem_undo_manager_set_property;

  /**
   * TandemUndoManager:text:
   *
   * The text whose local changes are tracked.
   */
  properties[PROP_TEXT] =
    g_param_spec_object ("text", NULL, NULL, TANDEM_TYPE_TEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemUndoManager:capture-timeout:
   *
   * Local changes closer than this (milliseconds) form one undo step.
   */
  properties[PROP_CAPTURE_TIMEOUT] =
    g_param_spec_uint ("capture-timeout", NULL, NULL, 0, G_MAXUINT, 500,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * TandemUndoManager:can-undo:
   *
   * Whether tandem_undo_manager_undo() would do something.
   */
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * TandemUndoManager:can-redo:
   *
   * Whether tandem_undo_manager_redo() would do something.
   */
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_undo_manager_init (TandemUndoManager *self)
{
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) stack_item_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) stack_item_free);
  self->redone = g_array_new (FALSE, FALSE, sizeof (Redone));
  self->capture_timeout = 500;
}

/**
 * tandem_undo_manager_new:
 * @text: the text to track
 *
 * Returns: (transfer full): an undo manager for the local changes to @text
 */
TandemUndoManager *
tandem_undo_manager_new (TandemText *text)
{
  g_return_val_if_fail (TANDEM_IS_TEXT (text), NULL);
  return g_object_new (TANDEM_TYPE_UNDO_MANAGER, "text", text, NULL);
}
