"""Default alarm setpoints of a sensor, following GB/T 50493-2019 clause 5.5.2 (pure functions over the data file).

- Toxic gas: level 1 = 100 % and level 2 = 200 % of the occupational exposure limit (OEL: MAC where GBZ 2.1
  gives one, else PC-TWA), converted from mg/m3 to the detector's unit with ppm = mg/m3 x Vm / M.
  When the detector's range cannot indicate those values, level 1 = 5 % and level 2 = 10 % of IDLH instead.
  "Cannot indicate" is decided exactly so: the OEL setpoints are used when ``range_min < level 1`` and
  ``level 2 <= range_max`` (a detector alarms only at values it can show: level 1 must lie above the bottom of
  its range, level 2 at or below its full scale); otherwise the IDLH setpoints are used, and when even those
  lie outside the range the source text says the detector's range is unsuitable.
- Combustible gas: level 1 = 25 % LEL, level 2 = 50 % LEL (converted with the LEL for %VOL, ppm or mg/m3).
- Oxygen (%VOL): low alarm 19.5 %, high alarm 23.5 %. The clause gives one setpoint each; both are level 1,
  the first call to act.
- Wastewater total arsenic (mg/L): above the configured limit (GB 8978-1996 gives 0.5 mg/L, a first-class
  pollutant). Exceeding a discharge limit is a breach, so it is level 2.
- Every sensor: a reading outside the measuring range is a sensor fault, and silence for longer than three
  reporting periods is a communication fault (both level 0, "fault").

Thresholds are not rounded: the clause sets maxima ("not above 100 % OEL"), and rounding up would exceed them.
Deadbands are not in the standard; the default is 5 % of the distance between the threshold and the end of
the range where normal values lie, so an alarm does not chatter around its setpoint. Sites override both.
"""

from dataclasses import dataclass

from .substances import (
    MG_M3,
    PCT_LEL,
    PCT_VOL,
    PPM_PER_PCT_VOL,
    Gas,
    convert_ppm,
    gas,
    ppm_from_mg_m3,
    table,
    wastewater_limit,
)

# Sensor kinds and rule kinds, spelled as the supervision models store them.
TOXIC_GAS, COMBUSTIBLE_GAS, OXYGEN, WATER_QUALITY = "toxic_gas", "combustible_gas", "oxygen", "water_quality"
HIGH, LOW, RATE, OUT_OF_RANGE, COMM_FAULT = "high", "low", "rate", "range", "comm"
FAULT, LEVEL1, LEVEL2 = 0, 1, 2

STANDARD = "GB/T 50493-2019 5.5.2"
DEADBAND_FRACTION = 0.05
COMM_FAULT_PERIODS = 3
MG_L = "mg/L"


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    level: int
    threshold: float | None
    deadband: float
    source: str
    verified: bool


def default_rules(
    kind: str,
    substance: str,
    unit: str,
    range_min: float,
    range_max: float,
    *,
    molar_volume_l: float,
    arsenic_limit_mg_l: float,
) -> list[RuleSpec]:
    """The default rules of a sensor: its level setpoints (where a standard gives them) and its two fault rules."""
    substance = (substance or "").strip()
    if kind == TOXIC_GAS:
        levels = toxic_gas_rules(gas(substance), unit, range_min, range_max, molar_volume_l)
    elif kind == COMBUSTIBLE_GAS:
        levels = combustible_gas_rules(gas(substance), unit, range_min, molar_volume_l)
    elif kind == OXYGEN:
        levels = oxygen_rules(unit, range_min, range_max)
    elif kind == WATER_QUALITY and substance == "As":
        levels = arsenic_rules(unit, range_min, arsenic_limit_mg_l)
    else:
        levels = []
    return levels + fault_rules(unit, range_min, range_max)


def toxic_gas_rules(g: Gas | None, unit: str, range_min: float, range_max: float, vm: float) -> list[RuleSpec]:
    """Level 1 and 2 at 100 % / 200 % OEL, or 5 % / 10 % IDLH when the range cannot indicate the OEL setpoints."""
    if g is None:
        return []
    clause = _clause()["toxic_gas"]
    if g.oel is not None:
        oel = g.oel
        oel_ppm = ppm_from_mg_m3(oel.mg_m3, g.molar_mass, vm)
        pcts = (clause["level1_max_pct_OEL"], clause["level2_max_pct_OEL"])
        values = [_in_unit(oel.mg_m3 * p / 100, oel_ppm * p / 100, unit, g, vm) for p in pcts]
        if None not in values and _indicates(values, range_min, range_max):
            basis = f"{g.formula} {oel.kind} {_n(oel.mg_m3)} mg/m3 = {_n(oel_ppm)} ppm at Vm {_vm(vm)}"
            verified = _clause_verified() and oel.verified
            source = f"{STANDARD}: {{pct}} % OEL; {basis}; {_from(oel.source, verified)}"
            return _level_pair(pcts, values, range_min, source, verified)
        why = f"range {_n(range_min)}-{_n(range_max)} {unit} cannot indicate {pcts[0]}/{pcts[1]} % OEL"
    else:
        why = "no exposure limit in the data"
    if g.idlh_ppm is None:
        return []
    fallback = clause["when_detector_range_is_insufficient"]
    pcts = (fallback["level1_max_pct_IDLH"], fallback["level2_max_pct_IDLH"])
    values = [_in_unit(None, g.idlh_ppm * p / 100, unit, g, vm) for p in pcts]
    if None in values:
        return []
    if not _indicates(values, range_min, range_max):
        why += "; the IDLH setpoints are outside the range too: choose a detector with a suitable range"
    verified = _clause_verified() and g.idlh_verified
    basis = f"{g.formula} IDLH {_n(g.idlh_ppm)} ppm"
    source = f"{STANDARD}: {{pct}} % IDLH ({why}); {basis}; {_from(g.idlh_source, verified)}"
    return _level_pair(pcts, values, range_min, source, verified)


def combustible_gas_rules(g: Gas | None, unit: str, range_min: float, vm: float) -> list[RuleSpec]:
    """Level 1 and 2 at 25 % / 50 % LEL, in %LEL directly or converted with the gas's LEL."""
    clause = _clause()["combustible_gas"]
    pcts = (clause["level1_max_pct_LEL"], clause["level2_max_pct_LEL"])
    if unit == PCT_LEL:
        of = f" ({g.formula})" if g else ""
        return _level_pair(
            pcts, [float(p) for p in pcts], range_min, f"{STANDARD}: {{pct}} % LEL{of}", _clause_verified()
        )
    if g is None or not g.lel_pct_vol:
        return []
    values = [convert_ppm(g.lel_pct_vol * p / 100 * PPM_PER_PCT_VOL, unit, g, vm) for p in pcts]
    if None in values:
        return []
    verified = _clause_verified() and g.lel_verified
    basis = f"{g.formula} LEL {_n(g.lel_pct_vol)} %VOL" + (f" at Vm {_vm(vm)}" if unit == MG_M3 else "")
    source = f"{STANDARD}: {{pct}} % LEL; {basis}; {_from(g.lel_source, verified)}"
    return _level_pair(pcts, values, range_min, source, verified)


def oxygen_rules(unit: str, range_min: float, range_max: float) -> list[RuleSpec]:
    """Oxygen deficiency below 19.5 %VOL and enrichment above 23.5 %VOL (level 1 each)."""
    if unit != PCT_VOL:
        return []
    clause = _clause()["oxygen"]
    low, high = float(clause["low_alarm_pct_vol"]), float(clause["high_alarm_pct_vol"])
    verified = _clause_verified()
    return [
        RuleSpec(
            LOW, LEVEL1, low, _deadband(range_max - low), f"{STANDARD}: oxygen deficiency {_n(low)} %VOL", verified
        ),
        _spec(HIGH, LEVEL1, high, range_min, f"{STANDARD}: oxygen enrichment {_n(high)} %VOL", verified),
    ]


def arsenic_rules(unit: str, range_min: float, limit_mg_l: float) -> list[RuleSpec]:
    """Total arsenic in wastewater above the configured discharge limit (level 2)."""
    if unit != MG_L:
        return []
    standard = wastewater_limit("As")
    if standard is not None and limit_mg_l == standard.max_mg_l:
        source, verified = f"{standard.source}: total As {_n(limit_mg_l)} mg/L", standard.verified
    else:
        source, verified = f"site setting WASTEWATER_ARSENIC_LIMIT_MG_L: total As {_n(limit_mg_l)} mg/L", True
    return [_spec(HIGH, LEVEL2, float(limit_mg_l), range_min, _from(source, verified), verified)]


def fault_rules(unit: str, range_min: float, range_max: float) -> list[RuleSpec]:
    """Every sensor: out-of-range reading and communication fault."""
    return [
        RuleSpec(
            OUT_OF_RANGE,
            FAULT,
            None,
            0.0,
            f"reading outside the measuring range {_n(range_min)}-{_n(range_max)} {unit}: sensor fault",
            True,
        ),
        RuleSpec(
            COMM_FAULT,
            FAULT,
            None,
            0.0,
            f"no reading for longer than {COMM_FAULT_PERIODS} reporting periods: communication fault",
            True,
        ),
    ]


def molar_volume_condition(vm: float) -> str:
    """The reference condition of a molar volume, e.g. "24.04 L/mol (20 C, 101.3 kPa)"."""
    for condition, value in table()["unit_conversion"]["molar_volume_l"].items():
        if value == vm:
            temperature, pressure = condition.split("_")
            return f"{_n(vm)} L/mol ({temperature[:-1]} C, {pressure[:-3]} kPa)"
    return f"{_n(vm)} L/mol"


def _level_pair(pcts, values, range_min: float, source: str, verified: bool) -> list[RuleSpec]:
    """Level 1 and level 2 high limits; ``source`` has a ``{pct}`` field for each level's percentage."""
    return [
        _spec(HIGH, level, value, range_min, source.format(pct=pct), verified)
        for level, pct, value in zip((LEVEL1, LEVEL2), pcts, values, strict=True)
    ]


def _indicates(values, range_min: float, range_max: float) -> bool:
    """Whether a detector can show both setpoints: level 1 above the range bottom, level 2 at most full scale."""
    return range_min < values[0] and values[1] <= range_max


def _spec(kind: str, level: int, threshold: float, range_min: float, source: str, verified: bool) -> RuleSpec:
    """A high-limit spec with the default deadband."""
    return RuleSpec(kind, level, threshold, _deadband(threshold - range_min), source[:300], bool(verified))


def _deadband(distance: float) -> float:
    return abs(distance) * DEADBAND_FRACTION


def _in_unit(mg_m3: float | None, ppm: float, unit: str, g: Gas, vm: float) -> float | None:
    if unit == MG_M3 and mg_m3 is not None:
        return mg_m3  # the limit's own unit: no round trip through ppm
    return convert_ppm(ppm, unit, g, vm)


def _clause() -> dict:
    return table()["gbt50493_2019_clause_5_5_2"]


def _clause_verified() -> bool:
    return bool(_clause()["verified"])


def _from(source: str, verified: bool) -> str:
    return f"{source}{'' if verified else ' (not verified)'}"


def _vm(vm: float) -> str:
    return molar_volume_condition(vm)


def _n(value: float) -> str:
    return f"{value:.4g}"
