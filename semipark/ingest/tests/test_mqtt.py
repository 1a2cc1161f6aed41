"""End to end through the machine's Mosquitto (127.0.0.1:1883), each test under its own topic prefix."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from semipark.ingest.mqtt import Worker
from semipark.supervision.models import DeadLetter, Reading, Rollup

from .mqtt_helpers import publish, publisher, unique_prefix, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def prefix(settings):
    settings.MQTT_TOPIC_PREFIX = unique_prefix()
    return settings.MQTT_TOPIC_PREFIX


@pytest.fixture
def worker(prefix):
    worker = Worker("mqtt://127.0.0.1:1883", client_id=f"{prefix}-worker", batch_seconds=0.02)
    thread = threading.Thread(target=_run_closing_connection, args=(worker,), daemon=True)
    thread.start()
    assert worker.subscribed.wait(10)
    yield worker
    worker.stop()
    thread.join(10)


def _run_closing_connection(worker):
    try:
        worker.run()
    finally:
        connection.close()


def test_published_readings_land_and_garbage_is_dead_lettered(worker, device_a):
    client = publisher()
    t0 = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    for i in range(30):
        publish(client, device_a.topic, {"ts": (t0 + timedelta(seconds=i)).isoformat(), "values": {"ash3": 0.01}})
    publish(client, device_a.topic, b"\x00garbage")
    publish(client, device_a.topic, {"ts": (t0 + timedelta(seconds=99)).isoformat(), "values": {"h2": 3}})
    client.disconnect()
    wait_for(lambda: Reading.objects.count() == 31)
    letter = wait_for(lambda: DeadLetter.objects.first())
    assert letter.reason == "undecodable" and letter.transport == "mqtt" and letter.topic == device_a.topic
    assert sum(Rollup.objects.filter(sensor__key="ash3", period="m").values_list("count", flat=True)) == 30
    worker.pipeline.hours.flush()  # the worker's housekeeping does this about once a minute
    assert Rollup.objects.filter(sensor__key="ash3", period="h").get().count == 30
    assert worker.stats.acked == worker.stats.messages == 32


def test_unknown_device_topic_is_dead_lettered(worker, device_a, prefix):
    client = publisher()
    publish(client, f"{prefix}/kazuo/tongmei/nobody/telemetry", {"values": {"x": 1}})
    client.disconnect()
    letter = wait_for(lambda: DeadLetter.objects.first())
    assert letter.reason == "unknown_device" and letter.enterprise_id == device_a.enterprise_id


def test_two_workers_in_a_shared_subscription_split_the_messages(prefix, device_a):
    workers, threads = [], []
    for n in range(2):
        worker = Worker("mqtt://127.0.0.1:1883", client_id=f"{prefix}-w{n}", shared_group=prefix, batch_seconds=0.02)
        thread = threading.Thread(target=_run_closing_connection, args=(worker,), daemon=True)
        thread.start()
        workers.append(worker)
        threads.append(thread)
    try:
        assert all(w.subscribed.wait(10) for w in workers)
        assert workers[0].filters == [f"$share/{prefix}/{prefix}/+/+/+/telemetry"]
        client = publisher()
        t0 = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
        for i in range(60):
            publish(client, device_a.topic, {"ts": (t0 + timedelta(seconds=i)).isoformat(), "values": {"ph3": 0.1}})
        client.disconnect()
        wait_for(lambda: Reading.objects.count() == 60)
        wait_for(lambda: sum(w.stats.messages for w in workers) == 60)
        assert all(w.stats.messages > 0 for w in workers)  # each took a share, none took a message twice
    finally:
        for worker in workers:
            worker.stop()
        for thread in threads:
            thread.join(10)


def test_topic_filters_shard_devices_between_workers(prefix, device_a, device_b):
    worker = Worker(
        "mqtt://127.0.0.1:1883",
        client_id=f"{prefix}-shard",
        filters=[f"{prefix}/kazuo/{device_b.enterprise.code}/+/telemetry"],
        batch_seconds=0.02,
    )
    thread = threading.Thread(target=_run_closing_connection, args=(worker,), daemon=True)
    thread.start()
    try:
        assert worker.subscribed.wait(10)
        client = publisher()
        publish(client, device_a.topic, {"values": {"ph3": 0.1}})  # not this worker's shard
        publish(client, device_b.topic, {"values": {"ph3": 0.2}})
        client.disconnect()
        wait_for(lambda: Reading.objects.count() == 1)
        assert Reading.objects.get().sensor.device_id == device_b.id
    finally:
        worker.stop()
        thread.join(10)
