"""In-park trade for the park office: order values by month, chain segment and enterprise pair.

Values only (quantity × contracted price summed per group); quotes are never read here. Cancelled orders and
orders to buyers outside the park are left out of in-park trade.
"""

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth

from .models import OrderLine, OrderStatus
from .models.lines import CENT

VALUE = ExpressionWrapper(F("quantity") * F("price"), output_field=DecimalField(max_digits=20, decimal_places=2))


def in_park_lines(user):
    return (
        OrderLine.objects.visible_to(user)
        .filter(order__buyer__isnull=False)
        .exclude(order__status=OrderStatus.CANCELLED)
    )


def by_month(user) -> list[dict]:
    rows = (
        in_park_lines(user)
        .annotate(month=TruncMonth("order__created"))
        .values("month")
        .annotate(value=Sum(VALUE))
        .order_by("month")
    )
    return [{"month": r["month"].strftime("%Y-%m"), "value": _yuan(r["value"])} for r in rows]


def by_pair(user) -> list[dict]:
    rows = (
        in_park_lines(user)
        .values("order__seller__short_name", "order__buyer__short_name")
        .annotate(value=Sum(VALUE))
        .order_by("-value")
    )
    return [
        {"seller": r["order__seller__short_name"], "buyer": r["order__buyer__short_name"], "value": _yuan(r["value"])}
        for r in rows
    ]


def by_segment(user) -> list[dict]:
    """Value by the chain segment of what was sold (the category's chain item)."""
    rows = (
        in_park_lines(user)
        .values("product__category__chain_item__segment__name")
        .annotate(value=Sum(VALUE))
        .order_by("-value")
    )
    return [
        {"segment": r["product__category__chain_item__segment__name"] or "—", "value": _yuan(r["value"])} for r in rows
    ]


def _yuan(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)
