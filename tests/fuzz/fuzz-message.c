/* fuzz-message.c: libFuzzer target for the Realtime message codec
 *
 * Every input is decoded as a v1 text frame, a v2 text frame and a binary
 * frame. Decoding must give a message or a TANDEM_MESSAGE_ERROR; whatever
 * decodes must encode again, and the encoding must decode to the same
 * message. Any GLib warning or critical is a failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem-json-private.h"
#include "tandem-message.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_error (GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == TANDEM_MESSAGE_ERROR);
  g_assert_cmpint (error->code, >=, TANDEM_MESSAGE_ERROR_INVALID_JSON);
  g_assert_cmpint (error->code, <=, TANDEM_MESSAGE_ERROR_FIELD_TOO_LONG);
  g_assert_nonnull (error->message);
}

static void
check_same_payload (const TandemMessage *a,
                    const TandemMessage *b)
{
  g_assert_nonnull (a->payload);
  g_assert_nonnull (b->payload);
  g_assert_true (json_node_equal (a->payload, b->payload));
}

/* Encodes @message as text and checks that it reads back the same. */
static void
check_text_round_trip (const TandemMessage *message,
                       TandemSerializer     serializer,
                       gboolean             for_server)
{
  g_autoptr(GBytes) bytes = tandem_message_encode_text (message, serializer, for_server);
  g_autoptr(TandemMessage) back = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize len = 0;

  /* Only a binary user payload has no text form. */
  if (bytes == NULL)
    {
      g_assert_true (message->is_user_broadcast);
      g_assert_false (message->user_payload_is_json);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  back = tandem_message_decode_text (serializer, data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  g_assert_cmpstr (back->topic, ==, message->topic);
  g_assert_cmpstr (back->event, ==, message->event);
  g_assert_cmpstr (back->ref, ==, message->ref);
  if (serializer == TANDEM_SERIALIZER_V1 && for_server)
    g_assert_null (back->join_ref);
  else
    g_assert_cmpstr (back->join_ref, ==, message->join_ref);
  g_assert_false (back->is_user_broadcast);

  if (message->payload != NULL)
    {
      check_same_payload (message, back);
    }
  else
    {
      g_autoptr(TandemMessage) logical = tandem_message_copy (message);

      g_assert_true (tandem_message_ensure_payload (logical, &error));
      g_assert_no_error (error);
      check_same_payload (logical, back);
    }
}

static void
check_text (TandemSerializer  serializer,
            const uint8_t    *data,
            size_t            size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(TandemMessage) copy = NULL;

  message = tandem_message_decode_text (serializer, (const char *) data, size, &error);
  if (message == NULL)
    {
      check_error (error);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (message->topic);
  g_assert_nonnull (message->event);
  g_assert_nonnull (message->payload);
  g_assert_false (message->is_user_broadcast);
  g_assert_true (g_utf8_validate (message->topic, -1, NULL));

  for (guint s = 0; s < 2; s++)
    {
      check_text_round_trip (message, s == 0 ? TANDEM_SERIALIZER_V1 : TANDEM_SERIALIZER_V2, FALSE);
      check_text_round_trip (message, s == 0 ? TANDEM_SERIALIZER_V1 : TANDEM_SERIALIZER_V2, TRUE);
    }

  copy = tandem_message_copy (message);
  check_same_payload (message, copy);
  (void) tandem_message_get_payload_object (message);
}

static void
check_binary_round_trip (const TandemMessage *message,
                         TandemBinaryKind     kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = tandem_message_encode_binary (message, kind, &error);
  g_autoptr(TandemMessage) back = NULL;

  /* Decoded fields are at most 255 bytes, so this cannot fail. */
  g_assert_no_error (error);
  g_assert_nonnull (frame);

  back = tandem_message_decode_binary_bytes (frame, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  g_assert_cmpstr (back->topic, ==, message->topic);
  g_assert_cmpstr (back->user_event, ==, message->user_event);
  g_assert_cmpstr (back->metadata, ==, message->metadata);
  g_assert_cmpint (back->user_payload_is_json, ==, message->user_payload_is_json);
  g_assert_true (g_bytes_equal (back->user_payload, message->user_payload));
  if (kind == TANDEM_BINARY_KIND_USER_BROADCAST_PUSH)
    {
      g_assert_cmpstr (back->join_ref, ==, message->join_ref);
      g_assert_cmpstr (back->ref, ==, message->ref);
    }
  else
    {
      g_assert_null (back->join_ref);
      g_assert_null (back->ref);
    }
}

static void
check_binary (const uint8_t *data,
              size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(TandemMessage) sliced = NULL;
  g_autoptr(GBytes) bytes = NULL;

  message = tandem_message_decode_binary (data, size, &error);

  /* The GBytes variant must agree exactly. */
  bytes = g_bytes_new (data, size);
  {
    g_autoptr(GError) bytes_error = NULL;

    sliced = tandem_message_decode_binary_bytes (bytes, &bytes_error);
    g_assert_true ((sliced == NULL) == (message == NULL));
    if (message == NULL)
      {
        check_error (error);
        g_assert_cmpint (bytes_error->code, ==, error->code);
        return;
      }
    g_assert_no_error (bytes_error);
  }

  g_assert_true (message->is_user_broadcast);
  g_assert_cmpstr (message->event, ==, "broadcast");
  g_assert_null (message->payload);
  g_assert_true (g_bytes_equal (message->user_payload, sliced->user_payload));

  check_binary_round_trip (message, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH);
  check_binary_round_trip (message, TANDEM_BINARY_KIND_USER_BROADCAST);

  for (guint s = 0; s < 2; s++)
    {
      check_text_round_trip (message, s == 0 ? TANDEM_SERIALIZER_V1 : TANDEM_SERIALIZER_V2, FALSE);
      check_text_round_trip (message, s == 0 ? TANDEM_SERIALIZER_V1 : TANDEM_SERIALIZER_V2, TRUE);
    }

  /* JSON payloads were validated while decoding, so this cannot fail. */
  if (message->user_payload_is_json)
    {
      g_assert_true (tandem_message_ensure_payload (message, &error));
      g_assert_no_error (error);
      g_assert_nonnull (tandem_message_get_payload_object (message));
    }
  else
    {
      g_assert_false (tandem_message_ensure_payload (message, &error));
      check_error (error);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical means a precondition failed inside the codec: a bug. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

/* The in-place reader agrees with decode_binary on kind 4 frames: the same
 * fields, and the same verdict except on the payload's JSON, which it does
 * not read. */
static void
check_peek (const uint8_t *data,
            size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) peek_error = NULL;
  g_autoptr(TandemMessage) message = NULL;
  TandemUserBroadcastView view;
  gboolean peeked;

  if (size == 0 || data[0] != TANDEM_BINARY_KIND_USER_BROADCAST)
    return;
  message = tandem_message_decode_binary (data, size, &error);
  peeked = tandem_message_peek_user_broadcast (data, size, &view, &peek_error);
  if (message != NULL)
    {
      g_assert_true (peeked);
      g_assert_cmpuint (strlen (message->topic), ==, view.topic_len);
      g_assert_true (memcmp (message->topic, view.topic, view.topic_len) == 0);
      g_assert_cmpuint (strlen (message->user_event), ==, view.event_len);
      g_assert_true (memcmp (message->user_event, view.event, view.event_len) == 0);
      g_assert_cmpuint (message->metadata ? strlen (message->metadata) : 0, ==, view.metadata_len);
      g_assert_cmpint (message->user_payload_is_json, ==, view.payload_is_json);
      g_assert_cmpuint (g_bytes_get_size (message->user_payload), ==, view.payload_len);
      g_assert_true (view.payload_len == 0 ||
                     memcmp (g_bytes_get_data (message->user_payload, NULL), view.payload, view.payload_len) == 0);
    }
  else if (peeked)
    /* only a payload that is not JSON tells them apart */
    g_assert_true (view.payload_is_json &&
                   !tandem_json_validate ((const char *) view.payload, view.payload_len, NULL, NULL));
  else
    check_error (peek_error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_text (TANDEM_SERIALIZER_V1, data, size);
  check_text (TANDEM_SERIALIZER_V2, data, size);
  check_binary (data, size);
  check_peek (data, size);
  return 0;
}
