"""Benchmark: AlarmEngine.evaluate, the in-memory alarm check every ingested reading goes through.

2,000 sensors with their default GB/T 50493 rules (the demo plant's mix: AsH3, PH3, HCl, NH3, HF, H2 in %LEL,
O2, wastewater arsenic, flow and power), one in ten with a rate-of-change rule besides; 200,000 readings of
noise around normal values with leaks that cross level 1 and level 2 and clear again. No database: the rules
are built by the same pure functions the app uses. Median of 7 runs.

Usage (from the project folder): python benchmarks/alarm_engine.py
"""

import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SENSORS = 2000
READINGS = 200_000
RUNS = 7
MIX = [  # kind, substance, unit, range max, normal value
    ("toxic_gas", "AsH3", "ppm", 1.0, 0.002),
    ("toxic_gas", "PH3", "ppm", 1.0, 0.02),
    ("toxic_gas", "HCl", "ppm", 20.0, 0.5),
    ("toxic_gas", "NH3", "ppm", 100.0, 3.0),
    ("toxic_gas", "HF", "ppm", 10.0, 0.2),
    ("combustible_gas", "H2", "%LEL", 100.0, 1.0),
    ("oxygen", "O2", "%VOL", 25.0, 20.9),
    ("water_quality", "As", "mg/L", 2.0, 0.05),
    ("flow", "", "m3/h", 40.0, 20.0),
    ("power", "", "kW", 5000.0, 2500.0),
]


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("SEMIPARK_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "semipark.settings")
    import django

    django.setup()
    from semipark.supervision.engine import AlarmEngine
    from semipark.supervision.rules.setpoints import RATE, default_rules

    random.seed(50493)
    rules, normal, rule_id = [], {}, 0
    for sensor_id in range(1, SENSORS + 1):
        kind, substance, unit, top, value = MIX[sensor_id % len(MIX)]
        specs = default_rules(kind, substance, unit, 0.0, top, molar_volume_l=24.04, arsenic_limit_mg_l=0.5)
        for spec in specs:
            rule_id += 1
            rules.append((rule_id, sensor_id, spec.kind, spec.threshold, spec.deadband, 1, 0))
        if sensor_id % 10 == 0:
            rule_id += 1
            rules.append((rule_id, sensor_id, RATE, top / 10, top / 100, 1, 0))
        normal[sensor_id] = (value, top)
    start = datetime(2026, 11, 28, tzinfo=UTC)
    readings = []
    for i in range(READINGS):
        sensor_id = random.randint(1, SENSORS)
        value, top = normal[sensor_id]
        leak = 0.6 * top if (i // 5000) % 4 == 1 and sensor_id % 7 == 0 else 0.0  # a quarter of the time
        level = max(0.0, random.gauss(value, value * 0.05) + leak)
        readings.append((sensor_id, start + timedelta(milliseconds=i), level, level > top))
    seconds, events = [], 0
    for _ in range(RUNS):
        engine = AlarmEngine()
        engine.load(rules)
        began = time.perf_counter()
        events = len(engine.evaluate(readings))
        seconds.append(time.perf_counter() - began)
    median = statistics.median(seconds)
    print(
        f"{datetime.now(UTC):%Y-%m-%d} | {platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}"
        f" | {SENSORS} sensors, {len(rules)} rules | {READINGS} readings | {events} events"
        f" | {median * 1000:.0f} ms | {READINGS / median:,.0f} readings/s"
    )


if __name__ == "__main__":
    main()
