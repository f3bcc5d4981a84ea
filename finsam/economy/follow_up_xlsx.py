"""The board's follow-up table as a file: XLSX ready for a board document, or CSV.

Both hold exactly the rows of the page (`follow_up.follow_up_table`): section headings, lines,
subtotals, the result, equity and the bank. The XLSX has a title, the cut-off date, the budget
it follows and the sign convention above the table, and prints on A4 landscape, one page wide.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side

from finsam.core.exports import MONEY_FORMAT, csv_writer, workbook_bytes
from finsam.economy.follow_up import FollowUp, follow_up_table

BOLD_KINDS = {"section", "subtotal", "result"}


def headings() -> list[str]:
    return [
        _("Line"),
        _("Full-year budget"),
        _("Actual up to cut-off date"),
        _("Accrued actual"),
        _("Full-year forecast"),
        _("Variance (budget − forecast)"),
    ]


def preamble(*, association_name: str, budget, report: FollowUp) -> list[str]:
    return [
        _("Follow-up as at %(d)s – %(name)s")
        % {"d": f"{report.cutoff:%Y-%m-%d}", "name": association_name},
        _("Cut-off date: %(d)s") % {"d": f"{report.cutoff:%Y-%m-%d}"},
        _("Budget: %(b)s (%(status)s).")
        % {"b": budget, "status": str(budget.get_status_display()).lower()},
        _(
            "Income and costs are shown as positive amounts. Variance = budget − forecast: for a "
            "cost, a positive number means money left over; for income, lower income than "
            "budgeted."
        ),
    ]


def write_follow_up_xlsx(*, association_name: str, budget, report: FollowUp) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Follow-up")[:31]
    for i, text in enumerate(
        preamble(association_name=association_name, budget=budget, report=report)
    ):
        ws.append([text])
        ws.cell(row=i + 1, column=1).font = (
            Font(bold=True, size=14) if i == 0 else Font(italic=i == 3)
        )
    ws.append([])
    ws.append(headings())
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.border = Border(bottom=Side(style="thin"))
    for row in follow_up_table(report):
        ws.append([row.label, *row.figures])
        cells = ws[ws.max_row]
        for cell in cells[1:]:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
        if row.kind in BOLD_KINDS:
            for cell in cells:
                cell.font = Font(bold=True)
        if row.kind in ("subtotal", "result"):
            for cell in cells:
                cell.border = Border(top=Side(style="thin"))
    ws.column_dimensions["A"].width = 48
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 17
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(wb)


def _csv_value(value) -> str:
    if value is None:
        return ""
    return str(value.quantize(Decimal("0.01"))).replace(".", ",")


def write_follow_up_csv(report: FollowUp) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(headings())
    for row in follow_up_table(report):
        writer.writerow([row.label, *[_csv_value(v) for v in row.figures]])
    return out.getvalue()
