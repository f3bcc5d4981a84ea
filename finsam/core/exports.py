"""Spreadsheet exports that open in Excel: numbers stay numbers, headings in the user's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
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
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
