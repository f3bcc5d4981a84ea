"""The booked-year statements: account ranges, the three checks, and where the figures come from."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.economy import ledger, sie
from finsam.economy.annual_accounts import (
    BookedYear,
    annual_accounts,
    booked_year,
    group_of,
    year_figures,
)


def test_account_ranges():
    assert group_of("3600") == "income"
    assert group_of("4530") == "costs"
    assert group_of("7810") == "depreciation"
    assert group_of("8570") == "financial_costs"
    assert group_of("8310") == "financial_income"
    assert group_of("1930") == "cash"
    assert group_of("1510") == "receivables"
    assert group_of("2010") == "equity"
    assert group_of("2440") == "short_term"
    assert group_of("9000") is None
    assert group_of("X1") is None


def _apply(opening: dict, rows: list[tuple[str, D]]) -> tuple[dict, dict]:
    closing, result = dict(opening), {}
    for account, amount in rows:
        target = result if group_of(account) in {"income", "costs", "depreciation",
                                                  "financial_income", "financial_costs"} else closing  # fmt: skip
        target[account] = target.get(account, D(0)) + amount
    return closing, result


def _year(opening, rows, year=2024) -> BookedYear:
    closing, result = _apply(opening, rows)
    return BookedYear(year, opening, closing, result, "test.se")


OPENING = {"1930": D("500000"), "1510": D("20000"), "2010": D("-450000"), "2440": D("-70000")}


def test_a_balanced_year_passes_every_check_and_shows_municipal_signs():
    rows = [
        ("3600", D("-1000000")),
        ("1930", D("1000000")),
        ("4530", D("700000")),
        ("1930", D("-700000")),
        ("5010", D("250000")),
        ("2440", D("-250000")),  # unpaid at year end: current liabilities grow
        ("8570", D("3000")),
        ("1930", D("-3000")),
        ("1930", D("20000")),
        ("1510", D("-20000")),  # a receivable paid
    ]
    f = year_figures(_year(OPENING, rows))
    assert f.r("income") == D("1000000")
    assert f.r("costs") == D("-950000")
    assert f.r("financial_costs") == D("-3000")
    assert f.result == D("47000")
    assert f.equity_opening == D("450000")
    assert f.equity_closing == D("497000")
    assert f.total_assets == f.total_claims == D("817000")
    assert f.b("short_term") == D("320000")
    assert f.cf_operating == D("47000") + D("20000") + D("250000")
    assert f.cash_flow == f.change("cash") == D("317000")
    assert f.checks() == []


def test_an_unbalanced_ledger_is_flagged():
    booked = _year(OPENING, [("3600", D("-1000")), ("1930", D("900"))])  # 100 kr lost
    problems = {p.code for p in year_figures(booked).checks()}
    assert problems == {"balance-sheet-2024", "cash-flow-2024"}


def test_equity_moved_outside_the_result_is_flagged_but_the_cash_flow_still_reconciles():
    booked = _year(OPENING, [("2010", D("-5000")), ("1930", D("5000"))])
    f = year_figures(booked)
    assert [p.code for p in f.checks()] == ["result-equity-2024"]
    assert f.equity_other_changes == D("5000")
    assert f.cash_flow == f.change("cash")


def test_closing_balances_that_already_hold_the_result():
    """Some systems book the year's result into equity before exporting #UB."""
    rows = [("3600", D("-1000")), ("1930", D("1000"))]
    booked = _year(OPENING, rows)
    booked.closing["2099"] = D("-1000")
    f = year_figures(booked)
    assert f.result_in_closing
    assert f.equity_closing == D("451000")
    assert f.checks() == []


def test_an_account_outside_the_ranges_is_flagged():
    booked = _year(OPENING, [("9100", D("10")), ("1930", D("-10"))])
    assert "unmapped-2024" in {p.code for p in year_figures(booked).checks()}


ACCOUNTS = ["1220", "1510", "1930", "2010", "2350", "2440", "2990", "3600", "4530", "5010",
            "7830", "8310", "8570"]  # fmt: skip
# Vouchers never touch equity directly: that is the flagged case above.
BOOKED = [a for a in ACCOUNTS if a != "2010"]
AMOUNTS = st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False)


@st.composite
def balanced_ledgers(draw):
    """A balanced opening balance and balanced vouchers over every kind of account."""
    opening_accounts = draw(st.lists(st.sampled_from(ACCOUNTS[:7]), min_size=1, max_size=6))
    opening = {}
    for account in opening_accounts:
        opening[account] = opening.get(account, D(0)) + draw(AMOUNTS)
    opening["2010"] = opening.get("2010", D(0)) - sum(opening.values(), D(0))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        lines = draw(st.lists(st.tuples(st.sampled_from(BOOKED), AMOUNTS), min_size=1,
                              max_size=4))  # fmt: skip
        rows += lines
        rows.append((draw(st.sampled_from(BOOKED)), -sum((a for _, a in lines), D(0))))
    return opening, rows


@settings(max_examples=200, deadline=None)
@given(balanced_ledgers())
def test_property_every_balanced_ledger_reconciles(ledger_data):
    opening, rows = ledger_data
    f = year_figures(_year(opening, rows))
    assert f.total_assets == f.total_claims
    assert f.equity_closing - f.equity_opening == f.result
    assert f.cash_flow == f.change("cash")
    assert f.cf_operating + f.cf_investing + f.cf_financing == f.b("cash") - f.cash_opening
    assert f.checks() == []


# --- from the imported ledger ----------------------------------------------------------------


def _import(association, *, year, vouchers=(), ib=(), ub=(), res=(), years=(0,), name="x.se"):
    buffer = io.BytesIO()
    sie.write_sie(
        buffer,
        company="Test",
        fiscal_years=[
            sie.FiscalYear(i, dt.date(year + i, 1, 1), dt.date(year + i, 12, 31)) for i in years
        ],
        accounts=[sie.Account(a, f"Konto {a}") for a in ACCOUNTS],
        opening_balances=[sie.OpeningBalance(y, a, D(v)) for y, a, v in ib],
        closing_balances=[sie.ClosingBalance(y, a, D(v)) for y, a, v in ub],
        results=[sie.Result(y, a, D(v)) for y, a, v in res],
        vouchers=[
            sie.Voucher(
                "A",
                str(n),
                dt.date(year, 3, 1),
                "v",
                transactions=tuple(sie.Transaction(a, (), D(v)) for a, v in rows),
            )
            for n, rows in enumerate(vouchers, start=1)
        ],  # fmt: skip
    )
    buffer.seek(0)
    ledger.sie_import(association=association, fp=buffer, file_name=name, by=SYSTEM)


@pytest.mark.django_db
def test_a_file_without_closing_balances_is_read_from_its_vouchers(association):
    _import(
        association,
        year=2024,
        ib=[(0, "1930", "1000"), (0, "2010", "-1000")],
        vouchers=[[("3600", "-500"), ("1930", "500")], [("4530", "200"), ("1930", "-200")]],
    )
    booked = booked_year(association=association, year=2024)
    assert booked.closing == {"1930": D("1300"), "2010": D("-1000")}
    assert booked.result == {"3600": D("-500"), "4530": D("200")}
    accounts = annual_accounts(association=association, year=2024)
    assert accounts.current.result == D("300")
    assert accounts.problems == []
    assert accounts.previous is None


@pytest.mark.django_db
def test_the_previous_year_from_the_files_year_minus_one_and_res_against_vouchers(association):
    _import(
        association,
        year=2024,
        years=(0, -1),
        ib=[(0, "1930", "1100"), (0, "2010", "-1100"), (-1, "1930", "1000"), (-1, "2010", "-1000")],
        ub=[(0, "1930", "1400"), (0, "2010", "-1100"), (-1, "1930", "1100"), (-1, "2010", "-1000")],
        res=[(0, "3600", "-400"), (0, "4530", "100"), (-1, "3600", "-100")],
        vouchers=[[("3600", "-500"), ("1930", "500")], [("4530", "200"), ("1930", "-200")]],
    )
    accounts = annual_accounts(association=association, year=2024)
    assert accounts.current.result == D("300")
    assert accounts.previous.result == D("100")
    assert accounts.previous.equity_closing == D("1100")
    codes = {p.code for p in accounts.problems}
    # #RES says 300 as the balances do, but the vouchers sum to 300 on other amounts per account
    assert codes == {"res-vouchers-2024"}
    rr = {line.label: (line.current, line.previous) for line in accounts.income_statement()}
    assert rr["Verksamhetens intäkter"] == (D("400"), D("100"))
    notes = accounts.note_accounts(("income",), of="result")
    assert notes == [("3600", "Konto 3600", D("400"), D("100"))]


@pytest.mark.django_db
def test_nothing_booked_for_the_year(association):
    assert annual_accounts(association=association, year=2024) is None
