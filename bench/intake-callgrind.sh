#!/usr/bin/env bash
# Instructions the sharing intake costs a package, counted by callgrind:
# steady where this shared host's wall clock drifts ±20 % between runs.
# `dossier bench sharing-intake` (SQLite and blob folder on tmpfs, 8 tasks)
# runs under callgrind with instrumentation off while it forms the packages
# (the hub's side) and on for the timed intake alone; every thread counts
# (the blocking pool's crypto, sqlx's SQLite thread). valgrind hides the
# CPU's SHA extensions, so SHA-256 is counted at its software speed — a
# larger share than the host's real one (perf: 3–4 %), the same for each build.
# Usage: bench/intake-callgrind.sh BIN [BIN …] [-- PACKAGES]   (each build once, in turn)
set -euo pipefail
cd "$(dirname "$0")/.."
N=600 BINS=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then N="$2"; shift 2; else BINS+=("$1"); shift; fi
done
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
export TMPDIR=/dev/shm DOSSIER_LOG=warn
OUT="$PWD/bench/out"; mkdir -p "$OUT"
for bin in "${BINS[@]}"; do
  BIN="$(realpath "$bin")" PROFILE="$OUT/callgrind-intake.$(basename "$bin").out" LOG="$OUT/callgrind-intake.stdout"
  rm -f "$PROFILE"* "$LOG"
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$PROFILE" \
    "$BIN" bench sharing-intake --packages "$N" --concurrency 8 >"$LOG" 2>/dev/null &
  VG=$!
  # "forming N packages… X s" ends its line when the packages are formed and the timing starts.
  until grep -q "forming.* s$" "$LOG" 2>/dev/null; do kill -0 $VG 2>/dev/null || { echo "the bench stopped" >&2; exit 1; }; sleep 0.2; done
  callgrind_control -i on $VG >/dev/null 2>&1
  wait $VG
  total=$(awk '/^summary:/ {print $2}' "$PROFILE")
  echo "$(basename "$bin"): $((total / N / 1000)) k instructions per package ($N packages, all threads; profile $PROFILE; $(grep 'sharing intake' "$LOG"))"
done
