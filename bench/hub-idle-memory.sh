#!/usr/bin/env bash
# Idle memory of `dossier hub`, A/B and interleaved (A B, then B A): each run
# serves the hub of DATA_DIR (made once by `dossier demo`, which writes the
# hub's keys and citizens), waits until the wallet answers, and reads /proc
# after 2 s and after 30 s: RSS, its anonymous part (the process's own
# memory) and its file part (the binary's pages and the mapped database).
# Usage: bench/hub-idle-memory.sh BIN_A BIN_B DATA_DIR [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
A="$1" B="$2" ROUNDS="${4:-2}" PORT=18190
export DOSSIER_DATA_DIR="$3" DOSSIER_LOG=error
[ -d "$DOSSIER_DATA_DIR/hub/keys" ] || { echo "no hub keys under $DOSSIER_DATA_DIR: run 'dossier demo' with that data dir first" >&2; exit 1; }
source bench/serve-copy.sh
HUB=""
trap '[ -n "$HUB" ] && kill $HUB 2>/dev/null || true' EXIT
for round in $(seq 1 "$ROUNDS"); do
  for side in $(pair_order "$round"); do
    BIN=$A; [ "$side" = B ] && BIN=$B
    "$BIN" hub --listen "127.0.0.1:$PORT" >/dev/null 2>&1 & HUB=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/wallet" && break; sleep 0.1; done
    readings=$(idle_readings $HUB)
    kill $HUB; wait $HUB 2>/dev/null || true; HUB=""
    echo "round $round $side ($A / $B): $readings"
  done
done
