"""GB/T 50493-2019 5.5.2 default setpoints against the data table, worked examples and boundaries."""

import json

import pytest

from semipark.supervision.rules import setpoints, substances
from semipark.supervision.rules.setpoints import default_rules

VM = 24.04
ROWS = json.loads(substances.DATA_FILE.read_text(encoding="utf-8"))["gases"]
TOXIC = [row for row in ROWS if "oel_mg_m3" in row]
COMBUSTIBLE = [row for row in ROWS if row.get("combustible")]


def rules(kind, substance, unit, range_min=0.0, range_max=1000.0, vm=VM, arsenic=0.5):
    return default_rules(kind, substance, unit, range_min, range_max, molar_volume_l=vm, arsenic_limit_mg_l=arsenic)


def levels(specs):
    return {(s.kind, s.level): s for s in specs if s.level}


def oel_mg(row):
    limits = row["oel_mg_m3"]
    return limits["MAC"] if "MAC" in limits else limits["PC-TWA"]


@pytest.mark.parametrize("row", TOXIC, ids=lambda r: r["formula"])
def test_toxic_gas_levels_are_100_and_200_percent_of_the_oel_in_ppm(row):
    ppm = oel_mg(row) * VM / row["molar_mass"]
    found = levels(rules("toxic_gas", row["formula"], "ppm", range_max=ppm * 2))
    assert found[("high", 1)].threshold == pytest.approx(ppm)
    assert found[("high", 2)].threshold == pytest.approx(2 * ppm)
    assert set(found) == {("high", 1), ("high", 2)}
    for spec in found.values():
        assert spec.verified is row["oel_verified"]
        assert row["formula"] in spec.source and "GB/T 50493-2019" in spec.source and "GBZ 2.1" in spec.source
        assert ("MAC" if "MAC" in row["oel_mg_m3"] else "PC-TWA") in spec.source
        assert ("not verified" in spec.source) is not row["oel_verified"]


@pytest.mark.parametrize("row", TOXIC, ids=lambda r: r["formula"])
def test_toxic_gas_levels_in_mg_m3_are_the_limit_itself(row):
    found = levels(rules("toxic_gas", row["formula"], "mg/m3"))
    assert found[("high", 1)].threshold == oel_mg(row)
    assert found[("high", 2)].threshold == 2 * oel_mg(row)


@pytest.mark.parametrize(
    ("formula", "level1_ppm"),
    [("HCl", 4.95), ("NH3", 28.2), ("AsH3", 0.00925), ("Cl2", 0.339), ("HF", 2.40), ("PH3", 0.212)],
)
def test_worked_examples_at_24_04_l_per_mol(formula, level1_ppm):
    found = levels(rules("toxic_gas", formula, "ppm"))
    # The figures are rounded to three significant digits; the setpoint itself is not rounded.
    assert found[("high", 1)].threshold == pytest.approx(level1_ppm, rel=2e-3)
    assert "24.04 L/mol (20 C" in found[("high", 1)].source


def test_molar_volume_setting_changes_the_conversion_and_is_shown():
    found = levels(rules("toxic_gas", "HCl", "ppm", vm=24.45))
    assert found[("high", 1)].threshold == pytest.approx(7.5 * 24.45 / 36.46)
    assert "24.45 L/mol (25 C" in found[("high", 1)].source
    assert "22.4 L/mol" in levels(rules("toxic_gas", "HCl", "ppm", vm=22.4))[("high", 1)].source


HCL_LEVEL2 = 2 * 7.5 * VM / 36.46  # 9.89 ppm


def test_idlh_boundary_at_the_top_of_the_range():
    at_top = levels(rules("toxic_gas", "HCl", "ppm", range_max=HCL_LEVEL2))
    assert at_top[("high", 2)].threshold == pytest.approx(HCL_LEVEL2)
    below = levels(rules("toxic_gas", "HCl", "ppm", range_max=HCL_LEVEL2 * (1 - 1e-9)))
    # IDLH of HCl is 50 ppm: 5 % = 2.5 ppm, 10 % = 5 ppm.
    assert below[("high", 1)].threshold == pytest.approx(2.5)
    assert below[("high", 2)].threshold == pytest.approx(5.0)
    assert "5 % IDLH" in below[("high", 1)].source and "NIOSH" in below[("high", 1)].source
    assert below[("high", 1)].verified is False  # IDLH figures are not confirmed against the standard's text


def test_idlh_boundary_at_the_bottom_of_the_range():
    level1 = 7.5 * VM / 36.46
    just_below = levels(rules("toxic_gas", "HCl", "ppm", range_min=level1 * (1 - 1e-9), range_max=100))
    assert just_below[("high", 1)].threshold == pytest.approx(level1)
    at_level1 = levels(rules("toxic_gas", "HCl", "ppm", range_min=level1, range_max=100))
    assert at_level1[("high", 1)].threshold == pytest.approx(2.5)


def test_idlh_setpoints_outside_the_range_say_the_detector_is_unsuitable():
    found = levels(rules("toxic_gas", "NH3", "ppm", range_max=20))  # 10 % IDLH = 30 ppm > 20
    assert found[("high", 2)].threshold == pytest.approx(30)
    assert "choose a detector with a suitable range" in found[("high", 2)].source


def test_arsine_on_a_0_to_1_ppm_detector_keeps_the_oel_setpoints():
    found = levels(rules("toxic_gas", "AsH3", "ppm", range_max=1))
    assert found[("high", 1)].threshold == pytest.approx(0.00925, rel=1e-3)
    assert found[("high", 2)].threshold == pytest.approx(0.0185, rel=1e-3)


@pytest.mark.parametrize("row", COMBUSTIBLE, ids=lambda r: r["formula"])
def test_combustible_gas_levels_are_25_and_50_percent_lel(row):
    lel = row["lel_pct_vol"]
    in_vol = levels(rules("combustible_gas", row["formula"], "%VOL", range_max=100))
    assert in_vol[("high", 1)].threshold == pytest.approx(lel * 0.25)
    assert in_vol[("high", 2)].threshold == pytest.approx(lel * 0.5)
    in_ppm = levels(rules("combustible_gas", row["formula"], "ppm", range_max=100_000))
    assert in_ppm[("high", 1)].threshold == pytest.approx(lel * 0.25 * 10_000)
    in_mg = levels(rules("combustible_gas", row["formula"], "mg/m3", range_max=1e9))
    assert in_mg[("high", 2)].threshold == pytest.approx(lel * 0.5 * 10_000 * row["molar_mass"] / VM)
    assert f"LEL {lel:g} %VOL" in in_vol[("high", 1)].source


def test_combustible_gas_in_percent_lel_needs_no_gas_data():
    found = levels(rules("combustible_gas", "", "%LEL", range_max=100))
    assert (found[("high", 1)].threshold, found[("high", 2)].threshold) == (25.0, 50.0)
    assert found[("high", 1)].verified is True
    assert levels(rules("combustible_gas", "H2", "%LEL", range_max=100))[("high", 2)].source.endswith("50 % LEL (H2)")
    assert levels(rules("combustible_gas", "Unobtainium", "%VOL", range_max=100)) == {}


def test_oxygen_low_and_high():
    found = levels(rules("oxygen", "O2", "%VOL", range_max=25))
    assert found[("low", 1)].threshold == 19.5
    assert found[("high", 1)].threshold == 23.5
    assert found[("low", 1)].deadband == pytest.approx(0.05 * (25 - 19.5))
    assert levels(rules("oxygen", "O2", "ppm", range_max=250_000)) == {}


def test_wastewater_arsenic_default_and_configured_limit():
    default = levels(rules("water_quality", "As", "mg/L", range_max=2))
    assert default[("high", 2)].threshold == 0.5
    assert "GB 8978-1996" in default[("high", 2)].source and default[("high", 2)].verified is False
    configured = levels(rules("water_quality", "As", "mg/L", range_max=2, arsenic=0.1))
    assert configured[("high", 2)].threshold == 0.1
    assert "WASTEWATER_ARSENIC_LIMIT_MG_L" in configured[("high", 2)].source
    assert levels(rules("water_quality", "pH", "pH", range_max=14)) == {}


@pytest.mark.parametrize(
    ("kind", "substance", "unit"),
    [("toxic_gas", "AsH3", "ppm"), ("flow", "", "m3/h"), ("power", "", "kW"), ("toxic_gas", "XYZ", "ppm")],
)
def test_every_sensor_has_the_two_fault_rules(kind, substance, unit):
    faults = [s for s in rules(kind, substance, unit) if s.level == 0]
    assert [(s.kind, s.threshold) for s in faults] == [("range", None), ("comm", None)]
    assert "0-1000" in faults[0].source


def test_default_deadband_is_five_percent_of_the_distance_from_the_range_bottom():
    found = levels(rules("combustible_gas", "", "%LEL", range_min=0, range_max=100))
    assert found[("high", 1)].deadband == pytest.approx(1.25)


def test_unit_conversion_round_trip():
    ppm = substances.ppm_from_mg_m3(7.5, 36.46, VM)
    assert substances.mg_m3_from_ppm(ppm, 36.46, VM) == pytest.approx(7.5)
    assert setpoints.molar_volume_condition(24.04) == "24.04 L/mol (20 C, 101.3 kPa)"
