#!/usr/bin/env bash
# Reproduces the "Trust services" figures in BENCHMARKS.md.
# Usage: bench/trust.sh [SECONDS] [ROUNDS] [BATCH]      (defaults: 3 3 200)
#
# Each round runs, one after the other and each on one thread:
#   1. Dossier (crates/crypto/examples/trust_bench.rs) over the fixtures it
#      wrote once before the first round into a temporary directory (test PKI,
#      keys under PIN 1234, a one-page PDF, the PDF signed by Dossier and by
#      pyHanko, a 100 KB payload, its SignedData and EnvelopedData): PAdES
#      sign/verify, CMS sign/verify, envelope encrypt/decrypt and the
#      primitives, SECONDS each;
#   2. pyHanko through its Python API over the same files (bench/pyhanko_bench.py);
#   3. `openssl speed` for the primitives (AES-256-CBC both ways, SHA-256,
#      ECDSA and ECDH on P-256), SECONDS each;
#   4. `openssl cms` -encrypt / -decrypt / -sign / -verify over BATCH files of
#      100 KB, one process per file, timed with the shell, and `openssl version`
#      BATCH times as the process start-up baseline.
# Rounds interleave the tools so that load from other work on the machine
# falls on all of them alike; bench/trust_summary.py takes the median of the
# rounds. Rates are given per wall-clock second and per CPU second
# (cpu_ops_per_s): `openssl speed` divides by CPU (user) time unless told
# -elapsed, so on a shared machine only the CPU-time figures compare like with
# like. Raw output: bench/trust-last-run.log.
# Needs: cargo, python3 with pyHanko, openssl (3.x), bc.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-3}"
ROUNDS="${2:-3}"
BATCH="${3:-200}"
# `openssl speed -seconds` takes whole seconds.
SPEED_SECS=$(awk -v s="$SECS" 'BEGIN { n = int(s + 0.999); print (n < 1 ? 1 : n) }')
LOG=bench/trust-last-run.log
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -p dossier-crypto --example trust_bench 2>&1 | tail -1
BIN="$CARGO_TARGET_DIR/release/examples/trust_bench"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FX="$WORK/fixtures"
now() { date +%s.%N; }

# `openssl speed` → BENCH lines. Block ciphers and digests: the 16384-byte
# column (1000s of bytes/s) scaled to one 100 KB operation.
speed_bytes() { # name round
    awk -v name="$1" -v r="$2" '/^(AES-256-CBC|sha256) / {
        bps = $NF; sub(/k$/, "", bps); bps *= 1000; us = 102400 / bps * 1e6;
        printf "BENCH openssl %s round=%d bytes_per_s=%.0f ops_per_s=%.1f us_per_op=%.1f cpu_ops_per_s=%.1f cpu_us_per_op=%.1f\n", name, r, bps, 1e6 / us, us, 1e6 / us, us }'
}
speed_ec() { # round
    awk -v r="$1" '
        function line(op, rate) { printf "BENCH openssl %s round=%d ops_per_s=%s us_per_op=%.1f cpu_ops_per_s=%s cpu_us_per_op=%.1f\n", op, r, rate, 1e6 / rate, rate, 1e6 / rate }
        /bits ecdsa \(nistp256\)/ { line("prim_ecdsa_p256_sign", $7); line("prim_ecdsa_p256_verify", $8) }
        /bits ecdh \(nistp256\)/  { line("prim_ecdh_p256_derive", $6) }'
}
# CPU seconds (user + system) of the shell's finished children, from `times`
# (run in this shell: in a $(…) subshell it would count the subshell's children).
children_cpu() { times > "$WORK/times"; awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$WORK/times"; }
batch() { # name round command-with-{}  (one process per input file)
    local name=$1 r=$2 cmd=$3 t0 t1 c0 c1
    children_cpu > "$WORK/c0"
    t0=$(now)
    for i in $(seq 1 "$BATCH"); do eval "${cmd//\{\}/$i}"; done
    t1=$(now)
    children_cpu > "$WORK/c1"
    c0=$(cat "$WORK/c0")
    c1=$(cat "$WORK/c1")
    echo "$t0 $t1 $c0 $c1" | awk -v n="$BATCH" -v name="$name" -v r="$r" '{ s = $2 - $1; c = $4 - $3;
        printf "BENCH openssl-cms %s round=%d ops=%d secs=%.3f ops_per_s=%.1f us_per_op=%.1f cpu_secs=%.3f cpu_ops_per_s=%.1f cpu_us_per_op=%.1f\n",
            name, r, n, s, n / s, s / n * 1e6, c, n / c, c / n * 1e6 }'
}

# BATCH distinct 100 KB files for openssl cms (the same for every round).
mkdir -p "$WORK/in"
for i in $(seq 1 "$BATCH"); do head -c 102400 /dev/urandom > "$WORK/in/$i.bin"; done

# Fixtures, once: Dossier's, then the page signed by pyHanko; plain-key copies for openssl cms.
"$BIN" "$FX" 0 >/dev/null
python3 bench/pyhanko_bench.py "$FX" 0
openssl pkey -in "$FX/signer.key" -passin pass:1234 -out "$WORK/signer.plain.key"
openssl pkey -in "$FX/agency.key" -passin pass:1234 -out "$WORK/agency.plain.key"
mkdir -p "$WORK/env" "$WORK/sig"

run_all() {
    echo "# bench/trust.sh $SECS $ROUNDS $BATCH   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# host: $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "# $(rustc --version); $(openssl version); pyHanko $(python3 -c 'import importlib.metadata as m; print(m.version("pyHanko"))'); $(python3 --version)"

    for r in $(seq 1 "$ROUNDS"); do
        echo "== round $r: loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
        "$BIN" "$FX" "$SECS" 1 | sed "s/ round=1 / round=$r /"
        echo "-- pyHanko, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
        python3 bench/pyhanko_bench.py "$FX" "$SECS" 1 | sed "s/ round=1 / round=$r /"
        echo "-- openssl speed, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
        openssl speed -seconds "$SPEED_SECS" -evp aes-256-cbc 2>/dev/null | speed_bytes prim_aes256cbc_enc_100k "$r"
        openssl speed -seconds "$SPEED_SECS" -decrypt -evp aes-256-cbc 2>/dev/null | speed_bytes prim_aes256cbc_dec_100k "$r"
        openssl speed -seconds "$SPEED_SECS" -evp sha256 2>/dev/null | speed_bytes prim_sha256_100k "$r"
        openssl speed -seconds "$SPEED_SECS" ecdhp256 ecdsap256 2>/dev/null | speed_ec "$r"
        echo "-- openssl cms, $BATCH processes each, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
        batch process_startup "$r" 'openssl version >/dev/null'
        batch envelope_encrypt_100k "$r" "openssl cms -encrypt -binary -aes256 -recip $FX/agency.pem -keyopt ecdh_kdf_md:sha256 -in $WORK/in/{}.bin -outform DER -out $WORK/env/{}.der"
        batch envelope_decrypt_100k "$r" "openssl cms -decrypt -binary -inform DER -in $WORK/env/{}.der -recip $FX/agency.pem -inkey $WORK/agency.plain.key -out /dev/null"
        batch cms_sign_100k "$r" "openssl cms -sign -binary -nodetach -md sha256 -signer $FX/signer.pem -inkey $WORK/signer.plain.key -certfile $FX/issuing.pem -in $WORK/in/{}.bin -outform DER -out $WORK/sig/{}.der"
        # Dossier's own SignedData of the payload, BATCH times (what trust_bench verifies).
        batch cms_verify_100k "$r" "openssl cms -verify -binary -inform DER -in $FX/payload.p7s -CAfile $FX/root.pem -purpose any -out /dev/null 2>/dev/null"
        # Spot checks: the last envelope opens to its input; the last signature verifies.
        openssl cms -decrypt -binary -inform DER -in "$WORK/env/$BATCH.der" -recip "$FX/agency.pem" -inkey "$WORK/agency.plain.key" | cmp - "$WORK/in/$BATCH.bin"
        openssl cms -verify -binary -inform DER -in "$WORK/sig/$BATCH.der" -CAfile "$FX/root.pem" -purpose any 2>/dev/null | cmp - "$WORK/in/$BATCH.bin"
    done
    echo "== end: loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
}

run_all 2>&1 | tee "$LOG"
python3 bench/trust_summary.py "$LOG" | tee -a "$LOG"
