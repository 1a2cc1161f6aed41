"""Property: whatever malformed payload arrives, it lands in the dead-letter table and good readings around it
in the same batch are stored."""

import itertools
import json
from datetime import datetime, timedelta

import orjson
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from semipark.ingest.pipeline import Message, Pipeline, stored_text
from semipark.supervision.models import DeadLetter, Reading

pytestmark = pytest.mark.django_db

KEYS = ("ash3", "ph3", "h2")
_clock = itertools.count()


def dumps(doc) -> bytes:
    """Any JSON, big integers included (which orjson cannot write but a device might send)."""
    return json.dumps(doc).encode()


def _not_json(raw: bytes) -> bool:
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError:
        return True
    return False


def _not_iso(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return True
    return False


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
not_a_number = (
    st.none()
    | st.booleans()
    | st.text(max_size=20)
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
)
bad_ts = (
    st.text(max_size=30).filter(_not_iso)
    | st.integers(max_value=946_684_799_999)
    | st.booleans()
    | st.lists(st.integers(), max_size=2)
    | st.just("2026-01-01T00:00:00")  # no UTC offset
    | st.just("2999-01-01T00:00:00Z")  # the far future
)
unknown_key = st.text(min_size=1, max_size=40).filter(lambda k: k not in KEYS)
now_iso = st.just(None)

malformed = st.one_of(
    st.binary(max_size=200).filter(_not_json),
    json_scalars.map(dumps),
    st.lists(json_scalars, max_size=4).map(dumps),
    st.dictionaries(st.sampled_from(["ts", "value", "vals"]), json_scalars, max_size=3).map(dumps),
    st.builds(lambda v: dumps({"values": v}), st.just({}) | st.lists(st.integers(), max_size=3)),
    st.builds(lambda k, v: dumps({"values": {k: v}}), st.sampled_from(KEYS), not_a_number),
    st.builds(lambda t: dumps({"ts": t, "values": {"ash3": 0.1}}), bad_ts),
    st.builds(lambda k: dumps({"values": {k: 1.0}}), unknown_key),
    st.just(b'{"values": {"ash3": NaN}}'),
    st.just(b'{"values": {"ash3": 1e999}}'),
    st.just(b'{"values": {"ash3": 1}}\x00'),  # a NUL, which PostgreSQL refuses in text
)


def good(device) -> Message:
    ts = timezone.now() - timedelta(hours=2) + timedelta(milliseconds=next(_clock))
    return Message(orjson.dumps({"ts": ts.isoformat(), "values": {"ph3": 0.05}}), topic=device.topic)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=malformed)
def test_malformed_payload_is_dead_lettered_and_neighbours_land(device_a, raw):
    pipeline = Pipeline()
    readings, letters = Reading.objects.count(), DeadLetter.objects.count()
    outcomes = pipeline.process([good(device_a), Message(raw, topic=device_a.topic), good(device_a)])
    assert Reading.objects.count() == readings + 2
    assert [o.accepted for o in outcomes] == [1, 0, 1]
    assert outcomes[1].refused
    assert DeadLetter.objects.count() > letters
    assert DeadLetter.objects.filter(payload=stored_text(raw)).exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.lists(st.tuples(st.sampled_from(KEYS) | unknown_key, not_a_number), min_size=1, max_size=5))
def test_good_values_in_a_message_with_bad_ones_still_land(device_a, bad):
    ts = timezone.now() - timedelta(hours=3) + timedelta(milliseconds=next(_clock))
    values = dict(bad)
    values["h2"] = 42.0  # one good value among the bad ones
    (outcome,) = Pipeline().process([Message(dumps({"ts": ts.isoformat(), "values": values}), device_a.topic)])
    assert outcome.accepted == 1
    assert Reading.objects.filter(sensor__key="h2", ts=ts, value=42.0).exists()
    assert len(outcome.refused) == len(values) - 1
