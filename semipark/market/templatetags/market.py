from django import template

from semipark.market.catalog import export_control

register = template.Library()


@register.filter
def export_flag(obj):
    """The controlled item a product (by HS code and name) or an RFQ item (by description) falls under."""
    return export_control(getattr(obj, "hs_code", ""), getattr(obj, "name", "") or getattr(obj, "description", ""))
