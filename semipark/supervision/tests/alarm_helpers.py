"""Sensors with their default rules, and a fixed clock, for the alarm tests."""

from datetime import UTC, datetime, timedelta

from semipark.supervision.alarms import ensure_default_rules
from semipark.supervision.models import AlarmRule, Device, Sensor

T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def make_sensor(enterprise, key="ash3-1", *, kind="toxic_gas", substance="AsH3", unit="ppm", range_max=1.0, **extra):
    device, _ = Device.objects.get_or_create(
        enterprise=enterprise, code="gc-1", defaults={"name": "Gas controller", "kind": Device.Kind.GAS_CONTROLLER}
    )
    sensor = Sensor.objects.create(
        device=device,
        key=key,
        name=f"{substance or kind} {key}",
        kind=kind,
        substance=substance,
        unit=unit,
        range_max=range_max,
        **extra,
    )
    ensure_default_rules(sensor)
    return sensor


def rule_of(sensor, kind=AlarmRule.Kind.HIGH, level=1) -> AlarmRule:
    return AlarmRule.objects.get(sensor=sensor, kind=kind, level=level)
