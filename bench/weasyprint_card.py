"""The peer of `card_bench`: WeasyPrint renders the same card back (form 5) from equivalent
HTML — an 85.60 × 53.98 mm page, the same zones at the same places, DejaVu Sans, the same
250 × 300 colour photo and 400 × 64 signature per card (PNG data URIs with the same pixels as
card_bench's, made before the clock starts) — N times as one-page files and once as an N-page
file, on one thread. Prints the rates.

Usage: python3 bench/weasyprint_card.py [N]
"""
import base64
import io
import sys
import time

import weasyprint
from PIL import Image

CSS = """
@page { size: 85.60mm 53.98mm; margin: 0 }
body { margin: 0; font-family: 'DejaVu Sans'; }
.card { position: relative; width: 85.60mm; height: 53.98mm; page-break-after: always; }
.z1 { position: absolute; left: 2mm; top: 2.6mm; font-size: 5.6pt; }
.z2 { position: absolute; left: 2mm; top: 16.6mm; font-size: 5.6pt; }
.z2 b { font-size: 7pt; margin-left: 1.2mm; }
.photo { position: absolute; left: 2mm; top: 20.4mm; width: 25mm; height: 30mm; border: 0.5pt solid black; box-sizing: border-box; }
.id { position: absolute; left: 2mm; top: 50.9mm; font-size: 5pt; }
.z4 { position: absolute; left: 30.5mm; top: 20.4mm; width: 53.1mm; border-collapse: collapse; }
.z4 td { padding: 0; line-height: 2.65mm; vertical-align: top; }
.z4 td.l { font-size: 5pt; width: 16mm; }
.z4 td.v { font-size: 6.2pt; font-weight: bold; }
.z5 { position: absolute; left: 30.5mm; top: 44.2mm; font-size: 5pt; }
.z5 b { font-size: 6.2pt; margin-left: 9mm; }
.sig-l { position: absolute; left: 40.5mm; top: 49.6mm; font-size: 5pt; }
.sig { position: absolute; left: 57mm; top: 47.28mm; width: 26.6mm; height: 5.5mm; border: 0.5pt solid black; box-sizing: border-box; }
.photo img, .sig img { width: 100%; height: 100%; object-fit: contain; display: block; }
"""


def png(n, size, mode):
    """card_bench's pixels: a vertical gradient with six bits of noise, byte i being
    (i // row) mod 192 + ((2654435761 i + 40503 n) >> 13) mod 64."""
    w, h = size
    row = w * len(mode)
    data = bytes((i // row) % 192 + ((i * 2654435761 + n * 40503) >> 13) % 64 for i in range(row * h))
    out = io.BytesIO()
    Image.frombytes(mode, size, data).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def pictures(n):
    return png(n, (250, 300), "RGB"), png(n, (400, 64), "L")


def card(n, photo, signature):
    surname = "Ґалаґан-Рибалко Семенюк-Запорожець" if n % 10 == 0 else f"Шевченко-{n}"
    rows = [("Прізвище", surname), ("Ім’я", "Мар’яна"), ("По батькові", "Євгенівна"), ("Стать", "жіноча"),
            ("Дата народження", "08.02.1948"), ("Вид пенсії", "по інвалідності внаслідок загального захворювання")]
    cells = "".join(f"<tr><td class=l>{l}</td><td class=v>{v}</td></tr>" for l, v in rows)
    return (f"<div class=card><div class=z1>Контакт-центр Пенсійного фонду України: 0 800 503 753</div>"
            f"<div class=z2>Пенсійне посвідчення №<b>{n:010d}</b></div><div class=photo><img src='{photo}'></div>"
            f"<div class=id>5168 7420 {n:08d}</div><table class=z4>{cells}</table>"
            f"<div class=z5>Термін дії<b>21.11.2029</b></div><div class=sig-l>Підпис власника</div>"
            f"<div class=sig><img src='{signature}'></div></div>")


def html(cards):
    return f"<!doctype html><html lang=uk><meta charset=utf-8><style>{CSS}</style><body>{''.join(cards)}</body></html>"


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    images = [pictures(i) for i in range(n)]
    weasyprint.HTML(string=html([card(0, *images[0])])).write_pdf()  # warm-up: fonts, CSS machinery
    start = time.perf_counter()
    for i in range(n):
        weasyprint.HTML(string=html([card(i, *images[i])])).write_pdf()
    single = time.perf_counter() - start
    start = time.perf_counter()
    pdf = weasyprint.HTML(string=html([card(i, *images[i]) for i in range(n)])).write_pdf()
    together = time.perf_counter() - start
    print(f"weasyprint {weasyprint.__version__} card backs, one thread: {n} one-page files in {single:.3f} s = "
          f"{n / single:.0f} pages/s; one {n}-page file in {together:.3f} s = {n / together:.0f} pages/s ({len(pdf)} bytes)")


if __name__ == "__main__":
    main()
