#!/usr/bin/env bash
# Idle memory of `dossier serve`, A/B and interleaved (A B, then B A): each
# run starts a build on a fresh copy of the database bench/ab-http.sh prepared
# (1 M people; `bench/ab-http.sh BIN BIN 0` prepares it alone), waits until it
# answers, and reads /proc after 2 s and after 30 s: RSS, its anonymous part
# (the process's own memory) and its file part (the binary's pages and the
# database's mapped pages, shared with the page cache). Both binaries are
# copied afresh first, so neither has more of its file in the page cache.
# Usage: bench/idle-memory.sh BIN_A BIN_B [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
BASE="$OUT/abh-base" RUN="$OUT/idle-run"
[ -d "$BASE" ] || { echo "no $BASE: run bench/ab-http.sh BIN BIN 0 first" >&2; exit 1; }
ROUNDS="${3:-3}" PORT=18184
export DOSSIER_LOG=error
export DOSSIER_MASTER_KEY="${DOSSIER_MASTER_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
A="$OUT/idle-A" B="$OUT/idle-B"
cp "$1" "$A"; cp "$2" "$B"
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT
source bench/serve-copy.sh
for round in $(seq 1 "$ROUNDS"); do
  for side in $(pair_order "$round"); do
    BIN=$A; [ "$side" = B ] && BIN=$B
    serve_copy "$BIN" "$BASE" "$RUN" "$PORT"
    readings=$(idle_readings $SERVER)
    kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""
    echo "round $round $side ($1 / $2): $readings"
  done
done
rm -rf "$RUN" "$A" "$B"
