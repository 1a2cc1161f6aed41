"""The alarm lifecycle: who may do what, from which state; every refusal changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from semipark.core.audit import snapshot
from semipark.core.models import AuditEntry
from semipark.core.statemachine import TransitionRefused
from semipark.supervision import alarms
from semipark.supervision.models import Alarm, AlarmState, Notification

from .alarm_helpers import at, make_sensor, rule_of

pytestmark = pytest.mark.django_db
S = AlarmState


@pytest.fixture(autouse=True)
def english():
    """The refusal messages are checked in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def alarm(enterprise_a):
    sensor = make_sensor(enterprise_a, "hcl-1", substance="HCl", range_max=20)
    return alarms.raise_alarm(rule_of(sensor).pk, at(0), 6.0)


def later():
    return timezone.now() + timedelta(hours=2)


def put(alarm, state):
    Alarm.objects.filter(pk=alarm.pk).update(state=state)
    alarm.refresh_from_db()
    return alarm


def test_full_lifecycle_by_enterprise_user(alarm, people):
    user = people["a_user"]
    acked = alarms.acknowledge(user, alarm, "crew sent to hall 2")
    assert (acked.state, acked.acknowledged_by, acked.note) == (S.ACKNOWLEDGED, user, "crew sent to hall 2")
    assert acked.acknowledged_at is not None
    cleared = alarms.clear_alarm(alarm.rule_id, at(60), 1.0)
    assert (cleared.state, cleared.cleared_at) == (S.CLEARED, at(60))
    closed = alarms.close(user, cleared, "valve packing replaced")
    assert (closed.state, closed.active) == (S.CLOSED, False)
    assert closed.note == "crew sent to hall 2\nvalve packing replaced"
    messages = list(
        AuditEntry.objects.filter(model="supervision.alarm", object_id=str(alarm.pk))
        .order_by("id")
        .values_list("message", "user")
    )
    assert messages == [
        ("raise", None),
        ("acknowledge: crew sent to hall 2", user.pk),
        ("clear", None),
        ("close: valve packing replaced", user.pk),
    ]


@pytest.mark.parametrize("who", ["a_admin", "office", "staff"])
def test_enterprise_admin_and_park_office_may_acknowledge(alarm, people, who):
    assert alarms.acknowledge(people[who], alarm).state == S.ACKNOWLEDGED


def test_an_escalated_alarm_is_acknowledged_like_a_raised_one(alarm, people):
    escalated = alarms.escalate(alarm, timezone.now())
    assert escalated.state == S.ESCALATED
    assert alarms.acknowledge(people["office"], escalated, "called the plant").state == S.ACKNOWLEDGED


def assert_unchanged(alarm, before, audits, notes):
    alarm.refresh_from_db()
    assert snapshot(alarm) == before
    assert AuditEntry.objects.count() == audits
    assert Notification.objects.count() == notes


ILLEGAL = [
    ("acknowledge", S.ACKNOWLEDGED),
    ("acknowledge", S.CLEARED),
    ("acknowledge", S.CLOSED),
    ("acknowledge", S.SHELVED),
    ("close", S.RAISED),
    ("close", S.ESCALATED),
    ("close", S.ACKNOWLEDGED),
    ("close", S.SHELVED),
    ("close", S.CLOSED),
    ("shelve", S.SHELVED),
    ("shelve", S.CLEARED),
    ("shelve", S.CLOSED),
    ("unshelve", S.RAISED),
    ("unshelve", S.ACKNOWLEDGED),
    ("unshelve", S.CLEARED),
]


def act(action, user, alarm):
    if action == "shelve":
        return alarms.shelve(user, alarm, later(), "calibration")
    if action == "unshelve":
        return alarms.unshelve(user, alarm)
    return getattr(alarms, action)(user, alarm, "note")


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(alarm, people, action, state):
    put(alarm, state)
    before, audits, notes = snapshot(alarm), AuditEntry.objects.count(), Notification.objects.count()
    with pytest.raises(TransitionRefused, match=f"the alarm is {S(state).label}"):
        act(action, people["a_user"], alarm)
    assert_unchanged(alarm, before, audits, notes)


@pytest.mark.parametrize("action", ["acknowledge", "shelve", "close", "unshelve"])
def test_regulators_never_act(alarm, people, action):
    put(alarm, {"close": S.CLEARED, "unshelve": S.SHELVED}.get(action, S.RAISED))
    before, audits, notes = snapshot(alarm), AuditEntry.objects.count(), Notification.objects.count()
    with pytest.raises(TransitionRefused, match="Only enterprise / office"):
        act(action, people["regulator"], alarm)
    assert_unchanged(alarm, before, audits, notes)


@pytest.mark.parametrize("action", ["acknowledge", "shelve", "close"])
def test_another_enterprise_may_not_act(alarm, people, action):
    before, audits, notes = snapshot(alarm), AuditEntry.objects.count(), Notification.objects.count()
    with pytest.raises(PermissionDenied):
        act(action, people["b_admin"], alarm)
    assert_unchanged(alarm, before, audits, notes)


def test_shelving_needs_a_reason_and_a_future_expiry(alarm, people):
    user = people["a_user"]
    before, audits, notes = snapshot(alarm), AuditEntry.objects.count(), Notification.objects.count()
    with pytest.raises(TransitionRefused, match="A reason is required"):
        alarms.shelve(user, alarm, later(), "  ")
    with pytest.raises(ValidationError) as error:
        alarms.shelve(user, alarm, timezone.now() - timedelta(seconds=1), "calibration")
    assert "until" in error.value.message_dict
    with pytest.raises(ValidationError):
        alarms.shelve(user, alarm, later().replace(tzinfo=None), "calibration")
    assert_unchanged(alarm, before, audits, notes)


def test_shelved_alarm_clears_silently_and_unshelve_needs_a_new_acknowledgement(alarm, people):
    user = people["a_user"]
    alarms.acknowledge(user, alarm)
    until = later()
    shelved = alarms.shelve(user, alarm, until, "detector calibration")
    assert (shelved.state, shelved.shelved_until, shelved.shelve_reason) == (S.SHELVED, until, "detector calibration")
    back = alarms.unshelve(user, shelved)
    assert back.state == S.RAISED and back.shelved_until <= timezone.now()
    alarms.shelve(user, back, until, "detector calibration")
    notes = Notification.objects.count()
    cleared = alarms.clear_alarm(alarm.rule_id, at(30), 1.0)
    assert cleared.state == S.CLEARED
    assert Notification.objects.count() == notes  # a shelved alarm notifies nobody


def test_available_actions(alarm, people):
    assert alarms.available_actions(people["a_user"], alarm) == ["acknowledge", "shelve"]
    assert alarms.available_actions(people["regulator"], alarm) == []
    assert alarms.available_actions(people["b_user"], alarm) == []
    assert alarms.available_actions(people["office"], put(alarm, S.CLEARED)) == ["close"]


def test_people_cannot_take_system_transitions(alarm):
    for action in ("escalate", "clear"):
        with pytest.raises(TransitionRefused, match="Only system"):
            alarms.MACHINE.check(alarm, action, {alarms.OFFICE})
