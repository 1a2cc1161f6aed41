"""AlarmEngine.evaluate: thresholds, deadband, on-delays, rate of change, out-of-range, levels; no database."""

import pytest

from semipark.supervision.alarms import add_rule, override_rule
from semipark.supervision.engine import CLEAR, PEAK, RAISE, AlarmEngine
from semipark.supervision.models import AlarmRule

from .alarm_helpers import at, make_sensor, rule_of

pytestmark = pytest.mark.django_db


def engine_for(*_sensors):
    engine = AlarmEngine()
    engine.reload()
    return engine


def run(engine, sensor, values, django_assert_num_queries, out_of_range=()):
    readings = [(sensor.pk, at(i), float(v), i in out_of_range) for i, v in enumerate(values)]
    with django_assert_num_queries(0):
        return [(e[0], e[2], e[3], e[4]) for e in engine.evaluate(readings)]


@pytest.fixture
def hcl(enterprise_a):
    # 0-20 ppm: level 1 = 4.945 ppm (deadband 0.247), level 2 = 9.89 ppm (deadband 0.495)
    return make_sensor(enterprise_a, "hcl-1", substance="HCl", range_max=20)


def test_raises_at_the_threshold_not_below(hcl, django_assert_num_queries):
    l1 = rule_of(hcl)
    engine = engine_for(hcl)
    below = l1.threshold * (1 - 1e-9)
    assert run(engine, hcl, [below, below], django_assert_num_queries) == []
    assert run(engine, hcl, [l1.threshold], django_assert_num_queries) == [(RAISE, l1.pk, at(0), l1.threshold)]


def test_level_1_and_level_2_are_separate_alarms(hcl, django_assert_num_queries):
    l1, l2 = rule_of(hcl, level=1), rule_of(hcl, level=2)
    events = run(engine_for(hcl), hcl, [1, 6, 12], django_assert_num_queries)
    assert [(e[0], e[1]) for e in events] == [(RAISE, l1.pk), (PEAK, l1.pk), (RAISE, l2.pk)]


def test_clears_only_past_the_deadband(hcl, django_assert_num_queries):
    l1 = rule_of(hcl)
    engine = engine_for(hcl)
    inside = l1.threshold - l1.deadband  # exactly threshold - deadband: not yet past it
    events = run(engine, hcl, [6, l1.threshold - 0.01, inside, inside - 1e-6, 4.0], django_assert_num_queries)
    assert [(e[0], e[2]) for e in events] == [(RAISE, at(0)), (CLEAR, at(3))]


def test_low_limit_with_deadband_above(enterprise_a, django_assert_num_queries):
    o2 = make_sensor(enterprise_a, "o2-1", kind="oxygen", substance="O2", unit="%VOL", range_max=25)
    low = rule_of(o2, AlarmRule.Kind.LOW)
    engine = engine_for(o2)
    clear_at = 19.5 + low.deadband
    events = run(engine, o2, [20.9, 19.6, 19.5, 19.0, clear_at, clear_at + 1e-6], django_assert_num_queries)
    assert [(e[0], e[1], e[2]) for e in events if e[0] != PEAK] == [(RAISE, low.pk, at(2)), (CLEAR, low.pk, at(5))]
    assert (PEAK, low.pk, at(3), 19.0) in events


def test_on_delay_by_consecutive_readings(hcl, django_assert_num_queries):
    l1 = rule_of(hcl)
    AlarmRule.objects.filter(pk=l1.pk).update(on_delay_count=3)
    engine = engine_for(hcl)
    # two high, one good (resets), then three high: raised on the third
    events = run(engine, hcl, [6, 6, 1, 6, 6, 6], django_assert_num_queries)
    assert [(e[0], e[1], e[2]) for e in events] == [(RAISE, l1.pk, at(5))]


def test_on_delay_by_seconds(hcl, django_assert_num_queries):
    l1 = rule_of(hcl)
    AlarmRule.objects.filter(pk=l1.pk).update(on_delay_seconds=3)
    engine = engine_for(hcl)
    events = run(engine, hcl, [6, 6, 6, 6, 6], django_assert_num_queries)  # one reading a second
    assert [(e[0], e[1], e[2]) for e in events] == [(RAISE, l1.pk, at(3))]
    again = engine_for(hcl)
    assert run(again, hcl, [6, 6, 6], django_assert_num_queries) == []  # lasted 2 s only


def test_on_delay_by_count_and_seconds_needs_both(hcl, django_assert_num_queries):
    l1 = rule_of(hcl)
    AlarmRule.objects.filter(pk=l1.pk).update(on_delay_count=2, on_delay_seconds=3)
    engine = engine_for(hcl)
    events = run(engine, hcl, [6, 6, 6, 6], django_assert_num_queries)
    assert [(e[0], e[2]) for e in events] == [(RAISE, at(3))]


def test_rate_of_change_per_minute(hcl, people, django_assert_num_queries):
    rate = add_rule(people["office"], hcl, AlarmRule.Kind.RATE, 1, 60.0, "fast rise means a leak")  # 60 ppm/min
    engine = engine_for(hcl)
    # readings one second apart: +0.5 ppm/s = 30 ppm/min, then +1.5 ppm/s = 90 ppm/min, then flat
    events = [e for e in run(engine, hcl, [0, 0.5, 2.0, 2.0], django_assert_num_queries) if e[1] == rate.pk]
    assert events == [(RAISE, rate.pk, at(2), pytest.approx(90.0)), (CLEAR, rate.pk, at(3), 0.0)]


def test_rate_skips_out_of_range_readings(hcl, people, django_assert_num_queries):
    rate = add_rule(people["office"], hcl, AlarmRule.Kind.RATE, 1, 60.0, "fast rise means a leak")
    engine = engine_for(hcl)
    # a dip to -5 ppm flagged out of range, then 1.2 ppm: 0.2 ppm over 2 s from the last good reading, not 6.2 in 1 s
    events = run(engine, hcl, [1.0, -5.0, 1.2], django_assert_num_queries, out_of_range={1})
    assert [e for e in events if e[1] == rate.pk] == []


def test_falling_rate_rule(enterprise_a, people, django_assert_num_queries):
    o2 = make_sensor(enterprise_a, "o2-2", kind="oxygen", substance="O2", unit="%VOL", range_max=25)
    rate = add_rule(people["office"], o2, AlarmRule.Kind.RATE, 1, -1.0, "oxygen falling fast")
    engine = engine_for(o2)
    events = [e for e in run(engine, o2, [20.9, 20.9, 20.85, 20.85], django_assert_num_queries) if e[1] == rate.pk]
    assert [(e[0], e[2]) for e in events] == [(RAISE, at(2)), (CLEAR, at(3))]  # -3 %VOL/min, then steady
    assert events[0][3] == pytest.approx(-3.0)


def test_out_of_range_raises_a_sensor_fault_and_still_checks_the_limits(hcl, django_assert_num_queries):
    fault = rule_of(hcl, AlarmRule.Kind.OUT_OF_RANGE, 0)
    engine = engine_for(hcl)
    events = run(engine, hcl, [1, 25, 25, 1], django_assert_num_queries, out_of_range={1, 2})
    assert (RAISE, fault.pk, at(1), 25.0) in events
    assert (CLEAR, fault.pk, at(3), 1.0) in events
    assert {e[1] for e in events if e[0] == RAISE} == {fault.pk, rule_of(hcl, level=1).pk, rule_of(hcl, level=2).pk}


def test_disabled_rules_and_unknown_sensors_are_ignored(hcl, people, django_assert_num_queries):
    override_rule(people["office"], rule_of(hcl), 5.0, "maintenance", enabled=False)
    engine = engine_for(hcl)
    assert [e[1] for e in run(engine, hcl, [6], django_assert_num_queries)] == []
    assert engine.evaluate([(999_999, at(0), 100.0, False)]) == []


def test_reload_knows_open_alarms_and_keeps_pending_delays(hcl, django_assert_num_queries):
    l1 = rule_of(hcl)
    AlarmRule.objects.filter(pk=l1.pk).update(on_delay_count=2)
    engine = engine_for(hcl)
    assert run(engine, hcl, [6], django_assert_num_queries) == []
    engine.reload()  # the pending count survives a reload
    events = engine.evaluate([(hcl.pk, at(1), 6.0, False)])
    assert [(e[0], e[2]) for e in events] == [(RAISE, l1.pk)]
    engine.apply(events)
    fresh = engine_for(hcl)  # a new worker sees the open alarm: no second raise
    assert [e[0] for e in fresh.evaluate([(hcl.pk, at(2), 6.0, False)])] == []
