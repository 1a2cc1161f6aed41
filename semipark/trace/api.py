"""Lots, shipments, licences, export control and the gallium balance under /api/v1/market/."""

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from semipark.core.pagination import Pages
from semipark.core.schemas import FieldErrors, Message
from semipark.park.models import Enterprise

from . import balance, exportcontrol, genealogy, licences, lots, present, shipments
from .lots import NewLot
from .models import ExportLicence, Lot, Shipment
from .schemas import (
    BalanceOut,
    ControlledItemOut,
    DestinationRuleOut,
    LicenceIn,
    LicenceOut,
    LotEventOut,
    LotFilter,
    LotIn,
    LotOut,
    LotPage,
    MatchOut,
    ShipmentIn,
    ShipmentOut,
    ShipmentPage,
    TraceOut,
    TransformationIn,
    TransformationOut,
)

router = Router(tags=["trace"])
WRITE_ERRORS = {400: FieldErrors, 403: Message, 404: Message, 409: Message, 422: FieldErrors}


def page_of(rows, pages: Pages.Input, present_row) -> dict:
    """One page of a queryset, each row presented for the user (the count comes from the database)."""
    page = Pages().paginate_queryset(rows, pages)
    return page | {"items": [present_row(row) for row in page["items"]]}


def acting_enterprise(user, enterprise_id: int | None) -> Enterprise:
    """The enterprise an operation acts for: the one named (park office) or the user's own."""
    return get_object_or_404(Enterprise.objects.visible_to(user), pk=enterprise_id or user.enterprise_id or 0)


def visible_lots(user):
    return Lot.objects.visible_to(user).select_related("enterprise")


def own_lot(user, lot_id: int) -> Lot:
    """A lot whose private details the user may read (its enterprise or the park office), else 404."""
    lot = get_object_or_404(visible_lots(user), pk=lot_id)
    if not present.is_own(user, lot):
        raise Lot.DoesNotExist
    return lot


@router.get("/lots", response=LotPage)
def list_lots(request, filters: Query[LotFilter], pages: Query[Pages.Input]):
    """Lots the user may see: their own, and the lots they shipped to or received from others."""
    rows = visible_lots(request.user)
    if filters.q:
        rows = rows.filter(Q(identifier__icontains=filters.q) | Q(code__icontains=filters.q))
    if filters.material:
        rows = rows.filter(material=filters.material)
    if filters.enterprise_id:
        rows = rows.filter(enterprise_id=filters.enterprise_id)
    if filters.in_stock:
        rows = rows.filter(available__gt=0)
    return page_of(rows.order_by("-id"), pages, lambda lot: present.lot_dict(request.user, lot))


@router.post("/lots", response={201: LotOut, **WRITE_ERRORS})
def create_lot(request, body: LotIn):
    """Register a lot without a recorded source (own production, a purchase from outside, opening stock)."""
    data = body.dict()
    firm = acting_enterprise(request.user, data.pop("enterprise_id"))
    lot = lots.register_lot(request.user, firm, NewLot(**data))
    return 201, present.lot_dict(request.user, lot)


@router.get("/lots/{int:lot_id}", response=LotOut)
def get_lot(request, lot_id: int):
    return present.lot_dict(request.user, get_object_or_404(visible_lots(request.user), pk=lot_id))


@router.get("/lots/{int:lot_id}/events", response=list[LotEventOut])
def lot_events(request, lot_id: int):
    """The lot's history (its own enterprise and the park office)."""
    return own_lot(request.user, lot_id).events.all()


@router.get("/lots/{int:lot_id}/trace", response=TraceOut)
def lot_trace(request, lot_id: int, direction: str = "backward", depth: int = 10):
    """Lots before (backward), after (forward) or on both sides of this lot, cut to what the user may see."""
    if direction not in (genealogy.BACKWARD, genealogy.FORWARD, "both"):
        direction = genealogy.BACKWARD
    root = get_object_or_404(visible_lots(request.user), pk=lot_id)
    return present.trace_dict(request.user, genealogy.trace(request.user, root, direction, depth))


@router.post("/lots/transformations", response={201: TransformationOut, **WRITE_ERRORS})
def create_transformation(request, body: TransformationIn):
    """Consume input lots and produce output lots inside one enterprise, in one transaction."""
    firm = acting_enterprise(request.user, body.enterprise_id)
    inputs = [(get_object_or_404(visible_lots(request.user), pk=i.lot_id), i.quantity) for i in body.inputs]
    outputs = [NewLot(**o.dict()) for o in body.outputs]
    step, made = lots.transform(request.user, firm, body.process, inputs, outputs, body.note)
    return 201, {
        "id": step.pk,
        "process": step.process,
        "at": step.at,
        "outputs": [present.lot_dict(request.user, lot) for lot in made],
    }


def _shipments(user):
    return Shipment.objects.visible_to(user).select_related("seller", "buyer").prefetch_related("lines__lot")


def shipment_dict(shipment: Shipment) -> dict:
    return {
        **{f: getattr(shipment, f) for f in ("id", "number", "seller_id", "buyer_id", "buyer_name", "order_id")},
        "destination_country": shipment.destination_country,
        "shipped_at": shipment.shipped_at,
        "note": shipment.note,
        "lines": [
            {
                "lot_id": line.lot_id,
                "lot": line.lot.identifier,
                "received_lot_id": line.received_lot_id,
                "quantity": line.quantity,
                "controlled_item": line.controlled_item,
            }
            for line in shipment.lines.all()
        ],
    }


@router.get("/shipments", response=ShipmentPage)
def list_shipments(request, pages: Query[Pages.Input]):
    """Shipments the user's enterprise sent or received (all of them for the park office)."""
    return page_of(_shipments(request.user), pages, shipment_dict)


@router.get("/shipments/{int:shipment_id}", response=ShipmentOut)
def get_shipment(request, shipment_id: int):
    return shipment_dict(get_object_or_404(_shipments(request.user), pk=shipment_id))


@router.post("/shipments", response={201: ShipmentOut, **WRITE_ERRORS})
def create_shipment(request, body: ShipmentIn):
    """Ship lots without an order (a transfer to a park enterprise, or samples to an outside buyer).

    Orders ship through the order's "ship" action. Export control applies to both.
    """
    seller = acting_enterprise(request.user, body.seller_id)
    buyer = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=body.buyer_id) if body.buyer_id else None
    lines = [(get_object_or_404(visible_lots(request.user), pk=i.lot_id), i.quantity) for i in body.lines]
    shipment = shipments.ship(
        request.user,
        seller=seller,
        buyer=buyer,
        buyer_name=body.buyer_name,
        country=body.destination_country,
        lot_lines=lines,
        note=body.note,
    )
    return 201, shipment_dict(get_object_or_404(_shipments(request.user), pk=shipment.pk))


@router.get("/licences", response=list[LicenceOut])
@paginate(Pages)
def list_licences(request):
    """Export licences of the user's enterprise (every licence for the park office)."""
    return [present.licence_dict(lic) for lic in ExportLicence.objects.visible_to(request.user)]


@router.get("/licences/{int:licence_id}", response=LicenceOut)
def get_licence(request, licence_id: int):
    return present.licence_dict(get_object_or_404(ExportLicence.objects.visible_to(request.user), pk=licence_id))


@router.post("/licences", response={201: LicenceOut, **WRITE_ERRORS})
def create_licence(request, body: LicenceIn):
    """Register an export licence (the exporting enterprise's admin or the park office)."""
    data = body.dict()
    firm = acting_enterprise(request.user, data.pop("enterprise_id"))
    licence = licences.register(request.user, ExportLicence(enterprise=firm, registered_by=request.user), data)
    return 201, present.licence_dict(licence)


@router.get("/export-control/items", response=list[ControlledItemOut])
def controlled_items(request, on: date | None = None):
    """The controlled gallium and germanium items in force on a date (today by default)."""
    return [present.item_dict(item) for item in exportcontrol.items(on)]


@router.get("/export-control/match", response=MatchOut)
def match_item(request, hs_code: str = "", name: str = "", on: date | None = None):
    """Whether an HS code or product name falls under export control on a date."""
    item = exportcontrol.match(hs_code, name, on)
    return {"controlled": item is not None, "item": present.item_dict(item) if item else None}


@router.get("/export-control/rules", response=list[DestinationRuleOut])
def destination_rules(request, on: date | None = None):
    """Destination rules with their dates, and whether each is in force on a date (today by default)."""
    day = on or exportcontrol.today()
    return [present.rule_dict(rule, day) for rule in exportcontrol.destination_rules()]


@router.get("/gallium-balance", response=BalanceOut)
def gallium_balance(request, enterprise_id: int | None = None):
    """Gallium in, out, lost and in stock per month (kg of gallium) for the user's enterprise."""
    firm = balance_enterprise(request.user, enterprise_id)
    return {"enterprise_id": firm.pk, "months": [m.rounded() for m in balance.gallium_balance(firm)]}


def balance_enterprise(user, enterprise_id: int | None) -> Enterprise:
    """Enterprises see their own balance; the park office any enterprise's."""
    if user.is_office:
        return get_object_or_404(Enterprise, pk=enterprise_id or 0)
    if not user.is_enterprise_member or (enterprise_id and enterprise_id != user.enterprise_id):
        raise Enterprise.DoesNotExist
    return get_object_or_404(Enterprise, pk=user.enterprise_id)
