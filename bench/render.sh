#!/usr/bin/env bash
# Reproduces the "Rendering" figures in BENCHMARKS.md: Dossier's renderer (crates/pdf) against
# WeasyPrint (PyPI) on the same card back (form 5) from equivalent HTML, one thread each, run
# one after the other; the same for the acceptance-transfer act (form 3, 200 certificates per act)
# and Dossier's issue journal (form 6); plus the shared document's copy (render_bench).
# Usage: bench/render.sh [N_DOSSIER] [N_WEASYPRINT]     (defaults: 2000 200; acts: a tenth of each)
# Needs: cargo, python3 with weasyprint (pip install weasyprint; it uses the system's Pango).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2000}"
NW="${2:-200}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -p dossier-pdf --example card_bench --example act_bench --example render_bench 2>&1 | tail -1
exec > >(tee bench/render-last-run.log) 2>&1
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r)"
"$CARGO_TARGET_DIR/release/examples/card_bench" "$N"
python3 bench/weasyprint_card.py "$NW"
"$CARGO_TARGET_DIR/release/examples/act_bench" "$((N / 10))" 200
python3 bench/weasyprint_act.py "$((NW / 10))" 200
"$CARGO_TARGET_DIR/release/examples/render_bench" "$N"
