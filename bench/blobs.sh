#!/usr/bin/env bash
# The blob store (issue 22 §1): documents of 100 KB sealed and written, then
# read back, 16 in flight, through Dossier's BlobStore in process
# (`dossier bench blobs`) — on a local folder (A) and on a three-node Garage
# cluster on loopback with replication 3 (B), interleaved A B A B … so the
# machine's noise falls on both. Each side gets a fresh folder or key prefix.
# Usage: bench/blobs.sh [ROUNDS] [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}" COUNT="${2:-2000}"
BIN="$(realpath target/release/dossier)"
OUT=bench/out
mkdir -p "$OUT"
export DOSSIER_LOG=error
CLUSTER=$(mktemp -d)
trap 'tests/garage/cluster.sh down "$CLUSTER" >/dev/null 2>&1 || true; rm -rf "$OUT/blobs-folder"' EXIT
tests/garage/cluster.sh up "$CLUSTER" 39500 >/dev/null
# shellcheck disable=SC1091
source "$CLUSTER/env"
echo "machine: $(nproc) cores, $(uname -sr); $(garage --version | head -1); $COUNT × 100 KB, 16 in flight"
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$OUT/blobs-folder"
  echo "round $round A (folder):"
  "$BIN" bench blobs --data-dir "$OUT" --blobs "$OUT/blobs-folder" --count "$COUNT" | sed 's/^/  /'
  echo "round $round B (Garage, 3 nodes):"
  "$BIN" bench blobs --data-dir "$OUT" --blobs "s3://dossier/bench-$round" --count "$COUNT" | sed 's/^/  /'
done
