#!/usr/bin/env bash
# The second command of the README, and exactly what CI runs (.ci/run):
# install what is missing, build with warnings as errors, run every suite
# (under Xvfb, for the UI suite), build again with AddressSanitizer and
# UndefinedBehaviorSanitizer and run the unit, server and leak suites there, run
# the fuzz targets for a bounded time, and print one summary line.
set -uo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
logs=()
status=0

step() { printf '\n==> %s\n' "$*"; }

step "Installing dependencies"
build-aux/install-deps.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }

# CI starts from a clean clone; a developer's second run reuses the builds.
setup() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" || return 1
  else
    meson configure "$dir" "$@" >/dev/null || return 1
  fi
}

step "Build (warnings are errors)"
if setup _build -Dwerror=true -Dbuildtype=debugoptimized && ninja -C _build; then
  step "Tests: all suites"
  rm -f _build/meson-logs/testlog.json
  xvfb-run -a -s "-screen 0 1280x800x24" \
    meson test -C _build --no-rebuild --print-errorlogs --num-processes 2 --no-suite fuzz || status=1
  logs+=(_build/meson-logs/testlog.json)
else
  echo "build failed"; status=1
  logs+=(_build/meson-logs/testlog.json)
fi

step "Build with AddressSanitizer and UndefinedBehaviorSanitizer"
if setup _build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dbenchmarks=false && ninja -C _build-asan; then
  step "Tests under the sanitizers: unit, server and leak suites"
  rm -f _build-asan/meson-logs/testlog.json
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    meson test -C _build-asan --no-rebuild --print-errorlogs --num-processes 2 --suite unit --suite server --suite leak || status=1
  logs+=(_build-asan/meson-logs/testlog.json)
else
  echo "sanitizer build failed"; status=1
  logs+=(_build-asan/meson-logs/testlog.json)
fi

if command -v clang >/dev/null 2>&1; then
  step "Fuzzing (libFuzzer, bounded time)"
  if CC=clang setup _build-fuzz -Dfuzzing=enabled -Dbenchmarks=false -Dinterop=disabled && ninja -C _build-fuzz; then
    rm -f _build-fuzz/meson-logs/testlog.json
    meson test -C _build-fuzz --no-rebuild --print-errorlogs --suite fuzz || status=1
    logs+=(_build-fuzz/meson-logs/testlog.json)
  else
    echo "fuzz build failed"; status=1
    logs+=(_build-fuzz/meson-logs/testlog.json)
  fi
fi

step "Summary"
# Whatever happened above, the last line is the summary: stderr first
# (what is missing), and a line of our own if the counting itself failed.
summary=$(python3 build-aux/testlog-summary.py "${logs[@]}") || status=1
printf '%s\n' "$summary" | grep -v '^tests: '
line=$(printf '%s\n' "$summary" | grep '^tests: ' | tail -n 1)
[ -n "$line" ] || { line="tests: 0 passed, 1 failed"; status=1; }
printf '%s\n' "$line"
exit $status
