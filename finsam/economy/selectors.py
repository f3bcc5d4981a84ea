from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation

from finsam.economy import rules as rules_module
from finsam.economy import view_cache
from finsam.economy.models import (
    AccountMapping,
    Budget,
    BudgetAmount,
    BudgetColumn,
    BudgetLine,
    FinancialRule,
    LedgerAccount,
    LedgerBalance,
    LedgerImport,
    LedgerImportJob,
    LedgerObject,
    Role,
    Statement,
)
from finsam.economy.statements import BudgetView, build_view
from finsam.organisation.access import can
from finsam.organisation.models import Member, MemberKind


def _require(user, association, capability: str) -> None:
    if not can(user, association, capability):
        raise PermissionDenied(capability)


def budgets(*, user, association) -> QuerySet[Budget]:
    _require(user, association, "budget.view")
    return Budget.objects.filter(association=association).prefetch_related(
        Prefetch("columns", queryset=BudgetColumn.objects.order_by("sort_order"))
    )


def budget_get(*, user, association, pk: int) -> Budget:
    return get_object_or_404(budgets(user=user, association=association), pk=pk)


def budget_line_get(*, budget: Budget, pk: int) -> BudgetLine:
    """A line of a budget the caller already has through `budget_get`."""
    return get_object_or_404(BudgetLine, budget=budget, pk=pk)


DECIDED = (Budget.Status.ADOPTED, Budget.Status.REVISED)


class AmountRow(NamedTuple):
    line_id: int
    column_id: int
    amount: Decimal
    step: Decimal


@dataclass(frozen=True)
class BudgetChoice:
    """The budget that counts for a year, and how it was found.

    `chosen`: picked by id rather than by the rule. `only_drafts`: the board has adopted no
    budget for the year, so the newest draft stands in (and the page says so).
    """

    year: int
    budget: Budget | None
    chosen: bool = False
    only_drafts: bool = False


def counting_budget(budgets: QuerySet[Budget], *, year: int, pk=None) -> BudgetChoice:
    """The budget the board adopted for `year` (its newest adopted or revised version), unless
    `pk` chooses another; the newest draft when only drafts exist; None when the year has no
    budget at all. A budget made for another year never counts for this one by default: a
    later plan's closing or forecast column is not this year's budget."""
    if pk not in (None, ""):
        try:
            budget = budgets.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            budget = None
        if budget is None:
            raise Http404("No such budget.")
        return BudgetChoice(year=year, budget=budget, chosen=True)
    of_year = budgets.filter(budget_year=year).order_by("-version")
    decided = of_year.filter(status__in=DECIDED).first()
    if decided is not None:
        return BudgetChoice(year=year, budget=decided)
    draft = of_year.first()
    return BudgetChoice(year=year, budget=draft, only_drafts=draft is not None)


def budget_counting(*, user, association, year: int, pk=None) -> BudgetChoice:
    return counting_budget(budgets(user=user, association=association), year=year, pk=pk)


def budget_view(*, budget: Budget) -> BudgetView:
    """Derived statements and discrepancies. The caller already has the budget through a selector.
    A decided budget's view is computed once and kept (see view_cache); callers never change it."""
    columns = list(budget.columns.order_by("sort_order"))
    booked = booked_openings(budget.association_id, columns[0].year) if columns else {}
    keys = {
        name.strip().lower(): key
        for name, key in Member.objects.filter(
            association_id=budget.association_id, kind=MemberKind.MUNICIPALITY
        ).values_list("name", "key")
    }

    def compute() -> BudgetView:
        view = _build_view(budget, columns, booked)
        view.municipality_keys = keys
        return view

    if budget.status not in DECIDED:
        return compute()
    key = (
        view_cache.fingerprint(budget),
        tuple((c.pk, c.year, c.basis, c.label, c.sort_order) for c in columns),
        tuple(sorted(booked.items())),
        tuple(sorted(keys.items())),
    )
    return view_cache.kept(key, compute)


def _build_view(budget: Budget, columns: list, booked: dict) -> BudgetView:
    order = {value: i for i, value in enumerate(Statement.values)}
    lines = sorted(
        BudgetLine.objects.filter(budget=budget),
        key=lambda ln: (order.get(ln.statement, 9), ln.sort_order),
    )
    # Plain rows, not model instances: a large budget has a hundred thousand amounts.
    amounts = [
        AmountRow(*row)
        for row in BudgetAmount.objects.filter(line__budget=budget).values_list(
            "line_id", "column_id", "amount", "step"
        )
    ]
    return build_view(columns=columns, lines=lines, amounts=amounts, booked=booked)


def booked_openings(association_id: int, year: int) -> dict[str, Decimal]:
    """The ledger's opening balances (#IB) for the year: cash and bank (accounts 19xx) and
    equity (20xx, a credit balance shown positive). Empty without an imported ledger."""
    rows = (
        LedgerBalance.objects.filter(
            association_id=association_id,
            ledger_import__complete=True,
            kind=LedgerBalance.Kind.OPENING,
            year_start=dt.date(year, 1, 1),
        )
        .filter(Q(account__startswith="19") | Q(account__startswith="20"))
        .values_list("account", "amount")
    )
    cash = [amount for account, amount in rows if account.startswith("19")]
    equity = [amount for account, amount in rows if account.startswith("20")]
    booked = {}
    if cash:
        booked[Role.CASH_OPENING] = sum(cash, Decimal(0))
    if equity:
        booked[Role.EQUITY_OPENING] = -sum(equity, Decimal(0))
    return booked


def budget_comparison(*, a: Budget, b: Budget) -> tuple[list[str], list[dict]]:
    """Two budgets side by side: the column labels both have (in A's order), and per line
    (statement and label; A's lines first, then those only in B) each shared column's value in
    A, in B, and B − A. The caller already has both budgets through a selector."""
    view_a, view_b = budget_view(budget=a), budget_view(budget=b)
    labels = sorted(
        {c.label for c in view_a.columns} & {c.label for c in view_b.columns},
        key=lambda label: [c.label for c in view_a.columns].index(label),
    )

    def table(view):
        cols = {c.label: c for c in view.columns}
        return {
            (ln.statement, ln.label): {label: view.value(ln, cols[label]) for label in labels}
            for ln in view.lines
        }

    ta, tb = table(view_a), table(view_b)
    rows = []
    for key in [k for k in ta] + [k for k in tb if k not in ta]:
        cells = []
        for label in labels:
            va, vb = ta.get(key, {}).get(label), tb.get(key, {}).get(label)
            diff = (
                (vb or Decimal(0)) - (va or Decimal(0))
                if (va is not None or vb is not None)
                else None
            )
            cells.append((va, vb, diff))
        rows.append({"statement": Statement(key[0]).label, "label": key[1], "cells": cells})
    return labels, rows


def financial_rules(*, user, association) -> QuerySet[FinancialRule]:
    _require(user, association, "budget.view")
    return FinancialRule.objects.filter(association=association)


def financial_rule_get(*, user, association, pk: int) -> FinancialRule:
    return get_object_or_404(financial_rules(user=user, association=association), pk=pk)


def budget_indicators(*, user, association, budget: Budget, view: BudgetView):
    """The rules evaluated on the view; kept with a kept view for the same rules and budget."""
    rules = list(financial_rules(user=user, association=association))
    key = (
        "indicators",
        translation.get_language(),
        budget.status,
        budget.unbalanced_reason,
        tuple(tuple(getattr(r, f.attname) for f in r._meta.concrete_fields) for r in rules),
    )
    found = view.memo.get(key)
    if found is None:
        found = view.memo[key] = rules_module.evaluate(view=view, rules=rules, budget=budget)
    return found


def budget_attention(*, user, association, year: int) -> dict:
    """For the home page: the budget that counts for the year, its discrepancies and rule
    warnings, and whether only drafts exist."""
    choice = budget_counting(user=user, association=association, year=year)
    attention = {"year": year, "budget": choice.budget, "only_drafts": choice.only_drafts}
    if choice.budget is None:
        return attention
    view = budget_view(budget=choice.budget)
    indicators = budget_indicators(
        user=user, association=association, budget=choice.budget, view=view
    )
    attention["discrepancies"] = len(view.discrepancies)
    attention["warnings"] = [f"{ind.column.label}: {w}" for ind in indicators for w in ind.warnings]
    return attention


def intervention_ledger(*, user, association, intervention, cutoff) -> dict | None:
    """An intervention's money in the follow-up of the year's counting budget: the budget, the
    actual up to the cut-off from the ledger (its object or mapped accounts) and the forecast of
    the budget lines linked to it. None for a user without the budget, or without such lines."""
    return intervention_ledgers(
        user=user, association=association, cutoff=cutoff, only=[intervention.pk]
    ).get(intervention.pk)


def intervention_ledgers(*, user, association, cutoff, only=None) -> dict[int, dict]:
    """`intervention_ledger` for every intervention with linked budget lines, from one follow-up
    of the year's counting budget: {intervention id: {budget, actual, forecast, has_actuals,
    budget_name}}. Empty for a user without the budget, or a year without one. `only`: these
    intervention ids (the follow-up is not built when none of them has a line)."""
    if not can(user, association, "budget.view"):
        return {}
    budget = budget_counting(user=user, association=association, year=cutoff.year).budget
    return budget_intervention_ledgers(budget=budget, cutoff=cutoff, only=only)


def budget_intervention_ledgers(*, budget: Budget | None, cutoff, only=None) -> dict[int, dict]:
    """`intervention_ledgers` of a budget the caller already has (through a selector, or as a
    management command acting for the system)."""
    if budget is None:
        return {}
    labels: dict[int, set[str]] = {}
    lines = BudgetLine.objects.filter(budget=budget, intervention__isnull=False)
    if only is not None:
        lines = lines.filter(intervention_id__in=only)
    for pk, label in lines.values_list("intervention_id", "label"):
        labels.setdefault(pk, set()).add(label)
    if not labels:
        return {}
    from finsam.economy.follow_up import build_follow_up

    report = build_follow_up(
        association=budget.association, view=budget_view(budget=budget), cutoff=cutoff
    )
    result = {}
    for pk, own in labels.items():
        rows = [r for r in report.costs if r.label in own]
        total = {
            attr: sum((getattr(r, attr) for r in rows), Decimal(0))
            for attr in ("budget", "actual", "forecast")
        }
        result[pk] = {**total, "has_actuals": report.has_actuals, "budget_name": str(budget)}
    return result


def forecast_difference(ledger: dict | None, written: Decimal | None) -> Decimal | None:
    """What staff wrote minus the forecast from the ledger, when it is more than 5 % of the
    budget (or 1 000 kr): a difference worth a word in the report."""
    if ledger is None or written is None or not ledger["has_actuals"]:
        return None
    difference = written - ledger["forecast"]
    threshold = max(ledger["budget"] * Decimal("0.05"), Decimal(1000))
    return difference if abs(difference) > threshold else None


def ledger_imports(*, user, association):
    _require(user, association, "budget.view")
    return LedgerImport.objects.filter(association=association, complete=True)


def ledger_import_jobs(*, user, association):
    _require(user, association, "budget.view")
    return LedgerImportJob.objects.filter(association=association)


def account_mappings(*, user, association):
    _require(user, association, "budget.view")
    return AccountMapping.objects.filter(association=association)


def account_mapping_get(*, user, association, pk: int) -> AccountMapping:
    return get_object_or_404(account_mappings(user=user, association=association), pk=pk)


def ledger_objects(*, user, association):
    _require(user, association, "budget.view")
    return LedgerObject.objects.filter(association=association)


def mapping_choices(*, user, association) -> dict[str, list]:
    """For the mapping pick lists: the accounts found in the imported files (number, name) and
    the names of the budgets' income-statement lines."""
    _require(user, association, "budget.view")
    lines = (
        BudgetLine.objects.filter(
            budget__association=association,
            statement=Statement.RESULT,
            role__in=[Role.ITEM, Role.CASH_ITEM],
        )
        .values_list("label", flat=True)
        .distinct()
    )
    accounts = LedgerAccount.objects.filter(association=association).values_list("number", "name")
    return {"lines": sorted(set(lines)), "accounts": list(accounts)}


def ledger_object_get(*, user, association, pk: int) -> LedgerObject:
    return get_object_or_404(ledger_objects(user=user, association=association), pk=pk)


def follow_up(*, user, association, budget: Budget, cutoff):
    _require(user, association, "budget.view")
    from finsam.economy.follow_up import build_follow_up

    return build_follow_up(association=association, view=budget_view(budget=budget), cutoff=cutoff)


@dataclass
class YearOverview:
    """The year at a glance (the home page): the counting budget and how it was found, the
    follow-up to the cut-off, the rules' indicators for the year's budget column, and the
    budget's discrepancies and rule warnings. The budget's statements are derived once."""

    choice: BudgetChoice
    report: object | None = None
    indicators: object | None = None
    discrepancies: int = 0
    warnings: list[str] | None = None
    # The forecast equity at year end against the rules' floor and ceiling for the year:
    # "above", "below", "within", or None without a forecast or without such rules.
    equity_position: str | None = None


def equity_position(amount, *, floor, ceiling) -> str | None:
    """Where an equity amount stands against a floor and a ceiling (the comparison the rules
    make for the budget's closing equity, rules._equity_rules)."""
    if amount is None or (floor is None and ceiling is None):
        return None
    if ceiling is not None and amount > ceiling:
        return "above"
    if floor is not None and amount < floor:
        return "below"
    return "within"


def year_overview(*, user, association, year: int, cutoff: dt.date) -> YearOverview:
    from finsam.economy.follow_up import budget_column, build_follow_up

    choice = budget_counting(user=user, association=association, year=year)
    if choice.budget is None:
        return YearOverview(choice=choice, warnings=[])
    view = budget_view(budget=choice.budget)
    indicators = budget_indicators(
        user=user, association=association, budget=choice.budget, view=view
    )
    column, _note = budget_column(view.columns, year)
    report = build_follow_up(association=association, view=view, cutoff=cutoff)
    of_year = next((ind for ind in indicators if ind.column is column), None)
    return YearOverview(
        choice=choice,
        report=report,
        indicators=of_year,
        discrepancies=len(view.discrepancies),
        warnings=[f"{ind.column.label}: {w}" for ind in indicators for w in ind.warnings],
        equity_position=equity_position(
            report.equity_forecast,
            floor=of_year.floor if of_year else None,
            ceiling=of_year.ceiling if of_year else None,
        ),
    )
