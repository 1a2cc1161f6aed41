"""Alarm events for open consoles, as server-sent events, across processes and without a message broker.

The ingest workers write alarms and notifications to the database; each open console polls the database
for what changed after its cursor (about twice a second, two small indexed queries) and streams it. The
cursor travels as the SSE event id, so a browser that reconnects sends it back as Last-Event-ID and
misses nothing. Changes are picked up with a short look-back, because a transaction may commit after a
younger one; the client treats events as idempotent updates.
"""

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.db.models import Max
from django.utils import timezone

from . import notify
from .models import Alarm, Notification

POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 15
LOOK_BACK = timedelta(seconds=2)
RETRY_MS = 2000


def stream_seconds() -> float:
    """How long one response streams before the browser reconnects (bounds a worker's time per client)."""
    return float(getattr(settings, "SUPERVISION_STREAM_SECONDS", 300))


@dataclass
class Cursor:
    notification: int = 0
    changed: datetime | None = None
    seen: dict[int, datetime] = field(default_factory=dict)

    def __str__(self) -> str:
        micros = int(self.changed.timestamp() * 1_000_000) if self.changed else 0
        return f"{self.notification}.{micros}"

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        try:
            notification, micros = (text or "").strip().split(".")
            changed = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC) if int(micros) else None
            return cls(max(0, int(notification)), changed)
        except (ValueError, OverflowError, OSError):
            return None


def now_cursor(user) -> Cursor:
    """A cursor at the present: events from here on (what a freshly rendered console starts from)."""
    last = Notification.objects.visible_to(user).aggregate(last=Max("id"))["last"] or 0
    return Cursor(last, timezone.now())


def fetch(user, cursor: Cursor) -> list[tuple[str, str, dict]]:
    """Events after ``cursor`` that ``user`` may see, as (id, event name, data); moves the cursor forward.

    Each event's id is the cursor just past it, so a stream cut mid-batch resumes at the right place.
    """
    events = []
    for notice in notify.latest_events(user, cursor.notification, limit=200):
        cursor.notification = notice["id"]
        events.append((str(cursor), "notification", notice))
    # Open alarms only: the (active, raised) index keeps this small however long the history; a closing is
    # still seen, through its notification.
    changed = Alarm.objects.visible_to(user).filter(active=True).select_related("sensor__device__enterprise")
    if cursor.changed is not None:
        changed = changed.filter(updated__gt=cursor.changed - LOOK_BACK)
    for alarm in changed.order_by("updated", "id")[:500]:
        if cursor.seen.get(alarm.pk) == alarm.updated:
            continue
        cursor.seen[alarm.pk] = alarm.updated
        cursor.changed = max(cursor.changed or alarm.updated, alarm.updated)
        events.append((str(cursor), "alarm", alarm_data(alarm)))
    horizon = (cursor.changed or timezone.now()) - LOOK_BACK
    cursor.seen = {pk: at for pk, at in cursor.seen.items() if at > horizon}
    return events


def alarm_data(alarm: Alarm) -> dict:
    return {
        "id": alarm.pk,
        "sensor": alarm.sensor_id,
        "sensor_name": alarm.sensor.name,
        "enterprise": alarm.sensor.device.enterprise.short_name,
        "level": alarm.level,
        "state": alarm.state,
        "active": alarm.active,
        "value": alarm.value,
        "threshold": alarm.threshold,
    }


def encode(event_id: str, name: str, data: dict) -> bytes:
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def snapshot(user, cursor: Cursor) -> bytes:
    """Everything after the cursor at once, for clients that poll instead of holding a stream open."""
    return f"retry: {RETRY_MS}\n\n".encode() + b"".join(encode(*event) for event in fetch(user, cursor))


class Pacer:
    """When the stream ends and when a quiet stream sends a heartbeat (so proxies keep it open)."""

    def __init__(self, heartbeat_seconds: float = HEARTBEAT_SECONDS):
        self.deadline = time.monotonic() + stream_seconds()
        self.quiet_since = time.monotonic()
        self.heartbeat_seconds = heartbeat_seconds

    def running(self) -> bool:
        return time.monotonic() < self.deadline

    def step(self, user, cursor: Cursor) -> list[bytes]:
        chunks = [encode(*event) for event in fetch(user, cursor)]
        now = time.monotonic()
        if not chunks and now - self.quiet_since >= self.heartbeat_seconds:
            chunks = [b": heartbeat\n\n"]
        if chunks:
            self.quiet_since = now
        return chunks


async def stream_async(user, cursor: Cursor):
    """The stream under ASGI: each poll runs in a worker thread, the wait between polls holds none."""
    pacer = Pacer()
    yield f"retry: {RETRY_MS}\n\n".encode()
    try:
        while pacer.running():
            for chunk in await sync_to_async(pacer.step)(user, cursor):
                yield chunk
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await sync_to_async(connections.close_all)()  # the poll thread's connection


def stream_sync(user, cursor: Cursor):
    """The same stream under WSGI (development and test servers), where the thread belongs to the connection.

    WSGI learns that the browser left only when a write fails, so a quiet stream writes a comment at every poll
    and the thread stops within one poll of the page closing.
    """
    pacer = Pacer(heartbeat_seconds=0)
    yield f"retry: {RETRY_MS}\n\n".encode()
    while pacer.running():
        yield from pacer.step(user, cursor)
        time.sleep(POLL_SECONDS)
