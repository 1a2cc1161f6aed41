"""Supervision pages: console, points, alarm actions from the list, devices and sensors forms, dead letters."""

import pytest
from django.utils import timezone

from semipark.supervision.models import Alarm, DeadLetter, Device, Sensor


def test_console_draws_own_points_only(client_as, plant):
    page = client_as("a_user").get("/supervision/")
    assert page.status_code == 200
    points = page.context["plan"]["points"]
    assert [p["id"] for p in points] == [plant["a_sensor"].pk]
    assert "金美镓业 arsine" not in page.content.decode()
    office = client_as("office").get("/supervision/").context["plan"]["points"]
    assert {p["id"] for p in office} == {plant["a_sensor"].pk, plant["b_sensor"].pk}


def test_points_are_coloured_by_state(client_as, plant, raise_alarm):
    sensor = plant["a_sensor"]
    assert client_as("a_user").get("/supervision/points/").json()["points"][0]["code"] == "silent"  # no reading yet
    Sensor.objects.filter(pk=sensor.pk).update(last_value=0.001, last_ts=timezone.now())
    assert client_as("a_user").get("/supervision/points/").json()["points"][0]["code"] == "normal"
    raise_alarm(sensor)
    point = client_as("a_user").get("/supervision/points/").json()["points"][0]
    assert (point["code"], point["colour"]) == ("level2", "#c92a2a")


def test_acknowledge_from_the_list_with_htmx(client_as, plant, raise_alarm):
    alarm = raise_alarm(plant["a_sensor"])
    client = client_as("a_user")
    url = f"/supervision/alarms/{alarm.pk}/acknowledge/"
    response = client.post(url, {"note": "checked the hall"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    alarm.refresh_from_db()
    assert (alarm.state, alarm.note, alarm.acknowledged_by.username) == ("acknowledged", "checked the hall", "t-a-user")
    assert f'data-alarm="{alarm.pk}"' in response.content.decode()
    again = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and 'data-testid="alarm-error"' in again.content.decode()


def test_regulators_read_alarms_but_cannot_act(client_as, plant, raise_alarm):
    alarm = raise_alarm(plant["a_sensor"])
    client = client_as("regulator")
    assert client.get(f"/supervision/alarms/{alarm.pk}/").status_code == 200
    assert 'data-testid="acknowledge"' not in client.get("/supervision/alarms/active/").content.decode()
    assert client.post(f"/supervision/alarms/{alarm.pk}/acknowledge/").status_code == 403
    assert client_as("b_user").post(f"/supervision/alarms/{alarm.pk}/acknowledge/").status_code == 404
    alarm.refresh_from_db()
    assert alarm.state == "raised"


def test_alarm_page_shows_its_history_and_the_actions_its_state_allows(client_as, plant, raise_alarm):
    alarm = raise_alarm(plant["a_sensor"])
    client = client_as("a_admin")
    client.post(f"/supervision/alarms/{alarm.pk}/acknowledge/", {"note": "seen"})
    page = client.get(f"/supervision/alarms/{alarm.pk}/").content.decode()
    assert "seen" in page and "t-a-admin" in page
    history = client.get(f"/supervision/alarms/{alarm.pk}/").context["history"]
    assert [entry.after.get("state") for entry in history if entry.kind == "transition"][-1] == "acknowledged"
    # Only what the state allows is offered: no second acknowledgement, but shelving.
    assert f"/alarms/{alarm.pk}/acknowledge/" not in page and f"/alarms/{alarm.pk}/shelve/" in page
    assert (
        'data-testid="alarm-actions"'
        not in client_as("regulator").get(f"/supervision/alarms/{alarm.pk}/").content.decode()
    )


def test_shelving_needs_a_time(client_as, plant, raise_alarm):
    alarm = raise_alarm(plant["a_sensor"])
    response = client_as("a_user").post(f"/supervision/alarms/{alarm.pk}/shelve/", {"until": "soon", "note": "x"})
    assert response.status_code == 302
    alarm.refresh_from_db()
    assert alarm.state == "raised"


def test_device_and_sensor_forms(client_as, plant, enterprise_a):
    client = client_as("a_admin")
    response = client.post(
        "/supervision/devices/new/", {"code": "pm-1", "name": "meter", "kind": "meter", "active": "on"}
    )
    assert response.status_code == 302
    device = Device.objects.get(code="pm-1")
    assert device.enterprise == enterprise_a
    plot = enterprise_a.plots.order_by("code").first()
    x0, y0 = plot.geometry["coordinates"][0][0]
    data = {
        "device": device.pk,
        "key": "p-total",
        "name": "power",
        "kind": "power",
        "unit": "kW",
        "range_min": 0,
        "range_max": 5000,
        "period_seconds": 30,
        "plot": plot.pk,
        "x": x0 + 1,
        "y": y0 + 1,
        "active": "on",
    }
    assert client.post("/supervision/sensors/new/", data).status_code == 302
    sensor = Sensor.objects.get(key="p-total")
    assert sensor.rules.filter(kind="comm").exists()  # every sensor gets its communication-fault rule
    outside = client.post(f"/supervision/sensors/{sensor.pk}/edit/", {**data, "x": x0 - 50})
    assert outside.status_code == 200, outside.status_code
    assert list(outside.context["form"].errors) == ["x"]  # the point lies outside the plot
    assert Sensor.objects.get(pk=sensor.pk).x == x0 + 1


def test_forms_are_closed_to_readers_and_other_enterprises(client_as, plant):
    assert client_as("regulator").get("/supervision/devices/new/").status_code == 404
    assert client_as("regulator").get(f"/supervision/sensors/{plant['a_sensor'].pk}/edit/").status_code == 404
    assert client_as("b_admin").get(f"/supervision/devices/{plant['a_device'].pk}/edit/").status_code == 404
    form = client_as("a_admin").get("/supervision/sensors/new/").context["form"]
    assert list(form.fields["device"].queryset) == [plant["a_device"]]
    assert {p.enterprise_id for p in form.fields["plot"].queryset} == {plant["a_device"].enterprise_id}


def test_sensor_page_offers_overrides_to_admins_only(client_as, plant):
    url = f"/supervision/sensors/{plant['a_sensor'].pk}/"
    assert "rules/" in client_as("a_admin").get(url).content.decode()
    assert "/override/" not in client_as("a_user").get(url).content.decode()
    rule = plant["a_sensor"].rules.get(kind="high", level=1)
    response = client_as("a_admin").post(f"/supervision/rules/{rule.pk}/override/", {"threshold": "abc", "reason": "x"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert not rule.overridden


@pytest.mark.parametrize("who", ["a_user", "office", "regulator"])
def test_dead_letter_view_shows_reason_topic_and_payload(client_as, plant, enterprise_a, enterprise_b, who):
    DeadLetter.objects.create(
        transport="mqtt",
        topic="semipark/kazuo/tongmei/gdc-1/telemetry",
        enterprise=enterprise_a,
        reason="undecodable",
        payload="{not json A",
    )
    DeadLetter.objects.create(
        transport="http", topic="", enterprise=enterprise_b, reason="unknown_key", payload="{not json B"
    )
    page = client_as(who).get("/supervision/dead-letters/").content.decode()
    assert "{not json A" in page and "semipark/kazuo/tongmei/gdc-1/telemetry" in page
    assert ("{not json B" in page) == (who != "a_user")


def test_alarm_history_list_filters(client_as, plant, raise_alarm):
    raise_alarm(plant["a_sensor"])
    page = client_as("a_user").get("/supervision/alarms/?status=active&level=2")
    assert len(page.context["page"]) == 1
    assert len(client_as("a_user").get("/supervision/alarms/?status=history").context["page"]) == 0
    assert Alarm.objects.count() == 2


def test_device_page_issues_a_token_and_shows_it_once(client_as, plant):
    client = client_as("a_user")
    device = plant["a_device"]
    assert client.post(f"/supervision/devices/{device.pk}/token/").status_code == 302
    first = client.get(f"/supervision/devices/{device.pk}/").content.decode()
    assert 'data-testid="new-token"' in first
    assert 'data-testid="new-token"' not in client.get(f"/supervision/devices/{device.pk}/").content.decode()


def test_regulators_of_other_departments_see_no_plant(plant, raise_alarm, make_user):
    from django.test import Client

    from semipark.core.roles import Department, Role

    raise_alarm(plant["a_sensor"])
    client = Client()
    client.force_login(make_user("t-industry", Role.REGULATOR, department=Department.INDUSTRY))
    page = client.get("/supervision/")
    assert page.context["plan"]["points"] == [] and list(page.context["alarms"]) == []
    assert client.get(f"/supervision/sensors/{plant['a_sensor'].pk}/").status_code == 404
    assert b"event:" not in client.get("/supervision/events/?cursor=0.0").content


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), (0.009252084669660038, "0.009252"), (0.5, "0.5"), (20.949, "20.95"), (2400.5, "2400"), (0, "0")],
)
def test_readings_are_shown_with_four_significant_figures(value, shown):
    from semipark.supervision.templatetags.supervision import reading

    assert reading(value) == shown
