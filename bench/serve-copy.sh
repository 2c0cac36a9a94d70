# Sourced by the A/B scripts that start `dossier serve` (or the hub) and measure it.
# pair_order ROUND: "A B" in odd rounds, "B A" in even ones — the second run of a
# pair measures differently from the first whatever the build, so each build
# takes each place in turn.
pair_order() { if [ $(($1 % 2)) -eq 0 ]; then echo "B A"; else echo "A B"; fi; }
# serve_copy BIN BASE RUN PORT: a fresh copy of BASE in RUN, `BIN serve` on it in
# the background (its pid in SERVER), back once it answers /health.
serve_copy() {
  rm -rf "$3"; cp -a "$2" "$3"
  "$1" --data-dir "$3" serve --listen "127.0.0.1:$4" >/dev/null 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$4/health" >/dev/null && return; sleep 0.2; done
  echo "$1 did not answer on port $4" >&2; return 1
}
# memory PID: its RSS, the anonymous part (the process's own memory) and the
# file part (mapped binary and database pages, shared with the page cache).
memory() { awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2}
                END {printf "RSS %.1f MB (anonymous %.1f, file %.1f)", r / 1024, a / 1024, f / 1024}' "/proc/$1/status"; }
# idle_readings PID: its memory 2 s and 30 s after the call.
idle_readings() {
  local early late
  sleep 2; early=$(memory "$1")
  sleep 28; late=$(memory "$1")
  echo "after 2 s $early; after 30 s $late"
}
