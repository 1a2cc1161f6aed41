"""Excel export of orders: one row per order line, values in yuan."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from semipark.core.excel import Column, workbook_response

ORDER_COLUMNS = [
    Column("number", _("Order")),
    Column("created", _("Date")),
    Column("status", _("Status")),
    Column("seller", _("Seller")),
    Column("buyer", _("Buyer")),
    Column("destination", _("Destination")),
    Column("product", _("Product")),
    Column("hs_code", _("HS code")),
    Column("quantity", _("Quantity")),
    Column("unit", _("Unit")),
    Column("price", _("Unit price (yuan)")),
    Column("amount", _("Amount (yuan)")),
]


def order_rows(orders):
    for order in orders:
        for line in order.lines.all():
            yield [
                order.number,
                timezone.localtime(order.created).strftime("%Y-%m-%d"),
                str(order.get_status_display()),
                str(order.seller),
                order.buyer_name,
                order.destination_country,
                line.product.name,
                line.product.hs_code,
                float(line.quantity),
                line.unit,
                float(line.price),
                float(line.amount),
            ]


def export_orders(orders):
    return workbook_response("orders.xlsx", str(_("Orders")), ORDER_COLUMNS, order_rows(orders))
