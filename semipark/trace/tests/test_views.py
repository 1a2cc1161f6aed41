import io

import pytest
from openpyxl import load_workbook

from semipark.trace.models import Lot


@pytest.mark.parametrize("who", ["office", "a_user", "b_user"])
def test_pages_answer(client_as, chain, who):
    client = client_as(who)
    wafers = chain["wafers"]
    for url in ["/trace/", "/trace/shipments/", "/trace/licences/", "/trace/export-control/", "/trace/balance/"]:
        assert client.get(url).status_code == 200, url
    graph = client.get(f"/trace/lots/{wafers.pk}/graph/")
    assert graph.status_code == (200 if who in ("office", "a_user") else 404)


def test_label_carries_the_identifier_as_qr(client_as, chain):
    client = client_as("a_user")
    page = client.get(f"/trace/lots/{chain['wafers'].pk}/label/")
    assert page.status_code == 200
    assert b"<svg" in page.content and chain["wafers"].identifier.encode() in page.content
    png = client.get(f"/trace/lots/{chain['wafers'].pk}/label.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    # A trading partner's lot shows its identity but no label or private details.
    theirs = chain["gallium"]
    Lot.objects.filter(pk=theirs.pk).update(note="jinmei-only-note")
    assert client.get(f"/trace/lots/{theirs.pk}/label/").status_code == 404
    detail = client.get(f"/trace/lots/{theirs.pk}/")
    assert detail.status_code == 200 and theirs.identifier in detail.content.decode()
    assert b"jinmei-only-note" not in detail.content


def test_register_lot_form_and_refused_transformation(client_as, people, enterprise_a):
    client = client_as("a_user")
    response = client.post("/trace/lots/new/", {"material": "Ga", "quantity": "3", "unit": "kg", "code": "F-1"})
    assert response.status_code == 302
    lot = Lot.objects.get(code="F-1", enterprise=enterprise_a)
    response = client.post(
        "/trace/transform/",
        {
            "process": "grow",
            "in0-lot": lot.pk,
            "in0-quantity": "4",
            "out0-material": "GaAs-crystal",
            "out0-quantity": "1",
            "out0-unit": "kg",
        },
    )
    assert response.status_code == 200
    assert "3.0000" in response.content.decode()  # the refusal names what is available
    assert Lot.objects.count() == 1


def test_balance_export_is_a_real_workbook(client_as, chain, firms):
    response = client_as("office").get(f"/trace/balance/export/?enterprise={firms['tongmei'].pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 2
    assert rows[1][-1] == pytest.approx(12.9666)
