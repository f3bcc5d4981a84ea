"""The year at a glance (the home page's money panel): one derivation of the budget, and where the
forecast equity stands against the rules' floor and ceiling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.demo.economy import load_economy_demo, load_ledger_demo
from finsam.economy.selectors import equity_position, year_overview
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import AssociationFactory, user_with_role

amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


@given(amount=amounts, floor=amounts, ceiling=amounts)
def test_equity_position_matches_the_floor_and_ceiling(amount, floor, ceiling):
    position = equity_position(amount, floor=floor, ceiling=ceiling)
    if amount > ceiling:
        assert position == "above"
    elif amount < floor:
        assert position == "below"
    else:
        assert position == "within"
        assert floor <= amount <= ceiling


@given(amount=amounts, limit=amounts)
def test_one_limit_alone_is_enough_and_none_gives_no_verdict(amount, limit):
    assert equity_position(amount, floor=limit, ceiling=None) == (
        "below" if amount < limit else "within"
    )
    assert equity_position(amount, floor=None, ceiling=limit) == (
        "above" if amount > limit else "within"
    )
    assert equity_position(amount, floor=None, ceiling=None) is None
    assert equity_position(None, floor=limit, ceiling=limit) is None


@pytest.mark.django_db
def test_kramfors_2021_at_a_glance():
    kramfors = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(kramfors)
    load_ledger_demo(kramfors)
    user = user_with_role(kramfors, Role.AUDITOR)

    overview = year_overview(
        user=user, association=kramfors, year=2021, cutoff=dt.date(2021, 6, 30)
    )

    assert overview.choice.budget is not None and not overview.choice.only_drafts
    assert overview.report.result_budget == Decimal(-253000)
    assert overview.report.result_forecast == Decimal(-132920)
    assert overview.report.equity_forecast == Decimal(415157)
    assert overview.indicators.floor == Decimal(180000)
    assert overview.indicators.ceiling == Decimal(518400)
    assert overview.equity_position == "within"
    assert overview.discrepancies == 0


@pytest.mark.django_db
def test_a_year_without_a_budget_has_no_figures():
    association = AssociationFactory()
    overview = year_overview(
        user=user_with_role(association, Role.ECONOMIST),
        association=association,
        year=2030,
        cutoff=dt.date(2030, 6, 30),
    )
    assert overview.choice.budget is None
    assert overview.report is None and overview.equity_position is None
