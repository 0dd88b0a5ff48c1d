/* tandem-board-model.c: the ordered strokes a whiteboard canvas draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <math.h>

#include "tandem-board-model.h"
#include "tandem-stroke-private.h"

/**
 * TandemBoardModel:
 *
 * The strokes of one board, as a #GListModel of the visible #TandemStroke,
 * bottom first, plus #TandemBoardModel::stroke-changed when a visible
 * stroke gets points or text (so a canvas redraws that stroke alone).
 *
 * The order is tandem_stroke_compare(): the author's start time, then the
 * author, then the stroke id. It is the same for a stroke seen live and
 * once saved, so strokes never move, and it depends only on the set of
 * strokes, so two clients that received the same events in any order hold
 * the same list.
 *
 * Erased strokes stay in the model, hidden, so that restoring one (undo
 * of an erase) needs no download. Whether a stroke is erased is a
 * last-writer-wins register per id, kept for ids not known yet too (an
 * erase that overtook its stroke), so that visibility, like the order,
 * depends only on the set of operations and not on their order.
 */
struct _TandemBoardModel
{
  GObject     parent_instance;

  GHashTable *strokes;   /* id → TandemStroke (a reference), visible or erased */
  GHashTable *registers; /* id → Register, for ids erased or restored, known or not */
  GSequence  *visible;   /* TandemStroke (borrowed from @strokes), ordered */
};

typedef struct
{
  gint64   stamp;
  gboolean erased;
} Register;

static void tandem_board_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TandemBoardModel, tandem_board_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tandem_board_model_list_model_init))

enum
{
  PROP_0,
  PROP_N_STROKES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  STROKE_CHANGED,
  STROKE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
tandem_board_model_get_item_type (GListModel *list)
{
  return TANDEM_TYPE_STROKE;
}

static guint
tandem_board_model_get_n_items (GListModel *list)
{
  return g_sequence_get_length (TANDEM_BOARD_MODEL (list)->visible);
}

static gpointer
tandem_board_model_get_item (GListModel *list,
                             guint       position)
{
  TandemBoardModel *self = TANDEM_BOARD_MODEL (list);
  GSequenceIter *iter = g_sequence_get_iter_at_pos (self->visible, position);

  if (g_sequence_iter_is_end (iter))
    return NULL;
  return g_object_ref (g_sequence_get (iter));
}

static void
tandem_board_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tandem_board_model_get_item_type;
  iface->get_n_items = tandem_board_model_get_n_items;
  iface->get_item = tandem_board_model_get_item;
}

/* Strokes outlive the model when a canvas holds them: they must not keep
 * pointers into its sequence. */
static void
forget_iters (TandemBoardModel *self)
{
  for (GSequenceIter *iter = g_sequence_get_begin_iter (self->visible);
       !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    _tandem_stroke_set_iter (g_sequence_get (iter), NULL);
}

static void
tandem_board_model_finalize (GObject *object)
{
  TandemBoardModel *self = TANDEM_BOARD_MODEL (object);

  forget_iters (self);
  g_sequence_free (self->visible);
  g_hash_table_unref (self->strokes);
  g_hash_table_unref (self->registers);

  G_OBJECT_CLASS (tandem_board_model_parent_class)->finalize (object);
}

static void
tandem_board_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TandemBoardModel *self = TANDEM_BOARD_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_STROKES:
      g_value_set_uint (value, tandem_board_model_get_n_strokes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_board_model_class_init (TandemBoardModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_board_model_finalize;
  object_class->get_property = tandem_board_model_get_property;

  properties[PROP_N_STROKES] =
    g_param_spec_uint ("n-strokes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemBoardModel::stroke-changed:
   * @self: the model
   * @stroke: a visible stroke
   * @first_point: the first point that changed (the points before it are
   *   as they were; the text changed when it is the number of points)
   *
   * A visible stroke got points or text: redraw it (from @first_point).
   */
  signals[STROKE_CHANGED] =
    g_signal_new ("stroke-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, TANDEM_TYPE_STROKE, G_TYPE_UINT);

  /**
   * TandemBoardModel::stroke-finished:
   * @self: the model
   * @stroke: a visible stroke
   *
   * A visible stroke being drawn has ended (its points may still be
   * completed by a resend or the saved copy: #TandemBoardModel::stroke-changed).
   */
  signals[STROKE_FINISHED] =
    g_signal_new ("stroke-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TANDEM_TYPE_STROKE);
}

static void
tandem_board_model_init (TandemBoardModel *self)
{
  self->strokes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->registers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->visible = g_sequence_new (NULL);
}

TandemBoardModel *
tandem_board_model_new (void)
{
  return g_object_new (TANDEM_TYPE_BOARD_MODEL, NULL);
}

TandemStroke *
tandem_board_model_lookup (TandemBoardModel *self,
                           const char       *id)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), NULL);

  return id ? g_hash_table_lookup (self->strokes, id) : NULL;
}

gboolean
tandem_board_model_is_erased (TandemBoardModel *self,
                              const char       *id)
{
  Register *reg;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);

  reg = id ? g_hash_table_lookup (self->registers, id) : NULL;
  return reg != NULL && reg->erased;
}

gint64
tandem_board_model_get_stamp (TandemBoardModel *self,
                              const char       *id)
{
  Register *reg;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), 0);

  reg = id ? g_hash_table_lookup (self->registers, id) : NULL;
  return reg ? reg->stamp : 0;
}

guint
tandem_board_model_get_n_strokes (TandemBoardModel *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), 0);

  return g_sequence_get_length (self->visible);
}

GStrv
tandem_board_model_dup_ids (TandemBoardModel *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), NULL);

  for (GSequenceIter *iter = g_sequence_get_begin_iter (self->visible);
       !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    g_strv_builder_add (builder, tandem_stroke_get_id (g_sequence_get (iter)));
  return g_strv_builder_end (builder);
}

GPtrArray *
tandem_board_model_hit_test (TandemBoardModel *self,
                             double            x,
                             double            y,
                             double            radius)
{
  GPtrArray *hits;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), NULL);

  hits = g_ptr_array_new ();
  if (g_sequence_get_length (self->visible) == 0)
    return hits;
  for (GSequenceIter *iter = g_sequence_iter_prev (g_sequence_get_end_iter (self->visible));;
       iter = g_sequence_iter_prev (iter))
    {
      TandemStroke *stroke = g_sequence_get (iter);

      if (tandem_stroke_hit (stroke, x, y, radius))
        g_ptr_array_add (hits, stroke);
      if (g_sequence_iter_is_begin (iter))
        break;
    }
  return hits;
}

gboolean
tandem_board_model_get_bounds (TandemBoardModel *self,
                               TandemRect       *bounds)
{
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  for (GSequenceIter *iter = g_sequence_get_begin_iter (self->visible);
       !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    {
      TandemRect r;

      if (tandem_stroke_get_n_points (g_sequence_get (iter)) == 0)
        continue;
      tandem_stroke_get_bounds (g_sequence_get (iter), &r);
      x0 = MIN (x0, r.x);
      y0 = MIN (y0, r.y);
      x1 = MAX (x1, r.x + r.width);
      y1 = MAX (y1, r.y + r.height);
    }
  if (x0 > x1)
    {
      *bounds = (TandemRect) { 0, 0, 0, 0 };
      return FALSE;
    }
  *bounds = (TandemRect) { x0, y0, x1 - x0, y1 - y0 };
  return TRUE;
}

/* ---- changes ---- */

static int
compare_strokes (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return tandem_stroke_compare ((TandemStroke *) a, (TandemStroke *) b);
}

static void
notify_n_strokes (TandemBoardModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
}

static void
show (TandemBoardModel *self,
      TandemStroke     *stroke,
      gboolean          emit)
{
  GSequenceIter *iter = g_sequence_insert_sorted (self->visible, stroke, compare_strokes, NULL);

  _tandem_stroke_set_iter (stroke, iter);
  if (emit)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), g_sequence_iter_get_position (iter), 0, 1);
      notify_n_strokes (self);
    }
}

static void
hide (TandemBoardModel *self,
      TandemStroke     *stroke,
      gboolean          emit)
{
  GSequenceIter *iter = _tandem_stroke_get_iter (stroke);
  guint position;

  if (iter == NULL)
    return;
  position = g_sequence_iter_get_position (iter);
  _tandem_stroke_set_iter (stroke, NULL);
  g_sequence_remove (iter);
  if (emit)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      notify_n_strokes (self);
    }
}

gboolean
tandem_board_model_add (TandemBoardModel *self,
                        TandemStroke     *stroke)
{
  const char *id;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);
  g_return_val_if_fail (TANDEM_IS_STROKE (stroke), FALSE);

  id = tandem_stroke_get_id (stroke);
  if (g_hash_table_contains (self->strokes, id))
    return FALSE;
  g_hash_table_insert (self->strokes, (gpointer) id, g_object_ref (stroke));
  if (!tandem_board_model_is_erased (self, id))
    show (self, stroke, TRUE);
  return TRUE;
}

static void
emit_changed (TandemBoardModel *self,
              TandemStroke     *stroke,
              guint             first_point)
{
  if (_tandem_stroke_get_iter (stroke) != NULL)
    g_signal_emit (self, signals[STROKE_CHANGED], 0, stroke, first_point);
}

gboolean
tandem_board_model_set_points (TandemBoardModel  *self,
                               const char        *id,
                               guint              index,
                               const TandemPoint *points,
                               guint              n_points)
{
  TandemStroke *stroke;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);

  stroke = tandem_board_model_lookup (self, id);
  /* A finished, complete stroke is final: a resend must not redraw it. */
  if (stroke == NULL || (tandem_stroke_get_finished (stroke) && tandem_stroke_get_complete (stroke)))
    return FALSE;
  if (index > tandem_stroke_get_n_points (stroke))
    {
      _tandem_stroke_set_complete (stroke, FALSE);
      return FALSE;
    }
  if (!_tandem_stroke_set_points_from (stroke, index, points, n_points))
    return FALSE;
  emit_changed (self, stroke, index);
  return TRUE;
}

gboolean
tandem_board_model_set_text (TandemBoardModel *self,
                             const char       *id,
                             const char       *text)
{
  TandemStroke *stroke;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);

  stroke = tandem_board_model_lookup (self, id);
  if (stroke == NULL || g_strcmp0 (tandem_stroke_get_text (stroke), text) == 0)
    return FALSE;
  _tandem_stroke_set_text (stroke, text);
  emit_changed (self, stroke, tandem_stroke_get_n_points (stroke));
  return TRUE;
}

gboolean
tandem_board_model_finish (TandemBoardModel *self,
                           const char       *id,
                           guint             n_points)
{
  TandemStroke *stroke;
  gboolean complete, was_finished;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);

  stroke = tandem_board_model_lookup (self, id);
  if (stroke == NULL)
    return FALSE;
  complete = tandem_stroke_get_complete (stroke) && tandem_stroke_get_n_points (stroke) == n_points;
  was_finished = tandem_stroke_get_finished (stroke);
  _tandem_stroke_set_complete (stroke, complete);
  _tandem_stroke_set_finished (stroke, TRUE);
  if (!was_finished && _tandem_stroke_get_iter (stroke) != NULL)
    g_signal_emit (self, signals[STROKE_FINISHED], 0, stroke);
  return complete;
}

void
tandem_board_model_put_saved (TandemBoardModel *self,
                              TandemStroke     *stroke)
{
  TandemStroke *known;

  g_return_if_fail (TANDEM_IS_BOARD_MODEL (self));
  g_return_if_fail (TANDEM_IS_STROKE (stroke));

  _tandem_stroke_set_finished (stroke, TRUE);
  _tandem_stroke_set_complete (stroke, TRUE);
  known = tandem_board_model_lookup (self, tandem_stroke_get_id (stroke));
  if (known == NULL)
    {
      tandem_board_model_add (self, stroke);
      return;
    }
  if (known == stroke || (tandem_stroke_get_finished (known) && tandem_stroke_get_complete (known)))
    return;
  if (tandem_stroke_compare (known, stroke) == 0)
    {
      _tandem_stroke_take_content (known, stroke);
      emit_changed (self, known, 0);
      return;
    }
  /* The saved key differs from the live one (only a misbehaving author
   * does that): the saved one is what late joiners see, so it wins. */
  {
    gboolean was_visible = _tandem_stroke_get_iter (known) != NULL;

    hide (self, known, was_visible);
    g_hash_table_remove (self->strokes, tandem_stroke_get_id (known));
    g_hash_table_insert (self->strokes, (gpointer) tandem_stroke_get_id (stroke), g_object_ref (stroke));
    if (!tandem_board_model_is_erased (self, tandem_stroke_get_id (stroke)))
      show (self, stroke, TRUE);
  }
}

/* Whether an operation (@erased at @stamp) wins over what @id holds; if so
 * it is stored. */
static gboolean
register_write (TandemBoardModel *self,
                const char       *id,
                gboolean          erased,
                gint64            stamp)
{
  Register *reg = g_hash_table_lookup (self->registers, id);

  if (reg == NULL)
    {
      /* Never erased: as if restored at stamp 0. */
      if (!erased && stamp <= 0)
        return FALSE;
      reg = g_new0 (Register, 1);
      g_hash_table_insert (self->registers, g_strdup (id), reg);
    }
  else if (stamp < reg->stamp || (stamp == reg->stamp && (reg->erased || !erased)))
    return FALSE;
  reg->stamp = stamp;
  reg->erased = erased;
  return TRUE;
}

gboolean
tandem_board_model_erase (TandemBoardModel *self,
                          const char       *id,
                          gint64            stamp)
{
  TandemStroke *stroke;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!register_write (self, id, TRUE, stamp))
    return FALSE;
  stroke = tandem_board_model_lookup (self, id);
  if (stroke != NULL)
    hide (self, stroke, TRUE);
  return TRUE;
}

guint
tandem_board_model_erase_many (TandemBoardModel   *self,
                               const char * const *ids,
                               guint               n_ids,
                               gint64              stamp)
{
  guint n_visible, n_hidden = 0;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), 0);
  g_return_val_if_fail (ids != NULL || n_ids == 0, 0);

  n_visible = g_sequence_get_length (self->visible);
  for (guint i = 0; i < n_ids; i++)
    {
      TandemStroke *stroke = tandem_board_model_lookup (self, ids[i]);

      if (stroke != NULL && _tandem_stroke_get_iter (stroke) != NULL)
        n_hidden++;
    }

  /* A clear: one change for the canvas instead of one per stroke (when
   * every operation wins, as a clear's do). */
  if (n_hidden == n_visible && n_visible > 0)
    {
      guint n_won = 0;

      for (guint i = 0; i < n_ids; i++)
        {
          TandemStroke *stroke = tandem_board_model_lookup (self, ids[i]);

          if (register_write (self, ids[i], TRUE, stamp) && stroke != NULL && _tandem_stroke_get_iter (stroke))
            {
              hide (self, stroke, FALSE);
              n_won++;
            }
        }
      if (n_won == n_visible)
        {
          g_list_model_items_changed (G_LIST_MODEL (self), 0, n_visible, 0);
          notify_n_strokes (self);
          return n_visible;
        }
      /* Some lost (a newer restore): all went, some stay. */
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_visible, g_sequence_get_length (self->visible));
      notify_n_strokes (self);
      return n_won;
    }

  n_hidden = 0;
  for (guint i = 0; i < n_ids; i++)
    {
      TandemStroke *stroke = tandem_board_model_lookup (self, ids[i]);
      gboolean was_visible = stroke != NULL && _tandem_stroke_get_iter (stroke) != NULL;

      if (tandem_board_model_erase (self, ids[i], stamp) && was_visible)
        n_hidden++;
    }
  return n_hidden;
}

gboolean
tandem_board_model_restore (TandemBoardModel *self,
                            const char       *id,
                            gint64            stamp)
{
  TandemStroke *stroke;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!register_write (self, id, FALSE, stamp))
    return FALSE;
  stroke = tandem_board_model_lookup (self, id);
  if (stroke != NULL && _tandem_stroke_get_iter (stroke) == NULL)
    show (self, stroke, TRUE);
  return TRUE;
}

void
tandem_board_model_reset (TandemBoardModel *self)
{
  guint n_visible;

  g_return_if_fail (TANDEM_IS_BOARD_MODEL (self));

  n_visible = g_sequence_get_length (self->visible);
  forget_iters (self);
  g_sequence_remove_range (g_sequence_get_begin_iter (self->visible), g_sequence_get_end_iter (self->visible));
  g_hash_table_remove_all (self->strokes);
  g_hash_table_remove_all (self->registers);
  if (n_visible > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_visible, 0);
      notify_n_strokes (self);
    }
}
