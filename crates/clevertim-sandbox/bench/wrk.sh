#!/usr/bin/env bash
# Requests/second for GET one contact on the sandbox, side by side with a minimal hyper
# "hello" server (the ceiling), with 1 connection/1 thread and with 64 connections/2 threads.
#
# Usage: crates/clevertim-sandbox/bench/wrk.sh [DURATION]   (default 10s; needs `wrk`)
# Set CARGO_TARGET_DIR to reuse a build directory.
set -euo pipefail
DURATION="${1:-10s}"
cd "$(dirname "$0")/../../.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
cargo build --release -q -p clevertim-sandbox --bin clevertim-sandbox --example hello_ceiling
TARGET="${CARGO_TARGET_DIR:-target}"
TMP="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

RUST_LOG=warn "$TARGET/release/clevertim-sandbox" --port 0 >"$TMP/sandbox.env" 2>"$TMP/sandbox.log" &
PIDS+=($!)
"$TARGET/release/examples/hello_ceiling" >"$TMP/hello.env" 2>/dev/null &
PIDS+=($!)
for f in sandbox.env hello.env; do
  for _ in $(seq 100); do [ -s "$TMP/$f" ] && break; sleep 0.05; done
done
sleep 0.2
# shellcheck disable=SC1091
source "$TMP/sandbox.env"
HELLO="$(sed -n 's/^HELLO_ENDPOINT=//p' "$TMP/hello.env")"
AUTH="Authorization: Basic $(printf '%s:X' "$CLEVERTIM_API_KEY" | base64 -w0)"
SANDBOX_URL="$CLEVERTIM_ENDPOINT/contact/3"
HELLO_URL="${HELLO}contact/3"

curl -sf -H "$AUTH" "$SANDBOX_URL" >/dev/null || { echo "sandbox not answering" >&2; exit 1; }

rps() { wrk "$@" | awk '/Requests\/sec/ {print $2}'; }
printf '%-28s %14s %14s %8s\n' "scenario" "sandbox req/s" "hello req/s" "ratio"
for conf in "-t1 -c1" "-t2 -c64"; do
  # shellcheck disable=SC2086
  s=$(rps $conf -d "$DURATION" -H "$AUTH" "$SANDBOX_URL")
  # shellcheck disable=SC2086
  h=$(rps $conf -d "$DURATION" -H "$AUTH" "$HELLO_URL")
  ratio=$(awk -v s="$s" -v h="$h" 'BEGIN { printf "%.0f%%", 100 * s / h }')
  printf '%-28s %14s %14s %8s\n' "GET one contact ($conf)" "$s" "$h" "$ratio"
done
