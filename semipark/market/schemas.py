from datetime import date, datetime
from decimal import Decimal

from ninja import Field, ModelSchema, Schema

from .models import RFQ, Category, Listing, Notice, Order, OrderLine, Product, Quote, QuoteLine, RFQItem


class EnterpriseRef(Schema):
    id: int
    short_name: str


class CategoryOut(ModelSchema):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "name_en", "kind"]


class ControlFlag(Schema):
    controlled: bool
    item: str = ""


def _flag(obj) -> dict:
    from .catalog import controlled_item

    item = controlled_item(obj)
    return {"controlled": item is not None, "item": str(item) if item else ""}


class ProductOut(ModelSchema):
    enterprise: EnterpriseRef
    negotiable: bool
    export_control: ControlFlag

    class Meta:
        model = Product
        fields = [
            "id",
            "category",
            "name",
            "name_en",
            "description",
            "specs",
            "unit",
            "price",
            "lead_time_days",
            "hs_code",
            "material",
            "active",
        ]

    @staticmethod
    def resolve_export_control(obj):
        return _flag(obj)


class ProductIn(Schema):
    category_id: int
    name: str
    name_en: str = ""
    description: str = ""
    specs: dict = {}
    unit: str
    price: Decimal | None = None
    lead_time_days: int | None = None
    hs_code: str = ""
    active: bool = True


class ProductUpdate(Schema):
    name: str | None = None
    name_en: str | None = None
    description: str | None = None
    specs: dict | None = None
    unit: str | None = None
    price: Decimal | None = None
    lead_time_days: int | None = None
    hs_code: str | None = None
    active: bool | None = None


class SpecLimits(Schema):
    """Search and filter limits on the indexed spec columns (the same rules as matching)."""

    q: str = ""
    category: int | None = None
    material: str | None = None
    conduction: str | None = None
    diameter_in: Decimal | None = None
    purity: str | None = Field(None, description="At least this purity, e.g. 6N or 7N.")
    epd_max: float | None = None
    resistivity_min: float | None = None
    mobility_min: float | None = None


class ListingOut(ModelSchema):
    enterprise: EnterpriseRef

    class Meta:
        model = Listing
        fields = [
            "id",
            "kind",
            "status",
            "category",
            "product",
            "title",
            "specs",
            "quantity",
            "unit",
            "price",
            "lead_time_days",
            "valid_until",
            "created",
        ]


class ListingIn(Schema):
    kind: Listing.Kind
    status: Listing.Status = Listing.Status.OPEN
    category_id: int | None = None
    product_id: int | None = None
    title: str
    specs: dict = {}
    quantity: Decimal | None = None
    unit: str = ""
    price: Decimal | None = None
    lead_time_days: int | None = None
    valid_until: date | None = None
    note: str = ""


class ListingUpdate(Schema):
    status: Listing.Status | None = None
    title: str | None = None
    specs: dict | None = None
    quantity: Decimal | None = None
    price: Decimal | None = None
    lead_time_days: int | None = None
    valid_until: date | None = None
    note: str | None = None


class MatchOut(ListingOut):
    in_park: int
    adjacent: int


class RFQItemOut(ModelSchema):
    export_control: ControlFlag

    class Meta:
        model = RFQItem
        fields = ["id", "line", "category", "description", "specs", "quantity", "unit"]

    @staticmethod
    def resolve_export_control(obj):
        return _flag(obj)


class RFQOut(ModelSchema):
    buyer: EnterpriseRef
    items: list[RFQItemOut]
    sealed: bool
    closed: bool

    class Meta:
        model = RFQ
        fields = ["id", "number", "title", "delivery_date", "closes_at", "open_to_park", "status", "created"]


class RFQItemIn(Schema):
    category_id: int
    description: str
    specs: dict = {}
    quantity: Decimal
    unit: str


class RFQIn(Schema):
    title: str
    note: str = ""
    delivery_date: date
    closes_at: datetime
    open_to_park: bool = False
    items: list[RFQItemIn]
    suppliers: list[int] | None = Field(None, description="Invited supplier ids; omitted: suggested by matching.")


class QuoteLineIn(Schema):
    item_id: int
    product_id: int
    price: Decimal
    quantity: Decimal | None = None
    lead_time_days: int


class QuoteIn(Schema):
    lines: list[QuoteLineIn]
    valid_until: date | None = None
    notes: str = ""


class NoteIn(Schema):
    note: str = ""


class QuoteLineOut(ModelSchema):
    amount: Decimal

    class Meta:
        model = QuoteLine
        fields = ["id", "item", "product", "price", "quantity", "lead_time_days", "note"]


class QuoteOut(ModelSchema):
    supplier: EnterpriseRef
    lines: list[QuoteLineOut]

    class Meta:
        model = Quote
        fields = ["id", "rfq", "status", "valid_until", "notes", "created", "updated"]


class AwardIn(Schema):
    lines: list[int] = Field(..., description="Quote line ids: one per item, from one or several quotes.")


class OrderLineOut(ModelSchema):
    amount: Decimal
    export_control: ControlFlag

    class Meta:
        model = OrderLine
        fields = ["id", "product", "quantity", "unit", "price"]

    @staticmethod
    def resolve_export_control(obj):
        return _flag(obj.product)


class OrderOut(ModelSchema):
    seller: EnterpriseRef
    buyer: EnterpriseRef | None
    lines: list[OrderLineOut]
    total: Decimal
    actions: list[str] = []

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "buyer_name",
            "destination_country",
            "status",
            "rfq",
            "delivery_date",
            "status_note",
            "created",
        ]

    @staticmethod
    def resolve_actions(obj, context):
        from .orders import available_actions

        return available_actions(context["request"].user, obj)


class OrderLineIn(Schema):
    product_id: int
    quantity: Decimal
    price: Decimal | None = None
    unit: str = ""


class OrderIn(Schema):
    buyer_id: int | None = None
    buyer_name: str = ""
    destination_country: str = "CN"
    delivery_date: date | None = None
    note: str = ""
    lines: list[OrderLineIn]


class LotLineIn(Schema):
    lot_id: int
    quantity: Decimal


class ShipIn(Schema):
    lots: list[LotLineIn] = []
    note: str = ""


class NoticeOut(ModelSchema):
    class Meta:
        model = Notice
        fields = ["id", "kind", "text", "url", "read", "created"]


class TradeOut(Schema):
    by_month: list[dict]
    by_segment: list[dict]
    by_pair: list[dict]


class UnmetOut(Schema):
    category: CategoryOut
    count: int
    titles: list[str]
