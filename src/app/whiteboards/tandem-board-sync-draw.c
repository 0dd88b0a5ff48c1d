/* tandem-board-sync-draw.c: one's own strokes, erasing, clearing, undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <math.h>

#include "tandem-board-codec.h"
#include "tandem-board-sync-private.h"

#define STROKES_TABLE  "whiteboard_strokes"
#define ERASURES_TABLE "whiteboard_erasures"

/* ---- actions (undo) and own operations (resend) ---- */

static Action *
action_new (ActionKind kind)
{
  Action *action = g_new0 (Action, 1);

  action->kind = kind;
  action->ids = g_ptr_array_new_with_free_func (g_free);
  return action;
}

void
_tandem_board_sync_action_free (gpointer data)
{
  Action *action = data;

  g_ptr_array_unref (action->ids);
  g_free (action);
}

void
_tandem_board_sync_own_op_free (gpointer data)
{
  OwnOp *op = data;

  g_ptr_array_unref (op->ids);
  g_free (op);
}

static GPtrArray *
copy_ids (GPtrArray *ids)
{
  GPtrArray *copy = g_ptr_array_new_full (ids->len, g_free);

  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (copy, g_strdup (ids->pdata[i]));
  return copy;
}

static void
push_action (TandemBoardSync *self,
             Action          *action)
{
  g_ptr_array_add (self->undo, action);
  if (self->undo->len > TANDEM_BOARD_MAX_UNDO)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->erase_gesture = NULL;
  _tandem_board_sync_notify_undo (self);
}

static void
touch (TandemBoardSync *self,
       const char      *id)
{
  gint64 *at = g_new (gint64, 1);

  *at = g_get_monotonic_time ();
  g_hash_table_replace (self->own, g_strdup (id), at);
}

/* Points as every other client will see them (the wire's precision), so
 * the author's board is the same as everyone else's. */
static TandemPoint
quantize (double x,
          double y,
          double pressure)
{
  const double limit = TANDEM_STROKE_MAX_COORDINATE;

  if (!isfinite (x) || !isfinite (y))
    x = y = 0;
  if (!isfinite (pressure))
    pressure = 1;
  return (TandemPoint) {
    round (CLAMP (x, -limit, limit) * TANDEM_BOARD_CODEC_SCALE) / TANDEM_BOARD_CODEC_SCALE,
    round (CLAMP (y, -limit, limit) * TANDEM_BOARD_CODEC_SCALE) / TANDEM_BOARD_CODEC_SCALE,
    round (CLAMP (pressure, 0.0, 1.0) * TANDEM_BOARD_CODEC_SCALE) / TANDEM_BOARD_CODEC_SCALE,
  };
}

/* ---- sending one's strokes ---- */

/* Sends what of @stroke others do not have yet, from @sent on; returns the
 * new count, or what it was when the channel is down. */
static guint
send_points (TandemBoardSync *self,
             TandemStroke    *stroke,
             gboolean        *announced,
             guint            sent)
{
  guint n = tandem_stroke_get_n_points (stroke);

  if (!*announced)
    {
      guint first = MIN (n, TANDEM_BOARD_CODEC_MAX_POINTS);
      g_autoptr(JsonNode) start = tandem_board_codec_encode_start (stroke, first);

      if (!_tandem_board_sync_send (self, TANDEM_BOARD_EVENT_START, start))
        return 0;
      *announced = TRUE;
      sent = first;
    }
  while (sent < n)
    {
      guint chunk = MIN (n - sent, TANDEM_BOARD_CODEC_MAX_POINTS);
      g_autoptr(JsonNode) draw = tandem_board_codec_encode_draw (stroke, sent, chunk);

      if (!_tandem_board_sync_send (self, TANDEM_BOARD_EVENT_DRAW, draw))
        break;
      sent += chunk;
    }
  return sent;
}

void
_tandem_board_sync_flush_current (TandemBoardSync *self)
{
  guint sent;

  g_clear_handle_id (&self->frame_id, g_source_remove);
  if (self->current == NULL)
    return;
  sent = send_points (self, self->current, &self->current_announced, self->current_sent);
  if (sent != self->current_sent)
    self->last_flush_at = g_get_monotonic_time ();
  self->current_sent = sent;
}

static gboolean
frame_cb (gpointer user_data)
{
  TandemBoardSync *self = user_data;

  self->frame_id = 0;
  _tandem_board_sync_flush_current (self);
  return G_SOURCE_REMOVE;
}

/* At most one message per frame: the points of a frame go out together,
 * a frame after the previous message (at once after a pause, so a slow
 * pen waits for nothing). */
static void
schedule_frame (TandemBoardSync *self)
{
  gint64 since;

  if (self->frame_id != 0)
    return;
  since = (g_get_monotonic_time () - self->last_flush_at) / 1000;
  if (since >= TANDEM_BOARD_FRAME_MS)
    {
      _tandem_board_sync_flush_current (self);
      return;
    }
  self->frame_id = g_timeout_add (TANDEM_BOARD_FRAME_MS - since, frame_cb, self);
  g_source_set_name_by_id (self->frame_id, "[tandem] whiteboard frame");
}

static void
send_whole (TandemBoardSync *self,
            TandemStroke    *stroke)
{
  gboolean announced = FALSE;
  guint sent = send_points (self, stroke, &announced, 0);
  g_autoptr(JsonNode) end = NULL;

  if (!announced || sent < tandem_stroke_get_n_points (stroke) || !tandem_stroke_get_finished (stroke))
    return;
  end = tandem_board_codec_encode_end (stroke);
  _tandem_board_sync_send (self, TANDEM_BOARD_EVENT_END, end);
}

void
_tandem_board_sync_resend_own (TandemBoardSync *self)
{
  gint64 since = self->lost_at > 0 ? self->lost_at - TANDEM_BOARD_RESEND_MARGIN_USEC : G_MININT64;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->own);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TandemStroke *stroke = tandem_board_model_lookup (self->model, key);

      if (stroke == NULL || *(gint64 *) value < since)
        continue;
      if (stroke == self->current)
        {
          self->current_announced = FALSE;
          self->current_sent = 0;
        }
      else
        send_whole (self, stroke);
    }

  /* Sent again with their own stamps: where someone acted on the same
   * strokes since, the newer operation still wins everywhere. */
  while (!g_queue_is_empty (&self->own_ops) && ((OwnOp *) g_queue_peek_head (&self->own_ops))->at < since)
    _tandem_board_sync_own_op_free (g_queue_pop_head (&self->own_ops));
  for (GList *l = self->own_ops.head; l != NULL; l = l->next)
    {
      OwnOp *op = l->data;

      _tandem_board_sync_send_ids (self, op->kind, op->ids, op->clear, op->stamp);
    }

  _tandem_board_sync_flush_current (self);
}

/* ---- saving ---- */

static void
save_stroke (TandemBoardSync *self,
             TandemStroke    *stroke)
{
  g_autoptr(JsonNode) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (self->outbox == NULL)
    return;
  row = tandem_board_codec_stroke_to_row (stroke, self->board_id);
  /* The stroke id is the write's key: sent twice, it is stored once. */
  key = tandem_outbox_enqueue (self->outbox, TANDEM_OUTBOX_INSERT, STROKES_TABLE, row, NULL, "id",
                               tandem_stroke_get_id (stroke), &error);
  if (key == NULL)
    g_warning ("A stroke could not be queued for saving: %s", error->message);
}

/* The erase state of @ids as whiteboard_erasures rows, upserted: the
 * database keeps the newest by stamp, as the clients do. */
static void
save_erasures (TandemBoardSync *self,
               GPtrArray       *ids,
               gboolean         erased,
               gint64           stamp)
{
  if (self->outbox == NULL)
    return;

  for (guint i = 0; i < ids->len; i += TANDEM_BOARD_CODEC_MAX_IDS)
    {
      guint n = MIN (ids->len - i, TANDEM_BOARD_CODEC_MAX_IDS);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) rows = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;

      json_builder_begin_array (builder);
      for (guint j = i; j < i + n; j++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "stroke_id");
          json_builder_add_string_value (builder, ids->pdata[j]);
          json_builder_set_member_name (builder, "board_id");
          json_builder_add_string_value (builder, self->board_id);
          json_builder_set_member_name (builder, "erased");
          json_builder_add_boolean_value (builder, erased);
          json_builder_set_member_name (builder, "stamp");
          json_builder_add_int_value (builder, stamp);
          json_builder_set_member_name (builder, "erased_by");
          json_builder_add_string_value (builder, self->user_id);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      rows = json_builder_get_root (builder);
      key = tandem_outbox_enqueue (self->outbox, TANDEM_OUTBOX_UPSERT, ERASURES_TABLE, rows, NULL,
                                   "stroke_id", NULL, &error);
      if (key == NULL)
        g_warning ("An erase could not be queued for saving: %s", error->message);
      else
        g_hash_table_add (self->op_keys, g_steal_pointer (&key));
    }
}

void
_tandem_board_sync_on_outbox_completed (TandemBoardSync *self,
                                        const char      *key)
{
  g_autoptr(GPtrArray) ids = NULL;

  if (key == NULL || g_hash_table_remove (self->op_keys, key))
    return;
  if (!g_hash_table_remove (self->unsaved, key))
    {
      /* A stroke of an earlier run, saved only now (or another write of a
       * shared outbox: the lookups find nothing). */
      if (!g_uuid_string_is_valid (key) || tandem_board_model_lookup (self->model, key) != NULL)
        return;
      _tandem_board_sync_want (self, key);
    }
  /* Whoever missed part of it loads it now. */
  ids = g_ptr_array_new ();
  g_ptr_array_add (ids, (gpointer) key);
  _tandem_board_sync_send_ids (self, TANDEM_BOARD_EVENT_SAVED, ids, FALSE, 0);
}

/* ---- drawing ---- */

static TandemStroke *
begin_stroke (TandemBoardSync *self,
              TandemTool       tool,
              const char      *color,
              double           width,
              double           x,
              double           y,
              double           pressure,
              const char      *text)
{
  g_autoptr(TandemStroke) stroke = NULL;
  g_autofree char *id = NULL;
  TandemPoint points[2];
  Action *action;

  if (self->current != NULL)
    tandem_board_sync_end_stroke (self);

  /* Two strokes of one author never share a start time: the order is
   * then the order they were drawn in. */
  self->last_started_at = MAX (g_get_real_time (), self->last_started_at + 1);
  id = g_uuid_string_random ();
  width = isfinite (width) ? CLAMP (round (width * 4) / 4, 0.25, TANDEM_STROKE_MAX_WIDTH) : 2;
  stroke = tandem_stroke_new (id, self->user_id, tool, color, width, self->last_started_at);
  points[0] = points[1] = quantize (x, y, pressure);
  _tandem_stroke_set_points_from (stroke, 0, points, tandem_tool_is_shape (tool) ? 2 : 1);
  _tandem_stroke_set_text (stroke, text);

  touch (self, id);
  g_hash_table_add (self->unsaved, g_strdup (id));
  self->current = g_object_ref (stroke);
  self->current_announced = FALSE;
  self->current_sent = 0;
  tandem_board_model_add (self->model, stroke);

  action = action_new (ACTION_DRAW);
  g_ptr_array_add (action->ids, g_strdup (id));
  push_action (self, action);

  /* The first point goes at once: latency is felt most at the start. */
  _tandem_board_sync_flush_current (self);
  return stroke;
}

TandemStroke *
tandem_board_sync_begin_stroke (TandemBoardSync *self,
                                TandemTool       tool,
                                const char      *color,
                                double           width,
                                double           x,
                                double           y,
                                double           pressure)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), NULL);
  g_return_val_if_fail (tool != TANDEM_TOOL_ERASER && tool != TANDEM_TOOL_TEXT, NULL);
  g_return_val_if_fail (tandem_stroke_color_is_valid (color), NULL);
  g_return_val_if_fail (self->user_id != NULL, NULL);

  return begin_stroke (self, tool, color, width, x, y, pressure, NULL);
}

void
tandem_board_sync_extend_stroke (TandemBoardSync *self,
                                 double           x,
                                 double           y,
                                 double           pressure)
{
  TandemPoint point;
  const TandemPoint *points;
  guint n, index;

  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));

  if (self->current == NULL || tandem_stroke_get_tool (self->current) == TANDEM_TOOL_TEXT)
    return;
  point = quantize (x, y, pressure);
  points = tandem_stroke_get_points (self->current, &n);
  if (tandem_tool_is_shape (tandem_stroke_get_tool (self->current)))
    index = 1;
  else
    index = n;
  if (index > 0 && index <= n && points[index - 1].x == point.x && points[index - 1].y == point.y &&
      points[index - 1].pressure == point.pressure)
    return;
  if (index == 1 && n == 2 && points[1].x == point.x && points[1].y == point.y)
    return;
  if (!tandem_board_model_set_points (self->model, tandem_stroke_get_id (self->current), index, &point, 1))
    return;  /* the longest stroke there can be */
  self->current_sent = MIN (self->current_sent, index);
  touch (self, tandem_stroke_get_id (self->current));
  schedule_frame (self);
}

void
tandem_board_sync_end_stroke (TandemBoardSync *self)
{
  g_autoptr(TandemStroke) stroke = NULL;
  g_autoptr(JsonNode) end = NULL;

  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));

  if (self->current == NULL)
    return;
  _tandem_board_sync_flush_current (self);
  stroke = g_steal_pointer (&self->current);

  tandem_board_model_finish (self->model, tandem_stroke_get_id (stroke), tandem_stroke_get_n_points (stroke));
  touch (self, tandem_stroke_get_id (stroke));
  if (self->current_announced && self->current_sent == tandem_stroke_get_n_points (stroke))
    {
      end = tandem_board_codec_encode_end (stroke);
      _tandem_board_sync_send (self, TANDEM_BOARD_EVENT_END, end);
    }
  save_stroke (self, stroke);
}

void
_tandem_board_sync_current_erased (TandemBoardSync *self)
{
  /* Someone cleared the board under the pen: the stroke is kept (erased)
   * and the rest of this drag draws nothing. */
  tandem_board_sync_end_stroke (self);
}

TandemStroke *
tandem_board_sync_add_text (TandemBoardSync *self,
                            double           x,
                            double           y,
                            const char      *text,
                            const char      *color,
                            double           size)
{
  g_autofree char *limited = NULL;
  TandemStroke *stroke;

  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), NULL);
  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), NULL);
  g_return_val_if_fail (tandem_stroke_color_is_valid (color), NULL);
  g_return_val_if_fail (self->user_id != NULL, NULL);

  limited = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), TANDEM_STROKE_MAX_TEXT));
  stroke = begin_stroke (self, TANDEM_TOOL_TEXT, color, size, x, y, 1, limited);
  tandem_board_sync_end_stroke (self);
  return stroke;
}

/* ---- erasing ---- */

static void
record_op (TandemBoardSync      *self,
           TandemBoardEventKind  kind,
           GPtrArray            *ids,
           gboolean              clear,
           gint64                stamp)
{
  OwnOp *op = g_new0 (OwnOp, 1);

  op->kind = kind;
  op->ids = copy_ids (ids);
  op->clear = clear;
  op->stamp = stamp;
  op->at = g_get_monotonic_time ();
  g_queue_push_tail (&self->own_ops, op);
}

/* One's clock, but above every stamp seen for @ids: what one decides
 * having seen a state wins over that state, however clocks differ. */
static gint64
next_stamp (TandemBoardSync *self,
            GPtrArray       *ids)
{
  gint64 stamp = g_get_real_time ();

  for (guint i = 0; i < ids->len; i++)
    stamp = MAX (stamp, tandem_board_model_get_stamp (self->model, ids->pdata[i]) + 1);
  return stamp;
}

/* Erases those of @ids that are visible; returns them. */
static GPtrArray *
erase_ids (TandemBoardSync *self,
           GPtrArray       *ids,
           gboolean         clear)
{
  GPtrArray *erased = g_ptr_array_new_with_free_func (g_free);
  gint64 stamp;

  for (guint i = 0; i < ids->len; i++)
    if (tandem_board_model_lookup (self->model, ids->pdata[i]) != NULL &&
        !tandem_board_model_is_erased (self->model, ids->pdata[i]))
      g_ptr_array_add (erased, g_strdup (ids->pdata[i]));
  if (erased->len == 0)
    return erased;

  if (self->current != NULL)
    for (guint i = 0; i < erased->len; i++)
      if (g_str_equal (erased->pdata[i], tandem_stroke_get_id (self->current)))
        {
          tandem_board_sync_end_stroke (self);
          break;
        }
  stamp = next_stamp (self, erased);
  tandem_board_model_erase_many (self->model, (const char * const *) erased->pdata, erased->len, stamp);
  _tandem_board_sync_send_ids (self, TANDEM_BOARD_EVENT_ERASE, erased, clear, stamp);
  save_erasures (self, erased, TRUE, stamp);
  record_op (self, TANDEM_BOARD_EVENT_ERASE, erased, clear, stamp);
  return erased;
}

/* Restores those of @ids that are erased; returns them. */
static GPtrArray *
restore_ids (TandemBoardSync *self,
             GPtrArray       *ids)
{
  GPtrArray *restored = g_ptr_array_new_with_free_func (g_free);
  gint64 stamp;

  for (guint i = 0; i < ids->len; i++)
    if (tandem_board_model_is_erased (self->model, ids->pdata[i]))
      g_ptr_array_add (restored, g_strdup (ids->pdata[i]));
  if (restored->len == 0)
    return restored;

  stamp = next_stamp (self, restored);
  for (guint i = 0; i < restored->len; i++)
    tandem_board_model_restore (self->model, restored->pdata[i], stamp);
  _tandem_board_sync_send_ids (self, TANDEM_BOARD_EVENT_RESTORE, restored, FALSE, stamp);
  save_erasures (self, restored, FALSE, stamp);
  record_op (self, TANDEM_BOARD_EVENT_RESTORE, restored, FALSE, stamp);
  return restored;
}

guint
tandem_board_sync_erase (TandemBoardSync    *self,
                         const char * const *ids)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  Action *action;
  GPtrArray *erased;

  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), 0);
  g_return_val_if_fail (ids != NULL, 0);

  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (wanted, (gpointer) ids[i]);
  erased = erase_ids (self, wanted, FALSE);
  if (erased->len == 0)
    {
      g_ptr_array_unref (erased);
      return 0;
    }
  action = action_new (ACTION_ERASE);
  g_ptr_array_unref (action->ids);
  action->ids = erased;
  push_action (self, action);
  return erased->len;
}

guint
tandem_board_sync_erase_at (TandemBoardSync *self,
                            double           x,
                            double           y,
                            double           radius,
                            gboolean         continue_gesture)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) erased = NULL;
  Action *gesture;

  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), 0);

  hits = tandem_board_model_hit_test (self->model, x, y, radius);
  for (guint i = 0; i < hits->len; i++)
    g_ptr_array_add (ids, g_strdup (tandem_stroke_get_id (hits->pdata[i])));
  erased = erase_ids (self, ids, FALSE);
  if (erased->len == 0)
    return 0;

  gesture = continue_gesture && self->undo->len > 0 &&
            self->undo->pdata[self->undo->len - 1] == self->erase_gesture ? self->erase_gesture : NULL;
  if (gesture == NULL)
    {
      gesture = action_new (ACTION_ERASE);
      push_action (self, gesture);
      self->erase_gesture = gesture;
    }
  for (guint i = 0; i < erased->len; i++)
    g_ptr_array_add (gesture->ids, g_strdup (erased->pdata[i]));
  return erased->len;
}

void
tandem_board_sync_clear (TandemBoardSync *self)
{
  g_auto(GStrv) visible = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  Action *action;
  GPtrArray *erased;

  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));

  if (self->current != NULL)
    tandem_board_sync_end_stroke (self);
  visible = tandem_board_model_dup_ids (self->model);
  for (guint i = 0; visible[i] != NULL; i++)
    g_ptr_array_add (ids, visible[i]);
  erased = erase_ids (self, ids, TRUE);
  if (erased->len == 0)
    {
      g_ptr_array_unref (erased);
      return;
    }
  action = action_new (ACTION_CLEAR);
  g_ptr_array_unref (action->ids);
  action->ids = erased;
  push_action (self, action);
  _tandem_board_sync_emit_cleared (self, self->user_id);
}

/* ---- undo ---- */

gboolean
tandem_board_sync_undo (TandemBoardSync *self)
{
  Action *action, *redo;
  GPtrArray *changed;

  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), FALSE);

  if (self->current != NULL)
    tandem_board_sync_end_stroke (self);
  if (self->undo->len == 0)
    return FALSE;
  action = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  if (action->kind == ACTION_DRAW)
    changed = erase_ids (self, action->ids, FALSE);
  else
    changed = restore_ids (self, action->ids);

  /* Redo puts back what this undo changed, no more: a stroke someone else
   * erased meanwhile stays erased. */
  redo = action_new (action->kind);
  g_ptr_array_unref (redo->ids);
  redo->ids = changed;
  g_ptr_array_add (self->redo, redo);
  _tandem_board_sync_action_free (action);
  self->erase_gesture = NULL;
  _tandem_board_sync_notify_undo (self);
  return TRUE;
}

gboolean
tandem_board_sync_redo (TandemBoardSync *self)
{
  Action *action, *undo;
  GPtrArray *changed;

  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), FALSE);

  if (self->current != NULL)
    tandem_board_sync_end_stroke (self);
  if (self->redo->len == 0)
    return FALSE;
  action = g_ptr_array_steal_index (self->redo, self->redo->len - 1);
  if (action->kind == ACTION_DRAW)
    changed = restore_ids (self, action->ids);
  else
    changed = erase_ids (self, action->ids, action->kind == ACTION_CLEAR);

  undo = action_new (action->kind);
  g_ptr_array_unref (undo->ids);
  undo->ids = changed;
  g_ptr_array_add (self->undo, undo);
  _tandem_board_sync_action_free (action);
  self->erase_gesture = NULL;
  _tandem_board_sync_notify_undo (self);
  return TRUE;
}
