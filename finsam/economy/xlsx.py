"""Budget as a spreadsheet: one layout for export, the blank template and import.

Row 1–3 hold title, budget year and unit; row 5 the headings, row 6 each column's type (Bokslut,
Prognos, Budget, Plan), row 7 its year; lines from row 8. Codes are written as their Swedish
labels so that the file reads naturally in Excel, and read back by label.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from finsam.core.exports import csv_writer, workbook_bytes
from finsam.core.money import UNIT_DIVISORS
from finsam.core.uploads import UnsafeUpload, check_xlsx
from finsam.economy.models import BudgetColumn, CostKind, Role, Section, Statement
from finsam.economy.statements import BudgetView

FIXED_HEADINGS = [
    "Rapport",
    "Avsnitt",
    "Radtyp",
    "Rad",
    "Konto",
    "Grupp",
    "Ändamål",
    "Medlemsgrupp",
]
MEMBER_SIDES = {
    "state_agency": "Staten",
    "region": "Region",
    "municipality": "Kommun",
    "region_municipality": "Region och kommun",
}
FIRST_LINE_ROW = 8


def _label_maps():
    """(code → Swedish label, label → code) per column.

    The file layout is Swedish whatever the user's language, and reading also accepts the labels
    of the language the user works in, so a template filled in either way imports.
    """

    def both(choices):
        with translation.override("sv"):
            written = {str(c.value): str(c.label) for c in choices}
        read = {label.lower(): code for code, label in written.items()}
        read.update({str(c.label).lower(): str(c.value) for c in choices})
        return written, read

    return {
        "statement": both(Statement),
        "section": both(Section),
        "role": both(Role),
        "cost_kind": both(CostKind),
        "basis": both(BudgetColumn.Basis),
        "member_side": (MEMBER_SIDES, {v.lower(): k for k, v in MEMBER_SIDES.items()}),
    }


def budget_rows(view: BudgetView, unit: str = "kr") -> list[list]:
    divisor = UNIT_DIVISORS[unit]
    maps = _label_maps()
    rows = []
    for line in view.lines:
        values = []
        for column in view.columns:
            key = (line.pk, column.pk)
            value = view.printed.get(key, view.values.get(key))
            values.append(None if value is None else (value / divisor).normalize() + 0)
        rows.append(
            [
                maps["statement"][0].get(line.statement, ""),
                maps["section"][0].get(line.section, ""),
                maps["role"][0].get(line.role, ""),
                line.label,
                line.account,
                line.group,
                _kind_text(line, maps),
                maps["member_side"][0].get(line.member_side, ""),
                *values,
            ]
        )
    return rows


def _kind_text(line, maps) -> str:
    if line.kind_shares:
        return "; ".join(f"{maps['cost_kind'][0][k]} {v} %" for k, v in line.kind_shares.items())
    return maps["cost_kind"][0].get(line.cost_kind, "")


def _parse_kind(text: str, maps, where: str) -> tuple[str, dict[str, str]]:
    """'Individinriktade insatser' or 'Processtödjande insatser 50 %; Individinriktade insatser 50 %'."""
    if ";" not in text:
        code = maps["cost_kind"][1].get(text.lower(), "")
        if text and not code:
            raise ValidationError(
                _("%(where)s: unknown purpose “%(text)s”.") % {"where": where, "text": text}
            )
        return code, {}
    shares = {}
    for part in text.split(";"):
        label, _sep, number = part.strip().rstrip("%").strip().rpartition(" ")
        code = maps["cost_kind"][1].get(label.strip().lower())
        if not code or not number.replace(",", "").isdigit():
            raise ValidationError(
                _(
                    "%(where)s: cannot read the split “%(part)s”; write, for example, "
                    "“Process-support interventions 50 %%; Individual-focused interventions 50 %%”."
                )
                % {"where": where, "part": part.strip()}
            )
        shares[code] = number.replace(",", ".")
    return "", shares


def write_budget_xlsx(
    *,
    title: str,
    budget_year: int,
    view: BudgetView | None,
    columns: list[tuple[int, str, str]] | None = None,
    unit: str = "kr",
) -> bytes:
    maps = _label_maps()
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Rubrik", title])
    ws.append(["Budgetår", budget_year])
    ws.append(["Enhet", unit])
    ws.append([])
    cols = [(c.year, c.basis, c.label) for c in view.columns] if view else (columns or [])
    ws.append([*FIXED_HEADINGS, *[label for _, _, label in cols]])
    ws.append(
        [
            "",
            "",
            "",
            "Kolumntyp",
            "",
            "",
            "",
            "",
            *[maps["basis"][0][basis] for _, basis, _ in cols],
        ]
    )
    ws.append(["", "", "", "År", "", "", "", "", *[year for year, _, _ in cols]])
    for row in (1, 2, 3, 5, 6, 7):
        ws.cell(row=row, column=1).font = Font(bold=True)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    if view is not None:
        for row in budget_rows(view, unit):
            ws.append(row)
            for cell in ws[ws.max_row][len(FIXED_HEADINGS) :]:
                cell.number_format = "#,##0.##;-#,##0.##"
    ws.column_dimensions["D"].width = 45
    for letter in "ABC":
        ws.column_dimensions[letter].width = 22
    ws.freeze_panes = ws.cell(row=FIRST_LINE_ROW, column=5)
    guide = wb.create_sheet("Anvisning")
    for text in [
        "Fyll i en rad per budgetrad från rad 8. Belopp i enheten på rad 3 (kr, tkr eller kkr) "
        "som de är tryckta; intäkter och kostnader som positiva tal. Antalet decimaler talar om "
        "hur noga beloppet är avrundat.",
        "Rapport: " + ", ".join(maps["statement"][0].values()),
        "Avsnitt: " + ", ".join(maps["section"][0].values()),
        "Radtyp: " + ", ".join(maps["role"][0].values()),
        "Ändamål: " + ", ".join(maps["cost_kind"][0].values()),
        "Kolumntyp: " + ", ".join(maps["basis"][0].values()),
        "Summarader (allt utom Post) får lämnas tomma: Finsam räknar ut dem och jämför med ifyllda "
        "värden.",
    ]:
        guide.append([text])
    guide.column_dimensions["A"].width = 120
    return workbook_bytes(wb)


def write_budget_csv(view: BudgetView, unit: str = "kr") -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([*FIXED_HEADINGS, *[c.label for c in view.columns]])
    for row in budget_rows(view, unit):
        writer.writerow(
            [
                str(v).replace(".", ",") if isinstance(v, Decimal) else ("" if v is None else v)
                for v in row
            ]
        )
    return out.getvalue()


def cell_decimal(value, where: str) -> Decimal | None:
    """A cell's figure as printed; refused (at its row and column) unless it is a plain finite
    number below a million million — no exponent, NaN or Infinity, so that a stored figure always
    fits its column and never breaks a page."""
    number = _cell_number(value, where)
    if number is not None and (not number.is_finite() or abs(number) >= MAX_CELL):
        raise ValidationError(
            _("%(where)s: “%(value)s” is not an amount.") % {"where": where, "value": value}
        )
    return number


MAX_CELL = Decimal(10) ** 12


def _cell_number(value, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(
            _("%(where)s: “%(value)s” is not an amount.") % {"where": where, "value": value}
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # openpyxl hands numeric cells over as float; repr gives the shortest exact decimal text.
        return Decimal(repr(value))
    text = (
        str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".").replace("\u2212", "-")
    )
    if "e" in text.lower() or "n" in text.lower():  # exponents, NaN, Infinity
        raise ValidationError(
            _("%(where)s: “%(value)s” is not an amount.") % {"where": where, "value": value}
        )
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("%(where)s: “%(value)s” is not an amount.") % {"where": where, "value": value}
        ) from None


def _printed_step(value: Decimal | None, divisor: Decimal) -> Decimal:
    """101,6 in kkr was rounded to 100 kr; 418 in kkr to 1 000 kr."""
    if value is None:
        return divisor
    exponent = value.normalize().as_tuple().exponent
    return divisor * Decimal(10) ** min(0, exponent) if isinstance(exponent, int) else divisor


def read_budget_xlsx(data: bytes) -> dict:
    """Parse the layout above into a spec for services.budget_create. All errors at once."""
    try:
        check_xlsx(io.BytesIO(data))  # zip bombs and huge declared sheets, before openpyxl
    except UnsafeUpload as unsafe:
        if unsafe.code != "not_zip":  # not a zip at all: openpyxl's refusal below says it better
            raise ValidationError(str(unsafe)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file cannot be read as an Excel file (.xlsx).")) from exc
    ws = wb["Budget"] if "Budget" in wb.sheetnames else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    maps = _label_maps()
    errors: list[str] = []
    if len(rows) < 7 or str(rows[4][0] or "").strip() != "Rapport":
        raise ValidationError(
            _(
                "The file does not follow the budget template: the heading row “Rapport …” must be "
                "on row 5. Download the template and fill it in."
            )
        )
    title = str(rows[0][1] or "").strip() or _("Imported budget")
    try:
        budget_year = int(rows[1][1])
    except (TypeError, ValueError):
        raise ValidationError(_("Row 2: the budget year is missing or is not a year.")) from None
    unit = str(rows[2][1] or "kr").strip().lower()
    if unit not in UNIT_DIVISORS:
        raise ValidationError(
            _("Row 3: unknown unit “%(unit)s”. Use kr, tkr or kkr.") % {"unit": unit}
        )
    n_fixed = len(FIXED_HEADINGS)
    labels = [c for c in rows[4][n_fixed:] if c not in (None, "")]
    columns = []
    for i, label in enumerate(labels):
        basis = maps["basis"][1].get(str(rows[5][n_fixed + i] or "").strip().lower())
        year = rows[6][n_fixed + i]
        if basis is None:
            errors.append(
                _(
                    "Row 6, column “%(label)s”: the column type must be Final accounts, Forecast, "
                    "Budget or Plan."
                )
                % {"label": label}
            )
        try:
            year = int(year)
        except (TypeError, ValueError):
            errors.append(_("Row 7, column “%(label)s”: the year is missing.") % {"label": label})
            continue
        columns.append((year, basis, str(label)))
    lines = []
    for number, row in enumerate(rows[FIRST_LINE_ROW - 1 :], start=FIRST_LINE_ROW):
        if not row or all(v in (None, "") for v in row):
            continue
        cells = list(row) + [None] * (n_fixed + len(labels) - len(row))
        where = _("Row %(n)s") % {"n": number}
        codes = {}
        try:
            cost_kind, kind_shares = _parse_kind(str(cells[6] or "").strip(), maps, where)
        except ValidationError as error:
            errors.extend(error.messages)
            cost_kind, kind_shares = "", {}
        for name, index in (("statement", 0), ("section", 1), ("role", 2), ("member_side", 7)):
            text = str(cells[index] or "").strip()
            code = maps[name][1].get(text.lower(), "") if text else ""
            if text and not code:
                errors.append(
                    _("%(where)s: unknown value “%(text)s” in column %(col)s.")
                    % {"where": where, "text": text, "col": FIXED_HEADINGS[index]}
                )
            codes[name] = code
        label = str(cells[3] or "").strip()
        if not label:
            errors.append(_("%(where)s: the line name is missing.") % {"where": where})
        if not codes["statement"]:
            errors.append(
                _(
                    "%(where)s: specify the statement (Income statement budget, Cash flow budget "
                    "or Balance sheet budget)."
                )
                % {"where": where}
            )
        values, steps = [], []
        for i in range(len(labels)):
            try:
                value = cell_decimal(cells[n_fixed + i], f"{where}, {labels[i]}")
            except ValidationError as error:
                errors.extend(error.messages)
                value = None
            values.append(value)
            steps.append(_printed_step(value, UNIT_DIVISORS[unit]))
        options = {
            "steps": steps,
            "account": str(cells[4] or "").strip(),
            "group": str(cells[5] or "").strip(),
            "cost_kind": cost_kind,
            "kind_shares": kind_shares,
            "member_side": codes["member_side"],
        }
        lines.append(
            (
                codes["statement"],
                codes["section"],
                codes["role"] or Role.ITEM,
                label,
                values,
                options,
            )
        )
    if not lines:
        errors.append(_("The file contains no budget lines (from row 8)."))
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "budget_year": budget_year,
        "columns": columns,
        "lines": lines,
        "scale": UNIT_DIVISORS[unit],
        "step": UNIT_DIVISORS[unit],
        "printed_unit": unit,
    }
