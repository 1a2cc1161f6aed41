"""Sensors in and out of Excel: every row checked first, nothing written when any row is wrong."""

import io

from openpyxl import Workbook, load_workbook

from semipark.supervision import excel
from semipark.supervision.models import Sensor

HEADER = [column.key for column in excel.COLUMNS]


def sheet(*rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "sensors.xlsx"
    return buffer


def plot_corner(enterprise):
    plot = enterprise.plots.order_by("code").first()
    return plot.code, plot.geometry["coordinates"][0][0]


def test_export_lists_visible_sensors_with_their_place(client_as, plant):
    response = client_as("a_user").get("/supervision/sensors/export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:4] == ("tongmei", "gdc-1", "ash3-1", "通美晶体 arsine")
    assert rows[1][6:9] == ("ppm", 0, 1)


def test_import_creates_and_updates_with_rules(client_as, plant, enterprise_a):
    code, (x0, y0) = plot_corner(enterprise_a)
    upload = sheet(
        ("", "gdc-1", "ash3-1", "renamed arsine", "toxic_gas", "AsH3", "ppm", 0, 1, 10, code, "hall 1", x0 + 5, y0 + 5),
        ("", "gdc-1", "h2-1", "hydrogen", "Combustible gas", "H2", "%LEL", 0, 100, 5, code, "hall 1", x0 + 6, y0 + 6),
    )
    response = client_as("a_admin").post("/supervision/sensors/import/", {"file": upload})
    assert response.status_code == 302
    assert Sensor.objects.get(pk=plant["a_sensor"].pk).name == "renamed arsine"
    hydrogen = Sensor.objects.get(device=plant["a_device"], key="h2-1")
    assert sorted(r.threshold for r in hydrogen.rules.filter(kind="high")) == [25, 50]


def test_one_bad_row_writes_nothing_and_reports_every_problem(client_as, plant, enterprise_a):
    code, (x0, y0) = plot_corner(enterprise_a)
    upload = sheet(
        ("", "gdc-1", "ph3-1", "phosphine", "toxic_gas", "PH3", "ppm", 0, 1, 10, code, "", x0 + 5, y0 + 5),
        ("", "gdc-9", "x-1", "ghost device", "toxic_gas", "PH3", "ppm", 0, 1, 10, "", "", None, None),
        ("", "gdc-1", "x-2", "bad kind", "radioactive", "", "furlongs", 0, "ten", 10, "", "", None, None),
        ("", "gdc-1", "x-3", "far away", "oxygen", "O2", "%VOL", 0, 25, 10, code, "", x0 - 100, y0),
        ("", "gdc-1", "ph3-1", "twice", "toxic_gas", "PH3", "ppm", 0, 1, 10, "", "", None, None),
    )
    response = client_as("a_admin").post("/supervision/sensors/import/", {"file": upload})
    assert response.status_code == 200
    errors = response.context["report"].errors
    by_row = {}
    for row, column, _message in errors:
        by_row.setdefault(row, set()).add(column)
    assert by_row == {3: {"device"}, 4: {"kind", "unit", "range_max"}, 5: {"x"}, 6: {"key"}}
    assert not Sensor.objects.filter(key__in=["ph3-1", "x-1", "x-2", "x-3"]).exists()


def test_import_cannot_reach_another_enterprises_devices(client_as, plant):
    upload = sheet(("jinmei", "gdc-1", "ash3-1", "hijack", "toxic_gas", "AsH3", "ppm", 0, 1, 10, "", "", None, None))
    response = client_as("a_admin").post("/supervision/sensors/import/", {"file": upload})
    assert response.status_code == 200 and response.context["report"].errors[0][1] == "device"
    assert Sensor.objects.get(pk=plant["b_sensor"].pk).name != "hijack"


def test_office_must_name_the_enterprise_when_codes_repeat(client_as, plant):
    row = ("", "gdc-1", "ash3-1", "which one", "toxic_gas", "AsH3", "ppm", 0, 1, 10, "", "", None, None)
    response = client_as("office").post("/supervision/sensors/import/", {"file": sheet(row)})
    assert response.context["report"].errors[0][1] == "enterprise"
    named = ("jinmei", *row[1:])
    assert client_as("office").post("/supervision/sensors/import/", {"file": sheet(named)}).status_code == 302
    assert Sensor.objects.get(pk=plant["b_sensor"].pk).name == "which one"


def test_missing_columns_and_unreadable_files_are_reported(client_as, plant):
    missing = client_as("a_admin").post("/supervision/sensors/import/", {"file": sheet(header=["device", "key"])})
    assert missing.context["report"].errors[0][0] == 1
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    assert not client_as("a_admin").post("/supervision/sensors/import/", {"file": junk}).context["report"].ok
    assert client_as("regulator").get("/supervision/sensors/import/").status_code == 404
