"""AlarmEngine.apply: transitions persisted, audited and notified; one open alarm per rule across workers."""

import threading

import pytest
from django.db import connection

from semipark.core.models import AuditEntry
from semipark.supervision.engine import AlarmEngine
from semipark.supervision.models import Alarm, AlarmState, Notification

from .alarm_helpers import at, make_sensor, rule_of


def feed(engine, sensor, values, start=0):
    return engine.apply(engine.evaluate([(sensor.pk, at(start + i), float(v), False) for i, v in enumerate(values)]))


@pytest.fixture
def hcl(enterprise_a):
    return make_sensor(enterprise_a, "hcl-1", substance="HCl", range_max=20)


def fresh_engine():
    engine = AlarmEngine()
    engine.reload()
    return engine


@pytest.mark.django_db
def test_raise_is_persisted_audited_and_notified(hcl, enterprise_a):
    l1 = rule_of(hcl)
    (alarm,) = feed(fresh_engine(), hcl, [1, 6])
    alarm.refresh_from_db()
    assert (alarm.rule_id, alarm.level, alarm.state, alarm.active) == (l1.pk, 1, AlarmState.RAISED, True)
    assert (alarm.value, alarm.threshold, alarm.raised_at) == (6.0, l1.threshold, at(1))
    entry = AuditEntry.objects.get(model="supervision.alarm", object_id=str(alarm.pk))
    assert (entry.kind, entry.user, entry.message) == (AuditEntry.Kind.TRANSITION, None, "raise")
    notes = Notification.objects.filter(alarm=alarm)
    assert sorted(n.enterprise_id or 0 for n in notes) == [0, enterprise_a.pk]
    assert "6" in notes[0].message and hcl.name in notes[0].message


@pytest.mark.django_db
def test_peak_is_kept_and_clear_is_persisted(hcl):
    engine = fresh_engine()
    (alarm,) = feed(engine, hcl, [6, 8, 7])
    alarm.refresh_from_db()
    assert alarm.peak == 8.0
    (cleared,) = feed(engine, hcl, [1], start=3)
    cleared.refresh_from_db()
    assert (cleared.state, cleared.cleared_at, cleared.active) == (AlarmState.CLEARED, at(3), True)
    assert Notification.objects.filter(alarm=alarm).count() == 4  # raise and clear, enterprise and office
    assert AuditEntry.objects.filter(object_id=str(alarm.pk), message="clear").exists()


@pytest.mark.django_db
def test_a_second_engine_raising_the_same_rule_adds_nothing(hcl):
    first, second = fresh_engine(), fresh_engine()
    assert len(feed(first, hcl, [6])) == 1
    assert feed(second, hcl, [6.5]) == []
    assert Alarm.objects.filter(rule=rule_of(hcl)).count() == 1
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_condition_returning_before_close_closes_the_cleared_alarm_and_raises_a_new_one(hcl):
    engine = fresh_engine()
    (old,) = feed(engine, hcl, [6])
    feed(engine, hcl, [1], start=1)
    (new,) = feed(engine, hcl, [6], start=2)
    old.refresh_from_db()
    assert (old.state, old.active, old.closed_at) == (AlarmState.CLOSED, False, at(2))
    assert (new.state, new.active) == (AlarmState.RAISED, True)
    assert AuditEntry.objects.filter(object_id=str(old.pk), message="close: condition returned").exists()


@pytest.mark.django_db
def test_clear_of_an_alarm_already_gone_is_a_no_op(hcl):
    engine = fresh_engine()
    feed(engine, hcl, [6])
    Alarm.objects.update(state=AlarmState.CLEARED)  # cleared meanwhile by another worker
    assert feed(engine, hcl, [1], start=1) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_raising_at_once_make_one_alarm(enterprise_a):
    """Two threads, each with its own engine and database connection, apply the same raise together."""
    sensor = make_sensor(enterprise_a, "hcl-2", substance="HCl", range_max=20)
    engines = [fresh_engine(), fresh_engine()]
    batches = [e.evaluate([(sensor.pk, at(0), 12.0, False)]) for e in engines]
    assert all(len(b) == 2 for b in batches)  # level 1 and level 2 in each
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work(engine, events):
        try:
            barrier.wait(timeout=10)
            results.append(engine.apply(events))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=pair) for pair in zip(engines, batches, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sum(len(r) for r in results) == 2  # each rule raised once, by whichever worker won
    assert Alarm.objects.filter(sensor=sensor, active=True).count() == 2
    for level in (1, 2):
        assert Alarm.objects.filter(rule=rule_of(sensor, level=level)).count() == 1
    assert Notification.objects.filter(alarm__sensor=sensor).count() == 4
    assert AuditEntry.objects.filter(model="supervision.alarm", message="raise").count() == 2
