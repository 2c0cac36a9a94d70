#!/usr/bin/env bash
# One look-up run of one build, for quick pairs between A/Bs: a fresh copy of
# the 1 M-people database that bench/ab-http.sh prepared (bench/out/abh-base),
# `dossier serve`, wrk on bench/lookup.lua for 15 s, then the server's
# /metrics (kept in bench/out/once-metrics.txt). PAUSE_MS in the environment
# paces each connection (see bench/lookup.lua); CONNS (64) and THREADS (2) as wrk's.
# Usage: bench/lookup-once.sh BIN
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "$1")" OUT=bench/out RUN=bench/out/once-run PORT=18184
[ -d "$OUT/abh-base" ] || { echo "run bench/ab-http.sh first: it prepares $OUT/abh-base" >&2; exit 2; }
export DOSSIER_LOG=error DOSSIER_METRICS_TOKEN=lookup-once-token
export DOSSIER_MASTER_KEY="${DOSSIER_MASTER_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
rm -rf "$RUN"; cp -a "$OUT/abh-base" "$RUN"
TOKEN=$("$BIN" --data-dir "$RUN" token-create --login regional --name once)
"$BIN" --data-dir "$RUN" serve --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$RUN"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
sleep 2
out=$(RNOKPPS="$OUT/abh-rnokpps.txt" TOKEN="$TOKEN" wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d15s --latency -s bench/lookup.lua "http://127.0.0.1:$PORT")
curl -s -H "Authorization: Bearer $DOSSIER_METRICS_TOKEN" "http://127.0.0.1:$PORT/metrics" > "$OUT/once-metrics.txt"
behind=$(awk '/^dossier_access_index_behind_entries/ {print $NF}' "$OUT/once-metrics.txt")
echo "$(basename "$BIN") c=${CONNS:-64} pause=${PAUSE_MS:-0}ms: $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s" \
  "p50 $(echo "$out" | awk '$1 == "50%" {print $2}') p99 $(echo "$out" | awk '$1 == "99%" {print $2}')" \
  "non-2xx $(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0) index behind ${behind:--} entries"
