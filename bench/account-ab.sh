#!/usr/bin/env bash
# A/B of two builds on the personal account and the report import, interleaved
# (A B A B …) so the shared host's drift falls on both: each round runs
# `dossier bench account` (fresh SQLite, PEOPLE people × 40 years loaded through
# the report import, 200 signed-in citizens asking for /account for 10 s, then
# the bare store read at the same concurrency) and `dossier bench record-import`
# (20 000 people, 5 reports of 12 months) with each build in turn.
# Usage: bench/account-ab.sh BIN_A BIN_B [ROUNDS] [PEOPLE]
set -euo pipefail
A="$1" B="$2" ROUNDS="${3:-2}" PEOPLE="${4:-10000}"
export DOSSIER_LOG=error
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    BIN=$A; [ "$side" = B ] && BIN=$B
    echo "== round $round $side ($BIN), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$BIN" bench account --people "$PEOPLE" --years 40 --clients 200 --seconds 10
    "$BIN" bench record-import
  done
done
