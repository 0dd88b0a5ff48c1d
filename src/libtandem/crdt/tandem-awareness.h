/* tandem-awareness.h: the y-protocols awareness protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A remote state not renewed within this time is dropped (ms). */
#define TANDEM_AWARENESS_OUTDATED_TIMEOUT 30000

#define TANDEM_TYPE_AWARENESS (tandem_awareness_get_type ())
G_DECLARE_FINAL_TYPE (TandemAwareness, tandem_awareness, TANDEM, AWARENESS, GObject)

/**
 * TandemAwarenessTimeFunc:
 * @user_data: user data
 *
 * Returns: the current time in milliseconds (any fixed epoch)
 */
typedef gint64 (*TandemAwarenessTimeFunc) (gpointer user_data);

TandemAwareness *tandem_awareness_new               (guint64          client_id);
guint64          tandem_awareness_get_client_id     (TandemAwareness *self);
JsonNode        *tandem_awareness_get_local_state   (TandemAwareness *self);
void             tandem_awareness_set_local_state   (TandemAwareness *self,
                                                     JsonNode        *state);
void             tandem_awareness_set_local_state_field (TandemAwareness *self,
                                                         const char      *field,
                                                         JsonNode        *value);
JsonNode        *tandem_awareness_get_state         (TandemAwareness *self,
                                                     guint64          client_id);
guint            tandem_awareness_get_clock         (TandemAwareness *self,
                                                     guint64          client_id);
GArray          *tandem_awareness_get_clients       (TandemAwareness *self);
GBytes          *tandem_awareness_encode_update     (TandemAwareness *self,
                                                     const guint64   *clients,
                                                     guint            n_clients);
gboolean         tandem_awareness_apply_update      (TandemAwareness *self,
                                                     const guint8    *update,
                                                     gsize            len,
                                                     gpointer         origin,
                                                     GError         **error);
void             tandem_awareness_remove_states     (TandemAwareness *self,
                                                     const guint64   *clients,
                                                     guint            n_clients,
                                                     gpointer         origin);
void             tandem_awareness_check              (TandemAwareness *self);
void             tandem_awareness_set_time_func     (TandemAwareness        *self,
                                                     TandemAwarenessTimeFunc func,
                                                     gpointer                user_data);

G_END_DECLS
