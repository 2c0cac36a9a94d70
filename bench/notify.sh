#!/usr/bin/env bash
# Reproduces the "Notifications" figures in BENCHMARKS.md, peers in the same run, interleaved:
#  1. delivery: N e-mails (DKIM-signed, RSA-2048) from the outbox to a local SMTP server (aiosmtpd
#     with a discarding handler) by `dossier notify work --until-empty`; the peer is Python's smtplib
#     sending N messages of the same size to the same server over the same number of connections
#     (what the server itself can take);
#  2. the weekly production run (100 000 applications) without subscriptions, with 30 % of the
#     applicants subscribed by e-mail, and with that plus one system webhook (every message written
#     in the run's transactions).
# Usage: bench/notify.sh [MESSAGES] [ROUNDS] [PART]   (defaults: 20000 3 all; PART: delivery, weekly, all)
# Needs: cargo, python3 with aiosmtpd, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
ROUNDS="${2:-3}"
PART="${3:-all}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# DOSSIER_BIN: a release binary built already (skips the build).
if [ -z "${DOSSIER_BIN:-}" ]; then cargo build --release -p dossier-cli 2>&1 | tail -1; fi
BIN="${DOSSIER_BIN:-$CARGO_TARGET_DIR/release/dossier}"
LOG=bench/notify-last-run.log; [ "$PART" = all ] || LOG="bench/notify-$PART-last-run.log"
exec > >(tee "$LOG") 2>&1
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r)"
WORK="$(mktemp -d)"
trap 'kill $SMTP_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m aiosmtpd -n -l "127.0.0.1:$PORT" -c aiosmtpd.handlers.Sink &
SMTP_PID=$!
sleep 1
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/dkim.pem" 2>/dev/null
CONNECTIONS=16

peer() {
  python3 - "$PORT" "$N" "$CONNECTIONS" <<'PY'
import smtplib, sys, threading, time
port, n, conns = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
body = ("Subject: =?utf-8?b?0JfQsNGP0LLRgw==?=\r\nFrom: fund@example.org\r\nTo: bench@example.org\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + ("x" * 76 + "\r\n") * 16).encode()
def run(k):
    s = smtplib.SMTP("127.0.0.1", port)
    for _ in range(k):
        s.sendmail("fund@example.org", ["bench@example.org"], body)
    s.quit()
t = time.time()
ts = [threading.Thread(target=run, args=(n // conns,)) for _ in range(conns)]
[x.start() for x in ts]; [x.join() for x in ts]
dt = time.time() - t
print(f"peer smtplib: {n // conns * conns} messages in {dt:.2f} s = {n // conns * conns / dt:.0f}/s")
PY
}

dossier() {
  local dir="$WORK/d$1"
  rm -rf "$dir"; mkdir -p "$dir"
  cat > "$dir/dossier.toml" <<TOML
[notify]
quiet_hours = "off"
concurrency = 32
[notify.email]
smtp = "127.0.0.1:$PORT"
from = "Пенсійний фонд <noreply@fund.example>"
connections = $CONNECTIONS
dkim_key = "$WORK/dkim.pem"
dkim_domain = "fund.example"
dkim_selector = "dossier"
TOML
  DOSSIER_LOG=error "$BIN" --data-dir "$dir" --config "$dir/dossier.toml" bench outbox-seed --messages "$N" --email bench@example.org >/dev/null
  echo -n "dossier notify work: "
  DOSSIER_LOG=error "$BIN" --data-dir "$dir" --config "$dir/dossier.toml" notify work --workers 2 --until-empty
}

if [ "$PART" != weekly ]; then
echo "== delivery of $N e-mails over $CONNECTIONS connections, $ROUNDS rounds, interleaved"
for r in $(seq 1 "$ROUNDS"); do
  peer
  dossier "$r"
done

fi

[ "$PART" = delivery ] && exit 0
echo "== the weekly run: no subscribers; 30 % by e-mail; 30 % and a system webhook told of every case (interleaved)"
for r in $(seq 1 2); do
  DOSSIER_LOG=error "$BIN" bench production --subscribed 0 | grep -E "weekly run total|subscribed"
  DOSSIER_LOG=error "$BIN" bench production --subscribed 30 | grep -E "weekly run total|subscribed"
  DOSSIER_LOG=error "$BIN" bench production --subscribed 30 --webhook | grep -E "weekly run total|subscribed"
done
