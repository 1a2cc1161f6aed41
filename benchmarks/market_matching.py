"""Benchmark: match one demand against 100,000 open supply offers (SQL filter on indexed spec columns, ranking).

Usage (from the project folder):
    python benchmarks/market_matching.py                       # SQLite in a temporary folder
    SEMIPARK_DATABASE_URL=postgres://... python benchmarks/market_matching.py   # PostgreSQL (a scratch database)
Add --record to write the figures into benchmarks/README.md under "Market matching".
"""

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

OFFERS = int(os.environ.get("BENCH_OFFERS", "100000"))
RUNS = 15


def setup():
    os.environ.setdefault("SEMIPARK_DEBUG", "1")
    os.environ.setdefault("SEMIPARK_DATA_DIR", tempfile.mkdtemp(prefix="bench-market-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "semipark.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate():
    from semipark.market.models import Category, CategoryKind, Listing
    from semipark.park import demo
    from semipark.park.models import Enterprise

    park = demo.load()
    Listing.objects.all().delete()
    wafers, _ = Category.objects.get_or_create(
        code="bench-wafers", defaults={"name": "wafers", "kind": CategoryKind.SUBSTRATE}
    )
    others, _ = Category.objects.get_or_create(
        code="bench-metal", defaults={"name": "metal", "kind": CategoryKind.METAL}
    )
    firms = list(Enterprise.objects.filter(park=park))
    rng = random.Random(7)
    rows = []
    for i in range(OFFERS):
        substrate = i % 4 != 0  # three quarters in the demand's category, the worst case for the filter
        rows.append(
            Listing(
                enterprise=firms[i % len(firms)],
                kind=Listing.Kind.OFFER,
                status=Listing.Status.OPEN,
                category=wafers if substrate else others,
                title=f"offer {i}",
                material=rng.choice(["GaAs", "GaAs", "InP", "Ge"]) if substrate else "Ga",
                conduction=rng.choice(["SI", "N", "P"]) if substrate else "",
                diameter_in=Decimal(rng.choice([2, 3, 4, 6])) if substrate else None,
                epd_max=float(rng.choice([500, 1000, 3000, 5000, 8000, 20000])) if substrate else None,
                resistivity_min=1e7 if substrate and rng.random() < 0.5 else None,
                price=Decimal(rng.randint(100, 900)) if rng.random() < 0.8 else None,
                lead_time_days=rng.randint(5, 60),
                specs={},
            )
        )
    Listing.objects.bulk_create(rows, batch_size=5000)
    buyer = Enterprise.objects.get(code="tongmei")
    demand = Listing(
        enterprise=buyer,
        kind=Listing.Kind.DEMAND,
        category=wafers,
        title="demand",
        specs={"material": "GaAs", "diameter_in": 4, "conduction": "SI", "epd_cm2": {"max": 5000}},
    )
    demand.clean_specs("substrate")
    demand.save()
    return demand


def measure(demand) -> tuple[float, float, int]:
    from django.db import connection

    from semipark.market.matching import columns_of, matches_for, open_offers

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE market_listing")
    list(matches_for(demand, 50))  # warm-up: the first run pays for cold caches and query planning
    if "--explain" in sys.argv:
        print(matches_for(demand, 50).explain(**({"analyze": True} if connection.vendor == "postgresql" else {})))
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        found = list(matches_for(demand, 50))
        timings.append((time.perf_counter() - start) * 1000)
    total = open_offers(demand.category_id, columns_of(demand)).count()
    assert found and all(o.epd_max <= 5000 for o in found)
    return statistics.median(timings), max(timings), total


def record(line: str) -> None:
    path = Path(__file__).resolve().parent / "README.md"
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    heading = "## Market matching"
    intro = (
        f"{heading}\n\n`python benchmarks/market_matching.py --record` (add SEMIPARK_DATABASE_URL for PostgreSQL): "
        "one demand (4-inch semi-insulating GaAs, EPD at most 5000) against 100,000 open offers, three quarters "
        "of them in the same category; median and worst of 15 runs of filter + rank + top 50, "
        "after one warm-up run.\n\n"
        "| date | machine | database | offers | matching | median ms | max ms |\n|---|---|---|---|---|---|---|\n"
    )
    if heading not in text:
        text = text.rstrip() + "\n\n" + intro
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    section = text[start:] if end == -1 else text[start:end]
    section = section.rstrip() + "\n" + line + "\n"
    text = text[:start] + section + ("" if end == -1 else text[end:])
    path.write_text(text, "utf-8")


def main():
    setup()
    from django.db import connection

    demand = populate()
    median, worst, matching_rows = measure(demand)
    machine = f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}"
    line = (
        f"| {datetime.now(UTC):%Y-%m-%d} | {machine} | {connection.vendor} | {OFFERS} | {matching_rows} "
        f"| {median:.1f} | {worst:.1f} |"
    )
    print(line)
    if "--record" in sys.argv:
        record(line)


if __name__ == "__main__":
    main()
