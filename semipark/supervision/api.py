"""Supervision API: devices, sensors and their setpoints, trend series, alarms and their actions, dead letters."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from semipark.core.pagination import Pages
from semipark.core.schemas import FieldErrors, Message
from semipark.park.models import Enterprise, Plot

from . import actions, console, registry
from .models import Alarm, AlarmRule, DeadLetter, Device, Sensor
from .schemas import (
    AlarmDetailOut,
    AlarmFilter,
    AlarmOut,
    DeadLetterFilter,
    DeadLetterOut,
    DeviceFilter,
    DeviceIn,
    DeviceOut,
    DeviceUpdate,
    NoteIn,
    OverrideIn,
    SensorFilter,
    SensorIn,
    SensorOut,
    SensorUpdate,
    SeriesOut,
    SetpointOut,
    ShelveIn,
    TokenOut,
)

router = Router(tags=["supervision"])
WRITE = {200: SensorOut, 201: SensorOut, 400: FieldErrors, 403: Message, 404: Message, 422: FieldErrors}


def devices_for(user, action="view"):
    return (
        Device.objects.visible_to(user, action)
        .select_related("enterprise__park")
        .annotate(sensor_count=Count("sensors"))
    )


def sensors_for(user, action="view"):
    return Sensor.objects.visible_to(user, action).select_related("device__enterprise__park")


def alarms_for(user, action="view"):
    return Alarm.objects.visible_to(user, action).select_related("sensor__device", "rule")


# --- devices ------------------------------------------------------------------------------------------


@router.get("/devices", response=list[DeviceOut])
@paginate(Pages)
def list_devices(request, filters: Query[DeviceFilter]):
    """Devices the caller may see, filterable by enterprise and kind, searchable by code or name."""
    rows = devices_for(request.user)
    if filters.enterprise:
        rows = rows.filter(enterprise_id=filters.enterprise)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.q:
        rows = rows.filter(Q(code__icontains=filters.q) | Q(name__icontains=filters.q))
    return rows.order_by("enterprise_id", "code")


@router.get("/devices/{int:device_id}", response=DeviceOut)
def get_device(request, device_id: int):
    return get_object_or_404(devices_for(request.user), pk=device_id)


@router.post("/devices", response={201: DeviceOut, 400: FieldErrors, 403: Message, 404: Message})
def create_device(request, body: DeviceIn):
    """Register a device; enterprise users register devices of their own enterprise only."""
    data = body.dict()
    enterprise_id = data.pop("enterprise") or request.user.enterprise_id
    if enterprise_id is None:
        raise ValidationError({"enterprise": [_("Choose the enterprise the device belongs to.")]})
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=enterprise_id)
    device = registry.save_device(request.user, Device(enterprise=enterprise), data)
    return 201, get_object_or_404(devices_for(request.user), pk=device.pk)


@router.patch("/devices/{int:device_id}", response={200: DeviceOut, 400: FieldErrors, 404: Message})
def update_device(request, device_id: int, body: DeviceUpdate):
    device = get_object_or_404(devices_for(request.user, "change"), pk=device_id)
    registry.save_device(request.user, device, body.dict(exclude_unset=True))
    return get_object_or_404(devices_for(request.user), pk=device.pk)


@router.post("/devices/{int:device_id}/token", response={200: TokenOut, 404: Message})
def issue_device_token(request, device_id: int):
    """A new token for the device's HTTP ingest (the previous one stops working); shown once, only a hash is kept."""
    device = get_object_or_404(devices_for(request.user, "change"), pk=device_id)
    return {"token": registry.issue_token(request.user, device), "prefix": device.token_prefix}


# --- sensors ------------------------------------------------------------------------------------------


@router.get("/sensors", response=list[SensorOut])
@paginate(Pages)
def list_sensors(request, filters: Query[SensorFilter]):
    """Sensors with their device's MQTT topic, the key to publish under, the range and the effective setpoints."""
    rows = sensors_for(request.user)
    if filters.enterprise:
        rows = rows.filter(device__enterprise_id=filters.enterprise)
    if filters.device:
        rows = rows.filter(device_id=filters.device)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.substance:
        rows = rows.filter(substance__iexact=filters.substance)
    if filters.q:
        rows = rows.filter(Q(key__icontains=filters.q) | Q(name__icontains=filters.q))
    return _with_setpoints(rows.order_by("device_id", "key"))


@router.get("/sensors/{int:sensor_id}", response=SensorOut)
def get_sensor(request, sensor_id: int):
    return _with_setpoint(get_object_or_404(sensors_for(request.user), pk=sensor_id))


@router.post("/sensors", response=WRITE)
def create_sensor(request, body: SensorIn):
    """Add a sensor; its default alarm rules (GB/T 50493-2019) are created with it."""
    data = _resolve_refs(request.user, body.dict())
    sensor = registry.save_sensor(request.user, Sensor(), data)
    return 201, _with_setpoint(sensor)


@router.patch("/sensors/{int:sensor_id}", response=WRITE)
def update_sensor(request, sensor_id: int, body: SensorUpdate):
    """Change a sensor; a new gas, unit or range refreshes the default setpoints (overrides stay)."""
    sensor = get_object_or_404(sensors_for(request.user, "change"), pk=sensor_id)
    registry.save_sensor(request.user, sensor, _resolve_refs(request.user, body.dict(exclude_unset=True)))
    return _with_setpoint(sensor)


@router.get("/sensors/{int:sensor_id}/setpoints", response=list[SetpointOut])
def sensor_setpoints(request, sensor_id: int):
    return console.setpoints(get_object_or_404(sensors_for(request.user), pk=sensor_id))


@router.post(
    "/sensors/{int:sensor_id}/rules/{int:rule_id}/override",
    response={200: list[SetpointOut], 400: FieldErrors, 403: Message, 404: Message},
)
def override_setpoint(request, sensor_id: int, rule_id: int, body: OverrideIn):
    """Set a site-specific threshold for one rule; the reason is required and the change is audited."""
    rule = get_object_or_404(AlarmRule.objects.visible_to(request.user, "change"), pk=rule_id, sensor_id=sensor_id)
    actions.override(request.user, rule, body.threshold, body.reason)
    return console.setpoints(rule.sensor)


@router.get("/sensors/{int:sensor_id}/series", response={200: SeriesOut, 400: FieldErrors})
def sensor_series(request, sensor_id: int, range: str = "24h"):
    """Trend from rollups: minute rollups for 1h and 24h, hour rollups for 7d, 30d and 1y."""
    sensor = get_object_or_404(sensors_for(request.user), pk=sensor_id)
    if range not in console.RANGES:
        raise ValidationError({"range": [_("Choose one of %(ranges)s.") % {"ranges": ", ".join(console.RANGES)}]})
    return {
        "sensor": sensor.pk,
        "unit": sensor.unit,
        "range": range,
        "period": console.RANGES[range].period,
        "points": console.series(sensor, range),
        "setpoints": console.setpoints(sensor),
    }


# --- alarms -------------------------------------------------------------------------------------------


@router.get("/alarms", response=list[AlarmOut])
@paginate(Pages)
def list_alarms(request, filters: Query[AlarmFilter]):
    """Active alarms (default), closed ones (``status=history``) or all, newest first."""
    return console.filter_alarms(alarms_for(request.user), **filters.dict())


@router.get("/alarms/{int:alarm_id}", response=AlarmDetailOut)
def get_alarm(request, alarm_id: int):
    """One alarm with its transitions from the audit log."""
    alarm = get_object_or_404(alarms_for(request.user), pk=alarm_id)
    alarm.history = list(console.history(alarm))
    return alarm


ACTION_RESPONSES = {200: AlarmOut, 400: FieldErrors, 403: Message, 404: Message, 409: Message}


@router.post("/alarms/{int:alarm_id}/acknowledge", response=ACTION_RESPONSES)
def acknowledge_alarm(request, alarm_id: int, body: NoteIn):
    """Acknowledge an active alarm (note optional); 409 when the alarm's state does not allow it."""
    return actions.acknowledge(request.user, _alarm(request, alarm_id), body.note)


@router.post("/alarms/{int:alarm_id}/shelve", response=ACTION_RESPONSES)
def shelve_alarm(request, alarm_id: int, body: ShelveIn):
    """Shelve an alarm for maintenance until a time, with a reason."""
    return actions.shelve(request.user, _alarm(request, alarm_id), body.until, body.reason)


@router.post("/alarms/{int:alarm_id}/unshelve", response=ACTION_RESPONSES)
def unshelve_alarm(request, alarm_id: int):
    return actions.unshelve(request.user, _alarm(request, alarm_id))


@router.post("/alarms/{int:alarm_id}/close", response=ACTION_RESPONSES)
def close_alarm(request, alarm_id: int, body: NoteIn):
    """Close a cleared alarm."""
    return actions.close(request.user, _alarm(request, alarm_id), body.note)


# --- dead letters ---------------------------------------------------------------------------------------


@router.get("/dead-letters", response=list[DeadLetterOut])
@paginate(Pages)
def list_dead_letters(request, filters: Query[DeadLetterFilter]):
    """Messages the pipeline refused, with the reason and the raw payload, newest first."""
    rows = DeadLetter.objects.visible_to(request.user)
    if filters.reason:
        rows = rows.filter(reason=filters.reason)
    if filters.enterprise:
        rows = rows.filter(enterprise_id=filters.enterprise)
    if filters.since:
        rows = rows.filter(received_at__gte=filters.since)
    return rows


# --- helpers ------------------------------------------------------------------------------------------


def _alarm(request, alarm_id: int) -> Alarm:
    return get_object_or_404(alarms_for(request.user), pk=alarm_id)


def _resolve_refs(user, data: dict) -> dict:
    """Turn device and plot ids into objects the caller may use; an unknown id is a field error."""
    errors = {}
    if "device" in data:
        data["device"] = (
            Device.objects.visible_to(user, "change").select_related("enterprise").filter(pk=data["device"]).first()
        )
        if data["device"] is None:
            errors["device"] = [_("No such device of yours.")]
    if data.get("plot") is not None:
        data["plot"] = Plot.objects.visible_to(user).filter(pk=data["plot"]).first()
        if data["plot"] is None:
            errors["plot"] = [_("No such plot.")]
    if errors:
        raise ValidationError(errors)
    return data


def _with_setpoint(sensor: Sensor) -> Sensor:
    sensor.setpoints = console.setpoints(sensor)
    return sensor


def _with_setpoints(rows):
    """Attach setpoints lazily, page by page (the paginator slices before this runs)."""
    return _SetpointRows(rows)


class _SetpointRows:
    def __init__(self, rows):
        self.rows = rows

    def count(self):
        return self.rows.count()

    def __getitem__(self, index):
        return [_with_setpoint(s) for s in self.rows[index]]
