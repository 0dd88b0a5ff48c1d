#!/bin/sh
# run.sh: tandem-server's on-demand benchmarks (never part of CI pass/fail)
#
#   tests/bench/server/run.sh [BUILDDIR] [broadcast|changes|all]
#
# Builds nothing: it runs the programs already built in BUILDDIR (default
# _build-bench next to the source tree; configure it with
# `meson setup _build-bench -Dbuildtype=release -Dbenchmarks=true` and build
# with `ninja -C _build-bench`) and prints one table per scenario, each
# followed by the exact command that produced it.
#
#   bench-broadcast  broadcast fan-out, tandem-server and the raw libsoup
#                    WebSocket floor (bench-echo-server) under the same load
#                    from the same generator: 500 clients, each in one echo
#                    channel and one group channel of 10, paced at 2 msg/s per
#                    channel (30 s), paced at the goal rate of 10 msg/s per
#                    channel (30 s, 55,000 deliveries/s offered), and a
#                    closed-loop saturation run (15 s).
#   bench-changes    postgres_changes: 1,000 committed INSERTs/s delivered to
#                    10 subscribers (20 s), commit-to-delivery latency.
#
# Extra options go through the environment, e.g.
#   BENCH_BROADCAST_ARGS="--duration 10 --saturation-duration 5" \
#   BENCH_CHANGES_ARGS="--duration 10" tests/bench/server/run.sh
# (`BUILDDIR/tests/bench/server/bench-broadcast --help` lists them.) Every run
# is bounded in time and uses 127.0.0.1 only.
#
# Other load on the machine skews the numbers: each table reports the CPU the
# rest of the machine used ("other CPU %"), and before each run the programs
# wait up to BENCH_QUIET_WAIT seconds (default 120) for it to drop below 25 %
# of one core, and a run during which it used more than 30 % of a core is
# repeated, up to BENCH_ATTEMPTS times in all (default 3), keeping the least
# disturbed attempt (the tables say so when that happened). On a shared machine, BENCH_NICE=-15 (root only) runs the
# generator and, as its children, the servers and PostgreSQL at that nice
# level so that other jobs disturb them less; it is off by default and shows
# in the printed command.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$here/../../.." && pwd)
builddir=${1:-$source_root/_build-bench}
which=${2:-all}
builddir=$(cd "$builddir" && pwd)

bindir=$builddir/tests/bench/server
server=$builddir/src/server/tandem-server

for program in "$server" "$bindir/bench-broadcast" "$bindir/bench-echo-server" "$bindir/bench-changes"; do
  if [ ! -x "$program" ]; then
    echo "run.sh: $program is missing; build it first (ninja -C $builddir)" >&2
    exit 1
  fi
done

case $which in
  broadcast|changes|all) ;;
  *) echo "run.sh: unknown benchmark '$which' (broadcast, changes or all)" >&2; exit 2 ;;
esac

quiet_wait=${BENCH_QUIET_WAIT:-120}
attempts=${BENCH_ATTEMPTS:-3}
nice_prefix=
if [ -n "${BENCH_NICE:-}" ]; then
  nice_prefix="nice -n $BENCH_NICE"
fi

run () {
  echo
  echo "\$ $*"
  "$@"
}

echo "tandem-server benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -r)"
echo "server: $server"

if [ "$which" = all ] || [ "$which" = broadcast ]; then
  # shellcheck disable=SC2086 # word splitting of the extra options is wanted
  run $nice_prefix "$bindir/bench-broadcast" --server "$server" --echo-server "$bindir/bench-echo-server" \
    --clients 500 --group-size 10 --rate 2 --goal-rate 10 --duration 30 --saturation-duration 15 \
    --window 2 --warmup 2 --payload-bytes 100 \
    --max-events-per-second 1000000 --max-joins-per-second 100000 --quiet-wait "$quiet_wait" \
    --attempts "$attempts" --noise-limit 30 ${BENCH_BROADCAST_ARGS:-}
fi

if [ "$which" = all ] || [ "$which" = changes ]; then
  # shellcheck disable=SC2086
  run $nice_prefix "$bindir/bench-changes" --server "$server" \
    --subscribers 10 --rate 1000 --duration 20 --warmup 2 \
    --max-events-per-second 1000000 --max-joins-per-second 100000 --quiet-wait "$quiet_wait" \
    --attempts "$attempts" --noise-limit 30 ${BENCH_CHANGES_ARGS:-}
fi
