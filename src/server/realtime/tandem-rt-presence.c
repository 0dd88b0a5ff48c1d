/* tandem-rt-presence.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-json-util.h"
#include "tandem-jwt.h"
#include "tandem-rt-presence.h"

typedef struct
{
  gconstpointer  owner;
  char          *key;
  char          *phx_ref;
  JsonObject    *meta;   /* the tracked payload, without phx_ref */
} PresenceEntry;

struct _TandemRtPresence
{
  /* owner -> PresenceEntry; keys are listed in first-track order so that
   * presence_state is stable. */
  GHashTable *by_owner;
  GQueue      order;
};

static void
presence_entry_free (PresenceEntry *entry)
{
  g_free (entry->key);
  g_free (entry->phx_ref);
  json_object_unref (entry->meta);
  g_free (entry);
}

TandemRtPresence *
tandem_rt_presence_new (void)
{
  TandemRtPresence *self = g_new0 (TandemRtPresence, 1);

  self->by_owner = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->order);
  return self;
}

void
tandem_rt_presence_free (TandemRtPresence *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->order, (GDestroyNotify) presence_entry_free);
  g_hash_table_unref (self->by_owner);
  g_free (self);
}

char *
tandem_rt_presence_new_ref (void)
{
  static guint64 counter;
  guint8 bytes[12];
  guint64 now = (guint64) g_get_real_time ();
  guint32 random = g_random_int ();
  g_autofree char *encoded = NULL;

  counter++;
  /* time first, so refs sort roughly by creation like Phoenix's */
  for (int i = 0; i < 6; i++)
    bytes[i] = (guint8) (now >> (8 * (5 - i)));
  bytes[6] = (guint8) (counter >> 8);
  bytes[7] = (guint8) counter;
  memcpy (bytes + 8, &random, 4);
  encoded = tandem_base64url_encode (bytes, sizeof bytes);
  return g_strdup_printf ("F%.15s", encoded);
}

/* The meta as clients see it: the payload plus phx_ref (and phx_ref_prev). */
static JsonNode *
entry_meta_node (PresenceEntry *entry,
                 const char    *prev_ref)
{
  JsonObject *meta = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init (&iter, entry->meta);
  while (json_object_iter_next (&iter, &member, &value))
    if (g_strcmp0 (member, "phx_ref") != 0 && g_strcmp0 (member, "phx_ref_prev") != 0)
      json_object_set_member (meta, member, json_node_copy (value));
  json_object_set_string_member (meta, "phx_ref", entry->phx_ref);
  if (prev_ref != NULL)
    json_object_set_string_member (meta, "phx_ref_prev", prev_ref);

  return tandem_json_node_take_object (meta);
}

/* {key: {"metas": [meta]}} */
static JsonObject *
single_key_map (const char *key,
                JsonNode   *meta_node)
{
  JsonObject *map = json_object_new ();
  JsonObject *entry = json_object_new ();
  JsonArray *metas = json_array_new ();

  json_array_add_element (metas, meta_node);
  json_object_set_array_member (entry, "metas", metas);
  json_object_set_object_member (map, key, entry);
  return map;
}

static JsonObject *
make_diff (JsonObject *joins,
           JsonObject *leaves)
{
  JsonObject *diff = json_object_new ();

  json_object_set_object_member (diff, "joins", joins ? joins : json_object_new ());
  json_object_set_object_member (diff, "leaves", leaves ? leaves : json_object_new ());
  return diff;
}

static gboolean
meta_equal (JsonObject *a,
            JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

JsonObject *
tandem_rt_presence_track (TandemRtPresence *self,
                          gconstpointer     owner,
                          const char       *key,
                          JsonObject       *meta)
{
  PresenceEntry *entry;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (meta != NULL, NULL);

  entry = g_hash_table_lookup (self->by_owner, owner);
  if (entry != NULL && g_str_equal (entry->key, key))
    {
      g_autofree char *old_ref = NULL;
      JsonObject *leaves;

      if (meta_equal (entry->meta, meta))
        return NULL;

      leaves = single_key_map (key, entry_meta_node (entry, NULL));
      old_ref = g_steal_pointer (&entry->phx_ref);
      entry->phx_ref = tandem_rt_presence_new_ref ();
      json_object_unref (entry->meta);
      entry->meta = json_object_ref (meta);

      return make_diff (single_key_map (key, entry_meta_node (entry, old_ref)), leaves);
    }

  if (entry != NULL)
    {
      /* Same channel, another key (the key is fixed per join, so this only
       * happens when a channel rejoins): a leave of the old key and a join. */
      JsonObject *leaves = single_key_map (entry->key, entry_meta_node (entry, NULL));

      g_free (entry->key);
      entry->key = g_strdup (key);
      g_free (entry->phx_ref);
      entry->phx_ref = tandem_rt_presence_new_ref ();
      json_object_unref (entry->meta);
      entry->meta = json_object_ref (meta);
      return make_diff (single_key_map (key, entry_meta_node (entry, NULL)), leaves);
    }

  entry = g_new0 (PresenceEntry, 1);
  entry->owner = owner;
  entry->key = g_strdup (key);
  entry->phx_ref = tandem_rt_presence_new_ref ();
  entry->meta = json_object_ref (meta);
  g_hash_table_insert (self->by_owner, (gpointer) owner, entry);
  g_queue_push_tail (&self->order, entry);

  return make_diff (single_key_map (key, entry_meta_node (entry, NULL)), NULL);
}

JsonObject *
tandem_rt_presence_untrack (TandemRtPresence *self,
                            gconstpointer     owner)
{
  PresenceEntry *entry;
  JsonObject *diff;

  g_return_val_if_fail (self != NULL, NULL);

  entry = g_hash_table_lookup (self->by_owner, owner);
  if (entry == NULL)
    return NULL;

  diff = make_diff (NULL, single_key_map (entry->key, entry_meta_node (entry, NULL)));
  g_hash_table_remove (self->by_owner, owner);
  g_queue_remove (&self->order, entry);
  presence_entry_free (entry);
  return diff;
}

JsonObject *
tandem_rt_presence_dup_state (TandemRtPresence *self)
{
  JsonObject *state = json_object_new ();

  for (GList *l = self->order.head; l != NULL; l = l->next)
    {
      PresenceEntry *entry = l->data;
      JsonObject *key_entry;
      JsonArray *metas;

      key_entry = json_object_has_member (state, entry->key)
                  ? json_object_get_object_member (state, entry->key) : NULL;
      if (key_entry == NULL)
        {
          key_entry = json_object_new ();
          json_object_set_array_member (key_entry, "metas", json_array_new ());
          json_object_set_object_member (state, entry->key, key_entry);
        }
      metas = json_object_get_array_member (key_entry, "metas");
      json_array_add_element (metas, entry_meta_node (entry, NULL));
    }

  return state;
}

gboolean
tandem_rt_presence_has_owner (TandemRtPresence *self,
                              gconstpointer     owner)
{
  return g_hash_table_contains (self->by_owner, owner);
}

guint
tandem_rt_presence_get_n_metas (TandemRtPresence *self)
{
  return g_hash_table_size (self->by_owner);
}
