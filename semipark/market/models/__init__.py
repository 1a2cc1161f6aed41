"""Market data: catalog, listings (supply and demand), RFQs with sealed quotes, orders, notices."""

from .catalog import Category, CategoryKind, Product, ProductFile
from .listings import Listing
from .notices import Notice
from .orders import Order, OrderLine, OrderStatus
from .rfq import RFQ, Quote, QuoteLine, RFQInvitation, RFQItem
from .specs import SpecColumns

__all__ = [
    "RFQ",
    "Category",
    "CategoryKind",
    "Listing",
    "Notice",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Product",
    "ProductFile",
    "Quote",
    "QuoteLine",
    "RFQInvitation",
    "RFQItem",
    "SpecColumns",
]
