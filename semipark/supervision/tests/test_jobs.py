"""Periodic alarm work with a controlled clock: escalation, communication faults, shelving expiry."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from semipark.supervision import alarms, jobs
from semipark.supervision.models import Alarm, AlarmRule, AlarmState, Notification, Sensor

from .alarm_helpers import T0, at, make_sensor, rule_of

pytestmark = pytest.mark.django_db
MINUTE = 60


@pytest.fixture
def hcl(enterprise_a):
    sensor = make_sensor(enterprise_a, "hcl-1", substance="HCl", range_max=20, period_seconds=10)
    Sensor.objects.filter(pk=sensor.pk).update(last_ts=T0)  # reporting: no communication fault
    return sensor


@override_settings(ALARM_ESCALATE_MINUTES=10)
def test_unacknowledged_alarm_escalates_to_the_park_office_after_the_set_time(hcl, enterprise_a):
    alarm = alarms.raise_alarm(rule_of(hcl).pk, at(0), 6.0)
    Sensor.objects.filter(pk=hcl.pk).update(last_ts=at(10 * MINUTE))
    assert jobs.run_periodic(at(10 * MINUTE - 1))["escalated"] == 0
    assert jobs.run_periodic(at(10 * MINUTE))["escalated"] == 1
    alarm.refresh_from_db()
    assert (alarm.state, alarm.escalated_at) == (AlarmState.ESCALATED, at(10 * MINUTE))
    note = Notification.objects.filter(alarm=alarm).latest("id")
    assert note.enterprise_id is None and hcl.name in note.message
    assert Notification.objects.filter(alarm=alarm, enterprise=enterprise_a).count() == 1  # the raise only
    assert jobs.run_periodic(at(11 * MINUTE))["escalated"] == 0


@override_settings(ALARM_ESCALATE_MINUTES=10)
def test_acknowledged_and_shelved_alarms_do_not_escalate(hcl, people):
    acked = alarms.raise_alarm(rule_of(hcl).pk, at(0), 6.0)
    alarms.acknowledge(people["a_user"], acked)
    shelved = alarms.raise_alarm(rule_of(hcl, level=2).pk, at(0), 12.0)
    alarms.shelve(people["a_user"], shelved, timezone.now() + timedelta(hours=1), "calibration")
    assert jobs.escalate_unacknowledged(at(60 * MINUTE)) == 0


def test_communication_fault_after_three_silent_periods_and_clear_when_data_returns(hcl):
    comm = rule_of(hcl, AlarmRule.Kind.COMM_FAULT, 0)
    assert jobs.run_periodic(at(30))["comm_raised"] == 0  # exactly 3 x 10 s: not yet
    with override_settings(LANGUAGE_CODE="en"):
        counts = jobs.run_periodic(at(31))
    assert counts["comm_raised"] == 1
    alarm = Alarm.objects.get(rule=comm, active=True)
    assert (alarm.level, alarm.raised_at, alarm.value) == (0, at(31), None)
    message = Notification.objects.filter(alarm=alarm).first().message
    assert message == f"{hcl.device.enterprise.short_name} {hcl.name}: Fault Communication fault alarm raised"
    assert jobs.run_periodic(at(40))["comm_raised"] == 0  # one open alarm, not two
    Sensor.objects.filter(pk=hcl.pk).update(last_ts=at(45))
    assert jobs.run_periodic(at(46))["comm_cleared"] == 1
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLEARED


def test_a_sensor_that_never_reported_is_silent_since_it_was_created(enterprise_a):
    sensor = make_sensor(enterprise_a, "new-1", substance="PH3", period_seconds=5)
    created = Sensor.objects.get(pk=sensor.pk).created
    assert jobs.check_communication(created + timedelta(seconds=15)) == (0, 0)
    assert jobs.check_communication(created + timedelta(seconds=16)) == (1, 0)


def test_inactive_sensors_raise_no_communication_fault(hcl):
    Sensor.objects.filter(pk=hcl.pk).update(active=False)
    assert jobs.check_communication(at(3600)) == (0, 0)


def test_shelving_expires_and_the_alarm_is_raised_again(hcl, people):
    alarm = alarms.raise_alarm(rule_of(hcl).pk, at(0), 6.0)
    Alarm.objects.filter(pk=alarm.pk).update(state=AlarmState.SHELVED, shelved_until=at(600), shelve_reason="cal")
    Sensor.objects.filter(pk=hcl.pk).update(last_ts=at(600))
    assert jobs.run_periodic(at(599))["shelving_ended"] == 0
    assert jobs.run_periodic(at(600))["shelving_ended"] == 1
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.RAISED
    # escalation counts from the end of the shelving, not from the raise
    with override_settings(ALARM_ESCALATE_MINUTES=10):
        assert jobs.run_periodic(at(600 + 10 * MINUTE - 1))["escalated"] == 0
        assert jobs.run_periodic(at(600 + 10 * MINUTE))["escalated"] == 1


def test_clock_can_be_replaced(hcl, monkeypatch):
    monkeypatch.setattr(jobs, "_now", lambda: at(31))
    assert jobs.run_periodic()["comm_raised"] == 1


def test_supervise_command_runs_once(hcl, capsys):
    call_command("supervise", "--once")
    out = capsys.readouterr().out
    assert "escalated=" in out and "comm_raised=1" in out  # last_ts is long past in real time
