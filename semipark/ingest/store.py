"""Writing a batch of readings with their rollups and the sensors' last values, in bulk.

PostgreSQL: COPY into a temporary staging table, then one INSERT ... ON CONFLICT DO NOTHING. SQLite: executemany
INSERT OR IGNORE. Either way (sensor, ts) is the key, so a redelivered message is stored once, and only the
readings that are new go on to the rollups and the alarm engine.
"""

import math
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

Row = tuple[int, datetime, float, bool]  # sensor_id, ts (aware UTC), value, out_of_range
Key = tuple[int, datetime]


def rollups(rows: Iterable[Row], hours: bool = True) -> dict[tuple[int, str, datetime], list]:
    """Minute (and hour) aggregates of the rows: {(sensor, period, start): [count, sum, min, max, last, last_ts]}."""
    acc: dict[tuple[int, str, datetime], list] = {}
    starts: dict[datetime, tuple] = {}  # readings of one message share their ts
    for sensor_id, ts, value, _ in rows:
        start = starts.get(ts)
        if start is None:
            minute = ts.replace(second=0, microsecond=0)
            start = starts[ts] = (("m", minute), ("h", minute.replace(minute=0))) if hours else (("m", minute),)
        for period, begins in start:
            key = (sensor_id, period, begins)
            agg = acc.get(key)
            if agg is None:
                acc[key] = [1, value, value, value, value, ts]
                continue
            agg[0] += 1
            agg[1] += value
            if value < agg[2]:
                agg[2] = value
            if value > agg[3]:
                agg[3] = value
            if ts >= agg[5]:
                agg[4] = value
                agg[5] = ts
    return acc


def store(rows: list[Row], last_values: "LastValues", hours: "HourRollups | None" = None) -> list[Row]:
    """Persist the rows (unique by key) with rollups and last values; return those that were not stored before.

    With ``hours``, hour rollups are left to it (recomputed later from the minute rollups); without, they are
    merged here like the minutes.
    """
    backend = _backend()
    new = backend.insert_readings(rows) if rows else []
    if new:
        deltas = rollups(new, hours=hours is None)
        backend.merge_rollups(deltas)
        last_values.offer(deltas)
        if hours is not None:
            hours.offer(deltas)
    due = last_values.due()
    if due:
        backend.update_last_values(due)
    return new


def _backend():
    return _POSTGRES if connection.vendor == "postgresql" else _SQLITE


class HourRollups:
    """Hour rollups recomputed from the minute rollups, for the hours that received readings, off the batch path.

    Merging an hour row per sensor and batch cost as much as the minute rows; instead the batch only notes which
    (sensor, hour) it touched once it has committed, and ``flush()`` (another thread, about once a minute)
    rewrites those hours from their minutes. A rewrite is complete, so it never double-counts, and it replaces a
    row only with at least as many readings (readings are only ever added), so a rewrite from an older snapshot
    (another worker's, or a concurrent one) never undoes a newer one. Hours noted but not flushed when a worker
    dies are caught by ``flush(since=...)`` at the next start.
    """

    def __init__(self):
        self._lock = threading.Lock()  # offer/committed on the batch thread, flush on the housekeeping thread
        self._batch: set[tuple[int, datetime]] = set()
        self._touched: set[tuple[int, datetime]] = set()

    def offer(self, deltas: dict) -> None:
        self._batch.update((sensor_id, start.replace(minute=0)) for sensor_id, _, start in deltas)

    def discard(self) -> None:
        """The batch rolled back: nothing of it to recompute."""
        self._batch = set()

    def committed(self) -> None:
        if self._batch:
            with self._lock:
                self._touched |= self._batch
            self._batch = set()

    def flush(self, since: datetime | None = None) -> int:
        """Recompute the hours touched so far (and with ``since``, every hour from then); returns how many."""
        with self._lock:
            touched, self._touched = self._touched, set()
        try:
            with transaction.atomic():
                if since is not None:
                    _backend().recompute_hours_since(since.replace(minute=0, second=0, microsecond=0))
                if touched:
                    _backend().recompute_hours(sorted(touched))
        except BaseException:
            with self._lock:
                self._touched |= touched  # tried again on the next round
            raise
        return len(touched)


class LastValues:
    """Sensor.last_value and last_ts, written at most once every ``every`` seconds per sensor.

    A sensor row is wide and indexed, so updating it for every batch cost more than storing the readings. A newer
    value waits in memory until its sensor's interval has passed and goes out with a later batch; ``every`` is
    kept well below the shortest reporting period that the communication-fault check (3 periods) relies on.
    """

    def __init__(self, every: float = 2.0):
        self.every = every
        self._pending: dict[int, tuple[float, datetime]] = {}
        self._written: dict[int, float] = {}
        self._due: list[tuple[int, float, datetime]] = []

    def offer(self, deltas: dict) -> None:
        pending = self._pending
        for (sensor_id, period, _), agg in deltas.items():
            if period == "m":
                current = pending.get(sensor_id)
                if current is None or agg[5] >= current[1]:
                    pending[sensor_id] = (agg[4], agg[5])

    def due(self) -> list[tuple[int, float, datetime]]:
        now = time.monotonic()
        written = self._written
        self._due = [
            (sensor_id, value, ts)
            for sensor_id, (value, ts) in self._pending.items()
            if now - written.get(sensor_id, -math.inf) >= self.every
        ]
        return self._due

    def committed(self) -> None:
        """The batch holding the due values committed: they are written."""
        now = time.monotonic()
        for sensor_id, _, ts in self._due:
            self._written[sensor_id] = now
            if self._pending.get(sensor_id, (None, None))[1] == ts:
                del self._pending[sensor_id]
        self._due = []


_MERGE_ROLLUP = """
    ON CONFLICT (sensor_id, period, start) DO UPDATE SET
        count = supervision_rollup.count + excluded.count,
        sum = supervision_rollup.sum + excluded.sum,
        min = CASE WHEN excluded.min < supervision_rollup.min THEN excluded.min ELSE supervision_rollup.min END,
        max = CASE WHEN excluded.max > supervision_rollup.max THEN excluded.max ELSE supervision_rollup.max END,
        last = CASE WHEN excluded.last_ts >= supervision_rollup.last_ts
                    THEN excluded.last ELSE supervision_rollup.last END,
        last_ts = CASE WHEN excluded.last_ts >= supervision_rollup.last_ts
                       THEN excluded.last_ts ELSE supervision_rollup.last_ts END
"""
_ROLLUP_COLUMNS = "sensor_id, period, start, count, sum, min, max, last, last_ts"
# Built from the constants above only; sorted so two workers lock the same rollups in the same order.
_MERGE_STAGED_ROLLUPS = (
    f"INSERT INTO supervision_rollup ({_ROLLUP_COLUMNS}) SELECT {_ROLLUP_COLUMNS} "  # noqa: S608
    f"FROM ingest_rollup_staging ORDER BY sensor_id, period, start {_MERGE_ROLLUP}"
)
_MERGE_ROLLUP_ROW = (
    f"INSERT INTO supervision_rollup ({_ROLLUP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) {_MERGE_ROLLUP}"  # noqa: S608
)


# An hour from its minutes; replaces the row only with at least as many readings (see HourRollups).
_REPLACE_HOUR = """
    ON CONFLICT (sensor_id, period, start) DO UPDATE SET
        count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
        last = excluded.last, last_ts = excluded.last_ts
    WHERE excluded.count >= supervision_rollup.count
"""
_PG_HOURS_FROM_MINUTES = (
    f"INSERT INTO supervision_rollup ({_ROLLUP_COLUMNS}) "  # noqa: S608
    "SELECT m.sensor_id, 'h', t.hour, sum(m.count), sum(m.sum), min(m.min), max(m.max), "
    "(array_agg(m.last ORDER BY m.last_ts DESC))[1], max(m.last_ts) "
    "FROM {hours} JOIN supervision_rollup m ON m.sensor_id = t.sensor_id AND m.period = 'm' "
    "AND m.start >= t.hour AND m.start < t.hour + interval '1 hour' "
    f"GROUP BY m.sensor_id, t.hour ORDER BY m.sensor_id, t.hour {_REPLACE_HOUR}"
)


class _Postgres:
    STAGING = """
        CREATE TEMP TABLE IF NOT EXISTS ingest_reading_staging (
            sensor_id bigint, ts timestamptz, value float8, out_of_range bool) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS ingest_rollup_staging (
            sensor_id bigint, period text, start timestamptz, count int, sum float8, min float8, max float8,
            last float8, last_ts timestamptz) ON COMMIT DELETE ROWS;
        -- Empty already after a commit; not inside an enclosing transaction (tests, nested batches).
        DELETE FROM ingest_reading_staging;
        DELETE FROM ingest_rollup_staging;
    """
    INSERT = """
        INSERT INTO supervision_reading (sensor_id, ts, value, out_of_range)
        SELECT sensor_id, ts, value, out_of_range FROM ingest_reading_staging
        ON CONFLICT (sensor_id, ts) DO NOTHING
    """
    DROP_STORED = """
        DELETE FROM ingest_reading_staging s USING supervision_reading r
        WHERE r.sensor_id = s.sensor_id AND r.ts = s.ts RETURNING s.sensor_id, s.ts
    """

    def insert_readings(self, rows: list[Row]) -> list[Row]:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            raw.execute(self.STAGING)
            with raw.copy(
                "COPY ingest_reading_staging (sensor_id, ts, value, out_of_range) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["int8", "timestamptz", "float8", "bool"])
                for row in rows:
                    copy.write_row(row)
            savepoint = transaction.savepoint()
            raw.execute(self.INSERT)
            if raw.rowcount == len(rows):
                transaction.savepoint_commit(savepoint)
                return rows
            # Some were stored before (a redelivery): find them, so they are not counted or evaluated twice.
            transaction.savepoint_rollback(savepoint)
            raw.execute(self.DROP_STORED)
            stored = set(raw.fetchall())
            raw.execute(self.INSERT)
        return [row for row in rows if (row[0], row[1]) not in stored]

    def merge_rollups(self, deltas: dict) -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY ingest_rollup_staging ({_ROLLUP_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(
                    ["int8", "text", "timestamptz", "int4", "float8", "float8", "float8", "float8", "timestamptz"]
                )
                for (sensor_id, period, start), agg in deltas.items():
                    copy.write_row((sensor_id, period, start, *agg))
            raw.execute(_MERGE_STAGED_ROLLUPS)

    def recompute_hours(self, touched: list[tuple[int, datetime]]) -> None:
        with connection.cursor() as cursor:
            cursor.cursor.execute(
                _PG_HOURS_FROM_MINUTES.format(hours="unnest(%s::bigint[], %s::timestamptz[]) AS t(sensor_id, hour)"),
                [[sensor_id for sensor_id, _ in touched], [hour for _, hour in touched]],
            )

    def recompute_hours_since(self, since: datetime) -> None:
        hours = (
            "(SELECT DISTINCT sensor_id, date_trunc('hour', start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour "
            "FROM supervision_rollup WHERE period = 'm' AND start >= %s) AS t"
        )
        with connection.cursor() as cursor:
            cursor.cursor.execute(_PG_HOURS_FROM_MINUTES.format(hours=hours), [since])

    def update_last_values(self, due: list[tuple[int, float, datetime]]) -> None:
        with connection.cursor() as cursor:
            cursor.cursor.execute(
                """
                UPDATE supervision_sensor s SET last_value = l.value, last_ts = l.ts
                FROM unnest(%s::bigint[], %s::float8[], %s::timestamptz[]) AS l(id, value, ts)
                WHERE s.id = l.id AND (s.last_ts IS NULL OR s.last_ts <= l.ts)
                """,
                [[d[0] for d in due], [d[1] for d in due], [d[2] for d in due]],
            )


class _Sqlite:
    INSERT = "INSERT OR IGNORE INTO supervision_reading (sensor_id, ts, value, out_of_range) VALUES (?, ?, ?, ?)"
    CHUNK = 400  # two parameters a row, under SQLite's variable limit

    def insert_readings(self, rows: list[Row]) -> list[Row]:
        text: dict[datetime, str] = {}
        params = [
            (sensor_id, text.get(ts) or text.setdefault(ts, sqlite_ts(ts)), value, oor)
            for sensor_id, ts, value, oor in rows
        ]
        with connection.cursor() as cursor:
            raw = cursor.cursor
            savepoint = transaction.savepoint()
            raw.executemany(self.INSERT, params)
            if raw.rowcount == len(rows):
                transaction.savepoint_commit(savepoint)
                return rows
            transaction.savepoint_rollback(savepoint)
            stored = self._stored_keys(raw, params)
            fresh = [(row, p) for row, p in zip(rows, params, strict=True) if (p[0], p[1]) not in stored]
            raw.executemany(self.INSERT, [p for _, p in fresh])
        return [row for row, _ in fresh]

    def _stored_keys(self, raw, params) -> set[tuple[int, str]]:
        stored = set()
        for i in range(0, len(params), self.CHUNK):
            chunk = params[i : i + self.CHUNK]
            marks = ",".join(["(?, ?)"] * len(chunk))
            raw.execute(
                f"SELECT sensor_id, ts FROM supervision_reading WHERE (sensor_id, ts) IN (VALUES {marks})",  # noqa: S608
                [v for p in chunk for v in p[:2]],
            )
            # Django's converters give datetimes back; compare in the stored text form.
            stored.update((sensor_id, str(ts)) for sensor_id, ts in raw.fetchall())
        return stored

    def merge_rollups(self, deltas: dict) -> None:
        # A batch holds few distinct instants: convert each once.
        text = {ts: sqlite_ts(ts) for ts in {agg[5] for agg in deltas.values()} | {key[2] for key in deltas}}
        params = [
            (sensor_id, period, text[start], count, total, low, high, last, text[last_ts])
            for (sensor_id, period, start), (count, total, low, high, last, last_ts) in sorted(deltas.items())
        ]
        with connection.cursor() as cursor:
            raw = cursor.cursor
            raw.executemany(_MERGE_ROLLUP_ROW, params)

    HOUR_FROM_MINUTES = (
        f"INSERT INTO supervision_rollup ({_ROLLUP_COLUMNS}) "  # noqa: S608
        "SELECT sensor_id, 'h', :hour, sum(count), sum(sum), min(min), max(max), "
        "(SELECT last FROM supervision_rollup WHERE sensor_id = :sensor AND period = 'm' "
        " AND start >= :hour AND start < :next ORDER BY last_ts DESC LIMIT 1), max(last_ts) "
        "FROM supervision_rollup WHERE sensor_id = :sensor AND period = 'm' AND start >= :hour AND start < :next "
        f"GROUP BY sensor_id {_REPLACE_HOUR}"
    )

    def recompute_hours(self, touched: list[tuple[int, datetime]]) -> None:
        params = [
            {"sensor": sensor_id, "hour": sqlite_ts(hour), "next": sqlite_ts(hour + timedelta(hours=1))}
            for sensor_id, hour in touched
        ]
        with connection.cursor() as cursor:
            cursor.cursor.executemany(self.HOUR_FROM_MINUTES, params)

    def recompute_hours_since(self, since: datetime) -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            raw.execute(
                "SELECT DISTINCT sensor_id, substr(start, 1, 13) FROM supervision_rollup "
                "WHERE period = 'm' AND start >= ?",
                [sqlite_ts(since)],
            )
            touched = [
                (sensor_id, datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=UTC))
                for sensor_id, hour in raw.fetchall()
            ]
        self.recompute_hours(touched)

    def update_last_values(self, due: list[tuple[int, float, datetime]]) -> None:
        with connection.cursor() as cursor:
            cursor.cursor.executemany(
                "UPDATE supervision_sensor SET last_value = ?, last_ts = ? "
                "WHERE id = ? AND (last_ts IS NULL OR last_ts <= ?)",
                [(value, sqlite_ts(ts), sensor_id, sqlite_ts(ts)) for sensor_id, value, ts in due],
            )


def sqlite_ts(ts: datetime) -> str:
    """The text Django's SQLite backend stores for an aware UTC datetime (microseconds only when non-zero)."""
    return str(ts.replace(tzinfo=None))


_POSTGRES = _Postgres()
_SQLITE = _Sqlite()
