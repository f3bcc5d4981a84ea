"""Every demo association has one fully booked year: balanced, consistent with its budget and with
the year before, so that its annual report renders without a flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from finsam.demo.booked_years import BOOKED_YEARS
from finsam.economy.annual_accounts import annual_accounts
from finsam.economy.models import LedgerBalance
from finsam.economy.selectors import budget_intervention_ledgers
from finsam.funding.models import Intervention
from finsam.organisation.models import AnnualCycleItem, Association


@pytest.fixture
def seeded(_demo_loaded, db):
    return {a.slug: a for a in Association.objects.all()}


@pytest.mark.parametrize("slug", list(BOOKED_YEARS))
def test_the_booked_year_balances_and_reconciles(seeded, slug):
    spec = BOOKED_YEARS[slug]
    accounts = annual_accounts(association=seeded[slug], year=spec.year)
    assert accounts is not None
    assert accounts.problems == []
    assert accounts.previous is not None
    f, p = accounts.current, accounts.previous
    assert f.total_assets == f.total_claims
    assert f.equity_opening == p.equity_closing
    assert f.cash_opening == p.b("cash")
    assert f.equity_closing - f.equity_opening == f.result
    anchor_year, anchor = spec.equity_at
    at = {spec.year: f, spec.year - 1: p}
    if anchor_year in at:
        assert at[anchor_year].equity_closing == anchor
    else:
        assert p.equity_opening == anchor


@pytest.mark.parametrize("slug", list(BOOKED_YEARS))
def test_the_booked_year_follows_its_budget(seeded, slug):
    """Income as budgeted; costs within ten per cent of the budget, unallocated money aside."""
    association, spec = seeded[slug], BOOKED_YEARS[slug]
    accounts = annual_accounts(association=association, year=spec.year)
    budget = next(b for b in association.budgets.all() if b.columns.filter(label=spec.column))
    interventions = list(Intervention.objects.filter(association=association))
    money = budget_intervention_ledgers(
        budget=budget,
        cutoff=dt.date(spec.year, 12, 31),
        only=[i.pk for i in interventions],
    )
    assert money, "the intervention lines carry booked costs"
    for figures in money.values():
        assert figures["has_actuals"]
        if figures["budget"]:
            assert abs(figures["actual"] - figures["budget"]) <= figures["budget"] * D("0.1")
    assert accounts.current.r("income") > 0
    assert accounts.current.r("costs") < 0


def test_kramfors_booked_2020_closes_where_the_2021_file_opens(seeded):
    kramfors = seeded["kramfors"]
    opening_2021 = dict(
        LedgerBalance.objects.filter(
            association=kramfors, kind="opening", year_start=dt.date(2021, 1, 1)
        ).values_list("account", "amount")
    )
    accounts = annual_accounts(association=kramfors, year=2020)
    assert accounts.current.b("cash") == opening_2021["1930"] == D("548077")
    assert accounts.current.equity_closing == -opening_2021["2010"]


def test_the_annual_cycle_reminds_three_months_after_year_end(seeded):
    for association in seeded.values():
        item = AnnualCycleItem.objects.get(
            association=association, title="Årsredovisning upprättas och lämnas till revisorerna"
        )
        assert (item.month, item.kind) == (3, AnnualCycleItem.Kind.ANNUAL_REPORT)


def test_loading_again_changes_nothing(seeded):
    from finsam.demo.booked_years import load_booked_year_demo

    assert not any(load_booked_year_demo(a) for a in seeded.values())
