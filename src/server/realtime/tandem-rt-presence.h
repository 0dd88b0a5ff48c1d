/* tandem-rt-presence.h: the presence state of one topic
 *
 * Phoenix Presence semantics (protocol.md §4): a key groups metas, one meta
 * per tracking channel, each meta told apart by a unique `phx_ref`.
 * Re-tracking a changed payload is an update: one diff with a join (new meta,
 * `phx_ref_prev` = old ref) and a leave (old meta). Pure data: no I/O, so it
 * is unit-tested on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-rt-types.h"

G_BEGIN_DECLS

TandemRtPresence *tandem_rt_presence_new        (void);
void              tandem_rt_presence_free       (TandemRtPresence *self);

/* Tracks @meta for @owner (one meta per owner) under @key. Returns the
 * presence_diff payload to fan out, or NULL when nothing changed (the same
 * payload tracked again). */
JsonObject       *tandem_rt_presence_track      (TandemRtPresence *self,
                                                 gconstpointer     owner,
                                                 const char       *key,
                                                 JsonObject       *meta);
/* Removes @owner's meta. Returns the diff, or NULL when it had none. */
JsonObject       *tandem_rt_presence_untrack    (TandemRtPresence *self,
                                                 gconstpointer     owner);
/* {key: {"metas": [meta…]}} for presence_state. */
JsonObject       *tandem_rt_presence_dup_state  (TandemRtPresence *self);
gboolean          tandem_rt_presence_has_owner  (TandemRtPresence *self,
                                                 gconstpointer     owner);
guint             tandem_rt_presence_get_n_metas (TandemRtPresence *self);

/* A new opaque, unique reference ("F…", 16 characters). */
char             *tandem_rt_presence_new_ref    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRtPresence, tandem_rt_presence_free)

G_END_DECLS
