"""The register in Excel: export, re-import unchanged, and a bad workbook that writes nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from semipark.core.audit import snapshot
from semipark.core.models import AuditEntry
from semipark.park.models import Enterprise

HEADER_EN = [
    "Code",
    "Name",
    "Short name",
    "Unified social credit code",
    "Registered capital (yuan)",
    "Founded",
    "Status",
    "Chain items",
    "Above designated size",
    "Address",
]


def export(client, **params):
    response = client.get("/park/enterprises/export/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response.content


def upload(client, content: bytes, name="register.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/park/enterprises/import/", {"file": file})


def workbook(rows, header=HEADER_EN) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def register_state():
    return {e.code: (snapshot(e), sorted(e.chain_items.values_list("pk", flat=True))) for e in Enterprise.objects.all()}


def test_export_is_a_real_workbook_with_every_enterprise(client_as):
    sheet = load_workbook(io.BytesIO(export(client_as("office")))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "代码" and len(rows[0]) == 10  # Chinese headers by default
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == set(Enterprise.objects.values_list("code", flat=True))
    tongmei = Enterprise.objects.get(code="tongmei")
    assert by_code["tongmei"][3] == tongmei.uscc
    assert Decimal(str(by_code["tongmei"][4])) == tongmei.registered_capital
    assert by_code["tongmei"][6] == "投产"


def test_export_follows_the_list_filters(client_as):
    rows = list(load_workbook(io.BytesIO(export(client_as("office"), status="negotiating"))).active.values)
    assert {r[0] for r in rows[1:]} == {"quartzsand", "phosphorus", "helium"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_export_then_import_changes_nothing(client_as, language):
    client = client_as("office")
    client.cookies["django_language"] = language
    before, entries = register_state(), AuditEntry.objects.count()
    content = export(client)
    response = upload(client, content)
    assert response.status_code == 302, response.context["report"].errors if response.context else ""
    after = register_state()
    for code, (values, items) in before.items():
        values.pop("updated", None)
        after_values, after_items = after[code]
        after_values.pop("updated", None)
        assert (after_values, after_items) == (values, items), code
    # Every row was saved through the audited service, but none changed a value.
    updates = AuditEntry.objects.filter(kind="update", model="park.enterprise", id__gt=entries)
    assert all(not e.after for e in updates)


def test_round_trip_with_edits_creates_and_updates(client_as):
    client = client_as("staff")
    wb = load_workbook(io.BytesIO(export(client)))
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "boyu":
            row[4].value = 450_000_000
            row[9].value = "博宇新址"
    ws.append(
        [
            "newco",
            "朝阳新材料有限公司",
            "新材料",
            "91110108551385082q",
            "1,200,000",
            date(2023, 5, 1),
            "registered",
            "石英砂、helium",
            "否",
            "",
        ]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client, buffer.getvalue())
    assert response.status_code == 302
    boyu = Enterprise.objects.get(code="boyu")
    assert boyu.registered_capital == 450_000_000 and boyu.address == "博宇新址"
    new = Enterprise.objects.get(code="newco")
    assert new.uscc == "91110108551385082Q" and new.registered_capital == Decimal("1200000")
    assert new.founded == date(2023, 5, 1) and not new.above_size
    assert set(new.chain_items.values_list("code", flat=True)) == {"quartz-sand", "helium"}
    assert AuditEntry.objects.filter(kind="create", object_id=str(new.pk), message="Excel 导入").exists()


def test_bad_rows_are_reported_row_by_row_and_nothing_is_written(client_as):
    client = client_as("office")
    before, entries = register_state(), AuditEntry.objects.count()
    content = workbook(
        [
            ["good", "朝阳完好有限公司", "完好", "", "100", "2020-01-01", "registered", "", "", ""],  # row 2: fine
            ["badcode", "朝阳坏码有限公司", "坏码", "91440300708461136A", "", "", "registered", "", "", ""],  # 3
            ["badstatus", "朝阳状态有限公司", "状态", "", "", "", "flying", "", "", ""],  # 4
            ["good", "朝阳重复有限公司", "重复", "", "", "", "registered", "", "", ""],  # 5: duplicate code
            ["badmoney", "朝阳资本有限公司", "资本", "", "lots", "", "registered", "", "", ""],  # 6
            ["baddate", "朝阳日期有限公司", "日期", "", "", "2020-13-45", "registered", "", "", ""],  # 7
            ["baditem", "朝阳链条有限公司", "链条", "", "", "", "registered", "unobtainium", "", ""],  # 8
        ]
    )
    response = upload(client, content)
    assert response.status_code == 200
    errors = response.context["report"].errors
    by_row = {}
    for row, column, message in errors:
        by_row.setdefault(row, []).append((column, message))
    assert set(by_row) == {3, 4, 5, 6, 7, 8}
    assert by_row[3][0][0] == "uscc" and "T" in by_row[3][0][1]
    assert by_row[4] == [("status", "未知的状态“flying”。")] or by_row[4][0][0] == "status"
    assert by_row[5][0][0] == "code" and "2" in by_row[5][0][1]
    assert by_row[6][0][0] == "registered_capital" and "lots" in by_row[6][0][1]
    assert by_row[7][0][0] == "founded" and "2020-13-45" in by_row[7][0][1]
    assert by_row[8][0][0] == "chain_items" and "unobtainium" in by_row[8][0][1]
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "unobtainium" in page
    assert register_state() == before
    assert not Enterprise.objects.filter(code="good").exists()
    assert AuditEntry.objects.count() == entries


def test_missing_columns_and_unreadable_files_are_reported(client_as):
    client = client_as("office")
    response = upload(client, workbook([["x"]], header=["Code", "Name"]))
    assert "Short name" in response.context["report"].errors[0][2] or "简称" in response.context["report"].errors[0][2]
    response = upload(client, b"not a workbook at all", name="fake.xlsx")
    assert response.status_code == 200 and response.context["report"].errors[0][0] == 0
    response = upload(client, workbook([]))
    assert response.context["report"].errors, "an empty sheet is reported, not silently accepted"


@pytest.mark.parametrize("who", ["a_admin", "a_user", "regulator"])
def test_export_and_import_are_for_the_office(client_as, who):
    client = client_as(who)
    assert client.get("/park/enterprises/export/").status_code == 404
    before = register_state()
    assert (
        upload(client, workbook([["x", "朝阳某有限公司", "某", "", "", "", "registered", "", "", ""]])).status_code
        == 404
    )
    assert register_state() == before
