"""Helpers for tests that talk to a real broker: a publisher and waiting for a condition."""

import time
import uuid

import orjson
import paho.mqtt.client as mqtt


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
    """Poll until condition() is truthy and return its value; fail with the last value on timeout."""
    deadline = time.monotonic() + timeout
    value = condition()
    while not value:
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value {value!r})")
        time.sleep(interval)
        value = condition()
    return value
