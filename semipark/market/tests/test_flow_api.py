"""The whole RFQ → quote → award → order → accepted flow through the API, and sealed quotes as every role."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from semipark.core.models import AuditEntry
from semipark.market.models import RFQ, Notice, Order, Product, Quote

from .conftest import lot_of

API = "/api/v1/market"
GA_6N = {"element": "Ga", "purity": "6N"}


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def clients(client_as, boyu_user):
    from django.test import Client

    made = {who: client_as(who) for who in ("a_admin", "a_user", "b_admin", "b_user", "office", "staff", "regulator")}
    made["boyu"] = Client()
    made["boyu"].force_login(boyu_user)
    return made


@pytest.mark.django_db
def test_rfq_to_accepted_order(market, clients, people, gallium_rfq_body):
    tongmei, jinmei = clients["a_admin"], clients["b_user"]
    gallium = Product.objects.get(name_en="7N high-purity gallium")

    # tongmei issues an RFQ; matching suggests jinmei (the only gallium supplier) as invitee.
    response = post(tongmei, f"{API}/rfqs", gallium_rfq_body)
    assert response.status_code == 201, response.content
    rfq = RFQ.objects.get(pk=response.json()["id"])
    assert list(rfq.invitations.values_list("supplier__code", flat=True)) == ["jinmei"]
    assert Notice.objects.filter(enterprise__code="jinmei", kind="rfq").exists()
    item = rfq.items.get()

    # jinmei quotes.
    quote_body = {
        "lines": [{"item_id": item.pk, "product_id": gallium.pk, "price": "2390.00", "lead_time_days": 12}],
        "valid_until": str(rfq.delivery_date),
        "notes": "secret terms 42",
    }
    response = post(jinmei, f"{API}/rfqs/{rfq.pk}/quotes", quote_body)
    assert response.status_code == 201, response.content
    quote_id = response.json()["id"]

    # boyu cannot read the RFQ nor the quote; nor can the park office or the regulator read the quote.
    assert clients["boyu"].get(f"{API}/rfqs/{rfq.pk}").status_code == 404
    for who in ("boyu", "office", "staff", "regulator"):
        response = clients[who].get(f"{API}/rfqs/{rfq.pk}/quotes")
        assert b"2390" not in response.content and b"secret terms" not in response.content, who

    # Every invitee answered: the buyer now sees the quote and awards it.
    quotes = tongmei.get(f"{API}/rfqs/{rfq.pk}/quotes").json()
    assert [q["id"] for q in quotes] == [quote_id]
    line_id = quotes[0]["lines"][0]["id"]
    response = post(tongmei, f"{API}/rfqs/{rfq.pk}/award", {"lines": [line_id]})
    assert response.status_code == 201, response.content
    order = Order.objects.get(pk=response.json()[0]["id"])
    assert (order.seller.code, order.buyer.code, order.status, order.total) == (
        "jinmei",
        "tongmei",
        "confirmed",
        Decimal("239000.00"),
    )
    assert Quote.objects.get(pk=quote_id).status == Quote.Status.AWARDED

    # The order to accepted, each side its own steps.
    assert post(jinmei, f"{API}/orders/{order.pk}/start_production").status_code == 200
    lot = lot_of(people["b_user"], order.seller)
    response = post(jinmei, f"{API}/orders/{order.pk}/ship", {"lots": [{"lot_id": lot.pk, "quantity": "100"}]})
    assert response.status_code == 200, response.content
    assert post(tongmei, f"{API}/orders/{order.pk}/confirm_delivery").status_code == 200
    response = post(tongmei, f"{API}/orders/{order.pk}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    steps = AuditEntry.objects.filter(model="market.order", object_id=str(order.pk), kind="transition")
    assert steps.count() == 4

    # The park office sees the trade value, not the quote.
    trade = clients["office"].get(f"{API}/trade").json()
    assert any(
        r["seller"] == order.seller.short_name and Decimal(str(r["value"])) >= order.total for r in trade["by_pair"]
    )
    assert clients["a_user"].get(f"{API}/trade").status_code == 403


@pytest.mark.django_db
def test_quotes_stay_sealed_until_everyone_answered(market, clients, people, gallium_rfq_body, boyu_user):
    from semipark.market import rfqs
    from semipark.park.models import Enterprise

    tongmei = clients["a_admin"]
    rfq = RFQ.objects.get(pk=post(tongmei, f"{API}/rfqs", {**gallium_rfq_body, "suppliers": []}).json()["id"])
    jinmei, boyu = Enterprise.objects.get(code="jinmei"), Enterprise.objects.get(code="boyu")
    rfqs.invite(people["a_admin"], rfq, [jinmei.pk, boyu.pk])
    gallium = Product.objects.get(name_en="7N high-purity gallium")
    item = rfq.items.get()
    body = {"lines": [{"item_id": item.pk, "product_id": gallium.pk, "price": "2222.00", "lead_time_days": 5}]}
    assert post(clients["b_user"], f"{API}/rfqs/{rfq.pk}/quotes", body).status_code == 201

    # Sealed: one of two invitees answered, closing time not reached. Only jinmei sees its own quote.
    for who, sees in {
        "a_admin": False,
        "a_user": False,
        "b_admin": True,
        "b_user": True,
        "boyu": False,
        "office": False,
        "staff": False,
        "regulator": False,
    }.items():
        content = clients[who].get(f"{API}/rfqs/{rfq.pk}/quotes").content
        assert (b"2222" in content) is sees, who
        assert Quote.objects.visible_to(people.get(who, boyu_user)).filter(rfq=rfq).exists() is sees, who
    response = post(tongmei, f"{API}/rfqs/{rfq.pk}/award", {"lines": [Quote.objects.get(rfq=rfq).lines.get().pk]})
    assert response.status_code == 400

    # boyu declines: everyone answered, so the buyer sees jinmei's price; boyu never does.
    assert post(clients["boyu"], f"{API}/rfqs/{rfq.pk}/decline", {"note": "no capacity"}).status_code == 201
    assert b"2222" in tongmei.get(f"{API}/rfqs/{rfq.pk}/quotes").content
    assert b"2222" not in clients["boyu"].get(f"{API}/rfqs/{rfq.pk}/quotes").content
    # Answers are frozen once unsealed.
    assert post(clients["b_user"], f"{API}/rfqs/{rfq.pk}/quotes", body).status_code == 400


@pytest.mark.django_db
def test_uninvited_supplier_cannot_quote(market, clients, gallium_rfq_body):
    rfq_id = post(clients["a_admin"], f"{API}/rfqs", gallium_rfq_body).json()["id"]
    product = Product.objects.get(name_en="PBN crucible for 4-inch VGF")
    item = RFQ.objects.get(pk=rfq_id).items.get()
    body = {"lines": [{"item_id": item.pk, "product_id": product.pk, "price": "1", "lead_time_days": 1}]}
    assert post(clients["boyu"], f"{API}/rfqs/{rfq_id}/quotes", body).status_code == 404
    assert not Quote.objects.filter(rfq_id=rfq_id).exists()


@pytest.mark.django_db
def test_bad_rfq_item_specs_name_the_field(market, clients, gallium_rfq_body):
    gallium_rfq_body["items"][0]["specs"] = {"element": "Gx", "purity": "seven"}
    response = post(clients["a_admin"], f"{API}/rfqs", gallium_rfq_body)
    assert response.status_code == 400
    messages = response.json()["errors"]["items.1.specs"]
    assert any("Gx" in m for m in messages) and any("purity" in m or "纯度" in m for m in messages)
    assert not RFQ.objects.filter(title=gallium_rfq_body["title"]).exists()


@pytest.mark.django_db
def test_award_split_by_item_creates_one_order_per_supplier(market, people, boyu_user):
    from datetime import timedelta

    from django.utils import timezone

    from semipark.market import rfqs
    from semipark.market.models import Category

    tongmei, jinmei, boyu = people["a_admin"], people["b_user"], boyu_user
    now = timezone.now()
    gallium_cat, pbn_cat = Category.objects.get(code="gallium"), Category.objects.get(code="pbn")
    rfq = rfqs.create_rfq(
        tongmei,
        {"title": "split", "delivery_date": (now + timedelta(days=9)).date(), "closes_at": now + timedelta(days=2)},
        [
            {"category": gallium_cat, "description": "Ga", "specs": GA_6N, "quantity": Decimal(10), "unit": "kg"},
            {
                "category": pbn_cat,
                "description": "PBN",
                "specs": {"material": "PBN"},
                "quantity": Decimal(4),
                "unit": "pcs",
            },
        ],
        [jinmei.enterprise_id, boyu.enterprise_id],
    )
    ga_item, pbn_item = rfq.items.order_by("line")
    gallium = Product.objects.get(name_en="7N high-purity gallium")
    boyu_ga = Product.objects.create(
        enterprise=boyu.enterprise, category=gallium_cat, name="boyu Ga", unit="kg", specs=GA_6N
    )
    crucible = Product.objects.get(name_en="PBN crucible for 4-inch VGF")
    rfqs.submit_quote(
        jinmei, rfq, [{"item_id": ga_item.pk, "product_id": gallium.pk, "price": 2000, "lead_time_days": 9}]
    )
    boyu_quote = rfqs.submit_quote(
        boyu,
        rfq,
        [
            {"item_id": ga_item.pk, "product_id": boyu_ga.pk, "price": 2100, "lead_time_days": 9},
            {"item_id": pbn_item.pk, "product_id": crucible.pk, "price": 8000, "lead_time_days": 20},
        ],
    )
    table = rfqs.comparison(tongmei, rfq)
    assert [row["best"] for row in table.rows] == [Decimal(2000), Decimal(8000)]
    jinmei_line = rfq.quotes.get(supplier=jinmei.enterprise).lines.get()
    with pytest.raises(ValidationError):  # one item to two suppliers
        rfqs.award(tongmei, rfq, [jinmei_line.pk, boyu_quote.lines.get(item=ga_item).pk])
    made = rfqs.award(tongmei, rfq, [jinmei_line.pk, boyu_quote.lines.get(item=pbn_item).pk])
    assert sorted((o.seller.code, o.total) for o in made) == [("boyu", Decimal(32000)), ("jinmei", Decimal(20000))]
    rfq.refresh_from_db()
    assert rfq.status == RFQ.Status.AWARDED
    with pytest.raises(ValidationError):  # awarded once only
        rfqs.award(tongmei, rfq, [jinmei_line.pk])


@pytest.mark.django_db
def test_closing_time_unseals_for_the_buyer_only(market, clients, gallium_rfq_body):
    from datetime import timedelta

    from django.utils import timezone

    tongmei = clients["a_admin"]
    rfq = RFQ.objects.get(pk=post(tongmei, f"{API}/rfqs", {**gallium_rfq_body, "open_to_park": True}).json()["id"])
    assert Notice.objects.filter(enterprise__code="boyu", kind="rfq").exists()  # the whole park is told
    item = rfq.items.get()
    gallium = Product.objects.get(name_en="7N high-purity gallium")
    body = {"lines": [{"item_id": item.pk, "product_id": gallium.pk, "price": "2345.00", "lead_time_days": 5}]}
    assert post(clients["b_user"], f"{API}/rfqs/{rfq.pk}/quotes", body).status_code == 201
    assert b"2345" not in tongmei.get(f"{API}/rfqs/{rfq.pk}/quotes").content  # open to the park: sealed to closing
    RFQ.objects.filter(pk=rfq.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert b"2345" in tongmei.get(f"{API}/rfqs/{rfq.pk}/quotes").content
    for who in ("boyu", "office", "staff", "regulator", "a_user"):
        sees = who == "a_user"  # a colleague of the buyer
        assert (b"2345" in clients[who].get(f"{API}/rfqs/{rfq.pk}/quotes").content) is sees, who
    # After closing nobody quotes any more.
    assert post(clients["b_user"], f"{API}/rfqs/{rfq.pk}/quotes", body).status_code == 400


@pytest.mark.django_db
def test_other_enterprises_cannot_change_products_or_listings(market, clients):
    product = Product.objects.get(name_en="7N high-purity gallium")
    listing = product.listings.first()
    for who in ("a_admin", "a_user", "boyu", "regulator"):
        client = clients[who]
        response = client.patch(f"{API}/products/{product.pk}", {"price": "1"}, content_type="application/json")
        assert response.status_code in (403, 404), who
        response = client.patch(f"{API}/listings/{listing.pk}", {"title": "x"}, content_type="application/json")
        assert response.status_code in (403, 404), who
    product.refresh_from_db()
    assert product.price == Decimal("2400.00")
    response = clients["b_user"].patch(
        f"{API}/products/{product.pk}", {"price": "2450"}, content_type="application/json"
    )
    assert response.status_code == 200 and Decimal(response.json()["price"]) == Decimal(2450)
    flags = clients["a_user"].get(f"{API}/products/{product.pk}").json()["export_control"]
    assert flags["controlled"] is True  # 8112929010 gallium metal


@pytest.mark.django_db
def test_drafts_and_notices_stay_with_their_enterprise(market, clients, people):
    from semipark.market.models import Listing

    draft = Listing.objects.create(
        enterprise=people["b_user"].enterprise,
        kind=Listing.Kind.DEMAND,
        status=Listing.Status.DRAFT,
        category=Product.objects.first().category,
        title="draft-only-jinmei",
    )
    Notice.objects.create(enterprise=people["b_user"].enterprise, kind="x", text="notice-only-jinmei")
    for who in ("a_user", "boyu", "regulator", "staff", "office"):
        assert clients[who].get(f"{API}/listings/{draft.pk}").status_code == 404, who
        if who != "office":  # the office admin reads everything but drafts
            assert b"notice-only-jinmei" not in clients[who].get(f"{API}/notices").content, who
    assert clients["b_admin"].get(f"{API}/listings/{draft.pk}").status_code == 200
    assert b"notice-only-jinmei" in clients["b_admin"].get(f"{API}/notices").content
    product = Product.objects.get(name_en="7N high-purity gallium")
    response = clients["staff"].patch(f"{API}/products/{product.pk}", {"price": "1"}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db
def test_rfq_and_quote_dates_are_checked(market, clients, gallium_rfq_body):
    bad = {**gallium_rfq_body, "delivery_date": "2020-01-01"}
    response = post(clients["a_admin"], f"{API}/rfqs", bad)
    assert response.status_code == 400 and "delivery_date" in response.json()["errors"]
    rfq_id = post(clients["a_admin"], f"{API}/rfqs", gallium_rfq_body).json()["id"]
    item = RFQ.objects.get(pk=rfq_id).items.get()
    gallium = Product.objects.get(name_en="7N high-purity gallium")
    body = {
        "lines": [{"item_id": item.pk, "product_id": gallium.pk, "price": "1", "lead_time_days": 1}],
        "valid_until": "2020-01-01",
    }
    response = post(clients["b_user"], f"{API}/rfqs/{rfq_id}/quotes", body)
    assert response.status_code == 400 and "valid_until" in response.json()["errors"]
    assert not Quote.objects.filter(rfq_id=rfq_id).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["products", "listings", "rfqs", "orders", "notices"])
def test_list_endpoints_do_not_query_per_row(market, clients, path, django_assert_max_num_queries):
    client = clients["office"]
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/{path}")
    assert response.status_code == 200 and response.json()["count"] > 0
