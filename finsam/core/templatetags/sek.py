"""Swedish money display for templates: {{ amount|sek }}, {{ amount|sek:"tkr" }}."""

from django import template

from finsam.core.money import format_number, format_sek

register = template.Library()


@register.filter
def sek(amount, unit: str = "kr"):
    if amount is None or amount == "":
        return ""
    return format_sek(amount, unit)


@register.filter
def number_sv(amount, decimals: int = 0):
    if amount is None or amount == "":
        return ""
    return format_number(amount, int(decimals))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def in_unit(amount, unit: str = "kr"):
    """A number in kr, tkr or kkr without the unit (the table heading says it)."""
    from finsam.core.money import UNIT_DIVISORS

    if amount is None or amount == "":
        return ""
    decimals = 0 if unit == "kr" else 1 if unit in ("tkr", "kkr") else 2
    return format_number(amount / UNIT_DIVISORS[unit], decimals)


@register.filter
def pct(value):
    """'73,69 %' — two decimals, Swedish comma."""
    if value is None or value == "":
        return "–"
    return f"{format_number(value, 2)}\u00a0%"
