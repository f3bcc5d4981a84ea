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
