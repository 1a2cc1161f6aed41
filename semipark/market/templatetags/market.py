from django import template

from semipark.market.catalog import controlled_item
from semipark.market.specs import spec_rows

register = template.Library()
register.filter("export_flag", controlled_item)


@register.filter
def spec_text(specs: dict) -> str:
    return "; ".join(f"{label}: {value}" for label, value in spec_rows(specs))
