/* tandem-presence.c: who is on a channel, as a list model
 *
 * phoenix.js's Presence (protocol.md §4.3), which realtime-js uses as is:
 * the state maps a key to its metas, told apart by phx_ref; presence_state
 * is turned into joins and leaves against the current state; diffs wait
 * until the state of the current join has arrived. On top of it the keys
 * are a GListModel of immutable TandemPresenceEntry snapshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-presence-private.h"

/* ---- presences read from the wire ------------------------------------------ */

/* One key's metas from a state, or from the joins or leaves of a diff. */
typedef struct
{
  char      *key;
  JsonArray *metas;  /* sealed, of sealed objects with a string phx_ref */
} PresenceSet;

typedef struct
{
  GPtrArray *joins;   /* PresenceSet */
  GPtrArray *leaves;  /* PresenceSet */
} PresenceDiff;

static void
presence_set_free (gpointer data)
{
  PresenceSet *set = data;

  g_free (set->key);
  json_array_unref (set->metas);
  g_free (set);
}

/* Takes @metas, and seals it. */
static PresenceSet *
presence_set_new (const char *key,
                  JsonArray  *metas)
{
  PresenceSet *set = g_new0 (PresenceSet, 1);

  set->key = g_strdup (key);
  set->metas = metas;
  json_array_seal (metas);
  return set;
}

static void
presence_diff_free (gpointer data)
{
  PresenceDiff *diff = data;

  g_ptr_array_unref (diff->joins);
  g_ptr_array_unref (diff->leaves);
  g_free (diff);
}

/* Reads {key: {"metas": [meta, …]}, …}, skipping (and returning FALSE for)
 * entries that are not objects, metas that are not an array, and metas
 * that are not objects with a string phx_ref. A key left with no metas is
 * only kept when @keep_empty (a leave of nothing still fires ::leave in
 * phoenix.js; a join of nothing would be an entry without metas). */
static gboolean
read_presences (JsonNode  *node,
                gboolean   keep_empty,
                GPtrArray *out)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  gboolean ok = TRUE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      g_autoptr(JsonArray) metas = NULL;
      JsonNode *metas_node;
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          ok = FALSE;
          continue;
        }
      metas_node = json_object_get_member (json_node_get_object (value), "metas");
      if (metas_node == NULL || !JSON_NODE_HOLDS_ARRAY (metas_node))
        {
          ok = FALSE;
          continue;
        }

      array = json_node_get_array (metas_node);
      n = json_array_get_length (array);
      metas = json_array_sized_new (n);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *meta = json_array_get_element (array, i);
          JsonNode *copy;

          if (!JSON_NODE_HOLDS_OBJECT (meta) || _tandem_presence_meta_get_ref (json_node_get_object (meta)) == NULL)
            {
              ok = FALSE;
              continue;
            }
          copy = _tandem_presence_json_deep_copy (meta);
          json_node_seal (copy);
          json_array_add_element (metas, copy);
        }

      if (json_array_get_length (metas) > 0 || keep_empty)
        g_ptr_array_add (out, presence_set_new (key, g_steal_pointer (&metas)));
    }

  return ok;
}

/* ---- TandemPresence ---------------------------------------------------------- */

/**
 * TandemPresence:
 *
 * The presence state of a channel: who tracks what, merged exactly as
 * realtime-js (phoenix.js) merges presence_state and presence_diff.
 *
 * It is a #GListModel of #TandemPresenceEntry, one per key, in the order
 * the keys first appeared (a key that leaves and comes back goes to the
 * end). A key whose metas change gets a new entry at the same position,
 * announced as one item removed and one added there.
 *
 * Key by key, joins first and then leaves, the model changes and then
 * #TandemPresence::join or #TandemPresence::leave fires, as realtime-js's
 * `join` and `leave` events; #TandemPresence::sync fires once at the end of
 * each state or diff.
 */
struct _TandemPresence
{
  GObject     parent_instance;

  GPtrArray  *items;           /* TandemPresenceEntry, first-appearance order */
  GHashTable *by_key;          /* key (owned by its entry) → entry in @items */
  char       *join_ref;        /* the channel's current join */
  char       *state_join_ref;  /* the join whose presence_state was applied */
  GPtrArray  *pending;         /* PresenceDiff waiting for that state */
  JsonArray  *no_metas;        /* sealed, empty: a new key's current metas */
};

static void tandem_presence_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TandemPresence, tandem_presence, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tandem_presence_list_model_init))

enum
{
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SYNC,
  JOIN,
  LEAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
tandem_presence_get_item_type (GListModel *model)
{
  return TANDEM_TYPE_PRESENCE_ENTRY;
}

static guint
tandem_presence_get_n_items (GListModel *model)
{
  return TANDEM_PRESENCE (model)->items->len;
}

static gpointer
tandem_presence_get_item (GListModel *model,
                          guint       position)
{
  TandemPresence *self = TANDEM_PRESENCE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
tandem_presence_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tandem_presence_get_item_type;
  iface->get_n_items = tandem_presence_get_n_items;
  iface->get_item = tandem_presence_get_item;
}

static void
tandem_presence_finalize (GObject *object)
{
  TandemPresence *self = TANDEM_PRESENCE (object);

  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->join_ref, g_free);
  g_clear_pointer (&self->state_join_ref, g_free);
  g_clear_pointer (&self->no_metas, json_array_unref);

  G_OBJECT_CLASS (tandem_presence_parent_class)->finalize (object);
}

static void
tandem_presence_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TandemPresence *self = TANDEM_PRESENCE (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_presence_class_init (TandemPresenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_presence_finalize;
  object_class->get_property = tandem_presence_get_property;

  /**
   * TandemPresence:n-items:
   *
   * The number of keys present.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemPresence::sync:
   * @self: the presence
   *
   * Emitted after every presence_state and every applied presence_diff,
   * once the model is updated and every ::join and ::leave was emitted,
   * even if nothing changed (realtime-js's `sync` event). Diffs held until
   * the state arrives are applied with it, under one ::sync.
   */
  signals[SYNC] =
    g_signal_new ("sync",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * TandemPresence::join:
   * @self: the presence
   * @key: the presence key
   * @current_metas: (transfer none): the key's metas before the join,
   *   empty if the key is new
   * @new_metas: (transfer none): the metas that joined
   *
   * Emitted for each key that metas joined, as realtime-js's `join` event
   * (its `currentPresences` and `newPresences`; the metas here keep
   * `phx_ref`). The model already holds the merged entry. A re-track
   * (update) emits ::join with the new meta and then ::leave with the old.
   */
  signals[JOIN] =
    g_signal_new ("join",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * TandemPresence::leave:
   * @self: the presence
   * @key: the presence key
   * @current_metas: (transfer none): the key's metas after the leave,
   *   empty if the key is gone
   * @left_metas: (transfer none): the metas that left, as the server sent
   *   them
   *
   * Emitted for each present key that a leave names, as realtime-js's
   * `leave` event (its `currentPresences` and `leftPresences`). The model
   * already reflects the leave: the entry is gone when no metas remain.
   */
  signals[LEAVE] =
    g_signal_new ("leave",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tandem_presence_init (TandemPresence *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = g_ptr_array_new_with_free_func (presence_diff_free);
  self->no_metas = json_array_new ();
  json_array_seal (self->no_metas);
}

TandemPresence *
_tandem_presence_new (void)
{
  return g_object_new (TANDEM_TYPE_PRESENCE, NULL);
}

static guint
presence_position (TandemPresence      *self,
                   TandemPresenceEntry *entry)
{
  guint position = 0;

  g_ptr_array_find (self->items, entry, &position);
  return position;
}

/* Makes @metas the key's metas (none: the key is gone) and tells the model's
 * observers precisely: an added key is appended, a changed one replaced
 * where it is, a removed one taken out. */
static void
presence_set_metas (TandemPresence *self,
                    const char     *key,
                    JsonArray      *metas)
{
  TandemPresenceEntry *entry = g_hash_table_lookup (self->by_key, key);
  TandemPresenceEntry *replacement;
  guint position;

  if (json_array_get_length (metas) == 0)
    {
      if (entry == NULL)
        return;
      position = presence_position (self, entry);
      g_hash_table_remove (self->by_key, key);
      g_ptr_array_remove_index (self->items, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  if (entry != NULL && json_array_equal (tandem_presence_entry_get_metas (entry), metas))
    return;

  replacement = _tandem_presence_entry_new (key, metas);
  /* by_key's key is the entry's string: replace, not insert, so it
   * follows the new entry. */
  g_hash_table_replace (self->by_key, (char *) tandem_presence_entry_get_key (replacement), replacement);
  if (entry != NULL)
    {
      position = presence_position (self, entry);
      g_ptr_array_index (self->items, position) = replacement;
      g_object_unref (entry);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
    }
  else
    {
      g_ptr_array_add (self->items, replacement);
      g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

/* phoenix.js's syncDiff: joins first (each joined key becomes the joined
 * metas, after its current metas that are not among them), then leaves
 * (remove by phx_ref; the key goes when none remain). */
static void
presence_apply_diff (TandemPresence *self,
                     PresenceDiff   *diff)
{
  for (guint i = 0; i < diff->joins->len; i++)
    {
      PresenceSet *join = g_ptr_array_index (diff->joins, i);
      TandemPresenceEntry *entry = g_hash_table_lookup (self->by_key, join->key);
      g_autoptr(JsonArray) current = entry != NULL ? json_array_ref (tandem_presence_entry_get_metas (entry)) : NULL;
      g_autoptr(JsonArray) merged = NULL;

      if (current != NULL)
        {
          g_autoptr(JsonArray) kept = _tandem_presence_metas_without (current, join->metas);

          merged = _tandem_presence_metas_concat (kept, join->metas);
        }
      else
        merged = json_array_ref (join->metas);

      presence_set_metas (self, join->key, merged);
      g_signal_emit (self, signals[JOIN], 0, join->key,
                     current != NULL ? current : self->no_metas, join->metas);
    }

  for (guint i = 0; i < diff->leaves->len; i++)
    {
      PresenceSet *leave = g_ptr_array_index (diff->leaves, i);
      TandemPresenceEntry *entry = g_hash_table_lookup (self->by_key, leave->key);
      g_autoptr(JsonArray) remaining = NULL;

      if (entry == NULL)
        continue;

      remaining = _tandem_presence_metas_without (tandem_presence_entry_get_metas (entry), leave->metas);
      presence_set_metas (self, leave->key, remaining);
      g_signal_emit (self, signals[LEAVE], 0, leave->key, remaining, leave->metas);
    }
}

static PresenceDiff *
presence_diff_new (void)
{
  PresenceDiff *diff = g_new0 (PresenceDiff, 1);

  diff->joins = g_ptr_array_new_with_free_func (presence_set_free);
  diff->leaves = g_ptr_array_new_with_free_func (presence_set_free);
  return diff;
}

/* phoenix.js's syncState: the joins and leaves that turn the current state
 * into @state, applied as a diff. */
static void
presence_apply_state (TandemPresence *self,
                      GPtrArray      *state)
{
  g_autoptr(GHashTable) new_keys = g_hash_table_new (g_str_hash, g_str_equal);
  PresenceDiff *diff = presence_diff_new ();

  for (guint i = 0; i < state->len; i++)
    {
      PresenceSet *set = g_ptr_array_index (state, i);

      g_hash_table_add (new_keys, set->key);
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      TandemPresenceEntry *entry = g_ptr_array_index (self->items, i);

      if (!g_hash_table_contains (new_keys, tandem_presence_entry_get_key (entry)))
        g_ptr_array_add (diff->leaves, presence_set_new (tandem_presence_entry_get_key (entry), json_array_ref (tandem_presence_entry_get_metas (entry))));
    }

  for (guint i = 0; i < state->len; i++)
    {
      PresenceSet *set = g_ptr_array_index (state, i);
      TandemPresenceEntry *entry = g_hash_table_lookup (self->by_key, set->key);
      g_autoptr(JsonArray) joined = NULL;
      g_autoptr(JsonArray) left = NULL;

      if (entry == NULL)
        {
          g_ptr_array_add (diff->joins, presence_set_new (set->key, json_array_ref (set->metas)));
          continue;
        }

      joined = _tandem_presence_metas_without (set->metas, tandem_presence_entry_get_metas (entry));
      left = _tandem_presence_metas_without (tandem_presence_entry_get_metas (entry), set->metas);
      if (json_array_get_length (joined) > 0)
        g_ptr_array_add (diff->joins, presence_set_new (set->key, g_steal_pointer (&joined)));
      if (json_array_get_length (left) > 0)
        g_ptr_array_add (diff->leaves, presence_set_new (set->key, g_steal_pointer (&left)));
    }

  presence_apply_diff (self, diff);
  presence_diff_free (diff);
}

/* phoenix.js's inPendingSyncState: no state yet for the current join. */
static gboolean
presence_is_pending (TandemPresence *self)
{
  return self->state_join_ref == NULL || self->state_join_ref[0] == '\0' ||
         g_strcmp0 (self->state_join_ref, self->join_ref) != 0;
}

void
_tandem_presence_set_join_ref (TandemPresence *self,
                               const char     *join_ref)
{
  g_return_if_fail (TANDEM_IS_PRESENCE (self));

  g_free (self->join_ref);
  self->join_ref = g_strdup (join_ref);
}

gboolean
_tandem_presence_handle_state (TandemPresence *self,
                               JsonObject     *state)
{
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean ok;

  g_return_val_if_fail (TANDEM_IS_PRESENCE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  node = json_node_init_object (json_node_alloc (), state);
  sets = g_ptr_array_new_with_free_func (presence_set_free);
  ok = read_presences (node, FALSE, sets);

  /* Handlers may drop the last reference to us. */
  g_object_ref (self);

  g_free (self->state_join_ref);
  self->state_join_ref = g_strdup (self->join_ref);
  presence_apply_state (self, sets);

  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (presence_diff_free);
  for (guint i = 0; i < pending->len; i++)
    presence_apply_diff (self, g_ptr_array_index (pending, i));

  g_signal_emit (self, signals[SYNC], 0);
  g_object_unref (self);

  return ok;
}

gboolean
_tandem_presence_handle_diff (TandemPresence *self,
                              JsonObject     *diff)
{
  PresenceDiff *parsed;
  gboolean ok;

  g_return_val_if_fail (TANDEM_IS_PRESENCE (self), FALSE);
  g_return_val_if_fail (diff != NULL, FALSE);

  parsed = presence_diff_new ();
  ok = read_presences (json_object_get_member (diff, "joins"), FALSE, parsed->joins);
  ok = read_presences (json_object_get_member (diff, "leaves"), TRUE, parsed->leaves) && ok;

  if (presence_is_pending (self))
    {
      g_ptr_array_add (self->pending, parsed);
      return ok;
    }

  g_object_ref (self);
  presence_apply_diff (self, parsed);
  presence_diff_free (parsed);
  g_signal_emit (self, signals[SYNC], 0);
  g_object_unref (self);

  return ok;
}

void
_tandem_presence_clear (TandemPresence *self)
{
  PresenceDiff *diff;

  g_return_if_fail (TANDEM_IS_PRESENCE (self));

  /* What was held belonged to a join that is over. */
  g_ptr_array_set_size (self->pending, 0);
  g_clear_pointer (&self->state_join_ref, g_free);
  if (self->items->len == 0)
    return;

  diff = presence_diff_new ();
  for (guint i = 0; i < self->items->len; i++)
    {
      TandemPresenceEntry *entry = g_ptr_array_index (self->items, i);

      g_ptr_array_add (diff->leaves, presence_set_new (tandem_presence_entry_get_key (entry), json_array_ref (tandem_presence_entry_get_metas (entry))));
    }

  g_object_ref (self);
  presence_apply_diff (self, diff);
  presence_diff_free (diff);
  g_signal_emit (self, signals[SYNC], 0);
  g_object_unref (self);
}

/**
 * tandem_presence_lookup:
 * @self: a #TandemPresence
 * @key: a presence key
 *
 * Returns: (transfer none) (nullable): the entry of @key, or %NULL if
 *   nobody tracks it
 */
TandemPresenceEntry *
tandem_presence_lookup (TandemPresence *self,
                        const char     *key)
{
  g_return_val_if_fail (TANDEM_IS_PRESENCE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->by_key, key);
}

/**
 * tandem_presence_dup_state:
 * @self: a #TandemPresence
 *
 * The state as realtime-js's `channel.presenceState()` returns it:
 * `{key: [meta, …]}` in model order, where each meta has `phx_ref`
 * renamed to `presence_ref` and no `phx_ref_prev`.
 *
 * Returns: (transfer full): a new object the caller may change
 */
JsonObject *
tandem_presence_dup_state (TandemPresence *self)
{
  JsonObject *state;

  g_return_val_if_fail (TANDEM_IS_PRESENCE (self), NULL);

  state = json_object_new ();
  for (guint i = 0; i < self->items->len; i++)
    {
      TandemPresenceEntry *entry = g_ptr_array_index (self->items, i);
      guint n = json_array_get_length (tandem_presence_entry_get_metas (entry));
      JsonArray *presences = json_array_sized_new (n);

      for (guint j = 0; j < n; j++)
        {
          JsonObject *meta = json_array_get_object_element (tandem_presence_entry_get_metas (entry), j);
          JsonObject *presence = json_object_new ();
          JsonObjectIter iter;
          const char *name;
          JsonNode *member;

          json_object_iter_init_ordered (&iter, meta);
          while (json_object_iter_next_ordered (&iter, &name, &member))
            {
              if (g_str_equal (name, "phx_ref") || g_str_equal (name, "phx_ref_prev"))
                continue;
              json_object_set_member (presence, name, _tandem_presence_json_deep_copy (member));
            }
          /* As realtime-js assigns it: after the other members, or in
           * place of a tracked member of that name. */
          json_object_set_string_member (presence, "presence_ref", _tandem_presence_meta_get_ref (meta));
          json_array_add_object_element (presences, presence);
        }
      json_object_set_array_member (state, tandem_presence_entry_get_key (entry), presences);
    }

  return state;
}
