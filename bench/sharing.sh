#!/usr/bin/env bash
# Reproduces the "Document sharing" figures in BENCHMARKS.md.
# Usage: bench/sharing.sh [PACKAGES] [OPENSSL_PACKAGES] [SHARES]   (defaults: 2000 200 200)
#
#   1. intake: `dossier bench sharing-intake` opens, verifies (two CMS
#      signatures and the PAdES copy), matches and stores PACKAGES packages
#      formed by the hub's code, on a fresh SQLite store, 8 tasks;
#      peer: `openssl cms -decrypt` + `openssl cms -verify` of both parts of
#      the first OPENSSL_PACKAGES of the same packages (one process per step,
#      as a shell integration would run it; `openssl version` measures the
#      process start-up share), 2 processes at a time on the 2 cores.
#   2. hub: `dossier demo` on loopback; `dossier bench sharing-hub` issues
#      codes (wallet API) for 10 s from 16 tasks, then spends them on
#      document requests (acquirer API) from 16 tasks; the load generator
#      shares the two cores with the server.
#   3. flow: `dossier bench sharing-flow` runs SHARES shares one after the
#      other on the same demo: submit at the counter → the hub → approval
#      (PIN, consent signature) → copy formed, signed, sealed, delivered,
#      opened and stored at the fund; the wallet's own reading is not counted.
# Raw output: bench/sharing-last-run.log. Needs: cargo, openssl, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES="${1:-2000}"
OSSL="${2:-200}"
SHARES="${3:-200}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -p dossier-cli 2>&1 | tail -1
BIN="$CARGO_TARGET_DIR/release/dossier"
WORK=$(mktemp -d)
DEMO=""
trap '[ -n "$DEMO" ] && kill $DEMO 2>/dev/null; rm -rf "$WORK"' EXIT
export DOSSIER_LOG=error
now() { date +%s.%N; }
# Everything below also goes to the log (no subshell: the trap must see $DEMO).
exec > >(tee bench/sharing-last-run.log) 2>&1
echo "== machine: $(nproc) cores, $(uname -r), $(openssl version)"
echo "== 1. intake throughput over $PACKAGES packages"
"$BIN" bench sharing-intake --packages "$PACKAGES" --concurrency 8 --export "$WORK/pk"
openssl pkey -in "$WORK/pk/branch.sealed.pem" -passin pass:1234 -out "$WORK/pk/branch.key"
one() { # i: decrypt and verify both parts of package i, as four processes
    set -e
    local d="$WORK/pk" i=$1
    for part in pdf meta; do
        openssl cms -decrypt -inform DER -in "$d/$i.$part.p7e" -recip "$d/branch.pem" -inkey "$d/branch.key" -out "$d/$i.$part.p7s"
        openssl cms -verify -inform DER -in "$d/$i.$part.p7s" -CAfile "$d/root.pem" -purpose any -out "$d/$i.$part" 2>/dev/null
    done
}
export -f one; export WORK
t0=$(now)
seq 0 $((OSSL - 1)) | xargs -P 2 -I{} bash -c 'one {}'
t1=$(now)
seq 1 $((OSSL * 4)) | xargs -P 2 -I{} openssl version >/dev/null
t2=$(now)
awk -v n="$OSSL" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    printf "openssl cms -decrypt + -verify, both parts: %d packages in %.2f s = %.1f packages/s (of which process start-up, %d × openssl version: %.2f s)\n", n, b - a, n / (b - a), n * 4, c - b }'

echo "== 2. hub: code issuance and document requests over HTTP"
"$BIN" --data-dir "$WORK/demo" demo --listen 127.0.0.1:18281 --hub-listen 127.0.0.1:18290 > "$WORK/demo.out" 2>&1 &
DEMO=$!
for _ in $(seq 1 100); do grep -q "Dossier is listening" "$WORK/demo.out" && break; sleep 0.2; done
grep -q "Dossier is listening" "$WORK/demo.out" || { cat "$WORK/demo.out"; exit 1; }
LOGINS=$(awk '/^Wallet logins/ { w = 1; next } w && /^  [0-9][0-9]* / && !/not in the fund/ { print $1 } w && !/^  / { w = 0 }' "$WORK/demo.out" | paste -sd, -)
TOKEN=$("$BIN" --data-dir "$WORK/demo" hub acquirer-add --id bench --name "Bench fund" --endpoint http://127.0.0.1:9/ 2>/dev/null)
DOSSIER_BENCH_ACQUIRER_TOKEN="$TOKEN" "$BIN" bench sharing-hub --hub http://127.0.0.1:18290 \
    --cert "$WORK/demo/keys/00000/agency-encryption.pem" --logins "$LOGINS" --seconds 10 --concurrency 16

echo "== 3. submit → stored copy, $SHARES shares one after the other"
"$BIN" bench sharing-flow --fund http://127.0.0.1:18281 --hub http://127.0.0.1:18290 --logins "$LOGINS" --count "$SHARES"
