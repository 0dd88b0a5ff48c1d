/* tandem.h: libtandem, a GObject client for Supabase Realtime, PostgREST and
 * Auth, with a Yjs-compatible text CRDT
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define TANDEM_INSIDE

#include "tandem-macros.h"
#include "tandem-types.h"
#include "tandem-enums.h"
#include "tandem-client.h"
#include "tandem-channel.h"
#include "tandem-presence.h"
#include "tandem-change.h"
#include "tandem-session.h"
#include "tandem-auth.h"
#include "tandem-rest-error.h"
#include "tandem-query.h"
#include "tandem-outbox.h"

#undef TANDEM_INSIDE
