"""Properties of the statements engine on generated budgets."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.core.money import format_sek
from finsam.economy import selectors, services
from finsam.economy.models import Role
from finsam.organisation.tests.factories import AssociationFactory

amount = st.decimals(min_value=0, max_value=10**9, places=2)
signed = st.decimals(min_value=-(10**8), max_value=10**8, places=2)


def budget_spec(incomes, costs, receivables, opening_cash, opening_equity):
    n = len(incomes[0])
    columns = [(2020 + i, "budget" if i else "outcome", f"År {2020 + i}") for i in range(n)]
    lines = [
        ("result", "income", "item", f"Intäkt {i}", list(v), {}) for i, v in enumerate(incomes)
    ]
    lines += [
        ("result", "operating_cost", "item", f"Kostnad {i}", list(v), {})
        for i, v in enumerate(costs)
    ]
    lines += [
        ("result", "", "result", "Årets resultat", [None] * n, {}),
        ("cashflow", "", "cf_result", "Årets resultat", [None] * n, {}),
        ("cashflow", "cf_operating", "item", "Förändring fordringar", list(receivables), {}),
        ("cashflow", "", "cf_total", "Årets kassaflöde", [None] * n, {}),
        ("cashflow", "", "cash_opening", "Likvida medel IB", [opening_cash] + [None] * (n - 1), {}),
        ("cashflow", "", "cash_closing", "Likvida medel UB", [None] * n, {}),
        (
            "balance",
            "",
            "equity_opening",
            "Eget kapital IB",
            [opening_equity] + [None] * (n - 1),
            {},
        ),
        ("balance", "", "equity_closing", "Eget kapital UB", [None] * n, {}),
    ]
    return {"title": "Genererad", "budget_year": 2021, "columns": columns, "lines": lines}


@st.composite
def budgets(draw):
    years = draw(st.integers(min_value=1, max_value=4))

    def rows(n):
        return draw(
            st.lists(
                st.lists(amount, min_size=years, max_size=years),
                min_size=1,
                max_size=n,
            )
        )

    return budget_spec(
        rows(4),
        rows(6),
        draw(st.lists(signed, min_size=years, max_size=years)),
        draw(amount),
        draw(amount),
    )


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=budgets())
def test_derived_statements_agree(spec):
    association = AssociationFactory()
    budget = services.budget_create(association=association, spec=spec, by=SYSTEM)
    view = selectors.budget_view(budget=budget)
    lines = {(ln.statement, ln.role): ln for ln in view.lines}
    previous = None
    for i, column in enumerate(view.columns):
        income = sum((line[4][i] for line in spec["lines"] if line[1] == "income"), Decimal(0))
        costs = sum(
            (line[4][i] for line in spec["lines"] if line[1] == "operating_cost"), Decimal(0)
        )
        result = view.value(lines[("result", Role.RESULT)], column)
        # result = income − costs per year
        assert result == income - costs
        # the cash flow starts from the result
        assert view.value(lines[("cashflow", Role.CF_RESULT)], column) == result
        flow = view.value(lines[("cashflow", Role.CF_TOTAL)], column)
        opening = view.value(lines[("cashflow", Role.CASH_OPENING)], column)
        # closing cash = opening + flow, and opens the next year
        assert view.value(lines[("cashflow", Role.CASH_CLOSING)], column) == opening + flow
        eq_open = view.value(lines[("balance", Role.EQUITY_OPENING)], column)
        eq_close = view.value(lines[("balance", Role.EQUITY_CLOSING)], column)
        # closing equity = opening equity + result
        assert eq_close == eq_open + result
        if previous is not None:
            assert opening == view.value(lines[("cashflow", Role.CASH_CLOSING)], previous)
            assert eq_open == view.value(lines[("balance", Role.EQUITY_CLOSING)], previous)
        previous = column
    # Nothing printed but the inputs: nothing to flag.
    assert view.discrepancies == []


@given(
    value=st.decimals(min_value=-(10**11), max_value=10**11, places=2),
    unit=st.sampled_from(["kr", "tkr", "kkr", "mkr"]),
)
def test_display_rounding_never_changes_a_stored_sum(value, unit):
    parts = [value, value / 3, -value / 7]
    exact = sum(parts, Decimal(0))
    for p in parts:
        format_sek(p, unit)
    assert sum(parts, Decimal(0)) == exact


@pytest.mark.django_db
def test_printed_total_off_by_more_than_rounding_is_flagged_and_rounding_is_not():
    association = AssociationFactory()
    spec = {
        "title": "T",
        "budget_year": 2021,
        "scale": Decimal(1000),
        "step": Decimal(1000),
        "columns": [(2021, "budget", "Budget 2021")],
        "lines": [
            ("result", "operating_cost", "item", "A", [Decimal("0.4")], {"step": Decimal(100)}),
            ("result", "operating_cost", "item", "B", [Decimal("0.4")], {"step": Decimal(100)}),
            # 0,4 + 0,4 = 0,8 kkr, printed as 1 kkr: a rounding difference, not an error.
            ("result", "operating_cost", "section_total", "Summa", [Decimal(1)], {}),
            ("result", "intervention_cost", "item", "C", [Decimal(5)], {}),
            ("result", "intervention_cost", "section_total", "Summa insatser", [Decimal(7)], {}),
        ],
    }
    budget = services.budget_create(association=association, spec=spec, by=SYSTEM)
    view = selectors.budget_view(budget=budget)
    assert [(d.line_label, d.printed, d.computed) for d in view.discrepancies] == [
        ("Summa insatser", Decimal(7000), Decimal(5000))
    ]


@pytest.mark.django_db
def test_kind_shares_must_add_up_to_100_percent():
    from django.core.exceptions import ValidationError

    spec = {
        "title": "T",
        "budget_year": 2021,
        "columns": [(2021, "budget", "Budget 2021")],
        "lines": [
            (
                "result",
                "intervention_cost",
                "item",
                "Samkraft",
                [Decimal(600000)],
                {"kind_shares": {"process_support": "50", "individual": "40"}},
            )
        ],
    }
    with pytest.raises(ValidationError, match="90"):
        services.budget_create(association=AssociationFactory(), spec=spec, by=SYSTEM)
