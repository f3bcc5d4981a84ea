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
    AccountMapping,
    BudgetColumn,
    FollowUpEntry,
    LedgerBalance,
    LedgerMonthSum,
    LedgerObject,
    LedgerTransaction,
    Section,
)
from finsam.economy.statements import BudgetView

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

    @property
    def variance(self) -> Decimal:
        return self.budget - self.forecast


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

    def total(self, rows: list[FollowUpRow], attr: str) -> Decimal:
        return sum((getattr(r, attr) for r in rows), ZERO)

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


def elapsed_months(cutoff: dt.date) -> Decimal:
    """Months of the year passed at the cut-off, counting a part month by its days."""
    days = calendar.monthrange(cutoff.year, cutoff.month)[1]
    return Decimal(cutoff.month - 1) + Decimal(cutoff.day) / Decimal(days)


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
    for line in view.lines:
        if line.role not in ENTERED_ROLES or line.statement != "result":
            continue
        is_income = line.section == Section.INCOME
        if not is_income and line.section not in COST_SECTIONS:
            continue
        row = rows.setdefault(line.label, FollowUpRow(label=line.label, is_income=is_income))
        row.budget += (view.value(line, column) or ZERO) if column else ZERO
    mappings = list(AccountMapping.objects.filter(association=association))
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
        label = (
            by_object
            or _line_for(account, mappings)
            or (UNMAPPED_INCOME if is_income else UNMAPPED_COST)
        )
        row = rows.setdefault(label, FollowUpRow(label=label, is_income=is_income))
        # The ledger books income as credit (negative) and costs as debit (positive).
        row.actual += -total if row.is_income else total
        row.accounts.add(account)
    months = elapsed_months(cutoff)
    entries = {
        e.line_label: e for e in FollowUpEntry.objects.filter(association=association, year=year)
    }
    for row in rows.values():
        entry = entries.get(row.label)
        if entry is not None:
            row.method, row.accrual, row.note = entry.method, entry.accrual, entry.note
            row.profile = entry.profile
        if row.method == FollowUpEntry.Method.EVEN:
            row.accrued = row.budget * months / 12
        elif row.method == FollowUpEntry.Method.PROFILE and entry is not None and entry.profile:
            row.accrued = row.budget * profile_share(entry.profile, cutoff)
        else:
            row.accrued = row.actual + (row.accrual or ZERO)
        if entry is not None and entry.forecast is not None:
            row.forecast, row.forecast_entered = entry.forecast, True
        elif months > 0 and has_actuals:
            row.forecast = row.accrued * 12 / months
        else:
            row.forecast = row.budget
    income = [r for r in rows.values() if r.is_income]
    costs = [r for r in rows.values() if not r.is_income]
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
    )


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
