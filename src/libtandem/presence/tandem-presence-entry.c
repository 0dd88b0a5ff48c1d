/* tandem-presence-entry.c: one presence key and its metas, and the metas
 * arithmetic of phoenix.js presence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-presence-private.h"

/* ---- TandemPresenceEntry ----------------------------------------------------- */

/**
 * TandemPresenceEntry:
 *
 * One presence key and its metas, one per tracked connection: a person on
 * two devices is one entry with two metas.
 *
 * An entry is an immutable snapshot. When a key's metas change,
 * #TandemPresence replaces its entry with a new one at the same position.
 */
struct _TandemPresenceEntry
{
  GObject    parent_instance;

  char      *key;
  JsonArray *metas;  /* sealed, of sealed objects */
};

G_DEFINE_FINAL_TYPE (TandemPresenceEntry, tandem_presence_entry, G_TYPE_OBJECT)

enum
{
  ENTRY_PROP_0,
  ENTRY_PROP_KEY,
  ENTRY_PROP_METAS,
  ENTRY_PROP_N_METAS,
  ENTRY_N_PROPS
};

static GParamSpec *entry_properties[ENTRY_N_PROPS];

static void
tandem_presence_entry_finalize (GObject *object)
{
  TandemPresenceEntry *self = TANDEM_PRESENCE_ENTRY (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->metas, json_array_unref);

  G_OBJECT_CLASS (tandem_presence_entry_parent_class)->finalize (object);
}

static void
tandem_presence_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TandemPresenceEntry *self = TANDEM_PRESENCE_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case ENTRY_PROP_METAS:
      g_value_set_boxed (value, self->metas);
      break;

    case ENTRY_PROP_N_METAS:
      g_value_set_uint (value, json_array_get_length (self->metas));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_presence_entry_class_init (TandemPresenceEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_presence_entry_finalize;
  object_class->get_property = tandem_presence_entry_get_property;

  /**
   * TandemPresenceEntry:key:
   *
   * The presence key (the `config.presence.key` of the join, or a random
   * one the server chose).
   */
  entry_properties[ENTRY_PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemPresenceEntry:metas:
   *
   * The metas, oldest first: each is the tracked payload plus `phx_ref`.
   */
  entry_properties[ENTRY_PROP_METAS] =
    g_param_spec_boxed ("metas", NULL, NULL,
                        JSON_TYPE_ARRAY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TandemPresenceEntry:n-metas:
   *
   * How many connections track this key.
   */
  entry_properties[ENTRY_PROP_N_METAS] =
    g_param_spec_uint ("n-metas", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, ENTRY_N_PROPS, entry_properties);
}

static void
tandem_presence_entry_init (TandemPresenceEntry *self)
{
}

TandemPresenceEntry *
_tandem_presence_entry_new (const char *key,
                            JsonArray  *metas)
{
  TandemPresenceEntry *self = g_object_new (TANDEM_TYPE_PRESENCE_ENTRY, NULL);

  self->key = g_strdup (key);
  self->metas = json_array_ref (metas);
  return self;
}

/**
 * tandem_presence_entry_get_key:
 * @self: a #TandemPresenceEntry
 *
 * Returns: the presence key
 */
const char *
tandem_presence_entry_get_key (TandemPresenceEntry *self)
{
  g_return_val_if_fail (TANDEM_IS_PRESENCE_ENTRY (self), NULL);

  return self->key;
}

/**
 * tandem_presence_entry_get_metas:
 * @self: a #TandemPresenceEntry
 *
 * The metas of this key, oldest first. Each is an object: the state its
 * connection tracked plus `phx_ref`, the server's id of that track (and
 * `phx_ref_prev` after an update).
 *
 * Returns: (transfer none): the metas (sealed: an entry never changes)
 */
JsonArray *
tandem_presence_entry_get_metas (TandemPresenceEntry *self)
{
  g_return_val_if_fail (TANDEM_IS_PRESENCE_ENTRY (self), NULL);

  return self->metas;
}

/**
 * tandem_presence_entry_get_n_metas:
 * @self: a #TandemPresenceEntry
 *
 * Returns: how many connections track this key (at least 1)
 */
guint
tandem_presence_entry_get_n_metas (TandemPresenceEntry *self)
{
  g_return_val_if_fail (TANDEM_IS_PRESENCE_ENTRY (self), 0);

  return json_array_get_length (self->metas);
}

/**
 * tandem_presence_entry_get_latest:
 * @self: a #TandemPresenceEntry
 *
 * The newest meta, the one to show for a person on several devices.
 *
 * Returns: (transfer none) (nullable): the last meta
 */
JsonObject *
tandem_presence_entry_get_latest (TandemPresenceEntry *self)
{
  guint n;

  g_return_val_if_fail (TANDEM_IS_PRESENCE_ENTRY (self), NULL);

  n = json_array_get_length (self->metas);
  if (n == 0)
    return NULL;
  return json_array_get_object_element (self->metas, n - 1);
}

/**
 * tandem_presence_entry_get_string:
 * @self: a #TandemPresenceEntry
 * @member: a member name, e.g. `"user"`
 *
 * Returns: (nullable): the string @member of the newest meta, or %NULL if
 *   it has none or it is not a string
 */
const char *
tandem_presence_entry_get_string (TandemPresenceEntry *self,
                                  const char          *member)
{
  JsonObject *latest;
  JsonNode *node;

  g_return_val_if_fail (TANDEM_IS_PRESENCE_ENTRY (self), NULL);
  g_return_val_if_fail (member != NULL, NULL);

  latest = tandem_presence_entry_get_latest (self);
  if (latest == NULL)
    return NULL;
  node = json_object_get_member (latest, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* ---- metas ------------------------------------------------------------------ */

JsonNode *
_tandem_presence_json_deep_copy (JsonNode *node)
{
  JsonNode *copy = json_node_alloc ();

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) object = json_object_new ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          json_object_set_member (object, name, _tandem_presence_json_deep_copy (member));
        json_node_init_object (copy, object);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        g_autoptr(JsonArray) out = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (out, _tandem_presence_json_deep_copy (json_array_get_element (array, i)));
        json_node_init_array (copy, out);
      }
      break;

    case JSON_NODE_NULL:
      json_node_init_null (copy);
      break;

    case JSON_NODE_VALUE:
    default:
      {
        /* Not json_node_copy(): it keeps a sealed node sealed. */
        GValue value = G_VALUE_INIT;

        json_node_get_value (node, &value);
        json_node_init (copy, JSON_NODE_VALUE);
        json_node_set_value (copy, &value);
        g_value_unset (&value);
      }
      break;
    }

  return copy;
}

const char *
_tandem_presence_meta_get_ref (JsonObject *meta)
{
  JsonNode *node = json_object_get_member (meta, "phx_ref");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
metas_get_ref (JsonArray *metas,
               guint      i)
{
  return _tandem_presence_meta_get_ref (json_array_get_object_element (metas, i));
}

static gboolean
metas_contain_ref (JsonArray  *metas,
                   const char *ref)
{
  guint n = json_array_get_length (metas);

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (metas_get_ref (metas, i), ref) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Meta objects are shared between arrays: they are sealed. */
JsonArray *
_tandem_presence_metas_without (JsonArray *metas,
                                JsonArray *exclude)
{
  guint n = json_array_get_length (metas);
  JsonArray *out = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      if (!metas_contain_ref (exclude, metas_get_ref (metas, i)))
        json_array_add_element (out, json_node_ref (json_array_get_element (metas, i)));
    }
  json_array_seal (out);
  return out;
}

JsonArray *
_tandem_presence_metas_concat (JsonArray *first,
                               JsonArray *second)
{
  guint n_first = json_array_get_length (first);
  guint n_second = json_array_get_length (second);
  JsonArray *out = json_array_sized_new (n_first + n_second);

  for (guint i = 0; i < n_first; i++)
    json_array_add_element (out, json_node_ref (json_array_get_element (first, i)));
  for (guint i = 0; i < n_second; i++)
    json_array_add_element (out, json_node_ref (json_array_get_element (second, i)));
  json_array_seal (out);
  return out;
}
