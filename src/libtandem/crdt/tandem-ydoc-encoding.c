/* tandem-ydoc-encoding.c: lib0 encoding primitives and UTF-8/UTF-16 helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-ydoc-encoding.h"

void
y_enc_init (YEnc *enc)
{
  enc->data = NULL;
  enc->len = 0;
  enc->cap = 0;
}

void
y_enc_clear (YEnc *enc)
{
  g_free (enc->data);
  y_enc_init (enc);
}

void
y_enc_reserve (YEnc *enc, gsize extra)
{
  if (enc->len + extra <= enc->cap)
    return;
  gsize cap = MAX (enc->cap * 2, 64);
  while (cap < enc->len + extra)
    cap *= 2;
  enc->data = g_realloc (enc->data, cap);
  enc->cap = cap;
}

void
y_enc_u8 (YEnc *enc, guint8 v)
{
  y_enc_reserve (enc, 1);
  enc->data[enc->len++] = v;
}

void
y_enc_raw (YEnc *enc, const void *data, gsize len)
{
  if (len == 0)
    return;
  y_enc_reserve (enc, len);
  memcpy (enc->data + enc->len, data, len);
  enc->len += len;
}

void
y_enc_varuint (YEnc *enc, guint64 v)
{
  y_enc_reserve (enc, 10);
  while (v > 0x7f)
    {
      enc->data[enc->len++] = 0x80 | (v & 0x7f);
      v >>= 7;
    }
  enc->data[enc->len++] = (guint8) v;
}

void
y_enc_varint (YEnc *enc, gint64 v)
{
  gboolean neg = v < 0;
  guint64 m = neg ? (guint64) (-(v + 1)) + 1 : (guint64) v;

  y_enc_reserve (enc, 10);
  enc->data[enc->len++] = (m > 0x3f ? 0x80 : 0) | (neg ? 0x40 : 0) | (m & 0x3f);
  m >>= 6;
  while (m > 0)
    {
      enc->data[enc->len++] = (m > 0x7f ? 0x80 : 0) | (m & 0x7f);
      m >>= 7;
    }
}

void
y_enc_varbytes (YEnc *enc, const void *data, gsize len)
{
  y_enc_varuint (enc, len);
  y_enc_raw (enc, data, len);
}

void
y_enc_varstring (YEnc *enc, const char *str, gsize len)
{
  y_enc_varbytes (enc, str, len);
}

GBytes *
y_enc_to_bytes (YEnc *enc)
{
  GBytes *b = g_bytes_new_take (g_realloc (enc->data, MAX (enc->len, 1)), enc->len);
  y_enc_init (enc);
  return b;
}

gboolean
y_dec_u8 (YDec *dec, guint8 *out)
{
  if (dec->p >= dec->end)
    return FALSE;
  *out = *dec->p++;
  return TRUE;
}

gboolean
y_dec_varuint (YDec *dec, guint64 *out)
{
  guint64 v = 0;
  guint shift = 0;

  while (TRUE)
    {
      if (dec->p >= dec->end || shift > 49)
        return FALSE;
      guint8 b = *dec->p++;
      v |= (guint64) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0)
        break;
    }
  if (v > Y_MAX_SAFE_INTEGER)
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
y_dec_varuint32 (YDec *dec, guint32 *out)
{
  guint64 v;
  /* Clocks and lengths are kept in 32 bits; larger values are rejected. */
  if (!y_dec_varuint (dec, &v) || v >= G_MAXUINT32 / 2)
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

gboolean
y_dec_varint (YDec *dec, gint64 *out)
{
  guint8 b;
  if (!y_dec_u8 (dec, &b))
    return FALSE;
  guint64 m = b & 0x3f;
  gboolean neg = (b & 0x40) != 0;
  guint shift = 6;
  while (b & 0x80)
    {
      if (!y_dec_u8 (dec, &b) || shift > 48)
        return FALSE;
      m |= (guint64) (b & 0x7f) << shift;
      shift += 7;
    }
  if (m > Y_MAX_SAFE_INTEGER)
    return FALSE;
  *out = neg ? -(gint64) m : (gint64) m;
  return TRUE;
}

gboolean
y_dec_varbytes (YDec *dec, const guint8 **data, gsize *len)
{
  guint64 n;
  if (!y_dec_varuint (dec, &n) || n > (guint64) (dec->end - dec->p))
    return FALSE;
  *data = dec->p;
  *len = (gsize) n;
  dec->p += n;
  return TRUE;
}

gboolean
y_dec_varstring (YDec *dec, const char **str, gsize *len)
{
  const guint8 *d;
  if (!y_dec_varbytes (dec, &d, len) || !y_utf8_validate ((const char *) d, *len))
    return FALSE;
  *str = (const char *) d;
  return TRUE;
}

static gboolean
skip_bytes (YDec *dec, gsize n)
{
  if ((gsize) (dec->end - dec->p) < n)
    return FALSE;
  dec->p += n;
  return TRUE;
}

gboolean
y_dec_skip_any (YDec *dec, guint depth)
{
  guint8 tag;
  guint64 n;
  gint64 i;
  const char *s;
  gsize len;

  if (depth > 64 || !y_dec_u8 (dec, &tag))
    return FALSE;
  switch (tag)
    {
    case 127: case 126: case 121: case 120:
      return TRUE;
    case 125:
      return y_dec_varint (dec, &i);
    case 124:
      return skip_bytes (dec, 4);
    case 123: case 122:
      return skip_bytes (dec, 8);
    case 119:
      return y_dec_varstring (dec, &s, &len);
    case 118:
      if (!y_dec_varuint (dec, &n))
        return FALSE;
      for (guint64 k = 0; k < n; k++)
        if (!y_dec_varstring (dec, &s, &len) || !y_dec_skip_any (dec, depth + 1))
          return FALSE;
      return TRUE;
    case 117:
      if (!y_dec_varuint (dec, &n))
        return FALSE;
      for (guint64 k = 0; k < n; k++)
        if (!y_dec_skip_any (dec, depth + 1))
          return FALSE;
      return TRUE;
    case 116:
      return y_dec_varbytes (dec, (const guint8 **) &s, &len);
    default:
      return FALSE;
    }
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
 * U+0000 is allowed (JS strings may hold it). */
gboolean
y_utf8_validate (const char *str, gsize len)
{
  const guint8 *s = (const guint8 *) str, *end = s + len;

  while (s < end)
    {
      guint8 c = *s;
      if (c < 0x80)
        {
          s++;
          continue;
        }
      if (c >= 0xc2 && c <= 0xdf)
        {
          if (end - s < 2 || (s[1] & 0xc0) != 0x80)
            return FALSE;
          s += 2;
        }
      else if (c >= 0xe0 && c <= 0xef)
        {
          if (end - s < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return FALSE;
          if (c == 0xe0 && s[1] < 0xa0)
            return FALSE;
          if (c == 0xed && s[1] >= 0xa0)
            return FALSE;
          s += 3;
        }
      else if (c >= 0xf0 && c <= 0xf4)
        {
          if (end - s < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
              (s[3] & 0xc0) != 0x80)
            return FALSE;
          if (c == 0xf0 && s[1] < 0x90)
            return FALSE;
          if (c == 0xf4 && s[1] >= 0x90)
            return FALSE;
          s += 4;
        }
      else
        return FALSE;
    }
  return TRUE;
}

void
y_utf8_lengths (const char *str, gsize len, guint32 *u16, guint32 *cp)
{
  const guint8 *s = (const guint8 *) str;
  guint32 chars = 0, astral = 0;

  for (gsize i = 0; i < len; i++)
    {
      chars += (s[i] & 0xc0) != 0x80;
      astral += s[i] >= 0xf0;
    }
  if (u16)
    *u16 = chars + astral;
  if (cp)
    *cp = chars;
}

guint32
y_utf8_utf16_len (const char *s, gsize len)
{
  guint32 u;
  y_utf8_lengths (s, len, &u, NULL);
  return u;
}

guint32
y_utf8_cp_len (const char *s, gsize len)
{
  guint32 c;
  y_utf8_lengths (s, len, NULL, &c);
  return c;
}

static inline guint
seq_len (guint8 c)
{
  return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

gsize
y_utf8_offset_of_cp (const char *str, gsize len, guint32 cp)
{
  const guint8 *s = (const guint8 *) str;
  gsize i = 0;
  while (cp > 0 && i < len)
    {
      i += seq_len (s[i]);
      cp--;
    }
  return MIN (i, len);
}

guint32
y_utf8_cp_to_utf16 (const char *str, gsize len, guint32 cp)
{
  const guint8 *s = (const guint8 *) str;
  gsize i = 0;
  guint32 u = 0;
  while (cp > 0 && i < len)
    {
      guint l = seq_len (s[i]);
      u += l == 4 ? 2 : 1;
      i += l;
      cp--;
    }
  return u;
}

guint32
y_utf8_utf16_to_cp (const char *str, gsize len, guint32 u16)
{
  const guint8 *s = (const guint8 *) str;
  gsize i = 0;
  guint32 u = 0, c = 0;
  while (u < u16 && i < len)
    {
      guint l = seq_len (s[i]);
      u += l == 4 ? 2 : 1;
      i += l;
      c++;
    }
  return c;
}

gsize
y_utf8_split_utf16 (const char *str, gsize len, guint32 k, gboolean *inside_pair)
{
  const guint8 *s = (const guint8 *) str;
  gsize i = 0;
  guint32 u = 0;

  *inside_pair = FALSE;
  while (u < k && i < len)
    {
      guint l = seq_len (s[i]);
      if (l == 4 && u + 1 == k)
        {
          *inside_pair = TRUE;
          return i;
        }
      u += l == 4 ? 2 : 1;
      i += l;
    }
  return i;
}
