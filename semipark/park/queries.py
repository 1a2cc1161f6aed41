"""Queries the web pages and the API share: the user's park and the searchable enterprise register."""

from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from .models import Enterprise, Park

ENTERPRISE_ORDERS = {"id", "-id", "name", "-name", "registered_capital", "-registered_capital", "status", "-status"}


def current_park(user) -> Park:
    """The park the user works in (the first one they may see); 404 when there is none."""
    return get_object_or_404(Park.objects.visible_to(user).order_by("id")[:1])


def enterprises_for(user, action: str = "view"):
    return Enterprise.objects.visible_to(user, action).prefetch_related("chain_items__segment", "products")


def search_enterprises(rows, *, q: str = "", status: str = "", segment: str = "", order: str = "id"):
    """Filter by name, short name or credit code, by status and by chain segment; sort by a known column."""
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(uscc=q.upper()))
    if status:
        rows = rows.filter(status=status)
    if segment:
        rows = rows.filter(chain_items__segment__code=segment).distinct()
    order = order if order in ENTERPRISE_ORDERS else "id"
    # Unknown values (negotiating projects have no capital yet) sort last on SQLite and PostgreSQL alike.
    field = F(order.lstrip("-"))
    return rows.order_by(field.desc(nulls_last=True) if order.startswith("-") else field.asc(nulls_last=True), "id")
