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
memory() { awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2}
                END {printf "RSS %.1f MB (anonymous %.1f, file %.1f)", r / 1024, a / 1024, f / 1024}' "/proc/$1/status"; }
HUB=""
trap '[ -n "$HUB" ] && kill $HUB 2>/dev/null || true' EXIT
for round in $(seq 1 "$ROUNDS"); do
  order="A B"; [ $((round % 2)) = 0 ] && order="B A"
  for side in $order; do
    BIN=$A; [ "$side" = B ] && BIN=$B
    "$BIN" hub --listen "127.0.0.1:$PORT" >/dev/null 2>&1 & HUB=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/wallet" && break; sleep 0.1; done
    sleep 2; early=$(memory $HUB)
    sleep 28; late=$(memory $HUB)
    kill $HUB; wait $HUB 2>/dev/null || true; HUB=""
    echo "round $round $side ($A / $B): after 2 s $early; after 30 s $late"
  done
done
