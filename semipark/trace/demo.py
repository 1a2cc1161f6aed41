"""Demo lots: gallium from 金美 and arsenic from 鑫美 become 通美's crystal and wafers, scrap goes to 硕美 and
comes back as recovered gallium; one export order of wafers ships under a licence."""

from datetime import date
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.utils import timezone

from semipark.core.roles import Role
from semipark.park.models import Enterprise

from . import licences, lots, shipments
from .lots import NewLot
from .models import ExportLicence, Lot

WAFER_KG = D("0.0269")  # one 4-inch GaAs wafer, 625 µm thick: π·5.08² cm² × 0.0625 cm × 5.3176 g/cm³ ≈ 26.9 g


def load(park) -> None:
    if Lot.objects.exists():
        return
    office = get_user_model().objects.filter(role=Role.OFFICE_ADMIN).order_by("id").first()
    chain(office)
    export(office)


def chain(user) -> dict[str, Lot]:
    """The lot chain gallium → crystal → wafers → scrap → recovered gallium; returns the lots by role."""
    firms = {e.code: e for e in Enterprise.objects.filter(code__in=["jinmei", "xinmei", "tongmei", "shuomei"])}
    ga = lots.register_lot(
        user, firms["jinmei"], NewLot("Ga", D(100), code="GA7N-2611-01", hs_code="8112929010", description="7N")
    )
    arsenic = lots.register_lot(user, firms["xinmei"], NewLot("As", D(80), code="AS7N-2611-01", description="7N"))
    ga_in = _transfer(user, ga, firms["tongmei"], D(20))
    as_in = _transfer(user, arsenic, firms["tongmei"], D("21.5"))
    _step, (crystal,) = lots.transform(
        user,
        firms["tongmei"],
        "grow",
        [(ga_in, D(20)), (as_in, D("21.5"))],
        [NewLot("GaAs-crystal", D(40), code="VGF-2611-07", description="4 inch SI, VGF")],
    )
    _step, (wafers, offcut) = lots.transform(
        user,
        firms["tongmei"],
        "slice",
        [(crystal, D(40))],
        [
            NewLot("GaAs-wafer", D(1000), unit="pcs", unit_mass_kg=WAFER_KG, code="W4SI-2611-07"),
            NewLot("GaAs-scrap", D(12), code="SC-2611-07"),
        ],
    )
    scrap_in = _transfer(user, offcut, firms["shuomei"], D(12))
    _step, (recovered,) = lots.transform(
        user, firms["shuomei"], "recover", [(scrap_in, D(12))], [NewLot("Ga-recovered", D("5.6"), code="RGA-2611-01")]
    )
    returned = _transfer(user, recovered, firms["jinmei"], D(5))
    return {
        "gallium": ga,
        "arsenic": arsenic,
        "crystal": crystal,
        "wafers": wafers,
        "scrap": offcut,
        "recovered": recovered,
        "returned": returned,
    }


def export(user) -> None:
    """A licence for GaAs wafers to Germany, and 200 wafers shipped under it."""
    tongmei = Enterprise.objects.get(code="tongmei")
    today = timezone.localdate()
    licences.register(
        user,
        ExportLicence(enterprise=tongmei, registered_by=user),
        {
            "number": "LIC-2026-GA-0001",
            "item": "ga-arsenide",
            "quantity": D(500),
            "unit": "pcs",
            "destination_country": "DE",
            "end_user": "Halbleiter Beispiel GmbH, Freiberg",
            "valid_from": date(today.year, 1, 1),
            "valid_to": date(today.year + 1, 6, 30),
        },
    )
    wafers = Lot.objects.get(enterprise=tongmei, code="W4SI-2611-07")
    order = _export_order(tongmei)
    if order is None:
        shipments.ship(
            user, seller=tongmei, lot_lines=[(wafers, D(200))], buyer_name="Halbleiter Beispiel GmbH", country="DE"
        )
        return
    try:
        from semipark.market.orders import ship
    except ImportError:
        shipments.record_shipment(user, order, [(wafers, D(200))])
    else:
        ship(user, order, [(wafers, D(200))], note="demo export")


def _export_order(seller):
    """The market's demo export order of the seller, if the market demo made one that can still ship."""
    try:
        from semipark.market.models import Order
    except ImportError:
        return None
    return (
        Order.objects.filter(seller=seller, buyer__isnull=True, status__in=["confirmed", "in_production"])
        .exclude(destination_country__in=["CN", "US"])
        .order_by("id")
        .first()
    )


def _transfer(user, lot, buyer, quantity) -> Lot:
    shipment = shipments.ship(user, seller=lot.enterprise, buyer=buyer, lot_lines=[(lot, quantity)])
    return shipment.lines.get().received_lot
