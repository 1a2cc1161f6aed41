"""The supervision API: devices and sensors with their setpoints, series, alarms and their actions, dead letters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from semipark.core.models import AuditEntry
from semipark.supervision.models import Alarm, AlarmRule, DeadLetter, Device, Sensor

API = "/api/v1/supervision"


def test_sensor_carries_topic_key_range_and_setpoints_with_their_source(client_as, plant):
    body = client_as("a_user").get(f"{API}/sensors/{plant['a_sensor'].pk}").json()
    assert body["topic"] == "semipark/kazuo/tongmei/gdc-1/telemetry"
    assert body["publish_key"] == "ash3-1"
    assert (body["range_min"], body["range_max"], body["unit"]) == (0, 1, "ppm")
    high = {sp["level"]: sp for sp in body["setpoints"] if sp["kind"] == "high"}
    assert set(high) == {1, 2}
    assert 0 < high[1]["threshold"] < high[2]["threshold"] <= 1
    assert "GB/T 50493" in high[1]["source"] and high[1]["unit"] == "ppm"


def test_lists_are_scoped_filtered_and_paginated(client_as, plant):
    a = client_as("a_user").get(f"{API}/sensors").json()
    assert [s["id"] for s in a["items"]] == [plant["a_sensor"].pk]
    office = client_as("office").get(f"{API}/sensors?page_size=1").json()
    assert office["count"] == 2 and office["pages"] == 2 and len(office["items"]) == 1
    only_b = client_as("office").get(f"{API}/sensors?enterprise={plant['b_device'].enterprise_id}").json()
    assert [s["id"] for s in only_b["items"]] == [plant["b_sensor"].pk]
    assert client_as("office").get(f"{API}/sensors?substance=ash3").json()["count"] == 2
    assert client_as("office").get(f"{API}/sensors?kind=oxygen").json()["count"] == 0
    assert client_as("a_user").get(f"{API}/devices").json()["items"][0]["sensor_count"] == 1
    assert client_as("a_user").get(f"{API}/sensors/{plant['b_sensor'].pk}").status_code == 404
    assert client_as("a_user").get(f"{API}/devices/{plant['b_device'].pk}").status_code == 404


def test_regulators_outside_emergency_and_ecology_see_nothing(plant, make_user):
    from django.test import Client

    from semipark.core.roles import Department, Role

    client = Client()
    client.force_login(make_user("t-stats", Role.REGULATOR, department=Department.STATISTICS))
    assert client.get(f"{API}/sensors").json()["count"] == 0
    ecology = Client()
    ecology.force_login(make_user("t-eco", Role.REGULATOR, department=Department.ECOLOGY))
    assert ecology.get(f"{API}/sensors").json()["count"] == 2


def test_create_sensor_makes_default_rules_and_an_audit_entry(client_as, plant):
    response = client_as("a_user").post(
        f"{API}/sensors",
        {
            "device": plant["a_device"].pk,
            "key": "h2-1",
            "name": "hydrogen",
            "kind": "combustible_gas",
            "substance": "H2",
            "unit": "%LEL",
            "range_max": 100,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    thresholds = sorted(sp["threshold"] for sp in body["setpoints"] if sp["kind"] == "high")
    assert thresholds == [25, 50]  # GB/T 50493-2019 5.5.2: 25 % and 50 % LEL
    assert AuditEntry.objects.filter(model="supervision.sensor", object_id=str(body["id"]), kind="create").exists()


def test_changing_the_gas_refreshes_the_setpoints(client_as, plant):
    sensor = plant["a_sensor"]
    before = {r.level: r.threshold for r in sensor.rules.filter(kind="high")}
    response = client_as("a_user").patch(
        f"{API}/sensors/{sensor.pk}", {"substance": "PH3"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    after = {sp["level"]: sp["threshold"] for sp in response.json()["setpoints"] if sp["kind"] == "high"}
    assert after != before and "PH3" in response.json()["setpoints"][0]["source"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"range_min": 5, "range_max": 1}, "__all__"),
        ({"x": 5000, "y": 5000}, "x"),
        ({"y": None}, "y"),
    ],
)
def test_bad_sensor_changes_are_refused_and_change_nothing(client_as, plant, body, field):
    sensor = plant["a_sensor"]
    response = client_as("a_user").patch(f"{API}/sensors/{sensor.pk}", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    fresh = Sensor.objects.get(pk=sensor.pk)
    assert (fresh.range_min, fresh.range_max, fresh.x) == (sensor.range_min, sensor.range_max, sensor.x)


def test_a_sensor_cannot_go_on_another_enterprises_device_or_plot(client_as, plant, enterprise_b):
    base = {"key": "x-1", "name": "x", "kind": "oxygen", "substance": "O2", "unit": "%VOL", "range_max": 25}
    on_b = client_as("a_admin").post(
        f"{API}/sensors", {**base, "device": plant["b_device"].pk}, content_type="application/json"
    )
    assert on_b.status_code == 400 and "device" in on_b.json()["errors"]
    b_plot = enterprise_b.plots.first()
    response = client_as("a_admin").post(
        f"{API}/sensors", {**base, "device": plant["a_device"].pk, "plot": b_plot.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "plot" in response.json()["errors"]
    assert not Sensor.objects.filter(key="x-1").exists()


def test_devices_are_created_in_the_callers_enterprise_only(client_as, plant, enterprise_a, enterprise_b):
    own = client_as("a_admin").post(
        f"{API}/devices", {"code": "wwa-1", "name": "water", "kind": "water_analyser"}, content_type="application/json"
    )
    assert own.status_code == 201 and own.json()["enterprise"] == enterprise_a.pk
    assert own.json()["topic"].endswith("/tongmei/wwa-1/telemetry")
    other = client_as("a_admin").post(
        f"{API}/devices",
        {"enterprise": enterprise_b.pk, "code": "evil", "name": "x", "kind": "meter"},
        content_type="application/json",
    )
    assert other.status_code == 403
    duplicate = client_as("a_admin").post(
        f"{API}/devices", {"code": "wwa-1", "name": "again", "kind": "meter"}, content_type="application/json"
    )
    assert duplicate.status_code == 400
    regulator = client_as("regulator").post(
        f"{API}/devices",
        {"code": "r", "name": "r", "kind": "meter", "enterprise": enterprise_a.pk},
        content_type="application/json",
    )
    assert regulator.status_code == 403
    assert not Device.objects.filter(code__in=["evil", "r"]).exists()


def test_override_needs_a_reason_is_audited_and_limited_to_who_may(client_as, plant):
    sensor = plant["a_sensor"]
    rule = AlarmRule.objects.get(sensor=sensor, kind="high", level=1)
    url = f"{API}/sensors/{sensor.pk}/rules/{rule.pk}/override"
    assert (
        client_as("a_admin").post(url, {"threshold": 0.03, "reason": "  "}, content_type="application/json").status_code
        == 400
    )
    assert (
        client_as("a_user").post(url, {"threshold": 0.03, "reason": "x"}, content_type="application/json").status_code
        == 404
    )
    assert (
        client_as("b_admin").post(url, {"threshold": 0.03, "reason": "x"}, content_type="application/json").status_code
        == 404
    )
    response = client_as("a_admin").post(
        url, {"threshold": 0.03, "reason": "tighter site limit"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    level1 = next(sp for sp in response.json() if sp["rule_id"] == rule.pk)
    assert level1["threshold"] == 0.03 and level1["overridden"] and level1["override_reason"] == "tighter site limit"
    entry = AuditEntry.objects.filter(model="supervision.alarmrule", object_id=str(rule.pk)).latest("at")
    assert "tighter site limit" in entry.message


def test_series_reads_minute_rollups_for_a_day_and_hour_rollups_beyond(client_as, plant, add_rollups):
    sensor = plant["a_sensor"]
    add_rollups(sensor, "m", [1, 30, 90, 60 * 25])
    add_rollups(sensor, "h", [2, 24 * 6, 24 * 8])
    client = client_as("a_user")
    hour = client.get(f"{API}/sensors/{sensor.pk}/series?range=1h").json()
    assert len(hour["points"]) == 2 and hour["period"] == "m"
    assert hour["points"][0][1] == pytest.approx(0.01)  # the average is sum / count
    assert len(client.get(f"{API}/sensors/{sensor.pk}/series?range=24h").json()["points"]) == 3
    week = client.get(f"{API}/sensors/{sensor.pk}/series?range=7d").json()
    assert week["period"] == "h" and len(week["points"]) == 2
    assert len(client.get(f"{API}/sensors/{sensor.pk}/series?range=30d").json()["points"]) == 3
    assert {sp["level"] for sp in week["setpoints"] if sp["kind"] == "high"} == {1, 2}
    assert client.get(f"{API}/sensors/{sensor.pk}/series?range=2w").status_code == 400
    assert client_as("b_user").get(f"{API}/sensors/{sensor.pk}/series").status_code == 404


def test_alarm_actions_follow_the_lifecycle(client_as, plant, raise_alarm):
    alarm = raise_alarm(plant["a_sensor"])
    client = client_as("a_user")
    listed = client.get(f"{API}/alarms?level=2").json()
    assert [a["id"] for a in listed["items"]] == [alarm.pk] and listed["items"][0]["sensor"] == plant["a_sensor"].pk
    assert client.get(f"{API}/alarms").json()["count"] == 2  # the value crossed level 1 too
    assert client_as("b_user").get(f"{API}/alarms").json()["count"] == 0
    assert (
        client_as("b_user")
        .post(f"{API}/alarms/{alarm.pk}/acknowledge", {}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        client_as("regulator")
        .post(f"{API}/alarms/{alarm.pk}/acknowledge", {}, content_type="application/json")
        .status_code
        == 403
    )
    response = client.post(
        f"{API}/alarms/{alarm.pk}/acknowledge", {"note": "on my way"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    again = client.post(f"{API}/alarms/{alarm.pk}/acknowledge", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["message"]
    assert client.post(f"{API}/alarms/{alarm.pk}/close", {}, content_type="application/json").status_code == 409
    until = (timezone.now() + timedelta(hours=2)).isoformat()
    shelved = client.post(
        f"{API}/alarms/{alarm.pk}/shelve", {"until": until, "reason": "calibration"}, content_type="application/json"
    )
    assert shelved.status_code == 200 and shelved.json()["state"] == "shelved"
    assert client.post(f"{API}/alarms/{alarm.pk}/unshelve").json()["state"] == "raised"
    detail = client.get(f"{API}/alarms/{alarm.pk}").json()
    assert [h["after"].get("state") for h in detail["history"] if h["kind"] == "transition"][-3:] == [
        "acknowledged",
        "shelved",
        "raised",
    ]
    assert client.get(f"{API}/alarms?status=history").json()["count"] == 0
    assert client.get(f"{API}/alarms?state=shelved").json()["count"] == 0
    assert Alarm.objects.get(pk=alarm.pk).acknowledged_by.username == "t-a-user"


def test_dead_letters_are_scoped(client_as, plant, enterprise_a, enterprise_b):
    for enterprise in (enterprise_a, enterprise_b, None):
        DeadLetter.objects.create(
            transport="mqtt", topic="t", enterprise=enterprise, reason="undecodable", payload="{x"
        )
    assert client_as("a_user").get(f"{API}/dead-letters").json()["count"] == 1
    assert client_as("office").get(f"{API}/dead-letters").json()["count"] == 3
    assert client_as("office").get(f"{API}/dead-letters?enterprise={enterprise_b.pk}").json()["count"] == 1


def test_list_endpoints_have_query_ceilings(client_as, plant, raise_alarm, django_assert_max_num_queries):
    """A page costs a fixed number of queries, plus one per sensor for its setpoints (session and user: 2)."""
    client = client_as("office")
    raise_alarm(plant["a_sensor"])
    with django_assert_max_num_queries(4):
        assert client.get(f"{API}/devices").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"{API}/alarms?status=all").json()["count"] == 2
    with django_assert_max_num_queries(4):
        assert client.get(f"{API}/dead-letters").status_code == 200
    with django_assert_max_num_queries(4 + 2):
        assert client.get(f"{API}/sensors").json()["count"] == 2


def test_device_token_is_shown_once_works_for_ingest_and_is_audited(client_as, plant):
    device = plant["a_device"]
    url = f"{API}/devices/{device.pk}/token"
    assert client_as("b_admin").post(url).status_code == 404
    assert client_as("regulator").post(url).status_code == 404
    body = client_as("a_admin").post(url).json()
    assert body["token"].startswith("spd_") and body["token"][4:12] == body["prefix"]
    assert Device.objects.get(pk=device.pk).token_digest not in ("", body["token"])
    sent = client_as("a_admin").post(
        "/api/v1/ingest",
        {"values": {"ash3-1": 0.001}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {body['token']}",
    )
    assert sent.status_code == 200 and sent.json()["accepted"] == 1
    entry = AuditEntry.objects.filter(model="supervision.device", object_id=str(device.pk)).latest("at")
    assert body["prefix"] in entry.message and body["token"] not in str(entry.after)
