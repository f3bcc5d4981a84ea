"""Financial rules applied to a budget: equity ceiling and floor (kronor or a share of the basis
the rule names), result floor and ceiling, target shares, balance, and the statutory split of the
member contributions as the income lines are tagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.money import ZERO, format_sek
from finsam.economy.models import (
    COST_SECTIONS,
    ENTERED_ROLES,
    INCOME_SECTIONS,
    INTERVENTION_COST_KINDS,
    CostKind,
    FinancialRule,
    Role,
    Section,
)
from finsam.economy.statements import BudgetView
from finsam.organisation.models import STATUTORY_SHARES, MemberKind

HUNDRED = Decimal(100)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return part * HUNDRED / whole if whole else None


@dataclass
class KindShare:
    kind: str
    label: str
    amount: Decimal
    share_of_costs: Decimal | None
    share_of_contributions: Decimal | None
    target: Decimal | None = None
    target_basis: str = ""
    within_target: bool | None = None


@dataclass
class YearIndicators:
    column: object
    contributions: Decimal
    income: Decimal
    costs: Decimal
    result: Decimal
    equity_opening: Decimal | None
    equity_closing: Decimal | None
    ceiling: Decimal | None = None
    floor: Decimal | None = None
    result_floor: Decimal | None = None
    result_ceiling: Decimal | None = None
    kinds: list[KindShare] = field(default_factory=list)
    projects: Decimal = ZERO
    projects_share: Decimal | None = None
    individual_share_of_projects: Decimal | None = None
    other_share_of_projects: Decimal | None = None
    administration_share: Decimal | None = None
    total_share: Decimal | None = None
    earmarked: Decimal | None = None
    earmarked_movement: Decimal | None = None
    free_equity: Decimal | None = None
    state_contribution: Decimal | None = None
    state_change: Decimal | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def rules_in_force(rules: list[FinancialRule], year: int) -> dict[tuple[str, str], FinancialRule]:
    """The newest rule of each kind (and cost kind) that is valid during the year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    chosen: dict[tuple[str, str], FinancialRule] = {}
    for rule in sorted(rules, key=lambda r: r.valid_from):
        if rule.valid_from <= end and (rule.valid_to is None or rule.valid_to >= start):
            chosen[(rule.kind, rule.cost_kind)] = rule
    return chosen


def _entered(view: BudgetView, *sections: str) -> list:
    """The view's entered lines of the sections, in order (indexed once per view: a budget of
    tens of thousands of lines is asked this many times per column)."""
    index = view.memo.get("entered by section")
    if index is None:
        index = view.memo["entered by section"] = {}
        for ln in view.lines:
            if ln.role in ENTERED_ROLES:
                index.setdefault(ln.section, []).append(ln)
    if len(sections) == 1:
        return index.get(sections[0], [])
    if sections not in index:
        wanted = set(sections)
        index[sections] = [
            ln for ln in view.lines if ln.role in ENTERED_ROLES and ln.section in wanted
        ]
    return index[sections]


def _costs_by_kind(view: BudgetView, column) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    values, column_id = view.values, column.id
    for line in _entered(view, *COST_SECTIONS):
        amount = values.get((line.id, column_id)) or ZERO
        for kind, share in line.shares().items():
            totals[kind] = totals.get(kind, ZERO) + amount * share
    return totals


def _contributions(view: BudgetView, column) -> Decimal:
    income = _entered(view, Section.INCOME)
    member_lines = [ln for ln in income if ln.member_side]
    lines = member_lines or income
    return sum((view.value(ln, column) or ZERO for ln in lines), ZERO)


def evaluate(*, view: BudgetView, rules: list[FinancialRule], budget) -> list[YearIndicators]:
    out: list[YearIndicators] = []
    for column in view.columns:
        income = view.total(Role.INCOME_TOTAL, column) or sum(
            (_sum_section(view, column, s) for s in INCOME_SECTIONS), ZERO
        )
        costs = sum((_sum_section(view, column, s) for s in COST_SECTIONS), ZERO)
        result = income - costs
        contributions = _contributions(view, column)
        ind = YearIndicators(
            column=column,
            contributions=contributions,
            income=income,
            costs=costs,
            result=result,
            equity_opening=view.total(Role.EQUITY_OPENING, column),
            equity_closing=view.total(Role.EQUITY_CLOSING, column),
        )
        if ind.equity_opening is None and out and out[-1].equity_closing is not None:
            ind.equity_opening = out[-1].equity_closing
        _earmarked(ind, view, column, out[-1] if out else None)
        state_lines = [
            ln for ln in _entered(view, Section.INCOME) if ln.member_side == "state_agency"
        ]
        if state_lines:
            ind.state_contribution = sum(
                (view.value(ln, column) or ZERO for ln in state_lines), ZERO
            )
            if out and out[-1].state_contribution is not None:
                ind.state_change = ind.state_contribution - out[-1].state_contribution
        by_kind = _costs_by_kind(view, column)
        ind.projects = sum(
            (by_kind.get(k, ZERO) for k in (*INTERVENTION_COST_KINDS, CostKind.UNALLOCATED)), ZERO
        )
        ind.projects_share = percent(ind.projects, contributions)
        ind.individual_share_of_projects = percent(
            by_kind.get(CostKind.INDIVIDUAL, ZERO), ind.projects
        )
        ind.other_share_of_projects = percent(
            ind.projects - by_kind.get(CostKind.INDIVIDUAL, ZERO), ind.projects
        )
        ind.administration_share = percent(
            by_kind.get(CostKind.ADMINISTRATION, ZERO), contributions
        )
        ind.total_share = percent(costs, contributions)
        in_force = rules_in_force(rules, column.year)
        for kind in CostKind:
            amount = by_kind.get(kind, ZERO)
            rule = in_force.get((FinancialRule.Kind.TARGET_SHARE, kind))
            if not amount and rule is None:
                continue
            share = KindShare(
                kind=kind,
                label=str(kind.label),
                amount=amount,
                share_of_costs=percent(amount, costs),
                share_of_contributions=percent(amount, contributions),
            )
            if rule is not None and rule.value is not None:
                actual = percent(amount, basis_amount(rule.basis, ind))
                share.target, share.target_basis = rule.value, rule.get_basis_display()
                share.within_target = (
                    actual is not None and abs(actual - rule.value) <= rule.tolerance
                )
                if not share.within_target:
                    ind.warnings.append(
                        _("%(kind)s is %(actual)s %% of %(basis)s; the target is %(target)s %%.")
                        % {
                            "kind": kind.label,
                            "actual": _pct(actual),
                            "basis": rule.get_basis_display(),
                            "target": _pct(rule.value),
                        }
                    )
            ind.kinds.append(share)
        _equity_rules(ind, in_force)
        _result_rules(ind, in_force)
        _side_warnings(ind, view, column)
        balance_rule = in_force.get((FinancialRule.Kind.BALANCED_BUDGET, ""))
        if result < 0 and column.basis in ("budget", "plan"):
            if budget.unbalanced_reason:
                ind.notes.append(
                    _("The budget is not balanced (%(result)s). The board's reason: %(reason)s")
                    % {"result": format_sek(result), "reason": budget.unbalanced_reason}
                )
            elif balance_rule is not None:
                ind.warnings.append(
                    _(
                        "The budget is not balanced (%(result)s) and the board's reason has not "
                        "been given."
                    )
                    % {"result": format_sek(result)}
                )
        out.append(ind)
    return out


def basis_amount(basis: str, ind: YearIndicators) -> Decimal:
    """The amount a share rule is computed on: the basis the rule names, never another."""
    return {
        FinancialRule.Basis.CONTRIBUTIONS: ind.contributions,
        FinancialRule.Basis.BUDGETED_INCOME: ind.income,
        FinancialRule.Basis.COSTS: ind.costs,
    }[basis]


def rule_amount(rule: FinancialRule | None, ind: YearIndicators) -> Decimal | None:
    """A floor or ceiling in kronor: the value itself, or its share of the rule's basis."""
    if rule is None or rule.value is None:
        return None
    if rule.is_share:
        return basis_amount(rule.basis, ind) * rule.value / HUNDRED
    return rule.value


def _limit_text(rule: FinancialRule) -> str:
    if not rule.is_share:
        return ""
    return _(" (%(share)s %% of %(basis)s)") % {
        "share": _pct(rule.value),
        "basis": rule.get_basis_display(),
    }


def _equity_rules(ind: YearIndicators, in_force) -> None:
    ceiling = in_force.get((FinancialRule.Kind.EQUITY_CEILING, ""))
    floor = in_force.get((FinancialRule.Kind.EQUITY_FLOOR, ""))
    ind.ceiling, ind.floor = rule_amount(ceiling, ind), rule_amount(floor, ind)
    if ind.equity_closing is None:
        return
    if ind.ceiling is not None and ind.equity_closing > ind.ceiling:
        ind.warnings.append(
            _("Equity at end of year, %(equity)s, is above the ceiling of %(ceiling)s%(how)s.")
            % {
                "equity": format_sek(ind.equity_closing),
                "ceiling": format_sek(ind.ceiling),
                "how": _limit_text(ceiling),
            }
        )
    if ind.floor is not None and ind.equity_closing < ind.floor:
        ind.warnings.append(
            _("Equity at end of year, %(equity)s, is below the floor of %(floor)s%(how)s.")
            % {
                "equity": format_sek(ind.equity_closing),
                "floor": format_sek(ind.floor),
                "how": _limit_text(floor),
            }
        )


def _result_rules(ind: YearIndicators, in_force) -> None:
    ind.result_floor = rule_amount(in_force.get((FinancialRule.Kind.RESULT_FLOOR, "")), ind)
    ind.result_ceiling = rule_amount(in_force.get((FinancialRule.Kind.RESULT_CEILING, "")), ind)
    if ind.result_floor is not None and ind.result < ind.result_floor:
        ind.warnings.append(
            _("The result for the year, %(result)s, is below the floor of %(floor)s.")
            % {"result": format_sek(ind.result), "floor": format_sek(ind.result_floor)}
        )
    if ind.result_ceiling is not None and ind.result > ind.result_ceiling:
        ind.warnings.append(
            _("The result for the year, %(result)s, is above the ceiling of %(ceiling)s.")
            % {"result": format_sek(ind.result), "ceiling": format_sek(ind.result_ceiling)}
        )


def _side_warnings(ind: YearIndicators, view: BudgetView, column) -> None:
    """The statutory split as the income lines are tagged: the state pays half, the
    municipalities together a quarter. Differences within the printed precision pass."""
    tagged = [ln for ln in _entered(view, Section.INCOME) if ln.member_side]
    if not tagged or ind.contributions <= 0:
        return
    tolerance = sum((view.slack.get((ln.pk, column.pk), ZERO) for ln in tagged), ZERO)
    tolerance = max(tolerance, Decimal(1))

    def side(name: str) -> tuple[Decimal, bool]:
        lines = [ln for ln in tagged if ln.member_side == name]
        return sum((view.value(ln, column) or ZERO for ln in lines), ZERO), bool(lines)

    state, _has_state = side("state_agency")
    half = ind.contributions * STATUTORY_SHARES[MemberKind.STATE_AGENCY]
    if state - half > tolerance:
        ind.warnings.append(
            _(
                "The lines tagged as the state add up to %(state)s, more than half of the member "
                "contributions (%(half)s). Check the member group of the income lines."
            )
            % {"state": format_sek(state), "half": format_sek(half)}
        )
    municipalities, has_municipalities = side("municipality")
    _joint, has_joint = side("region_municipality")
    quarter = ind.contributions * STATUTORY_SHARES[MemberKind.MUNICIPALITY]
    if has_municipalities and not has_joint and abs(municipalities - quarter) > tolerance:
        ind.warnings.append(
            _(
                "The municipalities' lines add up to %(sum)s, not a quarter of the member "
                "contributions (%(quarter)s). Check the municipalities' key."
            )
            % {"sum": format_sek(municipalities), "quarter": format_sek(quarter)}
        )
    _key_warnings(ind, view, column, [ln for ln in tagged if ln.member_side == "municipality"])


def _key_warnings(ind: YearIndicators, view: BudgetView, column, lines: list) -> None:
    """A municipality's own line against its share of the municipalities' lines by the
    allocation key (`Member.key`), for lines named as the member is."""
    keys = getattr(view, "municipality_keys", None) or {}
    named = [ln for ln in lines if ln.label.strip().lower() in keys]
    if len(named) < 2 or len(named) != len(lines):
        return
    total = sum((view.value(ln, column) or ZERO for ln in named), ZERO)
    key_sum = sum((keys[ln.label.strip().lower()] for ln in named), ZERO)
    if total <= 0 or key_sum <= 0:
        return
    for line in named:
        amount = view.value(line, column) or ZERO
        expected = total * keys[line.label.strip().lower()] / key_sum
        tolerance = max(view.slack.get((line.id, column.id), ZERO) * 2, Decimal(1))
        if abs(amount - expected) > tolerance:
            ind.warnings.append(
                _(
                    "%(member)s is budgeted at %(amount)s, but the municipalities' key gives "
                    "%(expected)s of their %(total)s."
                )
                % {
                    "member": line.label,
                    "amount": format_sek(amount),
                    "expected": format_sek(round(expected)),
                    "total": format_sek(total),
                }
            )


def _earmarked(ind: YearIndicators, view: BudgetView, column, previous) -> None:
    """Earmarked equity: its balance at year end, its movement from the previous column, the
    equity left free, and a warning when more is earmarked than there is equity."""
    lines = _entered(view, Section.EARMARKED_EQUITY)
    if not lines:
        return
    ind.earmarked = _sum_section(view, column, Section.EARMARKED_EQUITY)
    if previous is not None and previous.earmarked is not None:
        ind.earmarked_movement = ind.earmarked - previous.earmarked
    if ind.equity_closing is None:
        return
    ind.free_equity = ind.equity_closing - ind.earmarked
    if ind.free_equity < 0:
        ind.warnings.append(
            _(
                "Earmarked equity, %(earmarked)s, is more than the equity at end of year, %(equity)s."
            )
            % {"earmarked": format_sek(ind.earmarked), "equity": format_sek(ind.equity_closing)}
        )


def _sum_section(view: BudgetView, column, section: str) -> Decimal:
    values, column_id = view.values, column.id
    return sum((values.get((ln.id, column_id)) or ZERO for ln in _entered(view, section)), ZERO)


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value.quantize(Decimal('0.01'))}".replace(".", ",")
