"""What the live console shows: monitoring points by state, trend series from rollups, alarm history."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from semipark.core.models import AuditEntry

from .models import Alarm, AlarmRule, Rollup, Sensor

# Worst first: a point takes the first state that applies.
STATES = {
    "level2": ("#c92a2a", _("Level 2 alarm")),
    "level1": ("#f08c00", _("Level 1 alarm")),
    "fault": ("#7048e8", _("Sensor fault")),
    "silent": ("#868e96", _("Silent")),
    "normal": ("#2f9e44", _("Normal")),
}
# A sensor is silent after this many reporting periods without a reading (the communication-fault rule).
SILENT_PERIODS = 3


@dataclass(frozen=True)
class Range:
    code: str
    span: timedelta
    period: str  # Rollup.Period
    label: str


RANGES = {
    r.code: r
    for r in (
        Range("1h", timedelta(hours=1), Rollup.Period.MINUTE, _("1 hour")),
        Range("24h", timedelta(hours=24), Rollup.Period.MINUTE, _("24 hours")),
        Range("7d", timedelta(days=7), Rollup.Period.HOUR, _("7 days")),
        Range("30d", timedelta(days=30), Rollup.Period.HOUR, _("30 days")),
        Range("1y", timedelta(days=365), Rollup.Period.HOUR, _("1 year")),
    )
}


def sensor_state(sensor: Sensor, alarm_levels: set[tuple[int, str]], now: datetime) -> str:
    """The console state of one sensor from its active alarms' (level, rule kind) and its last reading."""
    levels = {level for level, kind in alarm_levels if kind != AlarmRule.Kind.COMM_FAULT}
    if AlarmRule.Level.LEVEL2 in levels:
        return "level2"
    if AlarmRule.Level.LEVEL1 in levels:
        return "level1"
    if any(kind == AlarmRule.Kind.OUT_OF_RANGE for _level, kind in alarm_levels):
        return "fault"
    if any(kind == AlarmRule.Kind.COMM_FAULT for _level, kind in alarm_levels):
        return "silent"
    if sensor.last_ts is None or now - sensor.last_ts > timedelta(seconds=SILENT_PERIODS * sensor.period_seconds):
        return "silent"
    return "normal"


def points(user, now: datetime | None = None) -> list[dict]:
    """Every visible monitoring point placed on the site plan, with its state and colour."""
    now = now or timezone.now()
    sensors = list(
        Sensor.objects.visible_to(user)
        .filter(active=True, x__isnull=False, y__isnull=False)
        .select_related("device__enterprise")
    )
    active: dict[int, set] = {}
    alarms = Alarm.objects.visible_to(user).filter(active=True, sensor__in=[s.pk for s in sensors])
    for sensor_id, level, kind in alarms.values_list("sensor_id", "level", "rule__kind"):
        active.setdefault(sensor_id, set()).add((level, kind))
    out = []
    for sensor in sensors:
        state = sensor_state(sensor, active.get(sensor.pk, set()), now)
        colour, label = STATES[state]
        out.append(
            {
                "id": sensor.pk,
                "name": f"{sensor.device.enterprise.short_name} · {sensor.name}",
                "x": sensor.x,
                "y": sensor.y,
                "state": str(label),
                "code": state,
                "colour": colour,
                "value": sensor.last_value,
                "unit": sensor.unit,
            }
        )
    return out


def series(sensor: Sensor, range_code: str, now: datetime | None = None) -> list[tuple[datetime, float, float, float]]:
    """(start, average, minimum, maximum) per rollup over the range; minute rollups up to a day, hours beyond."""
    span = RANGES[range_code]
    now = now or timezone.now()
    rows = (
        Rollup.objects.filter(sensor_id=sensor.pk, period=span.period, start__gte=now - span.span, start__lte=now)
        .order_by("start")
        .values_list("start", "sum", "count", "min", "max")
    )
    return [(start, total / count if count else 0.0, low, high) for start, total, count, low, high in rows]


def setpoints(sensor: Sensor) -> list[dict]:
    """The sensor's effective setpoints (level 1 and 2 in its unit, with their source and rule id)."""
    from .alarms import effective_setpoints  # late: the alarm lifecycle imports this app's models and notify

    return [
        {
            **point,
            "kind_label": AlarmRule.Kind(point["kind"]).label,
            "level_label": AlarmRule.Level(point["level"]).label,
        }
        for point in effective_setpoints(sensor)
    ]


def filter_alarms(rows, status="active", state=None, level=None, enterprise=None, sensor=None, since=None, until=None):
    """Alarms by status (active, history = closed, or all) and the optional filters the list pages offer."""
    if status in ("active", "history"):
        rows = rows.filter(active=status == "active")
    conditions = {
        "state": state,
        "level": level,
        "sensor__device__enterprise_id": enterprise,
        "sensor_id": sensor,
        "raised_at__gte": since,
        "raised_at__lt": until,
    }
    return rows.filter(**{name: value for name, value in conditions.items() if value not in (None, "")})


def history(alarm: Alarm):
    """The alarm's transitions from the audit log, oldest first."""
    return AuditEntry.objects.filter(model=Alarm._meta.label_lower, object_id=str(alarm.pk)).order_by("at", "id")
