"""Demo devices and sensors for the seven enterprises, with a day of rollups so the charts start full.

Points are placed by their fraction of the enterprise's plot (0..1 east, 0..1 north), so they stay inside it
whatever the plot's size. Values are typical clean-air or normal-process figures with a little noise; the
simulator then feeds live readings (and the occasional leak).
"""

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from semipark.park.models import Enterprise

from .models import Device, Rollup, Sensor, SensorKind, Unit

GAS, DCS, WATER, METER = (
    Device.Kind.GAS_CONTROLLER,
    Device.Kind.DCS_GATEWAY,
    Device.Kind.WATER_ANALYSER,
    Device.Kind.METER,
)
TOXIC, FLAMMABLE, OXYGEN = SensorKind.TOXIC_GAS, SensorKind.COMBUSTIBLE_GAS, SensorKind.OXYGEN


@dataclass(frozen=True)
class Point:
    key: str
    name: str
    kind: str
    substance: str
    unit: str
    range_max: float
    building: str
    fx: float  # fraction of the plot's width, from its west edge
    fy: float  # fraction of the plot's depth, from its south edge
    typical: float
    noise: float
    range_min: float = 0.0
    period: int = 10


def _arsine(key, building, fx, fy):
    return Point(key, f"{building} 砷烷", TOXIC, "AsH3", Unit.PPM, 1, building, fx, fy, 0.001, 0.0005)


def _phosphine(key, building, fx, fy):
    return Point(key, f"{building} 磷烷", TOXIC, "PH3", Unit.PPM, 1, building, fx, fy, 0.004, 0.002)


def _hydrogen(key, building, fx, fy):
    return Point(key, f"{building} 氢气", FLAMMABLE, "H2", Unit.PCT_LEL, 100, building, fx, fy, 0.5, 0.4)


def _hcl(key, building, fx, fy):
    return Point(key, f"{building} 氯化氢", TOXIC, "HCl", Unit.PPM, 20, building, fx, fy, 0.3, 0.15)


def _oxygen(key, building, fx, fy):
    return Point(key, f"{building} 氧含量", OXYGEN, "O2", Unit.PCT_VOL, 25, building, fx, fy, 20.9, 0.05)


def _outlet(prefix, fx, fy, flow):
    building = "废水排放口"
    return [
        Point(
            f"{prefix}-as",
            "总砷",
            SensorKind.WATER_QUALITY,
            "As",
            Unit.MG_L,
            2,
            building,
            fx,
            fy,
            0.04,
            0.01,
            period=60,
        ),
        Point(f"{prefix}-ph", "pH", SensorKind.WATER_QUALITY, "", Unit.PH, 14, building, fx, fy, 7.2, 0.1, period=60),
        Point(
            f"{prefix}-flow",
            "流量",
            SensorKind.FLOW,
            "",
            Unit.M3_H,
            flow * 3,
            building,
            fx,
            fy,
            flow,
            flow * 0.1,
            period=60,
        ),
    ]


def _power(kw, fx, fy):
    return Point(
        "p-total", "总有功功率", SensorKind.POWER, "", Unit.KW, kw * 2, "配电室", fx, fy, kw, kw * 0.05, period=30
    )


# enterprise code -> [(device code, name, kind, [points])]
PLANT = {
    "tongmei": [
        (
            "gdc-1",
            "晶体生长车间气体检测控制器",
            GAS,
            [
                _arsine("ash3-h1", "晶体生长一车间", 0.2, 0.7),
                _phosphine("ph3-h1", "晶体生长一车间", 0.3, 0.7),
                _hydrogen("h2-h1", "晶体生长一车间", 0.25, 0.8),
                _arsine("ash3-h2", "晶体生长二车间", 0.6, 0.7),
                _phosphine("ph3-h2", "晶体生长二车间", 0.7, 0.7),
                _hydrogen("h2-h2", "晶体生长二车间", 0.65, 0.8),
                _oxygen("o2-gas", "特气间", 0.85, 0.35),
            ],
        ),
        ("wwa-1", "废水在线监测仪", WATER, _outlet("ww", 0.9, 0.1, 12)),
        ("pm-1", "总配电电能表", METER, [_power(2400, 0.1, 0.15)]),
    ],
    "jinmei": [
        (
            "gdc-1",
            "镓提纯车间气体检测控制器",
            GAS,
            [
                _hcl("hcl-1", "镓提纯车间", 0.3, 0.6),
                _hcl("hcl-2", "酸储罐区", 0.7, 0.25),
                _oxygen("o2-gas", "特气间", 0.8, 0.7),
            ],
        ),
        ("wwa-1", "废水在线监测仪", WATER, _outlet("ww", 0.9, 0.1, 8)),
        ("pm-1", "总配电电能表", METER, [_power(1500, 0.1, 0.15)]),
    ],
    "xinmei": [
        (
            "gdc-1",
            "高纯砷车间气体检测控制器",
            GAS,
            [
                _arsine("ash3-1", "高纯砷车间", 0.35, 0.6),
                _hydrogen("h2-1", "氢还原炉区", 0.55, 0.6),
            ],
        ),
        ("wwa-1", "废水在线监测仪", WATER, _outlet("ww", 0.9, 0.1, 5)),
        ("pm-1", "总配电电能表", METER, [_power(900, 0.1, 0.15)]),
    ],
    "boyu": [
        (
            "gdc-1",
            "PBN 车间气体检测控制器",
            GAS,
            [
                Point("nh3-1", "PBN 车间 氨气", TOXIC, "NH3", Unit.PPM, 100, "PBN 车间", 0.4, 0.6, 1.5, 0.6),
                _hcl("hcl-1", "PBN 车间", 0.5, 0.6),
                _oxygen("o2-gas", "特气间", 0.8, 0.7),
            ],
        ),
        ("pm-1", "总配电电能表", METER, [_power(1200, 0.1, 0.15)]),
    ],
    "kaimei": [
        (
            "gdc-1",
            "石英加工车间气体检测控制器",
            GAS,
            [
                Point("hf-1", "酸洗间 氟化氢", TOXIC, "HF", Unit.PPM, 10, "酸洗间", 0.3, 0.5, 0.1, 0.05),
                _hydrogen("h2-1", "熔制车间", 0.6, 0.6),
            ],
        ),
        ("pm-1", "总配电电能表", METER, [_power(1800, 0.1, 0.15)]),
    ],
    "tongweisu": [
        ("gdc-1", "同位素车间气体检测控制器", GAS, [_oxygen("o2-1", "分离车间", 0.5, 0.6)]),
        (
            "dcs-1",
            "分离装置 DCS 网关",
            DCS,
            [
                Point(
                    "t-col",
                    "精馏塔顶温度",
                    SensorKind.TEMPERATURE,
                    "",
                    Unit.CELSIUS,
                    150,
                    "分离车间",
                    0.55,
                    0.65,
                    78,
                    0.5,
                    -50,
                )
            ],
        ),
        ("pm-1", "总配电电能表", METER, [_power(600, 0.1, 0.15)]),
    ],
    "shuomei": [
        (
            "gdc-1",
            "回收车间气体检测控制器",
            GAS,
            [
                _arsine("ash3-1", "砷化镓回收车间", 0.3, 0.6),
                _hcl("hcl-1", "酸溶车间", 0.6, 0.6),
            ],
        ),
        ("wwa-1", "废水在线监测仪", WATER, _outlet("ww", 0.9, 0.1, 6)),
        ("pm-1", "总配电电能表", METER, [_power(700, 0.1, 0.15)]),
    ],
}
HISTORY = timedelta(hours=24)
HOUR_HISTORY = timedelta(days=7)


def load(park) -> list[Sensor]:
    """Create the demo plant of every enterprise, with default alarm rules and a day of rollups."""
    from .alarms import ensure_default_rules

    now = timezone.now().replace(second=0, microsecond=0)
    sensors, typical = [], {}
    for enterprise in Enterprise.objects.filter(park=park, code__in=PLANT):
        plot = enterprise.plots.order_by("code").first()
        for code, name, kind, points in PLANT[enterprise.code]:
            device = Device.objects.create(enterprise=enterprise, code=code, name=name, kind=kind)
            for p in points:
                x, y = _place(plot, p.fx, p.fy)
                sensor = Sensor.objects.create(
                    device=device,
                    key=p.key,
                    name=p.name,
                    kind=p.kind,
                    substance=p.substance,
                    unit=p.unit,
                    range_min=p.range_min,
                    range_max=p.range_max,
                    period_seconds=p.period,
                    plot=plot,
                    building=p.building,
                    x=x,
                    y=y,
                    last_value=p.typical,
                    last_ts=now,
                )
                ensure_default_rules(sensor)
                sensors.append(sensor)
                typical[sensor.pk] = p
    _insert_rollups(_rollups(typical, now))
    return sensors


def _place(plot, fx: float, fy: float) -> tuple[float | None, float | None]:
    ring = (plot.geometry or {}).get("coordinates", [[]])[0] if plot else []
    if not ring:
        return None, None
    xs, ys = [c[0] for c in ring], [c[1] for c in ring]
    return round(min(xs) + fx * (max(xs) - min(xs)), 1), round(min(ys) + fy * (max(ys) - min(ys)), 1)


ROLLUP_COLUMNS = ("sensor_id", "period", "start", "count", "sum", "min", "max", "last", "last_ts")


def _insert_rollups(rows) -> None:
    """One executemany, not the ORM: tens of thousands of rows in a second or two."""
    table = connection.ops.quote_name(Rollup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ROLLUP_COLUMNS)
    marks = ", ".join(["%s"] * len(ROLLUP_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))  # noqa: S608 - fixed names


def _rollups(points: dict[int, Point], now):
    """Minute rollups for the last day and hour rollups for the last week, from a daily cycle plus noise."""
    rng = random.Random(20260101)  # noqa: S311 - demo figures, reproducible
    adapt = connection.ops.adapt_datetimefield_value
    for period, step, span in (
        (Rollup.Period.MINUTE, timedelta(minutes=1), HISTORY),
        (Rollup.Period.HOUR, timedelta(hours=1), HOUR_HISTORY),
    ):
        slots, start = [], (now - span).replace(minute=0) if period == Rollup.Period.HOUR else now - span
        while start < now:  # the same time slots for every sensor: adapt each timestamp once
            day = math.sin(2 * math.pi * (start.hour + start.minute / 60) / 24)
            slots.append((adapt(start), adapt(start + step - timedelta(seconds=1)), day))
            start += step
        for sensor_id, p in points.items():
            samples = max(1, int(step.total_seconds() // p.period))
            for start_db, last_db, day in slots:
                value = p.typical + p.noise * day + rng.gauss(0, p.noise / 2)
                spread = abs(rng.gauss(0, p.noise / 2))
                value = _clip(p, value)
                low, high = _clip(p, value - spread), _clip(p, value + spread)
                yield (sensor_id, period, start_db, samples, value * samples, low, high, value, last_db)


def _clip(p: Point, value: float) -> float:
    return round(min(max(value, p.range_min), p.range_max), 4)
