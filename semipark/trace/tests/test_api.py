import json
from decimal import Decimal as D

import pytest

from semipark.trace.models import ExportLicence, Lot, Shipment

API = "/api/v1/market"


def post(client, url, body):
    return client.post(API + url, json.dumps(body), content_type="application/json")


def test_register_transform_ship_and_trace_through_the_api(client_as, people, enterprise_a, enterprise_b):
    jinmei, tongmei = client_as("b_user"), client_as("a_user")
    response = post(jinmei, "/lots", {"material": "Ga", "quantity": "30", "code": "GA-API"})
    assert response.status_code == 201, response.content
    gallium = response.json()
    assert gallium["identifier"].endswith("/jinmei/GA-API") and D(gallium["available"]) == 30
    response = post(
        jinmei, "/shipments", {"buyer_id": enterprise_a.pk, "lines": [{"lot_id": gallium["id"], "quantity": "10"}]}
    )
    assert response.status_code == 201, response.content
    received = response.json()["lines"][0]["received_lot_id"]
    arsenic = post(tongmei, "/lots", {"material": "As", "quantity": "20"}).json()
    response = post(
        tongmei,
        "/lots/transformations",
        {
            "process": "grow",
            "inputs": [{"lot_id": received, "quantity": "10"}, {"lot_id": arsenic["id"], "quantity": "10.7"}],
            "outputs": [{"material": "GaAs-crystal", "quantity": "20"}],
        },
    )
    assert response.status_code == 201, response.content
    crystal = response.json()["outputs"][0]["id"]
    trace = tongmei.get(f"{API}/lots/{crystal}/trace?direction=backward").json()
    assert {n["id"] for n in trace["nodes"]} == {crystal, received, arsenic["id"], gallium["id"]}
    theirs = next(n for n in trace["nodes"] if n["id"] == gallium["id"])
    assert theirs["own"] is False and theirs["quantity"] is None and theirs["note"] == ""
    # jinmei sees the lot it shipped, not what tongmei made of it.
    forward = jinmei.get(f"{API}/lots/{gallium['id']}/trace?direction=forward").json()
    assert {n["id"] for n in forward["nodes"]} == {gallium["id"], received}
    assert jinmei.get(f"{API}/lots/{crystal}").status_code == 404
    assert jinmei.get(f"{API}/lots/{received}/events").status_code == 404
    assert len(tongmei.get(f"{API}/lots/{received}/events").json()) == 2


def test_over_consumption_through_the_api_is_400_and_writes_nothing(client_as, people):
    client = client_as("a_user")
    lot = post(client, "/lots", {"material": "Ga", "quantity": "5"}).json()
    before = Lot.objects.count()
    response = post(
        client,
        "/lots/transformations",
        {
            "process": "grow",
            "inputs": [{"lot_id": lot["id"], "quantity": "6"}],
            "outputs": [{"material": "GaAs-crystal", "quantity": "1"}],
        },
    )
    assert response.status_code == 400
    assert "inputs" in response.json()["errors"]
    assert Lot.objects.count() == before


def test_export_without_licence_is_409_with_a_clear_message(client_as, people):
    client = client_as("b_admin")
    lot = post(client, "/lots", {"material": "Ga", "quantity": "5"}).json()
    response = post(
        client,
        "/shipments",
        {"buyer_name": "Acme Inc.", "destination_country": "JP", "lines": [{"lot_id": lot["id"], "quantity": "1"}]},
    )
    assert response.status_code == 409
    assert "export licence" in response.json()["message"] or "许可" in response.json()["message"]
    assert not Shipment.objects.exists()
    response = post(
        client,
        "/licences",
        {
            "number": "L-JP-1",
            "item": "ga-metal",
            "quantity": "2",
            "unit": "kg",
            "destination_country": "JP",
            "end_user": "Acme Inc.",
            "valid_from": "2026-01-01",
            "valid_to": "2027-12-31",
        },
    )
    assert response.status_code == 201, response.content
    response = post(
        client,
        "/shipments",
        {"buyer_name": "Acme Inc.", "destination_country": "JP", "lines": [{"lot_id": lot["id"], "quantity": "1.5"}]},
    )
    assert response.status_code == 201, response.content
    (licence,) = client.get(f"{API}/licences").json()["items"]
    assert D(licence["remaining"]) == D("0.5")


@pytest.mark.parametrize("who", ["a_user", "regulator"])
def test_licences_are_registered_only_by_the_exporter_admin_or_the_office(client_as, people, who):
    response = post(
        client_as(who),
        "/licences",
        {
            "number": "L-X",
            "item": "ga-metal",
            "quantity": "2",
            "destination_country": "JP",
            "end_user": "x",
            "valid_from": "2026-01-01",
            "valid_to": "2027-12-31",
        },
    )
    assert response.status_code in (403, 404)
    assert not ExportLicence.objects.exists()


def test_export_control_endpoints(client_as, people):
    client = client_as("a_user")
    assert client.get(f"{API}/export-control/match?hs_code=8110929010").json()["item"]["code"] == "ga-metal"
    assert client.get(f"{API}/export-control/match?name=高纯砷").json() == {"controlled": False, "item": None}
    assert len(client.get(f"{API}/export-control/items").json()) == 14
    assert client.get(f"{API}/export-control/items?on=2023-07-01").json() == []
    rules = {r["id"]: r for r in client.get(f"{API}/export-control/rules?on=2026-11-27").json()}
    assert rules["2024-46-us-ban"]["in_force"] is False
    rules = {r["id"]: r for r in client.get(f"{API}/export-control/rules?on=2026-11-28").json()}
    assert rules["2024-46-us-ban"]["in_force"] is True


def test_gallium_balance_api_per_role(client_as, people, chain, firms):
    office = client_as("office").get(f"{API}/gallium-balance?enterprise_id={firms['tongmei'].pk}").json()
    assert office["months"][-1]["closing"] == "12.9666"
    own = client_as("a_user").get(f"{API}/gallium-balance").json()
    assert own == office
    assert client_as("a_user").get(f"{API}/gallium-balance?enterprise_id={firms['jinmei'].pk}").status_code == 404
    assert client_as("regulator").get(f"{API}/gallium-balance").status_code == 404


def test_shipments_are_seen_by_both_parties_only(client_as, people, make_user, enterprise_a, firms):
    from semipark.core.roles import Role

    seller = client_as("b_user")
    lot = post(seller, "/lots", {"material": "Ga", "quantity": "5"}).json()
    shipment = post(
        seller, "/shipments", {"buyer_id": enterprise_a.pk, "lines": [{"lot_id": lot["id"], "quantity": "2"}]}
    )
    number = shipment.json()["id"]
    assert client_as("a_user").get(f"{API}/shipments/{number}").status_code == 200
    outsider = make_user("t-boyu", Role.ENTERPRISE_USER, firms["boyu"])
    from django.test import Client

    third = Client()
    third.force_login(outsider)
    assert third.get(f"{API}/shipments/{number}").status_code == 404
    assert third.get(f"{API}/shipments").json()["count"] == 0
    assert third.get(f"{API}/lots/{lot['id']}").status_code == 404
    assert third.get(f"{API}/lots/{lot['id']}/trace").status_code == 404
    # The buyer may not ship the seller's lot.
    response = post(
        client_as("a_user"),
        "/shipments",
        {"buyer_id": firms["boyu"].pk, "lines": [{"lot_id": lot["id"], "quantity": "1"}]},
    )
    assert response.status_code in (403, 404)
