"""Benchmark: backward and forward lot traces of depth 10 among 100,000 lots (recursive CTE over lot links).

Usage (from the project folder):
    python benchmarks/trace_lots.py                        # SQLite in a temporary folder
    SEMIPARK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/trace_lots.py
        # PostgreSQL: the script creates a scratch database next to the one named, and drops it afterwards
Add --record to write the figures into benchmarks/README.md under "Lot traceability".

The lots form families of 11 generations (depth 10) of 9 lots, each lot made from two lots of the previous
generation of its family, so a trace meets merges at every step; every second generation is shipped to
another enterprise, so an enterprise's trace stops at its direct trading partners.
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
from urllib.parse import urlsplit, urlunsplit

LOTS = int(os.environ.get("BENCH_LOTS", "100000"))
GENERATIONS, WIDTH = 11, 9
RUNS = 20


def setup() -> str | None:
    """Configure Django on a scratch database; returns the scratch PostgreSQL database name to drop, if any."""
    scratch = None
    url = os.environ.get("SEMIPARK_DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        scratch = f"bench_trace_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch}"')
        parts = urlsplit(url)
        os.environ["SEMIPARK_DATABASE_URL"] = urlunsplit(parts._replace(path="/" + scratch))
    os.environ.setdefault("SEMIPARK_DEBUG", "1")
    os.environ.setdefault("SEMIPARK_DATA_DIR", tempfile.mkdtemp(prefix="bench-trace-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "semipark.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def _ship_across(firms, ids, links) -> None:
    """Links between enterprises become shipments (one per pair of generations), as the services record them."""
    from semipark.trace.models import Lot, Shipment

    owner = dict(Lot.objects.values_list("id", "enterprise_id"))
    shipments = {}
    for link in links:
        seller, buyer = owner[link.parent_id], owner[link.child_id]
        if seller != buyer:
            key = (seller, buyer, link.parent_id // (GENERATIONS * WIDTH))
            shipments.setdefault(key, Shipment(number=f"B-{len(shipments)}", seller_id=seller, buyer_id=buyer))
            link.shipment = shipments[key]
    Shipment.objects.bulk_create(shipments.values(), batch_size=5000)
    for link in links:
        if link.shipment is not None:
            link.shipment_id = link.shipment.pk


def populate() -> tuple[list[int], list[int]]:
    """Create the lots and links; returns the ids of the newest and of the oldest generation."""
    from semipark.park import demo
    from semipark.park.models import Enterprise
    from semipark.trace.models import Lot, LotLink

    park = demo.load()
    firms = list(Enterprise.objects.filter(park=park).order_by("id"))[:7]
    families = LOTS // (GENERATIONS * WIDTH)
    rng = random.Random(11)
    lots = []
    for family in range(families):
        for generation in range(GENERATIONS):
            firm = firms[_firm_index(family, generation, len(firms))]
            for slot in range(WIDTH):
                code = f"B{family}-{generation}-{slot}"
                lots.append(
                    Lot(
                        enterprise=firm,
                        code=code,
                        identifier=f"bench/{firm.code}/{code}",
                        material="GaAs-crystal",
                        quantity=Decimal(10),
                        available=Decimal(10),
                    )
                )
    Lot.objects.bulk_create(lots, batch_size=5000)
    ids = list(Lot.objects.order_by("id").values_list("id", flat=True))
    block = GENERATIONS * WIDTH
    links = []
    for family in range(families):
        base = family * block
        for generation in range(1, GENERATIONS):
            for slot in range(WIDTH):
                child = ids[base + generation * WIDTH + slot]
                # Its own slot and one other: every lot has children, and two sources merge at every step.
                for parent_slot in (slot, (slot + rng.randint(1, WIDTH - 1)) % WIDTH):
                    parent = ids[base + (generation - 1) * WIDTH + parent_slot]
                    links.append(LotLink(parent_id=parent, child_id=child, quantity=Decimal(1)))
    _ship_across(firms, ids, links)
    LotLink.objects.bulk_create(links, batch_size=5000)
    newest = [ids[f * block + (GENERATIONS - 1) * WIDTH] for f in range(families)]
    oldest = [ids[f * block] for f in range(families)]
    return newest, oldest


def _firm_index(family: int, generation: int, firms: int) -> int:
    """Two generations in one enterprise (a processing step), then a shipment to the next enterprise."""
    return (family + generation // 2) % firms


def timed(fn, roots) -> tuple[float, float, int]:
    timings, sizes = [], []
    for root in roots:
        start = time.perf_counter()
        size = fn(root)
        timings.append((time.perf_counter() - start) * 1000)
        sizes.append(size)
    return statistics.median(timings), max(timings), min(sizes)


def measure(newest, oldest) -> list[tuple[str, float, float, int]]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from semipark.core.roles import Role
    from semipark.trace import genealogy
    from semipark.trace.models import Lot

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE trace_lot; ANALYZE trace_lotlink")
    office = get_user_model().objects.create(username="bench-office", role=Role.OFFICE_ADMIN)
    members = {}
    rng = random.Random(5)
    back_roots = rng.sample(newest, RUNS)
    fwd_roots = rng.sample(oldest, RUNS)
    lots = Lot.objects.in_bulk(back_roots + fwd_roots)

    for lot in lots.values():  # the enterprise users exist before the clock starts
        if lot.enterprise_id not in members:
            members[lot.enterprise_id] = get_user_model().objects.create(
                username=f"bench-{lot.enterprise_id}", role=Role.ENTERPRISE_USER, enterprise_id=lot.enterprise_id
            )

    def member(lot):
        return members[lot.enterprise_id]

    return [
        ("walk backward", *timed(lambda r: len(genealogy.walk(r, genealogy.BACKWARD, 10)), back_roots)),
        ("walk forward", *timed(lambda r: len(genealogy.walk(r, genealogy.FORWARD, 10)), fwd_roots)),
        (
            "trace backward (office: walk, scope, lots)",
            *timed(lambda r: len(genealogy.trace(office, lots[r], genealogy.BACKWARD, 10).nodes), back_roots),
        ),
        (
            "trace forward (office: walk, scope, lots)",
            *timed(lambda r: len(genealogy.trace(office, lots[r], genealogy.FORWARD, 10).nodes), fwd_roots),
        ),
        (
            "trace backward (enterprise: own lots and direct partners)",
            *timed(lambda r: len(genealogy.trace(member(lots[r]), lots[r], genealogy.BACKWARD, 10).nodes), back_roots),
        ),
    ]


HEADING = "## Lot traceability"
INTRO = (
    f"{HEADING}\n\n`python benchmarks/trace_lots.py --record` (add SEMIPARK_DATABASE_URL for PostgreSQL): "
    "100,000 lots in families of 11 generations of 9 lots, each lot made from 2 lots of the previous generation "
    "(about 180,000 links); every second generation moves to another enterprise by shipment; "
    "depth-10 traces from 20 random lots of the newest (backward) and oldest (forward) "
    "generation. `walk` is the recursive query alone; `trace` adds the visibility filter and loading the lots "
    "(what the API and the graph page do), for the park office (whole trace) and for the root's "
    "enterprise (its lots and direct partners only). Median and worst of 20 runs; size is the smallest number of links "
    "(walk) or lots (trace) found.\n\n"
    "| date | machine | database | lots | measure | median ms | max ms | size |\n|---|---|---|---|---|---|---|---|\n"
)


def record(lines: list[str]) -> None:
    """Append the figures to this benchmark's own section of README.md, leaving other sections alone."""
    path = Path(__file__).resolve().parent / "README.md"
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    if HEADING not in text:
        text = text.rstrip() + "\n\n" + INTRO
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    section = text[start:] if end == -1 else text[start:end]
    section = section.rstrip() + "\n" + "\n".join(lines) + "\n"
    text = text[:start] + section + ("" if end == -1 else text[end:])
    path.write_text(text, "utf-8")


def main():
    scratch = setup()
    try:
        from django.db import connection

        newest, oldest = populate()
        results = measure(newest, oldest)
        machine = f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}"
        vendor = connection.vendor
        count = len(newest) * GENERATIONS * WIDTH
        lines = [
            f"| {datetime.now(UTC):%Y-%m-%d} | {machine} | {vendor} | {count} | {name} | {median:.1f} | {worst:.1f} "
            f"| {size} |"
            for name, median, worst, size in results
        ]
        print("\n".join(lines))
        if "--record" in sys.argv:
            record(lines)
    finally:
        if scratch:
            _drop(scratch)


def _drop(name: str) -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    url = os.environ["SEMIPARK_DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
