"""Spreadsheet exports that open in Excel: numbers stay numbers, headings in the user's language.

Text is never a formula (CSV/formula injection): a cell whose text starts with `=`, `+`, `-`, `@`,
a tab or a carriage return is written as text in every XLSX (`neutralise_formulas`, run by
`workbook_bytes`) and prefixed with an apostrophe in every CSV (`csv_writer`), as OWASP advises.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '#,##0 "kr";-#,##0 "kr"'


def xlsx_response(
    *,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    money_columns: Sequence[int] = (),
) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    headers = [str(h) for h in headers]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row in rows:
        values = []
        for v in row:
            if isinstance(v, dt.datetime) and v.tzinfo is not None:
                v = v.astimezone().replace(tzinfo=None)
            values.append(v)
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = min(max(widths[i], len(str(v)) if v is not None else 0), 60)
    for col in money_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            if isinstance(cell.value, Decimal | int):
                cell.number_format = MONEY_FORMAT
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w + 2
    ws.freeze_panes = "A2"
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise_formulas(wb: Workbook) -> Workbook:
    """Every cell openpyxl took for a formula (text starting with "=") becomes a text cell.
    Finsam writes no formulas of its own: every such cell is text someone typed."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The saved workbook, with no text turned into a formula. Every XLSX export ends here."""
    buffer = BytesIO()
    neutralise_formulas(wb).save(buffer)
    return buffer.getvalue()


# A negative amount as Finsam writes it ("-1 234", "-1 234,50", "-1234.50"): a number, not a
# formula, so it stays a number that Excel can sum.
_NEGATIVE_NUMBER = re.compile(r"-\d{1,3}(?:[ \u00a0]?\d{3})*(?:[.,]\d+)?")


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; a moment is
    written in Swedish time as people write it ("2026-12-07 22:30", never an ISO timestamp with
    its offset); other values (a negative amount among them) pass."""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local:%Y-%m-%d %H:%M}"
    if isinstance(value, str) and _NEGATIVE_NUMBER.fullmatch(value):
        return value
    return "'" + value if starts_like_formula(value) else value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row) -> Any:
        return self._writer.writerow([csv_safe(v) for v in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(fileobj, *, delimiter: str = ";") -> _SafeWriter:
    """csv.writer for exports (semicolon-separated, as Swedish Excel expects) that never writes
    a formula."""
    return _SafeWriter(csv.writer(fileobj, delimiter=delimiter))
