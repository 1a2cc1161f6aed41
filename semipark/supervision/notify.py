"""Telling people about alarm transitions: in-app notifications, webhooks, and the feed of the live console.

Each transition writes one Notification row for the sensor's enterprise and one for the park office
(enterprise empty), inside the transition's transaction. Webhooks are POSTed only after that transaction
commits, from a small thread pool, so a slow or broken receiver never holds up or breaks the ingest pipeline:
a failure is logged and dropped.
"""

import hashlib
import hmac
import json
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Alarm, Notification, Webhook

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Semipark-Signature"
EVENT_HEADER = "X-Semipark-Event"

# Events of an alarm, as notifications and webhooks name them.
RAISED, ESCALATED, ACKNOWLEDGED, CLEARED, CLOSED, SHELVED, UNSHELVED = (
    "raised",
    "escalated",
    "acknowledged",
    "cleared",
    "closed",
    "shelved",
    "unshelved",
)

_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook")
_pending: set[Future] = set()
_pending_lock = threading.Lock()


def alarm_event(alarm: Alarm, event: str, *, office_only: bool = False) -> list[Notification]:
    """Record ``event`` of ``alarm`` for its enterprise and the park office; queue the webhooks for after commit."""
    sensor = alarm.sensor
    enterprise = sensor.device.enterprise
    with translation.override(settings.LANGUAGE_CODE):
        message = _message(alarm, event)[:300]
    recipients = [None] if office_only else [enterprise.pk, None]
    now = timezone.now()
    notes = [
        Notification.objects.create(enterprise_id=e, alarm=alarm, created=now, message=message) for e in recipients
    ]
    hooks = [
        (hook.url, hook.secret)
        for hook in Webhook.objects.filter(active=True).filter(
            Q(enterprise__isnull=True) | Q(enterprise_id__in=[e for e in recipients if e])
        )
    ]
    if hooks:
        body = _body(alarm, event, message, enterprise)
        transaction.on_commit(lambda: [_submit(url, secret, event, body) for url, secret in hooks])
    return notes


def latest_events(user, after_id: int = 0, limit: int = 100) -> list[dict]:
    """Notifications after ``after_id`` that ``user`` may see, oldest first, for the live console.

    Enterprise people get their enterprise's rows; the park office and regulators get the park-wide copy
    (each event once, even though they may view every row).
    """
    rows = Notification.objects.visible_to(user, "view").filter(id__gt=after_id or 0)
    if not user.is_enterprise_member:
        rows = rows.filter(enterprise__isnull=True)
    rows = rows.select_related("alarm").order_by("id")[:limit]
    return [
        {
            "id": note.id,
            "created": note.created.isoformat(),
            "message": note.message,
            "alarm_id": note.alarm_id,
            "sensor_id": note.alarm.sensor_id if note.alarm else None,
            "level": note.alarm.level if note.alarm else None,
            "state": note.alarm.state if note.alarm else None,
        }
        for note in rows
    ]


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of the body keyed with the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def flush(timeout: float | None = None) -> bool:
    """Wait for the queued webhooks (tests and shutdown); True when all finished within ``timeout``."""
    with _pending_lock:
        futures = set(_pending)
    _, not_done = wait(futures, timeout=timeout)
    return not not_done


def _submit(url: str, secret: str, event: str, body: bytes) -> None:
    future = _executor.submit(_post, url, secret, event, body)
    with _pending_lock:
        _pending.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future) -> None:
    with _pending_lock:
        _pending.discard(future)


def _post(url: str, secret: str, event: str, body: bytes) -> None:
    headers = {"Content-Type": "application/json; charset=utf-8", EVENT_HEADER: event}
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
        response.raise_for_status()
    except Exception as error:  # a receiver's failure must never reach the pipeline
        log.warning("webhook %s failed for %s: %s", url, event, error)


def _body(alarm: Alarm, event: str, message: str, enterprise) -> bytes:
    sensor = alarm.sensor
    data = {
        "event": event,
        "message": message,
        "sent_at": timezone.now().isoformat(),
        "alarm": {
            "id": alarm.pk,
            "state": alarm.state,
            "level": alarm.level,
            "rule": alarm.rule.kind,
            "value": alarm.value,
            "peak": alarm.peak,
            "threshold": alarm.threshold,
            "raised_at": alarm.raised_at.isoformat(),
        },
        "sensor": {
            "id": sensor.pk,
            "key": sensor.key,
            "name": sensor.name,
            "substance": sensor.substance,
            "unit": sensor.unit,
            "device": sensor.device.code,
        },
        "enterprise": {"id": enterprise.pk, "code": enterprise.code, "name": enterprise.name},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _message(alarm: Alarm, event: str) -> str:
    sensor = alarm.sensor
    values = {
        "where": f"{sensor.device.enterprise.short_name} {sensor.name}",
        "alarm": f"{alarm.get_level_display()} {alarm.rule.get_kind_display()}",
        "value": _number(alarm.value),
        "unit": sensor.unit,
        "threshold": _number(alarm.threshold),
        "minutes": settings.ALARM_ESCALATE_MINUTES,
        "by": alarm.acknowledged_by.display_name if alarm.acknowledged_by else "",
        "until": timezone.localtime(alarm.shelved_until).strftime("%Y-%m-%d %H:%M") if alarm.shelved_until else "",
        "reason": alarm.shelve_reason,
    }
    templates = {
        RAISED: _("%(where)s: %(alarm)s alarm raised at %(value)s %(unit)s (setpoint %(threshold)s)"),
        ESCALATED: _("%(where)s: %(alarm)s alarm not acknowledged within %(minutes)s minutes, escalated"),
        ACKNOWLEDGED: _("%(where)s: %(alarm)s alarm acknowledged by %(by)s"),
        CLEARED: _("%(where)s: %(alarm)s alarm cleared"),
        CLOSED: _("%(where)s: %(alarm)s alarm closed"),
        SHELVED: _("%(where)s: %(alarm)s alarm shelved until %(until)s: %(reason)s"),
        UNSHELVED: _("%(where)s: %(alarm)s alarm back from shelving"),
    }
    if event == RAISED and alarm.threshold is None:  # faults have no setpoint, a communication fault no value
        templates[RAISED] = (
            _("%(where)s: %(alarm)s alarm raised")
            if alarm.value is None
            else _("%(where)s: %(alarm)s alarm raised at %(value)s %(unit)s")
        )
    return templates[event] % values


def _number(value) -> str:
    return "-" if value is None else f"{value:.4g}"
