#!/bin/sh
# run.sh: the line chart's frame cost (on demand, never part of CI's
# pass/fail)
#
#   tests/bench/app/run.sh [BUILDDIR] [bench-chart options...]
#
# Configures BUILDDIR (default _build-bench-app next to the source tree) as
# a release build with the benchmarks if it is not configured yet, builds
# bench-chart, and runs it under Xvfb with GSK's cairo renderer (the
# software one): 3 series of 10,000 and of 1,000,000 points, 60 updates a
# second, median and p99 of the time to build each frame's snapshot and to
# render it offscreen at 800 × 300, against the same chart stroking every
# point (see bench-chart.c). The last frames are saved as PNGs in
# BUILDDIR/tests/bench/app/. Options after BUILDDIR go to bench-chart
# (`BUILDDIR/tests/bench/app/bench-chart --help`).
#
# Other load on the machine skews a p99: before each attempt it waits up to
# BENCH_QUIET_WAIT seconds (default 60) for the rest of the machine to use
# less than a quarter of a core, and an attempt during which it used more
# than BENCH_MAX_OTHER_CPU % of a core (default 30) is repeated, up to
# BENCH_ATTEMPTS in all (default 3), keeping the least disturbed one; the
# output says which. Bounded: every program stops by itself.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${1:-$top/_build-bench-app}
[ $# -gt 0 ] && shift
attempts=${BENCH_ATTEMPTS:-3}
quiet_wait=${BENCH_QUIET_WAIT:-60}
max_other=${BENCH_MAX_OTHER_CPU:-30}

for program in meson ninja xvfb-run; do
  command -v "$program" > /dev/null || { echo "run.sh: $program is missing" >&2; exit 1; }
done

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" -Dbuildtype=release -Dbenchmarks=true
fi
ninja -j2 -C "$build" tests/bench/app/bench-chart
bench="$build/tests/bench/app/bench-chart"
[ -x "$bench" ] || { echo "run.sh: $bench was not built (is the app built? -Dgui)" >&2; exit 1; }
pngs="$build/tests/bench/app"

# The CPU the rest of the machine uses, in % of one core, over a second.
busy () { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
other_cpu () {
  a=$(busy); sleep 1; b=$(busy)
  echo $(( (b - a) * 100 / $(getconf CLK_TCK) ))
}
wait_quiet () {
  waited=0
  while [ "$waited" -lt "$quiet_wait" ]; do
    [ "$(other_cpu)" -lt 25 ] && return 0
    waited=$((waited + 1))
  done
  echo "(the machine did not get quiet in ${quiet_wait} s)"
}

tmp=$(mktemp -d /tmp/tandem-bench-app.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The window is drawn by the cairo renderer too; no GL, no Vulkan, no
# accessibility bus, no dconf.
run () {
  env GSK_RENDERER=cairo GDK_DISABLE=vulkan GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory \
    xvfb-run -a -s "-screen 0 1280x1024x24" "$bench" "$@"
}

best=
best_other=
n=0
while [ "$n" -lt "$attempts" ]; do
  n=$((n + 1))
  wait_quiet
  mkdir "$tmp/png.$n"
  run --png-dir "$tmp/png.$n" "$@" > "$tmp/out.$n" 2>&1 || { cat "$tmp/out.$n" >&2; exit 1; }
  other=$(sed -n 's/^summary: other_cpu_percent=\([0-9]*\).*/\1/p' "$tmp/out.$n")
  other=${other:-0}
  echo "attempt $n: $(grep '^summary:' "$tmp/out.$n")"
  if [ -z "$best" ] || [ "$other" -lt "$best_other" ]; then
    best=$n
    best_other=$other
  fi
  [ "$other" -le "$max_other" ] && break
done

if [ "$n" -gt 1 ]; then
  echo "(attempt $best of $n, the least disturbed)"
fi
grep -v '^wrote ' "$tmp/out.$best"
echo "images:"
for png in "$tmp/png.$best"/*.png; do
  cp "$png" "$pngs"/
  echo "  $pngs/$(basename "$png")"
done
echo
echo "command: GSK_RENDERER=cairo GDK_DISABLE=vulkan GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory" \
  "xvfb-run -a -s \"-screen 0 1280x1024x24\" $bench --png-dir $pngs $*"
