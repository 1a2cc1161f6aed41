"""Template filters for amounts the way park users read them (万元 and 亿元 in Chinese)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

YI = Decimal(100_000_000)
WAN = Decimal(10_000)


@register.filter
def yuan(value):
    """3000000000 → 30 亿元 (zh) / ¥3 billion (en); 2500000 → 250 万元 / ¥2.5 million."""
    try:
        amount = Decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        return "—"
    if (get_language() or "").startswith("zh"):
        if abs(amount) >= YI:
            return f"{_short(amount / YI)} 亿元"
        if abs(amount) >= WAN:
            return f"{_short(amount / WAN)} 万元"
        return f"{_short(amount)} 元"
    for size, word in ((Decimal(10**9), "billion"), (Decimal(10**6), "million")):
        if abs(amount) >= size:
            return f"¥{_short(amount / size)} {word}"
    return f"¥{_short(amount)}"


def _short(amount: Decimal) -> str:
    rounded = amount.quantize(Decimal("0.01")).normalize()
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
