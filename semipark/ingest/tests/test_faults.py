"""Faults, each against servers of its own: the broker restarted, the worker killed, the database stopped.

Every test streams readings from a device (persistent session, QoS 1) with one excursion above a level 2 limit
in the middle, causes the fault half-way, and then checks that every reading is stored exactly once and that the
excursion raised exactly one alarm.
"""

import shutil
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import orjson
import paho.mqtt.client as mqtt
import psycopg
import pytest

from .mqtt_helpers import wait_for
from .servers import Mosquitto, Postgres, semipark

pytestmark = pytest.mark.slow

PREFIX = "semipark"
TOPIC = f"{PREFIX}/kazuo/tongmei/gds-1/telemetry"
KEYS = ("ash3", "ph3", "h2")
MESSAGES = 400
EXCURSION = range(150, 156)  # ash3 above its level 2 limit (5 ppm) for these messages
SEED = """
from semipark.park import demo
from semipark.park.models import Enterprise
from semipark.supervision.models import AlarmRule, Device, Sensor
demo.load()
device = Device.objects.create(
    enterprise=Enterprise.objects.get(code="tongmei"), code="gds-1", name="gds", kind="gas_controller")
for key in ("ash3", "ph3", "h2"):
    sensor = Sensor.objects.create(device=device, key=key, name=key, kind="toxic_gas", unit="ppm", range_max=10)
    AlarmRule.objects.create(sensor=sensor, kind="high", level=2, threshold=5, deadband=0.5)
"""


def env_for(folder, database_url=""):
    return {
        "SEMIPARK_DATA_DIR": str(folder),
        "SEMIPARK_DATABASE_URL": database_url or f"sqlite:///{folder}/semipark.sqlite3",
        "SEMIPARK_MQTT_TOPIC_PREFIX": PREFIX,
        "SEMIPARK_LOG_LEVEL": "INFO",
    }


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    """A migrated and seeded SQLite database, made once and copied by each test."""
    folder = tmp_path_factory.mktemp("seeded")
    semipark(["migrate", "-v0"], env_for(folder))
    semipark(["shell", "-c", SEED], env_for(folder))
    return folder / "semipark.sqlite3"


def sqlite_counter(path):
    def counts():
        with sqlite3.connect(path, timeout=10) as db:
            readings = db.execute("SELECT count(*) FROM supervision_reading").fetchone()[0]
            alarms = db.execute("SELECT count(*) FROM supervision_alarm").fetchone()[0]
        return readings, alarms

    return counts


def postgres_counter(url):
    def counts():
        with psycopg.connect(url) as db:
            readings = db.execute("SELECT count(*) FROM supervision_reading").fetchone()[0]
            alarms = db.execute("SELECT count(*) FROM supervision_alarm").fetchone()[0]
        return readings, alarms

    return counts


class Device:
    """A device publishing at QoS 1 with a persistent session: paho keeps and resends what the broker lacks."""

    def __init__(self, broker: Mosquitto, client_id: str):
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        self.client.reconnect_delay_set(0.2, 1)
        self.client.connect("127.0.0.1", broker.port, clean_start=False)
        self.sent: set[int] = set()
        self.acknowledged: set[int] = set()
        self.client.on_publish = lambda client, userdata, mid, reason, properties: self.acknowledged.add(mid)
        self.client.loop_start()
        self.t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)

    def send(self, i: int) -> None:
        ash3 = 8.0 if i in EXCURSION else 1.0
        doc = {"ts": (self.t0 + timedelta(seconds=i)).isoformat(), "values": {"ash3": ash3, "ph3": 0.1, "h2": 2.0}}
        # Published while the broker is away, the message waits in the client (rc says "not connected").
        self.sent.add(self.client.publish(TOPIC, orjson.dumps(doc), qos=1).mid)

    def stream(self, start: int, stop: int, per_second: float = 200) -> None:
        for i in range(start, stop):
            self.send(i)
            time.sleep(1 / per_second)

    def close(self) -> None:
        wait_for(lambda: self.sent <= self.acknowledged, timeout=30)
        self.client.disconnect()
        self.client.loop_stop()


def start_worker(folder, broker, env, name="worker"):
    return semipark(
        ["ingest", "--url", broker.url, "--client-id", "fault-worker", "--batch-ms", "20"],
        env,
        log=folder / f"{name}.log",
        wait=False,
    )


def probe(device, counts):
    """The worker is subscribed once a first message lands (sent again until then: the same reading each time)."""
    deadline = time.monotonic() + 20
    while counts()[0] < len(KEYS):
        assert time.monotonic() < deadline, "the worker never stored the probe"
        device.send(-1)
        time.sleep(0.5)


def expect_everything(counts):
    expected = (MESSAGES + 1) * len(KEYS)
    assert wait_for(lambda: counts()[0] >= expected, timeout=30)
    time.sleep(0.5)  # anything extra (a duplicate) would show now
    assert counts() == (expected, 1)


def stop(process):
    if process.poll() is None:
        process.terminate()
        process.wait(10)


def test_broker_restarted_while_devices_publish(tmp_path, seeded_sqlite):
    shutil.copy(seeded_sqlite, tmp_path / "semipark.sqlite3")
    broker = Mosquitto(tmp_path / "broker").start()
    worker = start_worker(tmp_path, broker, env_for(tmp_path))
    counts = sqlite_counter(tmp_path / "semipark.sqlite3")
    device = Device(broker, "fault-device-a")
    try:
        probe(device, counts)
        device.stream(0, MESSAGES // 2)
        broker.stop()
        device.stream(MESSAGES // 2, MESSAGES * 3 // 4)  # queued in the device while the broker is down
        broker.start()
        device.stream(MESSAGES * 3 // 4, MESSAGES)
        device.close()
        expect_everything(counts)
    finally:
        stop(worker)
        broker.stop()


def test_worker_killed_mid_stream_and_restarted(tmp_path, seeded_sqlite):
    shutil.copy(seeded_sqlite, tmp_path / "semipark.sqlite3")
    broker = Mosquitto(tmp_path / "broker").start()
    env = env_for(tmp_path)
    worker = start_worker(tmp_path, broker, env)
    counts = sqlite_counter(tmp_path / "semipark.sqlite3")
    device = Device(broker, "fault-device-b")
    try:
        probe(device, counts)
        killer = threading.Timer(1.0, worker.kill)  # SIGKILL, while the stream is flowing
        killer.start()
        device.stream(0, MESSAGES)
        killer.join()
        worker.wait(10)
        stored_when_killed = counts()[0]
        worker = start_worker(tmp_path, broker, env, name="worker2")
        device.close()
        expect_everything(counts)
        assert stored_when_killed < (MESSAGES + 1) * len(KEYS)  # the kill really interrupted the stream
    finally:
        stop(worker)
        broker.stop()


def test_database_briefly_unavailable(tmp_path):
    database = Postgres().init()
    database.start()
    broker = Mosquitto(tmp_path / "broker").start()
    env = env_for(tmp_path, database.url)
    worker = None
    try:
        semipark(["migrate", "-v0"], env)
        semipark(["shell", "-c", SEED], env)
        worker = start_worker(tmp_path, broker, env)
        counts = postgres_counter(database.url)
        device = Device(broker, "fault-device-c")
        probe(device, counts)
        device.stream(0, MESSAGES // 2)
        database.stop()
        device.stream(MESSAGES // 2, MESSAGES * 3 // 4)
        time.sleep(1)
        database.start()
        device.stream(MESSAGES * 3 // 4, MESSAGES)
        device.close()
        expect_everything(counts)
        assert "Database unavailable" in (tmp_path / "worker.log").read_text()
    finally:
        if worker:
            stop(worker)
        broker.stop()
        database.remove()
