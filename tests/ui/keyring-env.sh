#!/bin/sh
# keyring-env.sh PROGRAM [ARGS…]: runs a test program in a throwaway home
# (HOME, XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_RUNTIME_DIR
# inside it) on a private session bus with an unlocked gnome-keyring, so
# libsecret is the real thing; the home is removed afterwards, also when the
# test fails. The program's exit status is the script's.
set -u

base=$(mktemp -d "${TMPDIR:-/tmp}/tandem-ui-XXXXXX") || exit 99
trap 'rm -rf "$base"' EXIT
trap 'exit 130' INT TERM
# As root, tandem-server runs PostgreSQL as `postgres`, which must be able
# to pass through to the data folders.
chmod 711 "$base"
mkdir -p "$base/home" "$base/data" "$base/config" "$base/cache" "$base/run"
chmod 711 "$base/home" "$base/data"
chmod 700 "$base/run"

export HOME="$base/home"
export XDG_DATA_HOME="$base/data"
export XDG_CONFIG_HOME="$base/config"
export XDG_CACHE_HOME="$base/cache"
export XDG_RUNTIME_DIR="$base/run"

dbus-run-session -- sh -c '
  echo -n tandem-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 99
  exec "$@"' sh "$@"
