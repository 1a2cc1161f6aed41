"""Two ingest-worker processes raising the same alarms at the same moment, on a shared PostgreSQL database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from semipark.core.models import AuditEntry
from semipark.supervision.models import Alarm, Notification

from .alarm_helpers import make_sensor, rule_of

WORKER = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from datetime import UTC, datetime
from semipark.supervision.engine import AlarmEngine
folder, sensor_id = Path(sys.argv[1]), int(sys.argv[2])
engine = AlarmEngine()
engine.reload()
events = engine.evaluate([(sensor_id, datetime(2026, 11, 28, 2, tzinfo=UTC), 12.0, False)])
(folder / f"ready-{os.getpid()}").touch()
while not (folder / "go").exists():
    time.sleep(0.001)
print(len(engine.apply(events)), len(events))
"""


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_make_one_alarm_per_rule(enterprise_a, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("another process cannot open the in-memory SQLite test database (threads cover SQLite)")
    sensor = make_sensor(enterprise_a, "hcl-9", substance="HCl", range_max=20)
    env = os.environ | {
        "SEMIPARK_DATABASE_URL": database_url(),
        "SEMIPARK_DATA_DIR": str(tmp_path),
        "SEMIPARK_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "semipark.settings",
    }
    root = Path(__file__).resolve().parents[3]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path), str(sensor.pk)],
            env=env,
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2:
        assert time.monotonic() < deadline, [w.stderr.read() for w in workers if w.poll() is not None]
        time.sleep(0.01)
    (tmp_path / "go").touch()
    outputs = [w.communicate(timeout=60) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    applied = [tuple(map(int, out.split())) for out, _ in outputs]
    assert all(events == 2 for _, events in applied)  # each worker found level 1 and level 2
    assert sum(raised for raised, _ in applied) == 2  # and each rule was raised by one of them only
    for level in (1, 2):
        assert Alarm.objects.filter(rule=rule_of(sensor, level=level), active=True).count() == 1
    assert Notification.objects.filter(alarm__sensor=sensor).count() == 4
    assert AuditEntry.objects.filter(model="supervision.alarm", message="raise").count() == 2
