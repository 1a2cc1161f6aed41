"""The demo plant: every enterprise monitored, every point on its own plot, rules and a day of rollups."""

from semipark.supervision import console, demo
from semipark.supervision.models import AlarmRule, Rollup, Sensor
from semipark.supervision.registry import inside


def test_demo_plant(park):
    sensors = demo.load(park)
    assert {s.device.enterprise.code for s in sensors} == set(demo.PLANT)
    for sensor in Sensor.objects.select_related("plot", "device"):
        assert sensor.plot.enterprise_id == sensor.device.enterprise_id
        assert inside(sensor.plot.geometry, sensor.x, sensor.y), sensor
    arsine = Sensor.objects.get(device__enterprise__code="tongmei", key="ash3-h1")
    levels = sorted(AlarmRule.objects.filter(sensor=arsine, kind="high").values_list("level", flat=True))
    assert levels == [1, 2] and arsine.unit == "ppm" and arsine.range_max == 1
    day = console.series(arsine, "24h")
    assert len(day) >= 1380 and all(
        0 <= low <= avg + 1e-9 and avg <= high + 1e-9 <= 1 + 1e-9 for _ts, avg, low, high in day
    )
    assert Rollup.objects.filter(period="h").count() >= len(sensors) * 24 * 7
    assert all(s.rules.filter(kind="comm").exists() for s in sensors)
