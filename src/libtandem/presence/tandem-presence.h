/* tandem-presence.h: who is on a channel, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/* One presence key and its metas (one per tracked connection: a person on
 * two devices is one entry with two metas). */
#define TANDEM_TYPE_PRESENCE_ENTRY (tandem_presence_entry_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemPresenceEntry, tandem_presence_entry, TANDEM, PRESENCE_ENTRY, GObject)

TANDEM_EXPORT
const char *tandem_presence_entry_get_key       (TandemPresenceEntry *self);
/* Each meta is the tracked state plus "phx_ref" (the server's id of that
 * track). Transfer none; replaced, never mutated, when the metas change. */
TANDEM_EXPORT
JsonArray  *tandem_presence_entry_get_metas     (TandemPresenceEntry *self);
TANDEM_EXPORT
guint       tandem_presence_entry_get_n_metas   (TandemPresenceEntry *self);
/* The newest meta (the last one), the one to show. */
TANDEM_EXPORT
JsonObject *tandem_presence_entry_get_latest    (TandemPresenceEntry *self);
/* A string member of the newest meta, or NULL. */
TANDEM_EXPORT
const char *tandem_presence_entry_get_string    (TandemPresenceEntry *self,
                                                 const char          *member);

/* The presence state of a channel: a GListModel of TandemPresenceEntry in
 * the order keys first appeared. */
#define TANDEM_TYPE_PRESENCE (tandem_presence_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemPresence, tandem_presence, TANDEM, PRESENCE, GObject)

TANDEM_EXPORT
TandemPresenceEntry *tandem_presence_lookup     (TandemPresence *self,
                                                 const char     *key);
/* {key: [meta, …]} as realtime-js's presenceState() returns it (phx_ref
 * renamed presence_ref). Transfer full. */
TANDEM_EXPORT
JsonObject          *tandem_presence_dup_state  (TandemPresence *self);

G_END_DECLS
