"""How a table cell is shown, the same in the PDF and the DOCX (the XLSX keeps numbers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam.core.money import format_number
from finsam.documents.blocks import Cell

THOUSAND = Decimal(1000)


def format_cell(value: Cell, kind: str) -> str:
    """'1 234 567' (money), '1 235' (tkr), '101,6' (tkr1), '12,5 %' (percent), '2026-06-30'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "money":
        return format_number(value, 0)
    if kind == "tkr":
        return format_number(Decimal(value) / THOUSAND, 0)
    if kind == "tkr1":
        return format_number(Decimal(value) / THOUSAND, 1)
    if kind == "percent":
        return f"{format_number(value, 1)}\u00a0%"
    if kind == "number":
        decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 1
        return format_number(value, decimals)
    return str(value)


def is_numeric(kind: str) -> bool:
    return kind in ("money", "tkr", "tkr1", "number", "percent")


UNIT_NOTE = {"money": "kr", "tkr": "tkr", "tkr1": "tkr", "percent": "%"}
