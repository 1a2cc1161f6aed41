from datetime import date
from decimal import Decimal

from ninja import Field, ModelSchema, Schema

from .models import ChainItem, ChainSegment, Contact, Enterprise, EnterpriseProduct, Facility, Park, Plot


class ParkOut(ModelSchema):
    class Meta:
        model = Park
        fields = [
            "id",
            "code",
            "name",
            "province",
            "city",
            "county",
            "area_km2",
            "positioning",
            "chemical_park_recognised",
            "chemical_park_document",
            "site_plan_schematic",
        ]


class ProductOut(ModelSchema):
    class Meta:
        model = EnterpriseProduct
        fields = ["id", "name", "chain_item", "capacity", "unit", "is_demo"]


class EnterpriseOut(ModelSchema):
    status_label: str = Field(..., alias="get_status_display")
    chain_items: list[int]
    segments: list[str]
    products: list[ProductOut]

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "uscc",
            "registered_capital",
            "founded",
            "status",
            "description",
            "address",
            "above_size",
            "demo_fields",
        ]

    @staticmethod
    def resolve_chain_items(obj):
        return [item.pk for item in obj.chain_items.all()]

    @staticmethod
    def resolve_segments(obj):
        return [segment.code for segment in obj.segments]

    @staticmethod
    def resolve_products(obj):
        return list(obj.products.all())


class EnterpriseIn(Schema):
    name: str = Field(..., min_length=2, max_length=100)
    short_name: str = Field(..., min_length=1, max_length=30)
    code: str = Field(..., pattern=r"^[-a-z0-9_]+$", max_length=20)
    uscc: str | None = None
    registered_capital: Decimal | None = Field(None, ge=0)
    founded: date | None = None
    status: str = "registered"
    description: str = ""
    address: str = ""
    above_size: bool = False
    chain_items: list[int] = []


class EnterpriseUpdate(Schema):
    name: str | None = Field(None, min_length=2, max_length=100)
    short_name: str | None = Field(None, min_length=1, max_length=30)
    uscc: str | None = None
    registered_capital: Decimal | None = Field(None, ge=0)
    founded: date | None = None
    status: str | None = None
    description: str | None = None
    address: str | None = None
    above_size: bool | None = None
    chain_items: list[int] | None = None


class EnterpriseFilter(Schema):
    q: str | None = None
    status: str | None = None
    segment: str | None = None
    order: str = "id"


class ContactOut(ModelSchema):
    class Meta:
        model = Contact
        fields = ["id", "enterprise", "name", "title", "phone", "email", "emergency"]


class SegmentOut(ModelSchema):
    class Meta:
        model = ChainSegment
        fields = ["id", "code", "name", "name_en", "order"]


class ChainItemOut(ModelSchema):
    segment: str
    inputs: list[int]
    coverage: str
    enterprises: list[int]

    class Meta:
        model = ChainItem
        fields = ["id", "code", "name", "name_en"]


class ChainOut(Schema):
    segments: list[SegmentOut]
    items: list[ChainItemOut]


class FacilityOut(ModelSchema):
    class Meta:
        model = Facility
        fields = ["id", "kind", "name", "quantity", "unit", "capacity", "capacity_unit", "status", "note"]


class PlotOut(ModelSchema):
    class Meta:
        model = Plot
        fields = ["id", "code", "enterprise", "area_m2", "status", "geometry"]
