"""Time-driven alarm work: escalation, communication faults, shelving expiry.

The ingest worker calls ``run_periodic()`` every few seconds; ``semipark supervise`` runs it on its own.
Every step is idempotent and each alarm moves in its own transaction, so several callers may run at once.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import alarms
from .models import ACTIVE_ALARM_STATES, Alarm, AlarmRule, AlarmState
from .rules.setpoints import COMM_FAULT_PERIODS


def _now():
    """The clock; tests replace it (or pass ``now``)."""
    return timezone.now()


def run_periodic(now=None) -> dict[str, int]:
    """Run every periodic step once at ``now`` (default: the clock) and count what each changed."""
    now = now or _now()
    raised, cleared = check_communication(now)
    return {
        "shelving_ended": end_shelvings(now),
        "escalated": escalate_unacknowledged(now),
        "comm_raised": raised,
        "comm_cleared": cleared,
    }


def escalate_unacknowledged(now) -> int:
    """Escalate alarms left raised (unacknowledged) for ALARM_ESCALATE_MINUTES; a shelving restarts the wait."""
    cutoff = now - timedelta(minutes=settings.ALARM_ESCALATE_MINUTES)
    due = Alarm.objects.filter(active=True, state=AlarmState.RAISED, raised_at__lte=cutoff).filter(
        Q(shelved_until__isnull=True) | Q(shelved_until__lte=cutoff)
    )
    return sum(alarms.escalate(alarm, now) is not None for alarm in due.order_by("id"))


def check_communication(now) -> tuple[int, int]:
    """Raise a communication fault for a sensor silent longer than 3 periods, and clear it when data returns."""
    rules = AlarmRule.objects.filter(
        kind=AlarmRule.Kind.COMM_FAULT, enabled=True, sensor__active=True, sensor__device__active=True
    ).values_list("id", "sensor__last_ts", "sensor__created", "sensor__period_seconds")
    open_rules = set(
        Alarm.objects.filter(
            rule__kind=AlarmRule.Kind.COMM_FAULT, active=True, state__in=ACTIVE_ALARM_STATES
        ).values_list("rule_id", flat=True)
    )
    raised = cleared = 0
    for rule_id, last_ts, created, period in rules:
        silent = (now - (last_ts or created)).total_seconds() > COMM_FAULT_PERIODS * period
        if silent and rule_id not in open_rules:
            raised += alarms.raise_alarm(rule_id, now, None) is not None
        elif not silent and rule_id in open_rules:
            cleared += alarms.clear_alarm(rule_id, now, None) is not None
    return raised, cleared


def end_shelvings(now) -> int:
    """Raise again the shelved alarms whose shelving has expired."""
    due = Alarm.objects.filter(active=True, state=AlarmState.SHELVED, shelved_until__lte=now).order_by("id")
    return sum(alarms.end_shelving(alarm) is not None for alarm in due)
