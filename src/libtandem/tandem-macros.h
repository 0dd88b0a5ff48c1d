/* tandem-macros.h: symbol visibility for libtandem's public API
 *
 * libtandem is built with -fvisibility=hidden: only functions declared with
 * TANDEM_EXPORT are part of the shared library's ABI (and of the GIR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <glib.h>

#if defined(TANDEM_COMPILATION) && defined(__GNUC__)
# define TANDEM_EXPORT __attribute__((visibility ("default"))) extern
#else
# define TANDEM_EXPORT extern
#endif
