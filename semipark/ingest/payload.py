"""Decoding a telemetry message: the topic, the JSON payload, timestamps and values. Pure functions, no database.

Payload: one object or a list of objects, each ``{"ts": <ISO 8601 with offset, or epoch milliseconds>,
"values": {"<sensor key>": <number>, ...}}``. ``ts`` may be left out: the time of receipt is used, but then a
redelivered message is stored twice, so devices should send it.
"""

import math
from datetime import UTC, datetime, timedelta

import orjson

from .errors import BadShape, BadTimestamp, BadTopic, BadValue, DecodeError

# A clock a little ahead is tolerated; more than this is a device with a wrong clock.
MAX_FUTURE = timedelta(minutes=10)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
EARLIEST_MS = int(EARLIEST.timestamp() * 1000)
MAX_ITEMS = 10_000


def parse_topic(topic: str, prefix: str) -> tuple[str, str, str]:
    """``<prefix>/<park>/<enterprise>/<device>/telemetry`` -> (park, enterprise, device)."""
    parts = topic.split("/")
    if len(parts) != 5 or parts[0] != prefix or parts[4] != "telemetry" or not all(parts[1:4]):
        raise BadTopic(f"expected {prefix}/<park>/<enterprise>/<device>/telemetry, got {topic[:200]!r}")
    return parts[1], parts[2], parts[3]


def decode(raw: bytes) -> list[dict]:
    """The items of a payload; raises DecodeError for bad JSON and BadShape for JSON of the wrong shape."""
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DecodeError(f"not valid JSON: {exc}") from None
    items = doc if isinstance(doc, list) else [doc]
    if not items:
        raise BadShape("empty list: send at least one object with values")
    if len(items) > MAX_ITEMS:
        raise BadShape(f"{len(items)} objects in one message; at most {MAX_ITEMS}")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadShape(f"item {index} is {type(item).__name__}, expected an object with ts and values")
        values = item.get("values")
        if not isinstance(values, dict) or not values:
            raise BadShape(f"item {index} has no 'values' object with at least one key")
    return items


def parse_ts(raw, now: datetime) -> datetime:
    """An aware UTC datetime from ISO 8601 (with a UTC offset) or epoch milliseconds; None means ``now``."""
    if raw is None:
        return now
    if isinstance(raw, bool):
        raise BadTimestamp(f"{raw!r} is not a timestamp")
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or raw < EARLIEST_MS:
            raise BadTimestamp(f"{raw!r} is not epoch milliseconds after 2000")
        try:
            ts = datetime.fromtimestamp(raw / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            raise BadTimestamp(f"{raw!r} is out of range") from None
    elif isinstance(raw, str):
        try:
            ts = datetime.fromisoformat(raw)
        except ValueError:
            raise BadTimestamp(f"{raw[:60]!r} is not ISO 8601") from None
        if ts.tzinfo is None:
            raise BadTimestamp(f"{raw[:60]!r} has no UTC offset; add Z or +08:00")
        ts = ts.astimezone(UTC)
        if ts < EARLIEST:
            raise BadTimestamp(f"{raw[:60]!r} is before 2000")
    else:
        raise BadTimestamp(f"{type(raw).__name__} is not a timestamp")
    if ts > now + MAX_FUTURE:
        raise BadTimestamp(f"{ts.isoformat()} is in the future (received {now.isoformat(timespec='seconds')})")
    return ts


def parse_value(key: str, raw) -> float:
    """A finite number; booleans and numeric strings are refused so a wrong device mapping shows up."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise BadValue(f"{key}: {str(raw)[:60]!r} is not a number")
    try:
        value = float(raw)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise BadValue(f"{key}: {raw!r} is not finite")
    return value
