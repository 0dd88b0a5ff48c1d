/* tandem-ydoc-encoding.h: lib0 encoding primitives and UTF-8/UTF-16 helpers
 *
 * Internal to the CRDT. Varints are lib0's: unsigned little-endian base 128
 * (at most 2^53-1) and lib0's sign-magnitude varInt. Strings are strictly
 * valid UTF-8 (U+0000 allowed); their Yjs length counts UTF-16 code units.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define Y_MAX_SAFE_INTEGER ((G_GUINT64_CONSTANT (1) << 53) - 1)

typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   cap;
} YEnc;

void    y_enc_init      (YEnc *enc);
void    y_enc_clear     (YEnc *enc);
void    y_enc_reserve   (YEnc *enc, gsize extra);
void    y_enc_u8        (YEnc *enc, guint8 v);
void    y_enc_raw       (YEnc *enc, const void *data, gsize len);
void    y_enc_varuint   (YEnc *enc, guint64 v);
void    y_enc_varint    (YEnc *enc, gint64 v);
void    y_enc_varbytes  (YEnc *enc, const void *data, gsize len);
void    y_enc_varstring (YEnc *enc, const char *str, gsize len);
GBytes *y_enc_to_bytes  (YEnc *enc);

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} YDec;

static inline void
y_dec_init (YDec *dec, const guint8 *data, gsize len)
{
  dec->p = data;
  dec->end = data + len;
}

static inline gboolean
y_dec_has_content (const YDec *dec)
{
  return dec->p < dec->end;
}

gboolean y_dec_u8        (YDec *dec, guint8 *out);
gboolean y_dec_varuint   (YDec *dec, guint64 *out);
gboolean y_dec_varuint32 (YDec *dec, guint32 *out);
gboolean y_dec_varint    (YDec *dec, gint64 *out);
gboolean y_dec_varbytes  (YDec *dec, const guint8 **data, gsize *len);
gboolean y_dec_varstring (YDec *dec, const char **str, gsize *len);
gboolean y_dec_skip_any  (YDec *dec, guint depth);

/* UTF-8 helpers (input must be valid UTF-8 unless stated otherwise). */
gboolean y_utf8_validate      (const char *s, gsize len);
guint32  y_utf8_utf16_len     (const char *s, gsize len);
guint32  y_utf8_cp_len        (const char *s, gsize len);
void     y_utf8_lengths       (const char *s, gsize len, guint32 *u16, guint32 *cp);
gsize    y_utf8_offset_of_cp  (const char *s, gsize len, guint32 cp);
guint32  y_utf8_cp_to_utf16   (const char *s, gsize len, guint32 cp);
guint32  y_utf8_utf16_to_cp   (const char *s, gsize len, guint32 u16);

/* Splitting a UTF-8 string at UTF-16 offset @k, with Yjs's rule for a cut
 * inside a surrogate pair. Returns the byte offset of the cut. When the cut
 * falls inside a 4-byte sequence, *inside_pair is set and the left part is
 * s[0, ret) + U+FFFD and the right part is U+FFFD + s[ret + 4, len). */
gsize    y_utf8_split_utf16   (const char *s, gsize len, guint32 k, gboolean *inside_pair);

#define Y_UTF8_REPLACEMENT "\xef\xbf\xbd"

G_END_DECLS
