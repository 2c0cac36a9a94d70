#!/usr/bin/env bash
# Several app servers (issue 22, benchmarks): Dossier as a region runs it —
# PostgreSQL, documents in a three-node Garage cluster (replication 3), HAProxy
# in front — with one `dossier serve` behind the balancer (A) and with two (B),
# interleaved A B A B … so the host's drift falls on both. Each side measures
#   * the look-up by RNOKPP over PEOPLE people: wrk, 2 threads, 64 connections, 20 s;
#   * the intake: PACKAGES packages (formed anew each time by the demo hub's keys,
#     `dossier bench deliveries-seed`) posted as the hub does, 16 in flight,
#     each opened, verified, matched and stored (`dossier bench deliver`).
# Both servers run throughout (B's second one idles during A); the servers, the
# balancer, PostgreSQL, Garage and the load generators share this host's cores.
# Usage: bench/cluster.sh [ROUNDS] [PEOPLE] [PACKAGES]   (defaults: 3 100000 1000)
# Needs: target/release/dossier, PostgreSQL at DOSSIER_TEST_PG_URL (default
# postgres://postgres@127.0.0.1:5432/postgres), garage, haproxy, wrk, psql.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}" PEOPLE="${2:-100000}" PACKAGES="${3:-1000}"
BIN="$(realpath target/release/dossier)"
PG="${DOSSIER_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
OUT=bench/out
WORK="$OUT/cluster"
DB=dossier_bench_cluster
PORTS=(18381 18382) FRONT=18380
export DOSSIER_LOG=error
rm -rf "$WORK"; mkdir -p "$WORK/data"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/data/master.key"
psql "$PG" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
tests/garage/cluster.sh up "$WORK/garage" 39600 >/dev/null
# shellcheck disable=SC1091
source "$WORK/garage/env"
export DOSSIER_DATA_DIR="$WORK/data" DOSSIER_DATABASE_URL="${PG%/*}/$DB" DOSSIER_BLOBS="s3://dossier/bench-cluster"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  tests/garage/cluster.sh down "$WORK/garage" >/dev/null 2>&1 || true
  psql "$PG" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(uname -sr); $(psql "$PG" -tAc 'SHOW server_version'); $(garage --version | head -1); $(haproxy -v | head -1)"
echo "== $PEOPLE people, $PACKAGES packages per intake run, $ROUNDS rounds"
"$BIN" demo --seed-only >/dev/null
"$BIN" hub seed-demo >/dev/null
CSV="$OUT/people-$PEOPLE.csv"
[ -f "$CSV" ] || "$BIN" gen-people "$PEOPLE" "$CSV"
"$BIN" import "$CSV" --unit 26101 --report "$WORK/import-errors.csv" >/dev/null
TOKEN=$("$BIN" token-create --login regional --name bench)
"$BIN" bench export-ids --count 40000 --ids "$WORK/ids.txt" --rnokpps "$WORK/rnokpps.txt" >/dev/null

# The fund's servers: the hub that would deliver is the benchmark itself; nothing answers polls.
for port in "${PORTS[@]}"; do
  DOSSIER_HUB_URL="http://127.0.0.1:9" DOSSIER_HUB_ACQUIRER_ID=pfu DOSSIER_HUB_TOKEN=bench \
  DOSSIER_HUB_CERT="$WORK/data/hub/keys/document-signing.pem" DOSSIER_CA_PIN=2026 \
    "$BIN" serve --listen "127.0.0.1:$port" >"$WORK/serve-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$WORK/serve-$port.log"; exit 1; }
done

balancer() { # the servers behind it: 1 or 2
  local servers="" i
  for i in $(seq 0 $(($1 - 1))); do servers+="  server app$i 127.0.0.1:${PORTS[$i]} check inter 1s"$'\n'; done
  cat >"$WORK/haproxy.cfg" <<CFG
global
  maxconn 1024
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  option forwardfor
  option http-keep-alive
frontend fund
  bind 127.0.0.1:$FRONT
  default_backend apps
backend apps
  balance roundrobin
  option httpchk GET /readyz
$servers
CFG
  haproxy -db -f "$WORK/haproxy.cfg" >/dev/null 2>&1 &
  LB=$!
  PIDS+=("$LB")
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$FRONT/readyz" >/dev/null && break; sleep 0.1; done
  sleep 1.5 # every server marked up
}

for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    n=1; [ "$side" = B ] && n=2
    balancer "$n"
    lookup=$(RNOKPPS="$WORK/rnokpps.txt" TOKEN="$TOKEN" wrk -t2 -c64 -d20s --latency -s bench/lookup.lua "http://127.0.0.1:$FRONT")
    rm -rf "$WORK/packages"
    "$BIN" bench deliveries-seed --packages "$PACKAGES" --out "$WORK/packages" >/dev/null
    intake=$("$BIN" bench deliver --from "$WORK/packages" --to "http://127.0.0.1:$FRONT/api/v1/sharing/deliveries" --in-flight 16)
    kill "$LB"; wait "$LB" 2>/dev/null || true
    l_rps=$(echo "$lookup" | awk '/Requests\/sec/ {print $2}')
    l_p99=$(echo "$lookup" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$lookup" | awk '/Non-2xx/ {print $NF}')
    echo "round $round $side ($n server(s)): look-up $l_rps req/s p99 $l_p99 non-2xx ${non2xx:-0}; intake: $intake"
  done
done
stored=$(psql "$DOSSIER_DATABASE_URL" -tAc "SELECT count(*) FROM sharing_copies")
echo "== packages stored: $stored of $((ROUNDS * 2 * PACKAGES))"
