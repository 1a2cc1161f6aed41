"""Simulated devices: realistic readings for every active sensor in the database, over MQTT or HTTP.

Each sensor wanders around its baseline (its last value, else a value typical of its kind) with noise and a slow
drift. Every few minutes a gas detector sees a leak that climbs past its level 1 and level 2 setpoints and
recedes; now and then one sensor goes silent for long enough to raise a communication fault. Devices publish one
message per reporting period with all their due sensors, with a timestamp, exactly as real devices do.
"""

import hashlib
import logging
import math
import random
import socket
import threading
import time
from dataclasses import dataclass, field

import httpx
import orjson
import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import close_old_connections

from semipark.supervision.models import AlarmRule, Device, Sensor, SensorKind

from .tokens import issue_device_token

log = logging.getLogger(__name__)

LEAK_EVERY_SECONDS = 600
LEAK_SECONDS = 120
FIRST_LEAK_AFTER = 60
SILENCE_EVERY_SECONDS = 900
FIRST_SILENCE_AFTER = 90
RELOAD_SECONDS = 60
GASES = {SensorKind.TOXIC_GAS, SensorKind.COMBUSTIBLE_GAS}


@dataclass
class Simulated:
    id: int
    key: str
    kind: str
    device_id: int
    range_min: float
    range_max: float
    period: float
    baseline: float
    noise: float
    level1: float | None = None
    level2: float | None = None
    phase: float = field(default_factory=lambda: random.uniform(0, 2 * math.pi))  # noqa: S311 - not secret
    due: float = 0.0

    def value(self, t: float, leak: float) -> float:
        """The reading at time t; ``leak`` in [0, 1] is how far a leak has developed (0: none)."""
        span = self.range_max - self.range_min
        drift = 0.5 * self.noise * math.sin(2 * math.pi * t / 1800 + self.phase)
        value = self.baseline + drift + random.gauss(0, self.noise / 2)
        if leak > 0:
            peak = self.level2 * 1.3 if self.level2 else self.range_min + 0.6 * span
            value += leak * (peak - self.baseline)
        return round(min(max(value, self.range_min), self.range_max), 4)


def _typical(sensor: Sensor) -> float:
    if sensor.last_value is not None:
        return sensor.last_value
    span = sensor.range_max - sensor.range_min
    if sensor.kind == SensorKind.OXYGEN:
        return 20.9
    if sensor.unit == "pH":
        return 7.2
    if sensor.kind in GASES:
        return sensor.range_min + 0.01 * span
    return sensor.range_min + 0.4 * span


def load_sensors() -> list[Simulated]:
    limits: dict[tuple[int, int], float] = {
        (sensor_id, level): threshold
        for sensor_id, level, threshold in AlarmRule.objects.filter(
            kind=AlarmRule.Kind.HIGH, enabled=True, threshold__isnull=False
        ).values_list("sensor_id", "level", "threshold")
    }
    sims = []
    for sensor in Sensor.objects.filter(active=True, device__active=True):
        baseline = _typical(sensor)
        span = sensor.range_max - sensor.range_min
        sims.append(
            Simulated(
                id=sensor.id,
                key=sensor.key,
                kind=sensor.kind,
                device_id=sensor.device_id,
                range_min=sensor.range_min,
                range_max=sensor.range_max,
                period=float(sensor.period_seconds or 10),
                baseline=baseline,
                noise=max(abs(baseline) * 0.05, span * 0.002),
                level1=limits.get((sensor.id, 1)),
                level2=limits.get((sensor.id, 2)),
            )
        )
    return sims


class MqttSink:
    def __init__(self, url: str):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.topics = dict(_device_topics())
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        if parts.username:
            self.client.username_pw_set(parts.username, parts.password)
        self.client.connect_async(parts.hostname or "127.0.0.1", parts.port or 1883)
        self.client.loop_start()

    def send(self, device_id: int, doc: dict) -> None:
        self.client.publish(self.topics[device_id], orjson.dumps(doc), qos=1)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


class HttpSink:
    """Posts with device tokens it issues itself (so the devices' previous tokens stop working: demo use)."""

    def __init__(self, base_url: str):
        self.url = base_url.rstrip("/") + "/api/v1/ingest"
        self.tokens = {device.id: issue_device_token(device) for device in Device.objects.filter(active=True)}
        self.client = httpx.Client(timeout=10)

    def send(self, device_id: int, doc: dict) -> None:
        token = self.tokens.get(device_id)
        if token is None:
            device = Device.objects.get(pk=device_id)
            token = self.tokens[device_id] = issue_device_token(device)
        try:
            response = self.client.post(
                self.url, content=orjson.dumps(doc), headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            log.debug("simulator: %s unreachable (%s)", self.url, exc)
            return
        if response.status_code >= 400:
            log.warning("simulator: %s answered %s %s", self.url, response.status_code, response.text[:200])

    def close(self) -> None:
        self.client.close()


def _device_topics():
    for device in Device.objects.filter(active=True).select_related("enterprise__park"):
        yield device.id, device.topic


class Simulator:
    def __init__(self, sink, rate: float = 1.0, seed: int | None = None):
        self.sink = sink
        self.rate = rate
        self.sent = 0
        self._stop = threading.Event()
        self._random = random.Random(seed)  # noqa: S311 - simulation, not secrets
        self.sensors: list[Simulated] = []
        self._leak: tuple[Simulated, float] | None = None
        self._silent: tuple[Simulated, float] | None = None

    def stop(self) -> None:
        self._stop.set()

    def run(self, duration: float | None = None) -> None:
        start = time.monotonic()
        next_reload = next_leak = next_silence = start
        next_leak += FIRST_LEAK_AFTER / self.rate
        next_silence += FIRST_SILENCE_AFTER / self.rate
        while not self._stop.is_set() and (duration is None or time.monotonic() - start < duration):
            now = time.monotonic()
            if now >= next_reload:
                self.sensors = load_sensors()
                next_reload = now + RELOAD_SECONDS
                close_old_connections()
            if now >= next_leak:
                self._start_leak(now)
                next_leak = now + LEAK_EVERY_SECONDS / self.rate
            if now >= next_silence:
                self._start_silence(now)
                next_silence = now + SILENCE_EVERY_SECONDS / self.rate
            self.tick(now, time.time())
            self._stop.wait(0.2)

    def tick(self, now: float, wall: float) -> None:
        """Publish, per device, the sensors that are due."""
        by_device: dict[int, dict] = {}
        for sim in self.sensors:
            if sim.due > now or self._is_silent(sim, now):
                continue
            sim.due = now + sim.period / self.rate
            by_device.setdefault(sim.device_id, {})[sim.key] = sim.value(wall, self._leak_level(sim, now))
        ts = int(wall * 1000)
        for device_id, values in by_device.items():
            self.sink.send(device_id, {"ts": ts, "values": values})
            self.sent += len(values)

    def _start_leak(self, now: float) -> None:
        candidates = [s for s in self.sensors if s.level2 is not None and s.kind in GASES]
        if candidates:
            sim = self._random.choice(candidates)
            self._leak = (sim, now)
            log.info("simulator: leak at sensor %s (%s)", sim.id, sim.key)

    def _leak_level(self, sim: Simulated, now: float) -> float:
        """0 -> 1 -> 0 over the leak's duration: a rise, a plateau above level 2, and a slower recession."""
        if self._leak is None or self._leak[0] is not sim:
            return 0.0
        x = (now - self._leak[1]) * self.rate / LEAK_SECONDS
        if x >= 1:
            self._leak = None
            return 0.0
        return min(1.0, 4 * x) if x < 0.5 else min(1.0, 2 * (1 - x))

    def _start_silence(self, now: float) -> None:
        if self.sensors:
            sim = self._random.choice(self.sensors)
            self._silent = (sim, now + 5 * sim.period / self.rate)
            log.info("simulator: sensor %s (%s) goes silent", sim.id, sim.key)

    def _is_silent(self, sim: Simulated, now: float) -> bool:
        if self._silent is None or self._silent[0] is not sim:
            return False
        if now >= self._silent[1]:
            self._silent = None
            return False
        return True


def make_sink(mqtt_url: str = "", http_base_url: str = ""):
    return MqttSink(mqtt_url) if mqtt_url else HttpSink(http_base_url)


def run_in_background(base_url: str) -> None:
    """Feed the demo: over MQTT when SEMIPARK_MQTT_URL is set (with an ingest worker here), else over HTTP."""
    try:
        if settings.MQTT_URL:
            from .mqtt import Worker

            # One persistent session per installation: two demos on one broker must not take each other's.
            installation = hashlib.sha256(str(settings.DATA_DIR).encode()).hexdigest()[:8]
            worker = Worker(
                settings.MQTT_URL,
                client_id=f"semipark-demo-{socket.gethostname()}-{installation}",
                shared_group=settings.MQTT_SHARED_GROUP,
            )
            threading.Thread(target=worker.run, name="demo-ingest", daemon=True).start()
        sink = make_sink(mqtt_url=settings.MQTT_URL, http_base_url=base_url)
        Simulator(sink).run()
    except Exception:
        log.exception("The demo simulator stopped")
