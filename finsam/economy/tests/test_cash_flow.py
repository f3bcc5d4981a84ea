"""The cash-flow budget's derivation, step by step, on one small budget (see economy/cash_flow.py)."""

from decimal import Decimal

import pytest

from finsam.core.actors import SYSTEM
from finsam.economy import selectors, services
from finsam.economy.models import Role
from finsam.organisation.tests.factories import AssociationFactory

D = Decimal


def _budget(printed_opening_2022=None):
    columns = [(2021, "budget", "Budget 2021"), (2022, "plan", "Plan 2022")]
    lines = [
        ("result", "income", "item", "Medlemsbidrag", [D(100), D(100)], {}),
        ("result", "operating_cost", "item", "Personal", [D(60), D(80)], {}),
        ("result", "", "result", "Årets resultat", [None, None], {}),
        ("cashflow", "", "cf_result", "Årets resultat", [None, None], {}),
        ("cashflow", "cf_operating", "item", "Förändring fordringar", [D(-10), D(0)], {}),
        ("cashflow", "", "cf_operating_total", "Från den löpande verksamheten", [None, None], {}),
        ("cashflow", "cf_investing", "item", "Inventarier", [D(-5), D(0)], {}),
        ("cashflow", "", "cf_total", "Årets kassaflöde", [None, None], {}),
        ("cashflow", "", "cash_opening", "Likvida medel IB", [D(50), printed_opening_2022], {}),
        ("cashflow", "", "cash_closing", "Likvida medel UB", [None, None], {}),
    ]
    spec = {"title": "Kassaflöde", "budget_year": 2021, "columns": columns, "lines": lines}
    budget = services.budget_create(association=AssociationFactory(), spec=spec, by=SYSTEM)
    return selectors.budget_view(budget=budget)


@pytest.mark.django_db
def test_each_step_of_the_cash_flow_is_derived_and_the_closing_cash_opens_the_next_year():
    view = _budget()
    first, second = view.columns
    assert view.total(Role.CF_RESULT, first) == D(40)  # 100 − 60
    assert view.total(Role.CF_OPERATING_TOTAL, first) == D(30)  # 40 − 10
    assert view.total(Role.CF_TOTAL, first) == D(25)  # 30 − 5
    assert view.total(Role.CASH_OPENING, first) == D(50)
    assert view.total(Role.CASH_CLOSING, first) == D(75)  # 50 + 25
    assert view.total(Role.CASH_OPENING, second) == D(75)
    assert view.total(Role.CASH_CLOSING, second) == D(95)  # 75 + (100 − 80)
    assert view.discrepancies == []


@pytest.mark.django_db
def test_a_printed_opening_cash_that_is_not_last_years_closing_cash_is_flagged():
    view = _budget(printed_opening_2022=D(70))
    messages = [d.message for d in view.discrepancies]
    assert messages == ["Ingående likvida medel är inte föregående års utgående."]
