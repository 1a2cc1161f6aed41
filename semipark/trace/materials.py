"""Materials of lots and their gallium mass fraction, computed from composition and standard atomic weights.

The table is data (``data/materials.json``); this module only reads it. Pure: no database.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from django.utils.translation import get_language

FRACTION_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    name_en: str
    composition: dict
    gallium_fraction: Decimal  # kg of gallium per kg of material
    control_item: str = ""  # export-controlled item code, see data/export_control.json
    note: str = ""

    @property
    def label(self) -> str:
        return self.name if (get_language() or "zh").startswith("zh") else self.name_en


@dataclass(frozen=True)
class Process:
    code: str
    name: str
    name_en: str
    inputs: frozenset | None  # None: any material
    outputs: frozenset | None

    @property
    def label(self) -> str:
        return self.name if (get_language() or "zh").startswith("zh") else self.name_en


def mass_fraction(composition: dict, element: str, weights: dict) -> Decimal:
    """Mass fraction of ``element`` in a formula unit: n·A(element) / Σ n·A."""
    total = sum(Decimal(weights[el]) * n for el, n in composition.items())
    if not total:
        return Decimal(0)
    return (Decimal(weights[element]) * composition.get(element, 0) / total).quantize(FRACTION_PLACES)


@cache
def _table() -> dict:
    return json.loads(resources.files("semipark.trace").joinpath("data/materials.json").read_text("utf-8"))


@cache
def all_materials() -> dict[str, Material]:
    weights = _table()["atomic_weights"]["values"]
    return {
        row["code"]: Material(
            code=row["code"],
            name=row["name"],
            name_en=row["name_en"],
            composition=row["composition"],
            gallium_fraction=mass_fraction(row["composition"], "Ga", weights),
            control_item=row.get("control_item", ""),
            note=row.get("note", ""),
        )
        for row in _table()["materials"]
    }


@cache
def _aliases() -> dict[str, str]:
    found = {}
    for row in _table()["materials"]:
        for name in [row["code"], *row.get("aliases", [])]:
            found[name.lower()] = row["code"]
    return found


def get(code: str) -> Material | None:
    """The material with this code or alias (case-insensitive), e.g. "GaAs" or "scrap-GaAs"."""
    canonical = _aliases().get((code or "").strip().lower())
    return all_materials()[canonical] if canonical else None


def choices() -> list[tuple[str, str]]:
    return [(m.code, f"{m.name} {m.name_en}") for m in all_materials().values()]


@cache
def processes() -> dict[str, Process]:
    rows = {k: v for k, v in _table()["processes"].items() if k != "about"}
    return {
        code: Process(
            code=code,
            name=row["name"],
            name_en=row["name_en"],
            inputs=frozenset(row["inputs"]) if row["inputs"] is not None else None,
            outputs=frozenset(row["outputs"]) if row["outputs"] is not None else None,
        )
        for code, row in rows.items()
    }


def atomic_weights_source() -> str:
    return _table()["atomic_weights"]["source"]
