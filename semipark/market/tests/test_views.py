"""The pages: each role sees its own, forms give per-field errors and change nothing when wrong."""

import pytest
from django.http import QueryDict

from semipark.market.models import Category, Listing, Order, OrderStatus, Product
from semipark.market.spec_form import specs_from


def form(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data[key] = value
    return data


def test_spec_inputs_parse_ranges_choices_and_impurities():
    data = form(spec_material="GaAs", spec_diameter_in="4", spec_epd_cm2_max="5000", spec_resistivity_ohm_cm_min="1e7")
    assert specs_from("substrate", data) == {
        "material": "GaAs",
        "diameter_in": 4,
        "epd_cm2": {"max": 5000},
        "resistivity_ohm_cm": {"min": 1e7},
    }
    metal = specs_from("metal", form(spec_element="Ga", spec_purity="7N", spec_impurity_limits_ppm="Cu=0.01; Fe=0.2"))
    assert metal == {"element": "Ga", "purity": "7N", "impurity_limits_ppm": {"Cu": 0.01, "Fe": 0.2}}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "staff", "a_admin", "a_user", "regulator"])
def test_pages_answer_every_role(market, client_as, who):
    client = client_as(who)
    for url in ("/market/", "/market/rfqs/", "/market/orders/"):
        assert client.get(url).status_code == 200, url
    office = client.get("/market/office/")
    assert office.status_code == (200 if who in ("office", "staff") else 403)
    if who == "regulator":  # no orders, no RFQs for regulators
        assert "PO-" not in client.get("/market/orders/").content.decode()


@pytest.mark.django_db
def test_product_form_shows_field_errors_and_saves_nothing(market, client_as):
    wafers = Category.objects.get(code="wafers")
    client = client_as("a_user")
    response = client.post(
        "/market/products/new/",
        {
            "category": wafers.pk,
            "name": "坏晶片",
            "unit": "pcs",
            "spec_material": "GaAs",
            "spec_diameter_in": "4",
            "spec_epd_cm2_min": "9",
            "spec_epd_cm2_max": "1",
            "lead_time_days": "x",
        },
    )
    assert response.status_code == 200 and not Product.objects.filter(name="坏晶片").exists()
    assert "不是数字" in response.content.decode()
    response = client.post(
        "/market/products/new/",
        {
            "category": wafers.pk,
            "name": "坏晶片",
            "unit": "pcs",
            "spec_material": "GaAs",
            "spec_epd_cm2_min": "9",
            "spec_epd_cm2_max": "1",
        },
    )
    assert "下限高于上限" in response.content.decode()
    response = client.post(
        "/market/products/new/",
        {
            "category": wafers.pk,
            "name": "好晶片",
            "unit": "pcs",
            "price": "399",
            "spec_material": "GaAs",
            "spec_diameter_in": "6",
            "spec_conduction": "SI",
            "spec_epd_cm2_max": "2000",
        },
    )
    product = Product.objects.get(name="好晶片")
    assert response.status_code == 302 and (product.diameter_in, product.epd_max, product.conduction) == (6, 2000, "SI")


@pytest.mark.django_db
def test_office_page_shows_unmet_demand_and_trade(market, client_as):
    page = client_as("office").get("/market/office/").content.decode()
    assert "求购高纯氦气" in page and "金美镓业 → 通美晶体" in page


@pytest.mark.django_db
def test_listing_page_publishes_and_refuses_bad_specs(market, client_as):
    client = client_as("a_user")
    gases = Category.objects.get(code="rare-gas")
    client.post(
        "/market/listings/new/",
        {"kind": "demand", "category": gases.pk, "title": "坏需求", "spec_gas": "Xe", "spec_purity": "99.9%"},
    )
    assert not Listing.objects.filter(title="坏需求").exists()
    response = client.post(
        "/market/listings/new/",
        {"kind": "demand", "category": gases.pk, "title": "求购氙气", "spec_gas": "Xe", "spec_purity": "5N"},
    )
    listing = Listing.objects.get(title="求购氙气")
    assert response.status_code == 302 and listing.purity_n == 5


@pytest.mark.django_db
def test_illegal_step_on_the_page_changes_nothing(market, client_as):
    order = Order.objects.get(status=OrderStatus.IN_PRODUCTION, seller__code="jinmei")
    response = client_as("a_user").post(f"/market/orders/{order.pk}/start_production/", follow=True)
    assert "卖方" in response.content.decode() or "seller" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION


@pytest.mark.django_db
def test_marking_notices_read_touches_only_own_enterprise(market, client_as, people):
    from semipark.market.models import Notice

    jinmei_unread = Notice.objects.filter(enterprise=people["b_user"].enterprise, read=False).count()
    assert Notice.objects.filter(enterprise=people["a_user"].enterprise, read=False).exists()
    client_as("a_user").post("/market/notices/read/")
    assert not Notice.objects.filter(enterprise=people["a_user"].enterprise, read=False).exists()
    assert Notice.objects.filter(enterprise=people["b_user"].enterprise, read=False).count() == jinmei_unread > 0
    assert client_as("regulator").post("/api/v1/market/notices/read").json()["message"] == "0"


@pytest.mark.django_db
def test_rfq_form_refuses_bad_dates_with_a_message(market, client_as):
    from semipark.market.models import RFQ

    gallium = Category.objects.get(code="gallium")
    base = {
        "title": "表单询价",
        "category": gallium.pk,
        "description": "Ga",
        "spec_element": "Ga",
        "spec_purity": "6N",
        "quantity": "5",
        "unit": "kg",
    }
    client = client_as("a_admin")
    for dates in (
        {"delivery_date": "2020-01-01", "closes_at": "2099-01-01T10:00"},
        {"delivery_date": "not a date", "closes_at": "2099-01-01T10:00"},
        {"delivery_date": "2099-02-01", "closes_at": "tomorrow"},
    ):
        response = client.post("/market/rfqs/new/", {**base, **dates}, follow=True)
        assert response.status_code == 200 and response.context["messages"], dates
    assert not RFQ.objects.filter(title="表单询价").exists()
    response = client.post(
        "/market/rfqs/new/", {**base, "delivery_date": "2099-02-01", "closes_at": "2099-01-01T10:00"}
    )
    assert response.status_code == 302 and RFQ.objects.filter(title="表单询价").exists()
