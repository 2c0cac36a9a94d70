"""The peer of `act_bench`: WeasyPrint renders the same acceptance-transfer act (form 3) from
equivalent HTML — A4 with the same margins (30/15/20/20 mm), the same title, parties, ruled
four-column list with its header repeated on every page, count, discrepancies, two signature
lines and "n / N" page numbers, DejaVu Sans at the same sizes — N acts of LINES certificates,
one file each, on one thread. Prints pages per second.

Usage: python3 bench/weasyprint_act.py [N] [LINES]
"""
import sys
import time

import weasyprint

CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
        @bottom-center { content: counter(page) " / " counter(pages); font: 8pt 'DejaVu Sans'; color: #6e6e6e } }
body { font-family: 'DejaVu Sans'; font-size: 10.5pt; line-height: 1.3; margin: 0 }
h1 { font-size: 13pt; margin: 0; font-weight: bold }
p { margin: 0 }
.gap { height: 8pt }
table { width: 100%; border-collapse: collapse; margin-bottom: 8pt }
th { font-size: 9pt; font-weight: bold; text-align: left }
td { font-size: 9.5pt }
th, td { border: 0.5pt solid black; padding: 3pt; vertical-align: top }
col.n { width: 8.5% } col.no { width: 23.7% } col.o { width: 37.3% } col.r { width: 30.5% }
.sig { margin-top: 18pt }
.sig p { margin-bottom: 10pt }
"""

OWNERS = [
    "Шевченко Тарас Григорович",
    "Ґалаґан-Рибалко Мар’яна Євгенівна",
    "Їжакевич Юрій Олексійович",
    "Коцюбинська-Запорожець Олена Вʼячеславівна",
]


def act(n, lines):
    rows = "".join(
        f"<tr><td>{i + 1}</td><td>{n * lines + i:010d}</td><td>{OWNERS[i % 4]}</td>"
        f"<td>{'пошкоджено' if i % 50 == 7 else ''}</td></tr>"
        for i in range(lines)
    )
    return (
        "<!doctype html><html lang=uk><meta charset=utf-8>"
        f"<style>{CSS}</style><body>"
        "<h1>АКТ</h1><h1>приймання-передавання пенсійних посвідчень</h1>"
        f"<p>№ {n}/2026 від 19.11.2026</p><div class=gap></div>"
        "<p>Передає: Головне управління Пенсійного фонду України в Полтавській області</p>"
        "<p>Приймає: Миргородське об’єднане управління Пенсійного фонду України Полтавської області</p>"
        "<div class=gap></div>"
        "<table><colgroup><col class=n><col class=no><col class=o><col class=r></colgroup>"
        "<thead><tr><th>№ з/п</th><th>№ пенсійного посвідчення</th>"
        "<th>Прізвище, ім’я, по батькові власника</th><th>Примітка</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<p>Усього: {lines} пенсійних посвідчень.</p>"
        "<p>Розбіжності під час приймання: не виявлено.</p>"
        "<div class=sig><p>Передав:  ____________________  Остапенко Ірина Петрівна</p>"
        "<p>Прийняв:  ____________________  Ярошенко Богдан Миколайович</p></div>"
        "</body></html>"
    )


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    per_act = len(weasyprint.HTML(string=act(0, lines)).render().pages)  # also the warm-up
    start = time.perf_counter()
    size = 0
    for i in range(n):
        size = len(weasyprint.HTML(string=act(i, lines)).write_pdf())
    secs = time.perf_counter() - start
    print(f"weasyprint {weasyprint.__version__} transfer acts, one thread: {n} acts of {lines} certificates "
          f"({per_act} pages each) in {secs:.3f} s = {n * per_act / secs:.0f} pages/s, {n / secs:.1f} acts/s "
          f"({size} bytes each)")


if __name__ == "__main__":
    main()
