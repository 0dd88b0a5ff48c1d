/* test-presence.c: phoenix.js presence merging, and the list model on it
 *
 * Each step's expectations follow phoenix.js presence.js (syncState,
 * syncDiff, pendingDiffs) as realtime-js uses it. A recorder logs every
 * signal in order and mirrors the list model from items-changed alone, so
 * a wrong position or count shows as a mismatch with the model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-presence-private.h"

/* JSON written with single quotes, for readability. */
static JsonObject *
parse_object (const char *text)
{
  g_autofree char *json = g_strdelimit (g_strdup (text), "'", '"');
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static char *
refs_of (JsonArray *metas)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) refs = NULL;

  for (guint i = 0; i < json_array_get_length (metas); i++)
    g_strv_builder_add (builder, json_object_get_string_member (json_array_get_object_element (metas, i),
                                                                "phx_ref"));
  refs = g_strv_builder_end (builder);
  return g_strjoinv (",", refs);
}

typedef struct
{
  TandemPresence *presence;
  GPtrArray      *log;     /* char *, one line per emission */
  GPtrArray      *shadow;  /* the model as items-changed described it */
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  g_assert_cmpuint (position + removed, <=, fixture->shadow->len);
  g_ptr_array_remove_range (fixture->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    {
      TandemPresenceEntry *entry = g_list_model_get_item (model, position + i);

      g_assert_nonnull (entry);
      g_ptr_array_insert (fixture->shadow, position + i, entry);
    }
  g_assert_cmpuint (fixture->shadow->len, ==, g_list_model_get_n_items (model));
  g_ptr_array_add (fixture->log, g_strdup_printf ("items-changed %u %u %u", position, removed, added));
}

static void
on_join (TandemPresence *presence,
         const char     *key,
         JsonArray      *current,
         JsonArray      *joined,
         Fixture        *fixture)
{
  g_autofree char *current_refs = refs_of (current);
  g_autofree char *joined_refs = refs_of (joined);

  /* The model already holds the merged entry. */
  g_assert_nonnull (tandem_presence_lookup (presence, key));
  g_ptr_array_add (fixture->log, g_strdup_printf ("join %s cur=%s new=%s", key, current_refs, joined_refs));
}

static void
on_leave (TandemPresence *presence,
          const char     *key,
          JsonArray      *current,
          JsonArray      *left,
          Fixture        *fixture)
{
  g_autofree char *current_refs = refs_of (current);
  g_autofree char *left_refs = refs_of (left);
  TandemPresenceEntry *entry = tandem_presence_lookup (presence, key);

  /* The model already reflects the leave. */
  if (json_array_get_length (current) == 0)
    g_assert_null (entry);
  else
    g_assert_true (json_array_equal (tandem_presence_entry_get_metas (entry), current));
  g_ptr_array_add (fixture->log, g_strdup_printf ("leave %s cur=%s left=%s", key, current_refs, left_refs));
}

static void
on_sync (TandemPresence *presence,
         Fixture        *fixture)
{
  g_ptr_array_add (fixture->log, g_strdup ("sync"));
}

static void
on_n_items (TandemPresence *presence,
            GParamSpec     *pspec,
            Fixture        *fixture)
{
  g_ptr_array_add (fixture->log, g_strdup_printf ("n-items %u", g_list_model_get_n_items (G_LIST_MODEL (presence))));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->presence = _tandem_presence_new ();
  fixture->log = g_ptr_array_new_with_free_func (g_free);
  fixture->shadow = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (fixture->presence, "items-changed", G_CALLBACK (on_items_changed), fixture);
  g_signal_connect (fixture->presence, "join", G_CALLBACK (on_join), fixture);
  g_signal_connect (fixture->presence, "leave", G_CALLBACK (on_leave), fixture);
  g_signal_connect (fixture->presence, "sync", G_CALLBACK (on_sync), fixture);
  g_signal_connect (fixture->presence, "notify::n-items", G_CALLBACK (on_n_items), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_ptr_array_unref (fixture->shadow);
  g_assert_finalize_object (fixture->presence);
  g_ptr_array_unref (fixture->log);
}

/* The log since the last call is exactly the given lines; and the mirror
 * built from items-changed is the model. */
G_GNUC_NULL_TERMINATED static void
assert_log (Fixture *fixture,
            ...)
{
  GListModel *model = G_LIST_MODEL (fixture->presence);
  const char *line;
  va_list args;
  guint i = 0;

  va_start (args, fixture);
  while ((line = va_arg (args, const char *)) != NULL)
    {
      if (i >= fixture->log->len)
        g_error ("missing log line %u: %s", i, line);
      g_assert_cmpstr (fixture->log->pdata[i], ==, line);
      i++;
    }
  va_end (args);
  if (i < fixture->log->len)
    g_error ("unexpected log line %u: %s", i, (char *) fixture->log->pdata[i]);
  g_ptr_array_set_size (fixture->log, 0);

  g_assert_cmpuint (fixture->shadow->len, ==, g_list_model_get_n_items (model));
  for (guint j = 0; j < fixture->shadow->len; j++)
    {
      g_autoptr(TandemPresenceEntry) item = g_list_model_get_item (model, j);

      g_assert_true (item == fixture->shadow->pdata[j]);
    }
}

/* The model is @expected: "key=ref,ref key=ref …" in order. */
static void
assert_model (Fixture    *fixture,
              const char *expected)
{
  GListModel *model = G_LIST_MODEL (fixture->presence);
  g_autoptr(GString) actual = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TandemPresenceEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *refs = refs_of (tandem_presence_entry_get_metas (entry));

      g_assert_true (tandem_presence_lookup (fixture->presence, tandem_presence_entry_get_key (entry)) == entry);
      g_assert_cmpuint (tandem_presence_entry_get_n_metas (entry), >, 0);
      g_string_append_printf (actual, "%s%s=%s", i > 0 ? " " : "", tandem_presence_entry_get_key (entry), refs);
    }
  g_assert_cmpstr (actual->str, ==, expected);
}

static gboolean
state (Fixture    *fixture,
       const char *text)
{
  g_autoptr(JsonObject) object = parse_object (text);

  return _tandem_presence_handle_state (fixture->presence, object);
}

static gboolean
diff (Fixture    *fixture,
      const char *text)
{
  g_autoptr(JsonObject) object = parse_object (text);

  return _tandem_presence_handle_diff (fixture->presence, object);
}

static void
test_state (Fixture       *fixture,
            gconstpointer  data)
{
  TandemPresenceEntry *bob;

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1','user':'alice'}]},"
                                 "'bob':{'metas':[{'phx_ref':'b1','user':'bob','device':'phone'},"
                                 "{'phx_ref':'b2','user':'bob','device':'laptop'}]}}"));
  assert_log (fixture,
              "items-changed 0 0 1", "n-items 1", "join alice cur= new=a1",
              "items-changed 1 0 1", "n-items 2", "join bob cur= new=b1,b2",
              "sync", NULL);
  assert_model (fixture, "alice=a1 bob=b1,b2");

  bob = tandem_presence_lookup (fixture->presence, "bob");
  g_assert_cmpstr (tandem_presence_entry_get_key (bob), ==, "bob");
  g_assert_cmpuint (tandem_presence_entry_get_n_metas (bob), ==, 2);
  /* The newest meta is the last. */
  g_assert_cmpstr (json_object_get_string_member (tandem_presence_entry_get_latest (bob), "phx_ref"), ==, "b2");
  g_assert_cmpstr (tandem_presence_entry_get_string (bob, "device"), ==, "laptop");
  g_assert_null (tandem_presence_entry_get_string (bob, "missing"));
  g_assert_null (tandem_presence_lookup (fixture->presence, "carol"));

  /* An empty state is a state: everyone leaves. */
  g_assert_true (state (fixture, "{}"));
  assert_log (fixture,
              "items-changed 0 1 0", "n-items 1", "leave alice cur= left=a1",
              "items-changed 0 1 0", "n-items 0", "leave bob cur= left=b1,b2",
              "sync", NULL);
  assert_model (fixture, "");
}

static void
test_diff_before_state (Fixture       *fixture,
                        gconstpointer  data)
{
  _tandem_presence_set_join_ref (fixture->presence, "4");

  /* No state for this join yet: the diffs wait, nothing is emitted. */
  g_assert_true (diff (fixture, "{'joins':{'carol':{'metas':[{'phx_ref':'c1'}]}},'leaves':{}}"));
  g_assert_true (diff (fixture, "{'joins':{},'leaves':{'alice':{'metas':[{'phx_ref':'a1'}]}}}"));
  assert_log (fixture, NULL);
  assert_model (fixture, "");

  /* The state, then the held diffs in order, then one sync. */
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'}]},'bob':{'metas':[{'phx_ref':'b1'}]}}"));
  assert_log (fixture,
              "items-changed 0 0 1", "n-items 1", "join alice cur= new=a1",
              "items-changed 1 0 1", "n-items 2", "join bob cur= new=b1",
              "items-changed 2 0 1", "n-items 3", "join carol cur= new=c1",
              "items-changed 0 1 0", "n-items 2", "leave alice cur= left=a1",
              "sync", NULL);
  assert_model (fixture, "bob=b1 carol=c1");

  /* From now on diffs apply at once, each with its sync. */
  g_assert_true (diff (fixture, "{'joins':{'dave':{'metas':[{'phx_ref':'d1'}]}}}"));
  assert_log (fixture, "items-changed 2 0 1", "n-items 3", "join dave cur= new=d1", "sync", NULL);
  assert_model (fixture, "bob=b1 carol=c1 dave=d1");
}

static void
test_no_join_ref (Fixture       *fixture,
                  gconstpointer  data)
{
  /* As phoenix.js: a state applied without a join ref leaves the presence
   * waiting, so diffs are held. */
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'}]}}"));
  assert_log (fixture, "items-changed 0 0 1", "n-items 1", "join alice cur= new=a1", "sync", NULL);
  g_assert_true (diff (fixture, "{'joins':{'bob':{'metas':[{'phx_ref':'b1'}]}}}"));
  assert_log (fixture, NULL);

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'}]}}"));
  assert_log (fixture, "items-changed 1 0 1", "n-items 2", "join bob cur= new=b1", "sync", NULL);
  assert_model (fixture, "alice=a1 bob=b1");
}

static void
test_rejoin (Fixture       *fixture,
             gconstpointer  data)
{
  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'}]},'bob':{'metas':[{'phx_ref':'b1'}]}}"));
  g_assert_true (diff (fixture, "{'joins':{'carol':{'metas':[{'phx_ref':'c1'}]}}}"));
  g_ptr_array_set_size (fixture->log, 0);
  assert_model (fixture, "alice=a1 bob=b1 carol=c1");

  /* A rejoin: until its own state arrives, diffs wait and the old state
   * stays as it is. */
  _tandem_presence_set_join_ref (fixture->presence, "7");
  g_assert_true (diff (fixture, "{'joins':{'dave':{'metas':[{'phx_ref':'d1'}]}},"
                                "'leaves':{'bob':{'metas':[{'phx_ref':'b1'}]}}}"));
  assert_log (fixture, NULL);
  assert_model (fixture, "alice=a1 bob=b1 carol=c1");

  /* The new state replaces the old one: keys it lacks leave, new keys
   * join (phoenix.js: joins first, then leaves), then the held diff. */
  g_assert_true (state (fixture, "{'bob':{'metas':[{'phx_ref':'b1'}]},'erin':{'metas':[{'phx_ref':'e1'}]}}"));
  assert_log (fixture,
              "items-changed 3 0 1", "n-items 4", "join erin cur= new=e1",
              "items-changed 0 1 0", "n-items 3", "leave alice cur= left=a1",
              "items-changed 1 1 0", "n-items 2", "leave carol cur= left=c1",
              "items-changed 2 0 1", "n-items 3", "join dave cur= new=d1",
              "items-changed 0 1 0", "n-items 2", "leave bob cur= left=b1",
              "sync", NULL);
  assert_model (fixture, "erin=e1 dave=d1");

  /* A diff sent for the old join but held is applied after the new state
   * (phoenix.js keeps pendingDiffs across joins). */
  _tandem_presence_set_join_ref (fixture->presence, "9");
  g_assert_true (diff (fixture, "{'joins':{'frank':{'metas':[{'phx_ref':'f1'}]}}}"));
  _tandem_presence_set_join_ref (fixture->presence, "10");
  assert_log (fixture, NULL);
  g_assert_true (state (fixture, "{'erin':{'metas':[{'phx_ref':'e1'}]},'dave':{'metas':[{'phx_ref':'d1'}]}}"));
  assert_log (fixture, "items-changed 2 0 1", "n-items 3", "join frank cur= new=f1", "sync", NULL);
  assert_model (fixture, "erin=e1 dave=d1 frank=f1");
}

static void
test_multiple_metas (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TandemPresenceEntry) first = NULL;
  TandemPresenceEntry *second;

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1','device':'phone'}]},"
                                 "'bob':{'metas':[{'phx_ref':'b1'}]}}"));
  g_ptr_array_set_size (fixture->log, 0);
  first = g_object_ref (tandem_presence_lookup (fixture->presence, "alice"));

  /* Alice opens a second device: one key, two metas; the entry is
   * replaced in place. */
  g_assert_true (diff (fixture, "{'joins':{'alice':{'metas':[{'phx_ref':'a2','device':'laptop'}]}},'leaves':{}}"));
  assert_log (fixture, "items-changed 0 1 1", "join alice cur=a1 new=a2", "sync", NULL);
  assert_model (fixture, "alice=a1,a2 bob=b1");
  second = tandem_presence_lookup (fixture->presence, "alice");
  g_assert_true (second != first);
  /* Entries are snapshots: the old one still says what it said. */
  g_assert_cmpuint (tandem_presence_entry_get_n_metas (first), ==, 1);
  g_assert_cmpstr (tandem_presence_entry_get_string (first, "device"), ==, "phone");
  g_assert_cmpstr (tandem_presence_entry_get_string (second, "device"), ==, "laptop");
  g_assert_true (json_array_is_immutable (tandem_presence_entry_get_metas (second)));
  g_assert_true (json_object_is_immutable (tandem_presence_entry_get_latest (second)));

  /* The phone goes; the laptop stays. */
  g_assert_true (diff (fixture, "{'joins':{},'leaves':{'alice':{'metas':[{'phx_ref':'a1','device':'phone'}]}}}"));
  assert_log (fixture, "items-changed 0 1 1", "leave alice cur=a2 left=a1", "sync", NULL);
  assert_model (fixture, "alice=a2 bob=b1");

  /* Both of Bob's devices in one diff, then both leave in one. */
  g_assert_true (diff (fixture, "{'joins':{'bob':{'metas':[{'phx_ref':'b2'},{'phx_ref':'b3'}]}}}"));
  assert_log (fixture, "items-changed 1 1 1", "join bob cur=b1 new=b2,b3", "sync", NULL);
  assert_model (fixture, "alice=a2 bob=b1,b2,b3");
  g_assert_true (diff (fixture, "{'leaves':{'bob':{'metas':[{'phx_ref':'b1'},{'phx_ref':'b3'}]}}}"));
  assert_log (fixture, "items-changed 1 1 1", "leave bob cur=b2 left=b1,b3", "sync", NULL);
  assert_model (fixture, "alice=a2 bob=b2");

  /* The last meta leaving removes the key; coming back puts it last. */
  g_assert_true (diff (fixture, "{'leaves':{'alice':{'metas':[{'phx_ref':'a2'}]}}}"));
  assert_log (fixture, "items-changed 0 1 0", "n-items 1", "leave alice cur= left=a2", "sync", NULL);
  g_assert_true (diff (fixture, "{'joins':{'alice':{'metas':[{'phx_ref':'a3'}]}}}"));
  assert_log (fixture, "items-changed 1 0 1", "n-items 2", "join alice cur= new=a3", "sync", NULL);
  assert_model (fixture, "bob=b2 alice=a3");
}

static void
test_retrack (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonObject) presence_state = NULL;
  g_autoptr(JsonObject) expected = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1','status':'online'}]}}"));
  g_ptr_array_set_size (fixture->log, 0);

  /* An update: the server sends the new meta as a join and the old as a
   * leave of the same key, in one diff. Join then leave: one meta. */
  g_assert_true (diff (fixture, "{'joins':{'alice':{'metas':[{'phx_ref':'a2','phx_ref_prev':'a1','status':'away'}]}},"
                                "'leaves':{'alice':{'metas':[{'phx_ref':'a1','status':'online'}]}}}"));
  assert_log (fixture,
              "items-changed 0 1 1", "join alice cur=a1 new=a2",
              "items-changed 0 1 1", "leave alice cur=a2 left=a1",
              "sync", NULL);
  assert_model (fixture, "alice=a2");
  g_assert_cmpstr (tandem_presence_entry_get_string (tandem_presence_lookup (fixture->presence, "alice"), "status"),
                   ==, "away");

  /* presenceState(): phx_ref renamed presence_ref, phx_ref_prev gone. */
  presence_state = tandem_presence_dup_state (fixture->presence);
  expected = parse_object ("{'alice':[{'status':'away','presence_ref':'a2'}]}");
  a = json_node_init_object (json_node_alloc (), presence_state);
  b = json_node_init_object (json_node_alloc (), expected);
  g_assert_true (json_node_equal (a, b));
}

static void
test_state_resync (Fixture       *fixture,
                   gconstpointer  data)
{
  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'},{'phx_ref':'a2'}]},"
                                 "'bob':{'metas':[{'phx_ref':'b1'}]}}"));
  g_ptr_array_set_size (fixture->log, 0);

  /* A second state for the same key: only the metas that differ join or
   * leave; unchanged keys emit nothing. */
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a2'},{'phx_ref':'a3'}]},"
                                 "'bob':{'metas':[{'phx_ref':'b1'}]}}"));
  assert_log (fixture,
              "items-changed 0 1 1", "join alice cur=a1,a2 new=a3",
              "items-changed 0 1 1", "leave alice cur=a2,a3 left=a1",
              "sync", NULL);
  assert_model (fixture, "alice=a2,a3 bob=b1");

  /* The same state again: nothing but sync. */
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a2'},{'phx_ref':'a3'}]},"
                                 "'bob':{'metas':[{'phx_ref':'b1'}]}}"));
  assert_log (fixture, "sync", NULL);
}

static void
test_unknown_leaves (Fixture       *fixture,
                     gconstpointer  data)
{
  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'}]}}"));
  g_ptr_array_set_size (fixture->log, 0);

  /* A key nobody tracks: ignored, but the diff still syncs. */
  g_assert_true (diff (fixture, "{'joins':{},'leaves':{'ghost':{'metas':[{'phx_ref':'g1'}]}}}"));
  assert_log (fixture, "sync", NULL);

  /* A known key, an unknown ref: ::leave fires (as phoenix.js's onLeave),
   * the entry is unchanged. */
  g_assert_true (diff (fixture, "{'leaves':{'alice':{'metas':[{'phx_ref':'zz'}]}}}"));
  assert_log (fixture, "leave alice cur=a1 left=zz", "sync", NULL);
  assert_model (fixture, "alice=a1");

  /* A join identical to what is there: ::join, but no new entry. */
  g_assert_true (diff (fixture, "{'joins':{'alice':{'metas':[{'phx_ref':'a1'}]}}}"));
  assert_log (fixture, "join alice cur=a1 new=a1", "sync", NULL);

  /* The same ref with new contents replaces the entry. */
  g_assert_true (diff (fixture, "{'joins':{'alice':{'metas':[{'phx_ref':'a1','x':1}]}}}"));
  assert_log (fixture, "items-changed 0 1 1", "join alice cur=a1 new=a1", "sync", NULL);
  g_assert_cmpint (json_object_get_int_member (tandem_presence_entry_get_latest (
                     tandem_presence_lookup (fixture->presence, "alice")), "x"), ==, 1);

  /* An empty diff. */
  g_assert_true (diff (fixture, "{}"));
  assert_log (fixture, "sync", NULL);
  assert_model (fixture, "alice=a1");
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  _tandem_presence_set_join_ref (fixture->presence, "1");

  /* Bad entries and metas are skipped; the rest is applied. */
  g_assert_false (state (fixture, "{'x':5,'y':{'metas':3},'w':{'nometas':[]},'n':null,'s':'str',"
                                  "'z':{'metas':[{'no':'ref'},7,{'phx_ref':9},null,[]]},"
                                  "'ok':{'metas':[{'phx_ref':'o1'}]},"
                                  "'mixed':{'metas':[{'phx_ref':'m1'},'bad',{'phx_ref':'m2'}]}}"));
  assert_log (fixture,
              "items-changed 0 0 1", "n-items 1", "join ok cur= new=o1",
              "items-changed 1 0 1", "n-items 2", "join mixed cur= new=m1,m2",
              "sync", NULL);
  assert_model (fixture, "ok=o1 mixed=m1,m2");

  /* joins and leaves that are not objects. */
  g_assert_false (diff (fixture, "{'joins':[],'leaves':'x'}"));
  assert_log (fixture, "sync", NULL);
  g_assert_false (diff (fixture, "{'joins':{'p':{'metas':[{'phx_ref':'p1'}]}},'leaves':7}"));
  assert_log (fixture, "items-changed 2 0 1", "n-items 3", "join p cur= new=p1", "sync", NULL);
  g_assert_false (diff (fixture, "{'joins':{'q':{'metas':{}}},'leaves':{'ok':{'metas':[{'phx_ref':'o1'}, 1]}}}"));
  assert_log (fixture, "items-changed 0 1 0", "n-items 2", "leave ok cur= left=o1", "sync", NULL);
  /* A leave whose metas are all bad still names its key. */
  g_assert_false (diff (fixture, "{'leaves':{'mixed':{'metas':[{'ref':'m1'}]}}}"));
  assert_log (fixture, "leave mixed cur=m1,m2 left=", "sync", NULL);
  /* A join with no good meta does not create an entry. */
  g_assert_false (diff (fixture, "{'joins':{'r':{'metas':[{'x':1}]}}}"));
  g_assert_true (diff (fixture, "{'joins':{'r':{'metas':[]}}}"));
  assert_log (fixture, "sync", "sync", NULL);
  assert_model (fixture, "mixed=m1,m2 p=p1");

  /* Malformed diffs are reported even while held. */
  _tandem_presence_set_join_ref (fixture->presence, "2");
  g_assert_false (diff (fixture, "{'joins':5}"));
  g_assert_true (diff (fixture, "{'joins':null,'leaves':null}"));
  assert_log (fixture, NULL);
}

static void
test_frames_not_shared (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) frame = parse_object ("{'alice':{'metas':[{'phx_ref':'a1','pos':{'x':1}}]}}");
  JsonObject *meta;
  JsonObject *pos;
  TandemPresenceEntry *entry;

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (_tandem_presence_handle_state (fixture->presence, frame));

  /* The frame stays the caller's: not sealed, and changing it changes
   * nothing here. */
  meta = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (frame, "alice"),
                                                                      "metas"), 0);
  pos = json_object_get_object_member (meta, "pos");
  g_assert_false (json_object_is_immutable (meta));
  json_object_set_int_member (pos, "x", 99);
  entry = tandem_presence_lookup (fixture->presence, "alice");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (tandem_presence_entry_get_latest (entry),
                                                                              "pos"), "x"), ==, 1);
}

static void
test_dup_state (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) copy = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) expected = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autofree char *text = NULL;
  JsonObject *meta;

  copy = tandem_presence_dup_state (fixture->presence);
  g_assert_cmpuint (json_object_get_size (copy), ==, 0);
  g_clear_pointer (&copy, json_object_unref);

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'bob':{'metas':[{'phx_ref':'b1','phx_ref_prev':'b0','name':'Bob','pos':{'x':1}},"
                                 "{'phx_ref':'b2','presence_ref':'mine','name':'Bob'}]},"
                                 "'alice':{'metas':[{'name':'Alice','phx_ref':'a1'}]}}"));

  /* Keys in model order; presence_ref last, or in place of a tracked
   * member of that name (as realtime-js assigns it). */
  copy = tandem_presence_dup_state (fixture->presence);
  a = json_node_init_object (json_node_alloc (), copy);
  text = json_to_string (a, FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"bob\":[{\"name\":\"Bob\",\"pos\":{\"x\":1},\"presence_ref\":\"b1\"},"
                   "{\"presence_ref\":\"b2\",\"name\":\"Bob\"}],"
                   "\"alice\":[{\"name\":\"Alice\",\"presence_ref\":\"a1\"}]}");
  expected = parse_object ("{'bob':[{'name':'Bob','pos':{'x':1},'presence_ref':'b1'},"
                           "{'presence_ref':'b2','name':'Bob'}],'alice':[{'name':'Alice','presence_ref':'a1'}]}");
  b = json_node_init_object (json_node_alloc (), expected);
  g_assert_true (json_node_equal (a, b));

  /* It is the caller's to change, and shares nothing with the entries. */
  meta = json_array_get_object_element (json_object_get_array_member (copy, "bob"), 0);
  g_assert_false (json_object_is_immutable (meta));
  json_object_set_int_member (json_object_get_object_member (meta, "pos"), "x", 5);
  json_object_remove_member (copy, "alice");
  again = tandem_presence_dup_state (fixture->presence);
  g_assert_true (json_object_has_member (again, "alice"));
  meta = json_array_get_object_element (json_object_get_array_member (again, "bob"), 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (meta, "pos"), "x"), ==, 1);
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  /* Clearing nothing emits nothing. */
  _tandem_presence_clear (fixture->presence);
  assert_log (fixture, NULL);

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'}]},'bob':{'metas':[{'phx_ref':'b1'},{'phx_ref':'b2'}]}}"));
  g_ptr_array_set_size (fixture->log, 0);

  _tandem_presence_clear (fixture->presence);
  assert_log (fixture,
              "items-changed 0 1 0", "n-items 1", "leave alice cur= left=a1",
              "items-changed 0 1 0", "n-items 0", "leave bob cur= left=b1,b2",
              "sync", NULL);
  assert_model (fixture, "");

  /* The channel is closed: diffs wait for the next join's state. */
  g_assert_true (diff (fixture, "{'joins':{'carol':{'metas':[{'phx_ref':'c1'}]}}}"));
  assert_log (fixture, NULL);
  g_assert_true (state (fixture, "{}"));
  assert_log (fixture, "items-changed 0 0 1", "n-items 1", "join carol cur= new=c1", "sync", NULL);
}

static void
test_list_model (Fixture       *fixture,
                 gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->presence);
  g_autoptr(TandemPresenceEntry) entry = NULL;
  g_autofree char *key = NULL;
  g_autoptr(JsonArray) metas = NULL;
  guint n_metas = 0;
  guint n_items = 99;

  g_assert_true (g_list_model_get_item_type (model) == TANDEM_TYPE_PRESENCE_ENTRY);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (g_list_model_get_item (model, 0));

  _tandem_presence_set_join_ref (fixture->presence, "1");
  g_assert_true (state (fixture, "{'alice':{'metas':[{'phx_ref':'a1'},{'phx_ref':'a2'}]}}"));
  g_assert_null (g_list_model_get_item (model, 1));
  entry = g_list_model_get_item (model, 0);
  g_object_get (entry, "key", &key, "metas", &metas, "n-metas", &n_metas, NULL);
  g_assert_cmpstr (key, ==, "alice");
  g_assert_true (metas == tandem_presence_entry_get_metas (entry));
  g_assert_cmpuint (n_metas, ==, 2);
  g_object_get (fixture->presence, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, 1);
}

static void
unref_on_sync (TandemPresence *presence,
               gpointer        user_data)
{
  TandemPresence **owner = user_data;

  g_clear_object (owner);
}

static void
test_unref_in_handler (void)
{
  TandemPresence *presence = _tandem_presence_new ();
  g_autoptr(JsonObject) object = parse_object ("{'alice':{'metas':[{'phx_ref':'a1'}]}}");

  /* The last reference may go in a handler. */
  g_signal_connect (presence, "sync", G_CALLBACK (unref_on_sync), &presence);
  _tandem_presence_set_join_ref (presence, "1");
  g_assert_true (_tandem_presence_handle_state (presence, object));
  g_assert_null (presence);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/presence/state", test_state);
  ADD ("/presence/diff-before-state", test_diff_before_state);
  ADD ("/presence/no-join-ref", test_no_join_ref);
  ADD ("/presence/rejoin", test_rejoin);
  ADD ("/presence/multiple-metas", test_multiple_metas);
  ADD ("/presence/retrack", test_retrack);
  ADD ("/presence/state-resync", test_state_resync);
  ADD ("/presence/unknown-leaves", test_unknown_leaves);
  ADD ("/presence/malformed", test_malformed);
  ADD ("/presence/frames-not-shared", test_frames_not_shared);
  ADD ("/presence/dup-state", test_dup_state);
  ADD ("/presence/clear", test_clear);
  ADD ("/presence/list-model", test_list_model);
#undef ADD
  g_test_add_func ("/presence/unref-in-handler", test_unref_in_handler);

  return g_test_run ();
}
