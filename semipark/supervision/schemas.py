from datetime import datetime

from ninja import Field, ModelSchema, Schema

from .models import Alarm, DeadLetter, Device, Sensor, SensorKind, Unit
from .registry import SENSOR_FIELDS

SLUG = r"^[-a-zA-Z0-9_]+$"


class DeviceOut(ModelSchema):
    kind_label: str = Field(..., alias="get_kind_display")
    topic: str
    sensor_count: int = 0

    class Meta:
        model = Device
        fields = ["id", "enterprise", "code", "name", "kind", "token_prefix", "active", "created", "updated"]


class DeviceIn(Schema):
    enterprise: int | None = Field(None, description="Defaults to the caller's own enterprise.")
    code: str = Field(..., pattern=SLUG, max_length=40)
    name: str = Field(..., min_length=1, max_length=100)
    kind: Device.Kind
    active: bool = True


class DeviceUpdate(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: Device.Kind | None = None
    active: bool | None = None


class TokenOut(Schema):
    token: str = Field(..., description="Send as `Authorization: Bearer <token>` to POST /api/v1/ingest.")
    prefix: str


class DeviceFilter(Schema):
    enterprise: int | None = None
    kind: str | None = None
    q: str | None = None


class SetpointOut(Schema):
    rule_id: int
    kind: str
    level: int
    threshold: float | None
    deadband: float
    unit: str
    source: str
    verified: bool
    overridden: bool
    override_reason: str


class SensorOut(ModelSchema):
    enterprise: int = Field(..., alias="device.enterprise_id")
    device_code: str = Field(..., alias="device.code")
    topic: str = Field(..., alias="device.topic")
    publish_key: str = Field(..., alias="key")
    kind_label: str = Field(..., alias="get_kind_display")
    setpoints: list[SetpointOut] = []

    class Meta:
        model = Sensor
        fields = ["id", *SENSOR_FIELDS, "last_value", "last_ts"]


class SensorIn(Schema):
    device: int
    key: str = Field(..., pattern=SLUG, max_length=40)
    name: str = Field(..., min_length=1, max_length=100)
    kind: SensorKind
    substance: str = Field("", max_length=20)
    unit: Unit
    range_min: float = 0
    range_max: float
    period_seconds: int = Field(10, ge=1, le=86400)
    plot: int | None = None
    building: str = Field("", max_length=60)
    x: float | None = None
    y: float | None = None
    active: bool = True


class SensorUpdate(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: SensorKind | None = None
    substance: str | None = Field(None, max_length=20)
    unit: Unit | None = None
    range_min: float | None = None
    range_max: float | None = None
    period_seconds: int | None = Field(None, ge=1, le=86400)
    plot: int | None = None
    building: str | None = Field(None, max_length=60)
    x: float | None = None
    y: float | None = None
    active: bool | None = None


class SensorFilter(Schema):
    enterprise: int | None = None
    device: int | None = None
    kind: str | None = None
    substance: str | None = None
    q: str | None = None


class OverrideIn(Schema):
    threshold: float
    reason: str = Field(..., min_length=1, max_length=200)


class SeriesOut(Schema):
    sensor: int
    unit: str
    range: str
    period: str
    points: list[tuple[datetime, float, float, float]] = Field(..., description="(start, average, minimum, maximum)")
    setpoints: list[SetpointOut]


class AlarmOut(ModelSchema):
    enterprise: int = Field(..., alias="sensor.device.enterprise_id")
    sensor_name: str = Field(..., alias="sensor.name")
    unit: str = Field(..., alias="sensor.unit")
    rule_kind: str = Field(..., alias="rule.kind")
    state_label: str = Field(..., alias="get_state_display")
    level_label: str = Field(..., alias="get_level_display")

    class Meta:
        model = Alarm
        fields = [
            "id",
            "sensor",
            "rule",
            "level",
            "state",
            "active",
            "raised_at",
            "value",
            "peak",
            "threshold",
            "escalated_at",
            "acknowledged_at",
            "acknowledged_by",
            "note",
            "cleared_at",
            "closed_at",
            "shelved_until",
            "shelve_reason",
        ]


class HistoryOut(Schema):
    at: datetime
    username: str
    kind: str
    message: str
    before: dict | None
    after: dict | None


class AlarmDetailOut(AlarmOut):
    history: list[HistoryOut] = []


class AlarmFilter(Schema):
    status: str = Field("active", pattern="^(active|history|all)$")
    state: str | None = None
    level: int | None = None
    enterprise: int | None = None
    sensor: int | None = None
    since: datetime | None = None
    until: datetime | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=1000)


class ShelveIn(Schema):
    until: datetime
    reason: str = Field(..., min_length=1, max_length=200)


class DeadLetterOut(ModelSchema):
    reason_label: str = Field(..., alias="get_reason_display")

    class Meta:
        model = DeadLetter
        fields = ["id", "received_at", "transport", "topic", "enterprise", "device", "reason", "detail", "payload"]


class DeadLetterFilter(Schema):
    reason: str | None = None
    enterprise: int | None = None
    since: datetime | None = None
