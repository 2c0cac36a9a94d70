#!/usr/bin/env bash
# The OCSP responder over HTTP against OpenSSL's (`openssl ocsp -port`, the
# peer), interleaved: Dossier, OpenSSL, Dossier, OpenSSL …
# Each side answers the same kind of request — one certificate, a nonce, so
# every answer is looked up and signed afresh (ECDSA P-256) — for SECONDS
# under wrk (2 threads, CONNS connections). Dossier runs `dossier serve` on
# SQLite with the demo's centre; OpenSSL runs with `-multi 2` (two worker
# processes, one per core) over an index of one certificate, started afresh
# for each of its rounds: OpenSSL 3.0's responder workers spin for ever on a
# connection the client closed without a request (read() = 0 in a loop, seen
# with strace), which wrk leaves at the end of every run, so a second run
# against the same processes gets nothing. Each side is checked once with
# `openssl ocsp` before it is timed.
# Usage: bench/ocsp.sh BIN [ROUNDS] [SECONDS] [CONNS]    Needs: wrk, openssl 3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "$1")" ROUNDS="${2:-3}" SECS="${3:-10}" CONNS="${4:-32}"
OUT=bench/out/ocsp
O="$OUT/openssl"
DPORT=18191 OPORT=18192
export DOSSIER_LOG=error DOSSIER_CA_PIN=2026
export DOSSIER_MASTER_KEY="${DOSSIER_MASTER_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
rm -rf "$OUT"; mkdir -p "$OUT"
PIDS=()
# OpenSSL's responder ignores SIGTERM while it waits in accept(): SIGKILL.
stop_openssl() { pkill -9 -f "openssl ocsp -index $O/index.txt" 2>/dev/null || true; }
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; stop_openssl' EXIT

# Dossier: the demo's centre and one certificate it issued.
"$BIN" --data-dir "$OUT/data" demo --seed-only >/dev/null
"$BIN" --data-dir "$OUT/data" serve --listen "127.0.0.1:$DPORT" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$DPORT/health" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$DPORT/ca/issuing.pem" -o "$OUT/d-issuing.pem"
curl -sf "http://127.0.0.1:$DPORT/ca/root.pem" -o "$OUT/d-root.pem"
LEAF="$OUT/data/keys/00000/document-signing.pem"
openssl ocsp -issuer "$OUT/d-issuing.pem" -cert "$LEAF" -reqout "$OUT/d-req.der" >/dev/null
openssl ocsp -issuer "$OUT/d-issuing.pem" -cert "$LEAF" -url "http://127.0.0.1:$DPORT/ca/ocsp" \
  -CAfile "$OUT/d-root.pem" -verify_other "$OUT/d-issuing.pem" 2>&1 | grep -q ": good" || { echo "Dossier's answer not accepted"; exit 1; }

# OpenSSL: a P-256 CA with one certificate in its index, the CA signing answers itself.
mkdir -p "$O"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$O/ca.key" -out "$O/ca.pem" \
  -subj "/CN=Bench CA" -days 30 -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$O/leaf.key" -out "$O/leaf.csr" -subj "/CN=Leaf" 2>/dev/null
openssl x509 -req -in "$O/leaf.csr" -CA "$O/ca.pem" -CAkey "$O/ca.key" -set_serial 0x1234 -days 30 -out "$O/leaf.pem" 2>/dev/null
printf 'V\t%s\t\t1234\tunknown\t/CN=Leaf\n' "$(date -u -d '+30 days' +%y%m%d%H%M%SZ)" > "$O/index.txt"
start_openssl() {
  (openssl ocsp -index "$O/index.txt" -port "$OPORT" -rsigner "$O/ca.pem" -rkey "$O/ca.key" -CA "$O/ca.pem" \
    -nmin 60 -multi 2 </dev/null >/dev/null 2>&1 &)
  # Wait for the socket without connecting (a connection without a request would jam a worker).
  for _ in $(seq 1 50); do ss -ltn | grep -q ":$OPORT " && break; sleep 0.1; done
}
start_openssl
openssl ocsp -issuer "$O/ca.pem" -cert "$O/leaf.pem" -reqout "$O/req.der" >/dev/null
openssl ocsp -issuer "$O/ca.pem" -cert "$O/leaf.pem" -url "http://127.0.0.1:$OPORT" -CAfile "$O/ca.pem" 2>&1 \
  | grep -q ": good" || { echo "OpenSSL's responder not answering"; exit 1; }
stop_openssl

run() { # name port request
  local out rps p99 errors
  out=$(REQ="$3" wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/ocsp.lua "http://127.0.0.1:$2/${4:-}")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  echo "round $round $1: $rps responses/s p99 $p99 ${errors}"
}
openssl version
for round in $(seq 1 "$ROUNDS"); do
  run dossier "$DPORT" "$OUT/d-req.der" ca/ocsp
  start_openssl
  run openssl "$OPORT" "$O/req.der"
  stop_openssl
done
