"""What the document kinds read, through the apps' selectors and their existing checks.

A kind builds a document for the association as a whole, not for the person who clicks: the
page that offers the document checks who may see it (finsam.documents.permissions). The kinds
read through the selectors with `reader(association)`, an actor that the access table sees as the
office of that association only (it reads what the office reads, and it writes nothing: services
take their own `by=`).

The consistency flags come from the economy's own checks (the statements engine's discrepancies,
the financial rules' warnings, the follow-up's unmapped accounts): no rule is written twice.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.documents.blocks import Column, Flag, Row, Table
from finsam.economy import selectors as economy_selectors
from finsam.economy.models import Budget, Statement
from finsam.economy.rules import evaluate
from finsam.economy.statements import BudgetView, describe
from finsam.organisation.models import Role

THOUSAND = Decimal(1000)


class DocumentReader:
    """The actor a kind reads with: the office's view of one association, nothing else."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None
    id = None
    username = "documents"

    def __init__(self, association) -> None:
        # finsam.organisation.access.roles_of reads this cache before the database.
        self._finsam_roles = {association.pk: frozenset({Role.OFFICE})}

    def __str__(self) -> str:
        return "documents"


def reader(association) -> DocumentReader:
    return DocumentReader(association)


def short_code(*parts: object) -> str:
    """A stable flag code from what identifies the finding (not from its wording's language)."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode(), usedforsecurity=False)
    return digest.hexdigest()[:12]


def counting_budget(association, year: int) -> Budget | None:
    user = reader(association)
    return economy_selectors.budget_counting(user=user, association=association, year=year).budget


# --- budget statements as tables ----------------------------------------------------------------

ROW_STYLE_BY_ROLE = {
    "section_total": "subtotal",
    "income_total": "subtotal",
    "cost_total": "subtotal",
    "cf_operating_total": "subtotal",
    "liabilities_total": "subtotal",
    "assets_total": "total",
    "result": "total",
    "cf_total": "total",
    "cash_closing": "total",
    "equity_liabilities_total": "total",
}


def _unit_kind(budget: Budget, view: BudgetView, lines: list) -> str:
    """kr as printed in kronor; thousands with one decimal where the statement was printed with
    a decimal (a step below a thousand), else whole thousands."""
    if budget.printed_unit == "kr":
        return "money"
    keys = {(ln.id, c.id) for ln in lines for c in view.columns}
    finer = any(view.slack.get(k, THOUSAND) * 2 < THOUSAND for k in keys if k in view.slack)
    return "tkr1" if finer else "tkr"


def cell_value(view: BudgetView, line, column, flagged: set) -> Decimal | None:
    """The figure a document prints: as printed in the plan, unless the check flags it; a
    flagged or unprinted figure is the computed one (a printed error is shown, not copied)."""
    key = (line.id, column.id)
    if key in view.printed and key not in flagged:
        return view.printed[key]
    return view.values.get(key)


def flagged_cells(view: BudgetView) -> set[tuple[int, int]]:
    """(line id, column id) of each cell a discrepancy names, within its own statement (a cash-flow
    "Årets resultat" flag does not mark the result budget's line of the same name)."""
    keys = {(d.statement, d.line_label, d.column_label) for d in view.discrepancies}
    return {
        (ln.id, c.id)
        for ln in view.lines
        for c in view.columns
        if (str(ln.get_statement_display()), ln.label, c.label) in keys
    }


def statement_tables(budget: Budget, view: BudgetView) -> list[Table]:
    flagged = flagged_cells(view)
    unit_label = {"kr": "kr", "tkr": "tkr", "kkr": "kkr"}[budget.printed_unit]
    tables = []
    for statement in Statement:
        lines = [ln for ln in view.lines if ln.statement == statement]
        if not lines:
            continue
        kind = _unit_kind(budget, view, lines)
        rows = []
        section = None
        for line in lines:
            if line.section and line.section != section and line.role == "item":
                section = line.section
                heading = line.get_section_display()
                if not any(r.cells[0] == heading for r in rows):
                    rows.append(Row((heading, *([None] * len(view.columns))), "heading"))
            cells = tuple(cell_value(view, line, c, flagged) for c in view.columns)
            is_flagged = any((line.id, c.id) in flagged for c in view.columns)
            style = "flagged" if is_flagged else ROW_STYLE_BY_ROLE.get(line.role, "normal")
            rows.append(Row((line.label, *cells), style))
        note = ""
        if any(r.style == "flagged" for r in rows):
            note = _(
                "Marked rows: a printed figure did not add up; the computed figure is shown "
                "(see the consistency check)."
            )
        tables.append(
            Table(
                key=f"budget-{statement.value}",
                title=f"{statement.label} ({unit_label})",
                columns=(Column(f"({unit_label})"), *(Column(c.label, kind) for c in view.columns)),
                rows=tuple(rows),
                note=note,
            )
        )
    return tables


def budget_flags(budget: Budget, view: BudgetView) -> list[Flag]:
    """The statements engine's discrepancies (economy.statements), one flag each."""
    divisor = {"kr": Decimal(1), "tkr": THOUSAND, "kkr": THOUSAND}[budget.printed_unit]
    unit = budget.printed_unit

    def fmt(value: Decimal) -> str:
        from finsam.core.money import format_number

        decimals = 0 if unit == "kr" else 1
        return f"{format_number(value / divisor, decimals)} {unit}"

    return [
        Flag(
            code="budget-" + short_code(budget.pk, d.statement, d.line_label, d.column_label),
            message=describe(d, fmt),
            severity="error",
        )
        for d in view.discrepancies
    ]


def rule_flags(budget: Budget, view: BudgetView, rules: list, *, years: set[int]) -> list[Flag]:
    """The financial rules' warnings (economy.rules.evaluate) for the given years' columns."""
    flags = []
    for ind in evaluate(view=view, rules=rules, budget=budget):
        if ind.column.year not in years:
            continue
        for warning in ind.warnings:
            flags.append(
                Flag(
                    code="rule-" + short_code(budget.pk, ind.column.label, warning),
                    message=f"{ind.column.label}: {warning}",
                )
            )
    return flags


def no_budget_flag(year: int) -> Flag:
    return Flag(
        code=f"no-budget-{year}",
        message=_(
            "There is no budget for %(year)s: the document has no budget tables. Enter the "
            "budget under Budget."
        )
        % {"year": year},
        severity="error",
    )
