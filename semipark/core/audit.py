"""Writing the audit log. Services call these inside their transaction, so a rolled-back change leaves no entry."""

import datetime
import decimal
import uuid

from django.db import models

from .middleware import request_id
from .models import AuditEntry


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ("created", "updated")) -> dict:
    """The concrete field values of ``obj`` as JSON-safe data (foreign keys by id)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def record(user, kind: str, obj: models.Model, *, before=None, after=None, message: str = "") -> AuditEntry:
    """Append one entry for ``obj``; ``before``/``after`` are snapshots (only changed keys are kept)."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        request_id=request_id.get(),
        kind=kind,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        enterprise_id=_enterprise_id_of(obj),
        before=before,
        after=after,
        message=message[:500],
    )


def created(user, obj, message: str = "") -> AuditEntry:
    return record(user, AuditEntry.Kind.CREATE, obj, after=snapshot(obj), message=message)


def updated(user, obj, before: dict, message: str = "") -> AuditEntry:
    return record(user, AuditEntry.Kind.UPDATE, obj, before=before, after=snapshot(obj), message=message)


def deleted(user, obj, message: str = "") -> AuditEntry:
    return record(user, AuditEntry.Kind.DELETE, obj, before=snapshot(obj), message=message)


def _enterprise_id_of(obj):
    from semipark.park.models import Enterprise

    if isinstance(obj, Enterprise):
        return obj.pk
    path = getattr(type(obj), "enterprise_path", None)
    if path and "__" not in path:
        return getattr(obj, f"{path}_id", None)
    return None


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value
