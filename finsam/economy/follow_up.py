"""Follow-up for a cut-off date: budget, actual to date, accrued actual, forecast and variance.

Sign convention (shown on the page): income and costs are positive amounts; variance is
budget − forecast, so for a cost line a positive variance means money left, for an income line
a positive variance means less income than budgeted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from finsam.core.money import ZERO
from finsam.economy.models import (
    COST_SECTIONS,
    ENTERED_ROLES,
    INCOME_SECTIONS,
    AccountMapping,
    BudgetColumn,
    FollowUpEntry,
    LedgerAccount,
    LedgerBalance,
    LedgerMonthSum,
    LedgerObject,
    LedgerTransaction,
    Role,
    Section,
)
from finsam.economy.statements import BudgetView
from finsam.organisation.models import Contribution

UNMAPPED_INCOME = "Övriga intäkter (ej mappade konton)"
UNMAPPED_COST = "Övriga kostnader (ej mappade konton)"


@dataclass
class FollowUpRow:
    label: str
    is_income: bool
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    accrued: Decimal = ZERO
    forecast: Decimal = ZERO
    forecast_entered: bool = False
    accrual: Decimal | None = None
    method: str = FollowUpEntry.Method.ACTUAL
    profile: list = field(default_factory=list)
    note: str = ""
    accounts: set[str] = field(default_factory=set)
    section: str = ""
    # Where the forecast comes from: entered, column (the budget's forecast column),
    # contributions (the contributions table), budget, or calculated (accrued, projected).
    forecast_basis: str = "budget"

    @property
    def variance(self) -> Decimal:
        return self.budget - self.forecast


@dataclass
class FollowUpSection:
    """A section of the budget (income, operating costs …) with its rows, as the budget has it."""

    key: str
    heading: str
    total_label: str
    is_income: bool
    rows: list[FollowUpRow] = field(default_factory=list)

    def total(self, attr: str) -> Decimal:
        return sum((getattr(r, attr) for r in self.rows), ZERO)


@dataclass
class FollowUp:
    cutoff: dt.date
    year: int
    months_elapsed: Decimal
    income: list[FollowUpRow]
    costs: list[FollowUpRow]
    by_intervention: list[FollowUpRow]
    equity_opening: Decimal | None
    has_actuals: bool
    column: object | None = None
    column_note: str = ""
    sections: list[FollowUpSection] = field(default_factory=list)
    bank: Decimal | None = None
    # Earmarked equity (of which) at the start (the budget's column of the year before) and at
    # year end (its column of the year); None when the budget earmarks nothing.
    earmarked_opening: Decimal | None = None
    earmarked_closing: Decimal | None = None
    # Accounts that no object, mapping or line's account column places: (account, name, amount).
    unmapped: list[tuple[str, str, Decimal]] = field(default_factory=list)
    # Sums already taken, by (list, attribute): the result rows ask for the same sums over tens of
    # thousands of rows several times. The rows are not changed once the report is built.
    _totals: dict = field(default_factory=dict, repr=False, compare=False)

    def total(self, rows: list[FollowUpRow], attr: str) -> Decimal:
        key = (id(rows), len(rows), attr)
        kept = self._totals.get(key)
        if kept is None or kept[0] is not rows:
            kept = self._totals[key] = (rows, sum((getattr(r, attr) for r in rows), ZERO))
        return kept[1]

    def result(self, attr: str) -> Decimal:
        """Income minus costs in one column: budget, actual (to date), accrued or forecast."""
        return self.total(self.income, attr) - self.total(self.costs, attr)

    @property
    def result_actual(self) -> Decimal:
        return self.result("actual")

    @property
    def result_variance(self) -> Decimal:
        return self.result_budget - self.result_forecast

    @property
    def result_forecast(self) -> Decimal:
        return self.total(self.income, "forecast") - self.total(self.costs, "forecast")

    @property
    def result_budget(self) -> Decimal:
        return self.total(self.income, "budget") - self.total(self.costs, "budget")

    @property
    def equity_forecast(self) -> Decimal | None:
        if self.equity_opening is None:
            return None
        return self.equity_opening + self.result_forecast


def profile_share(weights: list, cutoff: dt.date) -> Decimal:
    """The share of a year's budget that a monthly profile puts before the cut-off.

    The cut-off month counts by its days, like `elapsed_months`.
    """
    values = [Decimal(str(w)) for w in weights]
    total = sum(values, ZERO)
    if len(values) != 12 or total <= 0:
        raise ValueError("A monthly profile has twelve non-negative weights that sum above 0.")
    days = calendar.monthrange(cutoff.year, cutoff.month)[1]
    passed = sum(values[: cutoff.month - 1], ZERO) + values[cutoff.month - 1] * cutoff.day / days
    return passed / total


def schedule_share(method: str, cutoff: dt.date) -> Decimal:
    """The share of a year's amount due by the cut-off when it is paid in advance: a quarter
    for each quarter begun, or all of it from the first day of a yearly payment."""
    if method == FollowUpEntry.Method.YEARLY:
        return Decimal(1)
    return Decimal((cutoff.month + 2) // 3) / 4


def elapsed_months(cutoff: dt.date) -> Decimal:
    """Months of the year passed at the cut-off, counting a part month by its days."""
    days = calendar.monthrange(cutoff.year, cutoff.month)[1]
    return Decimal(cutoff.month - 1) + Decimal(cutoff.day) / Decimal(days)


def line_accounts(view: BudgetView) -> dict[str, str]:
    """The budget's account column as a mapping: an account written on exactly one line of
    the income statement maps to that line (an account on several lines, like 4530 on every
    intervention, is left to the objects and the mappings)."""
    found: dict[str, list[str]] = {}
    for line in view.lines:
        account = line.account.strip()
        if line.statement == "result" and line.role in ENTERED_ROLES and account.isdigit():
            found.setdefault(account, []).append(line.label)
    return {account: labels[0] for account, labels in found.items() if len(set(labels)) == 1}


def _named(association, amounts: dict[str, Decimal]) -> list[tuple[str, str, Decimal]]:
    names = dict(
        LedgerAccount.objects.filter(association=association, number__in=amounts).values_list(
            "number", "name"
        )
    )
    return [(a, names.get(a, ""), amounts[a]) for a in sorted(amounts)]


def _line_for(account: str, mappings: list[AccountMapping]) -> str | None:
    return next((m.line_label for m in mappings if m.covers(account)), None)


def budget_column(columns: list, year: int) -> tuple[object | None, str]:
    """The column that is the year's budget, and a note when it is not a plain budget column.

    A budget column of the year, else a plan column of the year (said so); never a final
    accounts or forecast column, which is what a later plan prints for a past year.
    """
    for basis in (BudgetColumn.Basis.BUDGET, BudgetColumn.Basis.PLAN):
        column = next((c for c in columns if c.year == year and c.basis == basis), None)
        if column is not None:
            note = (
                ""
                if basis == BudgetColumn.Basis.BUDGET
                else _("The budget for %(year)s is taken from the plan column “%(label)s”.")
                % {"year": year, "label": column.label}
            )
            return column, note
    return None, _(
        "The chosen budget has no budget or plan column for %(year)s: the budget column is "
        "empty. Choose the budget adopted for %(year)s."
    ) % {"year": year}


def build_follow_up(*, association, view: BudgetView, cutoff: dt.date) -> FollowUp:
    year = cutoff.year
    column, column_note = budget_column(view.columns, year)
    rows: dict[str, FollowUpRow] = {}
    values = view.values
    for line in view.lines:
        if line.role not in ENTERED_ROLES or line.statement != "result":
            continue
        is_income = line.section in INCOME_SECTIONS
        if not is_income and line.section not in COST_SECTIONS:
            continue
        row = rows.setdefault(
            line.label, FollowUpRow(label=line.label, is_income=is_income, section=line.section)
        )
        row.budget += (values.get((line.id, column.id)) or ZERO) if column else ZERO
    mappings = list(AccountMapping.objects.filter(association=association))
    by_line_account = line_accounts(view)
    unmapped: dict[str, Decimal] = {}
    start = dt.date(year, 1, 1)
    object_lines = {
        f"{o.dimension}:{o.number}": o.line_label
        for o in LedgerObject.objects.filter(association=association).exclude(line_label="")
    }
    sums = actual_sums(association, start, cutoff)
    has_actuals = False
    for item in sums:
        account, total = item["account"], item["total"] or ZERO
        cls = account[:1]
        if cls not in "345678":
            continue
        has_actuals = True
        is_income = cls == "3"
        # An object mapped to a budget line (an intervention's project code) wins over the
        # account: all interventions share account 4530 but each has its own line.
        by_object = next(
            (object_lines[k] for k in item["object_codes"].split(";") if k in object_lines), None
        )
        label = by_object or _line_for(account, mappings) or by_line_account.get(account)
        if label is None:
            label = UNMAPPED_INCOME if is_income else UNMAPPED_COST
            unmapped[account] = unmapped.get(account, ZERO) + (-total if is_income else total)
        row = rows.setdefault(label, FollowUpRow(label=label, is_income=is_income))
        # The ledger books income as credit (negative) and costs as debit (positive).
        row.actual += -total if row.is_income else total
        row.accounts.add(account)
    months = elapsed_months(cutoff)
    entries = {
        e.line_label: e for e in FollowUpEntry.objects.filter(association=association, year=year)
    }
    forecast_column = next(
        (c for c in view.columns if c.year == year and c.basis == BudgetColumn.Basis.FORECAST), None
    )
    printed_forecasts = _line_values(view, forecast_column) if forecast_column else {}
    contributions = _contribution_forecasts(association, year, view)
    for row in rows.values():
        entry = entries.get(row.label)
        if entry is not None:
            row.method, row.accrual, row.note = entry.method, entry.accrual, entry.note
            row.profile = entry.profile
        share = months / 12
        if row.method == FollowUpEntry.Method.EVEN:
            row.accrued = row.budget * share
        elif row.method == FollowUpEntry.Method.PROFILE and entry is not None and entry.profile:
            share = profile_share(entry.profile, cutoff)
            row.accrued = row.budget * share
        elif row.method in (FollowUpEntry.Method.QUARTERLY, FollowUpEntry.Method.YEARLY):
            share = schedule_share(row.method, cutoff)
            row.accrued = row.budget * share
        else:
            row.accrued = row.actual + (row.accrual or ZERO)
        if entry is not None and entry.forecast is not None:
            row.forecast, row.forecast_entered = entry.forecast, True
            row.forecast_basis = "entered"
        elif row.label in printed_forecasts:
            row.forecast, row.forecast_basis = printed_forecasts[row.label], "column"
        elif row.label in contributions:
            row.forecast, row.forecast_basis = contributions[row.label], "contributions"
        elif row.is_income and row.label not in (UNMAPPED_INCOME,):
            # Contributions come in instalments (quarterly or yearly): projecting the months
            # paid so far would be wrong, so the budget stands until a forecast is entered.
            row.forecast, row.forecast_basis = row.budget, "budget"
        elif share > 0 and has_actuals:
            row.forecast, row.forecast_basis = row.accrued / share, "calculated"
        else:
            row.forecast, row.forecast_basis = row.budget, "budget"
    sections = _sections(view, rows)
    income = [r for sec in sections if sec.is_income for r in sec.rows]
    costs = [r for sec in sections if not sec.is_income for r in sec.rows]
    return FollowUp(
        cutoff=cutoff,
        year=year,
        months_elapsed=months,
        income=income,
        costs=costs,
        by_intervention=_by_intervention(association, sums),
        equity_opening=_equity_opening(association, view, column, start),
        has_actuals=has_actuals,
        column=column,
        column_note=column_note,
        sections=sections,
        bank=_bank(association, sums, start),
        unmapped=_named(association, unmapped),
        **_earmarked(view, year),
    )


def _line_values(view: BudgetView, column) -> dict[str, Decimal]:
    """The income statement's entered lines' values in one column, by label."""
    values: dict[str, Decimal] = {}
    for line in view.lines:
        if line.statement == "result" and line.role in ENTERED_ROLES:
            value = view.value(line, column)
            if value is not None:
                values[line.label] = values.get(line.label, ZERO) + value
    return values


SIDE_KINDS = {
    "state_agency": ("state_agency",),
    "region": ("region",),
    "municipality": ("municipality",),
    "region_municipality": ("region", "municipality"),
}


def _contribution_forecasts(association, year: int, view: BudgetView) -> dict[str, Decimal]:
    """Each contribution line's full-year amount from the contributions table of the year: the
    member whose name is the line's label, else the whole member group when the line is the
    only one tagged with it. Lines that match neither are left out."""
    contributions = list(
        Contribution.objects.filter(
            contribution_year__association=association, contribution_year__year=year
        ).select_related("member")
    )
    if not contributions:
        return {}
    by_name = {c.member.name.strip().lower(): c.amount for c in contributions}
    tagged = [
        ln
        for ln in view.lines
        if ln.statement == "result" and ln.role in ENTERED_ROLES and ln.member_side
    ]
    out: dict[str, Decimal] = {}
    for line in tagged:
        if line.label.strip().lower() in by_name:
            out[line.label] = by_name[line.label.strip().lower()]
        elif sum(1 for ln in tagged if ln.member_side == line.member_side) == 1:
            kinds = SIDE_KINDS.get(line.member_side, ())
            out[line.label] = sum((c.amount for c in contributions if c.member.kind in kinds), ZERO)
    return out


def _sections(view: BudgetView, rows: dict[str, FollowUpRow]) -> list[FollowUpSection]:
    """The budget's sections in its order, income first. A row that is not a budget line (an
    account mapped to no line, or not mapped at all) closes the income section or the last
    cost section, so every krona of the ledger is in the table."""
    order = [Section.INCOME]
    if any(ln.section == Section.EXTERNAL_INCOME for ln in view.lines):
        order.append(Section.EXTERNAL_INCOME)
    for line in view.lines:
        if (
            line.statement == "result"
            and line.section in COST_SECTIONS
            and line.section not in order
        ):
            order.append(line.section)
    if not any(key in COST_SECTIONS for key in order):
        order.append(Section.OPERATING_COST)
    totals = {
        ln.section: ln.label
        for ln in view.lines
        if ln.statement == "result" and ln.role == Role.SECTION_TOTAL and not ln.group
    }
    sections = {
        key: FollowUpSection(
            key=key,
            heading=str(Section(key).label),
            total_label=totals.get(key)
            or _("Total %(section)s") % {"section": _lower_first(str(Section(key).label))},
            is_income=key in INCOME_SECTIONS,
        )
        for key in order
    }
    for row in rows.values():
        key = row.section if row.section in sections else (order[0] if row.is_income else order[-1])
        if sections[key].is_income != row.is_income:
            key = order[0] if row.is_income else order[-1]
        sections[key].rows.append(row)
    return [sections[key] for key in order if sections[key].rows or key == Section.INCOME]


def _earmarked(view: BudgetView, year: int) -> dict[str, Decimal | None]:
    lines = [
        ln
        for ln in view.lines
        if ln.role in ENTERED_ROLES and ln.section == Section.EARMARKED_EQUITY
    ]
    if not lines:
        return {}

    def at(column) -> Decimal | None:
        if column is None:
            return None
        return sum((view.value(ln, column) or ZERO for ln in lines), ZERO)

    closing, _note = budget_column(view.columns, year)
    opening = next(
        (c for c in view.columns if c.year == year - 1 and c.basis == BudgetColumn.Basis.OUTCOME),
        None,
    ) or next((c for c in view.columns if c.year == year - 1), None)
    return {"earmarked_opening": at(opening), "earmarked_closing": at(closing)}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _bank(association, sums: list[dict], start: dt.date) -> Decimal | None:
    """Cash and bank (accounts 19xx) at the cut-off: the year's opening balance plus the
    transactions up to the cut-off. None without an imported opening balance for the year."""
    opening = LedgerBalance.objects.filter(
        association=association,
        ledger_import__complete=True,
        kind="opening",
        year_start=start,
        account__startswith="19",
    ).aggregate(s=Sum("amount"))["s"]
    if opening is None:
        return None
    moved = sum((s["total"] or ZERO for s in sums if s["account"].startswith("19")), ZERO)
    return opening + moved


def actual_sums(association, start: dt.date, cutoff: dt.date) -> list[dict]:
    """Sums per (account, objects) from the year's start to the cut-off, in the database.

    Whole months come from the monthly sums written at import; only the days of a cut-off month
    that is not yet complete are summed from the transactions themselves.
    """
    last_day = calendar.monthrange(cutoff.year, cutoff.month)[1]
    whole_until = cutoff if cutoff.day == last_day else cutoff.replace(day=1) - dt.timedelta(days=1)
    totals: dict[tuple[str, str], Decimal] = {}
    months = (
        LedgerMonthSum.objects.filter(
            association=association,
            ledger_import__complete=True,
            month__gte=start,
            month__lte=whole_until,
        )
        .values("account", "object_codes")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    days = (
        LedgerTransaction.objects.filter(
            association=association,
            ledger_import__complete=True,
            date__gt=whole_until,
            date__lte=cutoff,
            date__gte=start,
        )
        .values("account", "object_codes")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item in [*months, *days]:
        key = (item["account"], item["object_codes"])
        totals[key] = totals.get(key, ZERO) + (item["total"] or ZERO)
    return [{"account": a, "object_codes": o, "total": t} for (a, o), t in totals.items()]


def _by_intervention(association, sums: list[dict]) -> list[FollowUpRow]:
    """Actual costs per dimension object (intervention code), for objects mapped to a line."""
    objects = {
        f"{o.dimension}:{o.number}": o for o in LedgerObject.objects.filter(association=association)
    }
    rows: dict[str, FollowUpRow] = {}
    for item in sums:
        if not item["object_codes"] or item["account"][:1] not in "45678":
            continue
        for key in item["object_codes"].split(";"):
            obj = objects.get(key)
            label = (obj.line_label or f"{obj.number} {obj.name}") if obj else key
            row = rows.setdefault(label, FollowUpRow(label=label, is_income=False))
            row.actual += item["total"] or ZERO
    return sorted(rows.values(), key=lambda r: r.label)


def _equity_opening(association, view: BudgetView, column, start: dt.date) -> Decimal | None:
    """Opening equity from the ledger's #IB on class-20 accounts, else from the budget."""
    ib = LedgerBalance.objects.filter(
        association=association,
        ledger_import__complete=True,
        kind="opening",
        year_start=start,
        account__startswith="20",
    ).aggregate(s=Sum("amount"))["s"]
    if ib is not None:
        return -ib  # equity is a credit balance
    if column is None:
        return None
    return view.total("equity_opening", column)


@dataclass(slots=True)  # a long budget has tens of thousands: plain assignment, no __setattr__
class TableRow:
    """One row of the board's table, as the page, the XLSX and CSV exports and the command show
    it. `kind`: section (a heading), line, subtotal, result, equity or bank. A figure that does
    not apply to the row is None (an empty cell)."""

    kind: str
    label: str
    budget: Decimal | None = None
    actual: Decimal | None = None
    accrued: Decimal | None = None
    forecast: Decimal | None = None
    variance: Decimal | None = None
    line: FollowUpRow | None = None

    @property
    def figures(self) -> list[Decimal | None]:
        return [self.budget, self.actual, self.accrued, self.forecast, self.variance]


def _sum_row(kind: str, label: str, total, plus: list, minus: list = ()) -> TableRow:
    """The rows in `plus` minus those in `minus`, column by column (`total(rows, attr)` sums)."""

    def net(attr: str) -> Decimal:
        return total(plus, attr) - (total(minus, attr) if minus else ZERO)

    budget, forecast = net("budget"), net("forecast")
    return TableRow(kind, label, budget, net("actual"), net("accrued"), forecast, budget - forecast)


def follow_up_table(report: FollowUp) -> list[TableRow]:
    """The board's table: each section's rows and subtotal, total costs, the result (to date,
    forecast and variance), equity at the start and forecast at year end, and the bank at the
    cut-off. Variance is budget − forecast on every row."""
    table: list[TableRow] = []
    for section in report.sections:
        table.append(TableRow("section", section.heading))
        table += [
            TableRow("line", r.label, r.budget, r.actual, r.accrued, r.forecast, r.variance, r)
            for r in section.rows
        ]
        table.append(_sum_row("subtotal", section.total_label, report.total, section.rows))
    if len([s for s in report.sections if not s.is_income]) > 1:
        table.append(_sum_row("subtotal", _("Total costs"), report.total, report.costs))
    table.append(
        _sum_row("result", _("Result for the year"), report.total, report.income, report.costs)
    )
    opening = report.equity_opening
    if opening is not None:
        table.append(
            TableRow("equity", _("Equity at start of year"), opening, opening, None, opening)
        )
        table.append(
            TableRow(
                "equity",
                _("Equity at end of year (actual: at the cut-off date)"),
                opening + report.result_budget,
                opening + report.result_actual,
                None,
                opening + report.result_forecast,
                report.result_budget - report.result_forecast,
            )
        )
    if report.earmarked_opening is not None:
        start = report.earmarked_opening
        table.append(
            TableRow("equity", _("Of which earmarked at start of year"), start, start, None, start)
        )
    if report.earmarked_closing is not None:
        end = report.earmarked_closing
        table.append(
            TableRow("equity", _("Of which earmarked at end of year"), end, None, None, end, ZERO)
        )
    if report.bank is not None:
        table.append(
            TableRow("bank", _("Available funds (bank) at the cut-off date"), actual=report.bank)
        )
    return table
