"""One pipeline behind MQTT and HTTP: decode, resolve, validate, persist in batches, rollups, alarms.

``Pipeline.process(messages)`` takes a batch of raw messages and, in one transaction, stores every valid reading
(flagged when outside the sensor's range), merges the rollups, updates the sensors' last values, evaluates and
applies alarm transitions, and writes a dead letter for everything it refused. It returns, per message, how many
readings were accepted and what was refused and why. Only a database failure escapes it: the caller retries the
same batch, and since (sensor, ts) is the key nothing is stored twice.
"""

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from semipark.supervision.models import DeadLetter

from . import payload, store
from .alarming import AlarmStage
from .errors import IngestError, UnknownDevice, UnknownSensor
from .registry import DeviceEntry, Registry

log = logging.getLogger(__name__)

MAX_STORED_PAYLOAD = 65_536  # characters of a refused payload kept in the dead letter


@dataclass(slots=True)
class Message:
    payload: bytes
    topic: str = ""
    transport: str = "mqtt"
    device_id: int | None = None  # set when the transport already knows the device (HTTP token)


@dataclass(slots=True)
class Refusal:
    reason: str
    detail: str
    item: int | None = None
    key: str | None = None

    def as_dict(self) -> dict:
        return {"item": self.item, "key": self.key, "reason": self.reason, "detail": self.detail}


@dataclass(slots=True)
class Outcome:
    accepted: int = 0
    refused: list[Refusal] = field(default_factory=list)
    device: DeviceEntry | None = None
    enterprise_id: int | None = None


class Pipeline:
    def __init__(
        self,
        registry: Registry | None = None,
        alarms: AlarmStage | None = None,
        hours: store.HourRollups | None = None,
    ):
        self.registry = registry or Registry()
        self.alarms = alarms or AlarmStage()
        self.last_values = store.LastValues()
        self.hours = hours  # None: hour rollups merged in each batch; else recomputed when hours.flush() runs
        self._may_force = True
        self._lock = threading.Lock()  # the sensor map and the engine's state are shared by the callers

    def process(self, messages: list[Message]) -> list[Outcome]:
        """Take a batch; raises only database errors (then nothing of the batch was written)."""
        with self._lock:
            return self._process(messages)

    def _process(self, messages: list[Message]) -> list[Outcome]:
        now = timezone.now()
        self._may_force = True
        self._refresh()
        outcomes: list[Outcome] = []
        rows: dict[tuple[int, datetime], store.Row] = {}
        prefix = settings.MQTT_TOPIC_PREFIX  # a lazy setting: read once a batch, not once a message
        for message in messages:
            outcomes.append(self._read(message, now, rows, prefix))
        try:
            with transaction.atomic():
                new = store.store(list(rows.values()), self.last_values, self.hours)
                self.alarms.process(new)
                _dead_letters(messages, outcomes, now)
        except Exception:
            self.alarms.invalidate()
            if self.hours is not None:
                self.hours.discard()
            raise
        self.last_values.committed()
        self.alarms.committed()
        if self.hours is not None:
            self.hours.committed()
        return outcomes

    def _read(self, message: Message, now: datetime, rows: dict, prefix: str) -> Outcome:
        outcome = Outcome()
        try:
            device = self._device(message, outcome, prefix)
            items = payload.decode(message.payload)
        except IngestError as exc:
            outcome.refused.append(Refusal(exc.reason, exc.detail))
            return outcome
        sensors = device.sensors
        for index, item in enumerate(items):
            try:
                ts = payload.parse_ts(item.get("ts"), now)
            except IngestError as exc:
                outcome.refused.append(Refusal(exc.reason, exc.detail, index))
                continue
            for key, raw in item["values"].items():
                try:
                    sensor = sensors.get(key) or self._late_sensor(message, device, key)
                    value = payload.parse_value(key, raw)
                except IngestError as exc:
                    outcome.refused.append(Refusal(exc.reason, exc.detail, index, key))
                    continue
                out_of_range = not (sensor.range_min <= value <= sensor.range_max)
                rows.setdefault((sensor.id, ts), (sensor.id, ts, value, out_of_range))
                outcome.accepted += 1
        return outcome

    def _device(self, message: Message, outcome: Outcome, prefix: str) -> DeviceEntry:
        if message.device_id is not None:
            device = self._lookup(self.registry.by_id, message.device_id)
            if device is None:
                raise UnknownDevice(f"device {message.device_id} is not active")
        else:
            park, enterprise, code = payload.parse_topic(message.topic, prefix)
            device = self._lookup(self.registry.by_path, park, enterprise, code)
            if device is None:
                outcome.enterprise_id = self.registry.enterprise_id(park, enterprise)
                raise UnknownDevice(f"no active device {code!r} of enterprise {enterprise!r} in park {park!r}")
        outcome.device = device
        outcome.enterprise_id = device.enterprise_id
        return device

    def _late_sensor(self, message: Message, device: DeviceEntry, key: str):
        """A key the map lacks: perhaps the sensor was added a moment ago."""
        if self._refresh(force=True):
            fresh = self.registry.by_id(device.id)
            if fresh is not None and key in fresh.sensors:
                return fresh.sensors[key]
        raise UnknownSensor(f"device has no active sensor with key {key[:60]!r}")

    def _lookup(self, find, *names):
        found = find(*names)
        if found is None and self._refresh(force=True):
            found = find(*names)
        return found

    def _refresh(self, force: bool = False) -> bool:
        """Refresh the map; a miss forces a check, at most once a batch so unknown names cannot flood it."""
        if force:
            if not self._may_force:
                return False
            self._may_force = False
        changed = self.registry.refresh(force=force)
        if changed:
            self.alarms.invalidate()
        return changed


def _dead_letters(messages: list[Message], outcomes: list[Outcome], now: datetime) -> None:
    """One dead letter per refused message and reason, listing every refused item in the detail."""
    letters = []
    for message, outcome in zip(messages, outcomes, strict=True):
        by_reason: dict[str, list[str]] = {}
        for refusal in outcome.refused:
            by_reason.setdefault(refusal.reason, []).append(_describe(refusal))
        for reason, details in by_reason.items():
            letters.append(
                DeadLetter(
                    received_at=now,
                    transport=message.transport,
                    topic=message.topic[:300],
                    enterprise_id=outcome.enterprise_id,
                    device_id=outcome.device.id if outcome.device else None,
                    reason=reason,
                    detail="; ".join(details)[:500],
                    payload=stored_text(message.payload),
                )
            )
    if letters:
        DeadLetter.objects.bulk_create(letters)


def stored_text(payload: bytes) -> str:
    """A refused payload as text any database keeps: bad UTF-8 replaced, NUL (which PostgreSQL refuses) escaped."""
    return payload.decode("utf-8", errors="replace").replace("\x00", "\\u0000")[:MAX_STORED_PAYLOAD]


def _describe(refusal: Refusal) -> str:
    where = "" if refusal.item is None else f"item {refusal.item}: "
    return where + refusal.detail


def dead_letter_for(message: Message, detail: str) -> None:
    """Keep a message the pipeline could not process at all (an unexpected failure, not bad input)."""
    DeadLetter.objects.create(
        transport=message.transport,
        topic=message.topic[:300],
        reason=DeadLetter.Reason.BAD_SHAPE,
        detail=detail[:500],
        payload=stored_text(message.payload),
    )
