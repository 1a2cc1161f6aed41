"""Demo lots: gallium from 金美 and arsenic from 鑫美 become 通美's crystal and wafers, scrap goes to 硕美 and
comes back as recovered gallium; one export order of wafers to Germany ships under a licence.

Where the marketplace demo left open orders between these enterprises, the lots ship against them (so the
orders become shipped); otherwise they move as transfers without an order.
"""

from datetime import date
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.utils import timezone

from semipark.core.roles import Role
from semipark.park.models import Enterprise

from . import licences, lots, materials, shipments
from .lots import NewLot
from .models import ExportLicence, Lot

WAFER_KG = D("0.0269")  # one 4-inch GaAs wafer, 625 µm thick: π·5.08² cm² × 0.0625 cm × 5.3176 g/cm³ ≈ 26.9 g
OPEN = ("confirmed", "in_production")


def load(park) -> None:
    if Lot.objects.exists():
        return
    office = get_user_model().objects.filter(role=Role.OFFICE_ADMIN, is_active=True).order_by("id").first()
    if office is None:  # demo loaded without accounts: the park office acts through a demo-only account
        office = get_user_model()(username="trace-demo-office", role=Role.OFFICE_ADMIN)
        office.set_unusable_password()
        office.save()
    chain(office)
    export(office)


def chain(user) -> dict[str, Lot]:
    """The lot chain gallium → crystal → wafers → scrap → recovered gallium; returns the lots by role."""
    firms = {e.code: e for e in Enterprise.objects.filter(code__in=["jinmei", "xinmei", "tongmei", "shuomei"])}
    ga = lots.register_lot(
        user, firms["jinmei"], NewLot("Ga", D(300), code="GA7N-2611-01", hs_code="8112929010", description="7N")
    )
    arsenic = lots.register_lot(user, firms["xinmei"], NewLot("As", D(120), code="AS7N-2611-01", description="7N"))
    ga_in = _deliver(user, ga, firms["tongmei"], D(20))
    as_in = _deliver(user, arsenic, firms["tongmei"], D("21.5"))
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
            NewLot("GaAs-wafer", D(1000), unit="pcs", unit_mass_kg=WAFER_KG, code="W4SI-2611-07", hs_code="3818009004"),
            NewLot("GaAs-scrap", D(12), code="SC-2611-07"),
        ],
    )
    scrap_in = _deliver(user, offcut, firms["shuomei"], D(12))
    _step, (recovered,) = lots.transform(
        user, firms["shuomei"], "recover", [(scrap_in, D(12))], [NewLot("Ga-recovered", D("5.6"), code="RGA-2611-01")]
    )
    returned = _deliver(user, recovered, firms["jinmei"], D(5))
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
            "number": f"LIC-{today.year}-GA-0001",
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
    from semipark.market import orders

    orders.ship(_member(tongmei), order, [(wafers, D(200))], note="LIC-GA-0001")


def _deliver(user, lot: Lot, buyer, quantity) -> Lot:
    """Ship ``quantity`` of ``lot`` to ``buyer``: against an open market order if there is one, else a transfer."""
    order = _open_order(lot, buyer)
    if order is not None:
        from semipark.market import orders

        ordered = sum(
            line.quantity for line in order.lines.all() if _same_material(line.product.material, lot.material)
        )
        quantity = max(quantity, min(ordered, lot.available))  # the whole order when the lot holds it
        order = orders.ship(_member(lot.enterprise), order, [(lot, quantity)])
        return order.lot_shipments.get().lines.get().received_lot
    shipment = shipments.ship(user, seller=lot.enterprise, buyer=buyer, lot_lines=[(lot, quantity)])
    return shipment.lines.get().received_lot


def _open_order(lot: Lot, buyer):
    try:
        from semipark.market.models import Order
    except ImportError:
        return None
    candidates = Order.objects.filter(seller=lot.enterprise, buyer=buyer, status__in=OPEN, lot_shipments__isnull=True)
    for order in candidates.prefetch_related("lines__product").order_by("id"):
        if any(_same_material(line.product.material, lot.material) for line in order.lines.all()):
            return order
    return None


def _export_order(seller):
    """An open export order of wafers by the seller, made here if the marketplace demo has none."""
    try:
        from semipark.market import orders
        from semipark.market.models import Order, Product
    except ImportError:
        return None
    found = Order.objects.filter(seller=seller, destination_country="DE", status__in=OPEN).order_by("id").first()
    if found is not None:
        return found
    product = Product.objects.filter(enterprise=seller, material__in=["GaAs", "GaAs-wafer"]).order_by("id").first()
    member = _member(seller)
    if product is None or member is None:
        return None
    return orders.create_order(
        member,
        {
            "buyer_name": "Halbleiter Beispiel GmbH, Freiberg",
            "destination_country": "DE",
            "note": "出口许可 LIC-GA-0001",
        },
        [{"product_id": product.pk, "quantity": D(200), "price": product.price or D("430.00")}],
    )


def _same_material(product_material: str, lot_material: str) -> bool:
    found = materials.get(product_material)
    return found is not None and (
        found.code == lot_material or found.composition == materials.get(lot_material).composition
    )


def _member(enterprise):
    return get_user_model().objects.filter(enterprise=enterprise, is_active=True).order_by("id").first()
