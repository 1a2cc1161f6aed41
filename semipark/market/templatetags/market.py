from django import template

from semipark.market.catalog import controlled_item

register = template.Library()
register.filter("export_flag", controlled_item)
