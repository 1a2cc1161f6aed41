"""Template filters for amounts the way park users read them (万元 and 亿元 in Chinese)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

YI = Decimal(100_000_000)
WAN = Decimal(10_000)


ZH_UNITS = ((YI, "亿元"), (WAN, "万元"))
EN_UNITS = ((Decimal(10**9), "billion"), (Decimal(10**6), "million"))


@register.filter
def yuan(value):
    """3000000000 → 30 亿元 (zh) / ¥3 billion (en); 2500000 → 250 万元 / ¥2.5 million."""
    try:
        amount = Decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        return "—"
    chinese = (get_language() or "").startswith("zh")
    for size, word in ZH_UNITS if chinese else EN_UNITS:
        # The unit is chosen after rounding, so 99 999 999 reads 1 亿元, not 10000 万元.
        if abs(_rounded(amount / size)) >= 1:
            return f"{_short(amount / size)} {word}" if chinese else f"¥{_short(amount / size)} {word}"
    return f"{_short(amount)} 元" if chinese else f"¥{_short(amount)}"


def _rounded(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"))


def _short(amount: Decimal) -> str:
    rounded = _rounded(amount).normalize()
    if rounded == rounded.to_integral():
        rounded = rounded.quantize(Decimal(1))
    return number_format(rounded, force_grouping=True)


@register.filter
def is_demo(obj, field: str) -> bool:
    """Whether ``field`` of ``obj`` holds a demonstration value."""
    return field in (getattr(obj, "demo_fields", None) or [])


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
