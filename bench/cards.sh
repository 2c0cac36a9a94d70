#!/usr/bin/env bash
# Reproduces the "Card exchange" figures in BENCHMARKS.md: card steps reported, sealed and stored
# per second in process on a fresh demo data folder (SQLite), per step, and the seal alone; the
# peer is OpenSSL's ECDSA P-256 signing rate on the same machine (`openssl speed`), the bound for
# the seal's signature.
# Usage: bench/cards.sh [CARDS]      (default 300: 2 700 steps)
# Needs: cargo, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
CARDS="${1:-300}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -p dossier-cli 2>&1 | tail -1
exec > >(tee bench/cards-last-run.log) 2>&1
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r)"
DOSSIER_LOG=error "$CARGO_TARGET_DIR/release/dossier" bench cards --cards "$CARDS" | grep -v '^Certification centre created'
echo "== peer: $(openssl version)"
openssl speed -seconds 3 ecdsap256 2>/dev/null | grep -E '^ *256 bits ecdsa'
