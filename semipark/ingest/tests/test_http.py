from datetime import timedelta

import orjson
import pytest
from django.test import Client
from django.utils import timezone

from semipark.ingest.tokens import issue_device_token
from semipark.supervision.models import DeadLetter, Device, Reading

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest"


def post(body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    return Client().post(URL, raw, content_type="application/json", **headers)


def ts(seconds=0):
    return (timezone.now() - timedelta(minutes=1) + timedelta(seconds=seconds)).isoformat()


def test_device_token_stores_readings(device_a):
    token = issue_device_token(device_a)
    response = post([{"ts": ts(), "values": {"ash3": 0.1, "ph3": 0.05}}, {"ts": ts(1), "values": {"h2": 4}}], token)
    assert response.status_code == 200
    assert response.json() == {"accepted": 3, "refused": []}
    assert Reading.objects.count() == 3
    device_a.refresh_from_db()
    assert device_a.token_digest and device_a.token_prefix == token[4:12] and token not in device_a.token_digest


def test_refused_items_are_listed_with_reasons(device_a):
    token = issue_device_token(device_a)
    response = post({"ts": ts(), "values": {"ash3": 0.1, "zzz": 1, "ph3": None}}, token)
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 1
    assert sorted((r["key"], r["reason"]) for r in body["refused"]) == [("ph3", "bad_value"), ("zzz", "unknown_key")]
    assert DeadLetter.objects.filter(transport="http", device=device_a).count() == 2


def test_undecodable_body_is_400_and_kept(device_a):
    token = issue_device_token(device_a)
    response = post(b"{oops", token)
    assert response.status_code == 400
    assert response.json()["refused"][0]["reason"] == "undecodable"
    assert DeadLetter.objects.get().payload == "{oops"


@pytest.mark.parametrize("token", [None, "", "spd_not-a-token"])
def test_without_a_valid_token_nothing_is_stored(device_a, token):
    response = post({"ts": ts(), "values": {"ash3": 0.1}}, token)
    assert response.status_code == 401
    assert Reading.objects.count() == 0


def test_previous_token_stops_working_and_inactive_device_is_refused(device_a):
    old = issue_device_token(device_a)
    new = issue_device_token(device_a)
    assert post({"ts": ts(), "values": {"ash3": 0.1}}, old).status_code == 401
    assert post({"ts": ts(), "values": {"ash3": 0.1}}, new).status_code == 200
    Device.objects.filter(pk=device_a.pk).update(active=False, updated=timezone.now())
    assert post({"ts": ts(1), "values": {"ash3": 0.1}}, new).status_code == 401


def test_user_session_or_user_token_is_not_a_device(device_a, client_as):
    response = client_as("a_admin").post(URL, orjson.dumps({"values": {"ash3": 1}}), content_type="application/json")
    assert response.status_code == 401


def test_a_device_cannot_publish_for_another(device_a, device_b):
    """Device B uses A's keys (which B also has) and a key only A has: only B's own sensors receive data."""
    token_b = issue_device_token(device_b)
    response = post({"ts": ts(), "values": {"ash3": 0.2}}, token_b)
    assert response.json()["accepted"] == 1
    stored = Reading.objects.get()
    assert stored.sensor.device_id == device_b.id
    from semipark.supervision.models import Sensor

    Sensor.objects.create(device=device_a, key="only-a", name="x", kind="toxic_gas", unit="ppm", range_max=5)
    response = post({"ts": ts(2), "values": {"only-a": 1}}, token_b)
    assert response.json()["refused"][0]["reason"] == "unknown_key"
    assert Reading.objects.count() == 1
