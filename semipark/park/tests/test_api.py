"""The park API: the register for every role, filters and search, and who may change what."""

import pytest

from semipark.core.models import AuditEntry
from semipark.park.models import ChainItem, Enterprise

SETTLED = {"tongmei", "jinmei", "xinmei", "boyu", "kaimei", "tongweisu", "shuomei"}


def codes(response):
    assert response.status_code == 200, response.content
    return [e["code"] for e in response.json()["items"]]


def test_office_lists_the_seven_settled_enterprises(client_as):
    client = client_as("office")
    settled = set()
    for status in ("registered", "construction", "trial", "production"):
        settled |= set(codes(client.get(f"/api/v1/park/enterprises?status={status}")))
    assert settled == SETTLED
    body = client.get("/api/v1/park/enterprises?status=production").json()
    assert set(codes(client.get("/api/v1/park/enterprises?status=production"))) == {"tongmei", "jinmei", "boyu"}
    assert body["items"][0]["status_label"]
    negotiating = set(codes(client.get("/api/v1/park/enterprises?status=negotiating")))
    assert negotiating == {"quartzsand", "phosphorus", "helium"}


def test_register_capital_of_the_settled_adds_up_to_three_billion(client_as):
    items = client_as("office").get("/api/v1/park/enterprises?page_size=100").json()["items"]
    total = sum(float(e["registered_capital"] or 0) for e in items if e["code"] in SETTLED)
    assert total == 3_000_000_000
    tongmei = next(e for e in items if e["code"] == "tongmei")
    assert "registered_capital" in tongmei["demo_fields"]  # per-enterprise figures are demo values


@pytest.mark.parametrize("who", ["staff", "a_user", "b_admin", "regulator"])
def test_every_role_reads_the_public_register(client_as, who):
    assert len(codes(client_as(who).get("/api/v1/park/enterprises?page_size=100"))) == 10


def test_search_by_name_short_name_and_credit_code(client_as, enterprise_b):
    client = client_as("a_user")
    assert codes(client.get("/api/v1/park/enterprises?q=博宇")) == ["boyu"]
    assert codes(client.get("/api/v1/park/enterprises?q=金美镓业有限")) == ["jinmei"]
    assert codes(client.get(f"/api/v1/park/enterprises?q={enterprise_b.uscc.lower()}")) == ["jinmei"]
    assert codes(client.get("/api/v1/park/enterprises?q=nothing-like-this")) == []


def test_filter_by_segment_and_order(client_as):
    client = client_as("a_user")
    assert codes(client.get("/api/v1/park/enterprises?segment=upstream&order=name")) == sorted(
        codes(client.get("/api/v1/park/enterprises?segment=upstream")),
        key=lambda c: Enterprise.objects.get(code=c).name,
    )
    assert set(codes(client.get("/api/v1/park/enterprises?segment=recovery"))) == {"shuomei"}
    by_capital = codes(client.get("/api/v1/park/enterprises?order=-registered_capital&page_size=100"))
    assert by_capital[:2] == ["tongmei", "jinmei"] and set(by_capital[-3:]) == {"quartzsand", "phosphorus", "helium"}
    # An unknown sort key falls back to the id order instead of failing.
    assert codes(client.get("/api/v1/park/enterprises?order=private_notes&page_size=100"))[0] == "tongmei"


def test_office_creates_with_chain_items(client_as):
    item = ChainItem.objects.get(code="helium")
    response = client_as("staff").post(
        "/api/v1/park/enterprises",
        {"name": "朝阳氦气有限公司", "short_name": "氦气", "code": "helium-co", "chain_items": [item.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201
    created = Enterprise.objects.get(code="helium-co")
    assert response.json()["id"] == created.pk and list(created.chain_items.all()) == [item]
    assert AuditEntry.objects.filter(kind="create", object_id=str(created.pk)).exists()


def test_unknown_chain_item_is_an_error_not_dropped(client_as):
    response = client_as("office").post(
        "/api/v1/park/enterprises",
        {"name": "朝阳某某有限公司", "short_name": "某某", "code": "mou", "chain_items": [999999]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "999999" in response.json()["errors"]["chain_items"][0]
    assert not Enterprise.objects.filter(code="mou").exists()


@pytest.mark.parametrize("who", ["a_admin", "a_user", "regulator"])
def test_only_the_office_creates(client_as, who):
    response = client_as(who).post(
        "/api/v1/park/enterprises",
        {"name": "朝阳冒名有限公司", "short_name": "冒名", "code": "fake"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Enterprise.objects.filter(code="fake").exists()


def test_enterprise_admin_patches_own_description_but_not_status_or_capital(client_as, enterprise_a):
    client = client_as("a_admin")
    url = f"/api/v1/park/enterprises/{enterprise_a.pk}"
    ok = client.patch(url, {"description": "砷化镓衬底"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["description"] == "砷化镓衬底"
    for change in ({"status": "left"}, {"registered_capital": "1"}, {"uscc": None}, {"chain_items": []}):
        refused = client.patch(url, {**change, "address": "x"}, content_type="application/json")
        assert refused.status_code == 403, change
        assert "只能由园区管理办公室修改" in refused.json()["message"]
    enterprise_a.refresh_from_db()
    assert enterprise_a.status == "production" and enterprise_a.address != "x"
    assert enterprise_a.chain_items.exists()


@pytest.mark.parametrize("who", ["a_user", "a_admin", "regulator"])
def test_nobody_outside_patches_enterprise_b(client_as, enterprise_b, who):
    response = client_as(who).patch(
        f"/api/v1/park/enterprises/{enterprise_b.pk}", {"description": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    enterprise_b.refresh_from_db()
    assert enterprise_b.description != "x"


def test_contacts_api_follows_the_private_scope(client_as, enterprise_a, enterprise_b):
    assert client_as("a_user").get(f"/api/v1/park/enterprises/{enterprise_b.pk}/contacts").status_code == 404
    own = client_as("a_user").get(f"/api/v1/park/enterprises/{enterprise_a.pk}/contacts").json()
    assert own and {c["enterprise"] for c in own} == {enterprise_a.pk}
    assert len(client_as("regulator").get(f"/api/v1/park/enterprises/{enterprise_b.pk}/contacts").json()) >= 2


def test_chain_shows_gaps_under_negotiation(client_as):
    items = {i["code"]: i for i in client_as("b_user").get("/api/v1/park/chain").json()["items"]}
    assert {c for c, i in items.items() if i["coverage"] == "negotiating"} == {"quartz-sand", "phosphorus", "helium"}
    assert items["wafers"]["coverage"] == "covered"
