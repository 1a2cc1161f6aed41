"""RFQ → sealed quotes → comparison → award → orders.

Sealing lives in ``Quote.scope_q``: every read here goes through ``visible_to``, so a buyer cannot see a quote
before the RFQ is unsealed and no supplier ever sees another's. The functions below add the rules of each step.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from semipark.core import audit
from semipark.core.scoping import ensure_may, may_create
from semipark.park.models import SETTLED_STATUSES, Enterprise

from . import notices
from .matching import supplier_ids_for
from .models import RFQ, Order, OrderLine, Product, Quote, QuoteLine, RFQInvitation, RFQItem
from .specs import columns_for, validate
from .validation import collect, raise_if


def now():
    return timezone.now()


def new_number(prefix: str) -> str:
    return f"{prefix}-{timezone.localtime(now()):%Y%m%d}-{secrets.token_hex(3).upper()}"


def create_rfq(user, fields: dict, items: list[dict], supplier_ids: list[int] | None = None) -> RFQ:
    """Issue an RFQ of the user's enterprise with its items, inviting ``supplier_ids`` (or suggested ones)."""
    if not user.enterprise_id or not may_create(user, RFQ):
        raise PermissionDenied(_("Only an enterprise may issue an RFQ."))
    if not items:
        raise ValidationError({"items": [_("Add at least one item.")]})
    with transaction.atomic():
        rfq = RFQ(buyer_id=user.enterprise_id, number=new_number("RFQ"), created_by=user, **fields)
        rfq.full_clean()  # also turns typed dates into dates for the checks below
        if rfq.closes_at <= now():
            raise ValidationError({"closes_at": [_("The closing time must be in the future.")]})
        if rfq.delivery_date < timezone.localtime(rfq.closes_at).date():
            raise ValidationError({"delivery_date": [_("Delivery cannot be due before the RFQ closes.")]})
        rfq.save()
        errors = {}
        for line, data in enumerate(items, start=1):
            item = RFQItem(rfq=rfq, line=line, **data)
            try:
                item.specs = validate(item.category.kind, item.specs)
                item.full_clean()
            except ValidationError as exc:
                collect(errors, f"items.{line}", exc)
                continue
            item.save()
        raise_if(errors)
        if supplier_ids is None and not rfq.open_to_park:
            supplier_ids = suggested_suppliers(rfq)
        invite(user, rfq, supplier_ids or [])
        if rfq.open_to_park:
            others = Enterprise.objects.filter(park_id=rfq.buyer.park_id, status__in=SETTLED_STATUSES)
            notices.rfq_invited(rfq, others.exclude(pk=rfq.buyer_id).values_list("pk", flat=True))
        audit.created(user, rfq)
    return rfq


def suggested_suppliers(rfq: RFQ, limit: int = 10) -> list[int]:
    """Suppliers whose open offers or catalog products match an item of the RFQ, best first."""
    found: dict[int, None] = {}
    for item in rfq.items.select_related("category"):
        columns = columns_for(item.category.kind, item.specs)
        for supplier in supplier_ids_for(item.category_id, columns, rfq.buyer, limit):
            found.setdefault(supplier, None)
    return list(found)[:limit]


def invite(user, rfq: RFQ, supplier_ids) -> list[RFQInvitation]:
    ensure_may(user, rfq, "change")
    ids = set(Enterprise.objects.filter(pk__in=supplier_ids).exclude(pk=rfq.buyer_id).values_list("pk", flat=True))
    already = set(rfq.invitations.values_list("supplier_id", flat=True))
    created = [RFQInvitation.objects.create(rfq=rfq, supplier_id=pk) for pk in sorted(ids - already)]
    notices.rfq_invited(rfq, [i.supplier_id for i in created])
    return created


def may_answer(user, rfq: RFQ) -> bool:
    return (
        bool(user.enterprise_id)
        and user.enterprise_id != rfq.buyer_id
        and (rfq.open_to_park or rfq.invitations.filter(supplier_id=user.enterprise_id).exists())
    )


def submit_quote(user, rfq: RFQ, lines: list[dict], valid_until=None, notes: str = "") -> Quote:
    """Quote on ``rfq`` for the user's enterprise; a quote may be revised while it is still sealed."""
    return _answer(user, rfq, Quote.Status.SUBMITTED, lines, valid_until, notes)


def decline(user, rfq: RFQ, notes: str = "") -> Quote:
    return _answer(user, rfq, Quote.Status.DECLINED, [], None, notes)


def _answer(user, rfq: RFQ, status: str, lines: list[dict], valid_until, notes: str) -> Quote:
    with transaction.atomic():
        rfq = RFQ.objects.select_for_update().get(pk=rfq.pk)
        _check_answerable(user, rfq)
        if status == Quote.Status.SUBMITTED and not lines:
            raise ValidationError({"lines": [_("Quote at least one item.")]})
        if valid_until and str(valid_until) < str(timezone.localdate()):
            raise ValidationError({"valid_until": [_("A quote cannot be valid only in the past.")]})
        quote = Quote.objects.filter(rfq=rfq, supplier_id=user.enterprise_id).first()
        before = audit.snapshot(quote) if quote else None
        quote = quote or Quote(rfq=rfq, supplier_id=user.enterprise_id)
        quote.status, quote.valid_until, quote.notes, quote.submitted_by = status, valid_until, notes, user
        quote.full_clean()
        quote.save()
        quote.lines.all().delete()
        _save_lines(user, rfq, quote, lines)
        if before is None:
            audit.created(user, quote)
        else:
            audit.updated(user, quote, before)
        _unseal_when_all_answered(rfq)
        notices.quote_answered(quote)
    return quote


def _check_answerable(user, rfq: RFQ) -> None:
    if not user.is_enterprise_member or not may_answer(user, rfq):
        raise PermissionDenied(_("Your enterprise is not invited to quote on this RFQ."))
    _ensure_open(rfq)
    if rfq.closed:
        raise ValidationError({"__all__": [_("The RFQ closed at %(time)s.") % {"time": _local(rfq.closes_at)}]})
    if rfq.unsealed_at:
        raise ValidationError({"__all__": [_("The quotes are open to the buyer; answers can no longer change.")]})


def _save_lines(user, rfq: RFQ, quote: Quote, lines: list[dict]) -> None:
    items = {item.pk: item for item in rfq.items.all()}
    errors: dict[str, list[str]] = {}
    seen = set()
    for n, data in enumerate(lines, start=1):
        item = items.get(data.get("item_id"))
        product = Product.objects.filter(pk=data.get("product_id"), enterprise_id=user.enterprise_id).first()
        if item is None or item.pk in seen:
            errors.setdefault(f"lines.{n}.item_id", []).append(_("Choose an item of this RFQ, once."))
            continue
        if product is None or product.category_id != item.category_id:
            errors.setdefault(f"lines.{n}.product_id", []).append(
                _("Choose one of your products in the category %(category)s.") % {"category": item.category}
            )
            continue
        seen.add(item.pk)
        line = QuoteLine(
            quote=quote,
            item=item,
            product=product,
            price=data.get("price"),
            quantity=data.get("quantity") or item.quantity,
            lead_time_days=data.get("lead_time_days"),
            note=data.get("note", ""),
        )
        try:
            line.full_clean()
        except ValidationError as exc:
            collect(errors, f"lines.{n}", exc)
            continue
        line.save()
    raise_if(errors)


def _unseal_when_all_answered(rfq: RFQ) -> None:
    invited = set(rfq.invitations.values_list("supplier_id", flat=True))
    answered = set(rfq.quotes.values_list("supplier_id", flat=True))
    if invited and invited <= answered and not rfq.open_to_park:
        RFQ.objects.filter(pk=rfq.pk, unsealed_at__isnull=True).update(unsealed_at=now())


@dataclass
class Comparison:
    """Quotes side by side: one row per RFQ item, one column per supplier that quoted."""

    rfq: RFQ
    quotes: list[Quote]
    rows: list[dict] = field(default_factory=list)
    totals: dict[int, Decimal] = field(default_factory=dict)


def comparison(user, rfq: RFQ) -> Comparison:
    """The buyer's comparison table; empty while the RFQ is sealed (the quotes are not visible yet)."""
    quotes = list(
        Quote.objects.visible_to(user)
        .filter(rfq=rfq, status__in=[Quote.Status.SUBMITTED, Quote.Status.AWARDED, Quote.Status.NOT_AWARDED])
        .select_related("supplier")
        .prefetch_related("lines__product")
    )
    table = Comparison(rfq, quotes)
    for item in rfq.items.all():
        cells = {}
        for quote in quotes:
            line = next((ln for ln in quote.lines.all() if ln.item_id == item.pk), None)
            cells[quote.pk] = line
            if line:
                table.totals[quote.pk] = table.totals.get(quote.pk, Decimal(0)) + line.amount
        prices = [ln.price for ln in cells.values() if ln]
        table.rows.append({"item": item, "cells": cells, "best": min(prices) if prices else None})
    return table


def award(user, rfq: RFQ, line_ids: list[int]) -> list[Order]:
    """Award the chosen quote lines (a whole quote, or a split by item): one order per supplier."""
    with transaction.atomic():
        rfq = RFQ.objects.select_for_update().get(pk=rfq.pk)
        ensure_may(user, rfq, "change")
        if user.enterprise_id != rfq.buyer_id:
            raise PermissionDenied(_("Only the buyer may award an RFQ."))
        _ensure_open(rfq)
        if rfq.sealed:
            raise ValidationError(
                {"__all__": [_("The quotes are still sealed until %(time)s.") % {"time": _local(rfq.closes_at)}]}
            )
        lines = list(
            QuoteLine.objects.visible_to(user)
            .filter(pk__in=line_ids, quote__rfq=rfq, quote__status=Quote.Status.SUBMITTED)
            .select_related("quote", "item", "product")
        )
        if not lines or len(lines) != len(set(line_ids)):
            raise ValidationError({"lines": [_("Choose quoted lines of this RFQ.")]})
        if len({line.item_id for line in lines}) != len(lines):
            raise ValidationError({"lines": [_("Award each item to one supplier only.")]})
        today = timezone.localdate()
        expired = [line.quote for line in lines if line.quote.valid_until and line.quote.valid_until < today]
        if expired:
            raise ValidationError(
                {"lines": [_("The quote of %(supplier)s expired.") % {"supplier": expired[0].supplier}]}
            )
        orders = []
        by_quote: dict[int, list[QuoteLine]] = {}
        for line in lines:
            by_quote.setdefault(line.quote_id, []).append(line)
        for quote_lines in by_quote.values():
            orders.append(_order_from(user, rfq, quote_lines))
        awarded = set(by_quote)
        for quote in rfq.quotes.filter(status=Quote.Status.SUBMITTED):
            quote.status = Quote.Status.AWARDED if quote.pk in awarded else Quote.Status.NOT_AWARDED
            quote.save(update_fields=["status", "updated"])
        before = audit.snapshot(rfq)
        rfq.status = RFQ.Status.AWARDED
        rfq.save(update_fields=["status", "updated"])
        audit.updated(user, rfq, before, message="award")
    return orders


def _order_from(user, rfq: RFQ, quote_lines: list[QuoteLine]) -> Order:
    quote = quote_lines[0].quote
    order = Order.objects.create(
        number=new_number("PO"),
        seller_id=quote.supplier_id,
        buyer_id=rfq.buyer_id,
        buyer_name=rfq.buyer.name,
        rfq=rfq,
        quote=quote,
        delivery_date=rfq.delivery_date,
        created_by=user,
    )
    for line in quote_lines:
        OrderLine.objects.create(
            order=order,
            product=line.product,
            quantity=line.quantity,
            unit=line.item.unit,
            price=line.price,
            quote_line=line,
        )
    audit.created(user, order, message=f"award {rfq.number}")
    notices.notify(
        quote.supplier_id, "order", _("You won %(rfq)s: order %(number)s") % {"rfq": rfq.number, "number": order.number}
    )
    return order


def cancel(user, rfq: RFQ, reason: str) -> RFQ:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason.")]})
    with transaction.atomic():
        ensure_may(user, rfq, "change")
        _ensure_open(rfq)
        before = audit.snapshot(rfq)
        rfq.status = RFQ.Status.CANCELLED
        rfq.save(update_fields=["status", "updated"])
        audit.updated(user, rfq, before, message=reason)
    return rfq


def _ensure_open(rfq: RFQ) -> None:
    if rfq.status != RFQ.Status.OPEN:
        raise ValidationError({"__all__": [_("The RFQ is %(status)s.") % {"status": rfq.get_status_display()}]})


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
