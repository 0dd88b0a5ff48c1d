/* test-wal-stream.c: committed changes read from the WAL of a real cluster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tandem-pg-conn.h"
#include "tandem-pg-values.h"
#include "tandem-wal-stream.h"
#include "tandem-test-pg.h"
#include "tandem-test-utils.h"

static TandemTestPg *pg;

/* Whether this PostgreSQL build has the setting @name. */
static gboolean
server_knows_setting (const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_settings WHERE name = '%s'", name);
  PGresult *result = tandem_test_pg_query (pg, sql);
  gboolean known = g_strcmp0 (PQgetvalue (result, 0, 0), "1") == 0;

  PQclear (result);
  return known;
}

/* Collecting what a stream emits */

typedef struct
{
  TandemWalStream *stream;
  GPtrArray       *txns;      /* TandemWalTransaction * */
  GPtrArray       *errors;    /* GError * */
  guint            connected_notifies;
  gboolean         auto_confirm;
  gboolean         start_done;
  GError          *start_error;
} Collector;

static void
on_transaction (TandemWalStream      *stream,
                TandemWalTransaction *txn,
                Collector            *c)
{
  g_ptr_array_add (c->txns, tandem_wal_transaction_ref (txn));
  if (c->auto_confirm)
    tandem_wal_stream_confirm (stream, txn->end_lsn);
}

static void
on_error (TandemWalStream *stream,
          const GError    *error,
          Collector       *c)
{
  g_test_message ("stream error: %s", error->message);
  g_ptr_array_add (c->errors, g_error_copy (error));
}

static void
on_connected_notify (TandemWalStream *stream,
                     GParamSpec      *pspec,
                     Collector       *c)
{
  c->connected_notifies++;
}

static void
on_started (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Collector *c = user_data;

  tandem_wal_stream_start_finish (TANDEM_WAL_STREAM (source), res, &c->start_error);
  c->start_done = TRUE;
}

static void
collector_init (Collector  *c,
                const char *conninfo,
                const char *slot)
{
  memset (c, 0, sizeof *c);
  c->stream = tandem_wal_stream_new (conninfo, slot);
  c->txns = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_wal_transaction_unref);
  c->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  c->auto_confirm = TRUE;
  g_signal_connect (c->stream, "transaction", G_CALLBACK (on_transaction), c);
  g_signal_connect (c->stream, "error", G_CALLBACK (on_error), c);
  g_signal_connect (c->stream, "notify::connected", G_CALLBACK (on_connected_notify), c);
}

static void
collector_start_async (Collector *c)
{
  c->start_done = FALSE;
  g_clear_error (&c->start_error);
  tandem_wal_stream_start_async (c->stream, NULL, on_started, c);
  TANDEM_WAIT_UNTIL (c->start_done);
}

static void
collector_start (Collector  *c,
                 const char *conninfo,
                 const char *slot)
{
  collector_init (c, conninfo, slot);
  collector_start_async (c);
  g_assert_no_error (c->start_error);
  g_assert_true (tandem_wal_stream_get_connected (c->stream));
}

/* Stops the stream and releases everything; the slot stays. */
static void
collector_stop (Collector *c)
{
  tandem_wal_stream_stop (c->stream);
  g_assert_false (tandem_wal_stream_get_connected (c->stream));
  g_assert_finalize_object (c->stream);
  g_ptr_array_unref (c->txns);
  g_ptr_array_unref (c->errors);
  g_clear_error (&c->start_error);
}

static void
drop_slot (const char *slot)
{
  g_autoptr(TandemWalStream) stream = tandem_wal_stream_new (tandem_test_pg_get_conninfo (pg), slot);
  g_autoptr(GError) error = NULL;

  g_assert_true (tandem_wal_stream_drop_slot_sync (stream, &error));
  g_assert_no_error (error);
}

static TandemWalTransaction *
txn_at (Collector *c,
        guint      i)
{
  g_assert_cmpuint (i, <, c->txns->len);
  return g_ptr_array_index (c->txns, i);
}

static TandemWalChange *
change_at (TandemWalTransaction *txn,
           guint                 i)
{
  g_assert_cmpuint (i, <, txn->changes->len);
  return g_ptr_array_index (txn->changes, i);
}

static char *
object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return g_strdup ("NULL");
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static char *
array_to_json (JsonArray *array)
{
  g_autoptr(JsonNode) node = NULL;

  if (array == NULL)
    return g_strdup ("NULL");
  node = json_node_init_array (json_node_alloc (), array);
  return json_to_string (node, FALSE);
}

#define assert_object(object, expected) \
  G_STMT_START { \
    g_autofree char *_json = object_to_json (object); \
    g_assert_cmpstr (_json, ==, (expected)); \
  } G_STMT_END

#define assert_array(array, expected) \
  G_STMT_START { \
    g_autofree char *_json = array_to_json (array); \
    g_assert_cmpstr (_json, ==, (expected)); \
  } G_STMT_END

/* The "id" of a change's record (or old_record). */
static gint64
change_id (TandemWalChange *change)
{
  JsonObject *row = change->record != NULL ? change->record : change->old_record;

  g_assert_nonnull (row);
  return json_object_get_int_member (row, "id");
}

static guint64
slot_confirmed_flush (PGconn     *conn,
                      const char *slot)
{
  const char *params[] = { slot };
  g_autoptr(PGresult) result = PQexecParams (conn,
                                             "SELECT confirmed_flush_lsn, active_pid FROM pg_replication_slots WHERE slot_name = $1",
                                             1, NULL, params, NULL, NULL, 0);
  guint hi = 0, lo = 0;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  if (PQntuples (result) != 1 || PQgetisnull (result, 0, 0))
    return 0;
  g_assert_cmpint (sscanf (PQgetvalue (result, 0, 0), "%X/%X", &hi, &lo), ==, 2);
  return ((guint64) hi << 32) | lo;
}

/* Bounded wait for PostgreSQL to have recorded @lsn as the slot's confirmed
 * position (checked every few milliseconds, main loop running). */
static void
wait_slot_confirmed (const char *slot,
                     guint64     lsn)
{
  PGconn *conn = PQconnectdb (tandem_test_pg_get_conninfo (pg));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  while (slot_confirmed_flush (conn, slot) < lsn)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("slot %s never confirmed %X/%X", slot, (guint) (lsn >> 32), (guint) lsn);
      tandem_test_run_for (2);
    }
  PQfinish (conn);
}

static void
terminate_walsender (const char *slot)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                                          "WHERE slot_name = '%s' AND active_pid IS NOT NULL", slot);
  g_autoptr(PGresult) result = tandem_test_pg_query (pg, sql);

  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "t");
}

/* Tests */

static void
test_shapes (void)
{
  Collector c;
  TandemWalTransaction *txn;
  TandemWalChange *change;
  GRegex *regex;
  gint64 now = g_get_real_time ();

  tandem_test_pg_exec (pg,
                       "CREATE TABLE shapes (id serial PRIMARY KEY, title text NOT NULL, body jsonb, "
                       "ts timestamptz, tags text[], n numeric, big int8, f float8, b bool, d date, "
                       "tnz timestamp, u uuid, by bytea, grid int[], j json, nul text, sm int2)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "shapes_slot");
  g_assert_cmpuint (c.connected_notifies, ==, 1);

  tandem_test_pg_exec (pg,
                       "INSERT INTO shapes (title, body, ts, tags, n, big, f, b, d, tnz, u, by, grid, j, sm) VALUES "
                       "('first', '{\"s\": \"x\", \"a\": [1, 2]}', '2026-01-01 00:00:00.123456+00', "
                       "'{\"a b\",NULL,\"c\\\"d\"}', 1.5, 9007199254740993, 2.25, true, '2026-01-02', "
                       "'2026-01-01 01:02:03.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\xdeadbeef', "
                       "'{{1,2},{3,4}}', '[1, \"x\"]', -3)");
  tandem_test_pg_exec (pg, "UPDATE shapes SET title = 'second', b = false WHERE id = 1");
  tandem_test_pg_exec (pg, "DELETE FROM shapes WHERE id = 1");
  tandem_test_pg_exec (pg, "TRUNCATE shapes");
  TANDEM_WAIT_UNTIL (c.txns->len == 4);

  /* INSERT */
  txn = txn_at (&c, 0);
  g_assert_cmpuint (txn->changes->len, ==, 1);
  g_assert_cmpuint (txn->xid, >, 0);
  g_assert_cmpuint (txn->end_lsn, >, 0);
  regex = g_regex_new ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, txn->commit_timestamp, 0, NULL));
  g_regex_unref (regex);
  g_assert_cmpint (ABS (txn->commit_time_usec - now), <, 60 * G_USEC_PER_SEC);
  {
    g_autofree char *formatted = tandem_pg_format_commit_timestamp (txn->commit_time_usec);

    g_assert_cmpstr (formatted, ==, txn->commit_timestamp);
  }

  change = change_at (txn, 0);
  g_assert_cmpstr (change->schema, ==, "public");
  g_assert_cmpstr (change->table, ==, "shapes");
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_INSERT);
  g_assert_cmpstr (tandem_change_type_to_string (change->type), ==, "INSERT");
  assert_object (change->record,
                 "{\"id\":1,\"title\":\"first\",\"body\":{\"a\":[1,2],\"s\":\"x\"},"
                 "\"ts\":\"2026-01-01T00:00:00.123456+00:00\",\"tags\":[\"a b\",null,\"c\\\"d\"],"
                 "\"n\":1.5,\"big\":9007199254740993,\"f\":2.25,\"b\":true,\"d\":\"2026-01-02\","
                 "\"tnz\":\"2026-01-01T01:02:03.5\",\"u\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\","
                 "\"by\":\"\\\\xdeadbeef\",\"grid\":[[1,2],[3,4]],\"j\":[1,\"x\"],\"nul\":null,\"sm\":-3}");
  g_assert_null (change->old_record);
  assert_array (change->columns,
                "[{\"name\":\"id\",\"type\":\"int4\"},{\"name\":\"title\",\"type\":\"text\"},"
                "{\"name\":\"body\",\"type\":\"jsonb\"},{\"name\":\"ts\",\"type\":\"timestamptz\"},"
                "{\"name\":\"tags\",\"type\":\"_text\"},{\"name\":\"n\",\"type\":\"numeric\"},"
                "{\"name\":\"big\",\"type\":\"int8\"},{\"name\":\"f\",\"type\":\"float8\"},"
                "{\"name\":\"b\",\"type\":\"bool\"},{\"name\":\"d\",\"type\":\"date\"},"
                "{\"name\":\"tnz\",\"type\":\"timestamp\"},{\"name\":\"u\",\"type\":\"uuid\"},"
                "{\"name\":\"by\",\"type\":\"bytea\"},{\"name\":\"grid\",\"type\":\"_int4\"},"
                "{\"name\":\"j\",\"type\":\"json\"},{\"name\":\"nul\",\"type\":\"text\"},"
                "{\"name\":\"sm\",\"type\":\"int2\"}]");
  g_assert_cmpuint (g_hash_table_size (change->column_types), ==, 17);
  g_assert_cmpstr (g_hash_table_lookup (change->column_types, "tags"), ==, "_text");
  g_assert_cmpstr (g_hash_table_lookup (change->column_types, "ts"), ==, "timestamptz");
  g_assert_cmpuint (g_strv_length (change->primary_key), ==, 1);
  g_assert_cmpstr (change->primary_key[0], ==, "id");

  /* UPDATE: the default replica identity is the primary key. */
  g_assert_cmpuint (txn_at (&c, 1)->end_lsn, >, txn->end_lsn);
  change = change_at (txn_at (&c, 1), 0);
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_UPDATE);
  g_assert_cmpstr (json_object_get_string_member (change->record, "title"), ==, "second");
  g_assert_false (json_object_get_boolean_member (change->record, "b"));
  g_assert_cmpuint (json_object_get_size (change->record), ==, 17);
  assert_object (change->old_record, "{\"id\":1}");
  g_assert_cmpuint (json_array_get_length (change->columns), ==, 17);
  g_assert_cmpstr (change->primary_key[0], ==, "id");

  /* DELETE */
  change = change_at (txn_at (&c, 2), 0);
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_DELETE);
  g_assert_null (change->record);
  assert_object (change->old_record, "{\"id\":1}");
  assert_array (change->columns, "[{\"name\":\"id\",\"type\":\"int4\"}]");
  g_assert_cmpstr (change->primary_key[0], ==, "id");

  /* TRUNCATE */
  change = change_at (txn_at (&c, 3), 0);
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_TRUNCATE);
  g_assert_cmpstr (tandem_change_type_to_string (change->type), ==, "TRUNCATE");
  g_assert_cmpstr (change->table, ==, "shapes");
  g_assert_null (change->record);
  g_assert_null (change->old_record);
  g_assert_cmpuint (json_array_get_length (change->columns), ==, 0);
  g_assert_nonnull (change->primary_key);

  g_assert_cmpuint (c.errors->len, ==, 0);
  collector_stop (&c);
  drop_slot ("shapes_slot");
}

static void
test_values (void)
{
  Collector c;
  TandemWalChange *change;
  JsonObject *record;

  tandem_test_pg_exec (pg,
                       "CREATE TABLE vals (id int PRIMARY KEY, nan numeric, inf float8, bigger numeric, "
                       "nums numeric[], flags bool[], docs jsonb[], stamps timestamptz[], bounded int[], "
                       "empty text[], quoted text[], blobs bytea[], o oid, tz timestamptz, iv interval, "
                       "money money, r real)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "values_slot");

  tandem_test_pg_exec (pg,
                       "SET TimeZone = 'Asia/Kolkata'; "
                       "INSERT INTO vals VALUES (1, 'NaN', 'Infinity', 99999999999999999999, "
                       "'{1.5,NaN}', '{t,f,NULL}', ARRAY['{\"a\": 1}'::jsonb, '\"x\"'], "
                       "ARRAY['2026-01-01 00:00:00+00'::timestamptz, 'infinity'], '[0:1]={5,6}', '{}', "
                       "'{\"\",NULL,\"NULL\",\"a,b\",\"  sp  \"}', ARRAY['\\xdead'::bytea, NULL], 42, "
                       "'2026-06-01 12:00:00.5+02', '1 day 02:00:00', 12.5, 0.5)");
  TANDEM_WAIT_UNTIL (c.txns->len == 1);

  change = change_at (txn_at (&c, 0), 0);
  record = change->record;
  /* wal2json 2.5 writes NaN/Infinity as null (see tandem-pg-values.h). */
  g_assert_true (json_object_get_null_member (record, "nan"));
  g_assert_true (json_object_get_null_member (record, "inf"));
  g_assert_cmpfloat (json_object_get_double_member (record, "bigger"), ==, 1e20);
  {
    g_autoptr(JsonObject) rest = json_object_new ();
    const char *names[] = { "nums", "flags", "docs", "stamps", "bounded", "empty", "quoted", "blobs",
                            "o", "tz", "iv", "money", "r" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      json_object_set_member (rest, names[i], json_object_dup_member (record, names[i]));
    /* Timestamps come in UTC whatever the writer's or server's TimeZone. */
    assert_object (rest,
                   "{\"nums\":[1.5,\"NaN\"],\"flags\":[true,false,null],\"docs\":[{\"a\":1},\"x\"],"
                   "\"stamps\":[\"2026-01-01T00:00:00+00:00\",\"infinity\"],\"bounded\":[5,6],"
                   "\"empty\":[],\"quoted\":[\"\",null,\"NULL\",\"a,b\",\"  sp  \"],"
                   "\"blobs\":[\"\\\\xdead\",null],\"o\":42,\"tz\":\"2026-06-01T10:00:00.5+00:00\","
                   "\"iv\":\"1 day 02:00:00\",\"money\":\"$12.50\",\"r\":0.5}");
  }

  collector_stop (&c);
  drop_slot ("values_slot");
}

static void
test_replica_identity_full (void)
{
  Collector c;
  TandemWalChange *change;

  tandem_test_pg_exec (pg,
                       "CREATE TABLE full_t (id int PRIMARY KEY, name text, score int, tags text[]);"
                       "ALTER TABLE full_t REPLICA IDENTITY FULL;"
                       "INSERT INTO full_t VALUES (1, 'a', 10, '{x}')");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "full_slot");

  tandem_test_pg_exec (pg, "UPDATE full_t SET score = 11, name = 'b' WHERE id = 1");
  tandem_test_pg_exec (pg, "DELETE FROM full_t WHERE id = 1");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);

  change = change_at (txn_at (&c, 0), 0);
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_UPDATE);
  assert_object (change->record, "{\"id\":1,\"name\":\"b\",\"score\":11,\"tags\":[\"x\"]}");
  assert_object (change->old_record, "{\"id\":1,\"name\":\"a\",\"score\":10,\"tags\":[\"x\"]}");
  assert_array (change->columns,
                "[{\"name\":\"id\",\"type\":\"int4\"},{\"name\":\"name\",\"type\":\"text\"},"
                "{\"name\":\"score\",\"type\":\"int4\"},{\"name\":\"tags\",\"type\":\"_text\"}]");

  change = change_at (txn_at (&c, 1), 0);
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_DELETE);
  g_assert_null (change->record);
  assert_object (change->old_record, "{\"id\":1,\"name\":\"b\",\"score\":11,\"tags\":[\"x\"]}");
  assert_array (change->columns,
                "[{\"name\":\"id\",\"type\":\"int4\"},{\"name\":\"name\",\"type\":\"text\"},"
                "{\"name\":\"score\",\"type\":\"int4\"},{\"name\":\"tags\",\"type\":\"_text\"}]");
  g_assert_cmpstr (change->primary_key[0], ==, "id");

  collector_stop (&c);
  drop_slot ("full_slot");
}

static void
test_unchanged_toast (void)
{
  Collector c;
  TandemWalChange *change;
  g_autofree char *big = NULL;

  /* A value stored out of line (TOAST) that an UPDATE does not touch is
   * not in wal2json's new row; with REPLICA IDENTITY FULL it comes from the
   * old one. */
  tandem_test_pg_exec (pg,
                       "CREATE TABLE toast_t (id int PRIMARY KEY, doc text, n int);"
                       "ALTER TABLE toast_t ALTER COLUMN doc SET STORAGE EXTERNAL;"
                       "ALTER TABLE toast_t REPLICA IDENTITY FULL;"
                       "INSERT INTO toast_t VALUES (1, repeat('x', 100000), 1)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "toast_slot");

  tandem_test_pg_exec (pg, "UPDATE toast_t SET n = 2");
  TANDEM_WAIT_UNTIL (c.txns->len == 1);

  change = change_at (txn_at (&c, 0), 0);
  big = g_strnfill (100000, 'x');
  g_assert_cmpstr (json_object_get_string_member (change->record, "doc"), ==, big);
  g_assert_cmpint (json_object_get_int_member (change->record, "n"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (change->old_record, "n"), ==, 1);
  assert_array (change->columns,
                "[{\"name\":\"id\",\"type\":\"int4\"},{\"name\":\"doc\",\"type\":\"text\"},"
                "{\"name\":\"n\",\"type\":\"int4\"}]");

  collector_stop (&c);
  drop_slot ("toast_slot");
}

static void
test_no_primary_key (void)
{
  Collector c;
  TandemWalChange *change;

  tandem_test_pg_exec (pg, "CREATE TABLE nopk (a int, b text)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "nopk_slot");

  tandem_test_pg_exec (pg, "INSERT INTO nopk VALUES (1, 'x')");
  /* No replica identity: PostgreSQL logs nothing to identify the row, so
   * wal2json sends nothing for these. */
  tandem_test_pg_exec (pg, "UPDATE nopk SET b = 'y'");
  tandem_test_pg_exec (pg, "ALTER TABLE nopk REPLICA IDENTITY FULL");
  tandem_test_pg_exec (pg, "UPDATE nopk SET b = 'z'");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);

  change = change_at (txn_at (&c, 0), 0);
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_INSERT);
  assert_object (change->record, "{\"a\":1,\"b\":\"x\"}");
  g_assert_nonnull (change->primary_key);
  g_assert_cmpuint (g_strv_length (change->primary_key), ==, 0);

  change = change_at (txn_at (&c, 1), 0);
  g_assert_cmpint (change->type, ==, TANDEM_CHANGE_UPDATE);
  assert_object (change->record, "{\"a\":1,\"b\":\"z\"}");
  assert_object (change->old_record, "{\"a\":1,\"b\":\"y\"}");
  g_assert_cmpuint (g_strv_length (change->primary_key), ==, 0);

  collector_stop (&c);
  drop_slot ("nopk_slot");
}

static void
test_multi_row_transaction (void)
{
  Collector c;
  TandemWalTransaction *txn;

  tandem_test_pg_exec (pg, "CREATE TABLE multi (id int PRIMARY KEY, v text); CREATE TABLE other (k text PRIMARY KEY)");
  /* The URL form of a connection string works too. */
  collector_start (&c, tandem_test_pg_get_url (pg), "multi_slot");

  tandem_test_pg_exec (pg,
                       "BEGIN;"
                       "INSERT INTO multi VALUES (1, 'a'), (2, 'b');"
                       "INSERT INTO other VALUES ('k1');"
                       "INSERT INTO multi VALUES (3, 'c');"
                       "UPDATE multi SET v = 'bb' WHERE id = 2;"
                       "DELETE FROM multi WHERE id = 1;"
                       "COMMIT;");
  /* An empty transaction and a rolled back one are not emitted. */
  tandem_test_pg_exec (pg, "BEGIN; COMMIT;");
  tandem_test_pg_exec (pg, "BEGIN; INSERT INTO multi VALUES (9, 'gone'); ROLLBACK;");
  tandem_test_pg_exec (pg, "INSERT INTO multi VALUES (4, 'd')");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);

  txn = txn_at (&c, 0);
  g_assert_cmpuint (txn->changes->len, ==, 6);
  g_assert_cmpint (change_at (txn, 0)->type, ==, TANDEM_CHANGE_INSERT);
  g_assert_cmpint (change_id (change_at (txn, 0)), ==, 1);
  g_assert_cmpint (change_id (change_at (txn, 1)), ==, 2);
  g_assert_cmpstr (change_at (txn, 2)->table, ==, "other");
  g_assert_cmpstr (json_object_get_string_member (change_at (txn, 2)->record, "k"), ==, "k1");
  g_assert_cmpint (change_id (change_at (txn, 3)), ==, 3);
  g_assert_cmpint (change_at (txn, 4)->type, ==, TANDEM_CHANGE_UPDATE);
  g_assert_cmpint (change_id (change_at (txn, 4)), ==, 2);
  g_assert_cmpint (change_at (txn, 5)->type, ==, TANDEM_CHANGE_DELETE);
  g_assert_cmpint (change_id (change_at (txn, 5)), ==, 1);

  /* One commit timestamp and xid for all of them. */
  g_assert_cmpint (change_id (change_at (txn_at (&c, 1), 0)), ==, 4);
  g_assert_cmpuint (txn_at (&c, 1)->xid, >, txn->xid);

  collector_stop (&c);
  drop_slot ("multi_slot");
}

static void
test_commit_order (void)
{
  Collector c;
  PGconn *a, *b;
  PGresult *r;

  tandem_test_pg_exec (pg, "CREATE TABLE ordered (id int PRIMARY KEY, who text)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "order_slot");

  a = PQconnectdb (tandem_test_pg_get_conninfo (pg));
  b = PQconnectdb (tandem_test_pg_get_conninfo (pg));
  g_assert_cmpint (PQstatus (a), ==, CONNECTION_OK);
  g_assert_cmpint (PQstatus (b), ==, CONNECTION_OK);

  /* A starts and writes first but commits last. */
  r = PQexec (a, "BEGIN; INSERT INTO ordered VALUES (1, 'a'); INSERT INTO ordered VALUES (2, 'a');");
  g_assert_cmpint (PQresultStatus (r), ==, PGRES_COMMAND_OK);
  PQclear (r);
  r = PQexec (b, "BEGIN; INSERT INTO ordered VALUES (3, 'b'); COMMIT;");
  g_assert_cmpint (PQresultStatus (r), ==, PGRES_COMMAND_OK);
  PQclear (r);
  r = PQexec (a, "INSERT INTO ordered VALUES (4, 'a'); COMMIT;");
  g_assert_cmpint (PQresultStatus (r), ==, PGRES_COMMAND_OK);
  PQclear (r);
  PQfinish (a);
  PQfinish (b);

  TANDEM_WAIT_UNTIL (c.txns->len == 2);
  g_assert_cmpuint (txn_at (&c, 0)->changes->len, ==, 1);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 0), 0)), ==, 3);
  g_assert_cmpuint (txn_at (&c, 1)->changes->len, ==, 3);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 1), 0)), ==, 1);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 1), 2)), ==, 4);
  g_assert_cmpuint (txn_at (&c, 0)->end_lsn, <, txn_at (&c, 1)->end_lsn);
  g_assert_cmpint (txn_at (&c, 0)->commit_time_usec, <=, txn_at (&c, 1)->commit_time_usec);

  collector_stop (&c);
  drop_slot ("order_slot");
}

static void
test_confirm_and_restart (void)
{
  Collector c;
  guint64 first_end, second_end;
  PGconn *conn;

  tandem_test_pg_exec (pg, "CREATE TABLE restart_t (id int PRIMARY KEY)");

  /* First run: two transactions delivered, only the first confirmed. */
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "restart_slot");
  c.auto_confirm = FALSE;
  collector_start_async (&c);
  g_assert_no_error (c.start_error);

  tandem_test_pg_exec (pg, "INSERT INTO restart_t VALUES (1)");
  tandem_test_pg_exec (pg, "INSERT INTO restart_t VALUES (2)");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);
  first_end = txn_at (&c, 0)->end_lsn;
  second_end = txn_at (&c, 1)->end_lsn;
  g_assert_cmpuint (first_end, <, second_end);

  tandem_wal_stream_confirm (c.stream, first_end);
  /* (Between: an unrelated catalog-only transaction right after the first
   * one would be confirmed with it.) */
  g_assert_cmpuint (tandem_wal_stream_get_confirmed_lsn (c.stream), >=, first_end);
  g_assert_cmpuint (tandem_wal_stream_get_confirmed_lsn (c.stream), <, second_end);
  /* Stopping right away still reports the confirmed position. */
  collector_stop (&c);

  conn = PQconnectdb (tandem_test_pg_get_conninfo (pg));
  g_assert_cmpuint (slot_confirmed_flush (conn, "restart_slot"), >=, first_end);
  g_assert_cmpuint (slot_confirmed_flush (conn, "restart_slot"), <, second_end);

  /* Second run on the same slot: the unconfirmed one comes again, the
   * confirmed one does not. */
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "restart_slot");
  c.auto_confirm = FALSE;
  collector_start_async (&c);
  g_assert_no_error (c.start_error);
  tandem_test_pg_exec (pg, "INSERT INTO restart_t VALUES (3)");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 0), 0)), ==, 2);
  g_assert_cmpuint (txn_at (&c, 0)->end_lsn, ==, second_end);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 1), 0)), ==, 3);

  /* Confirm both; the confirm reaches PostgreSQL promptly, without a
   * stop. */
  tandem_wal_stream_confirm (c.stream, txn_at (&c, 0)->end_lsn);
  tandem_wal_stream_confirm (c.stream, txn_at (&c, 1)->end_lsn);
  wait_slot_confirmed ("restart_slot", txn_at (&c, 1)->end_lsn);
  /* Confirming an older position changes nothing. */
  tandem_wal_stream_confirm (c.stream, first_end);
  g_assert_cmpuint (tandem_wal_stream_get_confirmed_lsn (c.stream), >=, txn_at (&c, 1)->end_lsn);
  collector_stop (&c);

  /* Third run: nothing old comes back; the first thing is new. */
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "restart_slot");
  collector_start_async (&c);
  g_assert_no_error (c.start_error);
  tandem_test_pg_exec (pg, "INSERT INTO restart_t VALUES (4)");
  TANDEM_WAIT_UNTIL (c.txns->len >= 1);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 0), 0)), ==, 4);
  g_assert_cmpuint (c.txns->len, ==, 1);
  collector_stop (&c);

  PQfinish (conn);
  drop_slot ("restart_slot");
}

static void
test_reconnect (void)
{
  Collector c;
  guint64 a_end;

  tandem_test_pg_exec (pg, "CREATE TABLE reconnect_t (id int PRIMARY KEY)");
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "reconnect_slot");
  c.auto_confirm = FALSE;
  collector_start_async (&c);
  g_assert_no_error (c.start_error);

  tandem_test_pg_exec (pg, "INSERT INTO reconnect_t VALUES (1)");
  TANDEM_WAIT_UNTIL (c.txns->len == 1);
  a_end = txn_at (&c, 0)->end_lsn;
  tandem_wal_stream_confirm (c.stream, a_end);
  wait_slot_confirmed ("reconnect_slot", a_end);

  tandem_test_pg_exec (pg, "INSERT INTO reconnect_t VALUES (2)");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);

  /* Kill the walsender: the stream says so and comes back by itself. */
  g_assert_cmpuint (c.connected_notifies, ==, 1);
  terminate_walsender ("reconnect_slot");
  TANDEM_WAIT_UNTIL (c.connected_notifies == 2);
  g_assert_false (tandem_wal_stream_get_connected (c.stream));
  g_assert_cmpuint (c.errors->len, >=, 1);
  g_assert_error ((GError *) g_ptr_array_index (c.errors, 0), TANDEM_WAL_STREAM_ERROR,
                  TANDEM_WAL_STREAM_ERROR_CONNECTION);
  TANDEM_WAIT_UNTIL (c.connected_notifies == 3);
  g_assert_true (tandem_wal_stream_get_connected (c.stream));

  /* The unconfirmed transaction comes again, then the new one. */
  tandem_test_pg_exec (pg, "INSERT INTO reconnect_t VALUES (3)");
  TANDEM_WAIT_UNTIL (c.txns->len == 4);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 2), 0)), ==, 2);
  g_assert_cmpuint (txn_at (&c, 2)->end_lsn, ==, txn_at (&c, 1)->end_lsn);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 3), 0)), ==, 3);

  /* While it is down, changes wait in the slot. */
  tandem_wal_stream_confirm (c.stream, txn_at (&c, 3)->end_lsn);
  terminate_walsender ("reconnect_slot");
  TANDEM_WAIT_UNTIL (c.connected_notifies == 4);
  tandem_test_pg_exec (pg, "INSERT INTO reconnect_t VALUES (4)");
  TANDEM_WAIT_UNTIL (c.txns->len == 5);
  g_assert_cmpint (change_id (change_at (txn_at (&c, 4), 0)), ==, 4);
  g_assert_true (tandem_wal_stream_get_connected (c.stream));

  collector_stop (&c);
  drop_slot ("reconnect_slot");
}

static void
test_skip_schemas (void)
{
  Collector c;
  guint64 before;

  tandem_test_pg_exec (pg,
                       "CREATE SCHEMA IF NOT EXISTS tandem; CREATE TABLE tandem.bookkeeping (k text PRIMARY KEY, v int);"
                       "CREATE SCHEMA IF NOT EXISTS app; CREATE TABLE app.items (id int PRIMARY KEY)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "skip_slot");

  tandem_test_pg_exec (pg, "INSERT INTO app.items VALUES (1)");
  TANDEM_WAIT_UNTIL (c.txns->len == 1);
  before = tandem_wal_stream_get_confirmed_lsn (c.stream);
  /* (>=: an unrelated catalog-only transaction may follow, e.g. autovacuum's) */
  g_assert_cmpuint (before, >=, txn_at (&c, 0)->end_lsn);

  /* Only bookkeeping: not emitted, but its position is confirmed since
   * everything before it was. */
  tandem_test_pg_exec (pg, "INSERT INTO tandem.bookkeeping VALUES ('a', 1)");
  tandem_test_pg_exec (pg, "BEGIN; INSERT INTO tandem.bookkeeping VALUES ('b', 2); "
                           "INSERT INTO app.items VALUES (2); COMMIT;");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);
  g_assert_cmpuint (txn_at (&c, 1)->changes->len, ==, 1);
  g_assert_cmpstr (change_at (txn_at (&c, 1), 0)->schema, ==, "app");

  /* Another list. */
  {
    const char * const schemas[] = { "app", NULL };
    g_auto(GStrv) now = NULL;

    tandem_wal_stream_set_skip_schemas (c.stream, schemas);
    g_object_get (c.stream, "skip-schemas", &now, NULL);
    g_assert_cmpstrv (now, schemas);
  }
  tandem_test_pg_exec (pg, "INSERT INTO app.items VALUES (3)");
  tandem_test_pg_exec (pg, "INSERT INTO tandem.bookkeeping VALUES ('c', 3)");
  TANDEM_WAIT_UNTIL (c.txns->len == 3);
  g_assert_cmpstr (change_at (txn_at (&c, 2), 0)->schema, ==, "tandem");

  collector_stop (&c);
  drop_slot ("skip_slot");
}

static void
test_skipped_confirm_waits (void)
{
  Collector c;
  guint64 delivered_end;

  /* A transaction with nothing to deliver that follows an unconfirmed one
   * is confirmed only after that one. */
  tandem_test_pg_exec (pg, "CREATE SCHEMA IF NOT EXISTS tandem; CREATE SCHEMA IF NOT EXISTS app; "
                           "CREATE TABLE tandem.skipwait (k int PRIMARY KEY); CREATE TABLE app.delivered (k int PRIMARY KEY)");
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "skipwait_slot");
  c.auto_confirm = FALSE;
  collector_start_async (&c);
  g_assert_no_error (c.start_error);

  tandem_test_pg_exec (pg, "INSERT INTO app.delivered VALUES (1)");
  tandem_test_pg_exec (pg, "INSERT INTO tandem.skipwait VALUES (1)");
  tandem_test_pg_exec (pg, "INSERT INTO app.delivered VALUES (2)");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);
  delivered_end = txn_at (&c, 0)->end_lsn;
  g_assert_cmpuint (tandem_wal_stream_get_confirmed_lsn (c.stream), <, delivered_end);

  tandem_wal_stream_confirm (c.stream, delivered_end);
  /* Moved past the skipped transaction, short of the second delivered one. */
  g_assert_cmpuint (tandem_wal_stream_get_confirmed_lsn (c.stream), >, delivered_end);
  g_assert_cmpuint (tandem_wal_stream_get_confirmed_lsn (c.stream), <, txn_at (&c, 1)->end_lsn);
  collector_stop (&c);

  /* The second delivered transaction was not confirmed: it comes again. */
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "skipwait_slot");
  collector_start_async (&c);
  g_assert_no_error (c.start_error);
  TANDEM_WAIT_UNTIL (c.txns->len == 1);
  g_assert_cmpint (json_object_get_int_member (change_at (txn_at (&c, 0), 0)->record, "k"), ==, 2);
  collector_stop (&c);
  drop_slot ("skipwait_slot");
}

static void
test_new_types (void)
{
  Collector c;
  TandemWalChange *change;

  collector_start (&c, tandem_test_pg_get_conninfo (pg), "types_slot");

  /* Types created after the stream loaded pg_type: looked up on the fly,
   * while later transactions wait their turn. */
  tandem_test_pg_exec (pg,
                       "CREATE TYPE mood AS ENUM ('happy', 'sad');"
                       "CREATE DOMAIN posint AS int CHECK (VALUE > 0);"
                       "CREATE DOMAIN flag AS bool;"
                       "CREATE TABLE typed (id int PRIMARY KEY, m mood, p posint, ps posint[], f flag, ms mood[])");
  tandem_test_pg_exec (pg, "INSERT INTO typed VALUES (1, 'happy', 5, '{1,2}', true, '{sad,happy}')");
  tandem_test_pg_exec (pg, "INSERT INTO typed VALUES (2, 'sad', 6, NULL, false, NULL)");
  TANDEM_WAIT_UNTIL (c.txns->len == 2);

  change = change_at (txn_at (&c, 0), 0);
  assert_object (change->record,
                 "{\"id\":1,\"m\":\"happy\",\"p\":5,\"ps\":[1,2],\"f\":true,\"ms\":[\"sad\",\"happy\"]}");
  assert_array (change->columns,
                "[{\"name\":\"id\",\"type\":\"int4\"},{\"name\":\"m\",\"type\":\"mood\"},"
                "{\"name\":\"p\",\"type\":\"posint\"},{\"name\":\"ps\",\"type\":\"_posint\"},"
                "{\"name\":\"f\",\"type\":\"flag\"},{\"name\":\"ms\",\"type\":\"_mood\"}]");
  change = change_at (txn_at (&c, 1), 0);
  g_assert_cmpint (change_id (change), ==, 2);
  g_assert_cmpint (json_object_get_int_member (change->record, "p"), ==, 6);

  g_assert_cmpuint (c.errors->len, ==, 0);
  collector_stop (&c);
  drop_slot ("types_slot");
}

static void
test_keepalive (void)
{
  Collector c;
  g_autofree char *conninfo = g_strdup_printf ("%s options='-c wal_sender_timeout=600ms'",
                                               tandem_test_pg_get_conninfo (pg));

  /* With a short wal_sender_timeout the walsender asks for replies and
   * hangs up on clients that stay silent; an idle stream must survive. */
  tandem_test_pg_exec (pg, "CREATE TABLE keepalive_t (id int PRIMARY KEY)");
  collector_start (&c, conninfo, "keepalive_slot");
  tandem_test_run_for (2000);
  g_assert_cmpuint (c.errors->len, ==, 0);
  g_assert_true (tandem_wal_stream_get_connected (c.stream));
  g_assert_cmpuint (c.connected_notifies, ==, 1);

  tandem_test_pg_exec (pg, "INSERT INTO keepalive_t VALUES (1)");
  TANDEM_WAIT_UNTIL (c.txns->len == 1);

  collector_stop (&c);
  drop_slot ("keepalive_slot");
}

static void
test_slot_handling (void)
{
  Collector c;
  g_autoptr(PGresult) result = NULL;

  /* Created when missing, kept after stop, dropped on request. */
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "kept_slot");
  collector_stop (&c);
  result = tandem_test_pg_query (pg, "SELECT plugin, slot_type, temporary FROM pg_replication_slots WHERE slot_name = 'kept_slot'");
  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "wal2json");
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, "logical");
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, "f");
  g_clear_pointer (&result, PQclear);

  drop_slot ("kept_slot");
  result = tandem_test_pg_query (pg, "SELECT 1 FROM pg_replication_slots WHERE slot_name = 'kept_slot'");
  g_assert_cmpint (PQntuples (result), ==, 0);
  g_clear_pointer (&result, PQclear);
  /* Dropping a missing slot is fine. */
  drop_slot ("kept_slot");

  /* A slot of the same name with another plugin is refused clearly. */
  g_clear_pointer (&result, PQclear);
  result = tandem_test_pg_query (pg, "SELECT pg_create_logical_replication_slot('foreign_slot', 'test_decoding')");
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "foreign_slot");
  collector_start_async (&c);
  g_assert_error (c.start_error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (c.start_error->message, "test_decoding"));
  g_assert_false (tandem_wal_stream_get_connected (c.stream));
  collector_stop (&c);
  g_clear_pointer (&result, PQclear);
  result = tandem_test_pg_query (pg, "SELECT pg_drop_replication_slot('foreign_slot')");

  /* Names that are not plain identifiers are refused before connecting. */
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "Bad Name");
  collector_start_async (&c);
  g_assert_error (c.start_error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL);
  collector_stop (&c);
}

static void
test_slot_busy_at_start (void)
{
  Collector first, second;

  /* A quick restart can find the slot still held by the previous
   * walsender: start-up waits for it instead of failing. Here the holder
   * lives on for a while (whatever the timing, the start must succeed). */
  tandem_test_pg_exec (pg, "CREATE TABLE busy_t (id int PRIMARY KEY)");
  collector_start (&first, tandem_test_pg_get_conninfo (pg), "busy_slot");

  collector_init (&second, tandem_test_pg_get_conninfo (pg), "busy_slot");
  tandem_wal_stream_start_async (second.stream, NULL, on_started, &second);
  tandem_test_run_for (300);
  g_assert_false (second.start_done);
  collector_stop (&first);

  TANDEM_WAIT_UNTIL (second.start_done);
  g_assert_no_error (second.start_error);
  g_assert_cmpuint (second.errors->len, ==, 0);
  tandem_test_pg_exec (pg, "INSERT INTO busy_t VALUES (1)");
  TANDEM_WAIT_UNTIL (second.txns->len == 1);

  collector_stop (&second);
  drop_slot ("busy_slot");
}

static void
test_start_failures (void)
{
  Collector c;
  g_autofree char *unreachable = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres",
                                                  tandem_test_find_free_port ());
  g_autofree char *no_plugin = g_strdup_printf ("%s options='-c output_plugin_libraries=pgoutput'",
                                                tandem_test_pg_get_conninfo (pg));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  collector_init (&c, unreachable, "unreachable_slot");
  collector_start_async (&c);
  g_assert_error (c.start_error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION);
  collector_stop (&c);

  collector_init (&c, "not a conninfo", "bad_conninfo_slot");
  collector_start_async (&c);
  g_assert_error (c.start_error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION);
  collector_stop (&c);

  /* Debian's output_plugin_libraries (15.19 and later) without wal2json.
   * Older builds do not know the setting and refuse the connection. */
  collector_init (&c, no_plugin, "no_plugin_slot");
  collector_start_async (&c);
  g_test_message ("%s", c.start_error->message);
  if (server_knows_setting ("output_plugin_libraries"))
    {
      g_assert_error (c.start_error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_NO_WAL2JSON);
      g_assert_nonnull (strstr (c.start_error->message, "postgresql-15-wal2json"));
    }
  else
    g_assert_error (c.start_error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION);
  g_assert_nonnull (strstr (c.start_error->message, "output_plugin_libraries"));
  collector_stop (&c);

  /* Cancelled while connecting. */
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "cancel_slot");
  tandem_wal_stream_start_async (c.stream, cancellable, on_started, &c);
  g_cancellable_cancel (cancellable);
  TANDEM_WAIT_UNTIL (c.start_done);
  g_assert_error (c.start_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (tandem_wal_stream_get_connected (c.stream));
  collector_stop (&c);

  /* Stopped while starting. */
  collector_init (&c, tandem_test_pg_get_conninfo (pg), "cancel_slot");
  tandem_wal_stream_start_async (c.stream, NULL, on_started, &c);
  tandem_wal_stream_stop (c.stream);
  TANDEM_WAIT_UNTIL (c.start_done);
  g_assert_error (c.start_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  collector_stop (&c);
  drop_slot ("cancel_slot");
}

static gboolean
count_tick (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
on_slow_transaction (TandemWalStream      *stream,
                     TandemWalTransaction *txn,
                     guint                *slow_left)
{
  /* A slow owner (not synchronisation): makes one dispatch outlast its
   * budget so the backlog is read in slices. */
  if (*slow_left > 0)
    {
      (*slow_left)--;
      g_usleep (2000);
    }
}

static void
test_backlog (void)
{
  Collector c;
  g_autoptr(GString) sql = g_string_new (NULL);
  guint ticks = 0, tick_id, slow_left = 60;
  const guint n = 3000;

  /* A backlog built while no stream runs arrives complete and in order,
   * without starving the rest of the main loop. */
  tandem_test_pg_exec (pg, "CREATE TABLE backlog_t (id int PRIMARY KEY, pad text)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "backlog_slot");
  collector_stop (&c);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "BEGIN; INSERT INTO backlog_t VALUES (%u, repeat('p', 200)); COMMIT;", i);
  tandem_test_pg_exec (pg, sql->str);

  collector_init (&c, tandem_test_pg_get_conninfo (pg), "backlog_slot");
  g_signal_connect (c.stream, "transaction", G_CALLBACK (on_slow_transaction), &slow_left);
  collector_start_async (&c);
  g_assert_no_error (c.start_error);
  tick_id = g_timeout_add (1, count_tick, &ticks);
  TANDEM_WAIT_UNTIL_TIMEOUT (c.txns->len == n, 60000);
  g_source_remove (tick_id);

  for (guint i = 0; i < n; i++)
    g_assert_cmpint (change_id (change_at (txn_at (&c, i), 0)), ==, i);
  g_test_message ("%u transactions, %u timer ticks meanwhile", n, ticks);

  collector_stop (&c);
  drop_slot ("backlog_slot");
}

static void
test_wal_level (void)
{
  TandemTestPg *replica = tandem_test_pg_new ();
  Collector c;

  tandem_test_pg_exec (replica, "ALTER SYSTEM SET wal_level = replica");
  tandem_test_pg_kill (replica);
  tandem_test_pg_restart (replica);

  collector_init (&c, tandem_test_pg_get_conninfo (replica), "level_slot");
  collector_start_async (&c);
  g_assert_error (c.start_error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_WAL_LEVEL);
  g_test_message ("%s", c.start_error->message);
  g_assert_nonnull (strstr (c.start_error->message, "wal_level = logical"));
  g_assert_nonnull (strstr (c.start_error->message, "postgresql.conf"));
  g_assert_nonnull (strstr (c.start_error->message, "restart"));
  g_assert_false (tandem_wal_stream_get_connected (c.stream));
  collector_stop (&c);

  tandem_test_pg_free (replica);
}

typedef struct
{
  TandemTestPg *pg;
  guint         n;
  guint         per_second;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  PGconn *conn = PQconnectdb (tandem_test_pg_get_conninfo (w->pg));
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (guint i = 0; i < w->n; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO rate_t VALUES (%u)", i);
      PGresult *r = PQexec (conn, sql);
      gint64 due = start + (gint64) (i + 1) * G_USEC_PER_SEC / w->per_second;
      gint64 now;

      g_assert_cmpint (PQresultStatus (r), ==, PGRES_COMMAND_OK);
      PQclear (r);
      /* Pacing the writer, not synchronising with the stream. */
      now = g_get_monotonic_time ();
      if (due > now)
        g_usleep (due - now);
    }
  PQfinish (conn);
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  GArray *latencies;
  gint64  next_id;
  guint   out_of_order;
} RateData;

static void
on_rate_transaction (TandemWalStream      *stream,
                     TandemWalTransaction *txn,
                     RateData             *data)
{
  gint64 latency = g_get_real_time () - txn->commit_time_usec;

  for (guint i = 0; i < txn->changes->len; i++)
    {
      TandemWalChange *change = g_ptr_array_index (txn->changes, i);

      if (json_object_get_int_member (change->record, "id") != data->next_id)
        data->out_of_order++;
      data->next_id++;
      g_array_append_val (data->latencies, latency);
    }
  tandem_wal_stream_confirm (stream, txn->end_lsn);
}

static void
test_rate (void)
{
  RateData data = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0, 0 };
  Writer writer = { pg, 1000, 1000 };
  Collector c;
  GThread *thread;
  gint64 p50, p99;

  /* 1,000 single-row transactions at 1,000/s: every one arrives, in order;
   * the commit-to-emission latency is reported (not asserted: shared CI
   * machines vary). */
  tandem_test_pg_exec (pg, "CREATE TABLE rate_t (id int PRIMARY KEY)");
  collector_start (&c, tandem_test_pg_get_conninfo (pg), "rate_slot");
  g_signal_connect (c.stream, "transaction", G_CALLBACK (on_rate_transaction), &data);

  thread = g_thread_new ("writer", writer_thread, &writer);
  TANDEM_WAIT_UNTIL_TIMEOUT (data.latencies->len == writer.n, 60000);
  g_thread_join (thread);

  g_assert_cmpuint (data.out_of_order, ==, 0);
  g_assert_cmpuint (c.txns->len, ==, writer.n);
  g_array_sort (data.latencies, compare_gint64);
  p50 = g_array_index (data.latencies, gint64, data.latencies->len / 2);
  p99 = g_array_index (data.latencies, gint64, data.latencies->len * 99 / 100);
  g_test_message ("commit to emission: p50 %.2f ms, p99 %.2f ms", p50 / 1000.0, p99 / 1000.0);

  wait_slot_confirmed ("rate_slot", txn_at (&c, writer.n - 1)->end_lsn);
  g_array_unref (data.latencies);
  collector_stop (&c);
  drop_slot ("rate_slot");
}

static void
test_transaction_boxed (void)
{
  GType type = tandem_wal_transaction_get_type ();

  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_true (type == TANDEM_TYPE_WAL_TRANSACTION);
  g_assert_cmpstr (tandem_change_type_to_string (TANDEM_CHANGE_UPDATE), ==, "UPDATE");
  g_assert_cmpstr (tandem_change_type_to_string (TANDEM_CHANGE_DELETE), ==, "DELETE");
  g_assert_true (tandem_wal_stream_error_quark () == TANDEM_WAL_STREAM_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();

  g_test_add_func ("/wal-stream/boxed", test_transaction_boxed);
  g_test_add_func ("/wal-stream/shapes", test_shapes);
  g_test_add_func ("/wal-stream/values", test_values);
  g_test_add_func ("/wal-stream/replica-identity-full", test_replica_identity_full);
  g_test_add_func ("/wal-stream/unchanged-toast", test_unchanged_toast);
  g_test_add_func ("/wal-stream/no-primary-key", test_no_primary_key);
  g_test_add_func ("/wal-stream/multi-row-transaction", test_multi_row_transaction);
  g_test_add_func ("/wal-stream/commit-order", test_commit_order);
  g_test_add_func ("/wal-stream/confirm-and-restart", test_confirm_and_restart);
  g_test_add_func ("/wal-stream/reconnect", test_reconnect);
  g_test_add_func ("/wal-stream/skip-schemas", test_skip_schemas);
  g_test_add_func ("/wal-stream/skipped-confirm-waits", test_skipped_confirm_waits);
  g_test_add_func ("/wal-stream/new-types", test_new_types);
  g_test_add_func ("/wal-stream/keepalive", test_keepalive);
  g_test_add_func ("/wal-stream/slot-handling", test_slot_handling);
  g_test_add_func ("/wal-stream/start-failures", test_start_failures);
  g_test_add_func ("/wal-stream/slot-busy-at-start", test_slot_busy_at_start);
  g_test_add_func ("/wal-stream/rate", test_rate);
  g_test_add_func ("/wal-stream/backlog", test_backlog);
  g_test_add_func ("/wal-stream/wal-level", test_wal_level);

  ret = g_test_run ();

  tandem_test_pg_free (pg);
  return ret;
}
