#!/usr/bin/env bash
# A/B of two builds on the same machine, interleaved (A B A B …) so that the
# shared host's drift falls on both: for each round and build, a fresh SQLite
# database, the import of the same N people (timed), then in-process filing of
# 30 000 card applications (`bench direct-apply`, 64 tasks).
# Usage: bench/ab.sh BIN_A BIN_B [ROUNDS] [PEOPLE]
#   e.g. git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build --release -p dossier-cli)
#        bench/ab.sh /tmp/old/target/release/dossier target/release/dossier 2
set -euo pipefail
cd "$(dirname "$0")/.."
A="$1" B="$2" ROUNDS="${3:-2}" N="${4:-1000000}"
OUT=bench/out
export DOSSIER_LOG=error
export DOSSIER_MASTER_KEY="${DOSSIER_MASTER_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
mkdir -p "$OUT"
CSV="$OUT/people-$N.csv"
[ -f "$CSV" ] || "$B" gen-people "$N" "$CSV"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    BIN=$A; [ "$side" = B ] && BIN=$B
    D="$OUT/ab-$side"; rm -rf "$D"
    "$BIN" --data-dir "$D" demo --seed-only >/dev/null
    t0=$(date +%s.%N)
    "$BIN" --data-dir "$D" import "$CSV" --unit 26101 --report "$OUT/ab.errors.csv" >/dev/null
    t1=$(date +%s.%N)
    sqlite3 "$D/dossier.db" "SELECT lower(substr(hex(id),1,8)||'-'||substr(hex(id),9,4)||'-'||substr(hex(id),13,4)||'-'||substr(hex(id),17,4)||'-'||substr(hex(id),21)) FROM persons p WHERE unit_id = (SELECT id FROM org_units WHERE code = '26101') AND capacity = 'full' AND birth_date <= date('now', '-18 years') AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = p.id) LIMIT 60000" | tail -n 30000 > "$OUT/ab-ids.txt"
    apply=$("$BIN" --data-dir "$D" bench direct-apply --ids "$OUT/ab-ids.txt" --unit B-OSCHAD-KY1 --concurrency 64 | tail -1)
    echo "round $round $side ($BIN): import $(echo "$t1 - $t0" | bc) s; $apply"
    rm -rf "$D"
  done
done
