/* test-json.c: tandem_json_parse() builds what JsonParser builds
 *
 * tandem_json_parse() builds json-glib trees itself (JsonParser is several
 * times slower for Realtime's small payloads). For every document the
 * validator accepts, the tree must equal JsonParser's for the same text:
 * same node types (integers as gint64, other numbers as doubles), same
 * values, same member order (json_generator output compared byte for byte).
 * A fixed corpus of edge cases, then thousands of random documents (seeded;
 * the seed is printed on failure), then random byte strings, which must be
 * refused or give the same tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-json-private.h"

static char *
generate (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Types as well as values: json_node_equal() says 1 == 1.0. */
static void
assert_same_types (JsonNode *a,
                   JsonNode *b)
{
  g_assert_cmpint (json_node_get_node_type (a), ==, json_node_get_node_type (b));
  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_VALUE:
      g_assert_true (json_node_get_value_type (a) == json_node_get_value_type (b));
      if (json_node_get_value_type (a) == G_TYPE_DOUBLE)
        g_assert_true (memcmp (&(double) { json_node_get_double (a) }, &(double) { json_node_get_double (b) },
                               sizeof (double)) == 0);
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);

        g_assert_cmpuint (json_array_get_length (x), ==, json_array_get_length (y));
        for (guint i = 0; i < json_array_get_length (x); i++)
          assert_same_types (json_array_get_element (x, i), json_array_get_element (y, i));
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
        g_autoptr(GList) keys = json_object_get_members (x);

        g_assert_cmpuint (json_object_get_size (x), ==, json_object_get_size (y));
        for (GList *l = keys; l != NULL; l = l->next)
          assert_same_types (json_object_get_member (x, l->data), json_object_get_member (y, l->data));
      }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* Returns FALSE when the validator refuses @text; otherwise checks the
 * trees agree. */
static gboolean
check_document (const char *text,
                gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ours = tandem_json_parse (text, length, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, &error);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *ours_text = NULL;
  g_autofree char *theirs_text = NULL;
  JsonNode *theirs;

  if (ours == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      return FALSE;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, length, &error))
    g_error ("accepted by the validator, refused by JsonParser: %.*s (%s)", (int) length, text, error->message);
  theirs = json_parser_get_root (parser);
  g_assert_true (json_node_equal (ours, theirs));
  assert_same_types (ours, theirs);
  ours_text = generate (ours);
  theirs_text = generate (theirs);
  g_assert_cmpstr (ours_text, ==, theirs_text);
  g_assert_null (json_node_get_parent (ours));
  return TRUE;
}

static void
test_corpus (void)
{
  static const char * const accepted[] = {
    "{}", "[]", "0", "-0", "1", "-1", "0.5", "-0.0", "1e3", "1E-3", "2.5e+10", "1e308", "4.9e-324",
    "9223372036854775807", "-9223372036854775808", "123456789012345678", "0.1", "3.141592653589793",
    "true", "false", "null", "\"\"", "\"a\"", " \t\r\n[ 1 , 2 ]\n",
    "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\u00e9\\u20ac\\ud83d\\ude00\"", "\"é€😀 中文\"",
    "\"before\\u0000after\"", "\"\\u0001\\u001f\"",
    "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
    "{\"a\":1,\"b\":2,\"a\":3}", "{\"\":0}", "{\"k\\u00e9y\":\"v\"}",
    "[[[[[[[[[[]]]]]]]]]]", "[{},[],{\"x\":[{}]}]",
    "{\"type\":\"broadcast\",\"event\":\"cursor\",\"payload\":{\"x\":12.5,\"y\":-3,\"user\":\"ada\"}}",
    "[1,2.0,3e0,-4,\"5\"]", "{\"n\":1.0}", "{\"big\":1.7976931348623157e308}",
  };
  static const char * const refused[] = {
    "", " ", "{", "[1,]", "{\"a\":}", "01", "1.", ".5", "+1", "1e", "NaN", "Infinity", "'a'", "{a:1}",
    "[1] x", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"tab\there\"", "/* c */ 1", "9223372036854775808",
    "-9223372036854775809", "1e309", "[true false]", "tru", "nul", "{\"a\" 1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    if (!check_document (accepted[i], strlen (accepted[i])))
      g_error ("refused: %s", accepted[i]);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (check_document (refused[i], strlen (refused[i])))
      g_error ("accepted: %s", refused[i]);
  /* Not NUL-terminated: only the given length counts. */
  g_assert_true (check_document ("[1,2]garbage", 5));
}

/* ---- random documents ---- */

static void
random_string (GRand   *rand,
               GString *out)
{
  static const char * const pieces[] = {
    "a", "Z", " ", "é", "€", "😀", "中", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u0041", "\\u00e9",
    "\\ud83d\\ude00", "\\u0000", "x", "0",
  };

  g_string_append_c (out, '"');
  for (int n = g_rand_int_range (rand, 0, 8); n > 0; n--)
    g_string_append (out, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
  g_string_append_c (out, '"');
}

static void
random_ws (GRand   *rand,
           GString *out)
{
  static const char * const spaces[] = { "", "", "", " ", "\n", "\t ", "\r\n" };

  g_string_append (out, spaces[g_rand_int_range (rand, 0, G_N_ELEMENTS (spaces))]);
}

static void
random_value (GRand   *rand,
              GString *out,
              int      depth)
{
  int kind = g_rand_int_range (rand, 0, depth > 6 ? 6 : 8);

  random_ws (rand, out);
  switch (kind)
    {
    case 0:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) g_rand_int (rand) - G_MAXINT32);
      break;
    case 1:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append (out, g_ascii_formatd (buf, sizeof buf, g_rand_boolean (rand) ? "%.17g" : "%g",
                                               g_rand_double_range (rand, -1e6, 1e6)));
      }
      break;
    case 2:
      random_string (rand, out);
      break;
    case 3:
      g_string_append (out, g_rand_boolean (rand) ? "true" : "false");
      break;
    case 4:
      g_string_append (out, "null");
      break;
    case 5:
      g_string_append (out, g_rand_boolean (rand) ? "1e-7" : "-0");
      break;
    case 6:
      g_string_append_c (out, '[');
      for (int n = g_rand_int_range (rand, 0, 5); n > 0; n--)
        {
          random_value (rand, out, depth + 1);
          if (n > 1)
            g_string_append_c (out, ',');
        }
      random_ws (rand, out);
      g_string_append_c (out, ']');
      break;
    default:
      g_string_append_c (out, '{');
      for (int n = g_rand_int_range (rand, 0, 5); n > 0; n--)
        {
          random_ws (rand, out);
          /* few distinct keys, so repeats happen */
          g_string_append_printf (out, "\"k%d\"", g_rand_int_range (rand, 0, 4));
          random_ws (rand, out);
          g_string_append_c (out, ':');
          random_value (rand, out, depth + 1);
          if (n > 1)
            g_string_append_c (out, ',');
        }
      random_ws (rand, out);
      g_string_append_c (out, '}');
      break;
    }
  random_ws (rand, out);
}

static void
test_random_documents (void)
{
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  g_test_message ("seed %u", seed);
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(GString) doc = g_string_new (NULL);

      random_value (rand, doc, 0);
      if (!check_document (doc->str, doc->len))
        g_error ("seed %u: refused a valid document: %s", seed, doc->str);
    }
}

/* Random bytes and mutated documents: refused, or the same tree. */
static void
test_random_bytes (void)
{
  static const char alphabet[] = "{}[]\":,0123456789-+.eE \\utrfnl\xc3\xa9\x80";
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint accepted = 0;

  g_test_message ("seed %u", seed);
  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GString) doc = g_string_new (NULL);

      if (g_rand_boolean (rand))
        {
          random_value (rand, doc, 3);
          for (int n = g_rand_int_range (rand, 0, 3); n > 0 && doc->len > 0; n--)
            doc->str[g_rand_int_range (rand, 0, doc->len)] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
        }
      else
        for (int n = g_rand_int_range (rand, 1, 12); n > 0; n--)
          g_string_append_c (doc, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
      accepted += check_document (doc->str, doc->len);
    }
  /* The mix exercises both sides. */
  g_assert_cmpuint (accepted, >, 1000);
}

/* ---- writing: tandem_json_to_data() prints what JsonGenerator prints
 * (repaired where that is not JSON) ---- */

static void
assert_writes_as_reference (JsonNode *node)
{
  gsize ours_len = 0, ref_len = 0;
  g_autofree char *ours = tandem_json_to_data (node, &ours_len);
  g_autofree char *ref = tandem_json_to_data_reference (node, &ref_len);

  g_assert_cmpstr (ours, ==, ref);
  g_assert_cmpuint (ours_len, ==, ref_len);
  g_assert_cmpuint (strlen (ours), ==, ours_len);
}

static JsonNode *
random_tree (GRand *rand,
             int    depth)
{
  static const double doubles[] = { 0.0, -0.0, 0.5, 2.0, -3.0, 1e17, 1e18, 1.5e300, 1e-4, 1e-5, 123.456,
                                    0.1, 1.0 / 3.0, 9007199254740993.0, INFINITY, -INFINITY, NAN };
  JsonNode *node = json_node_alloc ();

  switch (g_rand_int_range (rand, 0, depth > 4 ? 5 : 7))
    {
    case 0:
      json_node_init_int (node, (gint64) g_rand_int (rand) * (g_rand_boolean (rand) ? 1 : -4096));
      break;
    case 1:
      json_node_init_double (node, g_rand_boolean (rand) ? doubles[g_rand_int_range (rand, 0, G_N_ELEMENTS (doubles))]
                                                         : g_rand_double_range (rand, -1e9, 1e9));
      break;
    case 2:
      {
        char text[16];
        int n = g_rand_int_range (rand, 0, sizeof text);

        /* every byte below 0x80 except NUL, so all escapes and U+001F, U+007F */
        for (int i = 0; i < n; i++)
          text[i] = (char) g_rand_int_range (rand, 1, 0x80);
        text[n] = '\0';
        json_node_init_string (node, g_rand_boolean (rand) ? text : "é€😀 \"q\" \\ /");
      }
      break;
    case 3:
      json_node_init_boolean (node, g_rand_boolean (rand));
      break;
    case 4:
      json_node_init_null (node);
      break;
    case 5:
      {
        JsonArray *array = json_array_new ();

        for (int n = g_rand_int_range (rand, 0, 5); n > 0; n--)
          json_array_add_element (array, random_tree (rand, depth + 1));
        json_node_take_array (json_node_init (node, JSON_NODE_ARRAY), array);
      }
      break;
    default:
      {
        JsonObject *object = json_object_new ();

        for (int n = g_rand_int_range (rand, 0, 5); n > 0; n--)
          {
            char key[8];

            g_snprintf (key, sizeof key, "k%c%d", g_rand_boolean (rand) ? '\x1f' : '\t', g_rand_int_range (rand, 0, 6));
            json_object_set_member (object, key, random_tree (rand, depth + 1));
          }
        json_node_take_object (json_node_init (node, JSON_NODE_OBJECT), object);
      }
      break;
    }
  return node;
}

static void
test_writer (void)
{
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  g_test_message ("seed %u", seed);
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(JsonNode) tree = random_tree (rand, 0);
      g_autofree char *text = NULL;
      gsize len = 0;

      assert_writes_as_reference (tree);
      /* and what is written is JSON that reads back */
      text = tandem_json_to_data (tree, &len);
      g_assert_true (tandem_json_validate (text, len, NULL, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/corpus", test_corpus);
  g_test_add_func ("/json/random-documents", test_random_documents);
  g_test_add_func ("/json/random-bytes", test_random_bytes);
  g_test_add_func ("/json/writer", test_writer);

  return g_test_run ();
}
