#!/bin/bash
# tests/bench/rest/run.sh [BUILDDIR]: REST throughput and latency against its
# libpq floor, in the same run.
#
# Starts tandem-server with its own PostgreSQL (--data in a temporary
# folder), makes public.bench_items (10000 rows, 200 groups of 50, an index
# on grp), then, for each scenario, alternates over BENCH_ROUNDS rounds:
#
#   REST   wrk on loopback, BENCH_CONNECTIONS connections, 2 threads:
#            get   GET /rest/v1/bench_items?grp=eq.<random group> (50 rows)
#            post  POST one row with Prefer: return=representation
#   floor  bench-rest-floor: the same statement (built by the REST modules)
#          over libpq, as many connections, the server's unix socket
#
# and prints the medians (by requests per second) of each. Needs wrk and psql
# (Debian: wrk, postgresql-client), python3, and a build with
# -Dbenchmarks=true.
# Environment: BENCH_DURATION (s, default 10), BENCH_ROUNDS (default 3),
# BENCH_CONNECTIONS (default 32).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../../_build}" && pwd)
server="$build/src/server/tandem-server"
floor="$build/tests/bench/rest/bench-rest-floor"
duration=${BENCH_DURATION:-10}
rounds=${BENCH_ROUNDS:-3}
connections=${BENCH_CONNECTIONS:-32}

for tool in wrk psql; do
  command -v "$tool" > /dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done
for program in "$server" "$floor"; do
  [ -x "$program" ] || { echo "run.sh: $program is missing (build with -Dbenchmarks=true)" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/tandem-bench-rest.XXXXXX)
# As root, PostgreSQL runs as "postgres", which must reach data/ inside.
chmod 711 "$tmp"
server_pid=
cleanup () {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$server" --data "$tmp/data" --listen 127.0.0.1:0 --output env > "$tmp/env" 2> "$tmp/log" &
server_pid=$!
for _ in $(seq 300); do
  grep -q '^SERVICE_ROLE_KEY=' "$tmp/env" 2> /dev/null && break
  kill -0 "$server_pid" 2> /dev/null || { cat "$tmp/log" >&2; exit 1; }
  sleep 0.2
done
# shellcheck disable=SC1091
source "$tmp/env"
export TANDEM_ANON_KEY="$ANON_KEY"

psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" > /dev/null <<'SQL'
CREATE TABLE public.bench_items (
  id bigserial PRIMARY KEY, grp int NOT NULL, name text NOT NULL, price numeric(10, 2),
  tags text[], meta jsonb, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO public.bench_items (grp, name, price, tags, meta)
  SELECT g % 200, 'item ' || g, (g % 1000) / 10.0, ARRAY['t' || g % 7, 'x'],
         jsonb_build_object('g', g, 'even', g % 2 = 0)
  FROM generate_series(1, 10000) g;
CREATE INDEX ON public.bench_items (grp);
ANALYZE public.bench_items;
SQL

# Both sides check they do what they should before measuring.
rows=$(python3 -c 'import json, sys, urllib.request as u
print(len(json.load(u.urlopen(u.Request(sys.argv[1], headers={"apikey": sys.argv[2]})))))' \
       "$API_URL/rest/v1/bench_items?grp=eq.42" "$ANON_KEY")
[ "$rows" = 50 ] || { echo "run.sh: expected 50 rows, got $rows" >&2; exit 1; }

rest_run () {  # scenario seconds
  wrk -t2 -c"$connections" -d"$2"s -s "$here/$1.lua" "$API_URL" | grep '^rps='
}
floor_run () {  # scenario seconds
  "$floor" --conninfo "$DB_URL" --mode "$1" --connections "$connections" --duration "$2" --warmup 1
}
field () {  # line name
  sed -n "s/.*\b$2=\([0-9.]*\).*/\1/p" <<< "$1"
}

for scenario in get post; do
  rest_run "$scenario" 3 > /dev/null
  floor_run "$scenario" 2 > /dev/null
done

declare -A results
for round in $(seq "$rounds"); do
  for scenario in get post; do
    results[rest,$scenario,$round]=$(rest_run "$scenario" "$duration")
    errors=$(field "${results[rest,$scenario,$round]}" errors)
    [ "$errors" = 0 ] || { echo "run.sh: $errors failed REST requests ($scenario)" >&2; exit 1; }
    results[floor,$scenario,$round]=$(floor_run "$scenario" "$duration")
  done
done

median () {  # side scenario: the line of the round with the median rps
  for round in $(seq "$rounds"); do
    line=${results[$1,$2,$round]}
    echo "$(field "$line" rps) $line"
  done | sort -n | sed -n "$(( (rounds + 1) / 2 ))p" | cut -d' ' -f2-
}

echo
echo "REST (tandem-server /rest/v1, wrk -t2 -c$connections) vs libpq floor (same statement, $connections connections)"
echo "$(nproc) CPUs, ${duration}s per run, median of $rounds alternating rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-44s | %9s | %8s | %8s | %9s | %8s | %8s | %7s |\n' \
  scenario "REST rps" "p50 ms" "p99 ms" "libpq rps" "p50 ms" "p99 ms" "ratio"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" -----------  ---------- ---------- ----------- ---------- ---------- ---------
for scenario in get post; do
  rest=$(median rest "$scenario")
  base=$(median floor "$scenario")
  case $scenario in
    get) label="GET 50 rows by filter (grp=eq.N)" ;;
    post) label="POST 1 row, return=representation" ;;
  esac
  ratio=$(awk -v a="$(field "$rest" rps)" -v b="$(field "$base" rps)" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  printf '| %-44s | %9s | %8s | %8s | %9s | %8s | %8s | %7s |\n' "$label" \
    "$(field "$rest" rps)" "$(field "$rest" p50_ms)" "$(field "$rest" p99_ms)" \
    "$(field "$base" rps)" "$(field "$base" p50_ms)" "$(field "$base" p99_ms)" "$ratio"
done
