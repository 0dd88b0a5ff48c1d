/* test-jwt.c: HS256 tokens, base64url and Supabase's error texts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-jwt.h"

/* Supabase's local-development anon key and its secret (public values), and
 * the jwt.io example: both signed by other implementations. */
#define DEMO_SECRET "super-secret-jwt-token-with-at-least-32-characters-long"
#define DEMO_ANON_KEY \
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." \
  "eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9." \
  "CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0"
#define JWTIO_SECRET "your-256-bit-secret"
#define JWTIO_TOKEN \
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." \
  "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ." \
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
/* {"role":"authenticated","exp":1000.5,"iat":999.5,"name":"Zoë"}, secret
 * "s3cret", signed with Python's hmac module. */
#define DECIMAL_TOKEN \
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." \
  "eyJyb2xlIjoiYXV0aGVudGljYXRlZCIsImV4cCI6MTAwMC41LCJpYXQiOjk5OS41LCJuYW1lIjoiWm_DqyJ9." \
  "u8u3rqUsomyLPX3cYM-405o14tTRwuvEdgyChdkrClg"

#define NOW 1700000000

static JsonObject *
object_from_json (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static char *
sign_json (const char *claims_json,
           const char *secret)
{
  g_autoptr(JsonObject) claims = object_from_json (claims_json);

  return tandem_jwt_sign_hs256 (claims, secret);
}

/* A token with an arbitrary header and claims, signed with @secret. */
static char *
forge (const char *header_json,
       const char *claims_json,
       const char *secret)
{
  g_autofree char *header = tandem_base64url_encode ((const guint8 *) header_json, strlen (header_json));
  g_autofree char *claims = tandem_base64url_encode ((const guint8 *) claims_json, strlen (claims_json));
  g_autofree char *signing_input = g_strconcat (header, ".", claims, NULL);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autofree char *signature = NULL;

  g_hmac_update (hmac, (const guchar *) signing_input, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
  signature = tandem_base64url_encode (digest, digest_len);

  return g_strconcat (signing_input, ".", signature, NULL);
}

static void
assert_verify_fails (const char           *token,
                     const char           *secret,
                     TandemJwtVerifyFlags  flags,
                     gint64                now,
                     TandemJwtError        code,
                     const char           *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = tandem_jwt_verify (token, secret, flags, now, &error);

  g_assert_null (claims);
  g_assert_error (error, TANDEM_JWT_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_base64url (void)
{
  static const struct
  {
    const char *plain;
    const char *encoded;
  } vectors[] = {
    /* RFC 4648 §10, unpadded */
    { "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
    { "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" }, { "foobar", "Zm9vYmFy" },
  };
  static const guint8 url_bytes[] = { 0xfb, 0xff, 0xbf };
  g_autofree char *url = NULL;
  g_autofree guint8 *url_back = NULL;
  gsize len = 0;

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *encoded = tandem_base64url_encode ((const guint8 *) vectors[i].plain,
                                                          strlen (vectors[i].plain));
      g_autofree guint8 *decoded = NULL;

      g_assert_cmpstr (encoded, ==, vectors[i].encoded);
      decoded = tandem_base64url_decode (encoded, strlen (encoded), &len);
      g_assert_nonnull (decoded);
      g_assert_cmpmem (decoded, len, vectors[i].plain, strlen (vectors[i].plain));
    }

  /* The URL alphabet, not + and / */
  url = tandem_base64url_encode (url_bytes, sizeof url_bytes);
  g_assert_cmpstr (url, ==, "-_-_");
  url_back = tandem_base64url_decode (url, strlen (url), &len);
  g_assert_cmpmem (url_back, len, url_bytes, sizeof url_bytes);
}

static void
test_base64url_decode_edge_cases (void)
{
  static const char * const good_padded[] = { "Zg==", "Zm8=", "Zm9v" };
  static const char * const bad[] = {
    "Z",        /* a lone character cannot encode a byte */
    "Zh",       /* non-zero unused bits: not canonical */
    "Zm9=",     /* ditto, padded */
    "Zg=",      /* padding that does not complete a quantum */
    "Zg===",
    "=",
    "====",
    "Z+8",      /* standard alphabet */
    "Z/8",
    "Zm 9v",
    "Zm9v\n",
    "Zm=9v",
    "\xc3\xa9",
  };
  g_autofree guint8 *empty = NULL;
  gsize len = 99;

  for (guint i = 0; i < G_N_ELEMENTS (good_padded); i++)
    {
      g_autofree guint8 *decoded = tandem_base64url_decode (good_padded[i], strlen (good_padded[i]), &len);

      g_assert_nonnull (decoded);
      g_assert_cmpuint (len, ==, i + 1);
      g_assert_cmpmem (decoded, len, "foo", i + 1);
      g_assert_cmpint (decoded[len], ==, '\0');
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree guint8 *decoded = tandem_base64url_decode (bad[i], strlen (bad[i]), &len);

      if (decoded != NULL)
        g_error ("\"%s\" decoded", bad[i]);
    }

  /* Only @text_len bytes are read. */
  {
    g_autofree guint8 *prefix = tandem_base64url_decode ("Zm9vYmFy!!!", 4, &len);

    g_assert_cmpmem (prefix, len, "foo", 3);
  }

  /* Empty input is valid and still returns a buffer. */
  empty = tandem_base64url_decode ("", 0, &len);
  g_assert_nonnull (empty);
  g_assert_cmpuint (len, ==, 0);
}

static void
test_sign_known_vectors (void)
{
  g_autofree char *demo = sign_json ("{\"iss\":\"supabase-demo\",\"role\":\"anon\",\"exp\":1983812996}",
                                     DEMO_SECRET);
  g_autofree char *jwtio = sign_json ("{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}",
                                      JWTIO_SECRET);

  g_assert_cmpstr (demo, ==, DEMO_ANON_KEY);
  g_assert_cmpstr (jwtio, ==, JWTIO_TOKEN);
}

static void
test_verify_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;

  claims = tandem_jwt_verify (DEMO_ANON_KEY, DEMO_SECRET, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP,
                              NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
  g_assert_cmpstr (json_object_get_string_member (claims, "role"), ==, "anon");
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, "supabase-demo");
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, 1983812996);
  g_clear_pointer (&claims, json_object_unref);

  /* No exp, and not asked for role/exp: a valid token that never expires. */
  claims = tandem_jwt_verify (JWTIO_TOKEN, JWTIO_SECRET, TANDEM_JWT_VERIFY_DEFAULT,
                              G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "name"), ==, "John Doe");
}

static void
test_verify_round_trip (void)
{
  static const char * const claim_sets[] = {
    "{\"role\":\"anon\",\"exp\":1700000060}",
    "{\"aud\":\"authenticated\",\"role\":\"authenticated\",\"sub\":\"8d0fd2b3-9ca5-4d4d-b9f4-2a1b3b7e5e10\","
    "\"exp\":1800000000,\"iat\":1699999000,\"email\":\"zo\\u00eb@example.com\","
    "\"app_metadata\":{\"provider\":\"email\",\"providers\":[\"email\"]},\"user_metadata\":{},"
    "\"amr\":[{\"method\":\"password\",\"timestamp\":1699999000}],\"is_anonymous\":false}",
    "{\"role\":\"service_role\",\"exp\":1800000000,\"big\":9223372036854775807,\"f\":0.5,\"n\":null}",
  };
  g_autofree char *secret = tandem_jwt_generate_secret (32);

  for (guint i = 0; i < G_N_ELEMENTS (claim_sets); i++)
    {
      g_autoptr(JsonObject) claims = object_from_json (claim_sets[i]);
      g_autofree char *token = tandem_jwt_sign_hs256 (claims, secret);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) verified = NULL;
      g_autoptr(JsonObject) unverified = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;
      g_autoptr(JsonNode) c = NULL;

      verified = tandem_jwt_verify (token, secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW, &error);
      g_assert_no_error (error);
      unverified = tandem_jwt_decode_unverified (token, &error);
      g_assert_no_error (error);

      a = json_node_init_object (json_node_alloc (), claims);
      b = json_node_init_object (json_node_alloc (), verified);
      c = json_node_init_object (json_node_alloc (), unverified);
      g_assert_true (json_node_equal (a, b));
      g_assert_true (json_node_equal (a, c));
    }
}

static void
test_verify_bad_signature (void)
{
  g_autofree char *tampered = NULL;
  g_autofree char *other_claims = NULL;
  g_autofree char *short_signature = NULL;
  g_autofree char *no_signature = NULL;
  g_autofree char *padded = NULL;
  const char *last_dot = strrchr (DEMO_ANON_KEY, '.');

  assert_verify_fails (DEMO_ANON_KEY, "another-secret-another-secret-another-secret",
                       TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW,
                       TANDEM_JWT_ERROR_SIGNATURE, "Failed to validate JWT signature");

  /* Claims swapped under the demo key's signature (role escalated) */
  other_claims = tandem_base64url_encode ((const guint8 *) "{\"iss\":\"supabase-demo\",\"role\":\"service_role\",\"exp\":1983812996}",
                                          strlen ("{\"iss\":\"supabase-demo\",\"role\":\"service_role\",\"exp\":1983812996}"));
  tampered = g_strdup_printf ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.%s%s", other_claims, last_dot);
  assert_verify_fails (tampered, DEMO_SECRET, TANDEM_JWT_VERIFY_DEFAULT, NOW,
                       TANDEM_JWT_ERROR_SIGNATURE, "Failed to validate JWT signature");

  /* A valid base64url signature of the wrong length */
  short_signature = g_strndup (DEMO_ANON_KEY, strlen (DEMO_ANON_KEY) - 3);
  assert_verify_fails (short_signature, DEMO_SECRET, TANDEM_JWT_VERIFY_DEFAULT, NOW,
                       TANDEM_JWT_ERROR_SIGNATURE, "Failed to validate JWT signature");

  no_signature = g_strndup (DEMO_ANON_KEY, last_dot - DEMO_ANON_KEY + 1);
  assert_verify_fails (no_signature, DEMO_SECRET, TANDEM_JWT_VERIFY_DEFAULT, NOW,
                       TANDEM_JWT_ERROR_SIGNATURE, "Failed to validate JWT signature");

  /* Padding is tolerated by the decoder, so the same signature still
   * verifies with it. */
  padded = g_strconcat (DEMO_ANON_KEY, "=", NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) claims = tandem_jwt_verify (padded, DEMO_SECRET, 0, NOW, &error);

    g_assert_no_error (error);
    g_assert_nonnull (claims);
  }
}

static void
test_verify_expired (void)
{
  g_autofree char *token = sign_json ("{\"role\":\"anon\",\"exp\":1000}", "secret");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;

  assert_verify_fails (token, "secret", TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, 1012,
                       TANDEM_JWT_ERROR_EXPIRED, "Token has expired 12 seconds ago");
  /* exp must be > now */
  assert_verify_fails (token, "secret", TANDEM_JWT_VERIFY_DEFAULT, 1000,
                       TANDEM_JWT_ERROR_EXPIRED, "Token has expired 0 seconds ago");
  assert_verify_fails (token, "secret", TANDEM_JWT_VERIFY_DEFAULT, 1000 + 86400,
                       TANDEM_JWT_ERROR_EXPIRED, "Token has expired 86400 seconds ago");

  claims = tandem_jwt_verify (token, "secret", TANDEM_JWT_VERIFY_DEFAULT, 999, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
  g_clear_pointer (&claims, json_object_unref);

  /* ALLOW_EXPIRED still checks the signature */
  claims = tandem_jwt_verify (token, "secret",
                              TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP | TANDEM_JWT_VERIFY_ALLOW_EXPIRED,
                              5000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, 1000);
  assert_verify_fails (token, "wrong", TANDEM_JWT_VERIFY_ALLOW_EXPIRED, 5000,
                       TANDEM_JWT_ERROR_SIGNATURE, "Failed to validate JWT signature");
}

static void
test_verify_decimal_times (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree char *down = sign_json ("{\"role\":\"anon\",\"exp\":1000.4}", "s3cret");
  gint64 exp = 0;

  /* 1000.5 rounds to 1001, 999.5 to 1000 (half away from zero) */
  claims = tandem_jwt_verify (DECIMAL_TOKEN, "s3cret", TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (claims, "exp")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, 1001);
  g_assert_cmpint (json_object_get_int_member (claims, "iat"), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (claims, "name"), ==, "Zo\xc3\xab");
  g_assert_true (tandem_jwt_claims_get_exp (claims, &exp));
  g_assert_cmpint (exp, ==, 1001);

  assert_verify_fails (DECIMAL_TOKEN, "s3cret", TANDEM_JWT_VERIFY_DEFAULT, 1003,
                       TANDEM_JWT_ERROR_EXPIRED, "Token has expired 2 seconds ago");
  assert_verify_fails (down, "s3cret", TANDEM_JWT_VERIFY_DEFAULT, 1000,
                       TANDEM_JWT_ERROR_EXPIRED, "Token has expired 0 seconds ago");
}

static void
test_verify_missing_claims (void)
{
  static const char * const claim_sets[] = {
    "{\"exp\":1800000000}",
    "{\"role\":\"anon\"}",
    "{}",
    "{\"role\":42,\"exp\":1800000000}",
    "{\"role\":null,\"exp\":1800000000}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (claim_sets); i++)
    {
      g_autofree char *token = sign_json (claim_sets[i], "secret");

      assert_verify_fails (token, "secret", TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW,
                           TANDEM_JWT_ERROR_MISSING_CLAIMS,
                           "Fields `role` and `exp` are required in JWT");
    }

  /* Without the flag they are fine. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *token = sign_json (claim_sets[i], "secret");
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) claims = tandem_jwt_verify (token, "secret", 0, NOW, &error);

      g_assert_no_error (error);
      g_assert_nonnull (claims);
    }
}

static void
test_verify_invalid_expiry (void)
{
  static const char * const claim_sets[] = {
    "{\"role\":\"anon\",\"exp\":\"1800000000\"}",
    "{\"role\":\"anon\",\"exp\":null}",
    "{\"role\":\"anon\",\"exp\":true}",
    "{\"role\":\"anon\",\"exp\":[1800000000]}",
    "{\"role\":\"anon\",\"exp\":1e300}",
    "{\"role\":\"anon\",\"exp\":1800000000,\"iat\":\"yesterday\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (claim_sets); i++)
    {
      g_autofree char *token = sign_json (claim_sets[i], "secret");

      assert_verify_fails (token, "secret", TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW,
                           TANDEM_JWT_ERROR_INVALID_EXPIRY, "Token expiration time is invalid");
    }
}

static void
test_verify_algorithm (void)
{
  g_autofree char *hs512 = forge ("{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
                                  "{\"role\":\"anon\",\"exp\":1800000000}", "secret");
  g_autofree char *rs256 = forge ("{\"alg\":\"RS256\",\"kid\":\"x\"}",
                                  "{\"role\":\"anon\",\"exp\":1800000000}", "secret");
  g_autofree char *no_alg = forge ("{\"typ\":\"JWT\"}",
                                   "{\"role\":\"anon\",\"exp\":1800000000}", "secret");
  g_autofree char *numeric_alg = forge ("{\"alg\":256}",
                                        "{\"role\":\"anon\",\"exp\":1800000000}", "secret");
  g_autofree char *lowercase = forge ("{\"alg\":\"hs256\"}",
                                      "{\"role\":\"anon\",\"exp\":1800000000}", "secret");
  g_autofree char *none_header = tandem_base64url_encode ((const guint8 *) "{\"alg\":\"none\",\"typ\":\"JWT\"}",
                                                          strlen ("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
  g_autofree char *none_claims = tandem_base64url_encode ((const guint8 *) "{\"role\":\"service_role\",\"exp\":1800000000}",
                                                          strlen ("{\"role\":\"service_role\",\"exp\":1800000000}"));
  g_autofree char *none = g_strdup_printf ("%s.%s.", none_header, none_claims);

  /* Algorithm is checked before the signature: the HMAC here is valid. */
  assert_verify_fails (hs512, "secret", 0, NOW, TANDEM_JWT_ERROR_ALGORITHM,
                       "Failed to generate JWT signer: unsupported algorithm HS512");
  assert_verify_fails (rs256, "secret", 0, NOW, TANDEM_JWT_ERROR_ALGORITHM,
                       "Failed to generate JWT signer: unsupported algorithm RS256");
  assert_verify_fails (lowercase, "secret", 0, NOW, TANDEM_JWT_ERROR_ALGORITHM,
                       "Failed to generate JWT signer: unsupported algorithm hs256");
  assert_verify_fails (none, "secret", TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW,
                       TANDEM_JWT_ERROR_ALGORITHM,
                       "Failed to generate JWT signer: unsupported algorithm none");
  assert_verify_fails (no_alg, "secret", 0, NOW, TANDEM_JWT_ERROR_ALGORITHM,
                       "Failed to generate JWT signer: missing algorithm");
  assert_verify_fails (numeric_alg, "secret", 0, NOW, TANDEM_JWT_ERROR_ALGORITHM,
                       "Failed to generate JWT signer: missing algorithm");
}

static void
test_verify_malformed (void)
{
  g_autofree char *array_claims = forge ("{\"alg\":\"HS256\"}", "[1,2]", "secret");
  g_autofree char *string_header = forge ("\"HS256\"", "{\"role\":\"anon\"}", "secret");
  g_autofree char *bad_json = forge ("{\"alg\":\"HS256\"}", "{\"role\":\"anon\",}", "secret");
  g_autofree char *lenient_json = forge ("{\"alg\":\"HS256\"}", "{'role':'anon'}", "secret");
  g_autofree char *not_utf8 = forge ("{\"alg\":\"HS256\"}", "{\"role\":\"\xff\"}", "secret");
  /* Malformed wins over algorithm: alg none with a broken payload. */
  g_autofree char *none_broken = g_strconcat ("eyJhbGciOiJub25lIn0.", "%%%.", NULL);
  const char *tokens[] = {
    "",
    "garbage",
    "a.b",
    "a.b.c.d",
    "...",
    "!!!.eyJyb2xlIjoiYW5vbiJ9.abc",
    "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.+/+/",
    "eyJhbGciOiJIUzI1NiJ9 .eyJyb2xlIjoiYW5vbiJ9.abc",
    "\xff\xfe.\x01\x02.\x80",
    DEMO_ANON_KEY ".",
    array_claims,
    string_header,
    bad_json,
    lenient_json,
    not_utf8,
    none_broken,
  };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) claims = NULL;

      assert_verify_fails (tokens[i], DEMO_SECRET, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW,
                           TANDEM_JWT_ERROR_MALFORMED, "The token provided is not a valid JWT");

      claims = tandem_jwt_decode_unverified (tokens[i], &error);
      g_assert_null (claims);
      g_assert_error (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_MALFORMED);
    }
}

static void
test_decode_unverified (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree char *expired = sign_json ("{\"role\":\"anon\",\"exp\":1000}", "whatever");
  gint64 exp = 0;

  /* Any signature, any expiry */
  claims = tandem_jwt_decode_unverified (expired, &error);
  g_assert_no_error (error);
  g_assert_true (tandem_jwt_claims_get_exp (claims, &exp));
  g_assert_cmpint (exp, ==, 1000);
  g_clear_pointer (&claims, json_object_unref);

  claims = tandem_jwt_decode_unverified (DECIMAL_TOKEN, &error);
  g_assert_no_error (error);
  g_assert_true (tandem_jwt_claims_get_exp (claims, &exp));
  g_assert_cmpint (exp, ==, 1001);
}

static void
test_claims_get_exp (void)
{
  static const struct
  {
    const char *json;
    gboolean    ok;
    gint64      exp;
  } cases[] = {
    { "{\"exp\":1700000000}", TRUE, 1700000000 },
    { "{\"exp\":-5}", TRUE, -5 },
    { "{\"exp\":1.5}", TRUE, 2 },
    { "{\"exp\":-1.5}", TRUE, -2 },
    { "{\"exp\":1.49}", TRUE, 1 },
    { "{\"exp\":\"1700000000\"}", FALSE, 0 },
    { "{\"exp\":null}", FALSE, 0 },
    { "{\"exp\":{}}", FALSE, 0 },
    { "{\"exp\":1e19}", FALSE, 0 },
    { "{}", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) claims = object_from_json (cases[i].json);
      gint64 exp = 0;

      g_assert_cmpint (tandem_jwt_claims_get_exp (claims, &exp), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (exp, ==, cases[i].exp);
    }
}

static void
test_generate_secret (void)
{
  g_autofree char *a = tandem_jwt_generate_secret (32);
  g_autofree char *b = tandem_jwt_generate_secret (32);
  g_autofree char *one = tandem_jwt_generate_secret (1);
  g_autofree guint8 *bytes = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpuint (strlen (one), ==, 2);
  g_assert_cmpstr (a, !=, b);
  bytes = tandem_base64url_decode (a, strlen (a), &len);
  g_assert_nonnull (bytes);
  g_assert_cmpuint (len, ==, 32);

  token = sign_json ("{\"role\":\"anon\",\"exp\":1800000000}", a);
  claims = tandem_jwt_verify (token, a, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
}

static void
test_empty_secret (void)
{
  g_autofree char *token = sign_json ("{\"role\":\"anon\",\"exp\":1700000000}", "");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;

  /* Reference computed with Python's hmac module */
  g_assert_cmpstr (token, ==,
                   "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                   "eyJyb2xlIjoiYW5vbiIsImV4cCI6MTcwMDAwMDAwMH0."
                   "TU3KzISLmSMLPn4azzS3CCXdO8MRba6jEEdmD_1wd3I");
  claims = tandem_jwt_verify (token, "", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jwt/base64url", test_base64url);
  g_test_add_func ("/jwt/base64url/decode-edge-cases", test_base64url_decode_edge_cases);
  g_test_add_func ("/jwt/sign/known-vectors", test_sign_known_vectors);
  g_test_add_func ("/jwt/sign/empty-secret", test_empty_secret);
  g_test_add_func ("/jwt/verify/good", test_verify_good);
  g_test_add_func ("/jwt/verify/round-trip", test_verify_round_trip);
  g_test_add_func ("/jwt/verify/bad-signature", test_verify_bad_signature);
  g_test_add_func ("/jwt/verify/expired", test_verify_expired);
  g_test_add_func ("/jwt/verify/decimal-times", test_verify_decimal_times);
  g_test_add_func ("/jwt/verify/missing-claims", test_verify_missing_claims);
  g_test_add_func ("/jwt/verify/invalid-expiry", test_verify_invalid_expiry);
  g_test_add_func ("/jwt/verify/algorithm", test_verify_algorithm);
  g_test_add_func ("/jwt/verify/malformed", test_verify_malformed);
  g_test_add_func ("/jwt/decode-unverified", test_decode_unverified);
  g_test_add_func ("/jwt/claims-get-exp", test_claims_get_exp);
  g_test_add_func ("/jwt/generate-secret", test_generate_secret);

  return g_test_run ();
}
