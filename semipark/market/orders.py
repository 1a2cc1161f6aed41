"""The order state machine and the steps each party takes.

confirmed → in_production → shipped (with lots) → delivered → accepted, or disputed; cancelled with a reason.
The seller starts production and ships; the buyer confirms delivery, accepts or disputes. Either party may
cancel before shipping; after shipping only a dispute is open to the buyer, and the seller may resolve a
dispute by cancelling (goods returned, refund) — the park office never moves an order.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from semipark.core import audit
from semipark.core.scoping import ensure_may
from semipark.core.statemachine import StateMachine, Transition, TransitionRefused

from . import notices
from .models import Order, OrderLine, OrderStatus, Product
from .rfqs import new_number
from .validation import collect, raise_if

SELLER, BUYER = "seller", "buyer"
S = OrderStatus

ORDER_MACHINE = StateMachine(
    {
        "start_production": Transition(
            frozenset({S.CONFIRMED}), S.IN_PRODUCTION, frozenset({SELLER}), gettext_lazy("start production")
        ),
        "ship": Transition(
            frozenset({S.CONFIRMED, S.IN_PRODUCTION}), S.SHIPPED, frozenset({SELLER}), gettext_lazy("ship")
        ),
        "confirm_delivery": Transition(
            frozenset({S.SHIPPED}), S.DELIVERED, frozenset({BUYER}), gettext_lazy("confirm delivery")
        ),
        "accept": Transition(frozenset({S.DELIVERED}), S.ACCEPTED, frozenset({BUYER}), gettext_lazy("accept")),
        "dispute": Transition(
            frozenset({S.SHIPPED, S.DELIVERED}), S.DISPUTED, frozenset({BUYER}), gettext_lazy("dispute"), True
        ),
        "resolve": Transition(
            frozenset({S.DISPUTED}), S.ACCEPTED, frozenset({BUYER}), gettext_lazy("accept after dispute")
        ),
        "cancel": Transition(
            frozenset({S.CONFIRMED, S.IN_PRODUCTION}),
            S.CANCELLED,
            frozenset({SELLER, BUYER}),
            gettext_lazy("cancel"),
            True,
        ),
        "cancel_disputed": Transition(
            frozenset({S.DISPUTED}), S.CANCELLED, frozenset({SELLER}), gettext_lazy("cancel the disputed order"), True
        ),
    },
    state_labels=lambda s: str(OrderStatus(s).label),
)
ACTION_LABELS = {action: t.label for action, t in ORDER_MACHINE.transitions.items()}
# The ship step needs lots, so it is taken through ship(), never through transition().
LOT_ACTIONS = frozenset({"ship"})


def parties(user, order: Order) -> set[str]:
    """The sides of ``order`` the user acts for (an enterprise member of the seller or of the buyer)."""
    if not user.is_enterprise_member or not user.enterprise_id:
        return set()
    found = set()
    if order.seller_id == user.enterprise_id:
        found.add(SELLER)
    if order.buyer_id and order.buyer_id == user.enterprise_id:
        found.add(BUYER)
    return found


def available_actions(user, order: Order) -> list[str]:
    return ORDER_MACHINE.available(order.status, parties(user, order))


def transition(user, order: Order, action: str, note: str = "") -> Order:
    """Take ``action`` on ``order`` for the user's side; refused with a clear message otherwise."""
    if action in LOT_ACTIONS:
        raise TransitionRefused(
            _("Shipping needs the lots shipped: use the ship step with lots."), state=order.status, action=action
        )
    return _apply(user, order, action, note)


def ship(user, order: Order, lot_lines, note: str = "") -> Order:
    """Ship ``order`` with ``lot_lines`` [(trace.Lot, Decimal quantity)], recording the shipment in trace.

    One transaction: trace checks export control and licences (raising LicenceRequired, a TransitionRefused,
    when a controlled item leaves the customs territory without a covering licence), moves the lots, and only
    then does the order become shipped. Any refusal leaves both the order and the lots unchanged.
    """
    ORDER_MACHINE.check(order, "ship", parties(user, order), note)
    with transaction.atomic():
        _ensure_party(user, order)
        try:
            from semipark.trace.shipments import record_shipment
        except ImportError:  # the trace app without shipments yet: the order still moves, without lots
            record_shipment = None
        if record_shipment is not None:
            record_shipment(user, order, lot_lines)
        return _apply(user, order, "ship", note)


def shippable_lots(user, order: Order):
    """The seller's lots with something left, which the user may ship (empty without the trace app)."""
    try:
        from semipark.trace.models import Lot
    except ImportError:
        return []
    return Lot.objects.visible_to(user, "change").filter(enterprise_id=order.seller_id, available__gt=0)


def lot_lines(user, pairs) -> list:
    """[(lot id, quantity)] → [(Lot, Decimal)], only lots the user may ship; unknown ids are an error."""
    pairs = list(pairs)
    if not pairs:
        return []
    try:
        from semipark.trace.models import Lot
    except ImportError as exc:
        raise ValidationError({"lots": [_("Lots are not available.")]}) from exc
    found = Lot.objects.visible_to(user, "change").in_bulk([lot_id for lot_id, _q in pairs])
    missing = [str(lot_id) for lot_id, _q in pairs if lot_id not in found]
    if missing:
        raise ValidationError({"lots": [_("Unknown lots: %(ids)s.") % {"ids": ", ".join(missing)}]})
    try:
        return [(found[lot_id], Decimal(str(quantity))) for lot_id, quantity in pairs]
    except InvalidOperation:
        raise ValidationError({"lots": [_("Quantities must be numbers.")]}) from None


def _apply(user, order: Order, action: str, note: str) -> Order:
    with transaction.atomic():
        _ensure_party(user, order)
        known = ORDER_MACHINE.transitions.get(action)
        changes = {"status_note": note.strip()[:300]} if known and known.needs_note else {}
        updated = ORDER_MACHINE.apply(order, action, user, parties(user, order), note, **changes)
        notices.order_step(updated, action, by=user)
    return updated


def _ensure_party(user, order: Order) -> None:
    ensure_may(user, order, "change")
    if not parties(user, order):
        raise PermissionDenied(_("Only the seller or the buyer may move an order."))


def create_order(user, fields: dict, lines: list[dict]) -> Order:
    """A seller records an order taken outside an RFQ (an outside customer, or a park buyer by agreement)."""
    if not user.is_enterprise_member or not user.enterprise_id:
        raise PermissionDenied(_("Only the selling enterprise may record an order."))
    if not lines:
        raise ValidationError({"lines": [_("Add at least one line.")]})
    with transaction.atomic():
        order = Order(number=new_number("PO"), seller_id=user.enterprise_id, created_by=user, **fields)
        if order.buyer_id and not order.buyer_name:
            order.buyer_name = order.buyer.name
        order.destination_country = (order.destination_country or "").upper()
        order.full_clean()
        order.save()
        errors: dict[str, list[str]] = {}
        for n, data in enumerate(lines, start=1):
            product = Product.objects.filter(pk=data.get("product_id"), enterprise_id=user.enterprise_id).first()
            if product is None:
                errors.setdefault(f"lines.{n}.product_id", []).append(_("Choose one of your own products."))
                continue
            line = OrderLine(
                order=order,
                product=product,
                quantity=data.get("quantity"),
                unit=data.get("unit") or product.unit,
                price=data.get("price") if data.get("price") is not None else product.price,
            )
            try:
                line.full_clean()
            except ValidationError as exc:
                collect(errors, f"lines.{n}", exc)
                continue
            line.save()
        raise_if(errors)
        ensure_may(user, order, "change")
        audit.created(user, order)
        if order.buyer_id:
            notices.notify(
                order.buyer_id,
                "order",
                _("New order %(number)s from %(seller)s") % {"number": order.number, "seller": order.seller},
            )
    return order
