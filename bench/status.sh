#!/usr/bin/env bash
# Reproduces the "Status look-up" figures in BENCHMARKS.md: 200 000 paper certificates (the
# production benchmark's fixture) looked up by number and date of birth — in process (the peer),
# over HTTP from an in-process client, and with wrk from another process (64 connections).
# Usage: bench/status.sh [CASES] [SECONDS] [ROUNDS]      (defaults: 200000 10 3)
# Raw output: bench/status-last-run.log (LOG=… for another). Needs: cargo, wrk, curl.
# A/B: BIN=/path/to/another/dossier runs that build instead of building this tree.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES="${1:-200000}"
SECS="${2:-10}"
ROUNDS="${3:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${BIN:-}" ]; then
  cargo build --release -p dossier-cli 2>&1 | tail -1
  BIN="$CARGO_TARGET_DIR/release/dossier"
fi
WORK=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill -INT $PID 2>/dev/null; rm -rf "$WORK"' EXIT
export DOSSIER_LOG=error
exec > >(tee "${LOG:-bench/status-last-run.log}") 2>&1
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r)"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$BIN" bench status --cases "$CASES" --seconds "$SECS" --concurrency 64
  "$BIN" bench status --cases "$CASES" --seconds 1 --concurrency 4 --cases-out "$WORK/cases.txt" \
    --serve 127.0.0.1:18600 > "$WORK/serve.out" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do grep -q serving "$WORK/serve.out" && break; sleep 0.2; done
  CASES="$WORK/cases.txt" wrk -t 2 -c 64 -d "${SECS}s" --latency -s bench/status.lua http://127.0.0.1:18600 |
    grep -E "Requests/sec|Latency|99%|50%|Non-2xx|errors"
  kill -INT $PID; wait $PID 2>/dev/null || true; PID=""
done
