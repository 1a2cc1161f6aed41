"""Matching a demand against supply offers (and catalog products) by category and specification ranges.

An offer matches when everything the demand asks for is guaranteed: the same material, conduction type and
diameter; purity at least as high; and each stated range of the offer inside the demand's range (a demand for
EPD at most 5000 matches an offer guaranteeing at most 3000, not one of 8000). The filter runs in SQL on the
indexed spec columns; ranking then puts in-park suppliers first, then those on an adjacent chain segment, then
price (negotiable last) and lead time.
"""

from django.db.models import Case, F, IntegerField, Q, Value, When

from semipark.park.models import SETTLED_STATUSES, ChainItem, Enterprise

from .models import Listing
from .specs import EXACT_COLUMNS, RANGE_COLUMNS


def spec_filter(columns: dict) -> Q:
    """Rows whose spec columns satisfy everything ``columns`` (a demand's, or search limits) asks for."""
    q = Q()
    for name in EXACT_COLUMNS:
        if columns.get(name) not in (None, ""):
            q &= Q(**{name: columns[name]})
    if columns.get("purity_n") is not None:
        q &= Q(purity_n__gte=columns["purity_n"])
    for low, high in RANGE_COLUMNS.values():
        if low and columns.get(low) is not None:
            q &= Q(**{f"{low}__gte": columns[low]})
        if high and columns.get(high) is not None:
            q &= Q(**{f"{high}__lte": columns[high]})
    return q


def columns_of(row) -> dict:
    from .specs import COLUMNS

    return {name: getattr(row, name) for name in COLUMNS}


def adjacent_enterprise_ids(buyer: Enterprise | None) -> set[int]:
    """Enterprises making an input of the buyer's chain items, or working on a neighbouring chain segment."""
    if buyer is None:
        return set()
    items = list(buyer.chain_items.select_related("segment"))
    if not items:
        return set()
    orders = {item.segment.order for item in items}
    neighbours = {o + d for o in orders for d in (-1, 1)} - orders
    inputs = ChainItem.objects.filter(outputs__in=items)
    near = ChainItem.objects.filter(Q(pk__in=inputs) | Q(segment__order__in=neighbours, segment__park_id=buyer.park_id))
    return set(Enterprise.objects.filter(chain_items__in=near).exclude(pk=buyer.pk).values_list("pk", flat=True))


def ranked(queryset, buyer: Enterprise | None):
    """``queryset`` (offers or products) ranked for ``buyer``: in park, adjacent segment, price, lead time."""
    adjacent = adjacent_enterprise_ids(buyer)
    queryset = queryset.annotate(
        in_park=Case(
            When(enterprise__status__in=SETTLED_STATUSES, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        adjacent=Case(When(enterprise_id__in=adjacent, then=Value(1)), default=Value(0), output_field=IntegerField()),
    )
    if buyer is not None:
        queryset = queryset.exclude(enterprise=buyer)
    return queryset.order_by(
        "-in_park", "-adjacent", F("price").asc(nulls_last=True), F("lead_time_days").asc(nulls_last=True), "id"
    )


def open_offers(category_id: int, columns: dict):
    return Listing.objects.filter(
        spec_filter(columns), category_id=category_id, kind=Listing.Kind.OFFER, status=Listing.Status.OPEN
    )


def matches_for(demand: Listing, limit: int | None = 50):
    """Open offers matching ``demand``, best first."""
    offers = ranked(open_offers(demand.category_id, columns_of(demand)), demand.enterprise).select_related(
        "enterprise", "category"
    )
    return offers[:limit] if limit else offers


def supplier_ids_for(category_id: int, columns: dict, buyer: Enterprise | None, limit: int = 20) -> list[int]:
    """Suppliers that offer or list a matching product, best first (for RFQ invitations)."""
    from .models import Product

    seen: dict[int, None] = {}
    for queryset in (
        open_offers(category_id, columns),
        Product.objects.filter(spec_filter(columns), category_id=category_id, active=True),
    ):
        for enterprise_id in ranked(queryset, buyer).values_list("enterprise_id", flat=True)[: limit * 5]:
            seen.setdefault(enterprise_id, None)
    return list(seen)[:limit]


def unmet_demand():
    """Open demands that no open offer matches, grouped by category: the park office's attraction signal."""
    groups: dict = {}
    for demand in Listing.objects.filter(kind=Listing.Kind.DEMAND, status=Listing.Status.OPEN).select_related(
        "category", "enterprise"
    ):
        if not open_offers(demand.category_id, columns_of(demand)).exclude(enterprise=demand.enterprise).exists():
            groups.setdefault(demand.category, []).append(demand)
    return sorted(groups.items(), key=lambda pair: (-len(pair[1]), pair[0].order))
