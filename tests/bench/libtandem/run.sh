#!/bin/bash
# tests/bench/libtandem/run.sh [BUILDDIR]: libtandem's receive rate, CPU per
# message and broadcast round trip, against realtime-js and the bare libsoup
# client, in one run, on one local tandem-server.
#
# Receive: for each round and each receiver (bare libsoup, TandemClient,
# realtime-js on Node), the receiver joins channel "bench" and prints
# "ready", and is stopped (SIGSTOP); one sender process (bench-client send:
# a bare libsoup client sending binary kind 3 broadcasts with ack,
# BENCH_WINDOW unacknowledged at most) sends BENCH_COUNT broadcasts, the
# same stream every time, which tandem-server fans out into the stopped
# receiver's socket; then the receiver continues (SIGCONT) and reports its
# rate and CPU per message from the first message to the last: what it
# takes to receive, decode and dispatch, with nothing else running. Medians
# over BENCH_ROUNDS rounds.
#
# Round trip: each client joins with broadcast self and sends one broadcast
# at a time, waiting for it to come back (BENCH_SAMPLES after 100 warm-up
# round trips), against tandem-server; the bare libsoup client also against
# bench-echo-server, the raw WebSocket echo.
#
# Needs a build with -Dbenchmarks=true (release: `meson setup _build-bench
# -Dbuildtype=release`), node and tests/interop/node_modules (npm ci).
# Bounded: every program stops by itself; 127.0.0.1 only.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

# A stopped receiver's stream must wait in its kernel socket buffer, not in
# the server (which would then set the pace while it drains): as root, run
# in a network namespace of our own (loopback only) whose TCP buffers hold
# the whole stream. Without root the figures are the server's drain rate.
if [ -z "${BENCH_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare > /dev/null; then
  export BENCH_NETNS=1
  exec unshare --net -- "$0" "$@"
fi
if [ -n "${BENCH_NETNS:-}" ]; then
  ip link set lo up
  sysctl -q -w net.ipv4.tcp_rmem="4096 134217728 134217728" net.ipv4.tcp_wmem="4096 134217728 134217728"
fi

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=$(cd "${1:-$top/_build-bench}" && pwd)
server="$build/src/server/tandem-server"
client="$build/tests/bench/libtandem/bench-client"
echo_server="$build/tests/bench/server/bench-echo-server"
count=${BENCH_COUNT:-200000}
rounds=${BENCH_ROUNDS:-3}
samples=${BENCH_SAMPLES:-2000}
window=${BENCH_WINDOW:-256}

for program in "$server" "$client" "$echo_server"; do
  [ -x "$program" ] || { echo "run.sh: $program is missing (build with -Dbenchmarks=true)" >&2; exit 1; }
done
[ -d "$top/tests/interop/node_modules/@supabase/realtime-js" ] || { echo "run.sh: run npm ci in tests/interop" >&2; exit 1; }

tmp=$(mktemp -d /tmp/tandem-bench-libtandem.XXXXXX)
chmod 711 "$tmp"
pids=()
cleanup () {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"$server" --data "$tmp/data" --listen 127.0.0.1:0 --output env --log-level warning \
  --max-events-per-second 100000000 --max-joins-per-second 100000 > "$tmp/env" 2> "$tmp/log" &
pids+=($!)
for _ in $(seq 300); do
  grep -q '^SERVICE_ROLE_KEY=' "$tmp/env" 2> /dev/null && break
  sleep 0.2
done
# shellcheck disable=SC1091
source "$tmp/env"
ws_base="${API_URL/http/ws}/realtime/v1"
ws_url="$ws_base/websocket"

"$echo_server" --max-seconds 3600 > "$tmp/echo" &
pids+=($!)
for _ in $(seq 100); do grep -q '^PORT=' "$tmp/echo" 2> /dev/null && break; sleep 0.1; done
echo_url="ws://127.0.0.1:$(sed -n 's/^PORT=//p' "$tmp/echo")/realtime/v1/websocket"

field () { sed -n "s/.*\b$2=\([0-9.]*\).*/\1/p" <<< "$1"; }

receive_once () {  # receiver -> its result line
  local out="$tmp/receiver.out"
  : > "$out"
  case $1 in
    realtime-js) (cd "$here" && exec node bench-client.mjs receive "$ws_base" "$ANON_KEY" "$count") > "$out" 2>&1 & ;;
    *) "$client" receive --client "$1" --url "$ws_url" --key "$ANON_KEY" --count "$count" > "$out" 2>&1 & ;;
  esac
  local receiver=$!
  for _ in $(seq 200); do grep -q '^ready' "$out" && break; sleep 0.1; done
  grep -q '^ready' "$out" || { cat "$out" >&2; exit 1; }
  # The whole stream waits in the server while the receiver is stopped, so
  # the receiver then reads as fast as it can decode: its own rate, not the
  # sender's. (The sender takes a few seconds, well inside the server's
  # 60 s idle timeout.)
  kill -STOP "$receiver"
  "$client" send --url "$ws_url" --key "$ANON_KEY" --count "$count" --window "$window" > /dev/null
  kill -CONT "$receiver"
  wait "$receiver" || { cat "$out" >&2; exit 1; }
  grep '^received=' "$out"
}

declare -A results
receivers=(soup tandem realtime-js)
for round in $(seq "$rounds"); do
  for r in "${receivers[@]}"; do
    results[$r,$round]=$(receive_once "$r")
  done
done

median () {  # receiver -> the line of the round with the median rate
  for round in $(seq "$rounds"); do
    line=${results[$1,$round]}
    echo "$(field "$line" rate) $line"
  done | sort -n | sed -n "$(( (rounds + 1) / 2 ))p" | cut -d' ' -f2-
}

echo
echo "libtandem receive: $count broadcasts (kind 4 frames, 42-byte JSON payload) from another process through tandem-server, one receiver at a time"
echo "$(nproc) CPUs, median of $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BENCH_NETNS:-}" ]; then
  echo "(own network namespace, TCP buffers of 128 MiB: each receiver drains the whole stream from its socket)"
else
  echo "(not root: the stream drains from the server, which may set the pace)"
fi
echo
floor_rate=$(field "$(median soup)" rate)
printf '| %-34s | %10s | %12s | %13s |\n' receiver "msg/s" "CPU µs/msg" "vs libsoup"
printf '|%s|%s|%s|%s|\n' "------------------------------------" ------------ -------------- ---------------
for r in "${receivers[@]}"; do
  line=$(median "$r")
  case $r in
    soup) label="bare libsoup client (floor)" ;;
    tandem) label="TandemClient (broadcast::m signal)" ;;
    realtime-js) label="realtime-js 2.109 on Node $(node --version)" ;;
  esac
  ratio=$(awk -v a="$(field "$line" rate)" -v b="$floor_rate" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  printf '| %-34s | %10s | %12s | %13s |\n' "$label" "$(field "$line" rate)" "$(field "$line" cpu_us_per_msg)" "$ratio"
done

echo
echo "Broadcast round trip (self broadcast, one in flight, $samples samples after 100 warm-up)"
echo
printf '| %-44s | %8s | %8s |\n' "client -> server" "p50 ms" "p99 ms"
printf '|%s|%s|%s|\n' "----------------------------------------------" ---------- ----------
rtt_row () {  # label line
  printf '| %-44s | %8s | %8s |\n' "$1" "$(field "$2" p50_ms)" "$(field "$2" p99_ms)"
}
rtt_row "bare libsoup -> bench-echo-server (raw echo)" \
  "$("$client" rtt --client soup --url "$echo_url" --key bench --samples "$samples")"
rtt_row "bare libsoup -> tandem-server" \
  "$("$client" rtt --client soup --url "$ws_url" --key "$ANON_KEY" --samples "$samples")"
rtt_row "TandemClient -> tandem-server" \
  "$("$client" rtt --client tandem --url "$ws_url" --key "$ANON_KEY" --samples "$samples")"
rtt_row "realtime-js -> tandem-server" \
  "$(cd "$here" && node bench-client.mjs rtt "$ws_base" "$ANON_KEY" "$samples")"
