"""The statements engine: derive the result, cash-flow and balance budgets from the entered lines,
and check printed figures against what they should be. The cash-flow budget's own steps are in
`finsam.economy.cash_flow`.

Derivation (what the page shows) chains the statements: the result flows into the cash flow and
into equity, each year's closing cash and equity open the next year. The consistency check is
local, as an auditor foots a table: each printed total is compared with the relation computed
from the *printed* figures next to it, so one wrong figure gives one flag, not a cascade.
A difference is only flagged when it is larger than what rounding to the printed unit explains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.money import ZERO, format_number
from finsam.economy import cash_flow
from finsam.economy.models import COST_SECTIONS, ENTERED_ROLES, INCOME_SECTIONS, Role, Section

Key = tuple[int, int]  # (line id, column id)


@dataclass(frozen=True)
class Figure:
    """A value with the uncertainty rounding leaves in it (half the printed step, summed)."""

    value: Decimal
    slack: Decimal = ZERO

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.value + other.value, self.slack + other.slack)

    def __sub__(self, other: Figure) -> Figure:
        return Figure(self.value - other.value, self.slack + other.slack)


NIL = Figure(ZERO)


@dataclass(frozen=True)
class Discrepancy:
    statement: str
    line_label: str
    column_label: str
    year: int
    printed: Decimal
    computed: Decimal
    message: str

    @property
    def difference(self) -> Decimal:
        return self.printed - self.computed


@dataclass
class BudgetView:
    """Everything a page needs: derived values per line and column, and the discrepancies."""

    columns: list
    lines: list
    values: dict[Key, Decimal] = field(default_factory=dict)
    printed: dict[Key, Decimal] = field(default_factory=dict)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    # Half the printed step of each entered figure: how far rounding may have moved it.
    slack: dict[Key, Decimal] = field(default_factory=dict)
    # Informational: totals and results printed in some columns and blank in others.
    notes: list[str] = field(default_factory=list)
    # The association's municipalities' allocation keys by lower-case name, for the rules.
    municipality_keys: dict[str, Decimal] = field(default_factory=dict)
    # What readers derive from the view once and keep with it (indexes, indicators).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def value(self, line, column) -> Decimal | None:
        return self.values.get((line.id, column.id))

    def flagged(self) -> set[Key]:
        keys = {(d.line_label, d.column_label) for d in self.discrepancies}
        labels = {label for label, _ in keys}
        return {
            (ln.id, c.id)
            for ln in self.lines
            if ln.label in labels
            for c in self.columns
            if (ln.label, c.label) in keys
        }

    def line_with_role(self, role: str, statement: str | None = None):
        return next(
            (
                ln
                for ln in self.lines
                if ln.role == role and (statement is None or ln.statement == statement)
            ),
            None,
        )

    def total(self, role: str, column, statement: str | None = None) -> Decimal | None:
        line = self.line_with_role(role, statement)
        return self.values.get((line.id, column.id)) if line else None


class _Engine:
    def __init__(self, columns: list, lines: list, amounts: Iterable, booked: dict | None = None):
        self.columns, self.lines = columns, lines
        self.printed: dict[Key, Figure] = {}
        for a in amounts:
            self.printed[(a.line_id, a.column_id)] = Figure(a.amount, a.step / 2)
        self.derived: dict[Key, Decimal] = {}
        # How far rounding of the printed figures it was computed from may have moved a chained
        # figure (closing cash, closing equity), per (role, column id).
        self.chain_slack: dict[tuple[str, int], Decimal] = {}
        # Opening figures booked in the ledger (#IB) for the first column's year, by role.
        self.booked: dict[str, Decimal] = booked or {}
        self.discrepancies: list[Discrepancy] = []
        self.entered_lines = [ln for ln in lines if ln.role in ENTERED_ROLES]
        self._items: dict[tuple, list] = {}
        self._sums: dict[tuple[int, int], tuple[list, Figure]] = {}
        self._roles: dict[str, list] = {}
        for ln in lines:
            self._roles.setdefault(ln.role, []).append(ln)

    # --- helpers -------------------------------------------------------------------------

    # The line lists below are asked for many times per column; with tens of thousands of lines
    # they are computed once (the lines do not change while the engine runs).

    def items(self, section: str | Iterable[str]) -> list:
        key = (section,) if isinstance(section, str) else tuple(section)
        found = self._items.get(key)
        if found is None:
            sections = set(key)
            found = [ln for ln in self.entered_lines if ln.section in sections]
            self._items[key] = found
        return found

    def group_items(self, total_line) -> list:
        """What a summary line adds up: its group if it names one, else its whole section."""
        if total_line.group:
            key = ("group", total_line.group)
            if key not in self._items:
                self._items[key] = [ln for ln in self.entered_lines if ln.group == total_line.group]
            return self._items[key]
        return self.items(total_line.section)

    def roles(self, role: str) -> list:
        return self._roles.get(role, [])

    def entered(self, line, col) -> Figure:
        return self.printed.get((line.id, col.id), NIL)

    def slack_sum(self, lines: list, col) -> Decimal:
        return self.local_sum(lines, col).slack

    def derived_sum(self, lines: list, col) -> Decimal:
        """The sum of entered lines (whose derived value is the entered one)."""
        return self.local_sum(lines, col).value

    def printed_or_derived(self, role: str, col, section: str | None = None) -> Figure | None:
        """For local checks: a line's printed figure if it has one, else its derived value."""
        for ln in self.roles(role):
            if section is not None and ln.section != section:
                continue
            fig = self.printed.get((ln.id, col.id))
            if fig is not None:
                return fig
            if (ln.id, col.id) in self.derived:
                return Figure(self.derived[(ln.id, col.id)])
        return None

    def local_sum(self, lines: list, col) -> Figure:
        """The entered figures of `lines` in a column, added up with their rounding. The same
        list is summed many times per column: the sum is kept (with the list, so that a new
        list at the same address is never taken for it)."""
        key = (id(lines), col.id)
        kept = self._sums.get(key)
        if kept is not None and kept[0] is lines:
            return kept[1]
        value = slack = ZERO
        printed, column_id = self.printed, col.id
        for ln in lines:
            fig = printed.get((ln.id, column_id))
            if fig is not None:
                value += fig.value
                slack += fig.slack
        total = Figure(value, slack)
        self._sums[key] = (lines, total)
        return total

    def set_all(self, role: str, col, value: Decimal, section: str | None = None) -> None:
        for ln in self.roles(role):
            if section is None or ln.section == section:
                self.derived[(ln.id, col.id)] = value

    def check(self, role: str, col, expected: Figure | None, message: str) -> None:
        for ln in self.roles(role):
            self.check_line(ln, col, expected, message)

    def check_line(self, ln, col, expected: Figure | None, message: str) -> None:
        fig = self.printed.get((ln.id, col.id))
        if expected is None or fig is None:
            return
        if abs(fig.value - expected.value) > fig.slack + expected.slack:
            self.discrepancies.append(
                Discrepancy(
                    statement=ln.get_statement_display(),
                    line_label=ln.label,
                    column_label=col.label,
                    year=col.year,
                    printed=fig.value,
                    computed=expected.value,
                    message=message,
                )
            )

    # --- derivation ----------------------------------------------------------------------

    def derive(self) -> None:
        previous = None
        for col in self.columns:
            for ln in self.lines:
                if ln.role in ENTERED_ROLES:
                    self.derived[(ln.id, col.id)] = self.entered(ln, col).value
            for ln in self.roles(Role.SECTION_TOTAL):
                self.derived[(ln.id, col.id)] = self.derived_sum(self.group_items(ln), col)
            income = self.derived_sum(self.items(INCOME_SECTIONS), col)
            costs = self.derived_sum(self.items(COST_SECTIONS), col)
            result = income - costs
            self.set_all(Role.INCOME_TOTAL, col, income)
            self.set_all(Role.COST_TOTAL, col, costs)
            self.set_all(Role.RESULT, col, result)
            cash_flow.derive(self, col, previous, result)
            self.set_all(Role.ASSETS_TOTAL, col, self.derived_sum(self.items(Section.ASSET), col))
            liabilities = self.derived_sum(self.items(Section.LIABILITY), col)
            self.set_all(Role.LIABILITIES_TOTAL, col, liabilities)
            self.set_all(Role.EQUITY_RESULT, col, result)
            result_slack = self.slack_sum(self.items((*INCOME_SECTIONS, *COST_SECTIONS)), col)
            opening = self.opening(Role.EQUITY_OPENING, Role.EQUITY_CLOSING, col, previous)
            if opening is None:
                # First year with only the closing equity printed: take it as given.
                closing = self.printed_or_derived(Role.EQUITY_CLOSING, col)
                opening = closing - Figure(result) if closing is not None else None
            if opening is not None:
                moved = self.derived_sum(self.items(Section.EQUITY), col)
                equity = opening.value + moved + result
                self.set_all(Role.EQUITY_OPENING, col, opening.value)
                self.set_all(Role.EQUITY_CLOSING, col, equity)
                self.set_all(Role.EQUITY_LIABILITIES_TOTAL, col, equity + liabilities)
                self.chain_slack[(Role.EQUITY_CLOSING, col.id)] = (
                    opening.slack + result_slack + self.slack_sum(self.items(Section.EQUITY), col)
                )
            previous = col

    def opening(self, opening_role: str, closing_role: str, col, previous) -> Figure | None:
        """A year's opening figure: the previous year's closing one — as printed where it is
        printed (a derived closing that contradicts it is flagged by the checks, never carried
        forward), else as derived. The first year opens from its printed opening figure, else
        from the ledger's booked opening balance."""
        if previous is not None:
            for ln in self.roles(closing_role):
                printed = self.printed.get((ln.id, previous.id))
                if printed is not None:
                    return printed
                if (ln.id, previous.id) in self.derived:
                    slack = self.chain_slack.get((closing_role, previous.id), ZERO)
                    return Figure(self.derived[(ln.id, previous.id)], slack)
        fig = self.printed_or_derived(opening_role, col)
        if fig is not None:
            return fig
        if previous is None and opening_role in self.booked:
            return Figure(self.booked[opening_role])
        return None

    # --- local consistency checks ---------------------------------------------------------

    def run_checks(self) -> None:
        previous = None
        for col in self.columns:
            if previous is None:
                self.check_booked(col)
            for ln in self.roles(Role.SECTION_TOTAL):
                self.check_line(
                    ln,
                    col,
                    self.local_sum(self.group_items(ln), col),
                    _("The total does not match the lines it adds up."),
                )
            income = self.printed_or_local(Role.INCOME_TOTAL, INCOME_SECTIONS, col)
            self.check(
                Role.INCOME_TOTAL,
                col,
                self.local_sum(self.items(INCOME_SECTIONS), col),
                _("Total income does not match the income lines."),
            )
            costs = self._local_costs(col)
            self.check(
                Role.COST_TOTAL,
                col,
                self.local_sum(self.items(COST_SECTIONS), col),
                _("Total costs do not match the cost lines."),
            )
            result = self.printed_or_derived(Role.RESULT, col)
            self.check(
                Role.RESULT,
                col,
                income - costs if costs is not None else None,
                _("The result for the year is not income minus costs."),
            )
            cash_flow.check_result(self, col, result)
            self.check(
                Role.EQUITY_RESULT,
                col,
                result,
                _(
                    "“Of which result for the year” is not the same as in the income statement "
                    "budget."
                ),
            )
            cash_flow.check_flow(self, col, previous, result)
            if previous is not None:
                prev_equity = self.printed_or_derived(Role.EQUITY_CLOSING, previous)
                self.check(
                    Role.EQUITY_OPENING,
                    col,
                    prev_equity,
                    _("Opening equity is not the previous year's closing equity."),
                )
            self.check(
                Role.ASSETS_TOTAL,
                col,
                self.local_sum(self.items(Section.ASSET), col),
                _("Total assets do not match the lines."),
            )
            self.check(
                Role.LIABILITIES_TOTAL,
                col,
                self.local_sum(self.items(Section.LIABILITY), col),
                _("Total liabilities do not match the lines."),
            )
            equity_opening = self.printed_or_derived(Role.EQUITY_OPENING, col)
            if (
                equity_opening is not None
                and (
                    previous is not None
                    or self.printed.get(self.line_key(Role.EQUITY_OPENING, col))
                )
                and result is not None
            ):
                self.check(
                    Role.EQUITY_CLOSING,
                    col,
                    equity_opening + result + self.local_sum(self.items(Section.EQUITY), col),
                    _("Closing equity is not opening equity plus the result for the year."),
                )
            equity = self.printed_or_derived(Role.EQUITY_CLOSING, col)
            liabilities = self.printed_or_local(Role.LIABILITIES_TOTAL, Section.LIABILITY, col)
            if equity is not None:
                self.check(
                    Role.EQUITY_LIABILITIES_TOTAL,
                    col,
                    equity + liabilities,
                    _("Total equity and liabilities does not match its parts."),
                )
            assets = self.printed_or_local(Role.ASSETS_TOTAL, Section.ASSET, col)
            if self.items(Section.ASSET):
                self.check(
                    Role.EQUITY_LIABILITIES_TOTAL,
                    col,
                    assets,
                    _(
                        "The balance sheet budget does not balance: assets do not equal equity and "
                        "liabilities."
                    ),
                )
            cash_flow.check_cash_in_balance_sheet(self, col)
            previous = col

    def check_booked(self, col) -> None:
        """The first year's printed opening cash and equity against the ledger's #IB."""
        for role, message in (
            (
                Role.CASH_OPENING,
                _("The opening cash is not the opening balance booked on the bank accounts."),
            ),
            (
                Role.EQUITY_OPENING,
                _("The opening equity is not the opening balance booked on the equity accounts."),
            ),
        ):
            if role in self.booked:
                self.check(role, col, Figure(self.booked[role]), message)

    def line_key(self, role: str, col) -> Key | None:
        line = next(iter(self.roles(role)), None)
        return (line.id, col.id) if line else None

    def printed_or_local(self, role: str, section, col) -> Figure:
        fig = self.printed_or_derived(role, col)
        if fig is not None and self.printed.get(self.line_key(role, col)) is not None:
            return fig
        return self.local_sum(self.items(section), col)

    def _local_costs(self, col) -> Figure | None:
        total = (
            self.printed.get(self.line_key(Role.COST_TOTAL, col))
            if self.roles(Role.COST_TOTAL)
            else None
        )
        if total is not None:
            return total
        # Without a printed grand total, add the printed section totals, or the items.
        figure = NIL
        for section in COST_SECTIONS:
            subtotal = next(
                (
                    self.printed.get((ln.id, col.id))
                    for ln in self.roles(Role.SECTION_TOTAL)
                    if ln.section == section and not ln.group
                ),
                None,
            )
            figure = figure + (
                subtotal if subtotal is not None else self.local_sum(self.items(section), col)
            )
        return figure


def build_view(
    *, columns: list, lines: list, amounts: Iterable, booked: dict | None = None
) -> BudgetView:
    """`booked`: opening figures from the ledger for the first column's year, by role
    (Role.CASH_OPENING, Role.EQUITY_OPENING)."""
    engine = _Engine(columns, lines, amounts, booked)
    engine.derive()
    engine.run_checks()
    seen: set[tuple] = set()
    unique = []
    for d in engine.discrepancies:
        key = (d.line_label, d.column_label, d.message)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return BudgetView(
        columns=columns,
        lines=lines,
        values=engine.derived,
        printed={k: f.value for k, f in engine.printed.items()},
        discrepancies=unique,
        slack={k: f.slack for k, f in engine.printed.items()},
        notes=blank_totals(columns, lines, engine.printed),
    )


# Totals and results: a blank among printed ones is worth a word (openings are printed for the
# first year only, so they are not among them).
SUMMARY_ROLES = (
    Role.SECTION_TOTAL,
    Role.INCOME_TOTAL,
    Role.COST_TOTAL,
    Role.RESULT,
    Role.CF_RESULT,
    Role.CF_OPERATING_TOTAL,
    Role.CF_TOTAL,
    Role.CASH_CLOSING,
    Role.ASSETS_TOTAL,
    Role.EQUITY_RESULT,
    Role.EQUITY_CLOSING,
    Role.LIABILITIES_TOTAL,
    Role.EQUITY_LIABILITIES_TOTAL,
)


def blank_totals(columns: list, lines: list, printed: dict) -> list[str]:
    """Each total or result printed in some columns and blank in others, said once per line."""
    notes = []
    for line in lines:
        if line.role not in SUMMARY_ROLES:
            continue
        blank = [c.label for c in columns if (line.id, c.id) not in printed]
        if blank and len(blank) < len(columns):
            notes.append(
                _(
                    "%(statement)s, %(line)s: no printed figure in %(columns)s while the other "
                    "columns have one; the computed figure is shown."
                )
                % {
                    "statement": line.get_statement_display(),
                    "line": line.label,
                    "columns": ", ".join(blank),
                }
            )
    return notes


def describe(d: Discrepancy, unit_format: Callable[[Decimal], str] | None = None) -> str:
    fmt = unit_format or (lambda v: f"{format_number(v)} kr")
    return _(
        "%(statement)s, %(line)s, %(column)s: printed %(printed)s, computed %(computed)s "
        "(difference %(diff)s). %(message)s"
    ) % {
        "statement": d.statement,
        "line": d.line_label,
        "column": d.column_label,
        "printed": fmt(d.printed),
        "computed": fmt(d.computed),
        "diff": fmt(d.difference),
        "message": d.message,
    }
