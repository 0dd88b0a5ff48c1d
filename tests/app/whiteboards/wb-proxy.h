/* wb-proxy.h: a TCP forwarder a test can cut, to take one client offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _WbProxy WbProxy;

/* Listens on 127.0.0.1 (an ephemeral port) and forwards to @target_port,
 * on the thread-default main context. */
WbProxy *wb_proxy_new      (guint    target_port);
void     wb_proxy_free     (WbProxy *proxy);
guint    wb_proxy_get_port (WbProxy *proxy);
/* Closes every forwarded connection and refuses new ones until restored:
 * what a client sees when its network goes away. */
void     wb_proxy_cut      (WbProxy *proxy);
void     wb_proxy_restore  (WbProxy *proxy);

G_END_DECLS
