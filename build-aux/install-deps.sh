#!/usr/bin/env bash
# Installs what building and testing Tandem needs on Debian 12: the packages
# in build-aux/debian-packages.txt, Node.js if there is none, and the pinned
# npm packages of the interop tests (npm ci, from the committed lock file).
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mapfile -t packages < <(grep -v '^\s*#' "$top/build-aux/debian-packages.txt" | sed '/^\s*$/d')

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" != "--no-npm" ]; then
  (cd "$top/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
fi
