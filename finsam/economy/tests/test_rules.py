"""Financial rules on budgets built in memory: each limit is computed on the basis it names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.economy import services
from finsam.economy.models import Budget, BudgetColumn, BudgetLine, FinancialRule
from finsam.economy.rules import evaluate
from finsam.economy.statements import build_view

D = Decimal
Kind, Basis = FinancialRule.Kind, FinancialRule.Basis
money = st.decimals(min_value=0, max_value=10**8, places=0)
share = st.decimals(min_value=0, max_value=100, places=2)


def view_of(lines: list[tuple], step: Decimal = Decimal(1)):
    """One budget column; lines are (section, role, label, amount, options)."""
    column = BudgetColumn(pk=1, year=2024, basis="budget", label="Budget 2024")
    built, amounts = [], []
    for pk, (section, role, label, amount, options) in enumerate(lines, start=1):
        statement = "balance" if role.startswith("equity") else "result"
        built.append(
            BudgetLine(
                pk=pk, statement=statement, section=section, role=role, label=label, **options
            )
        )
        if amount is not None:
            amounts.append(SimpleNamespace(line_id=pk, column_id=1, amount=amount, step=step))
    return build_view(columns=[column], lines=built, amounts=amounts)


def simple_budget(contributions, other_income, costs, equity_opening, sides=None):
    sides = sides or [("state_agency", contributions)]
    lines = [
        ("income", "item", f"Bidrag {side}", amount, {"member_side": side})
        for side, amount in sides
    ]
    lines += [
        ("income", "item", "Övriga intäkter", other_income, {}),
        ("operating_cost", "item", "Kostnader", costs, {}),
        ("", "result", "Årets resultat", None, {}),
        ("", "equity_opening", "Eget kapital IB", equity_opening, {}),
        ("", "equity_closing", "Eget kapital UB", None, {}),
    ]
    return view_of(lines)


def rule(kind, value, basis="", cost_kind=""):
    return FinancialRule(
        kind=kind, value=value, basis=basis, cost_kind=cost_kind, valid_from=dt.date(2020, 1, 1)
    )


def indicators(view, *rules, reason=""):
    [ind] = evaluate(view=view, rules=list(rules), budget=Budget(unbalanced_reason=reason))
    return ind


def warnings(ind) -> list[str]:
    """The warnings as read (format_sek separates thousands with no-break spaces)."""
    return [w.replace("\xa0", " ") for w in ind.warnings]


def halves(contributions):
    return [("state_agency", contributions / 2), ("region_municipality", contributions / 2)]


def test_an_equity_ceiling_of_budgeted_costs_is_computed_on_the_costs():
    view = simple_budget(D(1000000), D(0), D(2000000), D(1500000), halves(D(1000000)))
    ind = indicators(view, rule(Kind.EQUITY_CEILING, D(20), Basis.COSTS))
    assert ind.ceiling == D(400000)  # 20 % of 2 000 000 in costs, not of 1 000 000
    assert ind.equity_closing == D(500000)
    assert any("taket" in w and "400 000 kr" in w for w in warnings(ind))


def test_equity_limits_in_kronor_and_as_shares_of_income():
    view = simple_budget(D(1000000), D(200000), D(1200000), D(100000), halves(D(1000000)))
    ind = indicators(
        view,
        rule(Kind.EQUITY_CEILING, D(50000)),
        rule(Kind.EQUITY_FLOOR, D(10), Basis.BUDGETED_INCOME),
    )
    assert (ind.ceiling, ind.floor) == (D(50000), D(120000))
    assert len(ind.warnings) == 2  # 100 000 kr is above 50 000 kr and below 120 000 kr


@settings(max_examples=60, deadline=None)
@given(
    contributions=money.filter(lambda v: v > 0),
    other=money,
    costs=money,
    opening=money,
    value=share,
    basis=st.sampled_from(list(Basis)),
    kind=st.sampled_from([Kind.EQUITY_CEILING, Kind.EQUITY_FLOOR]),
)
def test_a_share_limit_is_its_share_of_the_named_basis_and_warns_exactly_when_crossed(
    contributions, other, costs, opening, value, basis, kind
):
    view = simple_budget(contributions, other, costs, opening, halves(contributions))
    ind = indicators(view, rule(kind, value, basis))
    base = {
        Basis.CONTRIBUTIONS: contributions,
        Basis.BUDGETED_INCOME: contributions + other,
        Basis.COSTS: costs,
    }[basis]
    limit = base * value / 100
    closing = opening + contributions + other - costs
    assert ind.equity_closing == closing
    if kind == Kind.EQUITY_CEILING:
        assert ind.ceiling == limit
        assert bool(ind.warnings) == (closing > limit)
    else:
        assert ind.floor == limit
        assert bool(ind.warnings) == (closing < limit)


@settings(max_examples=60, deadline=None)
@given(
    income=money.filter(lambda v: v > 0),
    costs=money,
    floor=st.decimals(min_value=-(10**7), max_value=10**7, places=0),
    ceiling=st.decimals(min_value=-(10**7), max_value=10**7, places=0),
)
def test_the_result_for_the_year_is_held_to_its_floor_and_ceiling(income, costs, floor, ceiling):
    view = simple_budget(income, D(0), costs, D(0), halves(income))
    ind = indicators(
        view, rule(Kind.RESULT_FLOOR, floor), rule(Kind.RESULT_CEILING, ceiling), reason="Plan"
    )
    result = income - costs
    assert (ind.result_floor, ind.result_ceiling) == (floor, ceiling)
    below = [w for w in warnings(ind) if "under golvet" in w]
    above = [w for w in warnings(ind) if "över taket" in w]
    assert bool(below) == (result < floor)
    assert bool(above) == (result > ceiling)


def test_a_result_floor_of_500_000_kr_as_plans_write_it():
    view = simple_budget(D(3000000), D(0), D(2600000), D(0), halves(D(3000000)))
    ind = indicators(view, rule(Kind.RESULT_FLOOR, D(500000)))
    assert warnings(ind) == [
        "Årets resultat, 400 000 kr, är under golvet 500 000 kr.",
    ]


def test_a_target_share_of_income_is_computed_on_income():
    lines = [
        ("income", "item", "Bidrag", D(1000), {"member_side": "state_agency"}),
        ("income", "item", "Bidrag 2", D(1000), {"member_side": "region_municipality"}),
        ("income", "item", "ESF", D(2000), {}),
        ("intervention_cost", "item", "Insats", D(1000), {"cost_kind": "individual"}),
    ]
    ind = indicators(
        view_of(lines), rule(Kind.TARGET_SHARE, D(25), Basis.BUDGETED_INCOME, "individual")
    )
    assert ind.kinds[0].within_target is True  # 1000 of 4000 income, not of 2000 contributions


def test_the_state_side_tagged_with_more_than_half_warns():
    sides = [("state_agency", D(1600)), ("region", D(700)), ("municipality", D(700))]
    ind = indicators(simple_budget(D(3000), D(0), D(0), D(0), sides))
    assert any("staten" in w and "1 600 kr" in w and "1 500 kr" in w for w in warnings(ind))
    assert any("kommunernas fördelningsnyckel" in w for w in warnings(ind))


def test_the_municipalities_key_that_does_not_add_up_to_a_quarter_warns():
    sides = [
        ("state_agency", D(1500)),
        ("region", D(700)),
        ("municipality", D(375)),
        ("municipality", D(225)),
        ("municipality", D(200)),
    ]
    ind = indicators(simple_budget(D(0), D(0), D(0), D(0), sides))
    assert warnings(ind) == [
        "Kommunernas rader blir 800 kr, inte en fjärdedel av medlemsbidragen (750 kr). "
        "Kontrollera kommunernas fördelningsnyckel."
    ]


def test_sides_that_agree_within_the_printed_precision_do_not_warn():
    # Printed in tkr: 1 501 tkr against half of 3 001 tkr is within rounding.
    lines = [
        ("income", "item", "Staten", D(1501000), {"member_side": "state_agency"}),
        ("income", "item", "Region", D(750000), {"member_side": "region"}),
        ("income", "item", "Kommunerna", D(750000), {"member_side": "municipality"}),
    ]
    ind = indicators(view_of(lines, step=D(1000)))
    assert warnings(ind) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": Kind.RESULT_FLOOR, "value": D(5), "basis": Basis.COSTS}, "basis"),
        ({"kind": Kind.EQUITY_CEILING, "value": D(120), "basis": Basis.COSTS}, "value"),
        ({"kind": Kind.EQUITY_FLOOR, "value": D(-1)}, "value"),
        ({"kind": Kind.RESULT_CEILING, "value": None}, "value"),
        ({"kind": Kind.TARGET_SHARE, "value": D(5), "cost_kind": "individual"}, "basis"),
    ],
)
def test_rules_that_cannot_be_computed_are_refused_at_the_field(association, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.rule_create(
            association=association, by=SYSTEM, valid_from=dt.date(2024, 1, 1), **fields
        )
    assert field in exc.value.message_dict
    assert not association.financial_rules.exists()


@pytest.mark.django_db
def test_a_negative_result_floor_allows_a_planned_deficit(association):
    created = services.rule_create(
        association=association,
        by=SYSTEM,
        kind=Kind.RESULT_FLOOR,
        value=D(-300000),
        valid_from=dt.date(2024, 1, 1),
    )
    assert created.is_share is False
    view = simple_budget(D(1000000), D(0), D(1200000), D(0), halves(D(1000000)))
    assert indicators(view, created, reason="Eget kapital minskas").warnings == []


def test_external_project_income_is_income_but_never_a_member_contribution():
    lines = [
        ("income", "item", "Staten", D(500000), {"member_side": "state_agency"}),
        (
            "income",
            "item",
            "Region och kommuner",
            D(500000),
            {"member_side": "region_municipality"},
        ),
        ("external_income", "item", "ESF-projekt", D(400000), {}),
        ("operating_cost", "item", "Kansli", D(300000), {"cost_kind": "administration"}),
        ("intervention_cost", "item", "ESF-insats", D(900000), {"cost_kind": "individual"}),
        ("", "result", "Årets resultat", None, {}),
    ]
    view = view_of(lines)
    ind = indicators(view, rule(Kind.TARGET_SHARE, D(30), Basis.CONTRIBUTIONS, "administration"))
    assert (ind.contributions, ind.income, ind.result) == (D(1000000), D(1400000), D(200000))
    assert ind.administration_share == 30  # of the member contributions, not of 1 400 000
    admin = next(k for k in ind.kinds if k.kind == "administration")
    assert admin.within_target is True
    assert view.total("result", view.columns[0]) == D(200000)


def test_external_income_without_tagged_lines_stays_out_of_the_contributions():
    lines = [
        ("income", "item", "Medlemsbidrag", D(1000000), {}),
        ("external_income", "item", "ESF", D(250000), {}),
    ]
    ind = indicators(view_of(lines))
    assert (ind.contributions, ind.income) == (D(1000000), D(1250000))


def _key_budget(association, amounts):
    lines = [
        ("result", "income", "item", "Staten", [D(1500000)], {"member_side": "state_agency"}),
        ("result", "income", "item", "Region Testland", [D(750000)], {"member_side": "region"}),
    ]
    lines += [
        ("result", "income", "item", name, [D(amount)], {"member_side": "municipality"})
        for name, amount in amounts
    ]
    return services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": "B",
            "budget_year": 2024,
            "columns": [(2024, "budget", "Budget 2024")],
            "lines": lines,
        },
    )


@pytest.mark.django_db
def test_each_municipalitys_line_is_held_to_the_municipalities_key(association):
    from finsam.economy import selectors

    # The fixture's keys: Köping 50, Arboga 30, Kungsör 20.
    agreed = _key_budget(
        association,
        [("Köpings kommun", 375000), ("Arboga kommun", 225000), ("Kungsörs kommun", 150000)],
    )
    [ind] = evaluate(view=selectors.budget_view(budget=agreed), rules=[], budget=agreed)
    assert ind.warnings == []
    skewed = _key_budget(
        association,
        [("Köpings kommun", 400000), ("Arboga kommun", 200000), ("Kungsörs kommun", 150000)],
    )
    [ind] = evaluate(view=selectors.budget_view(budget=skewed), rules=[], budget=skewed)
    assert warnings(ind) == [
        "Köpings kommun är budgeterad till 400 000 kr, men kommunernas fördelningsnyckel ger "
        "375 000 kr av deras 750 000 kr.",
        "Arboga kommun är budgeterad till 200 000 kr, men kommunernas fördelningsnyckel ger "
        "225 000 kr av deras 750 000 kr.",
    ]
