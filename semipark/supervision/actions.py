"""What people do to alarms and setpoints from the console and the API, in one place for both.

The lifecycle itself lives in ``alarms.py``; this layer refuses callers who may only read (regulators)
with a clear 403 (they may see the row, so it is not a 404) before the state machine is asked.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from semipark.core.scoping import may


def acknowledge(user, alarm, note: str = ""):
    _may_change(user, alarm)
    return _lifecycle().acknowledge(user, alarm, note)


def shelve(user, alarm, until, reason: str):
    _may_change(user, alarm)
    return _lifecycle().shelve(user, alarm, until, reason)


def unshelve(user, alarm):
    _may_change(user, alarm)
    return _lifecycle().unshelve(user, alarm)


def close(user, alarm, note: str = ""):
    _may_change(user, alarm)
    return _lifecycle().close(user, alarm, note)


def override(user, rule, threshold: float, reason: str):
    _may_change(user, rule)
    return _lifecycle().override_rule(user, rule, threshold, reason)


def available(user, alarm) -> list[str]:
    """The actions ``user`` may take on ``alarm`` now, for its buttons (none for readers)."""
    return _lifecycle().available_actions(user, alarm) if may(user, alarm, "change") else []


def acknowledgeable_states() -> frozenset[str]:
    """States from which people may acknowledge (for the console list, without a query per row)."""
    return _lifecycle().MACHINE.transitions["acknowledge"].sources


def _may_change(user, obj) -> None:
    if not may(user, obj, "change"):
        raise PermissionDenied(_("You may read this %(model)s but not act on it.") % {"model": obj._meta.verbose_name})


def _lifecycle():
    from . import alarms  # imported late: the alarm engine imports the models this app's API serves

    return alarms
