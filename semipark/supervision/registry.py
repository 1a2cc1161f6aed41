"""Writing devices and sensors: scoped, validated and audited, with the alarm rules kept in step.

The web forms, the API and the Excel import all come through here, so a sensor always has its default
setpoints and a monitoring point always lies on its enterprise's plot.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from semipark.core import audit, services
from semipark.core.models import AuditEntry
from semipark.core.scoping import ensure_may

from .models import Device, Sensor

# What a person sets on a sensor (forms, API and Excel); the rest is written by the ingest pipeline.
SENSOR_FIELDS = [
    "device",
    "key",
    "name",
    "kind",
    "substance",
    "unit",
    "range_min",
    "range_max",
    "period_seconds",
    "plot",
    "building",
    "x",
    "y",
    "active",
]
# Changing any of these changes the default setpoints (GB/T 50493 works from the gas, the unit and the range).
RULE_FIELDS = ("kind", "substance", "unit", "range_min", "range_max")


def save_device(user, device: Device, fields: dict | None = None, message: str = "") -> Device:
    return services.save(user, device, fields, message=message)


def issue_token(user, device: Device) -> str:
    """A new token for the device (the previous one stops working); the raw token is returned once, never stored."""
    from semipark.ingest.tokens import issue_device_token

    with transaction.atomic():
        ensure_may(user, device, "change")
        raw = issue_device_token(device)
        message = _("token issued, prefix %(prefix)s") % {"prefix": device.token_prefix}
        audit.record(user, AuditEntry.Kind.UPDATE, device, message=message)
    return raw


def save_sensor(user, sensor: Sensor, fields: dict | None = None, message: str = "") -> Sensor:
    """Create or change a sensor and create or refresh its default alarm rules in the same transaction."""
    from .alarms import ensure_default_rules

    creating = sensor._state.adding
    before = {name: getattr(sensor, name) for name in RULE_FIELDS}
    with transaction.atomic():
        services.save(user, sensor, fields, message=message)
        check_place(sensor)  # after the scope checks; a refusal rolls the write back
        if creating or any(getattr(sensor, name) != value for name, value in before.items()):
            ensure_default_rules(sensor)
    return sensor


def check_place(sensor: Sensor) -> None:
    """The plot must be one of the device's enterprise, and the point (when given) must lie inside it."""
    errors = {}
    if (sensor.x is None) != (sensor.y is None):
        errors["x" if sensor.x is None else "y"] = [_("Give both coordinates of the point, or neither.")]
    device = sensor.device if sensor.device_id else None
    if sensor.plot_id and device is not None:
        plot = sensor.plot
        if plot.enterprise_id != device.enterprise_id:
            errors["plot"] = [
                _("Plot %(plot)s is not a plot of %(enterprise)s.")
                % {"plot": plot.code, "enterprise": device.enterprise}
            ]
        elif sensor.x is not None and sensor.y is not None and not inside(plot.geometry, sensor.x, sensor.y):
            errors["x"] = [
                _("The point (%(x)s, %(y)s) lies outside plot %(plot)s.")
                % {"x": sensor.x, "y": sensor.y, "plot": plot.code}
            ]
    if errors:
        raise ValidationError(errors)


def inside(geometry: dict, x: float, y: float) -> bool:
    """Whether (x, y) lies inside or on the edge of the GeoJSON polygon's outer ring (ray casting)."""
    ring = (geometry or {}).get("coordinates", [[]])[0]
    if len(ring) < 3:
        return True  # a plot without a drawn outline cannot refuse a point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if _on_segment(x, y, x1, y1, x2, y2):
            return True
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _on_segment(x, y, x1, y1, x2, y2) -> bool:
    cross = (x - x1) * (y2 - y1) - (y - y1) * (x2 - x1)
    return abs(cross) < 1e-9 and min(x1, x2) <= x <= max(x1, x2) and min(y1, y2) <= y <= max(y1, y2)
