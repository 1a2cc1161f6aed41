from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

QTY = {"gt": 0, "max_digits": 16, "decimal_places": 4}


class LotOut(Schema):
    """A lot; quantities, HS code and note only for its own enterprise and the park office."""

    id: int
    identifier: str
    code: str
    enterprise_id: int
    enterprise: str
    material: str
    material_label: str
    unit: str
    own: bool
    quantity: Decimal | None = None
    available: Decimal | None = None
    unit_mass_kg: Decimal | None = None
    gallium_kg: Decimal | None = None
    hs_code: str = ""
    description: str = ""
    note: str = ""
    made_on: date | None = None


class NewLotIn(Schema):
    material: str = Field(..., max_length=20)
    quantity: Decimal = Field(..., **QTY)
    unit: str = Field("kg", pattern=r"^(kg|g|t|pcs)$")
    code: str = Field("", max_length=40, pattern=r"^[-A-Za-z0-9_.]*$")
    unit_mass_kg: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=6)
    hs_code: str = Field("", max_length=12)
    description: str = Field("", max_length=200)
    note: str = ""


class LotIn(NewLotIn):
    enterprise_id: int | None = Field(None, description="The park office names the enterprise; others omit it.")


class LotFilter(Schema):
    q: str | None = None
    material: str | None = None
    enterprise_id: int | None = None
    in_stock: bool = False


class LotEventOut(Schema):
    id: int
    code: str
    at: datetime
    username: str
    quantity: Decimal
    deltas: dict
    note: str


class LotQuantityIn(Schema):
    lot_id: int
    quantity: Decimal = Field(..., **QTY)


class TransformationIn(Schema):
    enterprise_id: int | None = None
    process: str = Field(..., max_length=20)
    inputs: list[LotQuantityIn] = Field(..., min_length=1)
    outputs: list[NewLotIn] = Field(..., min_length=1)
    note: str = ""


class TransformationOut(Schema):
    id: int
    process: str
    at: datetime
    outputs: list[LotOut]


class NodeOut(LotOut):
    depth: int


class EdgeOut(Schema):
    parent: int
    child: int
    quantity: Decimal | None
    kind: str  # "shipment" or "transformation"


class TraceOut(Schema):
    root: int
    direction: str
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class ShipmentLineOut(Schema):
    lot_id: int
    lot: str
    received_lot_id: int | None
    quantity: Decimal
    controlled_item: str


class ShipmentOut(Schema):
    id: int
    number: str
    seller_id: int
    buyer_id: int | None
    buyer_name: str
    destination_country: str
    order_id: int | None
    shipped_at: datetime
    note: str
    lines: list[ShipmentLineOut]


class ShipmentIn(Schema):
    seller_id: int | None = None
    buyer_id: int | None = None
    buyer_name: str = Field("", max_length=120)
    destination_country: str = Field("CN", min_length=2, max_length=2)
    lines: list[LotQuantityIn] = Field(..., min_length=1)
    note: str = ""


class LicenceIn(Schema):
    enterprise_id: int | None = None
    number: str = Field(..., min_length=1, max_length=40)
    item: str = Field(..., max_length=30)
    quantity: Decimal = Field(..., **QTY)
    unit: str = Field("kg", pattern=r"^(kg|g|t|pcs)$")
    destination_country: str = Field(..., min_length=2, max_length=2)
    end_user: str = Field(..., min_length=1, max_length=200)
    valid_from: date
    valid_to: date
    note: str = ""


class LicenceOut(Schema):
    id: int
    enterprise_id: int
    number: str
    item: str
    item_label: str
    quantity: Decimal
    unit: str
    drawn: Decimal
    remaining: Decimal
    destination_country: str
    end_user: str
    valid_from: date
    valid_to: date
    note: str


class ControlledItemOut(Schema):
    code: str
    element: str
    name: str
    name_en: str
    hs: list[str]
    hs_aliases: list[str]
    version: str
    document: str
    note: str


class DestinationRuleOut(Schema):
    id: str
    country: str
    kind: str
    elements: list[str] | None
    document: str
    summary: str
    effective_from: date
    effective_to: date | None
    suspensions: list[dict]
    in_force: bool


class MatchOut(Schema):
    controlled: bool
    item: ControlledItemOut | None


class BalanceMonthOut(Schema):
    month: date
    opening: Decimal
    received: Decimal
    registered: Decimal
    gallium_in: Decimal
    shipped: Decimal
    gallium_out: Decimal
    consumed: Decimal
    produced: Decimal
    recovered: Decimal
    lost: Decimal
    closing: Decimal


class BalanceOut(Schema):
    enterprise_id: int
    unit: str = "kg Ga"
    months: list[BalanceMonthOut]


class LotPage(Schema):
    items: list[LotOut]
    count: int
    page: int
    pages: int


class ShipmentPage(Schema):
    items: list[ShipmentOut]
    count: int
    page: int
    pages: int
