"""Notifications: the console feed scoped per user, and webhooks POSTed to a real local HTTP server."""

import hashlib
import hmac
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from semipark.supervision import alarms, notify
from semipark.supervision.engine import AlarmEngine
from semipark.supervision.models import Webhook

from .alarm_helpers import at, make_sensor, rule_of


@pytest.fixture
def sensors(enterprise_a, enterprise_b):
    return (
        make_sensor(enterprise_a, "ash3-1", substance="AsH3", range_max=1),
        make_sensor(enterprise_b, "hcl-1", substance="HCl", range_max=20),
    )


@pytest.mark.django_db
def test_latest_events_are_scoped_and_follow_the_cursor(sensors, people):
    a, b = sensors
    raised_a = alarms.raise_alarm(rule_of(a).pk, at(0), 0.5)
    raised_b = alarms.raise_alarm(rule_of(b).pk, at(1), 6.0)
    seen = {who: notify.latest_events(people[who], 0) for who in ("a_user", "b_user", "office", "regulator")}
    assert [e["alarm_id"] for e in seen["a_user"]] == [raised_a.pk]
    assert [e["alarm_id"] for e in seen["b_user"]] == [raised_b.pk]
    assert [e["alarm_id"] for e in seen["office"]] == [raised_a.pk, raised_b.pk]  # each event once
    assert [e["alarm_id"] for e in seen["regulator"]] == [raised_a.pk, raised_b.pk]
    assert "通美" in seen["office"][0]["message"] and seen["a_user"][0]["level"] == 1
    cursor = seen["office"][-1]["id"]
    assert notify.latest_events(people["office"], cursor) == []
    alarms.acknowledge(people["a_user"], raised_a, "on it")
    (event,) = notify.latest_events(people["office"], cursor)
    assert (event["alarm_id"], event["state"]) == (raised_a.pk, "acknowledged")
    assert notify.latest_events(people["b_user"], seen["b_user"][-1]["id"]) == []


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))
        self.send_response(self.server.status)
        self.end_headers()
        self.server.arrived.set()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received, server.status, server.arrived = [], 204, threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url(server):
    return f"http://127.0.0.1:{server.server_address[1]}/hook"


@pytest.mark.django_db(transaction=True)
def test_webhooks_post_signed_json_after_commit(sensors, enterprise_a, enterprise_b, receiver):
    a, _ = sensors
    Webhook.objects.create(enterprise=enterprise_a, url=url(receiver), secret="s3cret")
    Webhook.objects.create(enterprise=None, url=url(receiver), secret="office-secret")
    Webhook.objects.create(enterprise=enterprise_b, url=url(receiver), secret="other")  # not B's alarm
    engine = AlarmEngine()
    engine.reload()
    engine.apply(engine.evaluate([(a.pk, at(0), 0.5, False)]))  # above level 1 and level 2 of AsH3
    assert notify.flush(timeout=10)
    assert len(receiver.received) == 4  # two alarms x (enterprise A's hook + the office's)
    secrets = {"s3cret": 0, "office-secret": 0}
    for headers, body in receiver.received:
        data = json.loads(body)
        assert data["event"] == "raised" and data["sensor"]["key"] == "ash3-1"
        assert data["enterprise"]["code"] == "tongmei" and data["alarm"]["level"] in (1, 2)
        assert headers["X-Semipark-Event"] == "raised"
        signature = headers["X-Semipark-Signature"]
        matches = [
            s for s in secrets if signature == "sha256=" + hmac.new(s.encode(), body, hashlib.sha256).hexdigest()
        ]
        assert len(matches) == 1
        secrets[matches[0]] += 1
    assert secrets == {"s3cret": 2, "office-secret": 2}


@pytest.mark.django_db(transaction=True)
def test_nothing_is_posted_when_the_transaction_rolls_back(sensors, enterprise_a, receiver):
    from django.db import transaction

    a, _ = sensors
    Webhook.objects.create(enterprise=enterprise_a, url=url(receiver), secret="s")
    with pytest.raises(RuntimeError), transaction.atomic():
        alarms.raise_alarm(rule_of(a).pk, at(0), 0.5)
        raise RuntimeError("ingest batch failed")
    assert notify.flush(timeout=5)
    assert receiver.received == []


@pytest.mark.django_db(transaction=True)
@override_settings(WEBHOOK_TIMEOUT_SECONDS=0.3)
def test_failing_webhooks_are_logged_and_never_break_ingest(sensors, enterprise_a, receiver, caplog):
    a, _ = sensors
    receiver.status = 500
    Webhook.objects.create(enterprise=enterprise_a, url=url(receiver), secret="s")
    Webhook.objects.create(enterprise=None, url="http://127.0.0.1:9/closed-port", secret="s")
    with caplog.at_level(logging.WARNING, logger="semipark.supervision.notify"):
        alarm = alarms.raise_alarm(rule_of(a).pk, at(0), 0.5)
        assert alarm is not None
        assert notify.flush(timeout=10)
    failures = [r.getMessage() for r in caplog.records if "webhook" in r.getMessage()]
    assert len(failures) == 2 and any("500" in f for f in failures)


@pytest.mark.django_db(transaction=True)
@override_settings(WEBHOOK_TIMEOUT_SECONDS=0.5)
def test_a_hanging_receiver_does_not_hold_up_the_transition(sensors, enterprise_a, caplog):
    import socket
    import time

    a, _ = sensors
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection and never answers
    try:
        Webhook.objects.create(enterprise=enterprise_a, url=f"http://127.0.0.1:{listener.getsockname()[1]}/", secret="")
        started = time.monotonic()
        assert alarms.raise_alarm(rule_of(a).pk, at(0), 0.5) is not None
        assert time.monotonic() - started < 0.5  # the POST runs in the background
        with caplog.at_level(logging.WARNING, logger="semipark.supervision.notify"):
            assert notify.flush(timeout=10)
        assert any("timed out" in r.getMessage().lower() for r in caplog.records)
    finally:
        listener.close()
