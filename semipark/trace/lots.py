"""Lot operations: register a lot, and transform input lots into output lots inside one enterprise.

Each operation is one transaction that checks everything before writing and logs an event on every lot it
touches, so a refused operation leaves nothing behind.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from semipark.core import audit, services
from semipark.core.scoping import ensure_may

from . import identifiers, materials
from .models import Lot, LotEvent, LotLink, Transformation

# Output gallium may exceed consumed gallium only by the rounding of six-decimal mass fractions.
GALLIUM_TOLERANCE = Decimal("1.000001")


@dataclass
class NewLot:
    """What an operation needs to create a lot."""

    material: str
    quantity: Decimal
    unit: str = "kg"
    code: str = ""
    unit_mass_kg: Decimal | None = None
    hs_code: str = ""
    description: str = ""
    note: str = ""


def register_lot(user, enterprise, spec: NewLot, *, made_on=None) -> Lot:
    """Register a lot with no recorded source (primary production, purchase from outside, opening stock)."""
    with transaction.atomic():
        lot = services.save(user, _build(enterprise, spec, made_on), message="registered")
        log(lot, LotEvent.Code.CREATED, user, lot.quantity)
    return lot


def transform(user, enterprise, process: str, inputs: list[tuple[Lot, Decimal]], outputs: list[NewLot], note=""):
    """Consume ``inputs`` (lot, quantity) and produce ``outputs`` in ``enterprise``; refuse without writing."""
    step = materials.processes().get(process)
    errors = _check_shape(step, inputs, outputs)
    with transaction.atomic():
        locked = lock_lots(user, [lot for lot, _q in inputs])
        pairs = [(locked[lot.pk], Decimal(q)) for lot, q in inputs]
        errors |= _check_inputs(enterprise, step, pairs)
        built = build_lots(enterprise, outputs)
        errors |= _check_outputs(step, pairs, built)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        step_row = Transformation.objects.create(enterprise=enterprise, process=process, at=now, user=user, note=note)
        details = {"transformation": step_row.pk, "process": process}
        for lot, quantity in pairs:
            consume(lot, quantity, user, LotEvent.Code.CONSUMED, details, at=now)
        made = []
        for lot in built:
            lot.full_clean()
            lot.save()
            ensure_may(user, lot, "add")
            log(lot, LotEvent.Code.PRODUCED, user, lot.quantity, details, at=now)
            audit.created(user, lot, f"{process} #{step_row.pk}")
            made.append(lot)
        LotLink.objects.bulk_create(
            LotLink(parent=lot, child=out, quantity=quantity, transformation=step_row)
            for lot, quantity in pairs
            for out in made
        )
        audit.created(user, step_row, ", ".join(lot.identifier for lot in made))
    return step_row, made


def lock_lots(user, lots: list[Lot]) -> dict[int, Lot]:
    """The lots, locked for update, that ``user`` may change; any other is refused."""
    ids = {lot.pk for lot in lots}
    locked = {lot.pk: lot for lot in Lot.objects.visible_to(user, "change").select_for_update().filter(pk__in=ids)}
    if set(locked) != ids:
        raise PermissionDenied(_("You may not use some of these lots."))
    return locked


def consume(lot: Lot, quantity: Decimal, user, code: str, details: dict, at=None) -> None:
    """Take ``quantity`` out of a locked lot and log it (the caller checked it is available)."""
    lot.available -= quantity
    lot.save(update_fields=["available", "updated"])
    log(lot, code, user, -quantity, details, at=at)


def log(lot: Lot, code: str, user, quantity: Decimal, details: dict | None = None, note: str = "", at=None):
    authenticated = user is not None and user.is_authenticated
    return LotEvent.objects.create(
        lot=lot,
        code=code,
        at=at or timezone.now(),
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        quantity=quantity,
        deltas={**(details or {}), "available": str(lot.available)},
        note=note[:300],
    )


def build_lots(enterprise, specs: list[NewLot]) -> list[Lot]:
    """Unsaved lots of ``enterprise`` with their identifiers; codes are generated where not given."""
    built = []
    for spec in specs:
        built.append(_build(enterprise, spec, None, {lot.code for lot in built}))
    return built


def _build(enterprise, spec: NewLot, made_on, taken=frozenset()) -> Lot:
    code = (spec.code or "").strip() or identifiers.next_lot_code(enterprise, also_taken=taken)
    quantity = Decimal(spec.quantity)
    return Lot(
        enterprise=enterprise,
        code=code,
        identifier=identifiers.identifier(enterprise.code, code),
        material=spec.material,
        quantity=quantity,
        available=quantity,
        unit=spec.unit,
        unit_mass_kg=spec.unit_mass_kg,
        hs_code=spec.hs_code,
        description=spec.description,
        note=spec.note,
        made_on=made_on or timezone.localdate(),
    )


def quantity_problem(lot: Lot, quantity: Decimal, owner) -> str:
    """Why ``quantity`` cannot be taken from ``lot`` of ``owner`` (empty when it can)."""
    if lot.enterprise_id != owner.pk:
        return _("%(lot)s does not belong to %(owner)s.") % {"lot": lot.identifier, "owner": owner}
    if quantity <= 0:
        return _("%(lot)s: the quantity must be positive.") % {"lot": lot.identifier}
    if quantity > lot.available:
        return _("%(lot)s: only %(available)s %(unit)s available, %(asked)s asked.") % {
            "lot": lot.identifier,
            "available": lot.available,
            "unit": lot.unit,
            "asked": quantity,
        }
    return ""


def _check_shape(step, inputs, outputs) -> dict:
    errors = {}
    if step is None:
        errors["process"] = [_("Choose one of the known processes.")]
    if not inputs:
        errors["inputs"] = [_("A transformation consumes at least one lot.")]
    if not outputs:
        errors["outputs"] = [_("A transformation produces at least one lot.")]
    if len({lot.pk for lot, _q in inputs}) != len(inputs):
        errors["inputs"] = [_("Each input lot may appear only once.")]
    return errors


def _check_inputs(enterprise, step, pairs) -> dict:
    problems = []
    for lot, quantity in pairs:
        problem = quantity_problem(lot, quantity, enterprise)
        if problem:
            problems.append(problem)
        elif step is not None and step.inputs is not None and lot.material not in step.inputs:
            problems.append(
                _("%(lot)s: %(process)s does not take %(material)s.")
                % {"lot": lot.identifier, "process": step.label, "material": lot.material}
            )
    return {"inputs": problems} if problems else {}


def _check_outputs(step, pairs, built: list[Lot]) -> dict:
    problems = []
    for lot in built:
        info = materials.get(lot.material)
        if info is None or info.code != lot.material:
            problems.append(_("Unknown material “%(code)s”.") % {"code": lot.material})
        elif step is not None and step.outputs is not None and lot.material not in step.outputs:
            problems.append(
                _("%(process)s does not give %(material)s.") % {"process": step.label, "material": lot.material}
            )
        elif lot.quantity <= 0:
            problems.append(_("Output quantities must be positive."))
        elif lot.unit == "pcs" and not lot.unit_mass_kg:
            problems.append(_("A lot counted in pieces needs the mass of one piece."))
    if problems:
        return {"outputs": problems}
    consumed = sum((lot.gallium_kg(q) for lot, q in pairs), Decimal(0))
    produced = sum((lot.gallium_kg(lot.quantity) for lot in built), Decimal(0))
    if produced > consumed * GALLIUM_TOLERANCE:
        return {
            "outputs": [
                _("The outputs would contain %(out)s kg of gallium but the inputs only %(in)s kg.")
                % {"out": round(produced, 4), "in": round(consumed, 4)}
            ]
        }
    return {}
