"""Shipments move lots between enterprises (and to outside buyers), under export control.

``record_shipment(user, order, lot_lines)`` is what the order's "ship" transition calls; ``ship`` also serves
transfers without an order. Both check everything first, then in one transaction take the quantities out of
the seller's lots, create the received lots at a park buyer, link them, and draw licences down.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from semipark.core import audit
from semipark.core.scoping import ensure_may, may_create

from . import exportcontrol, identifiers, licences
from .lots import NewLot, build_lots, consume, lock_lots, log, quantity_problem
from .models import Lot, LotEvent, LotLink, Shipment, ShipmentLine


def record_shipment(user, order, lot_lines: list[tuple[Lot, Decimal]], note: str = "") -> Shipment:
    """Ship ``lot_lines`` (lot, quantity) for ``order``; raises LicenceRequired when export control says no."""
    return ship(
        user,
        seller=order.seller,
        buyer=order.buyer,
        buyer_name=order.buyer_name,
        country=order.destination_country,
        lot_lines=lot_lines,
        order=order,
        note=note,
    )


def ship(user, *, seller, lot_lines, buyer=None, buyer_name="", country="CN", order=None, note="") -> Shipment:
    """Ship lots of ``seller`` to a park ``buyer`` or to an outside ``buyer_name`` in ``country``."""
    country = (country or "").strip().upper()
    _check_parties(user, seller, buyer, buyer_name, country)
    with transaction.atomic():
        locked = lock_lots(user, [lot for lot, _q in lot_lines])
        pairs = [(locked[lot.pk], Decimal(q)) for lot, q in lot_lines]
        _check_lines(seller, pairs, len({lot.pk for lot, _q in lot_lines}) != len(lot_lines))
        on = exportcontrol.today()
        items = {lot.pk: licences.controlled_item(lot, order, on) for lot, _q in pairs}
        needs = []
        if not exportcontrol.inside_customs_territory(country):
            needs = [licences.Need(items[lot.pk], lot, q) for lot, q in pairs if items[lot.pk] is not None]
        draws = licences.plan_drawdowns(seller, country, needs, on)
        shipment = Shipment.objects.create(
            number=identifiers.next_shipment_number(),
            seller=seller,
            buyer=buyer,
            buyer_name=buyer_name or str(buyer),
            destination_country=country,
            order=order,
            user=user,
            note=note,
        )
        ensure_may(user, shipment, "add")
        received = _receive(user, shipment, pairs) if buyer is not None else [None] * len(pairs)
        details = {"shipment": shipment.pk, "number": shipment.number, "order": getattr(order, "number", "")}
        for (lot, quantity), got in zip(pairs, received, strict=True):
            consume(lot, quantity, user, LotEvent.Code.SHIPPED, details, at=shipment.shipped_at)
            item = items[lot.pk]
            ShipmentLine.objects.create(
                shipment=shipment,
                lot=lot,
                received_lot=got,
                quantity=quantity,
                controlled_item=item.code if item else "",
            )
        licences.draw(shipment, draws)
        audit.created(user, shipment, _describe(pairs, country))
    return shipment


def _receive(user, shipment, pairs) -> list[Lot]:
    """Create the buyer's received lots (the seller's private note stays behind) and link them."""
    specs = [
        NewLot(
            material=lot.material,
            quantity=quantity,
            unit=lot.unit,
            unit_mass_kg=lot.unit_mass_kg,
            hs_code=lot.hs_code,
            description=lot.description,
        )
        for lot, quantity in pairs
    ]
    made = build_lots(shipment.buyer, specs)
    details = {"shipment": shipment.pk, "number": shipment.number, "from": shipment.seller.code}
    for (lot, quantity), new in zip(pairs, made, strict=True):
        new.full_clean()
        new.save()
        log(
            new,
            LotEvent.Code.RECEIVED,
            user,
            new.quantity,
            {**details, "source": lot.identifier},
            at=shipment.shipped_at,
        )
        LotLink.objects.create(parent=lot, child=new, quantity=quantity, shipment=shipment)
        audit.created(user, new, f"received {shipment.number}")
    return made


def _check_parties(user, seller, buyer, buyer_name, country) -> None:
    if not may_create(user, Shipment):
        raise PermissionDenied(_("You may not ship lots."))
    errors = {}
    if buyer is None and not (buyer_name or "").strip():
        errors["buyer"] = [_("Name the receiving enterprise or the outside buyer.")]
    if buyer is not None and buyer.pk == seller.pk:
        errors["buyer"] = [_("An enterprise cannot ship to itself.")]
    if len(country) != 2 or not country.isalpha():
        errors["destination_country"] = [_("Use a two-letter ISO 3166 country code such as CN or US.")]
    if buyer is not None and country != "CN":
        errors["destination_country"] = [_("A park enterprise receives inside the Chinese customs territory (CN).")]
    if errors:
        raise ValidationError(errors)


def _check_lines(seller, pairs, duplicated: bool) -> None:
    problems = []
    if not pairs:
        problems.append(_("A shipment carries at least one lot."))
    if duplicated:
        problems.append(_("Each lot may appear only once."))
    problems += [p for p in (quantity_problem(lot, q, seller) for lot, q in pairs) if p]
    if problems:
        raise ValidationError({"lots": problems})


def _describe(pairs, country) -> str:
    return f"{country}: " + ", ".join(f"{lot.identifier} × {q}" for lot, q in pairs)
