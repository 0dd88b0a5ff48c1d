/* tandem-message.c: Supabase Realtime (Phoenix) messages and their wire forms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-json-private.h"
#include "tandem-message.h"

/* Binary frame layout (protocol.md §1.4.3): a kind byte, one length byte per
 * header field, the encoding byte, the fields, then the payload. */
#define KIND3_HEADER_SIZE 7
#define KIND4_HEADER_SIZE 5
#define MAX_FIELD_LENGTH  255

G_DEFINE_QUARK (tandem-message-error-quark, tandem_message_error)

const char *
tandem_serializer_to_vsn (TandemSerializer serializer)
{
  switch (serializer)
    {
    case TANDEM_SERIALIZER_V1:
      return "1.0.0";
    case TANDEM_SERIALIZER_V2:
      return "2.0.0";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* A SemVer number: digits without leading zeros. */
static gboolean
parse_version_number (const char **p,
                      guint64     *value)
{
  const char *s = *p;
  guint64 v = 0;

  if (!g_ascii_isdigit (*s) || (s[0] == '0' && g_ascii_isdigit (s[1])))
    return FALSE;

  for (; g_ascii_isdigit (*s); s++)
    {
      if (v > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      v = v * 10 + (*s - '0');
    }

  *p = s;
  *value = v;
  return TRUE;
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-]. */
static gboolean
parse_version_identifiers (const char **p)
{
  const char *s = *p;

  for (;;)
    {
      const char *start = s;

      while (g_ascii_isalnum (*s) || *s == '-')
        s++;
      if (s == start)
        return FALSE;
      if (*s != '.')
        break;
      s++;
    }

  *p = s;
  return TRUE;
}

gboolean
tandem_serializer_from_vsn (const char       *vsn,
                            TandemSerializer *serializer)
{
  const char *p = vsn;
  guint64 major, minor, patch;
  gboolean prerelease = FALSE;

  if (vsn == NULL ||
      !parse_version_number (&p, &major) || *p++ != '.' ||
      !parse_version_number (&p, &minor) || *p++ != '.' ||
      !parse_version_number (&p, &patch))
    return FALSE;

  if (*p == '-')
    {
      p++;
      prerelease = TRUE;
      if (!parse_version_identifiers (&p))
        return FALSE;
    }
  if (*p == '+')
    {
      p++;
      if (!parse_version_identifiers (&p))
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;

  /* "~> X.0.0" means >= X.0.0 and < X.1.0; X.0.0-pre sorts before X.0.0. */
  if (minor != 0 || (patch == 0 && prerelease))
    return FALSE;

  if (major == 1)
    {
      if (serializer != NULL)
        *serializer = TANDEM_SERIALIZER_V1;
      return TRUE;
    }
  if (major == 2)
    {
      if (serializer != NULL)
        *serializer = TANDEM_SERIALIZER_V2;
      return TRUE;
    }

  return FALSE;
}

TandemMessage *
tandem_message_new (const char *join_ref,
                    const char *ref,
                    const char *topic,
                    const char *event,
                    JsonNode   *payload)
{
  TandemMessage *message;

  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (event != NULL, NULL);

  message = g_new0 (TandemMessage, 1);
  message->join_ref = g_strdup (join_ref);
  message->ref = g_strdup (ref);
  message->topic = g_strdup (topic);
  message->event = g_strdup (event);
  if (payload != NULL)
    {
      message->payload = json_node_copy (payload);
    }
  else
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      message->payload = json_node_init_object (json_node_alloc (), empty);
    }

  return message;
}

TandemMessage *
tandem_message_new_user_broadcast (const char *join_ref,
                                   const char *ref,
                                   const char *topic,
                                   const char *user_event,
                                   GBytes     *payload,
                                   gboolean    payload_is_json,
                                   const char *metadata)
{
  TandemMessage *message;

  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (user_event != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  message = g_new0 (TandemMessage, 1);
  message->join_ref = g_strdup (join_ref);
  message->ref = g_strdup (ref);
  message->topic = g_strdup (topic);
  message->event = g_strdup ("broadcast");
  message->is_user_broadcast = TRUE;
  message->user_event = g_strdup (user_event);
  message->user_payload = g_bytes_ref (payload);
  message->user_payload_is_json = !!payload_is_json;
  message->metadata = g_strdup (metadata);

  return message;
}

TandemMessage *
tandem_message_copy (const TandemMessage *message)
{
  TandemMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = g_new0 (TandemMessage, 1);
  copy->join_ref = g_strdup (message->join_ref);
  copy->ref = g_strdup (message->ref);
  copy->topic = g_strdup (message->topic);
  copy->event = g_strdup (message->event);
  if (message->payload != NULL)
    copy->payload = json_node_copy (message->payload);
  copy->is_user_broadcast = message->is_user_broadcast;
  copy->user_event = g_strdup (message->user_event);
  if (message->user_payload != NULL)
    copy->user_payload = g_bytes_ref (message->user_payload);
  copy->user_payload_is_json = message->user_payload_is_json;
  copy->user_payload_valid = message->user_payload_valid;
  copy->metadata = g_strdup (message->metadata);

  return copy;
}

void
tandem_message_free (TandemMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->join_ref);
  g_free (message->ref);
  g_free (message->topic);
  g_free (message->event);
  g_clear_pointer (&message->payload, json_node_unref);
  g_free (message->user_event);
  g_clear_pointer (&message->user_payload, g_bytes_unref);
  g_free (message->metadata);
  g_free (message);
}

static inline gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A ref is a string or null; a missing one (NULL node) also reads as NULL. */
static gboolean
read_ref (JsonNode  *node,
          char     **ref)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *ref = NULL;
      return TRUE;
    }
  if (!node_is_string (node))
    return FALSE;

  *ref = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* Keeps @node alive past its parsed tree without copying it. */
static JsonNode *
adopt_node (JsonNode *node)
{
  json_node_ref (node);
  json_node_set_parent (node, NULL);
  return node;
}

static TandemMessage *
message_from_fields (JsonNode  *join_ref,
                     JsonNode  *ref,
                     JsonNode  *topic,
                     JsonNode  *event,
                     JsonNode  *payload,
                     GError   **error)
{
  g_autoptr(TandemMessage) message = g_new0 (TandemMessage, 1);
  const char *problem = NULL;

  if (!read_ref (join_ref, &message->join_ref))
    problem = "join_ref is not a string or null";
  else if (!read_ref (ref, &message->ref))
    problem = "ref is not a string or null";
  else if (!node_is_string (topic))
    problem = "topic is not a string";
  else if (!node_is_string (event))
    problem = "event is not a string";

  if (problem != NULL)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_SHAPE,
                   "Not a message: %s", problem);
      return NULL;
    }

  message->topic = g_strdup (json_node_get_string (topic));
  message->event = g_strdup (json_node_get_string (event));
  message->payload = adopt_node (payload);

  return g_steal_pointer (&message);
}

TandemMessage *
tandem_message_decode_text (TandemSerializer   serializer,
                            const char        *data,
                            gsize              length,
                            GError           **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = tandem_json_parse (data, length, TANDEM_MESSAGE_ERROR,
                            TANDEM_MESSAGE_ERROR_INVALID_JSON, error);
  if (root == NULL)
    return NULL;

  if (serializer == TANDEM_SERIALIZER_V1)
    {
      JsonObject *object;
      const char *missing = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_SHAPE,
                               "Not a message: expected a JSON object");
          return NULL;
        }

      /* Phoenix's Message.from_map! needs all four keys; ref may be null. */
      object = json_node_get_object (root);
      if (!json_object_has_member (object, "topic"))
        missing = "topic";
      else if (!json_object_has_member (object, "event"))
        missing = "event";
      else if (!json_object_has_member (object, "payload"))
        missing = "payload";
      else if (!json_object_has_member (object, "ref"))
        missing = "ref";

      if (missing != NULL)
        {
          g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_SHAPE,
                       "Not a message: missing \"%s\"", missing);
          return NULL;
        }

      return message_from_fields (json_object_get_member (object, "join_ref"),
                                  json_object_get_member (object, "ref"),
                                  json_object_get_member (object, "topic"),
                                  json_object_get_member (object, "event"),
                                  json_object_get_member (object, "payload"),
                                  error);
    }
  else if (serializer == TANDEM_SERIALIZER_V2)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;

      if (array == NULL || json_array_get_length (array) < 5)
        {
          g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_SHAPE,
                               "Not a message: expected an array of 5 elements");
          return NULL;
        }

      return message_from_fields (json_array_get_element (array, 0),
                                  json_array_get_element (array, 1),
                                  json_array_get_element (array, 2),
                                  json_array_get_element (array, 3),
                                  json_array_get_element (array, 4),
                                  error);
    }

  g_return_val_if_reached (NULL);
}

/* A binary header field: UTF-8 without NUL, since it becomes a C string. */
static gboolean
read_field (const guint8  *data,
            guint          length,
            char         **field)
{
  if (!g_utf8_validate_len ((const char *) data, length, NULL))
    return FALSE;

  *field = g_strndup ((const char *) data, length);
  return TRUE;
}

/* A JSON value whose text starts with '{' is an object. */
static gboolean
json_text_is_object (const char *data,
                     gsize       length)
{
  gsize i = 0;

  if (!tandem_json_validate (data, length, NULL, NULL))
    return FALSE;

  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return i < length && data[i] == '{';
}

gboolean
tandem_message_peek_user_broadcast (const guint8             *data,
                                    gsize                     length,
                                    TandemUserBroadcastView  *view,
                                    GError                  **error)
{
  gsize offset = KIND4_HEADER_SIZE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (view != NULL, FALSE);

  if (length < KIND4_HEADER_SIZE || data[0] != TANDEM_BINARY_KIND_USER_BROADCAST)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR,
                   length == 0 || data[0] != TANDEM_BINARY_KIND_USER_BROADCAST ? TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND
                                                                              : TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                   "Not a complete user broadcast frame (kind 4)");
      return FALSE;
    }
  if (data[4] > 1)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                   "Unknown binary payload encoding %u", data[4]);
      return FALSE;
    }
  view->topic_len = data[1];
  view->event_len = data[2];
  view->metadata_len = data[3];
  view->payload_is_json = data[4] == 1;
  /* At most 3 × 255, so the sum cannot overflow. */
  if (view->topic_len + view->event_len + view->metadata_len > length - KIND4_HEADER_SIZE)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                   "Binary frame field lengths exceed the frame (%" G_GSIZE_FORMAT " bytes)", length);
      return FALSE;
    }

  view->topic = (const char *) data + offset;
  offset += view->topic_len;
  view->event = (const char *) data + offset;
  offset += view->event_len;
  view->metadata = (const char *) data + offset;
  offset += view->metadata_len;
  /* UTF-8 validation also refuses NUL, as decode_binary's C strings need. */
  if (!g_utf8_validate_len (view->topic, view->topic_len, NULL) ||
      !g_utf8_validate_len (view->event, view->event_len, NULL))
    {
      g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                           "Binary frame topic or event is not valid UTF-8");
      return FALSE;
    }
  if (view->metadata_len > 0 && !json_text_is_object (view->metadata, view->metadata_len))
    {
      g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON,
                           "Binary frame metadata is not a JSON object");
      return FALSE;
    }
  view->payload = data + offset;
  view->payload_len = length - offset;
  view->payload_offset = offset;
  return TRUE;
}

static TandemMessage *
decode_binary (const guint8  *data,
               gsize          length,
               GBytes        *frame,
               GError       **error)
{
  g_autoptr(TandemMessage) message = NULL;
  guint join_ref_len = 0, ref_len = 0, topic_len, event_len, metadata_len;
  guint encoding;
  gsize header_size;
  gsize offset;
  gsize payload_len;
  const char *bad_field = NULL;

  if (length == 0)
    {
      g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                           "Empty binary frame");
      return NULL;
    }

  switch (data[0])
    {
    case TANDEM_BINARY_KIND_USER_BROADCAST_PUSH:
      header_size = KIND3_HEADER_SIZE;
      break;
    case TANDEM_BINARY_KIND_USER_BROADCAST:
      header_size = KIND4_HEADER_SIZE;
      break;
    default:
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND,
                   "Unsupported binary frame kind %u", data[0]);
      return NULL;
    }

  if (length < header_size)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                   "Binary frame truncated: %" G_GSIZE_FORMAT " bytes, header needs %" G_GSIZE_FORMAT,
                   length, header_size);
      return NULL;
    }

  if (data[0] == TANDEM_BINARY_KIND_USER_BROADCAST_PUSH)
    {
      join_ref_len = data[1];
      ref_len = data[2];
      topic_len = data[3];
      event_len = data[4];
      metadata_len = data[5];
      encoding = data[6];
    }
  else
    {
      topic_len = data[1];
      event_len = data[2];
      metadata_len = data[3];
      encoding = data[4];
    }

  if (encoding > 1)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                   "Unknown binary payload encoding %u", encoding);
      return NULL;
    }

  /* At most 5 × 255, so the sum cannot overflow. */
  if (join_ref_len + ref_len + topic_len + event_len + metadata_len > length - header_size)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                   "Binary frame field lengths exceed the frame (%" G_GSIZE_FORMAT " bytes)",
                   length);
      return NULL;
    }

  message = g_new0 (TandemMessage, 1);
  message->event = g_strdup ("broadcast");
  message->is_user_broadcast = TRUE;
  message->user_payload_is_json = encoding == 1;

  offset = header_size;
  if (!read_field (data + offset, join_ref_len, &message->join_ref))
    bad_field = "join_ref";
  offset += join_ref_len;
  if (bad_field == NULL && !read_field (data + offset, ref_len, &message->ref))
    bad_field = "ref";
  offset += ref_len;
  if (bad_field == NULL && !read_field (data + offset, topic_len, &message->topic))
    bad_field = "topic";
  offset += topic_len;
  if (bad_field == NULL && !read_field (data + offset, event_len, &message->user_event))
    bad_field = "event";
  offset += event_len;

  if (bad_field != NULL)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_BINARY,
                   "Binary frame %s is not valid UTF-8", bad_field);
      return NULL;
    }

  /* realtime-js writes "" for a null ref. */
  if (message->join_ref != NULL && message->join_ref[0] == '\0')
    g_clear_pointer (&message->join_ref, g_free);
  if (message->ref != NULL && message->ref[0] == '\0')
    g_clear_pointer (&message->ref, g_free);

  if (metadata_len > 0)
    {
      if (!json_text_is_object ((const char *) data + offset, metadata_len))
        {
          g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON,
                               "Binary frame metadata is not a JSON object");
          return NULL;
        }
      message->metadata = g_strndup ((const char *) data + offset, metadata_len);
    }
  offset += metadata_len;

  payload_len = length - offset;

  /* Checked here, once, so that consumers (realtime-js parses it with
   * JSON.parse) never see broken JSON, and later conversions cannot fail. */
  if (encoding == 1)
    {
      const char *reason = NULL;
      gsize at = 0;

      if (!tandem_json_validate ((const char *) data + offset, payload_len, &reason, &at))
        {
          g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON,
                       "Binary frame JSON payload is invalid at byte %" G_GSIZE_FORMAT ": %s",
                       at, reason);
          return NULL;
        }
    }

  if (frame != NULL)
    message->user_payload = g_bytes_new_from_bytes (frame, offset, payload_len);
  else
    message->user_payload = g_bytes_new (data + offset, payload_len);
  message->user_payload_valid = encoding == 1;

  return g_steal_pointer (&message);
}

TandemMessage *
tandem_message_decode_binary (const guint8  *data,
                              gsize          length,
                              GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return decode_binary (data, length, NULL, error);
}

TandemMessage *
tandem_message_decode_binary_bytes (GBytes  *frame,
                                    GError **error)
{
  const guint8 *data;
  gsize length = 0;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (frame, &length);
  return decode_binary (data, length, frame, error);
}

/* {"type":"broadcast","event":E,"payload":P[,"meta":M]} from a user
 * broadcast's fields. */
static JsonNode *
build_broadcast_payload (const TandemMessage  *message,
                         GError              **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) inner = NULL;
  g_autoptr(JsonNode) meta = NULL;

  if (!message->user_payload_is_json || message->user_payload == NULL)
    {
      g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON,
                           "A binary user payload has no JSON form");
      return NULL;
    }

  inner = tandem_message_parse_user_payload (message, error);
  if (inner == NULL)
    return NULL;

  if (message->metadata != NULL)
    {
      meta = tandem_json_parse (message->metadata, strlen (message->metadata),
                                TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON, error);
      if (meta == NULL)
        return NULL;
      if (!JSON_NODE_HOLDS_OBJECT (meta))
        {
          g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON,
                               "Broadcast metadata is not a JSON object");
          return NULL;
        }
    }

  object = json_object_new ();
  json_object_set_string_member (object, "type", "broadcast");
  json_object_set_string_member (object, "event", message->user_event);
  json_object_set_member (object, "payload", g_steal_pointer (&inner));
  if (meta != NULL)
    json_object_set_member (object, "meta", g_steal_pointer (&meta));

  return json_node_init_object (json_node_alloc (), object);
}

gboolean
tandem_message_ensure_payload (TandemMessage  *message,
                               GError        **error)
{
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (message->payload != NULL || !message->is_user_broadcast)
    return TRUE;

  message->payload = build_broadcast_payload (message, error);
  return message->payload != NULL;
}

static JsonNode *
string_or_null (const char *value)
{
  if (value == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_init_string (json_node_alloc (), value);
}

GBytes *
tandem_message_encode_text (const TandemMessage *message,
                            TandemSerializer     serializer,
                            gboolean             for_server)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(JsonNode) root = NULL;
  char *data;
  gsize length = 0;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (message->topic != NULL && message->event != NULL, NULL);
  g_return_val_if_fail (serializer == TANDEM_SERIALIZER_V1 ||
                        serializer == TANDEM_SERIALIZER_V2, NULL);

  /* The payload node is shared into the frame's tree, never copied: a
   * fan-out encodes it once per serializer. */
  if (message->payload != NULL)
    payload = json_node_ref (message->payload);
  else if (message->is_user_broadcast)
    payload = build_broadcast_payload (message, NULL);
  if (payload == NULL)
    return NULL;

  if (serializer == TANDEM_SERIALIZER_V1)
    {
      g_autoptr(JsonObject) object = json_object_new ();

      json_object_set_string_member (object, "topic", message->topic);
      json_object_set_string_member (object, "event", message->event);
      json_object_set_member (object, "payload", g_steal_pointer (&payload));
      json_object_set_member (object, "ref", string_or_null (message->ref));
      if (!for_server)
        json_object_set_member (object, "join_ref", string_or_null (message->join_ref));
      root = json_node_init_object (json_node_alloc (), object);
    }
  else
    {
      g_autoptr(JsonArray) array = json_array_sized_new (5);

      json_array_add_element (array, string_or_null (message->join_ref));
      json_array_add_element (array, string_or_null (message->ref));
      json_array_add_string_element (array, message->topic);
      json_array_add_string_element (array, message->event);
      json_array_add_element (array, g_steal_pointer (&payload));
      root = json_node_init_array (json_node_alloc (), array);
    }

  data = tandem_json_to_data (root, &length);
  return g_bytes_new_take (data, length);
}

GBytes *
tandem_message_encode_binary (const TandemMessage  *message,
                              TandemBinaryKind      kind,
                              GError              **error)
{
  const char *fields[5];
  gsize lengths[5];
  static const char * const names[5] = { "join_ref", "ref", "topic", "event", "metadata" };
  const guint8 *payload = NULL;
  gsize payload_len = 0;
  gsize header_size;
  gsize total;
  guint8 *frame;
  guint8 *p;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (kind != TANDEM_BINARY_KIND_USER_BROADCAST_PUSH && kind != TANDEM_BINARY_KIND_USER_BROADCAST)
    {
      g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND,
                   "Cannot encode binary frame kind %u", (guint) kind);
      return NULL;
    }

  if (!message->is_user_broadcast || message->topic == NULL || message->user_event == NULL)
    {
      g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_SHAPE,
                           "Only user broadcasts have a binary form");
      return NULL;
    }

  /* Kind 4 carries no refs. */
  fields[0] = kind == TANDEM_BINARY_KIND_USER_BROADCAST_PUSH ? message->join_ref : NULL;
  fields[1] = kind == TANDEM_BINARY_KIND_USER_BROADCAST_PUSH ? message->ref : NULL;
  fields[2] = message->topic;
  fields[3] = message->user_event;
  fields[4] = message->metadata;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      lengths[i] = fields[i] != NULL ? strlen (fields[i]) : 0;
      if (lengths[i] > MAX_FIELD_LENGTH)
        {
          g_set_error (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_FIELD_TOO_LONG,
                       "Binary frame %s is %" G_GSIZE_FORMAT " bytes, over the limit of %d",
                       names[i], lengths[i], MAX_FIELD_LENGTH);
          return NULL;
        }
    }

  if (message->user_payload != NULL)
    payload = g_bytes_get_data (message->user_payload, &payload_len);

  header_size = kind == TANDEM_BINARY_KIND_USER_BROADCAST_PUSH ? KIND3_HEADER_SIZE : KIND4_HEADER_SIZE;
  total = header_size + lengths[0] + lengths[1] + lengths[2] + lengths[3] + lengths[4] + payload_len;

  p = frame = g_malloc (total);
  *p++ = kind;
  if (kind == TANDEM_BINARY_KIND_USER_BROADCAST_PUSH)
    {
      *p++ = lengths[0];
      *p++ = lengths[1];
    }
  *p++ = lengths[2];
  *p++ = lengths[3];
  *p++ = lengths[4];
  *p++ = message->user_payload_is_json ? 1 : 0;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (lengths[i] > 0)
        memcpy (p, fields[i], lengths[i]);
      p += lengths[i];
    }
  if (payload_len > 0)
    memcpy (p, payload, payload_len);

  return g_bytes_new_take (frame, total);
}

JsonObject *
tandem_message_get_payload_object (const TandemMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  if (message->payload == NULL || !JSON_NODE_HOLDS_OBJECT (message->payload))
    return NULL;

  return json_node_get_object (message->payload);
}

JsonNode *
tandem_message_parse_user_payload (const TandemMessage  *message,
                                   GError              **error)
{
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (message != NULL, NULL);

  if (!message->is_user_broadcast || !message->user_payload_is_json || message->user_payload == NULL)
    {
      g_set_error_literal (error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON,
                           "A binary user payload has no JSON form");
      return NULL;
    }
  data = g_bytes_get_data (message->user_payload, &length);
  if (message->user_payload_valid)
    return tandem_json_parse_valid (data, length);
  return tandem_json_parse (data, length, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_INVALID_JSON, error);
}
