"""The alarm lifecycle and the rules behind it.

Lifecycle (one state machine, every transition locked, checked and audited)::

    raised ──escalate──► escalated ──acknowledge──► acknowledged ──clear──► cleared ──close──► closed
      │ └──────────────acknowledge──────────────────────┘ (raised, escalated, acknowledged, shelved all clear)
      └─shelve (reason, expiry)─► shelved ──unshelve / expiry──► raised (to be acknowledged again)

Raising, escalating, clearing and ending a shelving are automatic (the engine and ``jobs``, user None = the
system); acknowledging, shelving, unshelving and closing are done by people of the sensor's enterprise or
the park office, never by regulators. A condition that comes back while its alarm is cleared but not yet
closed closes that alarm (by the system, "condition returned") and raises a new one, so each episode has
its own alarm and there is never more than one open alarm per sensor and rule.
"""

import math
import time
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from semipark.core import audit, services
from semipark.core.models import AuditEntry
from semipark.core.statemachine import StateMachine, Transition, TransitionRefused

from . import notify
from .models import ACTIVE_ALARM_STATES, Alarm, AlarmRule, AlarmState, Sensor
from .rules.setpoints import default_rules

SYSTEM, ENTERPRISE, OFFICE, REGULATOR = "system", "enterprise", "office", "regulator"
PEOPLE = frozenset({ENTERPRISE, OFFICE})
DEFAULT_KINDS = (AlarmRule.Kind.HIGH, AlarmRule.Kind.LOW, AlarmRule.Kind.OUT_OF_RANGE, AlarmRule.Kind.COMM_FAULT)
LEVEL_KINDS = (AlarmRule.Kind.HIGH, AlarmRule.Kind.LOW, AlarmRule.Kind.RATE)
S = AlarmState

MACHINE = StateMachine(
    {
        "escalate": Transition(frozenset({S.RAISED}), S.ESCALATED, frozenset({SYSTEM}), gettext_lazy("escalate")),
        "acknowledge": Transition(
            frozenset({S.RAISED, S.ESCALATED}), S.ACKNOWLEDGED, PEOPLE, gettext_lazy("acknowledge")
        ),
        "clear": Transition(frozenset(ACTIVE_ALARM_STATES), S.CLEARED, frozenset({SYSTEM}), gettext_lazy("clear")),
        "close": Transition(frozenset({S.CLEARED}), S.CLOSED, PEOPLE | {SYSTEM}, gettext_lazy("close")),
        "shelve": Transition(
            frozenset({S.RAISED, S.ESCALATED, S.ACKNOWLEDGED}),
            S.SHELVED,
            PEOPLE,
            gettext_lazy("shelve"),
            needs_note=True,
        ),
        "unshelve": Transition(frozenset({S.SHELVED}), S.RAISED, PEOPLE | {SYSTEM}, gettext_lazy("unshelve")),
    },
    state_field="state",
    state_labels=lambda state: AlarmState(state).label,
)


def _now():
    return timezone.now()


# --- people's transitions ------------------------------------------------------------------------------


def acknowledge(user, alarm: Alarm, note: str = "") -> Alarm:
    """Acknowledge a raised or escalated alarm, recording who and their note."""
    now = _now()
    return _by_person(
        user, alarm, "acknowledge", notify.ACKNOWLEDGED, note, acknowledged_at=now, acknowledged_by=user, note=note
    )


def shelve(user, alarm: Alarm, until, reason: str) -> Alarm:
    """Suppress an alarm for maintenance until ``until`` (aware, in the future); it notifies nobody meanwhile."""
    if until is None or timezone.is_naive(until) or until <= _now():
        raise ValidationError({"until": [_("The shelving must end at a time in the future.")]})
    return _by_person(
        user, alarm, "shelve", notify.SHELVED, reason, shelved_until=until, shelve_reason=(reason or "").strip()
    )


def unshelve(user, alarm: Alarm) -> Alarm:
    """End a shelving early; the alarm is raised again and must be acknowledged."""
    return _by_person(user, alarm, "unshelve", notify.UNSHELVED, "", shelved_until=_now())


def close(user, alarm: Alarm, note: str = "") -> Alarm:
    """Close a cleared alarm."""
    now = _now()
    text = "\n".join(part for part in (alarm.note, note.strip()) if part)
    return _by_person(user, alarm, "close", notify.CLOSED, note, active=False, closed_at=now, note=text)


def parties(user, alarm: Alarm) -> frozenset[str]:
    """The roles ``user`` plays for ``alarm``; PermissionDenied when the alarm is none of their business."""
    if not Alarm.objects.visible_to(user, "view").filter(pk=alarm.pk).exists():
        raise PermissionDenied(_("You may not act on this alarm."))
    if user.is_office:
        return frozenset({OFFICE})
    if user.is_enterprise_member:
        return frozenset({ENTERPRISE})
    return frozenset({REGULATOR})


def available_actions(user, alarm: Alarm) -> list[str]:
    """What ``user`` may do with ``alarm`` now (for buttons)."""
    try:
        who = parties(user, alarm)
    except PermissionDenied:
        return []
    return MACHINE.available(alarm.state, who)


def _by_person(user, alarm, action, event, audit_note, **changes) -> Alarm:
    # StateMachine.apply takes ``note`` for the audit message, so the alarm's own note field is written apart.
    alarm_note = changes.pop("note", None)
    with transaction.atomic():
        changed = MACHINE.apply(alarm, action, user, parties(user, alarm), audit_note, **changes)
        if alarm_note is not None:
            changed.note = alarm_note
            changed.save(update_fields=["note"])
        notify.alarm_event(changed, event)
    return changed


# --- automatic transitions (engine and jobs) ---------------------------------------------------------------

LOCK_RETRIES = 30


def _retry_when_locked(function):
    """Run an automatic transition again when the database was locked or deadlocked by another worker.

    SQLite answers "database is locked" when another process holds the write lock past the busy timeout (and
    "database table is locked" at once in shared-cache mode); PostgreSQL may pick this worker as a deadlock
    victim. Each transition is its own transaction, so running it again is safe; inside a caller's transaction
    it is not, and the error goes up.
    """

    @wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(LOCK_RETRIES):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                transient = "locked" in str(error) or "deadlock" in str(error)
                if not transient or connection.in_atomic_block or attempt == LOCK_RETRIES - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))
        return None

    return wrapper


@_retry_when_locked
def raise_alarm(rule_id: int, ts, value: float | None) -> Alarm | None:
    """Open an alarm for the rule, or nothing when one is already open (another worker got there first)."""
    with transaction.atomic():
        rule = AlarmRule.objects.select_related("sensor__device__enterprise").filter(pk=rule_id).first()
        if rule is None:
            return None
        for stale in Alarm.objects.filter(rule_id=rule_id, active=True, state=S.CLEARED):
            _system(stale, "close", "condition returned", active=False, closed_at=ts)
        try:
            with transaction.atomic():
                alarm = Alarm.objects.create(
                    sensor=rule.sensor,
                    rule=rule,
                    level=rule.level,
                    raised_at=ts,
                    value=value,
                    peak=value,
                    threshold=rule.threshold,
                )
        except IntegrityError:
            return None  # the partial unique constraint: an open alarm for this rule exists
        audit.record(None, AuditEntry.Kind.TRANSITION, alarm, after=audit.snapshot(alarm), message="raise")
        notify.alarm_event(alarm, notify.RAISED)
    return alarm


@_retry_when_locked
def clear_alarm(rule_id: int, ts, value: float | None, note: str = "") -> Alarm | None:
    """Clear the rule's open alarm (a shelved one silently); nothing when there is none."""
    with transaction.atomic():
        alarm = (
            Alarm.objects.select_for_update()
            .filter(rule_id=rule_id, active=True, state__in=ACTIVE_ALARM_STATES)
            .first()
        )
        if alarm is None:
            return None
        was_shelved = alarm.state == S.SHELVED
        cleared = _system(alarm, "clear", note, cleared_at=ts)
        if cleared is not None and not was_shelved:
            notify.alarm_event(cleared, notify.CLEARED)
    return cleared


@_retry_when_locked
def escalate(alarm: Alarm, now) -> Alarm | None:
    """Escalate an unacknowledged alarm to the park office."""
    with transaction.atomic():
        escalated = _system(alarm, "escalate", "", escalated_at=now)
        if escalated is not None:
            notify.alarm_event(escalated, notify.ESCALATED, office_only=True)
    return escalated


@_retry_when_locked
def end_shelving(alarm: Alarm) -> Alarm | None:
    """A shelving reached its expiry: the alarm is raised again."""
    with transaction.atomic():
        back = _system(alarm, "unshelve", "shelving expired")
        if back is not None:
            notify.alarm_event(back, notify.UNSHELVED)
    return back


def _system(alarm, action, note, **changes) -> Alarm | None:
    """Apply an automatic transition; None when the alarm moved on meanwhile (another worker, a person)."""
    try:
        return MACHINE.apply(alarm, action, None, {SYSTEM}, note, **changes)
    except TransitionRefused:
        return None


# --- rules --------------------------------------------------------------------------------------------------


def ensure_default_rules(sensor: Sensor) -> list[AlarmRule]:
    """Create or refresh the sensor's default rules from the standards; overridden rules keep the site's values.

    A default rule that no longer applies (the kind or substance changed) is disabled, not deleted, so its
    alarms keep their history.
    """
    specs = default_rules(
        sensor.kind,
        sensor.substance,
        sensor.unit,
        sensor.range_min,
        sensor.range_max,
        molar_volume_l=settings.MOLAR_VOLUME_L,
        arsenic_limit_mg_l=settings.WASTEWATER_ARSENIC_LIMIT_MG_L,
    )
    existing = {(r.kind, r.level): r for r in AlarmRule.objects.filter(sensor=sensor, kind__in=DEFAULT_KINDS)}
    rules = []
    with transaction.atomic():
        for spec in specs:
            rule = existing.pop((spec.kind, spec.level), None) or AlarmRule(
                sensor=sensor, kind=spec.kind, level=spec.level
            )
            rule.source, rule.verified = spec.source, spec.verified
            if not rule.overridden:
                rule.threshold, rule.deadband, rule.enabled = spec.threshold, spec.deadband, True
            rule.save()
            rules.append(rule)
        for stale in existing.values():
            if not stale.overridden and stale.enabled:
                stale.enabled = False
                stale.save(update_fields=["enabled"])
                _retire(stale)
    return rules


def override_rule(
    user,
    rule: AlarmRule,
    threshold: float | None,
    reason: str,
    *,
    deadband: float | None = None,
    on_delay_count: int | None = None,
    on_delay_seconds: int | None = None,
    enabled: bool | None = None,
) -> AlarmRule:
    """A site's own setpoint (and optionally deadband, on-delays, enabled) for a rule; audited with the reason."""
    fields = {"overridden": True, "override_reason": _reason(reason)}
    if rule.kind in LEVEL_KINDS:
        fields["threshold"] = _threshold(rule.sensor, rule.kind, threshold)
    options = {"deadband": deadband, "on_delay_count": on_delay_count, "on_delay_seconds": on_delay_seconds}
    fields.update({name: value for name, value in options.items() if value is not None})
    if enabled is not None:
        fields["enabled"] = enabled
    # Audit messages keep their action code untranslated, like the state machine's "acknowledge: <note>".
    message = f"override: {fields['override_reason']}"
    with transaction.atomic():
        services.save(user, rule, fields, message=message)
        if not rule.enabled:
            _retire(rule)
    return rule


def add_rule(user, sensor: Sensor, kind: str, level: int, threshold: float, reason: str, **options) -> AlarmRule:
    """A site's extra rule, e.g. a rate of change (threshold per minute; negative for a falling value)."""
    rule = AlarmRule(sensor=sensor, kind=kind, level=level, source="site rule", overridden=True)
    fields = {"threshold": _threshold(sensor, kind, threshold), "override_reason": _reason(reason), **options}
    return services.save(user, rule, fields, message=f"site rule: {fields['override_reason']}")


def restore_default(user, rule: AlarmRule, reason: str) -> AlarmRule:
    """Drop a site override and go back to the standard's setpoint."""
    message = f"default restored: {_reason(reason)}"
    with transaction.atomic():
        services.save(user, rule, {"overridden": False, "override_reason": ""}, message=message)
        ensure_default_rules(rule.sensor)
    rule.refresh_from_db()
    return rule


def effective_setpoints(sensor: Sensor) -> list[dict]:
    """The enabled rules of a sensor as the API and the charts show them, level rules first."""
    rules = AlarmRule.objects.filter(sensor=sensor, enabled=True)
    return [
        {
            "rule_id": rule.pk,
            "kind": rule.kind,
            "level": rule.level,
            "threshold": rule.threshold,
            "deadband": rule.deadband,
            "unit": f"{sensor.unit}/min" if rule.kind == AlarmRule.Kind.RATE else sensor.unit,
            "source": rule.source,
            "verified": rule.verified,
            "overridden": rule.overridden,
            "override_reason": rule.override_reason,
        }
        for rule in sorted(rules, key=lambda r: (r.level == AlarmRule.Level.FAULT, r.level, r.kind))
    ]


def _retire(rule: AlarmRule) -> None:
    """A rule that is no longer watched cannot clear its open alarm by itself: clear it now."""
    clear_alarm(rule.pk, _now(), None, "rule disabled")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for changing the setpoint.")]})
    return reason[:200]


def _threshold(sensor: Sensor, kind: str, value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise ValidationError({"threshold": [_("Enter the setpoint as a number.")]})
    if kind == AlarmRule.Kind.RATE:
        if value == 0:
            raise ValidationError({"threshold": [_("A rate of change setpoint cannot be zero.")]})
    elif not sensor.range_min < value <= sensor.range_max:
        raise ValidationError(
            {
                "threshold": [
                    _("The setpoint must lie within the measuring range, %(min)s to %(max)s %(unit)s.")
                    % {"min": sensor.range_min, "max": sensor.range_max, "unit": sensor.unit}
                ]
            }
        )
    return value
