"""The market API under /api/v1/market/: catalog, listings and matches, RFQs and sealed quotes, orders."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from semipark.core.pagination import Pages
from semipark.core.schemas import FieldErrors, Message

from . import catalog, matching, orders, rfqs, trade
from .listings import save_listing
from .models import RFQ, Category, Listing, Notice, Order, Product, Quote
from .notices import mark_read
from .queries import limits_from, order_list
from .schemas import (
    AwardIn,
    CategoryOut,
    ListingIn,
    ListingOut,
    ListingUpdate,
    MatchOut,
    NoteIn,
    NoticeOut,
    OrderIn,
    OrderOut,
    ProductIn,
    ProductOut,
    ProductUpdate,
    QuoteIn,
    QuoteOut,
    RFQIn,
    RFQOut,
    ShipIn,
    SpecLimits,
    TradeOut,
    UnmetOut,
)

router = Router(tags=["market"])
WRITE = {200: object, 201: object, 400: FieldErrors, 403: Message, 404: Message, 409: Message}


def _visible(model, request, pk, action="view"):
    return get_object_or_404(model.objects.visible_to(request.user, action), pk=pk)


@router.get("/categories", response=list[CategoryOut])
def list_categories(request):
    return Category.objects.visible_to(request.user)


@router.get("/products", response=list[ProductOut])
@paginate(Pages)
def list_products(request, filters: Query[SpecLimits]):
    """The catalog, searchable in Chinese and English (name, English name, specs) and by spec limits."""
    text, category, limits = limits_from(filters.dict())
    queryset = Product.objects.visible_to(request.user).filter(active=True).select_related("enterprise")
    return catalog.search(queryset, text, category, **limits)


@router.get("/products/{int:product_id}", response=ProductOut)
def get_product(request, product_id: int):
    return _visible(Product, request, product_id)


@router.post("/products", response={201: ProductOut, 400: FieldErrors, 403: Message})
def create_product(request, body: ProductIn):
    """Add a product of your enterprise; its specs are checked against the category's schema."""
    product = catalog.save_product(request.user, Product(), body.dict())
    return 201, product


@router.patch("/products/{int:product_id}", response={200: ProductOut, 400: FieldErrors, 403: Message, 404: Message})
def update_product(request, product_id: int, body: ProductUpdate):
    product = _visible(Product, request, product_id, "change")
    return catalog.save_product(request.user, product, body.dict(exclude_unset=True))


@router.post("/products/{int:product_id}/files", response={201: Message, 400: FieldErrors, 404: Message})
def upload_product_file(request, product_id: int, kind: Form[str], file: File[UploadedFile], title: Form[str] = ""):
    """Attach a photo (jpg, png, webp) or a data sheet (pdf) of at most 10 MB."""
    product = _visible(Product, request, product_id, "change")
    stored = catalog.attach_file(request.user, product, kind, file, title)
    return 201, {"message": stored.file.name}


@router.get("/listings", response=list[ListingOut])
@paginate(Pages)
def list_listings(request, filters: Query[SpecLimits], kind: str = ""):
    """Supply offers and demand requests of the park (drafts only your own)."""
    text, category, limits = limits_from(filters.dict())
    queryset = Listing.objects.visible_to(request.user).select_related("enterprise")
    if kind:
        queryset = queryset.filter(kind=kind)
    return catalog.search(queryset, text, category, fields=("title",), **limits)


@router.get("/listings/{int:listing_id}", response=ListingOut)
def get_listing(request, listing_id: int):
    return _visible(Listing, request, listing_id)


@router.post("/listings", response={201: ListingOut, 400: FieldErrors, 403: Message})
def create_listing(request, body: ListingIn):
    """Publish a supply offer or a demand request; an open demand notifies the suppliers it matches."""
    data = body.dict()
    if data.get("product_id"):
        data["product"] = _visible(Product, request, data.pop("product_id"), "change")
    return 201, save_listing(request.user, Listing(), data)


@router.patch("/listings/{int:listing_id}", response={200: ListingOut, 400: FieldErrors, 403: Message, 404: Message})
def update_listing(request, listing_id: int, body: ListingUpdate):
    listing = _visible(Listing, request, listing_id, "change")
    return save_listing(request.user, listing, body.dict(exclude_unset=True))


@router.get("/listings/{int:listing_id}/matches", response=list[MatchOut])
def listing_matches(request, listing_id: int):
    """Open offers matching a demand, in-park and adjacent-segment suppliers first, then price and lead time."""
    demand = _visible(Listing, request, listing_id)
    if demand.kind != Listing.Kind.DEMAND:
        return []
    return list(matching.matches_for(demand))


@router.get("/unmet-demand", response={200: list[UnmetOut], 403: Message})
def unmet_demand(request):
    """Open demands no offer matches, by category (park office)."""
    if not request.user.is_office:
        raise PermissionDenied(_("Only the park office sees unmet demand."))
    return [
        {"category": category, "count": len(demands), "titles": [d.title for d in demands]}
        for category, demands in matching.unmet_demand()
    ]


@router.get("/rfqs", response=list[RFQOut])
@paginate(Pages)
def list_rfqs(request, box: str = ""):
    """RFQs you may see; ``box=out`` those you issued, ``box=in`` those you may answer."""
    queryset = RFQ.objects.visible_to(request.user).prefetch_related("items").select_related("buyer")
    if box == "out":
        queryset = queryset.filter(buyer_id=request.user.enterprise_id)
    elif box == "in":
        queryset = queryset.exclude(buyer_id=request.user.enterprise_id)
    return queryset


@router.post("/rfqs", response={201: RFQOut, 400: FieldErrors, 403: Message})
def create_rfq(request, body: RFQIn):
    """Issue an RFQ; invited suppliers default to the best matches for its items."""
    data = body.dict()
    items, suppliers = data.pop("items"), data.pop("suppliers")
    for item in items:
        item["category"] = get_object_or_404(Category, pk=item.pop("category_id"))
    return 201, rfqs.create_rfq(request.user, data, items, suppliers)


@router.get("/rfqs/{int:rfq_id}", response=RFQOut)
def get_rfq(request, rfq_id: int):
    return _visible(RFQ, request, rfq_id)


@router.get("/rfqs/{int:rfq_id}/quotes", response=list[QuoteOut])
def list_quotes(request, rfq_id: int):
    """Quotes you may see: your own, or as the buyer all of them once the RFQ is unsealed."""
    rfq = _visible(RFQ, request, rfq_id)
    return Quote.objects.visible_to(request.user).filter(rfq=rfq).prefetch_related("lines").select_related("supplier")


@router.post("/rfqs/{int:rfq_id}/quotes", response={201: QuoteOut, 400: FieldErrors, 403: Message, 404: Message})
def submit_quote(request, rfq_id: int, body: QuoteIn):
    """Quote (or revise your quote while sealed) for your enterprise."""
    rfq = _visible(RFQ, request, rfq_id)
    data = body.dict()
    return 201, rfqs.submit_quote(request.user, rfq, data["lines"], data["valid_until"], data["notes"])


@router.post("/rfqs/{int:rfq_id}/decline", response={201: QuoteOut, 400: FieldErrors, 403: Message, 404: Message})
def decline_rfq(request, rfq_id: int, body: NoteIn):
    rfq = _visible(RFQ, request, rfq_id)
    return 201, rfqs.decline(request.user, rfq, body.note)


@router.post("/rfqs/{int:rfq_id}/award", response={201: list[OrderOut], 400: FieldErrors, 403: Message, 404: Message})
def award_rfq(request, rfq_id: int, body: AwardIn):
    """Award quote lines (whole quote or split by item); one order per supplier is created."""
    rfq = _visible(RFQ, request, rfq_id, "change")
    return 201, rfqs.award(request.user, rfq, body.lines)


@router.post("/rfqs/{int:rfq_id}/cancel", response={200: RFQOut, 400: FieldErrors, 403: Message, 404: Message})
def cancel_rfq(request, rfq_id: int, body: NoteIn):
    rfq = _visible(RFQ, request, rfq_id, "change")
    return rfqs.cancel(request.user, rfq, body.note)


@router.get("/orders", response=list[OrderOut])
@paginate(Pages)
def list_orders(request, status: str = ""):
    return order_list(request.user, status)


@router.get("/orders/{int:order_id}", response=OrderOut)
def get_order(request, order_id: int):
    return _visible(Order, request, order_id)


@router.post("/orders", response={201: OrderOut, 400: FieldErrors, 403: Message})
def create_order(request, body: OrderIn):
    """Record an order your enterprise sells (to a park enterprise or an outside buyer)."""
    data = body.dict()
    return 201, orders.create_order(request.user, data, data.pop("lines"))


@router.post(
    "/orders/{int:order_id}/ship", response={200: OrderOut, 400: FieldErrors, 403: Message, 404: Message, 409: Message}
)
def ship_order(request, order_id: int, body: ShipIn):
    """Ship with lots (seller). Export control: a controlled item going abroad needs a covering licence."""
    order = _visible(Order, request, order_id, "change")
    lines = orders.lot_lines(request.user, [(line.lot_id, line.quantity) for line in body.lots])
    return orders.ship(request.user, order, lines, body.note)


@router.post(
    "/orders/{int:order_id}/{action}",
    response={200: OrderOut, 400: FieldErrors, 403: Message, 404: Message, 409: Message},
)
def order_transition(request, order_id: int, action: str, body: NoteIn):
    """Take a step: start_production (seller), confirm_delivery, accept, dispute, resolve (buyer), cancel."""
    order = _visible(Order, request, order_id, "change")
    return orders.transition(request.user, order, action, body.note)


@router.get("/trade", response={200: TradeOut, 403: Message})
def trade_statistics(request):
    """In-park trade values by month, chain segment and enterprise pair (park office)."""
    if not request.user.is_office:
        raise PermissionDenied(_("Only the park office sees park trade statistics."))
    user = request.user
    return {"by_month": trade.by_month(user), "by_segment": trade.by_segment(user), "by_pair": trade.by_pair(user)}


@router.get("/notices", response=list[NoticeOut])
@paginate(Pages)
def list_notices(request, unread: bool = False):
    notices = Notice.objects.visible_to(request.user)
    return notices.filter(read=False) if unread else notices


@router.post("/notices/read", response=Message)
def read_notices(request):
    """Mark your enterprise's notices read."""
    return {"message": str(mark_read(request.user))}
