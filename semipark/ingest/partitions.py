"""Monthly partitions of the readings table on PostgreSQL, and pruning raw readings past their retention.

Rollups are never pruned: charts read them for any period.
"""

import logging
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

log = logging.getLogger(__name__)

MONTHS_AHEAD = 2
_PARTITION = re.compile(r"^supervision_reading_p(\d{4})(\d{2})$")
_DELETE_CHUNK = 50_000


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('semipark_ensure_reading_partitions(integer, integer)') IS NOT NULL")
        return cursor.fetchone()[0]


def ensure_partitions(months_ahead: int = MONTHS_AHEAD) -> None:
    """Create the partitions of the retained months and the next ones (only on partitioned PostgreSQL)."""
    if partitioned():
        back = settings.READING_RETENTION_DAYS // 28 + 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT semipark_ensure_reading_partitions(%s, %s)", [months_ahead, back])


def month_partitions() -> list[tuple[str, datetime]]:
    """(name, end of its month) of every month partition, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'supervision_reading'::regclass"
        )
        names = [row[0] for row in cursor.fetchall()]
    months = []
    for name in names:
        match = _PARTITION.match(name)
        if match:
            year, month = int(match[1]), int(match[2])
            end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
            months.append((name, end))
    return sorted(months, key=lambda item: item[1])


def prune(retention_days: int | None = None, now: datetime | None = None) -> dict:
    """Delete raw readings older than the retention; whole months are dropped as partitions on PostgreSQL."""
    days = settings.READING_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    dropped = []
    if partitioned():
        for name, end in month_partitions():
            if end <= cutoff:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP TABLE "{name}"')  # name matched _PARTITION: digits only
                dropped.append(name)
        ensure_partitions()
    deleted = _delete_before(cutoff)
    log.info("Pruned readings before %s: %d partitions dropped, %d rows deleted", cutoff, len(dropped), deleted)
    return {"cutoff": cutoff, "dropped_partitions": dropped, "deleted_rows": deleted}


def _delete_before(cutoff: datetime) -> int:
    from semipark.supervision.models import Reading

    from .store import sqlite_ts

    if connection.vendor == "postgresql":
        return Reading.objects.filter(ts__lt=cutoff).delete()[0]
    # SQLite: in chunks, so the single writer lock is released between them and ingest keeps flowing.
    total = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM supervision_reading WHERE rowid IN "
                "(SELECT rowid FROM supervision_reading WHERE ts < %s LIMIT %s)",
                [sqlite_ts(cutoff), _DELETE_CHUNK],
            )
            total += cursor.rowcount
            if cursor.rowcount < _DELETE_CHUNK:
                return total
