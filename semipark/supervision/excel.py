"""Sensors as an Excel workbook, out and in. Rows are matched by device code and key."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from semipark.core.excel import Column, ImportReport, RowError, import_rows, read_rows, workbook_response
from semipark.park.models import Plot

from . import registry
from .models import Device, Sensor, SensorKind, Unit

COLUMNS = [
    Column("enterprise", gettext_lazy("Enterprise code")),
    Column("device", gettext_lazy("Device code"), required=True),
    Column("key", gettext_lazy("Key"), required=True),
    Column("name", gettext_lazy("Name"), required=True),
    Column("kind", gettext_lazy("Kind"), required=True),
    Column("substance", gettext_lazy("Substance")),
    Column("unit", gettext_lazy("Unit"), required=True),
    Column("range_min", gettext_lazy("Range minimum")),
    Column("range_max", gettext_lazy("Range maximum"), required=True),
    Column("period_seconds", gettext_lazy("Reporting period (s)")),
    Column("plot", gettext_lazy("Plot")),
    Column("building", gettext_lazy("Building")),
    Column("x", gettext_lazy("x (m)")),
    Column("y", gettext_lazy("y (m)")),
]
NUMBERS = ("range_min", "range_max", "period_seconds", "x", "y")


def export(sensors):
    rows = (
        [
            s.device.enterprise.code,
            s.device.code,
            s.key,
            s.name,
            s.get_kind_display(),
            s.substance,
            s.unit,
            s.range_min,
            s.range_max,
            s.period_seconds,
            s.plot.code if s.plot else "",
            s.building,
            s.x,
            s.y,
        ]
        for s in sensors
    )
    return workbook_response("sensors.xlsx", str(_("Sensors")), COLUMNS, rows)


def import_sensors(user, upload) -> ImportReport:
    """Check every row, then create or update all sensors in one transaction, or none."""
    rows, report = read_rows(upload, COLUMNS)
    if not report.ok:
        return report
    devices = list(Device.objects.visible_to(user, "change").select_related("enterprise"))
    plots = {p.code: p for p in Plot.objects.visible_to(user).filter(enterprise__isnull=False)}
    kinds = _choices(SensorKind)
    units = _choices(Unit)
    seen: dict[tuple, int] = {}

    def build(number: int, row: dict):
        problems = []
        device = _device(devices, _text(row.get("enterprise")), _text(row.get("device")), problems)
        key = _text(row.get("key"))
        if device is not None and (device.pk, key) in seen:
            problems.append(("key", _("Same device and key as row %(row)s.") % {"row": seen[(device.pk, key)]}))
        values = {
            "name": _text(row.get("name")),
            "kind": kinds.get(_text(row.get("kind")).lower()),
            "substance": _text(row.get("substance")),
            "unit": units.get(_text(row.get("unit")).lower()),
            "building": _text(row.get("building")),
            "plot": None,
        }
        for name, choices in (("kind", SensorKind), ("unit", Unit)):
            if values[name] is None:
                problems.append(
                    (
                        name,
                        _("Unknown %(field)s “%(value)s”; use one of %(choices)s.")
                        % {"field": name, "value": _text(row.get(name)), "choices": ", ".join(choices.values)},
                    )
                )
        for name in NUMBERS:
            values[name] = _number(row.get(name), name, problems)
        if values["range_min"] is None:
            values["range_min"] = 0.0
        if values["period_seconds"] is None:
            values["period_seconds"] = 10
        elif values["period_seconds"] != int(values["period_seconds"]) or values["period_seconds"] < 1:
            problems.append(("period_seconds", _("The period is a whole number of seconds.")))
        else:
            values["period_seconds"] = int(values["period_seconds"])
        plot_code = _text(row.get("plot"))
        if plot_code:
            values["plot"] = plots.get(plot_code)
            if values["plot"] is None:
                problems.append(("plot", _("Unknown plot “%(value)s”.") % {"value": plot_code}))
        if device is None or problems:
            raise RowError(problems)
        seen[(device.pk, key)] = number
        existing = Sensor.objects.filter(device=device, key=key).first()
        _check(Sensor(pk=existing.pk if existing else None, device=device, key=key, **values), problems)
        if problems:
            raise RowError(problems)
        target = existing or Sensor(device=device, key=key)
        target._import_values = values
        return target

    def save(sensor) -> bool:
        creating = sensor._state.adding
        registry.save_sensor(user, sensor, sensor._import_values, message=_("Excel import"))
        return creating

    return import_rows(rows, report, build, save)


def _device(devices: list[Device], enterprise: str, code: str, problems: list) -> Device | None:
    matches = [d for d in devices if d.code == code and (not enterprise or d.enterprise.code == enterprise)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        problems.append(
            (
                "enterprise",
                _("Several enterprises have a device “%(code)s”; give the enterprise code.") % {"code": code},
            )
        )
    else:
        problems.append(("device", _("No device “%(code)s” of yours.") % {"code": code}))
    return None


def _check(sensor: Sensor, problems: list) -> None:
    """Model validation and the place check, without saving (the primary key makes uniqueness skip itself)."""
    sensor._state.adding = sensor.pk is None
    try:
        sensor.full_clean(validate_unique=False)
        registry.check_place(sensor)
    except ValidationError as exc:
        problems.extend((name, message) for name, messages in exc.message_dict.items() for message in messages)


def _choices(choices) -> dict[str, str]:
    """Accept the stored value or the label, in any case, in any of the site's languages."""
    accepted = {value.lower(): value for value in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            accepted |= {str(label).lower(): value for value, label in choices.choices}
    return accepted


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _number(value, field: str, problems: list) -> float | None:
    if value is None or _text(value) == "":
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        problems.append((field, _("“%(value)s” is not a number.") % {"value": value}))
        return None
