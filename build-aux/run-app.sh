#!/usr/bin/env bash
# The first command of the README: on a fresh Debian 12 machine, install what
# is missing, build, and start the app from the build folder. Its welcome
# page offers "Start a Local Workspace", which runs the tandem-server built
# here (with its own PostgreSQL under ~/.local/share/tandem) and a demo
# dashboard; "Connect to Supabase" takes a project's URL and anon key.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$top/_build"

"$top/build-aux/install-deps.sh" --no-npm
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" -Dtests=false -Dgui=enabled
fi
ninja -C "$build"

# Not installed: the schema is read from the build folder, and the app finds
# the tandem-server next to it.
export GSETTINGS_SCHEMA_DIR="$build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
export TANDEM_SERVER="$build/src/server/tandem-server"
exec "$build/src/app/tandem" "$@"
