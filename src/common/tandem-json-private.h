/* tandem-json-private.h: strict JSON in and valid JSON out, over json-glib
 *
 * json-glib 1.6 (Debian 12) is lenient when parsing (comments, single quotes,
 * hex numbers, no nesting limit, integers that silently wrap) and its
 * generator writes invalid JSON for some doubles (1e18 becomes "1e+18.0",
 * infinity "inf.0"). Everything in tandem-common that reads or writes JSON
 * goes through these helpers instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper documents are refused: json-glib parses, copies, frees and writes
 * trees recursively, so this bounds stack use. */
#define TANDEM_JSON_MAX_DEPTH 512

/* Checks that @data is one RFC 8259 JSON text in UTF-8 that json-glib can
 * hold without loss of validity: nesting within TANDEM_JSON_MAX_DEPTH,
 * integers within gint64, finite doubles. On failure returns FALSE and sets
 * @reason to a static description and @offset to the byte where it failed. */
gboolean   tandem_json_validate (const char   *data,
                                 gsize         length,
                                 const char  **reason,
                                 gsize        *offset);

/* Validates, then parses. Returns the root (transfer full, no parent) or
 * NULL with @error set in @domain/@code. */
JsonNode  *tandem_json_parse    (const char   *data,
                                 gsize         length,
                                 GQuark        domain,
                                 int           code,
                                 GError      **error);

/* Builds the tree of a document that tandem_json_validate() accepted (for
 * text checked once already; anything else is undefined behaviour). */
JsonNode  *tandem_json_parse_valid (const char *data,
                                    gsize       length);

/* Serializes @root compactly, like json_generator_to_data(), but always
 * produces valid JSON: non-finite doubles become null (as in JavaScript) and
 * json-glib's stray ".0" after an exponent is dropped. */
char      *tandem_json_to_data  (JsonNode     *root,
                                 gsize        *length);
/* The same through JsonGenerator and a repair pass: what the tests hold
 * tandem_json_to_data() to. */
char      *tandem_json_to_data_reference (JsonNode *root,
                                          gsize    *length);

G_END_DECLS
