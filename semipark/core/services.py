"""Generic scoped create, update and delete: every write checks scope before and after, and is audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .scoping import ensure_may, may_create


def save(user, instance, fields: dict | None = None, *, m2m: dict | None = None, message: str = ""):
    """Apply ``fields`` (and many-to-many ``m2m``) to ``instance``, validate, save and audit.

    A new instance must land inside the user's "add" scope and an existing one inside "change" scope, before
    and after the change, so nobody can create or move a row into another enterprise.
    """
    creating = instance._state.adding
    with transaction.atomic():
        if creating:
            if not may_create(user, type(instance)):
                raise PermissionDenied(_("You may not add a %(model)s.") % {"model": type(instance)._meta.verbose_name})
            before = None
        else:
            ensure_may(user, instance, "change")
            before = audit.snapshot(instance)
        for name, value in (fields or {}).items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        ensure_may(user, instance, "add" if creating else "change")
        if creating:
            audit.created(user, instance, message)
        else:
            audit.updated(user, instance, before, message)
    return instance


def delete(user, instance, message: str = "") -> None:
    with transaction.atomic():
        ensure_may(user, instance, "delete")
        audit.deleted(user, instance, message)
        instance.delete()
