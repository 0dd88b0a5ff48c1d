/* tandem-awareness.c: the y-protocols awareness protocol
 *
 *   awarenessUpdate := varUint n { varUint clientID  varUint clock  varString json }
 *
 * Each client owns one JSON state with a clock. A state is replaced by one
 * with a higher clock; the JSON `null` removes it. The local state is
 * renewed (clock + 1) every 15 s so peers keep it, and remote states not
 * renewed for 30 s are dropped. Same rules as y-protocols' awareness.js.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-awareness.h"
#include "tandem-ydoc.h"
#include "tandem-ydoc-encoding.h"

typedef struct
{
  guint     clock;
  gint64    last_updated;
  JsonNode *state;   /* NULL once removed */
  char     *json;    /* the JSON text received, sent on unchanged */
} Entry;

struct _TandemAwareness
{
  GObject     parent_instance;
  guint64     client_id;
  GHashTable *entries; /* guint64* -> Entry* */
  guint       timer;
  TandemAwarenessTimeFunc time_func;
  gpointer    time_data;
};

G_DEFINE_FINAL_TYPE (TandemAwareness, tandem_awareness, G_TYPE_OBJECT)

enum { PROP_0, PROP_CLIENT_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_CHANGE, SIGNAL_UPDATE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
entry_free (Entry *e)
{
  g_clear_pointer (&e->state, json_node_unref);
  g_free (e->json);
  g_free (e);
}

static gint64
now_ms (TandemAwareness *self)
{
  if (self->time_func)
    return self->time_func (self->time_data);
  return g_get_monotonic_time () / 1000;
}

static Entry *
lookup (TandemAwareness *self, guint64 client)
{
  return g_hash_table_lookup (self->entries, &client);
}

static Entry *
ensure (TandemAwareness *self, guint64 client)
{
  Entry *e = lookup (self, client);
  if (e == NULL)
    {
      guint64 *k = g_new (guint64, 1);
      *k = client;
      e = g_new0 (Entry, 1);
      g_hash_table_insert (self->entries, k, e);
    }
  return e;
}

static void
emit (TandemAwareness *self, GArray *added, GArray *updated, GArray *filtered, GArray *removed,
      gpointer origin)
{
  if (added->len || filtered->len || removed->len)
    g_signal_emit (self, signals[SIGNAL_CHANGE], 0, added, filtered, removed, origin);
  if (added->len || updated->len || removed->len)
    g_signal_emit (self, signals[SIGNAL_UPDATE], 0, added, updated, removed, origin);
}

static GArray *
id_array (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint64));
}

static gboolean
on_timer (gpointer data)
{
  tandem_awareness_check (data);
  return G_SOURCE_CONTINUE;
}

static void
tandem_awareness_constructed (GObject *object)
{
  TandemAwareness *self = TANDEM_AWARENESS (object);
  G_OBJECT_CLASS (tandem_awareness_parent_class)->constructed (object);
  if (self->client_id == 0)
    self->client_id = tandem_ydoc_generate_client_id ();
  /* Like y-protocols, a new awareness announces the empty state {} (clock 0). */
  g_autoptr(JsonNode) empty = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (empty, json_object_new ());
  tandem_awareness_set_local_state (self, empty);
  self->timer = g_timeout_add (TANDEM_AWARENESS_OUTDATED_TIMEOUT / 10, on_timer, self);
}

static void
tandem_awareness_finalize (GObject *object)
{
  TandemAwareness *self = TANDEM_AWARENESS (object);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_hash_table_unref (self->entries);
  G_OBJECT_CLASS (tandem_awareness_parent_class)->finalize (object);
}

static void
tandem_awareness_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TandemAwareness *self = TANDEM_AWARENESS (object);
  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      g_value_set_uint64 (value, self->client_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_awareness_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TandemAwareness *self = TANDEM_AWARENESS (object);
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
tandem_awareness_class_init (TandemAwarenessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tandem_awareness_constructed;
  object_class->finalize = tandem_awareness_finalize;
  object_class->get_property = tandem_awareness_get_property;
  object_class->set_property = tandem_awareness_set_property;

  /**
   * TandemAwareness:client-id:
   *
   * The client id of the local state (the document's client id); 0 at
   * construction picks a random one.
   */
  properties[PROP_CLIENT_ID] =
    g_param_spec_uint64 ("client-id", NULL, NULL, 0, (G_GUINT64_CONSTANT (1) << 53) - 1, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemAwareness::change:
   * @self: the awareness
   * @added: (element-type guint64): clients whose state appeared
   * @updated: (element-type guint64): clients whose state changed
   * @removed: (element-type guint64): clients whose state went away
   * @origin: (nullable): the origin given to the call that changed them
   *
   * Emitted when states really changed.
   */
  signals[SIGNAL_CHANGE] =
    g_signal_new ("change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_ARRAY, G_TYPE_ARRAY, G_TYPE_ARRAY, G_TYPE_POINTER);
  /**
   * TandemAwareness::update:
   * @self: the awareness
   * @added: (element-type guint64): clients whose state appeared
   * @updated: (element-type guint64): clients whose state was renewed or changed
   * @removed: (element-type guint64): clients whose state went away
   * @origin: (nullable): the origin given to the call
   *
   * Emitted whenever states were received or renewed, even unchanged: a
   * provider sends tandem_awareness_encode_update() for these clients.
   */
  signals[SIGNAL_UPDATE] =
    g_signal_new ("update", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_ARRAY, G_TYPE_ARRAY, G_TYPE_ARRAY, G_TYPE_POINTER);
}

static void
tandem_awareness_init (TandemAwareness *self)
{
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) entry_free);
}

/**
 * tandem_awareness_new:
 * @client_id: the document's client id, or 0 for a random one
 *
 * Returns: (transfer full): a new awareness, with the local state `{}`
 */
TandemAwareness *
tandem_awareness_new (guint64 client_id)
{
  return g_object_new (TANDEM_TYPE_AWARENESS, "client-id", client_id, NULL);
}

guint64
tandem_awareness_get_client_id (TandemAwareness *self)
{
  g_return_val_if_fail (TANDEM_IS_AWARENESS (self), 0);
  return self->client_id;
}

/**
 * tandem_awareness_set_time_func:
 * @self: an awareness
 * @func: (nullable) (scope notified): the clock, %NULL for the monotonic clock
 * @user_data: data for @func
 *
 * Replaces the clock used for timeouts (tests use a fake one).
 */
void
tandem_awareness_set_time_func (TandemAwareness *self, TandemAwarenessTimeFunc func, gpointer user_data)
{
  self->time_func = func;
  self->time_data = user_data;
}

/**
 * tandem_awareness_get_local_state:
 * @self: an awareness
 *
 * Returns: (transfer none) (nullable): the local state, %NULL after leaving
 */
JsonNode *
tandem_awareness_get_local_state (TandemAwareness *self)
{
  return tandem_awareness_get_state (self, self->client_id);
}

/**
 * tandem_awareness_get_state:
 * @self: an awareness
 * @client_id: a client
 *
 * Returns: (transfer none) (nullable): the client's state
 */
JsonNode *
tandem_awareness_get_state (TandemAwareness *self, guint64 client_id)
{
  Entry *e = lookup (self, client_id);
  return e ? e->state : NULL;
}

guint
tandem_awareness_get_clock (TandemAwareness *self, guint64 client_id)
{
  Entry *e = lookup (self, client_id);
  return e ? e->clock : 0;
}

/**
 * tandem_awareness_get_clients:
 * @self: an awareness
 *
 * Returns: (transfer full) (element-type guint64): clients that have a state
 */
GArray *
tandem_awareness_get_clients (TandemAwareness *self)
{
  GArray *a = id_array ();
  GHashTableIter iter;
  gpointer k, v;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (((Entry *) v)->state)
      g_array_append_val (a, *(guint64 *) k);
  return a;
}

/**
 * tandem_awareness_set_local_state:
 * @self: an awareness
 * @state: (nullable): the new local state; %NULL to leave
 *
 * Sets the local state and increments its clock.
 */
void
tandem_awareness_set_local_state (TandemAwareness *self, JsonNode *state)
{
  Entry *e = lookup (self, self->client_id);
  gboolean existed = e != NULL;
  g_autoptr(JsonNode) prev = NULL;
  g_autoptr(GArray) added = id_array (), updated = id_array (), filtered = id_array (), removed = id_array ();

  if (state && JSON_NODE_HOLDS_NULL (state))
    state = NULL;
  e = ensure (self, self->client_id);
  prev = g_steal_pointer (&e->state);
  e->clock = existed ? e->clock + 1 : 0;
  e->last_updated = now_ms (self);
  e->state = state ? json_node_copy (state) : NULL;
  g_clear_pointer (&e->json, g_free);
  if (state)
    e->json = json_to_string (state, FALSE);
  if (state == NULL)
    g_array_append_val (removed, self->client_id);
  else if (prev == NULL)
    g_array_append_val (added, self->client_id);
  else
    {
      g_array_append_val (updated, self->client_id);
      if (!json_node_equal (prev, state))
        g_array_append_val (filtered, self->client_id);
    }
  emit (self, added, updated, filtered, removed, NULL);
}

/**
 * tandem_awareness_set_local_state_field:
 * @self: an awareness
 * @field: a key of the local state object
 * @value: (transfer none): its new value
 */
void
tandem_awareness_set_local_state_field (TandemAwareness *self, const char *field, JsonNode *value)
{
  JsonNode *cur = tandem_awareness_get_local_state (self);
  if (cur == NULL || !JSON_NODE_HOLDS_OBJECT (cur))
    return;
  g_autoptr(JsonNode) copy = json_node_copy (cur);
  json_object_set_member (json_node_get_object (copy), field, json_node_copy (value));
  tandem_awareness_set_local_state (self, copy);
}

/**
 * tandem_awareness_encode_update:
 * @self: an awareness
 * @clients: (array length=n_clients) (nullable): clients to include
 * @n_clients: how many; with 0 all known clients are included
 *
 * Returns: (transfer full): an awareness update (y-protocols
 *   `encodeAwarenessUpdate`); removed states are sent as `null`
 */
GBytes *
tandem_awareness_encode_update (TandemAwareness *self, const guint64 *clients, guint n_clients)
{
  g_autoptr(GArray) all = NULL;
  YEnc enc;

  if (n_clients == 0)
    {
      all = id_array ();
      GHashTableIter iter;
      gpointer k;
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, &k, NULL))
        g_array_append_val (all, *(guint64 *) k);
      clients = (const guint64 *) all->data;
      n_clients = all->len;
    }
  y_enc_init (&enc);
  y_enc_varuint (&enc, n_clients);
  for (guint i = 0; i < n_clients; i++)
    {
      Entry *e = lookup (self, clients[i]);
      const char *json = e && e->state ? e->json : "null";
      y_enc_varuint (&enc, clients[i]);
      y_enc_varuint (&enc, e ? e->clock : 0);
      y_enc_varstring (&enc, json, strlen (json));
    }
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_awareness_apply_update:
 * @self: an awareness
 * @update: (array length=len): an awareness update
 * @len: its length
 * @origin: (nullable): passed to the signals
 * @error: return location for a #GError
 *
 * Applies a remote update (y-protocols `applyAwarenessUpdate`).
 *
 * Returns: %FALSE if @update is malformed (then nothing changes)
 */
gboolean
tandem_awareness_apply_update (TandemAwareness *self, const guint8 *update, gsize len,
                               gpointer origin, GError **error)
{
  typedef struct { guint64 client; guint64 clock; JsonNode *state; char *json; } Rec;
  g_autoptr(GArray) recs = g_array_new (FALSE, FALSE, sizeof (Rec));
  g_autoptr(GArray) added = id_array (), updated = id_array (), filtered = id_array (), removed = id_array ();
  gint64 now = now_ms (self);
  YDec dec;
  guint64 n;
  gboolean ok = TRUE;

  y_dec_init (&dec, update, len);
  ok = y_dec_varuint (&dec, &n);
  for (guint64 i = 0; ok && i < n; i++)
    {
      Rec r = { 0 };
      const char *s;
      gsize slen;
      ok = y_dec_varuint (&dec, &r.client) && y_dec_varuint (&dec, &r.clock) && r.clock <= G_MAXUINT &&
           y_dec_varstring (&dec, &s, &slen) && memchr (s, 0, slen) == NULL;
      if (ok)
        {
          r.json = g_strndup (s, slen);
          r.state = json_from_string (r.json, NULL);
          ok = r.state != NULL;
        }
      if (!ok)
        {
          g_free (r.json);
          break;
        }
      g_array_append_val (recs, r);
    }
  if (!ok)
    {
      for (guint i = 0; i < recs->len; i++)
        {
          json_node_unref (g_array_index (recs, Rec, i).state);
          g_free (g_array_index (recs, Rec, i).json);
        }
      g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED, "Malformed awareness update");
      return FALSE;
    }

  for (guint i = 0; i < recs->len; i++)
    {
      Rec *r = &g_array_index (recs, Rec, i);
      Entry *e = lookup (self, r->client);
      gboolean is_null = JSON_NODE_HOLDS_NULL (r->state);
      guint clock = r->clock;
      guint cur = e ? e->clock : 0;

      if (cur < clock || (cur == clock && is_null && e && e->state))
        {
          g_autoptr(JsonNode) prev = NULL;
          gboolean had_meta = e != NULL;
          e = ensure (self, r->client);
          if (is_null)
            {
              if (r->client == self->client_id && e->state)
                clock++; /* never let a peer remove us: re-announce */
              else
                {
                  prev = g_steal_pointer (&e->state);
                  g_clear_pointer (&e->json, g_free);
                }
            }
          else
            {
              prev = g_steal_pointer (&e->state);
              e->state = json_node_ref (r->state);
              g_free (e->json);
              e->json = g_strdup (r->json);
            }
          e->clock = clock;
          e->last_updated = now;
          if (!had_meta && !is_null)
            g_array_append_val (added, r->client);
          else if (had_meta && is_null)
            g_array_append_val (removed, r->client);
          else if (!is_null)
            {
              if (prev == NULL || !json_node_equal (prev, r->state))
                g_array_append_val (filtered, r->client);
              g_array_append_val (updated, r->client);
            }
        }
      json_node_unref (r->state);
      g_free (r->json);
    }
  emit (self, added, updated, filtered, removed, origin);
  return TRUE;
}

/**
 * tandem_awareness_remove_states:
 * @self: an awareness
 * @clients: (array length=n_clients): clients to forget
 * @n_clients: how many
 * @origin: (nullable): passed to the signals
 *
 * Forgets states, e.g. those of a closed connection (y-protocols
 * `removeAwarenessStates`).
 */
void
tandem_awareness_remove_states (TandemAwareness *self, const guint64 *clients, guint n_clients,
                                gpointer origin)
{
  g_autoptr(GArray) none = id_array (), removed = id_array ();
  for (guint i = 0; i < n_clients; i++)
    {
      Entry *e = lookup (self, clients[i]);
      if (e == NULL || e->state == NULL)
        continue;
      g_clear_pointer (&e->state, json_node_unref);
      g_clear_pointer (&e->json, g_free);
      if (clients[i] == self->client_id)
        {
          e->clock++;
          e->last_updated = now_ms (self);
        }
      g_array_append_val (removed, clients[i]);
    }
  emit (self, none, none, none, removed, origin);
}

/**
 * tandem_awareness_check:
 * @self: an awareness
 *
 * Runs the timeout rules now (a timer runs them every 3 s): renews the local
 * state after 15 s and drops remote states older than 30 s.
 */
void
tandem_awareness_check (TandemAwareness *self)
{
  gint64 now = now_ms (self);
  Entry *local = lookup (self, self->client_id);
  g_autoptr(GArray) old = id_array ();
  GHashTableIter iter;
  gpointer k, v;

  if (local && local->state && TANDEM_AWARENESS_OUTDATED_TIMEOUT / 2 <= now - local->last_updated)
    {
      g_autoptr(JsonNode) s = json_node_ref (local->state);
      tandem_awareness_set_local_state (self, s);
    }
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      Entry *e = v;
      if (*(guint64 *) k != self->client_id && e->state &&
          TANDEM_AWARENESS_OUTDATED_TIMEOUT <= now - e->last_updated)
        g_array_append_val (old, *(guint64 *) k);
    }
  if (old->len)
    tandem_awareness_remove_states (self, (guint64 *) old->data, old->len, (gpointer) "timeout");
}
