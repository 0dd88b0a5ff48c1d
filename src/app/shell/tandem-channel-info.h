/* tandem-channel-info.h: one channel's line of the Connection Monitor, from
 * tandem_client_get_debug_info(); updated in place so rows keep their place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CHANNEL_INFO (tandem_channel_info_get_type ())
G_DECLARE_FINAL_TYPE (TandemChannelInfo, tandem_channel_info, TANDEM, CHANNEL_INFO, GObject)

TandemChannelInfo *tandem_channel_info_new             (const char        *name);
const char        *tandem_channel_info_get_name        (TandemChannelInfo *self);
/* From a `channels` element of the debug info, and the client's heartbeat
 * round trip (ms, or -1). Notifies only what changed. */
void               tandem_channel_info_update          (TandemChannelInfo *self,
                                                        JsonObject        *channel,
                                                        gint64             heartbeat_rtt_ms);
const char        *tandem_channel_info_get_status      (TandemChannelInfo *self);
guint64            tandem_channel_info_get_messages_in (TandemChannelInfo *self);

G_END_DECLS
