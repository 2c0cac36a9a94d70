#!/usr/bin/env bash
# What signed audit checkpoints cost the filing path (issue 22 §4, goal ≤ 2 %).
# One binary, two settings, interleaved (A B A B …): A signs a checkpoint of
# the audit trail every second (300 times the default rate), B only at start
# and shutdown. Each run gets a fresh copy of one prepared SQLite database of N
# imported people, starts `dossier serve` with the fund's seal (the demo's CA
# PIN), and files card applications over HTTP with every rule checked (wrk,
# 64 connections, 10 s). The checkpoints A wrote are counted, so a run that
# wrote none cannot pass for a cheap one.
# Usage: bench/checkpoint.sh [ROUNDS] [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}" N="${2:-100000}"
BIN="$(realpath target/release/dossier)"
OUT=bench/out
BASE="$OUT/ckp-base"
RUN="$OUT/ckp-run"
PORT=18184
export DOSSIER_LOG=error DOSSIER_CA_PIN=2026
export DOSSIER_MASTER_KEY="${DOSSIER_MASTER_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
for tool in wrk sqlite3 curl; do command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
mkdir -p "$OUT"
CSV="$OUT/people-$N.csv"
[ -f "$CSV" ] || "$BIN" gen-people "$N" "$CSV"

rm -rf "$BASE"
"$BIN" --data-dir "$BASE" demo --seed-only >/dev/null
"$BIN" --data-dir "$BASE" import "$CSV" --unit 26101 --report "$OUT/ckp.errors.csv" >/dev/null
OFFICER=$("$BIN" --data-dir "$BASE" token-create --login district --name bench)
sqlite3 "$BASE/dossier.db" "SELECT lower(substr(hex(id),1,8)||'-'||substr(hex(id),9,4)||'-'||substr(hex(id),13,4)||'-'||substr(hex(id),17,4)||'-'||substr(hex(id),21)) FROM persons p WHERE unit_id = (SELECT id FROM org_units WHERE code = '26101') AND capacity = 'full' AND birth_date <= date('now', '-18 years') AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = p.id) LIMIT 30000" > "$OUT/ckp-fresh.txt"
UNIT=$(sqlite3 "$BASE/dossier.db" "SELECT id FROM org_units WHERE code = 'B-OSCHAD-KY1'")
checkpoints() { find "$RUN/blobs/records/audit-checkpoints" -type f 2>/dev/null | wc -l; }

SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT
echo "machine: $(nproc) cores, $(uname -sr); $N people; wrk -t2 -c64 -d10s"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    every=1; [ "$side" = B ] && every=0
    rm -rf "$RUN"; cp -a "$BASE" "$RUN"
    DOSSIER_AUDIT_CHECKPOINT_SECONDS=$every "$BIN" --data-dir "$RUN" serve --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
    sleep 1
    at_start=$(checkpoints)
    before=$(sqlite3 "$RUN/dossier.db" "SELECT count(*) FROM certificates")
    apply=$(IDS="$OUT/ckp-fresh.txt" TOKEN="$OFFICER" UNIT="$UNIT" wrk -t2 -c64 -d10s --latency -s bench/apply.lua "http://127.0.0.1:$PORT")
    after=$(sqlite3 "$RUN/dossier.db" "SELECT count(*) FROM certificates")
    during=$(( $(checkpoints) - at_start ))
    kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""
    p99=$(echo "$apply" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$apply" | awk '/Non-2xx/ {s += $NF} END {print s + 0}')
    echo "round $round $side (checkpoint every ${every}s): filing $(( (after - before) / 10 )) applications/s p99 $p99; checkpoints during the load $during; non-2xx $non2xx"
  done
done
rm -rf "$RUN"
