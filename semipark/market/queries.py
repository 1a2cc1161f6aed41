"""Read-side helpers shared by the pages and the API."""

import contextlib

from .models import Order
from .specs import nines


def limits_from(params: dict) -> tuple[str, int | None, dict]:
    """Split search parameters into text, category id and spec-column limits."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    text = params.pop("q", "")
    category = params.pop("category", None)
    purity = params.pop("purity", None)
    if purity:
        # An unreadable purity filters nothing rather than failing a search box.
        with contextlib.suppress(ValueError):
            params["purity_n"] = nines(purity.upper())
    return text, category, params


def order_list(user, status: str = ""):
    queryset = Order.objects.visible_to(user).select_related("seller", "buyer").prefetch_related("lines__product")
    return queryset.filter(status=status) if status else queryset
