"""Every order transition: the legal ones for the right side, every other one refused with nothing changed."""

import pytest

from semipark.core.audit import snapshot
from semipark.core.models import AuditEntry
from semipark.core.statemachine import TransitionRefused
from semipark.market import orders
from semipark.market.models import Order, OrderStatus, Product

from .conftest import lot_of

S = OrderStatus
# Legal moves: action -> {source: acting side}
LEGAL = {
    ("start_production", S.CONFIRMED): "seller",
    ("ship", S.CONFIRMED): "seller",
    ("ship", S.IN_PRODUCTION): "seller",
    ("confirm_delivery", S.SHIPPED): "buyer",
    ("accept", S.DELIVERED): "buyer",
    ("dispute", S.SHIPPED): "buyer",
    ("dispute", S.DELIVERED): "buyer",
    ("resolve", S.DISPUTED): "buyer",
    ("cancel", S.CONFIRMED): "both",
    ("cancel", S.IN_PRODUCTION): "both",
    ("cancel_disputed", S.DISPUTED): "seller",
}


@pytest.fixture
def order(market, people):
    product = Product.objects.get(name_en="7N high-purity gallium")
    return orders.create_order(
        people["b_user"], {"buyer_id": people["a_user"].enterprise_id}, [{"product_id": product.pk, "quantity": 2}]
    )


def take(user, order, action, lot=None):
    if action == "ship":
        return orders.ship(user, order, [(lot, 2)], "ship")
    return orders.transition(user, order, action, "a reason")


@pytest.mark.django_db
@pytest.mark.parametrize("state", [s.value for s in S])
@pytest.mark.parametrize("action", list(orders.ORDER_MACHINE.transitions))
def test_every_transition_from_every_state_for_every_side(order, people, state, action):
    Order.objects.filter(pk=order.pk).update(status=state)
    order.refresh_from_db()
    allowed = LEGAL.get((action, state))
    lot = lot_of(people["b_user"], order.seller) if action == "ship" else None
    for who, side in [("b_user", "seller"), ("a_user", "buyer"), ("office", None), ("regulator", None)]:
        legal = allowed is not None and side is not None and allowed in (side, "both")
        if legal:
            continue
        before, audits = snapshot(order), AuditEntry.objects.count()
        with pytest.raises((TransitionRefused, Exception)) as refused:
            take(people[who], order, action, lot)
        assert str(refused.value), "a refusal says why"
        order.refresh_from_db()
        assert snapshot(order) == before and AuditEntry.objects.count() == audits
    if allowed:
        user = people["a_user" if allowed == "buyer" else "b_user"]
        moved = take(user, order, action, lot)
        assert moved.status == orders.ORDER_MACHINE.transitions[action].target


@pytest.mark.django_db
def test_refusal_message_names_state_and_side(order, people):
    with pytest.raises(TransitionRefused) as exc:
        orders.transition(people["a_user"], order, "start_production")
    assert "seller" in str(exc.value)
    with pytest.raises(TransitionRefused) as exc:
        orders.transition(people["a_user"], order, "accept")
    assert exc.value.state == S.CONFIRMED


@pytest.mark.django_db
def test_cancel_needs_a_reason_and_keeps_it(order, people):
    with pytest.raises(TransitionRefused):
        orders.transition(people["a_user"], order, "cancel", "  ")
    cancelled = orders.transition(people["a_user"], order, "cancel", "规格变更")
    assert cancelled.status == S.CANCELLED and cancelled.status_note == "规格变更"


@pytest.mark.django_db
def test_api_refuses_illegal_step_with_409(order, client_as):
    client = client_as("a_user")
    response = client.post(f"/api/v1/market/orders/{order.pk}/start_production", "{}", content_type="application/json")
    assert response.status_code == 409 and "seller" in response.json()["message"]
    order.refresh_from_db()
    assert order.status == S.CONFIRMED


@pytest.mark.django_db
def test_controlled_export_without_licence_is_refused(market, people):
    """The demo's GaAs wafer order to the United States cannot ship: no licence covers it."""
    order = Order.objects.get(destination_country="US")
    seller = people["a_user"]
    lot = lot_of(seller, order.seller, material="GaAs-wafer", quantity=300, hs_code="3818009004", unit="pcs")
    with pytest.raises(TransitionRefused):
        orders.ship(seller, order, [(lot, 300)])
    order.refresh_from_db()
    lot.refresh_from_db()
    assert order.status == S.CONFIRMED and lot.available == 300
