"""Helpers for tests that talk to a real broker: a publisher and waiting for a condition."""

import time
import uuid

import orjson
import paho.mqtt.client as mqtt
from django.db import OperationalError


def unique_prefix() -> str:
    return "t" + uuid.uuid4().hex[:10]


def publisher(port: int = 1883, client_id: str = "") -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def publish(client: mqtt.Client, topic: str, doc) -> None:
    info = client.publish(topic, doc if isinstance(doc, bytes) else orjson.dumps(doc), qos=1)
    info.wait_for_publish(timeout=10)


def wait_for(condition, timeout: float = 15.0, interval: float = 0.05):
    """Poll until condition() is truthy and return its value; fail with the last value on timeout.

    The in-memory SQLite test database is shared between threads with table locks that do not wait: a read
    while the worker thread writes fails with "table is locked", and is simply tried again.
    """
    deadline = time.monotonic() + timeout
    value = None
    while True:
        try:
            value = condition()
        except OperationalError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value {value!r})")
        time.sleep(interval)
