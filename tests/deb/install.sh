#!/usr/bin/env bash
# The Debian package installed and started on this machine (issue 22 §6).
# Builds it with cargo-deb (a release build) unless given one, installs it
# with dpkg, checks what went where and whose it is, judges the unit with
# systemd's own tools (`systemd-analyze verify`, and `security --offline`: the
# exposure score of the hardening), starts the service — by systemctl where
# systemd runs, else exactly as the unit says (its User=, Environment= and
# ExecStart=) — asks /readyz, stops it with SIGTERM, then removes and purges
# the package: the data stays.
#
#   tests/deb/install.sh [PATH.deb]     (as root; CI runs it after the suite)
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "deb: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (dpkg -i)"
deb=${1:-}
if [ -z "$deb" ]; then
    command -v cargo-deb >/dev/null || fail "cargo-deb is missing: cargo install cargo-deb --locked"
    # The release build's progress only when it fails.
    cargo deb -p dossier-cli --locked >/tmp/dossier-deb-build.log 2>&1 || { tail -40 /tmp/dossier-deb-build.log; fail "cargo deb"; }
    deb=$(ls -t target/debian/dossier_*.deb | head -1)
fi
dpkg-deb --field "$deb" Package | grep -qx dossier || fail "$deb is not the dossier package"

unit=/lib/systemd/system/dossier.service
dpkg -P dossier >/dev/null 2>&1 || true   # a run that stopped half-way
rm -rf /var/lib/dossier
dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb"
trap 'pkill -u dossier -f "/usr/bin/dossier serve" 2>/dev/null || true' EXIT

# What went where, and whose it is.
[ -x /usr/bin/dossier ] || fail "/usr/bin/dossier missing"
[ -f "$unit" ] || fail "$unit missing"
dpkg-query -W -f='${Conffiles}\n' dossier | grep -q /etc/dossier/dossier.toml || fail "dossier.toml is not a conffile"
[ "$(stat -c '%a %U:%G' /etc/dossier/dossier.toml)" = "640 root:dossier" ] || fail "dossier.toml: $(stat -c '%a %U:%G' /etc/dossier/dossier.toml)"
id -u dossier >/dev/null || fail "no dossier account"
[ "$(id -u dossier)" -lt 1000 ] || fail "dossier is not a system account"
case "$(getent passwd dossier | cut -d: -f7)" in */nologin | */false) ;; *) fail "dossier can log in" ;; esac
[ "$(stat -c '%a %U' /var/lib/dossier)" = "700 dossier" ] || fail "/var/lib/dossier: $(stat -c '%a %U' /var/lib/dossier)"

# The unit, judged by systemd: it loads cleanly, and its exposure score.
systemd-analyze verify "$unit" || fail "systemd-analyze verify"
exposure=$(systemd-analyze security --offline=yes "$unit" | sed -n 's/.*Overall exposure level for dossier.service: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || fail "no exposure score"
echo "deb: systemd-analyze security: exposure $exposure (0 = locked down, 10 = exposed)"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure > 2.0"

# Started as the unit says.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ -d /run/systemd/system ]; then
    mkdir -p /etc/systemd/system/dossier.service.d
    printf '[Service]\nEnvironment=DOSSIER_LISTEN=127.0.0.1:%s\n' "$port" >/etc/systemd/system/dossier.service.d/test.conf
    systemctl daemon-reload && systemctl restart dossier
else
    # No systemd as PID 1 (a container): the unit's own account, environment and command.
    user=$(sed -n 's/^User=//p' "$unit")
    env=$(sed -n 's/^Environment=//p' "$unit")
    exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
    workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
    (cd "$workdir" && umask 0077 && exec runuser -u "$user" -- env $env DOSSIER_LISTEN="127.0.0.1:$port" $exec_start) \
        >/tmp/dossier-deb.log 2>&1 &
fi
for _ in $(seq 150); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { cat /tmp/dossier-deb.log 2>/dev/null; fail "the service is not ready"; }
pid=$(pgrep -u dossier -f "/usr/bin/dossier serve" | head -1)
[ -n "$pid" ] || fail "the service does not run as dossier"
[ "$(stat -c '%U %a' /var/lib/dossier/master.key)" = "dossier 600" ] || fail "master.key: $(stat -c '%U %a' /var/lib/dossier/master.key)"
echo "deb: installed; the service answers /readyz on 127.0.0.1:$port as user dossier (pid $pid)"
if [ -d /run/systemd/system ]; then
    systemctl stop dossier
    rm -rf /etc/systemd/system/dossier.service.d && systemctl daemon-reload
else
    kill -TERM "$pid"
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    ! kill -0 "$pid" 2>/dev/null || fail "the service did not stop on SIGTERM"
fi

# Removed: the program goes, the data stays; purged: the settings and the account go, the data stays.
dpkg -r dossier >/dev/null
[ ! -e /usr/bin/dossier ] || fail "/usr/bin/dossier left after removal"
[ -f /var/lib/dossier/dossier.db ] || fail "the data went with the package"
dpkg -P dossier >/dev/null
[ ! -e /etc/dossier/dossier.toml ] || fail "dossier.toml left after purge"
! id -u dossier >/dev/null 2>&1 || fail "the dossier account left after purge"
[ -f /var/lib/dossier/dossier.db ] || fail "purge deleted the fund's data"
rm -rf /var/lib/dossier
echo "deb: removed and purged; the data was kept until this test deleted it"
