"""Specification schemas per category kind, with per-field errors, and the indexed columns they feed.

A specification is a JSON object. Numeric properties that buyers ask for as limits are ranges
``{"min": x, "max": y}`` (either end optional): an offer states what it guarantees, a demand what it accepts.
Purity is written in nines ("6N", "7N", "6N5") and always means "at least".
"""

import re
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as SchemaError

from .models import CategoryKind

ELEMENTS = frozenset(
    [
        "H",
        "He",
        "Li",
        "Be",
        "B",
        "C",
        "N",
        "O",
        "F",
        "Ne",
        "Na",
        "Mg",
        "Al",
        "Si",
        "P",
        "S",
        "Cl",
        "Ar",
        "K",
        "Ca",
        "Sc",
        "Ti",
        "V",
        "Cr",
        "Mn",
        "Fe",
        "Co",
        "Ni",
        "Cu",
        "Zn",
        "Ga",
        "Ge",
        "As",
        "Se",
        "Br",
        "Kr",
        "Rb",
        "Sr",
        "Y",
        "Zr",
        "Nb",
        "Mo",
        "Tc",
        "Ru",
        "Rh",
        "Pd",
        "Ag",
        "Cd",
        "In",
        "Sn",
        "Sb",
        "Te",
        "I",
        "Xe",
        "Cs",
        "Ba",
        "La",
        "Ce",
        "Pr",
        "Nd",
        "Sm",
        "Eu",
        "Gd",
        "Tb",
        "Dy",
        "Ho",
        "Er",
        "Tm",
        "Yb",
        "Lu",
        "Hf",
        "Ta",
        "W",
        "Re",
        "Os",
        "Ir",
        "Pt",
        "Au",
        "Hg",
        "Tl",
        "Pb",
        "Bi",
    ]
)
PURITY = re.compile(r"^([2-9])N([1-9])?$")


class Range(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min: float | None = Field(None, ge=0)
    max: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _ordered(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(_("the lower limit is above the upper limit"))
        return self


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def nines(purity: str) -> Decimal:
    """ "7N" → 7, "6N5" → 6.5 (99.99995 %)."""
    match = PURITY.match(purity)
    if not match:
        raise ValueError(_("write purity in nines, such as 5N, 6N5 or 7N"))
    return Decimal(match.group(1)) + (Decimal(match.group(2)) / 10 if match.group(2) else 0)


class _Purity(_Spec):
    purity: str

    @field_validator("purity")
    @classmethod
    def _purity(cls, value: str) -> str:
        nines(value.upper())
        return value.upper()


class SubstrateSpec(_Spec):
    material: Literal["GaAs", "InP", "Ge", "GaP", "GaSb", "InAs", "Si", "SiC", "GaN"]
    diameter_in: Literal[2, 3, 4, 6, 8] | None = None
    conduction: Literal["SI", "N", "P"] | None = None
    dopant: str | None = Field(None, max_length=20)
    orientation: str | None = Field(None, pattern=r"^\(\d{3}\)$")
    off_cut_deg: float | None = Field(None, ge=0, le=15)
    resistivity_ohm_cm: Range | None = None
    carrier_cm3: Range | None = None
    mobility_cm2_vs: Range | None = None
    epd_cm2: Range | None = None
    thickness_um: Range | None = None
    grade: Literal["prime", "test", "dummy"] | None = None


class MetalSpec(_Purity):
    element: str
    form: str | None = Field(None, max_length=30)
    impurity_limits_ppm: dict[str, float] = Field(default_factory=dict)

    @field_validator("element")
    @classmethod
    def _element(cls, value: str) -> str:
        if value not in ELEMENTS:
            raise ValueError(_("“%(value)s” is not a chemical element symbol") % {"value": value})
        return value

    @field_validator("impurity_limits_ppm")
    @classmethod
    def _impurities(cls, value: dict) -> dict:
        for symbol, limit in value.items():
            if symbol not in ELEMENTS:
                raise ValueError(_("“%(value)s” is not a chemical element symbol") % {"value": symbol})
            if limit < 0:
                raise ValueError(_("an impurity limit cannot be negative"))
        return value


class GasSpec(_Purity):
    gas: str = Field(max_length=20)
    package: str | None = Field(None, max_length=60)


class VesselSpec(_Spec):
    material: Literal["PBN", "quartz", "graphite", "alumina", "BN"]
    shape: str | None = Field(None, max_length=30)
    outer_diameter_mm: float | None = Field(None, gt=0)
    inner_diameter_mm: float | None = Field(None, gt=0)
    wall_mm: float | None = Field(None, gt=0)
    length_mm: float | None = Field(None, gt=0)
    capacity_ml: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _walls(self):
        if self.outer_diameter_mm and self.inner_diameter_mm and self.inner_diameter_mm >= self.outer_diameter_mm:
            raise ValueError(_("the inner diameter must be smaller than the outer diameter"))
        return self


class RecoverySpec(_Spec):
    feed: str = Field(max_length=30)
    recovered: str | None = Field(None, max_length=20)
    recovery_rate_pct: float | None = Field(None, ge=0, le=100)
    min_batch_kg: float | None = Field(None, gt=0)


class EquipmentSpec(_Spec):
    equipment: str = Field(max_length=60)
    model: str | None = Field(None, max_length=60)
    power_kw: float | None = Field(None, gt=0)


class OtherSpec(BaseModel):
    model_config = ConfigDict(extra="allow")


SCHEMAS: dict[str, type[BaseModel]] = {
    CategoryKind.SUBSTRATE: SubstrateSpec,
    CategoryKind.METAL: MetalSpec,
    CategoryKind.GAS: GasSpec,
    CategoryKind.VESSEL: VesselSpec,
    CategoryKind.RECOVERY: RecoverySpec,
    CategoryKind.EQUIPMENT: EquipmentSpec,
    CategoryKind.OTHER: OtherSpec,
}

LABELS = {
    "material": gettext_lazy("material"),
    "diameter_in": gettext_lazy("diameter (inch)"),
    "conduction": gettext_lazy("conduction type"),
    "dopant": gettext_lazy("dopant"),
    "orientation": gettext_lazy("orientation"),
    "off_cut_deg": gettext_lazy("off-cut (°)"),
    "resistivity_ohm_cm": gettext_lazy("resistivity (Ω·cm)"),
    "carrier_cm3": gettext_lazy("carrier concentration (cm⁻³)"),
    "mobility_cm2_vs": gettext_lazy("mobility (cm²/V·s)"),
    "epd_cm2": gettext_lazy("etch-pit density (cm⁻²)"),
    "thickness_um": gettext_lazy("thickness (µm)"),
    "grade": gettext_lazy("grade"),
    "element": gettext_lazy("element"),
    "purity": gettext_lazy("purity"),
    "form": gettext_lazy("form"),
    "impurity_limits_ppm": gettext_lazy("impurity limits (ppm)"),
    "gas": gettext_lazy("gas"),
    "package": gettext_lazy("package"),
    "shape": gettext_lazy("shape"),
    "outer_diameter_mm": gettext_lazy("outer diameter (mm)"),
    "inner_diameter_mm": gettext_lazy("inner diameter (mm)"),
    "wall_mm": gettext_lazy("wall (mm)"),
    "length_mm": gettext_lazy("length (mm)"),
    "capacity_ml": gettext_lazy("capacity (ml)"),
    "feed": gettext_lazy("feed material"),
    "recovered": gettext_lazy("recovered element"),
    "recovery_rate_pct": gettext_lazy("recovery rate (%)"),
    "min_batch_kg": gettext_lazy("minimum batch (kg)"),
    "equipment": gettext_lazy("equipment"),
    "model": gettext_lazy("model"),
    "power_kw": gettext_lazy("power (kW)"),
    "min": gettext_lazy("from"),
    "max": gettext_lazy("to"),
}

# spec key → (column for the lower end, column for the upper end); None where the end is not matched.
RANGE_COLUMNS = {
    "resistivity_ohm_cm": ("resistivity_min", "resistivity_max"),
    "carrier_cm3": ("carrier_min", "carrier_max"),
    "mobility_cm2_vs": ("mobility_min", None),
    "epd_cm2": (None, "epd_max"),
    "thickness_um": ("thickness_min", "thickness_max"),
}
EXACT_COLUMNS = ("material", "conduction", "diameter_in")
COLUMNS = (
    *EXACT_COLUMNS,
    "purity_n",
    *sorted({c for pair in RANGE_COLUMNS.values() for c in pair if c}),
)
# Which spec key names the material column, per kind.
MATERIAL_KEY = {
    CategoryKind.SUBSTRATE: "material",
    CategoryKind.METAL: "element",
    CategoryKind.GAS: "gas",
    CategoryKind.VESSEL: "material",
    CategoryKind.RECOVERY: "feed",
}


def validate(kind: str, specs) -> dict:
    """The specification cleaned by the kind's schema, or a ValidationError on ``specs`` naming each bad field."""
    if not isinstance(specs, dict):
        raise ValidationError({"specs": [_("Specifications must be an object of named values.")]})
    try:
        cleaned = SCHEMAS[kind].model_validate(specs)
    except SchemaError as exc:
        raise ValidationError({"specs": [_describe(err) for err in exc.errors()]}) from None
    return cleaned.model_dump(exclude_none=True, exclude_defaults=True)


def columns_for(kind: str, specs: dict) -> dict:
    """Values of the indexed spec columns for a cleaned specification (None where not stated)."""
    columns = dict.fromkeys(COLUMNS)
    columns["material"] = columns["conduction"] = ""
    key = MATERIAL_KEY.get(kind)
    if key and specs.get(key):
        columns["material"] = specs[key]
    columns["conduction"] = specs.get("conduction", "")
    if specs.get("diameter_in") is not None:
        columns["diameter_in"] = Decimal(specs["diameter_in"])
    if specs.get("purity"):
        columns["purity_n"] = nines(specs["purity"])
    for name, (low, high) in RANGE_COLUMNS.items():
        value = specs.get(name) or {}
        if low:
            columns[low] = value.get("min")
        if high:
            columns[high] = value.get("max")
    return columns


def spec_rows(specs: dict) -> list[tuple[str, str]]:
    """(label, value) pairs for showing a specification; ranges as "from 1 to 5"."""
    rows = []
    for key, value in specs.items():
        if isinstance(value, dict):
            value = ", ".join(f"{LABELS.get(k, k)} {v}" for k, v in value.items())
        rows.append((field_label([key]), value))
    return rows


def field_label(path) -> str:
    return " ".join(str(LABELS.get(str(p), p)) for p in path if not isinstance(p, int))


def _describe(err: dict) -> str:
    label = field_label(err.get("loc", ())) or _("specification")
    kind, ctx = err.get("type", ""), err.get("ctx", {})
    messages = {
        "missing": _("is required"),
        "extra_forbidden": _("is not a known specification for this category"),
        "greater_than_equal": _("must be at least %(limit)s") % {"limit": ctx.get("ge")},
        "greater_than": _("must be more than %(limit)s") % {"limit": ctx.get("gt")},
        "less_than_equal": _("must be at most %(limit)s") % {"limit": ctx.get("le")},
        "literal_error": _("must be one of %(choices)s") % {"choices": ctx.get("expected")},
        "float_parsing": _("must be a number"),
        "float_type": _("must be a number"),
        "string_type": _("must be text"),
        "string_too_long": _("is too long"),
        "string_pattern_mismatch": _("has the wrong format"),
        "dict_type": _("must be an object"),
        "model_type": _("must be an object"),
    }
    if kind == "value_error":
        text = str(ctx.get("error", err.get("msg", "")))
    else:
        text = messages.get(kind, err.get("msg", ""))
    return f"{label}: {text}"
