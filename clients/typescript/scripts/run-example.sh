#!/usr/bin/env bash
# Runs example.ts against a throw-away PNT API server: a free port on 127.0.0.1, an empty
# SQLite database in a temporary folder, a random JWT secret, development tokens for the
# roles the example needs. The server is stopped and the folder removed afterwards.
#
#   clients/typescript$ npm ci && bash scripts/run-example.sh
#
# PNT_API_BIN overrides the binary (default: ../../target/debug/pnt-api, built by `cargo build`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${PNT_API_BIN:-$here/../../target/debug/pnt-api}"
if [[ ! -x "$bin" ]]; then
  echo "run-example: no server binary at $bin (run \`cargo build\` in the repository root, or set PNT_API_BIN)" >&2
  exit 1
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

work="$(mktemp -d -t pnt-example.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
base="http://127.0.0.1:$port"

# A clean environment for the server: embedded SQLite in $work, its own HS256 secret, no
# identity-provider settings. It runs in $work so that no .env file of the repository applies.
unset DATABASE_URL PNT_JWT_PUBLIC_KEY PNT_JWT_ISSUER PNT_JWT_AUDIENCE PNT_PUBLIC_BASE_URL PNT_CORS_ORIGINS
export PNT_DATA_DIR="$work/data"
export PNT_BIND="127.0.0.1:$port"
export PNT_JWT_SECRET="$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')"
export PNT_WORKERS=2
export RUST_LOG="${RUST_LOG:-warn}"

(cd "$work" && exec "$bin" serve >"$work/server.log" 2>&1) &
server_pid=$!

# Wait (up to 60 s: migrations and reference data load at start-up) for GET /health → 200.
up=""
for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$base/health"; then
    up=1
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run-example: the server stopped during start-up:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
if [[ -z "$up" ]]; then
  echo "run-example: the server did not become healthy within 60 s:" >&2
  tail -n 40 "$work/server.log" >&2
  exit 1
fi

token() { (cd "$work" && "$bin" token "$@"); }
export PNT_BASE_URL="$base"
export PNT_TOKEN_ADMIN="$(token --sub admin-1 --role admin --name 'Admin Agentschap')"
export PNT_TOKEN_TB="$(token --sub tb-1 --role trajectbegeleider --name 'Sara Janssens')"
export PNT_TOKEN_LB="$(token --sub lb-gent --role lokaalBestuur --gemeente 44021 --name 'Stad Gent')"
# Without PNT_SMTP_URL the server writes each mail as an .eml file here: the example reads the
# signing link from it, as the contact person would from their mailbox.
export PNT_OUTBOX_DIR="$PNT_DATA_DIR/outbox"

echo "run-example: server on $base (data in $work)"
cd "$here"
status=0
npm run --silent example || status=$?
if [[ $status -ne 0 ]]; then
  echo "run-example: the example failed; server log:" >&2
  tail -n 40 "$work/server.log" >&2
fi
exit $status
