"""Export licences: registering them, and drawing them down when controlled items leave the customs territory."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from semipark.core import services

from . import exportcontrol, materials
from .models import ExportLicence, LicenceDrawdown, Lot, Unit
from .models.lots import MASS_UNITS_KG


def register(user, licence: ExportLicence, fields: dict) -> ExportLicence:
    """Register or change a licence (the exporting enterprise's admin or the park office)."""
    item = exportcontrol.find_item(fields.get("item", licence.item))
    country = (fields.get("destination_country", licence.destination_country) or "").upper()
    fields = {**fields, "destination_country": country}
    if item is not None and country:
        if exportcontrol.inside_customs_territory(country):
            raise ValidationError(
                {"destination_country": [_("No export licence is needed inside the Chinese customs territory.")]}
            )
        rule = exportcontrol.prohibiting_rule(item, country)
        if rule is not None:
            raise ValidationError(
                {
                    "destination_country": [
                        _("%(document)s: %(summary)s") % {"document": rule.document, "summary": rule.summary}
                    ]
                }
            )
    return services.save(user, licence, fields)


def controlled_item(lot: Lot, order=None, on=None) -> exportcontrol.ControlledItem | None:
    """The controlled item a lot falls under: by its own HS code, its material, or the order's product."""
    if lot.hs_code:
        found = exportcontrol.match(lot.hs_code, on=on)
        if found:
            return found
    info = materials.get(lot.material)
    if info and info.control_item:
        return exportcontrol.item_by_code(info.control_item, on)
    for line in order.lines.select_related("product") if order is not None else ():
        product = line.product
        if (materials.get(product.material) or info) == info:
            found = exportcontrol.match(product.hs_code, f"{product.name} {product.name_en}", on)
            if found:
                return found
    return None


@dataclass
class Need:
    item: exportcontrol.ControlledItem
    lot: Lot
    quantity: Decimal  # in the lot's unit


def plan_drawdowns(seller, country: str, needs: list[Need], on) -> dict[int, Decimal]:
    """Licence id → quantity (licence unit) to draw for ``needs``, or :class:`LicenceRequired`.

    Licences of the seller for the item and destination, valid on ``on``, are used earliest expiry first.
    Call inside the shipment's transaction: the licence rows are locked.
    """
    country = country.upper()
    by_item = defaultdict(list)
    for need in needs:
        by_item[need.item.code].append(need)
    draws: dict[int, Decimal] = defaultdict(Decimal)
    for group in by_item.values():
        item = group[0].item
        exportcontrol.check_destination(item, country, on)
        usable = list(
            ExportLicence.objects.select_for_update()
            .filter(
                enterprise=seller, item=item.code, destination_country=country, valid_from__lte=on, valid_to__gte=on
            )
            .order_by("valid_to", "id")
        )
        left_on = {lic.pk: lic.remaining - draws[lic.pk] for lic in usable}
        for need in group:
            left = need.quantity
            for lic in usable:
                ratio = _ratio(need.lot, lic.unit)
                if ratio is None or left_on[lic.pk] <= 0:
                    continue
                take = min(left_on[lic.pk], left * ratio)
                left_on[lic.pk] -= take
                draws[lic.pk] += take
                left = Decimal(0) if take == left * ratio else left - take / ratio
                if left <= 0:
                    break
            if left > 0:
                raise exportcontrol.LicenceRequired(
                    _refusal(seller, item, country, need, left, usable, on), item=item, country=country
                )
    return {pk: q for pk, q in draws.items() if q > 0}


def draw(shipment, draws: dict[int, Decimal]) -> list[LicenceDrawdown]:
    return LicenceDrawdown.objects.bulk_create(
        LicenceDrawdown(licence_id=pk, shipment=shipment, quantity=quantity) for pk, quantity in draws.items()
    )


def plain(quantity: Decimal) -> str:
    """A quantity as people write it: 1 rather than 1.0000, at most four decimals."""
    return f"{quantity.quantize(Decimal('0.0001')).normalize():f}"


def _ratio(lot: Lot, unit: str) -> Decimal | None:
    """Licence units per lot unit, or None when they cannot be compared (kilograms against pieces)."""
    if lot.unit == unit:
        return Decimal(1)
    if unit == Unit.PCS:
        return None
    return lot.kg_per_unit / MASS_UNITS_KG[unit]


def _refusal(seller, item, country, need: Need, left: Decimal, usable, on) -> str:
    base = _("Shipping %(quantity)s %(unit)s of %(item)s (lot %(lot)s) to %(country)s needs an export licence") % {
        "quantity": plain(need.quantity),
        "unit": need.lot.unit,
        "item": item.label,
        "lot": need.lot.identifier,
        "country": country,
    }
    if usable:
        return base + _(": the valid licences (%(numbers)s) leave %(left)s %(unit)s uncovered.") % {
            "numbers": ", ".join(lic.number for lic in usable),
            "left": plain(left),
            "unit": need.lot.unit,
        }
    others = ExportLicence.objects.filter(enterprise=seller, item=item.code, destination_country=country)
    expired = others.filter(valid_to__lt=on).order_by("-valid_to").first()
    if expired is not None:
        return base + _(": licence %(number)s expired on %(date)s.") % {
            "number": expired.number,
            "date": expired.valid_to,
        }
    future = others.filter(Q(valid_from__gt=on)).order_by("valid_from").first()
    if future is not None:
        return base + _(": licence %(number)s is valid only from %(date)s.") % {
            "number": future.number,
            "date": future.valid_from,
        }
    return base + _(": %(enterprise)s holds none for this item and destination. Register the licence first.") % {
        "enterprise": seller
    }
