/* tandem-message.h: Supabase Realtime (Phoenix) messages and their wire forms
 *
 * One logical message has five fields (join_ref, ref, topic, event, payload).
 * It travels as a JSON object text frame (serializer 1.0.0), a JSON array text
 * frame (2.0.0), or, for user broadcasts in 2.0.0, a binary frame of kind 3
 * (client to server) or kind 4 (server to client). See protocol.md §1.4.
 *
 * Shared by tandem-server and libtandem. Decoding never trusts its input:
 * malformed frames give a GError in TANDEM_MESSAGE_ERROR and nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TANDEM_MESSAGE_ERROR (tandem_message_error_quark ())

typedef enum
{
  TANDEM_MESSAGE_ERROR_INVALID_JSON,   /* not JSON, or not UTF-8 */
  TANDEM_MESSAGE_ERROR_INVALID_SHAPE,  /* JSON, but not a message (missing keys, wrong types, wrong length) */
  TANDEM_MESSAGE_ERROR_INVALID_BINARY, /* binary frame truncated or lengths inconsistent */
  TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND, /* binary kind other than 3 or 4 */
  TANDEM_MESSAGE_ERROR_FIELD_TOO_LONG, /* a binary header field over 255 bytes */
} TandemMessageError;

typedef enum
{
  TANDEM_SERIALIZER_V1, /* vsn=1.0.0: JSON objects; server frames carry no join_ref */
  TANDEM_SERIALIZER_V2, /* vsn=2.0.0: JSON arrays, binary user broadcasts */
} TandemSerializer;

typedef enum
{
  TANDEM_BINARY_KIND_PUSH = 0,            /* Phoenix-native, never sent to realtime-js */
  TANDEM_BINARY_KIND_REPLY = 1,
  TANDEM_BINARY_KIND_BROADCAST = 2,
  TANDEM_BINARY_KIND_USER_BROADCAST_PUSH = 3, /* client -> server */
  TANDEM_BINARY_KIND_USER_BROADCAST = 4,      /* server -> client */
} TandemBinaryKind;

typedef struct _TandemMessage TandemMessage;

/* A message. For JSON messages @payload holds the payload (any JSON; usually
 * an object). For a user broadcast decoded from a binary frame (or to be
 * encoded as one) @user_event/@user_payload describe it and @payload is NULL
 * until tandem_message_ensure_payload() builds the logical
 * {"type":"broadcast","event":…,"payload":…[,"meta":…]} object. */
struct _TandemMessage
{
  char     *join_ref;          /* nullable */
  char     *ref;               /* nullable */
  char     *topic;
  char     *event;
  JsonNode *payload;           /* nullable only for binary user broadcasts */

  /* Binary user broadcast (kinds 3 and 4) */
  gboolean  is_user_broadcast;
  char     *user_event;
  GBytes   *user_payload;      /* raw bytes: JSON text when user_payload_is_json */
  gboolean  user_payload_is_json;
  gboolean  user_payload_valid; /* JSON checked by decode_binary */
  char     *metadata;          /* JSON object text, or NULL */
};

GQuark         tandem_message_error_quark   (void) G_GNUC_CONST;

const char    *tandem_serializer_to_vsn     (TandemSerializer     serializer);
/* Phoenix's negotiation: a semantic version matching "~> 1.0.0" (1.0.x) is
 * V1, "~> 2.0.0" (2.0.x) is V2; FALSE otherwise (the server answers 403).
 * @serializer may be NULL to only check. */
gboolean       tandem_serializer_from_vsn   (const char          *vsn,
                                             TandemSerializer    *serializer);

/* Takes ownership of nothing: strings are copied, @payload is copied with
 * json_node_copy() (which shares the underlying JsonObject/JsonArray, so treat
 * payloads as immutable once they are in a message). A NULL @payload means an
 * empty object. */
TandemMessage *tandem_message_new           (const char          *join_ref,
                                             const char          *ref,
                                             const char          *topic,
                                             const char          *event,
                                             JsonNode            *payload);
/* A user broadcast (kind 3/4 content); event is "broadcast". @payload bytes
 * are referenced. @metadata, when given, must be JSON object text. */
TandemMessage *tandem_message_new_user_broadcast (const char     *join_ref,
                                             const char          *ref,
                                             const char          *topic,
                                             const char          *user_event,
                                             GBytes              *payload,
                                             gboolean             payload_is_json,
                                             const char          *metadata);
TandemMessage *tandem_message_copy          (const TandemMessage *message);
void           tandem_message_free          (TandemMessage       *message);

/* Decodes a text frame. V1: an object with topic, event, payload, ref (ref
 * may be null) and optional join_ref. V2: an array of at least 5 elements
 * (extra elements ignored). @data need not be NUL-terminated. refs must be
 * strings or null, topic and event strings, payload any JSON (kept as is; a
 * JSON null stays a null node). The text must be strict RFC 8259 JSON in
 * UTF-8, nested at most 512 deep, with integers within gint64. */
TandemMessage *tandem_message_decode_text   (TandemSerializer     serializer,
                                             const char          *data,
                                             gsize                length,
                                             GError             **error);
/* Decodes a binary frame of kind 3 or 4 into a user broadcast (event is
 * "broadcast"). Kind 3's empty join_ref/ref become NULL. Header fields must be
 * UTF-8 without NUL, metadata a JSON object, and a JSON-encoded user payload
 * valid JSON (so that ensure_payload() and encode_text() cannot fail on it
 * later); the payload is copied. */
TandemMessage *tandem_message_decode_binary (const guint8        *data,
                                             gsize                length,
                                             GError             **error);
/* The same, for a frame already held in @frame: the user payload becomes a
 * slice of @frame instead of a copy (use it with libsoup's GBytes). */
TandemMessage *tandem_message_decode_binary_bytes (GBytes        *frame,
                                             GError             **error);

/* A server's user broadcast (binary kind 4) read in place, for receivers
 * that dispatch many of them: pointers into the frame, nothing allocated.
 * The same checks as tandem_message_decode_binary() (header, lengths,
 * UTF-8 fields without NUL, metadata a JSON object) except the payload's
 * JSON, which whoever uses the payload parses (tandem_json_parse) and
 * whoever drops it need not read at all. */
typedef struct
{
  const char   *topic;
  gsize         topic_len;
  const char   *event;
  gsize         event_len;
  const char   *metadata;     /* JSON object text, metadata_len 0 when none */
  gsize         metadata_len;
  const guint8 *payload;
  gsize         payload_len;
  gsize         payload_offset; /* of the payload in the frame */
  gboolean      payload_is_json;
} TandemUserBroadcastView;

gboolean       tandem_message_peek_user_broadcast (const guint8           *data,
                                             gsize                    length,
                                             TandemUserBroadcastView *view,
                                             GError                 **error);

/* Encodes as a text frame. For V1 server frames (@for_server TRUE) join_ref is
 * omitted, as Phoenix does; V1 client frames always carry it (null when
 * NULL). A user broadcast is encoded as its logical payload object; returns
 * NULL when that cannot be done (a binary user payload, which V1 cannot
 * carry, or JSON text that does not parse). Non-finite doubles in the payload
 * are written as null. */
GBytes        *tandem_message_encode_text   (const TandemMessage *message,
                                             TandemSerializer     serializer,
                                             gboolean             for_server);
/* Encodes a user broadcast as binary kind 3 (client) or 4 (server; refs are
 * not part of kind 4). A NULL join_ref/ref is written as "". Returns NULL
 * with TANDEM_MESSAGE_ERROR_FIELD_TOO_LONG when a field exceeds 255 bytes,
 * UNSUPPORTED_KIND for other kinds, INVALID_SHAPE when @message is not a user
 * broadcast. */
GBytes        *tandem_message_encode_binary (const TandemMessage *message,
                                             TandemBinaryKind     kind,
                                             GError             **error);

/* For a user broadcast, builds @payload as the logical broadcast object
 * (JSON user payloads parsed; binary ones cannot be represented and give
 * FALSE with INVALID_JSON). For other messages, or when @payload is already
 * set, returns TRUE. */
gboolean       tandem_message_ensure_payload (TandemMessage      *message,
                                             GError             **error);

/* The JSON user payload of a user broadcast as a tree (transfer full), or
 * NULL with INVALID_JSON (a binary payload, or text that is not JSON). A
 * payload that decode_binary() already checked is not checked again. */
JsonNode      *tandem_message_parse_user_payload (const TandemMessage *message,
                                             GError             **error);

/* Convenience accessors on an object payload; NULL/FALSE when absent or of
 * another type. */
JsonObject    *tandem_message_get_payload_object (const TandemMessage *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemMessage, tandem_message_free)

G_END_DECLS
