from datetime import date
from decimal import Decimal

import pytest

from semipark.trace import exportcontrol, materials


def test_gaas_is_482_permille_gallium_from_atomic_weights():
    # 69.723 / (69.723 + 74.922) = 0.482028...
    assert materials.get("GaAs-wafer").gallium_fraction == Decimal("0.482028")
    assert round(materials.get("GaAs-crystal").gallium_fraction * 100, 1) == Decimal("48.2")
    assert materials.get("Ga").gallium_fraction == 1
    assert materials.get("As").gallium_fraction == 0
    # Ga2O3: 2·69.723 / (2·69.723 + 3·15.999) = 0.743938
    assert materials.get("Ga2O3").gallium_fraction == Decimal("0.743938")


def test_material_aliases_follow_the_catalogue_codes():
    assert materials.get("GaAs").code == "GaAs-wafer"
    assert materials.get("scrap-gaas").code == "GaAs-scrap"
    assert materials.get("nothing") is None


@pytest.mark.parametrize(
    ("hs", "name", "code"),
    [
        ("8112929010", "", "ga-metal"),
        ("8110929010", "", "ga-metal"),  # the alias of the first gallium code
        ("8112.92.9090", "", "ga-metal"),
        ("2853909026", "", "ga-arsenide"),
        ("", "4英寸半绝缘砷化镓晶片", "ga-arsenide"),
        ("", "InGaAs epitaxial wafer (indium gallium arsenide)", "ga-ingaas"),
        ("", "四氯化锗 99.9999%", "ge-tetrachloride"),
        ("", "7N 高纯镓", "ga-metal"),
        ("", "organic solvent", None),
        ("", "高纯砷 7N", None),
        ("2804800000", "arsenic", None),
    ],
)
def test_match_by_code_or_name(hs, name, code):
    found = exportcontrol.match(hs, name, on=date(2026, 11, 28))
    assert (found.code if found else None) == code


def test_nothing_is_controlled_before_the_list_took_force():
    assert exportcontrol.match("8112929010", on=date(2023, 7, 31)) is None
    assert exportcontrol.match("8112929010", on=date(2023, 8, 1)).code == "ga-metal"


def test_customs_territory_is_the_mainland_only():
    assert exportcontrol.inside_customs_territory("CN")
    assert exportcontrol.inside_customs_territory("cn")
    for outside in ("HK", "MO", "TW", "US", "DE"):
        assert not exportcontrol.inside_customs_territory(outside)


@pytest.mark.parametrize(
    ("day", "prohibited"),
    [
        (date(2024, 12, 2), False),  # before No. 46
        (date(2024, 12, 3), True),
        (date(2025, 11, 8), True),
        (date(2025, 11, 9), False),  # suspended
        (date(2026, 11, 27), False),  # last day of the suspension
        (date(2026, 11, 28), True),  # today: the clause applies again
    ],
)
def test_united_states_rule_follows_its_dates(day, prohibited):
    gallium = exportcontrol.item_by_code("ga-metal", day)
    assert (exportcontrol.prohibiting_rule(gallium, "US", day) is not None) is prohibited
    assert exportcontrol.prohibiting_rule(gallium, "DE", day) is None


def test_check_destination_names_the_document():
    gallium = exportcontrol.item_by_code("ga-metal", date(2026, 11, 28))
    with pytest.raises(exportcontrol.DestinationProhibited, match="2024年第46号"):
        exportcontrol.check_destination(gallium, "US", date(2026, 11, 28))
    exportcontrol.check_destination(gallium, "US", date(2026, 11, 27))
    assert issubclass(exportcontrol.LicenceRequired, exportcontrol.TransitionRefused)
