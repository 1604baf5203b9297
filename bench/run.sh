#!/usr/bin/env bash
# Benchmark of the aanbod endpoints: builds the release binary, loads a deterministic data set
# (2,000 organisations, 50,000 offers over all 304 municipalities) into SQLite and into
# PostgreSQL, drives the server with wrk over loopback and prints requests/s, p50/p99 latency,
# feed throughput and the server's peak RSS.
#
#   bash bench/run.sh            # both backends
#   bash bench/run.sh sqlite     # or: postgres
#
# Env: DURATION (s per scenario, default 15), CONNECTIONS (default 32), THREADS (default 2),
#      ORGS, AANBOD, PG_URL (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."

BACKENDS=${1:-all}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ORGS=${ORGS:-2000}
AANBOD=${AANBOD:-50000}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PORT=18080
OUT=bench/out
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  apt-get install -y --no-install-recommends wrk >/dev/null || sudo apt-get install -y --no-install-recommends wrk >/dev/null
fi
echo "building the release binary" >&2
cargo build --release --locked --quiet
BIN=target/release/pnt-api

SERVER_PID=
stop_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }
trap stop_server EXIT

run_backend() {
  local backend=$1 dir="$OUT/$1" url
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$backend" = postgres ]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS pnt_bench" -c "CREATE DATABASE pnt_bench" >/dev/null
    url="$PG_URL/pnt_bench"
  else
    url="sqlite://$dir/pnt.db"
  fi
  export DATABASE_URL="$url" PNT_DATA_DIR="$dir" PNT_BIND="127.0.0.1:$PORT" RUST_LOG=warn PNT_JWT_SECRET="bench-secret-bench-secret-bench-secret!!"
  "$BIN" serve > "$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
  local admin
  admin=$("$BIN" token --sub bench-admin --role admin --ttl 600)
  echo "[$backend] loading data" >&2
  python3 bench/dataset.py "http://127.0.0.1:$PORT" "$admin" "$dir" "$ORGS" "$AANBOD"
  # Steady state after a bulk load: statistics and visibility map as autovacuum would leave them.
  if [ "$backend" = postgres ]; then
    psql "$url" -qc "VACUUM ANALYZE" >/dev/null
  else
    python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('ANALYZE')" "$dir/pnt.db"
  fi

  local row="| $backend"
  for scenario in by_id gemeente fulltext near facetten; do
    echo "[$backend] wrk $scenario" >&2
    PARAMS="$dir/params.lua" LUA_DIR=bench/lua wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
      -s "bench/lua/$scenario.lua" "http://127.0.0.1:$PORT" > "$dir/wrk-$scenario.txt"
    local rps p50 p99 errors
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$dir/wrk-$scenario.txt")
    p50=$(awk '$1=="50%" {print $2}' "$dir/wrk-$scenario.txt")
    p99=$(awk '$1=="99%" {print $2}' "$dir/wrk-$scenario.txt")
    errors=$(awk '/Non-2xx/ {print $NF}' "$dir/wrk-$scenario.txt"); errors=${errors:-0}
    row="$row | $rps | $p50 / $p99 | $errors"
  done
  local rss
  rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SERVER_PID/status")
  local feed
  feed=$(python3 -c "import json;d=json.load(open('$dir/feed.json'));print(f\"{d['feed_first_items_per_s']:.0f} | {d['feed_replay_items_per_s']:.0f}\")")
  echo "$row | $feed | $rss |" >> "$OUT/results.md"
  stop_server
}

cat > "$OUT/results.md" <<HEAD
Benchmark $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; $ORGS organisations, $AANBOD + 5,000 offers; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on the same machine.

| backend | (a) by id req/s | p50 / p99 | err | (b) gemeente, -gewijzigdOp req/s | p50 / p99 | err | (c) q + aanbodtype req/s | p50 / p99 | err | (d) near 10 km, afstand req/s | p50 / p99 | err | (e) regionaalNetwerk + 4 facetten req/s | p50 / p99 | err | feed first items/s | feed replay items/s | peak RSS MB |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
HEAD
case "$BACKENDS" in
  all) run_backend sqlite; run_backend postgres ;;
  sqlite|postgres) run_backend "$BACKENDS" ;;
  *) echo "usage: bench/run.sh [all|sqlite|postgres]" >&2; exit 2 ;;
esac
cat "$OUT/results.md"
