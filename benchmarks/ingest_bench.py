"""End-to-end ingest benchmark: devices -> Mosquitto (QoS 1) -> `semipark ingest` -> SQLite or PostgreSQL.

Usage: python benchmarks/ingest_bench.py [--db sqlite|postgresql ...] [--shape 3|100 ...] [--quick]

For each database and message shape, on servers of its own (a fresh Mosquitto per phase, a fresh PostgreSQL
cluster with durable defaults, or a fresh SQLite file):

1. decode floor: a subscriber that only decodes the same messages through the same kind of broker;
2. pipeline: the ingest worker with alarm rules on every sensor;
3. count check: rows stored == readings sent;
4. insert floor: the same rows bulk-inserted with no processing (COPY / executemany, batches of 5,000);
5. latency: publish-to-alarm p50/p99 while devices publish at half the pipeline's maximum rate.

Throughput is measured by draining a backlog: the consumer connects and subscribes, is paused (SIGSTOP) while the
load generator publishes every message, then resumed (SIGCONT); time runs from the resume to the last reading
stored. CPU is read from /proc for the broker, the consumer and every PostgreSQL process (the benchmark's own
polling connection excluded), over the publish phase (broker only) and the drain; never the load generator.
Prints one JSON line per run and a Markdown table at the end.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from semipark.ingest.mqttclient import Client
from semipark.ingest.tests.servers import Mosquitto, Postgres, semipark

PREFIX = "bench"
TICK = os.sysconf("SC_CLK_TCK")
LEVEL1, LEVEL2, NORMAL, PROBE = 50.0, 100.0, 10.0, 150.0
PROBE_EVERY = 0.2  # seconds: five sensors a second go into alarm, a storm by a park's standards
SHAPES = {  # points a message -> (devices, messages, worker batch in messages)
    3: (1000, 40_000, 2000),
    100: (50, 3_000, 50),
}
SEED = """
from semipark.park import demo
from semipark.park.models import Enterprise
from semipark.supervision.models import AlarmRule, Device, Sensor
demo.load()
enterprise = Enterprise.objects.get(code="tongmei")
devices = Device.objects.bulk_create(
    Device(enterprise=enterprise, code=f"bench-{{d}}", name=f"bench {{d}}", kind="gas_controller")
    for d in range({devices})
)
sensors = Sensor.objects.bulk_create(
    Sensor(device=device, key=f"s{{k}}", name=f"s{{k}}", kind="toxic_gas", unit="ppm", range_max=200,
           period_seconds=3600)
    for device in devices for k in range({points})
)
AlarmRule.objects.bulk_create(
    AlarmRule(sensor=sensor, kind="high", level=level, threshold=threshold, deadband=1)
    for sensor in sensors for level, threshold in ((1, {level1}), (2, {level2}))
)
"""


# --- CPU accounting -----------------------------------------------------------------------------------------


def cpu_seconds(pids) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    return out


def children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return pids


class Meter:
    """CPU seconds used by a set of processes between start() and stop()."""

    def __init__(self, pids_fn):
        self.pids_fn = pids_fn

    def start(self):
        self.before = cpu_seconds(self.pids_fn())
        return self

    def stop(self) -> float:
        after = cpu_seconds(self.pids_fn())
        return sum(after[pid] - self.before.get(pid, 0.0) for pid in after)


# --- databases ----------------------------------------------------------------------------------------------


class Target:
    """A database under test; ``connect()`` gives a DB-API connection with ``execute``."""

    def stored_points(self, db) -> int:
        """Readings stored so far, from the minute rollups (merged in each batch's transaction; cheap to poll,
        unlike counting the readings; the hour rollups lag by up to a minute)."""
        return db.execute("SELECT coalesce(sum(count), 0) FROM supervision_rollup WHERE period = 'm'").fetchone()[0]

    def count_readings(self, db) -> int:
        return db.execute("SELECT count(*) FROM supervision_reading").fetchone()[0]


class SqliteTarget(Target):
    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "semipark.sqlite3"
        self.env = {
            "SEMIPARK_DATA_DIR": str(folder),
            "SEMIPARK_DATABASE_URL": f"sqlite:///{self.path}",
            "SEMIPARK_MQTT_TOPIC_PREFIX": PREFIX,
        }

    def pids(self):
        return []  # the database engine runs inside the consumer process

    def connect(self):
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def bulk_insert(self, db, rows, batch=5000):
        db.execute("DELETE FROM supervision_reading")
        db.commit()
        sql = "INSERT INTO supervision_reading (sensor_id, ts, value, out_of_range) VALUES (?, ?, ?, ?)"
        for i in range(0, len(rows), batch):
            db.executemany(sql, [(s, str(t.replace(tzinfo=None)), v, False) for s, t, v in rows[i : i + batch]])
            db.commit()

    def close(self):
        pass


class PostgresTarget(Target):
    name = "postgresql"

    def __init__(self, folder: Path):
        self.server = Postgres().init()
        self.server.start(durable=True)
        self.env = {
            "SEMIPARK_DATA_DIR": str(folder),
            "SEMIPARK_MQTT_TOPIC_PREFIX": PREFIX,
            "SEMIPARK_DATABASE_URL": self.server.url,
        }
        self.postmaster = int((self.server.data / "postmaster.pid").read_text().split()[0])
        self.own_backend = None

    def pids(self):
        return [self.postmaster, *(pid for pid in children(self.postmaster) if pid != self.own_backend)]

    def connect(self):
        import psycopg

        db = psycopg.connect(self.server.url, autocommit=True)
        self.own_backend = db.execute("SELECT pg_backend_pid()").fetchone()[0]
        return db

    def bulk_insert(self, db, rows, batch=5000):
        db.execute("TRUNCATE supervision_reading")
        for i in range(0, len(rows), batch):
            with (
                db.transaction(),
                db.cursor() as cursor,
                cursor.copy(
                    "COPY supervision_reading (sensor_id, ts, value, out_of_range) FROM STDIN (FORMAT BINARY)"
                ) as copy,
            ):
                copy.set_types(["int8", "timestamptz", "float8", "bool"])
                for sensor_id, ts, value in rows[i : i + batch]:
                    copy.write_row((sensor_id, ts, value, False))

    def close(self):
        self.server.remove()


# --- load ---------------------------------------------------------------------------------------------------


class Load:
    """The messages of one run, encoded before any clock starts."""

    def __init__(self, points: int, devices: int, messages: int, t0: datetime, encode_all: bool = True):
        self.points, self.devices, self.messages, self.t0 = points, devices, messages, t0
        self.topics = [f"{PREFIX}/kazuo/tongmei/bench-{d}/telemetry" for d in range(devices)]
        self.keys = [f"s{k}" for k in range(points)]
        self.payloads = [self.encode(i) for i in range(messages)] if encode_all else []

    def ts(self, i: int) -> datetime:
        return self.t0 + timedelta(milliseconds=i // self.devices)

    def encode(self, i: int, probe_key: str | None = None) -> tuple[str, bytes]:
        values = {key: NORMAL + (i + k) % 7 * 0.1 for k, key in enumerate(self.keys)}
        if probe_key:
            values[probe_key] = PROBE
        doc = {"ts": int(self.ts(i).timestamp() * 1000), "values": values}
        return self.topics[i % self.devices], orjson.dumps(doc)

    def rows(self, sensor_ids: dict[tuple[int, str], int]):
        return [
            (sensor_ids[(i % self.devices, key)], self.ts(i), NORMAL + (i + k) % 7 * 0.1)
            for i in range(self.messages)
            for k, key in enumerate(self.keys)
        ]


def publisher(port: int) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def publish_all(port: int, payloads) -> None:
    client = publisher(port)
    done = threading.Event()
    acked = [0]

    def on_publish(client, userdata, mid, reason, properties):
        acked[0] += 1
        if acked[0] == len(payloads):
            done.set()

    client.on_publish = on_publish
    for topic, payload in payloads:
        client.publish(topic, payload, qos=1)
    done.wait(600)
    client.disconnect()
    client.loop_stop()


# --- phases -------------------------------------------------------------------------------------------------


def decode_floor(load: Load, folder: Path) -> dict:
    """The same messages through a fresh broker to a subscriber that only decodes them."""
    broker = Mosquitto(folder / "broker-floor").start()
    try:
        consumer = _python_child(["--decode-subscriber", str(broker.port), str(load.messages)])
        _wait_line(consumer, "subscribed")
        consumer.send_signal(signal.SIGSTOP)
        broker_meter = Meter(lambda: [broker.process.pid]).start()
        publish_all(broker.port, load.payloads)
        broker_publish_cpu = broker_meter.stop()
        meter = Meter(lambda: [broker.process.pid, consumer.pid]).start()
        start = time.monotonic()
        consumer.send_signal(signal.SIGCONT)
        _wait_line(consumer, "done")
        elapsed = time.monotonic() - start
        cpu = meter.stop() + broker_publish_cpu
        consumer.wait(10)
    finally:
        broker.stop()
    points = load.messages * load.points
    return {"points": points, "seconds": elapsed, "points_per_s": points / elapsed, "cpu_s": cpu}


def pipeline_run(load: Load, target, folder: Path, batch_messages: int) -> tuple[dict, object, Mosquitto]:
    broker = Mosquitto(folder / "broker-pipeline").start()
    db = target.connect()
    worker = semipark(
        ["ingest", "--url", broker.url, "--client-id", "bench-worker", "--batch-messages", str(batch_messages)],
        target.env,
        log=folder / "worker.log",
        wait=False,
    )
    # Subscribed once a probe reading (sent again until then) is stored.
    probe_client = publisher(broker.port)
    probe_topic, probe_payload = Load(1, 1, 1, load.t0 - timedelta(days=1)).encode(0)
    while target.stored_points(db) < 1:
        probe_client.publish(probe_topic, probe_payload, qos=1)
        time.sleep(0.5)
    probe_client.disconnect()
    baseline = target.stored_points(db)
    worker.send_signal(signal.SIGSTOP)
    broker_meter = Meter(lambda: [broker.process.pid]).start()
    publish_all(broker.port, load.payloads)
    broker_publish_cpu = broker_meter.stop()
    meter = Meter(lambda: [broker.process.pid, worker.pid, *target.pids()]).start()
    start = time.monotonic()
    worker.send_signal(signal.SIGCONT)
    points = load.messages * load.points
    while target.stored_points(db) < baseline + points:
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    cpu = meter.stop() + broker_publish_cpu
    stored = target.count_readings(db) - baseline
    return (
        {"points": points, "seconds": elapsed, "points_per_s": points / elapsed, "cpu_s": cpu, "stored": stored},
        (worker, db),
        broker,
    )


def latency_run(load: Load, target, db, broker: Mosquitto, rate_points: float, seconds: float = 12.0) -> dict:
    """Devices publish at ``rate_points`` points/s; every PROBE_EVERY s one message carries a level 2 value on a
    fresh sensor (raising its level 1 and level 2 alarms). The devices run in a child process at the lowest CPU
    priority: on the real site they are other machines, here they must not starve the platform they measure."""
    child = _python_child(
        [
            "--paced-publisher",
            str(broker.port),
            str(load.points),
            str(load.devices),
            str(load.messages),
            load.t0.isoformat(),
            str(rate_points),
            str(seconds),
        ]
    )
    sent_at = {(d, key): t for d, key, t in json.loads(child.stdout.read())}
    child.wait(30)
    time.sleep(3)
    created = _alarm_times(target, db)
    latencies = sorted((created[d] - t) * 1000 for d, t in sent_at.items() if d in created)
    lost = len(sent_at) - len(latencies)
    return {
        "rate_points_per_s": rate_points,
        "probes": len(sent_at),
        "alarms_missing": lost,
        "p50_ms": statistics.median(latencies) if latencies else None,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else None,
        "max_ms": latencies[-1] if latencies else None,
    }


def paced_publisher(port: int, load: Load, rate_points: float, seconds: float) -> None:
    """Child process: publish at the rate with probes, then print [[device, key, publish time], ...]."""
    os.nice(19)
    # No network thread: publish() writes to the socket at once, so the time taken is when the probe leaves.
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    messages_per_s = rate_points / load.points
    sent_at = []
    start = time.time()
    i = load.messages  # continue after the throughput run's timestamps
    next_probe = start
    probes = 0
    while time.time() - start < seconds:
        due = int((time.time() - start) * messages_per_s) + load.messages
        while i < due:
            device, key = probes % load.devices, load.keys[probes // load.devices % load.points]
            probe = time.time() >= next_probe and i % load.devices == device and probes < load.devices * load.points
            topic, payload = load.encode(i, probe_key=key if probe else None)
            if probe:
                sent_at.append((device, key, time.time()))
                probes += 1
                next_probe += PROBE_EVERY
            client.publish(topic, payload, qos=1)
            i += 1
        client.loop(timeout=0.002)  # acknowledgements in, queued publishes out
    client.disconnect()
    print(json.dumps(sent_at), flush=True)


def _alarm_times(target, db) -> dict[tuple[int, str], float]:
    sql = (
        "SELECT d.code, s.key, a.created FROM supervision_alarm a JOIN supervision_sensor s ON s.id = a.sensor_id "
        "JOIN supervision_device d ON d.id = s.device_id WHERE a.level = 2"
    )
    out = {}
    for code, key, created in db.execute(sql).fetchall():
        if isinstance(created, str):
            created = datetime.fromisoformat(created).replace(tzinfo=UTC)
        out[(int(code.split("-")[1]), key)] = created.timestamp()
    return out


def insert_floor(load: Load, target, db) -> dict:
    ids = {}
    for code, key, sensor_id in db.execute(
        "SELECT d.code, s.key, s.id FROM supervision_sensor s JOIN supervision_device d ON d.id = s.device_id"
    ).fetchall():
        ids[(int(code.split("-")[1]), key)] = sensor_id
    rows = load.rows(ids)
    target.own_backend = None  # this time the benchmark's connection does the work: count it
    meter = Meter(target.pids).start()
    own = time.process_time()
    start = time.monotonic()
    target.bulk_insert(db, rows)
    elapsed = time.monotonic() - start
    cpu = meter.stop() + time.process_time() - own
    return {"points": len(rows), "seconds": elapsed, "points_per_s": len(rows) / elapsed, "cpu_s": cpu}


# --- helpers ------------------------------------------------------------------------------------------------


def _python_child(args):
    import subprocess

    return subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)


def _wait_line(process, word: str) -> None:
    for line in process.stdout:
        if line.strip() == word:
            return
    raise RuntimeError(f"child exited before saying {word!r}")


def decode_subscriber(port: int, expected: int) -> None:
    """Child process: subscribe at QoS 1 with a persistent session, decode every message, say when done."""
    received = [0]
    done = threading.Event()
    subscribed = threading.Event()

    def on_connect(client, userdata, flags, reason_code, properties):
        client.subscribe(f"{PREFIX}/+/+/+/telemetry", qos=1)

    def on_subscribe(client, userdata, mid, reason_codes, properties):
        subscribed.set()

    def on_message(client, userdata, msg):
        orjson.loads(msg.payload)
        received[0] += 1
        if received[0] >= expected:
            done.set()

    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    # The worker's own MQTT client class (paho with read-ahead), so the floor differs only by the pipeline.
    client = Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-floor", protocol=mqtt.MQTTv5)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = 65535
    client.connect("127.0.0.1", port, clean_start=False, properties=props)
    client.loop_start()
    subscribed.wait(30)
    print("subscribed", flush=True)
    done.wait(600)
    print("done", flush=True)
    os._exit(0)


def run(db_name: str, points: int, quick: bool) -> dict:
    devices, messages, batch = SHAPES[points]
    if quick:
        messages //= 10
    folder = Path(tempfile.mkdtemp(prefix=f"semipark-bench-{db_name}-{points}-"))
    target = SqliteTarget(folder) if db_name == "sqlite" else PostgresTarget(folder)
    worker = None
    try:
        semipark(["migrate", "-v0"], target.env)
        seed = SEED.format(devices=devices, points=points, level1=LEVEL1, level2=LEVEL2)
        semipark(["shell", "-c", seed], target.env)
        load = Load(points, devices, messages, datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30))
        floor = decode_floor(load, folder)
        result, (worker, db), broker = pipeline_run(load, target, folder, batch)
        latency = latency_run(load, target, db, broker, rate_points=result["points_per_s"] / 2)
        worker.terminate()
        worker.wait(20)
        broker.stop()
        inserts = insert_floor(load, target, db)
    finally:
        if worker and worker.poll() is None:
            worker.kill()
        target.close()
        shutil.rmtree(folder, ignore_errors=True)
    lower = min(floor["points_per_s"], inserts["points_per_s"])
    return {
        "db": db_name,
        "points_per_message": points,
        "pipeline": result,
        "points_per_cpu_s": result["points"] / result["cpu_s"],
        "decode_floor": floor,
        "insert_floor": inserts,
        "ratio_to_lower_floor": result["points_per_s"] / lower,
        "count_check": {
            "sent": result["points"],
            "stored": result["stored"],
            "ok": result["stored"] == result["points"],
        },
        "latency": latency,
    }


def table(results) -> str:
    head = (
        "| database | points/msg | points/s | points per CPU-s | decode floor points/s | insert floor points/s "
        "| ratio to lower floor | p50 / p99 publish-to-alarm (ms) | stored = sent |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in results:
        lat = r["latency"]
        lines.append(
            f"| {r['db']} | {r['points_per_message']} | {r['pipeline']['points_per_s']:,.0f} "
            f"| {r['points_per_cpu_s']:,.0f} | {r['decode_floor']['points_per_s']:,.0f} "
            f"| {r['insert_floor']['points_per_s']:,.0f} | {r['ratio_to_lower_floor']:.2f} "
            f"| {lat['p50_ms']:.0f} / {lat['p99_ms']:.0f} "
            f"| {r['count_check']['stored']:,} = {r['count_check']['sent']:,} "
            f"{'yes' if r['count_check']['ok'] else 'NO'} |"
        )
    return "\n".join(lines)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--decode-subscriber":
        decode_subscriber(int(sys.argv[2]), int(sys.argv[3]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--paced-publisher":
        port, points, devices, messages = (int(a) for a in sys.argv[2:6])
        load = Load(points, devices, messages, datetime.fromisoformat(sys.argv[6]), encode_all=False)
        paced_publisher(port, load, float(sys.argv[7]), float(sys.argv[8]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--shape", nargs="+", type=int, default=[3, 100], choices=sorted(SHAPES))
    parser.add_argument("--quick", action="store_true", help="a tenth of the messages (a smoke run)")
    args = parser.parse_args()
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}")
    results = []
    for db_name in args.db:
        for points in args.shape:
            result = run(db_name, points, args.quick)
            print(json.dumps(result), flush=True)
            results.append(result)
    print(table(results))


if __name__ == "__main__":
    main()
