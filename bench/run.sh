#!/usr/bin/env bash
# Benchmark of the aanbod endpoints: builds the release binary, and per backend (SQLite,
# PostgreSQL) and per data set (realistic, worstcase: see bench/dataset.py) loads a deterministic
# data set over HTTP (2,000 organisations, 50,000 + 5,000 offers over all 304 municipalities),
# drives the server with wrk over loopback, runs (b)'s statement alone as the limit beside the
# API's figure (pgbench on PostgreSQL, a Python sqlite3 loop on SQLite), measures how soon a
# second instance on the same database finds a change, and writes bench/out/results.md.
#
#   bash bench/run.sh            # both backends
#   bash bench/run.sh sqlite     # or: postgres
#
# Env: DATASETS (default "realistic worstcase"), SCENARIOS (default all of bench/lua/, see
#      below), DURATION (s per scenario, default 10), CONNECTIONS (default 32), THREADS
#      (default 2), WRK_TIMEOUT (s, default 30: slower answers count as errors), ORGS, AANBOD, PG_URL (default postgres://postgres@127.0.0.1:5432; the
#      database pnt_bench is dropped and created).
set -euo pipefail
cd "$(dirname "$0")/.."

BACKENDS=${1:-all}
DATASETS=${DATASETS:-realistic worstcase}
SCENARIOS=${SCENARIOS:-by_id gemeente filter_fixed filter_random q_common q_rare q_common_type q_common_date q_common_titel near facetten}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-30}
ORGS=${ORGS:-2000}
AANBOD=${AANBOD:-50000}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PORT=18080
PORT2=18081
OUT=bench/out
START=$(date +%s)
mkdir -p "$OUT"

case "$BACKENDS" in
  all) BACKENDS="postgres sqlite" ;;
  sqlite|postgres) ;;
  *) echo "usage: bench/run.sh [all|sqlite|postgres]" >&2; exit 2 ;;
esac
for d in $DATASETS; do
  case "$d" in realistic|worstcase) ;; *) echo "DATASETS: unknown data set $d" >&2; exit 2 ;; esac
done

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  apt-get install -y --no-install-recommends wrk >/dev/null || sudo apt-get install -y --no-install-recommends wrk >/dev/null
fi
echo "building the release binary" >&2
cargo build --release --locked --quiet
BIN=target/release/pnt-api
export PNT_JWT_SECRET="bench-secret-bench-secret-bench-secret!!" RUST_LOG=warn

SERVER_PID=
SERVER2_PID=
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; SERVER_PID=; }
stop_server2() { if [ -n "$SERVER2_PID" ]; then kill "$SERVER2_PID" 2>/dev/null || true; wait "$SERVER2_PID" 2>/dev/null || true; fi; SERVER2_PID=; }
trap 'stop_server2; stop_server' EXIT

# Readiness, not liveness: an instance that prepares something at start-up (e.g. a search index)
# should answer ready only when it can serve.
wait_ready() {
  for _ in $(seq 1 1200); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "server on port $1 did not start" >&2; return 1
}

# A second instance on the same database (freshness); extra env as arguments.
start_server2() {
  local url=$1 dir=$2; shift 2
  mkdir -p "$dir/instance2"
  env "$@" DATABASE_URL="$url" PNT_DATA_DIR="$dir/instance2" PNT_BIND="127.0.0.1:$PORT2" "$BIN" serve > "$dir/server2.log" 2>&1 &
  SERVER2_PID=$!
  local t0
  t0=$(date +%s%N)
  wait_ready "$PORT2"
  echo $(( ($(date +%s%N) - t0) / 1000000 )) > "$dir/start2_ms.txt"
}

# wrk leaves its last requests running in the server; slow ones would delay the next scenario's
# first requests. Wait until a database round trip is quick again.
drain() {
  local quick=0 t
  for _ in $(seq 1 600); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/health" || echo 1)
    if awk -v t="$t" 'BEGIN {exit !(t < 0.05)}'; then quick=$((quick + 1)); else quick=0; fi
    [ "$quick" -ge 3 ] && return 0
    sleep 0.1
  done
}

status_kb() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }

run_combo() {
  local backend=$1 dataset=$2 dir="$OUT/$1-$2" url
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$backend" = postgres ]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS pnt_bench" -c "CREATE DATABASE pnt_bench" >/dev/null
    url="$PG_URL/pnt_bench"
  else
    url="sqlite://$dir/pnt.db"
  fi
  DATABASE_URL="$url" PNT_DATA_DIR="$dir" PNT_BIND="127.0.0.1:$PORT" "$BIN" serve > "$dir/server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "$PORT"
  local admin t0
  admin=$("$BIN" token --sub bench-admin --role admin --ttl 120)
  echo "[$backend $dataset] loading data" >&2
  t0=$(date +%s)
  python3 bench/dataset.py "http://127.0.0.1:$PORT" "$admin" "$dir" "$ORGS" "$AANBOD" "$dataset"
  echo $(( $(date +%s) - t0 )) > "$dir/load_seconds.txt"
  # Steady state after a bulk load: statistics and visibility map as autovacuum would leave them.
  if [ "$backend" = postgres ]; then
    psql "$url" -qc "VACUUM ANALYZE" >/dev/null
  else
    python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('ANALYZE')" "$dir/pnt.db"
  fi
  python3 bench/tools.py shares "http://127.0.0.1:$PORT" "$dir" || echo "[$backend] shares not counted" >&2
  local load_hwm after_load
  load_hwm=$(status_kb "$SERVER_PID" VmHWM); after_load=$(status_kb "$SERVER_PID" VmRSS)

  # The limit beside (b): the statement the SQL search sends for (b) — the page and its exact
  # count in one statement, as the database alone would answer it (bench/sqlite-b.sql, captured
  # from PostgreSQL's log before the catalogue moved public search into memory; the SQL path
  # still builds this statement for staff searches).
  if [ "$backend" = postgres ]; then
    python3 bench/tools.py pgbench-script bench/sqlite-b.sql "$dir/params.lua" "$dir/pgbench-b.sql"
  fi

  # From here on the peak RSS is the wrk runs' own (5 resets VmHWM, Linux >= 4.0).
  echo 5 > "/proc/$SERVER_PID/clear_refs" 2>/dev/null || true
  local scenario
  for scenario in $SCENARIOS; do
    echo "[$backend $dataset] wrk $scenario" >&2
    drain
    PARAMS="$dir/params.lua" LUA_DIR=bench/lua wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "${WRK_TIMEOUT}s" --latency \
      -s "bench/lua/$scenario.lua" "http://127.0.0.1:$PORT" > "$dir/wrk-$scenario.txt"
    awk -v s="$scenario" '/^Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} /Non-2xx/ {e=$NF}
      END {printf "  %s: %.0f req/s, p50 %s, p99 %s%s\n", s, rps, p50, p99, (e ? ", " e " non-2xx" : "")}' \
      "$dir/wrk-$scenario.txt" >&2
  done
  drain
  printf '{"load_hwm_kb": %s, "after_load_rss_kb": %s, "wrk_hwm_kb": %s}\n' \
    "$load_hwm" "$after_load" "$(status_kb "$SERVER_PID" VmHWM)" > "$dir/rss.json"

  # The limit beside (b): its statement alone, same concurrency, while the API idles.
  if [ "$backend" = postgres ] && [ -f "$dir/pgbench-b.sql" ] && command -v pgbench >/dev/null; then
    echo "[$backend $dataset] pgbench (b)" >&2
    pgbench -n -M prepared -f "$dir/pgbench-b.sql" -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" "$url" > "$dir/pgbench-b.txt" 2>&1 || true
    awk '/^tps = / {printf "%.0f\n", $3}' "$dir/pgbench-b.txt" > "$dir/reference-b.txt"
    echo "  pgbench: $(cat "$dir/reference-b.txt") tps" >&2
  elif [ "$backend" = sqlite ]; then
    local stmt=bench/sqlite-b.sql
    echo "[$backend $dataset] Python sqlite3 loop (b), $stmt" >&2
    python3 bench/tools.py sqlite-rate "$dir/pnt.db" "$stmt" "$dir/params.lua" "$DURATION" 2 \
      > "$dir/reference-b.txt" 2> "$dir/reference-b.err" || echo "  sqlite3 loop failed: $(tail -1 "$dir/reference-b.err")" >&2
    echo "  sqlite3 loop: $(cat "$dir/reference-b.txt") statements/s" >&2
  fi

  # Freshness: a change pushed through instance 1, searched for on instance 2.
  echo "[$backend $dataset] freshness" >&2
  start_server2 "$url" "$dir"
  python3 bench/freshness.py "http://127.0.0.1:$PORT" "http://127.0.0.1:$PORT2" "$admin" "$dir" 5 || echo "[$backend] freshness failed" >&2
  stop_server2
  stop_server
}

for backend in $BACKENDS; do
  for dataset in $DATASETS; do
    run_combo "$backend" "$dataset"
  done
done
WALL=$(( $(date +%s) - START ))
python3 bench/tools.py report "$OUT" "$BACKENDS" "$DATASETS" "$SCENARIOS" "$WALL" "$ORGS" "$AANBOD" "$THREADS" "$CONNECTIONS" "$DURATION" "$WRK_TIMEOUT"
cat "$OUT/results.md"
echo "total wall time: $((WALL / 60)) min $((WALL % 60)) s" >&2
