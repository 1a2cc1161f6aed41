from django import template

register = template.Library()


@register.filter
def reading(value) -> str:
    """A measured value with four significant figures (0.009252, 0.5, 20.95, 2400), or a dash."""
    if value is None or value == "":
        return "—"
    value = float(value)
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"
