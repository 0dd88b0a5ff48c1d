/* tandem-pg-values.h: PostgreSQL column values as Supabase Realtime sends them
 *
 * Supabase builds `record`/`old_record` with to_jsonb(): numbers stay
 * numbers, booleans are booleans, json/jsonb are parsed, timestamps are ISO
 * 8601 strings, arrays are JSON arrays, everything else is the value's text.
 * These functions turn a value as PostgreSQL prints it (text output, or the
 * JSON wal2json format-version 2 writes) into that JSON, driven by the
 * column type's pg_type.typname ("int4", "timestamptz", "_text", …).
 *
 * Known gaps, inherent to the inputs: wal2json 2.5 writes numeric/float NaN
 * and ±Infinity as null, so they arrive as null; JSON numbers are held by
 * json-glib as gint64 or double, so a numeric with more than ~17 significant
 * digits is rounded to the nearest double; composite values stay strings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Converts one value given in PostgreSQL's text output form (DateStyle ISO,
 * bytea_output hex) to the JSON to_jsonb() would produce for a column of type
 * @typname. @text NULL means SQL NULL (a JSON null). Unknown types give a
 * string. Array types (typname starting with '_') are parsed from their
 * array literal, each element converted by the element type. Returns a new
 * node (transfer full). */
JsonNode *tandem_pg_value_from_text       (const char *typname,
                                           const char *text);

/* Same, for a column value as wal2json format-version 2 writes it: JSON null,
 * a number or boolean (kept), or a string (converted as above; wal2json drops
 * the "\x" of a bytea value, which is put back). @value NULL is SQL NULL.
 * Returns a new node (transfer full). */
JsonNode *tandem_pg_value_from_wal2json   (const char *typname,
                                           JsonNode   *value);

/* Parses an array literal ('{1,2}', '{{1,2},{3,4}}', '[0:1]={5,6}',
 * '{"a b",NULL,"c\"d"}') into a JSON array, converting each element with
 * tandem_pg_value_from_text (@element_typname). @delimiter is ',' for every
 * type but box (';'). Returns NULL when @literal is malformed. */
JsonNode *tandem_pg_array_from_text       (const char *element_typname,
                                           const char *literal,
                                           char        delimiter);

/* "2026-01-01 00:00:00+00" -> "2026-01-01T00:00:00+00:00" (fraction, BC and
 * infinity kept as to_jsonb() writes them). */
char     *tandem_pg_timestamptz_to_iso    (const char *text);
/* "2026-01-01 00:00:00.5" -> "2026-01-01T00:00:00.5". */
char     *tandem_pg_timestamp_to_iso      (const char *text);

/* Parses a timestamptz in ISO output form ("2026-11-23 18:39:39.248526+00",
 * any offset, or with a 'T') into microseconds since the Unix epoch, UTC. */
gboolean  tandem_pg_parse_timestamptz     (const char *text,
                                           gint64     *out_usec);

/* Formats a commit time (microseconds since the epoch) the way Supabase
 * sends commit_timestamp: "YYYY-MM-DDTHH:MM:SS.mmmZ" in UTC, milliseconds
 * truncated. */
char     *tandem_pg_format_commit_timestamp (gint64 usec);

/* Parses JSON text like json_from_string(), but numbers json-glib cannot
 * hold are not corrupted: integers beyond 64 bits become doubles and numbers
 * beyond double range become strings. */
JsonNode *tandem_pg_json_parse            (const char  *text,
                                           gssize       length,
                                           GError     **error);

/* Maps a type name as format_type() writes it ("integer", "timestamp with
 * time zone", "character varying(30)", "text[]", "public.\"Mood\"") to its
 * pg_type.typname ("int4", "timestamptz", "varchar", "_text", "Mood"): the
 * fallback when a type oid is unknown. */
char     *tandem_pg_typname_from_format_type (const char *format_type);

G_END_DECLS
