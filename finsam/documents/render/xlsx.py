"""Every table of a document as a sheet of one workbook: numbers as numbers (kronor, exact), a
title row, and the formula-injection guard of every Finsam export (finsam.core.exports)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from finsam.core.exports import MONEY_FORMAT, workbook_bytes
from finsam.documents import blocks as b

FORMATS = {
    "money": MONEY_FORMAT,
    "tkr": MONEY_FORMAT,
    "tkr1": MONEY_FORMAT,
    "number": "#,##0.##",
    "percent": '0.0" %"',
}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def all_tables(document: b.Document) -> list[b.Table]:
    """The document's tables and then its appendices' (a board pack's own and its appendices')."""
    found = []
    for block in document.blocks:
        if isinstance(block, b.Table):
            found.append(block)
        elif isinstance(block, b.Appendix):
            found += all_tables(block.document)
    return found


def _sheet_title(table: b.Table, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", table.title or table.key).strip()[:28] or "Tabell"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:26]} {n}"
        n += 1
    used.add(title.lower())
    return title


def render_xlsx(document: b.Document) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    tables = all_tables(document)
    if not tables:
        ws = wb.create_sheet("Dokument")
        ws.append([document.title])
        ws.append([document.subtitle])
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table, used))
        ws.append([table.title])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([f"{document.association_name} – {document.subtitle} (belopp i kronor)"])
        ws.append([c.label for c in table.columns])
        for cell in ws[3]:
            cell.font = Font(bold=True)
        widths = [len(c.label) for c in table.columns]
        for row in table.rows:
            values = []
            for value in row.cells:
                if isinstance(value, dt.datetime) and value.tzinfo is not None:
                    value = value.astimezone().replace(tzinfo=None)
                values.append(value)
            ws.append(values)
            for i, v in enumerate(values[: len(widths)]):
                widths[i] = min(max(widths[i], len(str(v)) if v is not None else 0), 60)
            excel_row = ws.max_row
            for i, column in enumerate(table.columns, start=1):
                cell = ws.cell(row=excel_row, column=i)
                if isinstance(cell.value, Decimal | int) and column.kind in FORMATS:
                    cell.number_format = FORMATS[column.kind]
                if row.style in ("heading", "subtotal", "total"):
                    cell.font = Font(bold=True)
                elif row.style == "flagged":
                    cell.fill = PatternFill("solid", fgColor="FFF1C2")
        if table.note:
            ws.append([])
            ws.append([table.note])
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w + 2
        ws.freeze_panes = "B4"
    return workbook_bytes(wb)
