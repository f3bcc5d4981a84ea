"""The financial rules as a spreadsheet: the export's layout is the import's.

Row 1 holds the headings, one rule per row below. Headings and the codes in the cells are written
in the user's language; reading accepts Swedish and the user's language, so a file exported in
either imports. Columns are found by their heading, so a file without the later “Tolerance”
column still reads.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import load_workbook

from finsam.core.uploads import UnsafeUpload, check_xlsx
from finsam.economy.models import CostKind, FinancialRule
from finsam.economy.xlsx import cell_decimal

HEADINGS = {
    "kind": _lazy("Rule"),
    "value": _lazy("Value"),
    "basis": _lazy("Relative to"),
    "cost_kind": _lazy("Purpose"),
    "valid_from": _lazy("Valid from"),
    "valid_to": _lazy("Valid to"),
    "source": _lazy("Source"),
    "tolerance": _lazy("Tolerance (percentage points)"),
}
MAX_ROWS = 1000


def headers() -> list[str]:
    return [str(h) for h in HEADINGS.values()]


def rows(rules) -> list[list]:
    return [
        [
            str(r.get_kind_display()),
            r.value,
            str(r.get_basis_display()),
            str(r.get_cost_kind_display()),
            r.valid_from,
            r.valid_to,
            r.source,
            r.tolerance,
        ]
        for r in rules
    ]


def _readable(choices) -> dict[str, str]:
    """Label (Swedish, English and the active language, lower case) → code."""
    labels = {str(c.label).lower(): str(c.value) for c in choices}
    for language in ("sv", "en"):
        with translation.override(language):
            labels.update({str(c.label).lower(): str(c.value) for c in choices})
    return labels


def _heading_columns(first_row) -> dict[str, int]:
    known = {}
    for field, heading in HEADINGS.items():
        for language in ("sv", "en", None):
            if language:
                with translation.override(language):
                    known[str(heading).lower()] = field
            else:
                known[str(heading).lower()] = field
    return {
        known[str(v).strip().lower()]: i
        for i, v in enumerate(first_row)
        if v is not None and str(v).strip().lower() in known
    }


def _date(value, where: str, errors: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(
            _("%(where)s: “%(value)s” is not a date; write it as 2024-01-01.")
            % {"where": where, "value": value}
        )
        return None


def read_rules_xlsx(data: bytes) -> list[tuple[int, dict]]:
    """Each rule row as (row number, fields for services.rule_create). All errors at once."""
    try:
        check_xlsx(io.BytesIO(data))
    except UnsafeUpload as unsafe:
        if unsafe.code != "not_zip":
            raise ValidationError(str(unsafe)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file cannot be read as an Excel file (.xlsx).")) from exc
    sheet = list(wb.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    columns = _heading_columns(sheet[0] if sheet else ())
    missing = [str(HEADINGS[f]) for f in ("kind", "value", "valid_from") if f not in columns]
    if missing:
        raise ValidationError(
            _(
                "The file does not have the layout of the rules export: the column(s) %(cols)s "
                "are missing from row 1. Export the rules to Excel and fill in that file."
            )
            % {"cols": ", ".join(f"“{m}”" for m in missing)}
        )
    kinds, bases = _readable(FinancialRule.Kind), _readable(FinancialRule.Basis)
    purposes = _readable(CostKind)
    errors: list[str] = []
    out = []
    for number, row in enumerate(sheet[1:], start=2):
        if not row or all(v in (None, "") for v in row):
            continue
        where = _("Row %(n)s") % {"n": number}

        def cell(field, row=row):
            index = columns.get(field)
            return row[index] if index is not None and index < len(row) else None

        def code(field, labels, where=where):
            text = str(cell(field) or "").strip()
            if text and text.lower() not in labels:
                errors.append(
                    _("%(where)s: unknown value “%(text)s” in the column “%(col)s”.")
                    % {"where": where, "text": text, "col": HEADINGS[field]}
                )
            return labels.get(text.lower(), "")

        fields = {
            "kind": code("kind", kinds),
            "basis": code("basis", bases),
            "cost_kind": code("cost_kind", purposes),
            "valid_from": _date(cell("valid_from"), where, errors),
            "valid_to": _date(cell("valid_to"), where, errors),
            "source": str(cell("source") or "").strip()[:200],
        }
        for field in ("value", "tolerance"):
            try:
                fields[field] = cell_decimal(cell(field), f"{where}, {HEADINGS[field]}")
            except ValidationError as error:
                errors.extend(error.messages)
                fields[field] = None
        if fields["tolerance"] is None:
            fields["tolerance"] = Decimal(2)
        if not fields["kind"]:
            errors.append(_("%(where)s: the rule is missing.") % {"where": where})
        if fields["valid_from"] is None:
            errors.append(
                _("%(where)s: the date the rule applies from is missing.") % {"where": where}
            )
        out.append((number, fields))
    if len(sheet) > MAX_ROWS:
        errors.append(_("The file has more than %(n)s rules.") % {"n": MAX_ROWS})
    if not out and not errors:
        errors.append(_("The file contains no rules (from row 2)."))
    if errors:
        raise ValidationError(errors)
    return out
