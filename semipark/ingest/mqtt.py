"""The MQTT ingest worker: QoS 1, a persistent session, batches acknowledged only once they are committed.

A message is acknowledged (PUBACK) after the transaction holding its readings has committed. If the worker dies
before that, the broker keeps the message in the session and delivers it again on reconnection; the readings'
key (sensor, ts) makes the second delivery harmless. With ``shared_group`` the worker joins the MQTT v5 shared
subscription ``$share/<group>/...`` so several workers split the load (see docs/ingest.md for ordering).
"""

import logging
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from . import partitions
from .alarming import AlarmStage
from .mqttclient import Client
from .pipeline import Message, Pipeline
from .store import HourRollups

log = logging.getLogger(__name__)

# The database is away (stopped, restarting, network): keep the batch and retry. Any other database error is
# about the data and is handled like any unexpected failure: message by message, into dead letters.
_CONNECTION_LOST = (OperationalError, InterfaceError)
SESSION_EXPIRY_SECONDS = 7 * 24 * 3600  # the broker keeps unacknowledged messages this long while we are away
RECEIVE_MAXIMUM = 65_535  # unacknowledged messages the broker may send ahead: room for a batch being committed
PERIODIC_SECONDS = 5.0
PARTITION_CHECK_SECONDS = 3600.0
HOUR_ROLLUP_SECONDS = 60.0  # how far the hour rollups (7-day and longer charts) may lag the minute rollups
HOUR_ROLLUP_CATCH_UP = timedelta(hours=2)  # hours recomputed at start, for what a killed run left unflushed


def topic_filter(shared_group: str = "") -> str:
    base = f"{settings.MQTT_TOPIC_PREFIX}/+/+/+/telemetry"
    return f"$share/{shared_group}/{base}" if shared_group else base


@dataclass
class Stats:
    messages: int = 0
    batches: int = 0
    retries: int = 0
    connects: int = 0
    acked: int = 0
    last_error: str = ""
    since: float = field(default_factory=time.monotonic)


class Worker:
    def __init__(
        self,
        url: str,
        client_id: str,
        shared_group: str = "",
        batch_messages: int = 2000,
        batch_seconds: float = 0.01,
        pipeline: Pipeline | None = None,
        filters: list[str] | None = None,
    ):
        self.url = urlsplit(url or "mqtt://127.0.0.1:1883")
        self.client_id = client_id
        # Explicit filters shard the devices between workers by topic (e.g. one enterprise each) on brokers
        # whose shared subscriptions do not keep a topic on one worker.
        self.filters = (
            [f"$share/{shared_group}/{f}" if shared_group else f for f in filters]
            if filters
            else [topic_filter(shared_group)]
        )
        self.batch_messages = batch_messages
        self.batch_seconds = batch_seconds
        # The engine's refresh and the periodic jobs run on a housekeeping thread, off the batch path.
        self.pipeline = pipeline or Pipeline(alarms=AlarmStage(background=True), hours=HourRollups())
        self.stats = Stats()
        self.subscribed = threading.Event()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._stop = threading.Event()
        self._client = self._make_client()

    # --- MQTT side (paho's network thread) ---------------------------------------------------------------

    def _make_client(self) -> mqtt.Client:
        client = Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if self.url.username:
            client.username_pw_set(self.url.username, self.url.password)
        if self.url.scheme == "mqtts":
            client.tls_set()
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("MQTT connection refused: %s", reason_code)
            return
        self.stats.connects += 1
        log.info("Connected to MQTT (session present: %s), subscribing to %s", flags.session_present, self.filters)
        client.subscribe([(f, 1) for f in self.filters])

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        failed = [code for code in reason_codes if code.is_failure]
        if failed:
            log.error("Subscription to %s refused: %s", self.filters, failed)
            return
        self.subscribed.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.subscribed.clear()
        if not self._stop.is_set():
            log.warning("MQTT connection lost (%s); reconnecting", reason_code)

    def _on_message(self, client, userdata, msg):
        self._inbox.put((msg.topic, msg.payload, msg.mid))

    # --- processing side (the caller's thread) --------------------------------------------------------------

    def run(self) -> None:
        """Consume until stop() is called; never returns on bad input or a lost broker or database."""
        connect = Properties(PacketTypes.CONNECT)
        connect.SessionExpiryInterval = SESSION_EXPIRY_SECONDS
        connect.ReceiveMaximum = RECEIVE_MAXIMUM
        self._client.connect_async(
            self.url.hostname or "127.0.0.1",
            self.url.port or 1883,
            keepalive=60,
            clean_start=False,
            properties=connect,
        )
        self._client.loop_start()
        self._next_periodic = self._next_hours = time.monotonic()
        # First the hours a previous run noted but had not recomputed when it stopped (killed, say).
        self._catch_up = timezone.now() - HOUR_ROLLUP_CATCH_UP
        # SQLite has one writer and stalls when a second connection works beside the batches: inline there.
        housekeeper = None
        if connection.vendor != "sqlite":
            housekeeper = threading.Thread(target=self._housekeep, name="ingest-housekeeping", daemon=True)
            housekeeper.start()
        next_partitions = time.monotonic()
        try:
            while not self._stop.is_set():
                batch = self._collect()
                if batch:
                    self._commit(batch)
                if housekeeper is None:
                    self._housekeeping_round(0)
                now = time.monotonic()
                if now >= next_partitions:
                    next_partitions = now + PARTITION_CHECK_SECONDS
                    self._guarded(partitions.ensure_partitions)
        finally:
            self._stop.set()
            if housekeeper is not None:
                housekeeper.join()
            else:
                self._final_housekeeping()
            self._client.disconnect()
            self._client.loop_stop()

    def _housekeep(self) -> None:
        """The housekeeping thread (its own database connection): see _housekeeping_round."""
        try:
            while not self._stop.is_set():
                wait = max(0.0, min(self._next_periodic - time.monotonic(), 0.5))  # 0.5: notice stop() soon
                if not self._housekeeping_round(wait):
                    self._stop.wait(1.0)
        finally:
            self._final_housekeeping()

    def _housekeeping_round(self, wait: float) -> bool:
        """Periodic jobs every 5 s, hour rollups about once a minute, and an alarm-engine snapshot when asked for
        (waiting up to ``wait`` for the request); False when the snapshot could not be read."""
        now = time.monotonic()
        if now >= self._next_periodic:
            self._next_periodic = now + PERIODIC_SECONDS
            self._guarded(_run_periodic)
        hours = self.pipeline.hours
        if hours is not None and now >= self._next_hours:
            self._next_hours = now + HOUR_ROLLUP_SECONDS
            if self._guarded(hours.flush, self._catch_up):
                self._catch_up = None
        return self._guarded(self.pipeline.alarms.fetch_if_requested, wait)

    def _final_housekeeping(self) -> None:
        if self.pipeline.hours is not None:
            self._guarded(self.pipeline.hours.flush)
        connection.close()

    def stop(self, *args) -> None:
        self._stop.set()

    def _collect(self) -> list[tuple]:
        """Messages for one batch: up to batch_messages, or whatever came within batch_seconds of the first."""
        try:
            first = self._inbox.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.batch_seconds
        while len(batch) < self.batch_messages:
            try:
                batch.append(self._inbox.get_nowait())
            except queue.Empty:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    batch.append(self._inbox.get(timeout=remaining))
                except queue.Empty:
                    break
        return batch

    def _commit(self, batch: list[tuple]) -> None:
        """Process the batch until it is committed (retrying while the database is away), then acknowledge it."""
        messages = [Message(payload=payload, topic=topic) for topic, payload, _ in batch]
        delay = 0.2
        while True:
            try:
                self.pipeline.process(messages)
                break
            except _CONNECTION_LOST as exc:
                self._database_lost(exc, delay)
                delay = min(delay * 2, 10.0)
            except Exception as exc:
                log.exception("Batch failed; processing its messages one by one")
                self.stats.last_error = repr(exc)
                if self._one_by_one(messages):
                    break
            if self._stop.is_set():
                return  # not acknowledged: the broker delivers these again after the restart
        for _, _, mid in batch:
            self._client.ack(mid, 1)
        self.stats.acked += len(batch)
        self.stats.messages += len(batch)
        self.stats.batches += 1

    def _one_by_one(self, messages: list[Message]) -> bool:
        """A batch broke on something unexpected: isolate the message that does it and keep it as a dead letter."""
        from .pipeline import dead_letter_for

        try:
            for message in messages:
                try:
                    self.pipeline.process([message])
                except _CONNECTION_LOST:
                    raise
                except Exception as exc:
                    log.exception("Message on %s could not be processed", message.topic)
                    dead_letter_for(message, f"could not be processed: {exc!r}")
        except _CONNECTION_LOST as exc:
            self._database_lost(exc, 0.5)
            return False
        return True

    def _database_lost(self, exc: Exception, delay: float) -> None:
        self.stats.retries += 1
        self.stats.last_error = repr(exc)
        log.warning("Database unavailable (%s); retrying the batch in %.1f s", exc, delay)
        _reset_connection()
        self._stop.wait(delay)

    def _guarded(self, job, *args) -> bool:
        """Run a housekeeping job; a failure is logged (the job runs again on its next round), never raised."""
        try:
            job(*args)
            return True
        except _CONNECTION_LOST as exc:
            log.warning("Periodic job skipped, database unavailable: %s", exc)
            _reset_connection()
        except Exception:
            log.exception("Periodic job failed")
        return False

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)


def _run_periodic() -> None:
    """Escalations, communication faults and shelving expiry, when the supervision app provides them.

    They raise only communication faults (which the engine does not evaluate) and move alarms between open states,
    so the engine's picture of which alarms are open stays right without a reload.
    """
    try:
        from semipark.supervision.jobs import run_periodic
    except ImportError:
        return
    run_periodic()


def _reset_connection() -> None:
    try:
        connection.close()
    except Exception:  # a broken connection may fail to close; it is dropped either way
        log.debug("closing a broken database connection failed", exc_info=True)
    close_old_connections()
