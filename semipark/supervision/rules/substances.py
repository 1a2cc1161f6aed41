"""Gas and wastewater facts (exposure limits, IDLH, LEL, molar mass) from the versioned data file, and unit conversion.

Pure: reads only ``data/gas_detection.json`` inside this package, never Django or the database.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "gas_detection.json"

# Gas-phase concentration units a detector may read; everything else (mg/L, pH, kW...) is not a gas unit.
PPM, MG_M3, PCT_VOL, PCT_LEL = "ppm", "mg/m3", "%VOL", "%LEL"
PPM_PER_PCT_VOL = 10_000


@dataclass(frozen=True)
class ExposureLimit:
    """The occupational exposure limit used for setpoints: MAC where GBZ 2.1 gives one, else PC-TWA."""

    kind: str  # "MAC" or "PC-TWA"
    mg_m3: float
    source: str
    verified: bool


@dataclass(frozen=True)
class Gas:
    formula: str
    name: str
    en: str
    molar_mass: float
    oel: ExposureLimit | None = None
    idlh_ppm: float | None = None
    idlh_source: str = ""
    idlh_verified: bool = False
    lel_pct_vol: float | None = None
    lel_source: str = ""
    lel_verified: bool = False


@dataclass(frozen=True)
class WaterLimit:
    substance: str
    max_mg_l: float
    source: str
    verified: bool


@cache
def table() -> dict:
    """The whole data file (read once)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def gases() -> dict[str, Gas]:
    """Every gas of the table by formula."""
    return {row["formula"]: _gas(row) for row in table()["gases"]}


def gas(formula: str) -> Gas | None:
    """The gas with this formula (case-sensitive as chemists write it: AsH3, PH3, HCl), or None."""
    return gases().get(formula.strip())


def wastewater_limit(substance: str) -> WaterLimit | None:
    row = table()["wastewater"].get(substance.strip())
    if row is None:
        return None
    return WaterLimit(substance, row["max_mg_L"], row["source"], row["verified"])


def ppm_from_mg_m3(mg_m3: float, molar_mass: float, molar_volume_l: float) -> float:
    """ppm = mg/m3 x Vm / M (ideal gas at the reference condition of ``molar_volume_l``)."""
    return mg_m3 * molar_volume_l / molar_mass


def mg_m3_from_ppm(ppm: float, molar_mass: float, molar_volume_l: float) -> float:
    return ppm * molar_mass / molar_volume_l


def convert_ppm(ppm: float, unit: str, gas: Gas, molar_volume_l: float) -> float | None:
    """A concentration in ppm expressed in a detector ``unit``; None when the unit cannot express it."""
    if unit == PPM:
        return ppm
    if unit == MG_M3:
        return mg_m3_from_ppm(ppm, gas.molar_mass, molar_volume_l)
    if unit == PCT_VOL:
        return ppm / PPM_PER_PCT_VOL
    if unit == PCT_LEL and gas.lel_pct_vol:
        return ppm / PPM_PER_PCT_VOL / gas.lel_pct_vol * 100
    return None


def _gas(row: dict) -> Gas:
    oel = None
    limits = row.get("oel_mg_m3") or {}
    for kind in ("MAC", "PC-TWA"):  # MAC where GBZ 2.1 gives one, otherwise PC-TWA
        if kind in limits:
            oel = ExposureLimit(kind, float(limits[kind]), row.get("oel_source", ""), bool(row.get("oel_verified")))
            break
    return Gas(
        formula=row["formula"],
        name=row["name"],
        en=row["en"],
        molar_mass=float(row["molar_mass"]),
        oel=oel,
        idlh_ppm=row.get("idlh_ppm"),
        idlh_source=row.get("idlh_source", ""),
        idlh_verified=bool(row.get("idlh_verified")),
        lel_pct_vol=row.get("lel_pct_vol"),
        lel_source=row.get("lel_source", ""),
        lel_verified=bool(row.get("lel_verified")),
    )
