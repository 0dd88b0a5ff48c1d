#!/usr/bin/env bash
# The first command of the README: on a fresh Debian 12 machine, install what
# is missing, build, and start the local backend with its own PostgreSQL,
# printing its URL and keys. Stop it with Ctrl+C.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$top/_build"

"$top/build-aux/install-deps.sh" --no-npm
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" -Dtests=false
fi
ninja -C "$build"

exec "$build/src/server/tandem-server" "$@"
