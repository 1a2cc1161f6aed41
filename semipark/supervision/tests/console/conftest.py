"""A small plant for each of enterprises A and B: one gas controller with an arsine detector, rules included."""

import pytest


@pytest.fixture
def plant(people, enterprise_a, enterprise_b):
    from semipark.supervision import registry
    from semipark.supervision.models import Device, Sensor

    def build(enterprise, user):
        device = registry.save_device(
            user, Device(enterprise=enterprise), {"code": "gdc-1", "name": "GDC", "kind": "gas_controller"}
        )
        plot = enterprise.plots.order_by("code").first()
        ring = plot.geometry["coordinates"][0]
        sensor = registry.save_sensor(
            user,
            Sensor(),
            {
                "device": device,
                "key": "ash3-1",
                "name": f"{enterprise.short_name} arsine",
                "kind": "toxic_gas",
                "substance": "AsH3",
                "unit": "ppm",
                "range_min": 0,
                "range_max": 1,
                "period_seconds": 10,
                "plot": plot,
                "x": ring[0][0] + 10,
                "y": ring[0][1] + 10,
            },
        )
        return device, sensor

    a_device, a_sensor = build(enterprise_a, people["a_admin"])
    b_device, b_sensor = build(enterprise_b, people["b_admin"])
    return {"a_device": a_device, "a_sensor": a_sensor, "b_device": b_device, "b_sensor": b_sensor}


@pytest.fixture
def raise_alarm():
    """Raise a level-2 alarm on a sensor the way the ingest pipeline does: through the alarm engine."""
    from datetime import timedelta

    from django.utils import timezone

    from semipark.supervision.engine import AlarmEngine
    from semipark.supervision.models import Alarm

    def do(sensor, value=None):
        engine = AlarmEngine()
        engine.reload()
        level2 = max(r.threshold for r in sensor.rules.filter(kind="high"))
        now = timezone.now()
        # Several readings in a row, so any on-delay of the default rules is satisfied.
        readings = [(sensor.pk, now - timedelta(seconds=10 * (9 - i)), value or level2 * 2, False) for i in range(10)]
        engine.apply(engine.evaluate(readings))
        return Alarm.objects.get(sensor=sensor, active=True, level=2)

    return do


@pytest.fixture
def add_rollups():
    """``add_rollups(sensor, "m", [minutes ago...])``: rollups of an average of 0.01 (6 readings a minute)."""
    from datetime import timedelta

    from django.utils import timezone

    from semipark.supervision.models import Rollup

    def add(sensor, period, ages):
        now = timezone.now().replace(second=0, microsecond=0)
        unit, count = (timedelta(minutes=1), 6) if period == "m" else (timedelta(hours=1), 360)
        Rollup.objects.bulk_create(
            Rollup(
                sensor_id=sensor.pk,
                period=period,
                start=now - age * unit,
                count=count,
                sum=0.01 * count,
                min=0.005,
                max=0.02,
                last=0.01,
                last_ts=now,
            )
            for age in ages
        )

    return add
