#!/usr/bin/env bash
# A three-node Garage cluster on loopback, replication 3: the distributed S3
# store the tests, CI and benchmarks run Dossier against.
#
#   cluster.sh up DIR [BASE_PORT]   start it, make bucket "dossier" and a key;
#                                   writes DIR/env (AWS_* for Dossier) and prints it
#   cluster.sh stop-node DIR N      stop node N (1–3), as a failed machine would
#   cluster.sh start-node DIR N     start it again
#   cluster.sh down DIR             stop every node
#
# Node N listens for S3 on BASE_PORT+10N, RPC on +1, admin on +3 (BASE_PORT 39000).
set -euo pipefail

cmd=${1:?usage: cluster.sh up|down|stop-node|start-node DIR [ARG]}
dir=${2:?the folder of the cluster}
command -v garage >/dev/null || { echo "garage is missing: cargo install garage --locked --no-default-features --features lmdb,bundled-libs" >&2; exit 1; }

conf() { echo "$dir/node$1/garage.toml"; }
g() { local n=$1; shift; garage -c "$(conf "$n")" "$@"; }

start_node() {
    local n=$1
    garage -c "$(conf "$n")" server >"$dir/node$n/log" 2>&1 &
    echo $! >"$dir/node$n/pid"
}

stop_node() {
    local pidfile="$dir/node$1/pid"
    [ -f "$pidfile" ] || return 0
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
}

wait_for() { # $1 tries of 0.2 s, then the command
    local tries=$1; shift
    for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    "$@"
}

key_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

up() {
    local base=$1 secret key id sk p n
    mkdir -p "$dir"
    secret=$(openssl rand -hex 32)
    for n in 1 2 3; do
        p=$((base + 10 * n))
        mkdir -p "$dir/node$n/meta" "$dir/node$n/data"
        cat >"$(conf $n)" <<TOML
metadata_dir = "$dir/node$n/meta"
data_dir = "$dir/node$n/data"
db_engine = "lmdb"
replication_factor = 3
rpc_bind_addr = "127.0.0.1:$((p + 1))"
rpc_public_addr = "127.0.0.1:$((p + 1))"
rpc_secret = "$secret"

[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:$p"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:$((p + 3))"
admin_token = "$(openssl rand -hex 16)"
TOML
        start_node $n
    done
    # `node id` reads the key from disk and answers before the server listens;
    # `status` goes over RPC, so it is the readiness check.
    for n in 1 2 3; do wait_for 150 g $n status; done
    for n in 2 3; do wait_for 50 g 1 node connect "$(g $n node id -q)" >/dev/null; done
    for n in 1 2 3; do
        id=$(g $n node id -q); id=${id%%@*}
        g 1 layout assign -z "dc$n" -c 1G "${id:0:16}" >/dev/null
    done
    g 1 layout apply --version 1 >/dev/null
    wait_for 100 g 1 bucket create dossier >/dev/null
    key=$(g 1 json-api CreateKey '{"name":"dossier"}')
    id=$(key_field accessKeyId <<<"$key")
    sk=$(key_field secretAccessKey <<<"$key")
    g 1 bucket allow --read --write --owner dossier --key "$id" >/dev/null
    cat >"$dir/env" <<ENV
export AWS_ENDPOINT_URL=http://127.0.0.1:$((base + 10))
export AWS_REGION=garage
export AWS_ACCESS_KEY_ID=$id
export AWS_SECRET_ACCESS_KEY=$sk
export DOSSIER_TEST_S3=s3://dossier
ENV
    cat "$dir/env"
}

case "$cmd" in
up) up "${3:-39000}" ;;
stop-node) stop_node "${3:?node 1–3}" ;;
start-node) start_node "${3:?node 1–3}" ;;
down) for n in 1 2 3; do stop_node $n; done ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
