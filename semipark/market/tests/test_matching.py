"""Matching and search compare specification ranges in SQL and rank in-park, adjacent suppliers first."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from semipark.market import catalog, matching
from semipark.market.listings import save_listing
from semipark.market.models import Category, Listing, Notice, Product
from semipark.park.models import Enterprise, EnterpriseStatus


def offer(user, enterprise, epd, price=None, lead=None):
    category = Category.objects.get(code="wafers")
    listing = Listing(enterprise=enterprise)
    return save_listing(
        user,
        listing,
        {
            "kind": Listing.Kind.OFFER,
            "category": category,
            "title": f"GaAs EPD {epd}",
            "specs": {"material": "GaAs", "diameter_in": 4, "conduction": "SI", "epd_cm2": {"max": epd}},
            "price": price,
            "lead_time_days": lead,
        },
    )


@pytest.mark.django_db
def test_epd_ranges_match_as_the_issue_says(market, people, make_user):
    from semipark.core.roles import Role

    Listing.objects.filter(kind=Listing.Kind.OFFER).delete()
    tongmei = people["a_user"]
    good = offer(tongmei, tongmei.enterprise, 3000, Decimal(400))
    offer(tongmei, tongmei.enterprise, 8000, Decimal(100))
    shuomei = make_user("t-shuomei", Role.ENTERPRISE_USER, Enterprise.objects.get(code="shuomei"))
    demand = save_listing(
        shuomei,
        Listing(),
        {
            "kind": Listing.Kind.DEMAND,
            "category": Category.objects.get(code="wafers"),
            "title": "need 4in SI GaAs",
            "specs": {"material": "GaAs", "diameter_in": 4, "conduction": "SI", "epd_cm2": {"max": 5000}},
        },
    )
    assert list(matching.matches_for(demand)) == [good]
    assert Notice.objects.filter(enterprise=tongmei.enterprise, kind="match").exists()
    # A demand for n-type or 6-inch matches nothing.
    for change in ({"conduction": "N"}, {"diameter_in": 6}):
        demand.specs = {**demand.specs, **change}
        demand.clean_specs("substrate")
        assert list(matching.matches_for(demand)) == []


@pytest.mark.django_db
def test_ranking_in_park_then_adjacent_then_price(market, people, make_user):
    from semipark.core.roles import Role

    Listing.objects.filter(kind=Listing.Kind.OFFER).delete()
    outside = Enterprise.objects.get(code="helium")  # negotiating: not yet in the park
    boyu = Enterprise.objects.get(code="boyu")  # reaction vessels: adjacent to recovery? no; to substrates yes
    jinmei = Enterprise.objects.get(code="jinmei")
    users = {e.code: make_user(f"t-{e.code}", Role.ENTERPRISE_USER, e) for e in (outside, boyu, jinmei)}
    cheap_outside = offer(users["helium"], outside, 1000, Decimal(1))
    boyu_offer = offer(users["boyu"], boyu, 1000, Decimal(50))
    jinmei_offer = offer(users["jinmei"], jinmei, 1000, Decimal(60))
    cheaper_jinmei = offer(users["jinmei"], jinmei, 1000, Decimal(55))
    assert outside.status == EnterpriseStatus.NEGOTIATING
    # For 通美 (substrates) both 博宇 (vessels, an input) and 金美 (gallium, an input) are adjacent: price decides.
    ranked = list(
        matching.ranked(matching.open_offers(Category.objects.get(code="wafers").pk, {}), people["a_user"].enterprise)
    )
    assert ranked == [boyu_offer, cheaper_jinmei, jinmei_offer, cheap_outside]
    # For 硕美 (recovery) neither is adjacent except by segment order: substrates sit next to recovery.
    shuomei = Enterprise.objects.get(code="shuomei")
    assert matching.adjacent_enterprise_ids(shuomei) >= {people["a_user"].enterprise_id}


@pytest.mark.django_db
def test_search_chinese_english_and_purity(market, people):
    visible = Product.objects.visible_to(people["a_user"])
    assert {p.name for p in catalog.search(visible, "高纯镓")} == {"7N高纯镓", "6N高纯镓"}
    assert {p.name_en for p in catalog.search(visible, "gallium", purity_n=Decimal(7))} == {"7N high-purity gallium"}
    assert {p.name_en for p in catalog.search(visible, "", epd_max=1000)} == {"4-inch germanium substrate"}
    assert [p.name for p in catalog.search(visible, "krypton")] == ["高纯氪气"]


@pytest.mark.django_db
def test_product_specs_errors_per_field_and_nothing_saved(market, client_as):
    category = Category.objects.get(code="wafers")
    body = {
        "category_id": category.pk,
        "name": "bad wafer",
        "unit": "pcs",
        "specs": {"material": "GaAs", "diameter_in": 5, "epd_cm2": {"min": 10, "max": 1}, "colour": "blue"},
    }
    response = client_as("a_user").post("/api/v1/market/products", body, content_type="application/json")
    assert response.status_code == 400
    errors = " | ".join(response.json()["errors"]["specs"])
    assert "diameter" in errors or "直径" in errors
    assert "colour" in errors and ("upper limit" in errors or "上限" in errors)
    assert not Product.objects.filter(name="bad wafer").exists()


@pytest.mark.django_db
def test_unmet_demand_shows_helium(market, client_as):
    response = client_as("office").get("/api/v1/market/unmet-demand")
    assert [row["category"]["code"] for row in response.json()] == ["rare-gas"]
    assert client_as("a_user").get("/api/v1/market/unmet-demand").status_code == 403


@pytest.mark.django_db
def test_file_upload_checks_type_and_content(market, people, settings, tmp_path, client_as):
    settings.MEDIA_ROOT = tmp_path
    product = Product.objects.get(name_en="7N high-purity gallium")
    user = people["b_user"]
    with pytest.raises(ValidationError):
        catalog.attach_file(user, product, "datasheet", SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    with pytest.raises(ValidationError):
        catalog.attach_file(user, product, "photo", SimpleUploadedFile("x.exe", b"\xff\xd8\xff"))
    stored = catalog.attach_file(user, product, "datasheet", SimpleUploadedFile("coa.pdf", b"%PDF-1.7 test"))
    assert stored.size == 13 and product.files.count() == 1
    response = client_as("a_user").get(f"/market/files/{stored.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert Client().get(f"/market/files/{stored.pk}/").status_code == 302  # signed out: to the login page


@pytest.mark.django_db
def test_order_export_lists_only_visible_orders(market, client_as):
    response = client_as("b_user").get("/market/orders/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and all("金美" in row[3] or "金美" in row[4] for row in rows)
