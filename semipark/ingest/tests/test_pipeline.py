import time
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from django.utils import timezone

from semipark.ingest.pipeline import Message, Pipeline, stored_text
from semipark.supervision.models import DeadLetter, Reading, Rollup, Sensor

pytestmark = pytest.mark.django_db


def mqtt(device, doc, raw=None):
    return Message(payload=raw if raw is not None else orjson.dumps(doc), topic=device.topic)


def sensor(device, key):
    return Sensor.objects.get(device=device, key=key)


def at(minutes=0, seconds=0):
    # Ten minutes into the hour before last: a few minutes of readings stay inside one hour.
    base = timezone.now().replace(minute=10, second=0, microsecond=0) - timedelta(hours=2)
    return base + timedelta(minutes=minutes, seconds=seconds)


def test_readings_are_stored_with_rollups_and_last_value(device_a):
    t0 = at()
    docs = [{"ts": (t0 + timedelta(seconds=10 * i)).isoformat(), "values": {"ash3": 0.01 * i}} for i in range(8)]
    (outcome,) = Pipeline().process([mqtt(device_a, docs)])
    assert outcome.accepted == 8 and outcome.refused == []
    ash3 = sensor(device_a, "ash3")
    assert Reading.objects.filter(sensor=ash3).count() == 8
    minutes = Rollup.objects.filter(sensor=ash3, period="m").order_by("start")
    assert [r.count for r in minutes] == [6, 2]
    assert minutes[0].max == pytest.approx(0.05) and minutes[0].min == 0
    assert minutes[1].last == pytest.approx(0.07)
    hour = Rollup.objects.get(sensor=ash3, period="h")
    assert hour.count == 8 and hour.sum == pytest.approx(0.28)
    ash3.refresh_from_db()
    assert ash3.last_value == pytest.approx(0.07) and ash3.last_ts == t0 + timedelta(seconds=70)


def test_epoch_milliseconds_and_iso_are_the_same_instant(device_a):
    t0 = at()
    ms = int(t0.timestamp() * 1000)
    Pipeline().process([mqtt(device_a, {"ts": ms, "values": {"ash3": 0.1}})])
    (outcome,) = Pipeline().process([mqtt(device_a, {"ts": t0.isoformat(), "values": {"ash3": 0.2}})])
    assert outcome.accepted == 1
    assert list(Reading.objects.filter(sensor__key="ash3").values_list("ts", "value")) == [(t0, 0.1)]


def test_redelivered_message_is_stored_and_rolled_up_once(device_a):
    message = mqtt(device_a, {"ts": at().isoformat(), "values": {"ash3": 0.2, "ph3": 0.1}})
    pipeline = Pipeline()
    pipeline.process([message])
    pipeline.process([message, message])
    assert Reading.objects.count() == 2
    assert Rollup.objects.get(sensor__key="ash3", period="m").count == 1


def test_partly_new_batch_stores_only_the_new_readings(device_a):
    t0 = at()
    old = mqtt(device_a, {"ts": t0.isoformat(), "values": {"ash3": 0.2}})
    new = mqtt(device_a, {"ts": (t0 + timedelta(seconds=1)).isoformat(), "values": {"ash3": 0.4}})
    pipeline = Pipeline()
    pipeline.process([old])
    pipeline.process([old, new])
    rollup = Rollup.objects.get(sensor__key="ash3", period="m")
    assert (rollup.count, rollup.sum, rollup.last) == (2, pytest.approx(0.6), 0.4)


def test_out_of_range_reading_is_stored_flagged(device_a):
    Pipeline().process([mqtt(device_a, {"ts": at().isoformat(), "values": {"ash3": 5.0, "ph3": 0.5}})])
    flags = dict(Reading.objects.values_list("sensor__key", "out_of_range"))
    assert flags == {"ash3": True, "ph3": False}


def test_bad_items_go_to_dead_letters_and_good_ones_land(device_a):
    t0 = at()
    doc = [
        {"ts": t0.isoformat(), "values": {"ash3": 0.1, "nope": 1, "ph3": "high"}},
        {"ts": "yesterday", "values": {"ash3": 0.3}},
        {"ts": (t0 + timedelta(seconds=5)).isoformat(), "values": {"h2": 12}},
    ]
    (outcome,) = Pipeline().process([mqtt(device_a, doc)])
    assert outcome.accepted == 2
    assert sorted((r.reason, r.item, r.key) for r in outcome.refused) == [
        ("bad_timestamp", 1, None),
        ("bad_value", 0, "ph3"),
        ("unknown_key", 0, "nope"),
    ]
    assert sorted(Reading.objects.values_list("sensor__key", flat=True)) == ["ash3", "h2"]
    letters = DeadLetter.objects.order_by("reason")
    assert [d.reason for d in letters] == ["bad_timestamp", "bad_value", "unknown_key"]
    assert all(d.device_id == device_a.id and d.enterprise_id == device_a.enterprise_id for d in letters)
    assert "'nope'" in letters[2].detail and '"nope"' in letters[2].payload


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "undecodable"),
        (b"\xff\xfe", "undecodable"),
        (b'{"values": {"ash3": 1}}\x00', "undecodable"),  # NUL: PostgreSQL refuses it in text, so it is escaped
        (b"[]", "bad_shape"),
        (b"42", "bad_shape"),
        (b'{"ts": 1}', "bad_shape"),
        (b'{"values": {}}', "bad_shape"),
        (b'[{"values": {"ash3": 1}}, "x"]', "bad_shape"),
    ],
)
def test_unreadable_payload_is_a_dead_letter(device_a, raw, reason):
    (outcome,) = Pipeline().process([mqtt(device_a, None, raw=raw)])
    assert outcome.accepted == 0
    letter = DeadLetter.objects.get()
    assert letter.reason == reason and letter.payload == stored_text(raw)
    assert "\x00" not in letter.payload
    assert Reading.objects.count() == 0


@pytest.mark.parametrize(
    "ts",
    ["2026-01-01T00:00:00", "1999-12-31T23:59:59Z", 946684799999, True, [1], "nonsense", float("nan")],
)
def test_bad_timestamps_are_refused(device_a, ts):
    raw = (
        orjson.dumps({"ts": ts, "values": {"ash3": 0.1}}, option=orjson.OPT_SERIALIZE_NUMPY)
        if ts == ts
        else (b'{"ts": NaN, "values": {"ash3": 0.1}}')
    )
    (outcome,) = Pipeline().process([mqtt(device_a, None, raw=raw)])
    assert outcome.accepted == 0
    assert DeadLetter.objects.get().reason in {"bad_timestamp", "undecodable"}


def test_timestamp_far_in_the_future_is_refused_and_slight_skew_is_not(device_a):
    now = datetime.now(UTC)
    doc = [
        {"ts": (now + timedelta(hours=2)).isoformat(), "values": {"ash3": 0.1}},
        {"ts": (now + timedelta(seconds=30)).isoformat(), "values": {"ash3": 0.2}},
    ]
    (outcome,) = Pipeline().process([mqtt(device_a, doc)])
    assert outcome.accepted == 1 and outcome.refused[0].reason == "bad_timestamp"


def test_missing_timestamp_means_time_of_receipt(device_a):
    before = timezone.now()
    Pipeline().process([mqtt(device_a, {"values": {"ash3": 0.1}})])
    assert Reading.objects.get().ts >= before


def test_unknown_device_and_bad_topic(device_a):
    good_topic = device_a.topic
    unknown = Message(payload=b'{"values": {"ash3": 1}}', topic=good_topic.replace("gds-1", "ghost"))
    bad = Message(payload=b'{"values": {"ash3": 1}}', topic="something/else")
    outcomes = Pipeline().process([unknown, bad])
    assert [o.refused[0].reason for o in outcomes] == ["unknown_device", "bad_topic"]
    letters = {d.reason: d for d in DeadLetter.objects.all()}
    assert letters["unknown_device"].enterprise_id == device_a.enterprise_id  # the enterprise can see it
    assert letters["bad_topic"].enterprise_id is None


def test_inactive_sensor_is_unknown(device_a):
    Sensor.objects.filter(device=device_a, key="ph3").update(active=False, updated=timezone.now())
    (outcome,) = Pipeline().process([mqtt(device_a, {"ts": at().isoformat(), "values": {"ph3": 0.1}})])
    assert outcome.refused[0].reason == "unknown_key"


def test_sensor_added_after_start_is_found_at_once(device_a):
    pipeline = Pipeline()
    pipeline.process([mqtt(device_a, {"ts": at().isoformat(), "values": {"ash3": 0.1}})])
    Sensor.objects.create(device=device_a, key="hcl", name="HCl", kind="toxic_gas", unit="ppm", range_max=20)
    (outcome,) = pipeline.process([mqtt(device_a, {"ts": at().isoformat(), "values": {"hcl": 2}})])
    assert outcome.accepted == 1


def test_range_change_is_picked_up(device_a):
    pipeline = Pipeline()
    pipeline.registry.check_seconds = 0
    pipeline.process([mqtt(device_a, {"ts": at().isoformat(), "values": {"ash3": 0.5}})])
    ash3 = sensor(device_a, "ash3")
    ash3.range_max = 0.4
    ash3.save()
    pipeline.process([mqtt(device_a, {"ts": at(seconds=1).isoformat(), "values": {"ash3": 0.5}})])
    assert list(Reading.objects.order_by("ts").values_list("out_of_range", flat=True)) == [False, True]


def test_reading_above_limit_raises_one_alarm_even_when_redelivered(device_a):
    from semipark.supervision.models import Alarm, AlarmRule

    ash3 = sensor(device_a, "ash3")
    AlarmRule.objects.create(sensor=ash3, kind="high", level=2, threshold=0.5)
    AlarmRule.objects.create(sensor=ash3, kind="range", level=0)
    pipeline = Pipeline()
    message = mqtt(device_a, {"ts": at().isoformat(), "values": {"ash3": 0.8}})
    pipeline.process([message])
    pipeline.process([message])
    Pipeline().process([message])  # another worker given the same message
    alarm = Alarm.objects.get()
    assert (alarm.sensor_id, alarm.level, alarm.value) == (ash3.id, 2, 0.8)
    Pipeline().process([mqtt(device_a, {"ts": at(seconds=1).isoformat(), "values": {"ash3": 3.0}})])
    assert sorted(Alarm.objects.values_list("rule__kind", flat=True)) == ["high", "range"]


def test_last_value_is_written_at_most_every_few_seconds_and_never_lost(device_a):
    pipeline = Pipeline()
    pipeline.last_values.every = 0.3
    pipeline.process([mqtt(device_a, {"ts": at().isoformat(), "values": {"ash3": 0.1}})])
    pipeline.process([mqtt(device_a, {"ts": at(seconds=1).isoformat(), "values": {"ash3": 0.2}})])
    ash3 = sensor(device_a, "ash3")
    assert ash3.last_value == 0.1  # the second value waits for its sensor's interval
    time.sleep(0.35)
    pipeline.process([mqtt(device_a, {"ts": at().isoformat(), "values": {"ph3": 0.3}})])  # any later batch
    ash3.refresh_from_db()
    assert (ash3.last_value, ash3.last_ts) == (0.2, at(seconds=1))


def test_snapshot_read_before_this_workers_alarm_still_knows_the_alarm(device_a, monkeypatch):
    """The housekeeping thread's snapshot may predate an alarm this worker raised: it must still be cleared."""
    from semipark.ingest import alarming
    from semipark.supervision.models import Alarm, AlarmRule

    ash3 = sensor(device_a, "ash3")
    AlarmRule.objects.create(sensor=ash3, kind="high", level=2, threshold=0.5, deadband=0.1)
    stage = alarming.AlarmStage(reload_seconds=0, background=True)
    pipeline = Pipeline(alarms=stage)

    def reading(seconds, value):
        pipeline.process([mqtt(device_a, {"ts": at(seconds=seconds).isoformat(), "values": {"ash3": value}})])

    reading(0, 0.1)
    stale = alarming._read_snapshot()  # no alarm open yet
    reading(1, 0.2)  # asks the housekeeper for a snapshot
    reading(2, 0.9)  # raises, after the snapshot was asked for
    monkeypatch.setattr(alarming, "_read_snapshot", lambda: stale)
    stage.fetch_if_requested(0)
    reading(3, 0.3)  # the snapshot is installed first, then this clears the alarm
    reading(4, 0.9)  # and this raises a second one, not a duplicate of the first
    first, second = Alarm.objects.order_by("id")
    assert (first.active, first.value, second.active, second.value) == (False, 0.9, True, 0.9)


def test_deferred_hour_rollups_are_recomputed_from_the_minutes(device_a):
    from semipark.ingest.store import HourRollups

    hours = HourRollups()
    pipeline = Pipeline(hours=hours)
    t0 = at(minutes=48)  # 10:58 to 11:01 of some day: two hours
    docs = [{"ts": (t0 + timedelta(seconds=30 * i)).isoformat(), "values": {"ash3": 0.1 * i}} for i in range(7)]
    pipeline.process([mqtt(device_a, docs[:4])])
    pipeline.process([mqtt(device_a, docs[2:])])  # partly redelivered
    assert not Rollup.objects.filter(period="h").exists()  # not before the flush
    assert hours.flush() == 2
    first, second = Rollup.objects.filter(sensor__key="ash3", period="h").order_by("start")
    assert (first.count, first.min, first.max, first.last) == (4, 0, pytest.approx(0.3), pytest.approx(0.3))
    assert first.sum == pytest.approx(0.6) and first.last_ts == t0 + timedelta(seconds=90)
    assert (second.count, second.sum, second.last) == (3, pytest.approx(1.5), pytest.approx(0.6))
    assert hours.flush() == 0


def test_hour_recompute_never_replaces_a_fuller_row_and_catches_up_after_a_restart(device_a):
    from semipark.ingest.store import HourRollups

    t0 = at()
    Pipeline(hours=HourRollups()).process([mqtt(device_a, {"ts": t0.isoformat(), "values": {"ash3": 0.2}})])
    # Noted hours lost with the process (killed): a new run recomputes recent hours from the minutes.
    assert not Rollup.objects.filter(period="h").exists()
    HourRollups().flush(since=t0 - timedelta(minutes=30))
    hour = Rollup.objects.get(period="h")
    assert (hour.start, hour.count, hour.sum) == (t0.replace(minute=0), 1, pytest.approx(0.2))
    Rollup.objects.filter(period="h").update(count=5)  # as if a newer recompute had already counted more
    HourRollups().flush(since=t0)
    assert Rollup.objects.get(period="h").count == 5
