#!/usr/bin/env bash
# Instructions a person's look-up costs the server, counted by callgrind:
# steady where wall-clock A/Bs on this shared host are not (they drift ±10 %
# between runs; a change worth 5 % needs many pairs to show). A fresh copy of
# the 1 M-people database bench/ab-http.sh prepared; `dossier serve` under
# callgrind; 300 look-ups to warm it up, counters zeroed, then 1 000 look-ups
# one after the other (curl, each a new connection) and the counters dumped.
# Every thread counts: the request's, the access log's commit (one entry per
# commit here, where a saturated server gathers ~30), its index and checkpoints.
# Usage: bench/lookup-callgrind.sh BIN [BIN …]   (each build once, in turn)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out PORT=18191
[ -d "$OUT/abh-base" ] || { echo "run bench/ab-http.sh first: it prepares $OUT/abh-base" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
export DOSSIER_LOG=error
export DOSSIER_MASTER_KEY="${DOSSIER_MASTER_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
RUN="$OUT/callgrind-run" SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$RUN"' EXIT
look_up() {
  sed -n "$1p" "$OUT/abh-rnokpps.txt" | while read -r r; do
    curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/persons?rnokpp=$r"
  done
}
for bin in "$@"; do
  BIN="$(realpath "$bin")" PROFILE="$OUT/callgrind.$(basename "$bin").out"
  rm -rf "$RUN" "$PROFILE"*; cp -a "$OUT/abh-base" "$RUN"
  TOKEN=$("$BIN" --data-dir "$RUN" token-create --login regional --name callgrind)
  valgrind --tool=callgrind --callgrind-out-file="$PROFILE" "$BIN" --data-dir "$RUN" serve \
    --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
  look_up 1,300
  sleep 2; callgrind_control -z $SERVER >/dev/null 2>&1
  look_up 1001,2000
  sleep 2; callgrind_control -d $SERVER >/dev/null 2>&1; sleep 1
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""
  total=$(awk '/^summary:/ {print $2}' "$PROFILE".1)
  echo "$(basename "$bin"): $((total / 1000)) instructions per look-up (1 000 look-ups, all threads; profile $PROFILE.1)"
done
