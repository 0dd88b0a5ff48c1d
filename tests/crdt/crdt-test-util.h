/* crdt-test-util.h: helpers shared by the CRDT tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-ydoc.h"

static inline GBytes *
hex_to_bytes (const char *hex)
{
  gsize n = strlen (hex) / 2;
  guint8 *d = g_malloc (MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    d[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);
  return g_bytes_new_take (d, n);
}

static inline char *
bytes_to_hex_len (const guint8 *d, gsize n)
{
  char *s = g_malloc (2 * n + 1);
  for (gsize i = 0; i < n; i++)
    g_snprintf (s + 2 * i, 3, "%02x", d[i]);
  s[2 * n] = 0;
  return s;
}

static inline char *
bytes_to_hex (GBytes *b)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (b, &n);
  return bytes_to_hex_len (d, n);
}

static inline JsonNode *
load_vectors (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "crdt", "yjs-vectors.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static inline gboolean
apply_hex (TandemYDoc *doc, const char *hex)
{
  g_autoptr(GBytes) b = hex_to_bytes (hex);
  g_autoptr(GError) error = NULL;
  gboolean ok = tandem_ydoc_apply_update (doc, g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL, &error);
  g_assert_no_error (error);
  return ok;
}

static inline char *
state_hex (TandemYDoc *doc)
{
  g_autoptr(GBytes) b = tandem_ydoc_encode_state_as_update (doc, NULL, 0, NULL);
  return bytes_to_hex (b);
}

static inline char *
sv_hex (TandemYDoc *doc)
{
  g_autoptr(GBytes) b = tandem_ydoc_encode_state_vector (doc);
  return bytes_to_hex (b);
}

static inline char *
text_of (TandemYDoc *doc, const char *name)
{
  return tandem_ydoc_text_to_string (doc, tandem_ydoc_get_text (doc, name), NULL);
}
