#!/usr/bin/env bash
# Reproduces the "Digitization" figures in BENCHMARKS.md, the peer in the same run, interleaved:
# N taxpayer cards rendered by Dossier and rasterised at 300 dpi (`dossier bench scans`), then
#  - Dossier: recognition as the OCR workers run it (Tesseract per page, ukr+eng, 2 at once) and
#    field extraction, checked against what the pages print (`dossier bench ocr`);
#  - Dossier end to end: the same pages through the app as the server runs it — each stored
#    encrypted in a fresh SQLite store, recognised, extracted, made into a searchable PDF/A with the
#    seal mark, signed (PAdES) and stored encrypted (`dossier bench ocr --end-to-end`);
#  - OCRmyPDF (PyPI) on the same pages as one PDF (img2pdf), same languages, --jobs 2, its default
#    output (PDF/A through Ghostscript).
#  - then the quality half, on worn pages (`bench scans --noisy`: tilted up to ±4.5°, low contrast,
#    blurred, grainy), Ukrainian taxpayer cards and Vietnamese citizen identity cards: the character
#    error rate of the recognised text against the printed lines for Dossier (`bench ocr`, pages put
#    upright as the workers do) and for OCRmyPDF (`--rotate-pages --deskew`, its --sidecar text,
#    scored by `bench cer` the same way), and Dossier's fields accepted without a person / wrong;
#    then the same worn pages saved as JPEG at quality 50 as an office scanner may (Pillow): OCRmyPDF
#    gets the JPEGs themselves in its PDF, Dossier the same pixels decoded.
# Usage: bench/digitization.sh [PAGES] [ROUNDS]   (defaults: 20 3)
# Needs: cargo, tesseract with ukr and vie, pdftoppm, python3 with ocrmypdf, img2pdf and Pillow, ghostscript.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20}"
ROUNDS="${2:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${DOSSIER_BIN:-}" ]; then cargo build --release -p dossier-cli 2>&1 | tail -1; fi
BIN="${DOSSIER_BIN:-$CARGO_TARGET_DIR/release/dossier}"
exec > >(tee bench/digitization-last-run.log) 2>&1
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r); $(tesseract --version 2>&1 | head -1); ocrmypdf $(ocrmypdf --version)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$BIN" bench scans --out "$WORK/pages" --count "$N"
python3 -m img2pdf "$WORK"/pages/page-*.png -o "$WORK/pages.pdf"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r"
  "$BIN" bench ocr --pages "$WORK/pages" --workers 2
  "$BIN" bench ocr --pages "$WORK/pages" --workers 2 --end-to-end 2>/dev/null
  t0=$(date +%s.%N)
  OMP_THREAD_LIMIT=1 ocrmypdf -q -l ukr+eng --jobs 2 --sidecar "$WORK/clean.txt" "$WORK/pages.pdf" "$WORK/out.pdf"
  t1=$(date +%s.%N)
  python3 -c "import sys; n, dt = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print(f'peer ocrmypdf: {n} pages in {dt:.2f} s = {n/dt:.2f} pages/s (--jobs 2, PDF/A output)')" "$N" "$t0" "$t1"
done
"$BIN" bench cer --truth "$WORK/pages/truth.json" --text "$WORK/clean.txt"
for lang in ukr vie; do
  if [ "$lang" = vie ]; then flags="--vietnamese"; kind="vn-citizen-id-card"; langs="vie"; else flags=""; kind="ua-taxpayer-card"; langs="ukr+eng"; fi
  echo "== worn pages ($lang): character error rate and fields"
  "$BIN" bench scans --out "$WORK/noisy-$lang" --count "$N" --noisy $flags
  python3 -m img2pdf "$WORK"/noisy-$lang/page-*.png -o "$WORK/noisy-$lang.pdf"
  "$BIN" bench ocr --pages "$WORK/noisy-$lang" --workers 2 --kind "$kind"
  OMP_THREAD_LIMIT=1 ocrmypdf -q -l "$langs" --jobs 2 --rotate-pages --deskew --sidecar "$WORK/noisy-$lang.txt" \
    "$WORK/noisy-$lang.pdf" "$WORK/noisy-$lang-out.pdf"
  "$BIN" bench cer --truth "$WORK/noisy-$lang/truth.json" --text "$WORK/noisy-$lang.txt"
  echo "== worn pages ($lang) saved as JPEG, quality 50: character error rate and fields"
  mkdir -p "$WORK/jpeg-$lang"
  cp "$WORK/noisy-$lang/truth.json" "$WORK/jpeg-$lang/"
  python3 - "$WORK/noisy-$lang" "$WORK/jpeg-$lang" <<'PY'
import pathlib, sys
from PIL import Image
src, dst = map(pathlib.Path, sys.argv[1:])
for png in sorted(src.glob("page-*.png")):
    jpg = dst / (png.stem + ".jpg")
    Image.open(png).save(jpg, quality=50, dpi=(300, 300))
    Image.open(jpg).save(dst / png.name, dpi=(300, 300))
PY
  python3 -m img2pdf "$WORK"/jpeg-$lang/page-*.jpg -o "$WORK/jpeg-$lang.pdf"
  "$BIN" bench ocr --pages "$WORK/jpeg-$lang" --workers 2 --kind "$kind"
  OMP_THREAD_LIMIT=1 ocrmypdf -q -l "$langs" --jobs 2 --rotate-pages --deskew --sidecar "$WORK/jpeg-$lang.txt" \
    "$WORK/jpeg-$lang.pdf" "$WORK/jpeg-$lang-out.pdf"
  "$BIN" bench cer --truth "$WORK/jpeg-$lang/truth.json" --text "$WORK/jpeg-$lang.txt"
done
