#!/usr/bin/env bash
# Reproduces the "Crashes" figures in BENCHMARKS.md: runs the crash tests
# (crates/cli/tests/e2e/crashes.rs) one at a time and keeps the lines they
# print — where each process was killed, how long the rest took after the
# restart, and the same work uninterrupted as the peer.
# Usage: DOSSIER_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/postgres bench/crashes.sh [PACKAGES]
#   PACKAGES: what the hub delivers while the fund is killed (default 10000; the test suite: 1000)
# Raw output: bench/crashes-last-run.log. Needs: cargo, PostgreSQL (initdb for the
# database crash), tesseract and pdftoppm (the OCR batch).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DOSSIER_TEST_PG_URL:?the PostgreSQL the weekly run uses, e.g. postgres://postgres@127.0.0.1:5432/postgres}"
export DOSSIER_LOG=error
export DOSSIER_CRASH_PACKAGES="${1:-10000}"
exec > >(tee bench/crashes-last-run.log) 2>&1
echo "== machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ)"
cargo test -p dossier-cli --test e2e crashes:: -- --nocapture --test-threads 1 2>&1 \
  | grep -E "^(weekly run|postgresql crash|ocr batch|intake|test |test result)"
