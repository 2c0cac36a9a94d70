#!/usr/bin/env bash
# Reproduces every figure in BENCHMARKS.md.
# Usage: bench/run.sh [PEOPLE] [STAGES]   STAGES ⊆ "import lookup apply" (default: all;
# lookup and apply reuse the SQLite database the import stage left in bench/out/).
# Needs: sqlite3, psql/createdb (PostgreSQL on 127.0.0.1:5432), wrk.
# Writes raw outputs to bench/out/ and prints a summary at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
STAGES="${2:-import lookup apply}"
has() { [[ " $STAGES " == *" $1 "* ]]; }
OUT=bench/out
BIN=target/release/dossier
PG=postgres://postgres@127.0.0.1:5432
mkdir -p "$OUT"
cargo build --release -p dossier-cli >/dev/null
export DOSSIER_LOG=error
export DOSSIER_MASTER_KEY="${DOSSIER_MASTER_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

CSV="$OUT/people-$N.csv"
[ -f "$CSV" ] || "$BIN" gen-people "$N" "$CSV"

if has import; then
echo "== 1. bulk import of $N people into SQLite (validated, audited)"
rm -rf "$OUT/sqlite"
"$BIN" --data-dir "$OUT/sqlite" demo --seed-only >/dev/null
t0=$(now); "$BIN" --data-dir "$OUT/sqlite" import "$CSV" --unit 26101 --report "$OUT/sqlite.errors.csv" | tail -1; t1=$(now)
IMPORT_SQLITE=$(secs "$t0" "$t1")
rm -f "$OUT/raw.db"
t0=$(now); sqlite3 "$OUT/raw.db" ".import --csv $CSV raw"; t1=$(now)
RAW_SQLITE=$(secs "$t0" "$t1")
echo "dossier import: $IMPORT_SQLITE s; peer sqlite3 .import (no validation, no audit, no index): $RAW_SQLITE s"

echo "== 2. bulk import of $N people into PostgreSQL"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS dossier_bench WITH (FORCE)" -c "CREATE DATABASE dossier_bench"
rm -rf "$OUT/pg"
"$BIN" --data-dir "$OUT/pg" --database-url "$PG/dossier_bench" demo --seed-only >/dev/null
t0=$(now); "$BIN" --data-dir "$OUT/pg" --database-url "$PG/dossier_bench" import "$CSV" --unit 26101 --report "$OUT/pg.errors.csv" | tail -1; t1=$(now)
IMPORT_PG=$(secs "$t0" "$t1")
psql "$PG/dossier_bench" -qc "CREATE TABLE raw (rnokpp text, religious_refusal text, passport text, id_card text, unzr text, account_no text, okzo text, surname text, given_name text, patronymic text, birth_date text, sex text, capacity text, idp text)"
t0=$(now); psql "$PG/dossier_bench" -qc "\\copy raw FROM '$CSV' WITH (FORMAT csv, HEADER true)"; t1=$(now)
RAW_PG=$(secs "$t0" "$t1")
echo "dossier import: $IMPORT_PG s; peer psql \\copy (no validation, no audit, no index): $RAW_PG s"
echo "SUMMARY  import sqlite ${IMPORT_SQLITE}s (raw ${RAW_SQLITE}s)  import pg ${IMPORT_PG}s (raw ${RAW_PG}s)"
fi

TOKEN=$("$BIN" --data-dir "$OUT/sqlite" token-create --login regional --name bench)
OFFICER=$("$BIN" --data-dir "$OUT/sqlite" token-create --login district --name bench)
[ -f "$OUT/ids.txt" ] || "$BIN" --data-dir "$OUT/sqlite" bench export-ids --count 40000 --ids "$OUT/ids.txt" --rnokpps "$OUT/rnokpps.txt"

if has lookup; then
echo "== 3. look-up by RNOKPP over HTTP, 64 connections, SQLite with $N people"
"$BIN" --data-dir "$OUT/sqlite" serve --listen 127.0.0.1:18181 >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18181/health >/dev/null && break; sleep 0.2; done
RNOKPPS="$OUT/rnokpps.txt" TOKEN="$TOKEN" wrk -t${WRK_THREADS:-2} -c64 -d20s --latency -s bench/lookup.lua http://127.0.0.1:18181 | tee "$OUT/lookup-http.txt"
kill $SERVER; wait $SERVER 2>/dev/null || true
"$BIN" --data-dir "$OUT/sqlite" bench direct-lookup --rnokpps "$OUT/rnokpps.txt" --seconds 10 --concurrency 64 | tee "$OUT/lookup-direct.txt"
fi

if has apply; then
echo "== 4. application filing over HTTP (all rules, duplicate check, audit)"
# Adults of the officer's district with no application yet, so every filing
# is in scope and passes the duplicate check.
sqlite3 "$OUT/sqlite/dossier.db" "SELECT lower(substr(hex(id),1,8)||'-'||substr(hex(id),9,4)||'-'||substr(hex(id),13,4)||'-'||substr(hex(id),17,4)||'-'||substr(hex(id),21)) FROM persons p WHERE unit_id = (SELECT id FROM org_units WHERE code = '26101') AND capacity = 'full' AND birth_date <= date('now', '-18 years') AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = p.id) LIMIT 60000" > "$OUT/fresh.txt"
head -n 30000 "$OUT/fresh.txt" > "$OUT/ids-http.txt"
tail -n 30000 "$OUT/fresh.txt" > "$OUT/ids-direct.txt"
UNIT=$(sqlite3 "$OUT/sqlite/dossier.db" "SELECT id FROM org_units WHERE code = 'B-OSCHAD-KY1'")
"$BIN" --data-dir "$OUT/sqlite" serve --listen 127.0.0.1:18181 >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18181/health >/dev/null && break; sleep 0.2; done
BEFORE=$(sqlite3 "$OUT/sqlite/dossier.db" "SELECT count(*) FROM certificates")
IDS="$OUT/ids-http.txt" TOKEN="$OFFICER" UNIT="$UNIT" wrk -t2 -c64 -d10s --latency -s bench/apply.lua http://127.0.0.1:18181 | tee "$OUT/apply-http.txt"
AFTER=$(sqlite3 "$OUT/sqlite/dossier.db" "SELECT count(*) FROM certificates")
echo "applications created over HTTP in 10 s: $((AFTER - BEFORE))" | tee -a "$OUT/apply-http.txt"
kill $SERVER; wait $SERVER 2>/dev/null || true
"$BIN" --data-dir "$OUT/sqlite" bench direct-apply --ids "$OUT/ids-direct.txt" --unit B-OSCHAD-KY1 --concurrency 64 | tee "$OUT/apply-direct.txt"
"$BIN" --data-dir "$OUT/sqlite" audit verify
fi
