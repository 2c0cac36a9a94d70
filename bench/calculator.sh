#!/usr/bin/env bash
# Reproduces the calculator figures in BENCHMARKS.md ("Personal account"): Dossier's two calculators in
# process (`dossier bench calculator`) and the Python `decimal` peer of the Russian formula
# (bench/calculator_peer.py), interleaved for ROUNDS rounds.
# Usage: bench/calculator.sh [COUNT] [ROUNDS]   (defaults: 1000000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-1000000}"
ROUNDS="${2:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${DOSSIER_BIN:-}" ]; then cargo build --release -p dossier-cli 2>&1 | tail -1; fi
BIN="${DOSSIER_BIN:-$CARGO_TARGET_DIR/release/dossier}"
exec > >(tee bench/calculator-last-run.log) 2>&1
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(python3 --version)"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r"
  "$BIN" bench calculator --count "$COUNT"
  python3 bench/calculator_peer.py "$COUNT"
done
