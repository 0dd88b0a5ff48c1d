/* tandem-jwt.c: HS256 JSON Web Tokens, as Supabase issues and checks them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "tandem-json-private.h"
#include "tandem-jwt.h"

#define HS256_DIGEST_LENGTH 32

G_DEFINE_QUARK (tandem-jwt-error-quark, tandem_jwt_error)

static const char base64url_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *
tandem_base64url_encode (const guint8 *data,
                         gsize         len)
{
  char *out;
  char *o;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len < G_MAXSIZE / 2, NULL);

  o = out = g_malloc ((len + 2) / 3 * 4 + 1);

  for (; i + 3 <= len; i += 3)
    {
      guint32 v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];

      *o++ = base64url_alphabet[(v >> 18) & 0x3f];
      *o++ = base64url_alphabet[(v >> 12) & 0x3f];
      *o++ = base64url_alphabet[(v >> 6) & 0x3f];
      *o++ = base64url_alphabet[v & 0x3f];
    }

  if (len - i == 1)
    {
      guint32 v = data[i] << 16;

      *o++ = base64url_alphabet[(v >> 18) & 0x3f];
      *o++ = base64url_alphabet[(v >> 12) & 0x3f];
    }
  else if (len - i == 2)
    {
      guint32 v = (data[i] << 16) | (data[i + 1] << 8);

      *o++ = base64url_alphabet[(v >> 18) & 0x3f];
      *o++ = base64url_alphabet[(v >> 12) & 0x3f];
      *o++ = base64url_alphabet[(v >> 6) & 0x3f];
    }

  *o = '\0';
  return out;
}

static inline int
base64url_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

/* The result is NUL-terminated (handy for JSON) and never NULL on success,
 * even for empty input. Non-canonical encodings (non-zero unused bits) are
 * refused so that one token has exactly one spelling. */
guint8 *
tandem_base64url_decode (const char *text,
                         gsize       text_len,
                         gsize      *out_len)
{
  g_autofree guint8 *out = NULL;
  guint32 acc = 0;
  guint bits = 0;
  gsize n = text_len;
  gsize o = 0;

  g_return_val_if_fail (text != NULL || text_len == 0, NULL);

  /* Padding is optional, but when present it must complete a quantum. */
  if (n > 0 && text[n - 1] == '=')
    {
      if (n % 4 != 0)
        return NULL;
      n--;
      if (text[n - 1] == '=')
        n--;
    }
  if (n % 4 == 1)
    return NULL;

  out = g_malloc (n / 4 * 3 + 3);

  for (gsize i = 0; i < n; i++)
    {
      int v = base64url_value (text[i]);

      if (v < 0)
        return NULL;

      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          out[o++] = (acc >> bits) & 0xff;
          acc &= (1u << bits) - 1;
        }
    }

  if (acc != 0)
    return NULL;

  out[o] = '\0';
  if (out_len != NULL)
    *out_len = o;
  return g_steal_pointer (&out);
}

static void
hmac_sha256 (const char *secret,
             const char *data,
             gsize       length,
             guint8      digest[HS256_DIGEST_LENGTH])
{
  g_autoptr(GHmac) hmac = NULL;
  gsize digest_len = HS256_DIGEST_LENGTH;

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *) data, length);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_assert (digest_len == HS256_DIGEST_LENGTH);
}

char *
tandem_jwt_sign_hs256 (JsonObject *claims,
                       const char *secret)
{
  /* A fixed header, spelled as GoTrue spells it. */
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *header64 = NULL;
  g_autofree char *claims_json = NULL;
  g_autofree char *claims64 = NULL;
  g_autofree char *signature64 = NULL;
  guint8 signature[HS256_DIGEST_LENGTH];
  gsize claims_len = 0;
  GString *token;

  g_return_val_if_fail (claims != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  root = json_node_init_object (json_node_alloc (), claims);
  claims_json = tandem_json_to_data (root, &claims_len);

  header64 = tandem_base64url_encode ((const guint8 *) header, strlen (header));
  claims64 = tandem_base64url_encode ((const guint8 *) claims_json, claims_len);

  token = g_string_new (header64);
  g_string_append_c (token, '.');
  g_string_append (token, claims64);

  hmac_sha256 (secret, token->str, token->len, signature);
  signature64 = tandem_base64url_encode (signature, sizeof signature);

  g_string_append_c (token, '.');
  g_string_append (token, signature64);

  return g_string_free (token, FALSE);
}

static JsonObject *
decode_segment_object (const char *segment,
                       gsize       length)
{
  g_autofree guint8 *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize json_len = 0;

  json = tandem_base64url_decode (segment, length, &json_len);
  if (json == NULL)
    return NULL;

  node = tandem_json_parse ((const char *) json, json_len,
                            TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_MALFORMED, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

/* Splits and decodes "header.claims.signature". @signed_len is the length of
 * "header.claims", the bytes the signature covers. */
static gboolean
decode_token (const char  *token,
              JsonObject **header_out,
              JsonObject **claims_out,
              guint8     **signature_out,
              gsize       *signature_len,
              gsize       *signed_len,
              GError     **error)
{
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree guint8 *signature = NULL;
  const char *dot1;
  const char *dot2 = NULL;

  dot1 = strchr (token, '.');
  if (dot1 != NULL)
    dot2 = strchr (dot1 + 1, '.');

  if (dot2 == NULL || strchr (dot2 + 1, '.') != NULL ||
      (header = decode_segment_object (token, dot1 - token)) == NULL ||
      (claims = decode_segment_object (dot1 + 1, dot2 - dot1 - 1)) == NULL ||
      (signature = tandem_base64url_decode (dot2 + 1, strlen (dot2 + 1), signature_len)) == NULL)
    {
      g_set_error_literal (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_MALFORMED,
                           "The token provided is not a valid JWT");
      return FALSE;
    }

  if (header_out != NULL)
    *header_out = g_steal_pointer (&header);
  if (signature_out != NULL)
    *signature_out = g_steal_pointer (&signature);
  *claims_out = g_steal_pointer (&claims);
  *signed_len = dot2 - token;
  return TRUE;
}

/* Whole seconds from a JSON number, rounded half away from zero as Elixir's
 * round/1 does; FALSE for anything else or out of range. */
static gboolean
node_get_seconds (JsonNode *node,
                  gint64   *seconds)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *seconds = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      {
        double rounded = round (json_node_get_double (node));

        if (!(rounded >= -9223372036854775808.0 && rounded < 9223372036854775808.0))
          return FALSE;
        *seconds = (gint64) rounded;
        return TRUE;
      }

    default:
      return FALSE;
    }
}

/* Replaces decimal exp/iat with their rounded integers, so that callers only
 * ever see integers. */
static void
normalize_times (JsonObject *claims)
{
  static const char * const names[] = { "exp", "iat" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = json_object_get_member (claims, names[i]);
      gint64 seconds;

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_DOUBLE &&
          node_get_seconds (node, &seconds))
        json_object_set_int_member (claims, names[i], seconds);
    }
}

gboolean
tandem_jwt_claims_get_exp (JsonObject *claims,
                           gint64     *exp)
{
  gint64 seconds;

  g_return_val_if_fail (claims != NULL, FALSE);

  if (!node_get_seconds (json_object_get_member (claims, "exp"), &seconds))
    return FALSE;

  if (exp != NULL)
    *exp = seconds;
  return TRUE;
}

static gboolean
digest_equal (const guint8 *a,
              const guint8 *b,
              gsize         length)
{
  guint8 difference = 0;

  /* No early exit: the time taken must not tell how much matched. */
  for (gsize i = 0; i < length; i++)
    difference |= a[i] ^ b[i];

  return difference == 0;
}

JsonObject *
tandem_jwt_verify (const char            *token,
                   const char            *secret,
                   TandemJwtVerifyFlags   flags,
                   gint64                 now_unix,
                   GError               **error)
{
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree guint8 *signature = NULL;
  guint8 expected[HS256_DIGEST_LENGTH];
  gsize signature_len = 0;
  gsize signed_len = 0;
  JsonNode *alg;
  JsonNode *role;
  JsonNode *exp_node;
  JsonNode *iat_node;
  gint64 exp = 0;
  gint64 iat = 0;

  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!decode_token (token, &header, &claims, &signature, &signature_len, &signed_len, error))
    return NULL;

  alg = json_object_get_member (header, "alg");
  if (alg == NULL || !JSON_NODE_HOLDS_VALUE (alg) ||
      json_node_get_value_type (alg) != G_TYPE_STRING)
    {
      g_set_error_literal (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_ALGORITHM,
                           "Failed to generate JWT signer: missing algorithm");
      return NULL;
    }
  if (g_strcmp0 (json_node_get_string (alg), "HS256") != 0)
    {
      g_set_error (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_ALGORITHM,
                   "Failed to generate JWT signer: unsupported algorithm %s",
                   json_node_get_string (alg));
      return NULL;
    }

  hmac_sha256 (secret, token, signed_len, expected);
  if (signature_len != HS256_DIGEST_LENGTH ||
      !digest_equal (signature, expected, HS256_DIGEST_LENGTH))
    {
      g_set_error_literal (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_SIGNATURE,
                           "Failed to validate JWT signature");
      return NULL;
    }

  role = json_object_get_member (claims, "role");
  exp_node = json_object_get_member (claims, "exp");
  iat_node = json_object_get_member (claims, "iat");

  if ((flags & TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP) != 0 &&
      (role == NULL || !JSON_NODE_HOLDS_VALUE (role) ||
       json_node_get_value_type (role) != G_TYPE_STRING || exp_node == NULL))
    {
      g_set_error_literal (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_MISSING_CLAIMS,
                           "Fields `role` and `exp` are required in JWT");
      return NULL;
    }

  if ((exp_node != NULL && !node_get_seconds (exp_node, &exp)) ||
      (iat_node != NULL && !node_get_seconds (iat_node, &iat)))
    {
      g_set_error_literal (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_INVALID_EXPIRY,
                           "Token expiration time is invalid");
      return NULL;
    }

  if (exp_node != NULL && (flags & TANDEM_JWT_VERIFY_ALLOW_EXPIRED) == 0 && exp <= now_unix)
    {
      /* Saturate rather than overflow for absurdly old tokens. */
      gint64 ago = (exp < 0 && now_unix > G_MAXINT64 + exp) ? G_MAXINT64 : now_unix - exp;

      g_set_error (error, TANDEM_JWT_ERROR, TANDEM_JWT_ERROR_EXPIRED,
                   "Token has expired %" G_GINT64_FORMAT " seconds ago", ago);
      return NULL;
    }

  normalize_times (claims);
  return g_steal_pointer (&claims);
}

JsonObject *
tandem_jwt_decode_unverified (const char  *token,
                              GError     **error)
{
  g_autoptr(JsonObject) claims = NULL;
  gsize signed_len;

  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!decode_token (token, NULL, &claims, NULL, NULL, &signed_len, error))
    return NULL;

  normalize_times (claims);
  return g_steal_pointer (&claims);
}

static void
fill_random (guint8 *buffer,
             gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n > 0)
        done += n;
      else if (n < 0 && errno != EINTR)
        break;
    }

  /* getrandom() needs Linux 3.17; fall back to the device on older kernels. */
  if (done < length)
    {
      int fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);

      while (fd >= 0 && done < length)
        {
          ssize_t n = read (fd, buffer + done, length - done);

          if (n > 0)
            done += n;
          else if (n == 0 || errno != EINTR)
            break;
        }
      if (fd >= 0)
        close (fd);
    }

  /* A predictable secret would be worse than no server at all. */
  if (done < length)
    g_error ("No source of randomness for a JWT secret: %s", g_strerror (errno));
}

char *
tandem_jwt_generate_secret (gsize n_bytes)
{
  g_autofree guint8 *bytes = NULL;
  char *secret;

  g_return_val_if_fail (n_bytes > 0 && n_bytes <= 4096, NULL);

  bytes = g_malloc (n_bytes);
  fill_random (bytes, n_bytes);
  secret = tandem_base64url_encode (bytes, n_bytes);
  explicit_bzero (bytes, n_bytes);

  return secret;
}
