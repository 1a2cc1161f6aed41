"""Default rules on sensors, site overrides (audited, reasoned, permitted), effective setpoints."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from semipark.core.models import AuditEntry
from semipark.supervision import alarms
from semipark.supervision.models import AlarmRule, AlarmState

from .alarm_helpers import at, make_sensor, rule_of

pytestmark = pytest.mark.django_db
K = AlarmRule.Kind


@pytest.fixture
def nh3(enterprise_a):
    return make_sensor(enterprise_a, "nh3-1", substance="NH3", range_max=100)


def test_default_rules_are_created_from_the_standard(nh3):
    assert sorted(AlarmRule.objects.filter(sensor=nh3).values_list("kind", "level")) == [
        ("comm", 0),
        ("high", 1),
        ("high", 2),
        ("range", 0),
    ]
    l1 = rule_of(nh3)
    assert l1.threshold == pytest.approx(28.23, rel=1e-3)
    assert "NH3 PC-TWA 20 mg/m3" in l1.source and l1.verified and not l1.overridden


def test_defaults_follow_range_changes_but_overrides_stay(nh3, people):
    alarms.override_rule(people["a_admin"], rule_of(nh3, level=2), 50.0, "plant practice")
    nh3.range_max = 40  # 200 % OEL (56.5 ppm) no longer fits: 5 % / 10 % IDLH = 15 / 30 ppm
    nh3.save()
    alarms.ensure_default_rules(nh3)
    assert rule_of(nh3, level=1).threshold == pytest.approx(15.0)
    assert "IDLH" in rule_of(nh3, level=1).source
    assert rule_of(nh3, level=2).threshold == 50.0


def test_rules_that_no_longer_apply_are_disabled_not_deleted(nh3):
    nh3.kind, nh3.substance = "flow", ""
    nh3.save()
    alarms.ensure_default_rules(nh3)
    assert not rule_of(nh3, level=1).enabled
    assert rule_of(nh3, K.OUT_OF_RANGE, 0).enabled


@override_settings(MOLAR_VOLUME_L=24.45)
def test_molar_volume_setting_is_used(nh3):
    alarms.ensure_default_rules(nh3)
    assert rule_of(nh3).threshold == pytest.approx(20 * 24.45 / 17.03)


def test_override_is_audited_with_the_reason(nh3, people):
    rule = alarms.override_rule(
        people["office"], rule_of(nh3), 25.0, "client's HAZOP", deadband=2.0, on_delay_count=3, on_delay_seconds=5
    )
    rule.refresh_from_db()
    assert (rule.threshold, rule.deadband, rule.on_delay_count, rule.on_delay_seconds) == (25.0, 2.0, 3, 5)
    assert rule.overridden and rule.override_reason == "client's HAZOP"
    entry = AuditEntry.objects.filter(model="supervision.alarmrule", object_id=str(rule.pk)).latest("id")
    assert entry.user == people["office"] and entry.message == "override: client's HAZOP"
    assert entry.before["threshold"] == pytest.approx(28.23, rel=1e-3) and entry.after["threshold"] == 25.0


@pytest.mark.parametrize(
    ("threshold", "reason", "field"),
    [
        (25.0, " ", "reason"),
        ("abc", "why", "threshold"),
        (float("nan"), "why", "threshold"),
        (0.0, "why", "threshold"),
        (100.1, "why", "threshold"),
    ],
)
def test_bad_overrides_are_refused_and_change_nothing(nh3, people, threshold, reason, field):
    rule = rule_of(nh3)
    with pytest.raises(ValidationError) as error:
        alarms.override_rule(people["office"], rule, threshold, reason)
    assert field in error.value.message_dict
    fresh = rule_of(nh3)
    assert (fresh.threshold, fresh.overridden) == (rule.threshold, False)


@pytest.mark.parametrize("who", ["a_user", "b_admin", "regulator"])
def test_only_enterprise_admins_and_the_office_override(nh3, people, who):
    with pytest.raises(PermissionDenied):
        alarms.override_rule(people[who], rule_of(nh3), 25.0, "try")
    assert not rule_of(nh3).overridden


def test_restore_default(nh3, people):
    alarms.override_rule(people["a_admin"], rule_of(nh3), 25.0, "trial")
    rule = alarms.restore_default(people["a_admin"], rule_of(nh3), "trial over")
    assert rule.threshold == pytest.approx(28.23, rel=1e-3) and not rule.overridden


def test_rate_rule_and_effective_setpoints(nh3, people):
    alarms.add_rule(people["a_admin"], nh3, K.RATE, 1, 10.0, "fast rise")
    alarms.override_rule(people["a_admin"], rule_of(nh3, level=2), 50.0, "plant practice")
    points = alarms.effective_setpoints(nh3)
    assert [(p["kind"], p["level"]) for p in points] == [
        ("high", 1),
        ("rate", 1),
        ("high", 2),
        ("comm", 0),
        ("range", 0),
    ]
    high2 = points[2]
    assert high2 | {"source": None} == {
        "rule_id": rule_of(nh3, level=2).pk,
        "kind": "high",
        "level": 2,
        "threshold": 50.0,
        "deadband": pytest.approx(2.823, rel=1e-3),
        "unit": "ppm",
        "source": None,
        "verified": True,
        "overridden": True,
        "override_reason": "plant practice",
    }
    assert "200 % OEL" in high2["source"]
    assert points[1]["unit"] == "ppm/min"
    with pytest.raises(ValidationError):
        alarms.add_rule(people["a_admin"], nh3, K.RATE, 2, 0, "zero")


def test_disabling_a_rule_clears_its_open_alarm(nh3, people):
    alarm = alarms.raise_alarm(rule_of(nh3).pk, at(0), 30.0)
    alarms.override_rule(people["a_admin"], rule_of(nh3), 28.0, "detector removed", enabled=False)
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLEARED
    assert AuditEntry.objects.filter(object_id=str(alarm.pk), message="clear: rule disabled").exists()


def test_a_default_rule_that_no_longer_applies_clears_its_open_alarm(nh3):
    alarm = alarms.raise_alarm(rule_of(nh3, level=2).pk, at(0), 60.0)
    nh3.kind, nh3.substance = "flow", ""
    nh3.save()
    alarms.ensure_default_rules(nh3)
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLEARED
