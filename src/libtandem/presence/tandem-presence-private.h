/* tandem-presence-private.h: what TandemChannel feeds its TandemPresence
 *
 * Phoenix presence semantics (protocol.md §4.3): presence_state replaces the
 * state (computing joins and leaves against the current one), diffs that
 * arrive before the state of the current join are held and applied after
 * it, metas are told apart by phx_ref. Emits ::join and ::leave per key as
 * phoenix.js's onJoin/onLeave do, then ::sync once per state or diff; the
 * list model changes (items-changed) before ::sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-presence.h"

G_BEGIN_DECLS

TandemPresence *_tandem_presence_new           (void);
/* A new join began (every rejoin has a new join_ref): diffs wait for the
 * state that belongs to it. */
void            _tandem_presence_set_join_ref  (TandemPresence *self,
                                                const char     *join_ref);
/* @state: the presence_state payload {key: {"metas": [...]}}. Malformed
 * entries are skipped (returns FALSE if anything was). */
gboolean        _tandem_presence_handle_state  (TandemPresence *self,
                                                JsonObject     *state);
/* @diff: the presence_diff payload {"joins": {...}, "leaves": {...}}. */
gboolean        _tandem_presence_handle_diff   (TandemPresence *self,
                                                JsonObject     *diff);
/* Everyone leaves (the channel closed): emits leaves and sync if the state
 * was not empty. */
void            _tandem_presence_clear         (TandemPresence *self);

/* Shared by tandem-presence.c and tandem-presence-entry.c. Metas arrays
 * and meta objects in a state are sealed, so entries and diffs share
 * them. */

/* @metas: sealed; a reference is taken. */
TandemPresenceEntry *_tandem_presence_entry_new      (const char *key,
                                                      JsonArray  *metas);
/* A copy sharing no object or array with @node (json_node_copy() shares
 * them), and not sealed. */
JsonNode            *_tandem_presence_json_deep_copy (JsonNode   *node);
/* The string "phx_ref" of @meta, or NULL. */
const char          *_tandem_presence_meta_get_ref   (JsonObject *meta);
/* The metas of @metas whose phx_ref is not in @exclude, in order (new,
 * sealed). */
JsonArray           *_tandem_presence_metas_without  (JsonArray  *metas,
                                                      JsonArray  *exclude);
/* @first then @second (new, sealed). */
JsonArray           *_tandem_presence_metas_concat   (JsonArray  *first,
                                                      JsonArray  *second);

G_END_DECLS
