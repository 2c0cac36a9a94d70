#!/usr/bin/env bash
# Reproduces the "Certificate production" figures in BENCHMARKS.md: the weekly run at national
# scale (27 regions × 20 districts, 1 000 000 registry records of which 0.5 % registered twice,
# 100 000 accepted paper applications) on SQLite and on PostgreSQL, with the naive peer (the same
# district step one certificate per transaction) measured first in the same run.
# Usage: bench/production.sh [PERSONS] [APPLICATIONS]      (defaults: 1000000 100000)
# Needs: cargo; for PostgreSQL a server at $DOSSIER_BENCH_PG (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${1:-1000000}"
APPS="${2:-100000}"
PG="${DOSSIER_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -p dossier-cli 2>&1 | tail -1
BIN="$CARGO_TARGET_DIR/release/dossier"
exec > >(tee bench/production-last-run.log) 2>&1
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r)"
DOSSIER_LOG=error "$BIN" bench production --persons "$PERSONS" --applications "$APPS"
if psql "$PG/postgres" -qc 'SELECT 1' >/dev/null 2>&1; then
  DB="dossier_bench_$$"
  psql "$PG/postgres" -qc "CREATE DATABASE $DB"
  trap 'psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
  DOSSIER_LOG=error "$BIN" bench production --persons "$PERSONS" --applications "$APPS" --postgres "$PG/$DB"
else
  echo "PostgreSQL not reachable at $PG: skipped"
fi
