"""The peer of `dossier bench calculator` (BENCHMARKS.md "Personal account"):
the same Russian formula in Python's `decimal` — fixed payment × premium +
points × point value × premium, rounded half up to the kopeck — over the same
kind of varied inputs, timed the same way. It reads no tables and checks no
eligibility, so it does less than Dossier does per estimate."""
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
KOPECK = Decimal("0.01")
POINT, FIXED = Decimal("156.76"), Decimal("9584.69")
PREMIUM_FIXED = [Decimal(1), Decimal("1.056"), Decimal("1.12"), Decimal("1.19")]
PREMIUM_POINTS = [Decimal(1), Decimal("1.07"), Decimal("1.15"), Decimal("1.24")]

started = time.perf_counter()
total = Decimal(0)
for i in range(count):
    points = Decimal(i % 200_000).scaleb(-3)
    later = 3 if i % 3 == 0 else 0
    fixed = (FIXED * PREMIUM_FIXED[later]).quantize(KOPECK, ROUND_HALF_UP)
    total += fixed + (points * POINT * PREMIUM_POINTS[later]).quantize(KOPECK, ROUND_HALF_UP)
secs = time.perf_counter() - started
print(f"peer python decimal russia: {count} estimates in {secs:.3f} s = {count / secs:.0f} estimates/s (sum {total})")
