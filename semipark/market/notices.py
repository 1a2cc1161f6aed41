"""In-app notices: who is told what, in one place."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Notice


def notify(enterprise_id: int, kind: str, text: str, url: str = "") -> Notice:
    return Notice.objects.create(enterprise_id=enterprise_id, kind=kind, text=text[:300], url=url)


def mark_read(user) -> int:
    """Mark the notices of the user's own enterprise read."""
    if not user.enterprise_id:
        return 0
    return (
        Notice.objects.visible_to(user, "change").filter(enterprise_id=user.enterprise_id, read=False).update(read=True)
    )


def demand_matched(demand, supplier_ids) -> None:
    url = reverse("market:listing", args=[demand.pk])
    for supplier in set(supplier_ids) - {demand.enterprise_id}:
        notify(supplier, "match", _("A demand matches your offer: %(title)s") % {"title": demand.title}, url)


def rfq_invited(rfq, supplier_ids) -> None:
    url = reverse("market:rfq", args=[rfq.pk])
    for supplier in supplier_ids:
        notify(supplier, "rfq", _("You are invited to quote on %(rfq)s") % {"rfq": rfq}, url)


def quote_answered(quote) -> None:
    url = reverse("market:rfq", args=[quote.rfq_id])
    notify(
        quote.rfq.buyer_id,
        "quote",
        _("%(supplier)s answered %(rfq)s") % {"supplier": quote.supplier, "rfq": quote.rfq.number},
        url,
    )


def order_step(order, action: str, by) -> None:
    """Tell the other side of the order what happened."""
    from .orders import ACTION_LABELS

    url = reverse("market:order", args=[order.pk])
    text = _("Order %(number)s: %(step)s (%(status)s)") % {
        "number": order.number,
        "step": ACTION_LABELS.get(action, action),
        "status": order.get_status_display(),
    }
    for enterprise_id in {order.seller_id, order.buyer_id} - {by.enterprise_id, None}:
        notify(enterprise_id, "order", text, url)
