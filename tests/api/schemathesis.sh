#!/usr/bin/env bash
# schemathesis (PyPI) over the whole API of a demo server: the fund's API and
# the wallet hub's, each against the OpenAPI document the server derives from
# its handlers, with every check on. Any failure fails the run.
#
#   tests/api/schemathesis.sh [path/to/dossier] [extra schemathesis run args…]
#
# Starts `dossier demo` in a fresh folder on free ports, issues the tokens the
# run uses, and stops the demo on exit. The seed is fixed so that a failure can
# be replayed; SCHEMATHESIS_EXAMPLES sets how many cases each operation gets.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "${1:-$here/../../target/debug/dossier}")"
shift || true
command -v schemathesis >/dev/null || { echo "schemathesis is missing (pip install schemathesis)" >&2; exit 1; }
[ -x "$bin" ] || { echo "no dossier binary at $bin" >&2; exit 1; }

work="$(mktemp -d)"
fund_port=18180
hub_port=18190
demo_pid=""
cleanup() {
  local status=$?
  if [ -n "$demo_pid" ]; then
    kill "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

cd "$work"
DOSSIER_LOG=warn "$bin" demo --listen "127.0.0.1:$fund_port" --hub-listen "127.0.0.1:$hub_port" >demo.log 2>&1 &
demo_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$fund_port/health" >/dev/null && curl -sf "http://127.0.0.1:$hub_port/api/openapi.json" >/dev/null && break
  kill -0 "$demo_pid" 2>/dev/null || { cat demo.log >&2; echo "the demo did not start" >&2; exit 1; }
  sleep 1
done

# The fund's API as a district officer (people, applications, production at a district);
# the hub's as a registered acquirer and as a demo citizen in the wallet.
export DOSSIER_API_TOKEN="$("$bin" token-create --login district --name schemathesis | tail -n1)"
# A person and an application in the district's scope, so that the operations
# on one reach real records (and their answers are checked against the schemas).
first() { # path field
  curl -sf -H "Authorization: Bearer $DOSSIER_API_TOKEN" "http://127.0.0.1:$fund_port$1" |
    python3 -c "import json, sys; print(json.load(sys.stdin)['items'][0]['$2'])"
}
export DOSSIER_APPLICATION_ID="$(first '/api/v1/applications?limit=1' id)"
export DOSSIER_PERSON_ID="$(first '/api/v1/applications?limit=1' person_id)"
export HUB_ACQUIRER_TOKEN="$("$bin" hub acquirer-add --id schemathesis --name Schemathesis --endpoint "http://127.0.0.1:9/" \
  --login-redirect-uri "http://127.0.0.1:9/account/callback" | grep -E '^schemathesis\.' )"
# A wallet login the demo printed (a citizen the fund knows), then its session.
wallet_login="$(grep -E '^  [0-9]{10} ' demo.log | grep -v 'not in the fund' | head -n1 | awk '{print $1}')"
[ -n "$wallet_login" ] || { cat demo.log >&2; echo "the demo printed no wallet login" >&2; exit 1; }
export HUB_WALLET_TOKEN="$(curl -sf -H 'content-type: application/json' \
  -d "{\"login\":\"$wallet_login\",\"password\":\"demo-wallet-2026\"}" "http://127.0.0.1:$hub_port/wallet/api/login" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"
[ -n "$HUB_WALLET_TOKEN" ] || { echo "the demo wallet did not let $wallet_login sign in" >&2; exit 1; }

run() { # name port [args…]
  local name=$1 port=$2
  shift 2
  echo "== schemathesis: the $name's API"
  schemathesis --config-file "$here/$name.toml" run "http://127.0.0.1:$port/api/openapi.json" \
    --seed 17 --max-examples "${SCHEMATHESIS_EXAMPLES:-100}" --no-color "$@"
}
status=0
run fund "$fund_port" "$@" || status=1
run hub "$hub_port" "$@" || status=1
exit $status
