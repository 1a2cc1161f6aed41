from datetime import timedelta

import orjson
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from semipark.ingest import partitions
from semipark.ingest.pipeline import Message, Pipeline
from semipark.supervision.models import Reading, Rollup

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL only")


def put(device, when, value=0.1):
    # Old readings are written as the pipeline writes them, bypassing the future check only.
    Pipeline().process([Message(orjson.dumps({"ts": when.isoformat(), "values": {"ash3": value}}), device.topic)])


def test_prune_deletes_old_raw_readings_and_keeps_rollups(device_a, settings):
    settings.READING_RETENTION_DAYS = 30
    now = timezone.now()
    put(device_a, now - timedelta(days=100))
    put(device_a, now - timedelta(days=31))
    put(device_a, now - timedelta(days=29))
    put(device_a, now - timedelta(minutes=1))
    rollups = Rollup.objects.count()
    call_command("prune", verbosity=0)
    kept = sorted(Reading.objects.values_list("ts", flat=True))
    assert len(kept) == 2 and kept[0] > now - timedelta(days=30)
    assert Rollup.objects.count() == rollups


@postgres_only
def test_readings_table_is_partitioned_by_month():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'supervision_reading'")
        assert cursor.fetchone()[0] == "p"
    partitions.ensure_partitions()
    names = [name for name, _ in partitions.month_partitions()]
    assert f"supervision_reading_p{timezone.now():%Y%m}" in names
    assert len(names) >= 3  # this month and two ahead


@postgres_only
def test_prune_drops_whole_old_partitions(device_a, settings):
    settings.READING_RETENTION_DAYS = 200
    now = timezone.now()
    put(device_a, now - timedelta(days=150))
    partitions.ensure_partitions()
    old = f"supervision_reading_p{now - timedelta(days=150):%Y%m}"
    assert old in dict(partitions.month_partitions())
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{old}"')  # noqa: S608 - a partition name
        assert cursor.fetchone()[0] == 1  # moved out of the DEFAULT partition
    result = partitions.prune(retention_days=60)
    assert old in result["dropped_partitions"]
    assert Reading.objects.count() == 0


@postgres_only
def test_reading_outside_every_partition_lands_in_default(device_a):
    put(device_a, timezone.now().replace(year=2001))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM supervision_reading_default")
        assert cursor.fetchone()[0] == 1
