/* test-presence.c: presence state and diffs, as Phoenix Presence computes them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-rt-presence.h"

static JsonObject *
meta_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
metas_of (JsonObject *map,
          const char *key)
{
  JsonObject *entry = json_object_get_object_member (map, key);

  g_assert_nonnull (entry);
  return json_object_get_array_member (entry, "metas");
}

static void
test_track_join (void)
{
  g_autoptr(TandemRtPresence) presence = tandem_rt_presence_new ();
  g_autoptr(JsonObject) meta = meta_from ("{\"user\":\"alice\",\"status\":\"online\"}");
  g_autoptr(JsonObject) diff = NULL;
  JsonArray *metas;
  JsonObject *joined;

  diff = tandem_rt_presence_track (presence, GINT_TO_POINTER (1), "alice", meta);
  g_assert_nonnull (diff);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (diff, "leaves")), ==, 0);
  metas = metas_of (json_object_get_object_member (diff, "joins"), "alice");
  g_assert_cmpuint (json_array_get_length (metas), ==, 1);
  joined = json_array_get_object_element (metas, 0);
  g_assert_cmpstr (json_object_get_string_member (joined, "user"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (joined, "status"), ==, "online");
  g_assert_cmpuint (strlen (json_object_get_string_member (joined, "phx_ref")), ==, 16);
  g_assert_false (json_object_has_member (joined, "phx_ref_prev"));
  g_assert_true (tandem_rt_presence_has_owner (presence, GINT_TO_POINTER (1)));
  g_assert_cmpuint (tandem_rt_presence_get_n_metas (presence), ==, 1);
}

static void
test_track_same_payload_is_noop (void)
{
  g_autoptr(TandemRtPresence) presence = tandem_rt_presence_new ();
  g_autoptr(JsonObject) meta = meta_from ("{\"user\":\"alice\"}");
  g_autoptr(JsonObject) again = meta_from ("{\"user\":\"alice\"}");
  g_autoptr(JsonObject) first = tandem_rt_presence_track (presence, GINT_TO_POINTER (1), "k", meta);
  g_autoptr(JsonObject) second = tandem_rt_presence_track (presence, GINT_TO_POINTER (1), "k", again);

  g_assert_nonnull (first);
  g_assert_null (second);
}

static void
test_update_is_join_and_leave (void)
{
  g_autoptr(TandemRtPresence) presence = tandem_rt_presence_new ();
  g_autoptr(JsonObject) online = meta_from ("{\"status\":\"online\"}");
  g_autoptr(JsonObject) away = meta_from ("{\"status\":\"away\"}");
  g_autoptr(JsonObject) first = tandem_rt_presence_track (presence, GINT_TO_POINTER (7), "bob", online);
  g_autoptr(JsonObject) update = tandem_rt_presence_track (presence, GINT_TO_POINTER (7), "bob", away);
  JsonObject *first_meta = json_array_get_object_element (metas_of (json_object_get_object_member (first, "joins"), "bob"), 0);
  JsonObject *join_meta = json_array_get_object_element (metas_of (json_object_get_object_member (update, "joins"), "bob"), 0);
  JsonObject *leave_meta = json_array_get_object_element (metas_of (json_object_get_object_member (update, "leaves"), "bob"), 0);

  g_assert_cmpstr (json_object_get_string_member (join_meta, "status"), ==, "away");
  g_assert_cmpstr (json_object_get_string_member (leave_meta, "status"), ==, "online");
  /* the join names the ref it replaces; the leave carries the old ref */
  g_assert_cmpstr (json_object_get_string_member (join_meta, "phx_ref_prev"), ==,
                   json_object_get_string_member (first_meta, "phx_ref"));
  g_assert_cmpstr (json_object_get_string_member (leave_meta, "phx_ref"), ==,
                   json_object_get_string_member (first_meta, "phx_ref"));
  g_assert_cmpstr (json_object_get_string_member (join_meta, "phx_ref"), !=,
                   json_object_get_string_member (first_meta, "phx_ref"));
  g_assert_cmpuint (tandem_rt_presence_get_n_metas (presence), ==, 1);
}

static void
test_several_devices_one_key (void)
{
  g_autoptr(TandemRtPresence) presence = tandem_rt_presence_new ();
  g_autoptr(JsonObject) laptop = meta_from ("{\"device\":\"laptop\"}");
  g_autoptr(JsonObject) phone = meta_from ("{\"device\":\"phone\"}");
  G_GNUC_UNUSED g_autoptr(JsonObject) d1 = tandem_rt_presence_track (presence, GINT_TO_POINTER (1), "carol", laptop);
  G_GNUC_UNUSED g_autoptr(JsonObject) d2 = tandem_rt_presence_track (presence, GINT_TO_POINTER (2), "carol", phone);
  g_autoptr(JsonObject) state = tandem_rt_presence_dup_state (presence);
  g_autoptr(JsonObject) leave = NULL;
  g_autoptr(JsonObject) after = NULL;
  JsonArray *metas = metas_of (state, "carol");

  g_assert_cmpuint (json_object_get_size (state), ==, 1);
  g_assert_cmpuint (json_array_get_length (metas), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (metas, 0), "device"), ==, "laptop");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (metas, 1), "device"), ==, "phone");

  leave = tandem_rt_presence_untrack (presence, GINT_TO_POINTER (1));
  g_assert_nonnull (leave);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (leave, "joins")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (metas_of (json_object_get_object_member (leave, "leaves"), "carol"), 0), "device"),
                   ==, "laptop");

  after = tandem_rt_presence_dup_state (presence);
  g_assert_cmpuint (json_array_get_length (metas_of (after, "carol")), ==, 1);
  g_assert_null (tandem_rt_presence_untrack (presence, GINT_TO_POINTER (1)));
}

static void
test_refs_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 10000; i++)
    {
      char *ref = tandem_rt_presence_new_ref ();

      g_assert_cmpuint (strlen (ref), ==, 16);
      g_assert_true (g_hash_table_add (seen, ref));
    }
}

static void
test_state_keys_are_data (void)
{
  g_autoptr(TandemRtPresence) presence = tandem_rt_presence_new ();
  /* Keys are user-chosen: a key like "__proto__" or "phx_ref" is just data. */
  g_autoptr(JsonObject) meta = meta_from ("{\"phx_ref\":\"forged\",\"x\":1}");
  g_autoptr(JsonObject) diff = tandem_rt_presence_track (presence, GINT_TO_POINTER (3), "__proto__", meta);
  JsonObject *joined = json_array_get_object_element (metas_of (json_object_get_object_member (diff, "joins"), "__proto__"), 0);

  /* a client cannot choose its own phx_ref */
  g_assert_cmpstr (json_object_get_string_member (joined, "phx_ref"), !=, "forged");
  g_assert_cmpint (json_object_get_int_member (joined, "x"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/presence/track-join", test_track_join);
  g_test_add_func ("/presence/same-payload-noop", test_track_same_payload_is_noop);
  g_test_add_func ("/presence/update-join-and-leave", test_update_is_join_and_leave);
  g_test_add_func ("/presence/several-devices", test_several_devices_one_key);
  g_test_add_func ("/presence/refs-unique", test_refs_unique);
  g_test_add_func ("/presence/keys-are-data", test_state_keys_are_data);

  return g_test_run ();
}
