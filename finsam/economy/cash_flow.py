"""How the cash-flow budget (kassaflödesbudget) is derived, and how a printed one is checked.

Only the cash flow's *adjustments* are entered as lines: in section `CF_OPERATING` the items that
do not move cash (depreciation, provisions) and the changes in working capital (receivables,
liabilities), in `CF_INVESTING` and `CF_FINANCING` the investments and loans. Everything else in
the statement is derived, column by column (one column is one year), in this order:

1. Result for the year (`Role.CF_RESULT`) = the income statement's result, income − costs.
2. Cash flow from operating activities (`CF_OPERATING_TOTAL`) = the result + the operating lines.
3. Cash flow for the year (`CF_TOTAL`) = operating cash flow + the investing and financing lines.
4. Cash at start of year (`CASH_OPENING`) = the previous column's cash at end of year. The first
   column has no previous one: its printed opening cash is taken as given, and without one
   neither opening nor closing cash is derived.
5. Cash at end of year (`CASH_CLOSING`) = cash at start of year + cash flow for the year.

The balance sheet's "cash and bank" item (`Role.CASH_ITEM`) is entered, not derived, and should be
the closing cash of step 5.

The checks compare each *printed* total with the same relation computed from the printed figures
next to it (see `finsam.economy.statements`), so one wrong figure gives one flag, not a cascade.

The engine (`statements._Engine`) calls these steps in its own order: `derive` once per column
between the income statement and the balance sheet, and the checks where they stand among the
other statements' checks, so that discrepancies are listed in reading order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from finsam.core.money import ZERO
from finsam.economy.models import COST_SECTIONS, INCOME_SECTIONS, Role, Section

if TYPE_CHECKING:
    from finsam.economy.statements import Figure, _Engine

INVESTING_AND_FINANCING = (Section.CF_INVESTING, Section.CF_FINANCING)
FLOW_SECTIONS = (Section.CF_OPERATING, *INVESTING_AND_FINANCING)


def derive(engine: _Engine, col, previous, result: Decimal) -> None:
    """Steps 1–5 for one column; `previous` is the column before it (None for the first)."""
    engine.set_all(Role.CF_RESULT, col, result)
    operating = result + engine.derived_sum(engine.items(Section.CF_OPERATING), col)
    engine.set_all(Role.CF_OPERATING_TOTAL, col, operating)
    flow = operating + engine.derived_sum(engine.items(INVESTING_AND_FINANCING), col)
    engine.set_all(Role.CF_TOTAL, col, flow)
    opening_cash = engine.opening(Role.CASH_OPENING, Role.CASH_CLOSING, col, previous)
    if opening_cash is not None:
        engine.set_all(Role.CASH_OPENING, col, opening_cash.value)
        engine.set_all(Role.CASH_CLOSING, col, opening_cash.value + flow)
        entered = engine.items((*INCOME_SECTIONS, *COST_SECTIONS, *FLOW_SECTIONS))
        engine.chain_slack[(Role.CASH_CLOSING, col.id)] = opening_cash.slack + engine.slack_sum(
            entered, col
        )


def check_result(engine: _Engine, col, result: Figure | None) -> None:
    """Step 1: the printed result in the cash flow is the income statement's."""
    engine.check(
        Role.CF_RESULT,
        col,
        result,
        _("The result in the cash flow budget is not the same as in the income statement budget."),
    )


def check_flow(engine: _Engine, col, previous, result: Figure | None) -> None:
    """Steps 2–5 on the printed figures: the subtotals, closing cash, and the opening cash
    against the previous column's closing cash."""
    if result is not None:
        operating = result + engine.local_sum(engine.items(Section.CF_OPERATING), col)
        engine.check(
            Role.CF_OPERATING_TOTAL,
            col,
            operating,
            _(
                "The cash flow from operating activities is not the result plus the "
                "adjustments and the changes in working capital."
            ),
        )
        op = engine.printed_or_derived(Role.CF_OPERATING_TOTAL, col)
        if op is not None:
            engine.check(
                Role.CF_TOTAL,
                col,
                op + engine.local_sum(engine.items(INVESTING_AND_FINANCING), col),
                _("The cash flow for the year does not match the subtotals."),
            )
    opening = engine.printed_or_derived(Role.CASH_OPENING, col)
    flow = engine.printed_or_derived(Role.CF_TOTAL, col)
    if opening is not None and flow is not None:
        engine.check(
            Role.CASH_CLOSING,
            col,
            opening + flow,
            _(
                "Cash and cash equivalents at end of year are not the opening cash and "
                "cash equivalents plus the cash flow for the year."
            ),
        )
    if previous is not None:
        engine.check(
            Role.CASH_OPENING,
            col,
            engine.printed_or_derived(Role.CASH_CLOSING, previous),
            _("Opening cash and cash equivalents are not the previous year's closing amount."),
        )


def check_cash_in_balance_sheet(engine: _Engine, col) -> None:
    """The balance sheet's cash and bank is the closing cash: the printed closing cash where it
    is printed, else the closing cash derived along the chain from the first year's opening
    figure — within the rounding of every printed figure the chain was computed from, so a
    derived closing cash far below a printed bank balance is flagged, agreement is not."""
    closing_key = engine.line_key(Role.CASH_CLOSING, col)
    if closing_key is not None and engine.printed.get(closing_key):
        engine.check(
            Role.CASH_ITEM,
            col,
            engine.printed_or_derived(Role.CASH_CLOSING, col),
            _(
                "Cash and bank in the balance sheet budget is not the closing cash and "
                "cash equivalents in the cash flow budget."
            ),
        )
        return
    if closing_key is None or closing_key not in engine.derived:
        return
    from finsam.economy.statements import Figure  # statements imports this module

    derived = Figure(
        engine.derived[closing_key], engine.chain_slack.get((Role.CASH_CLOSING, col.id), ZERO)
    )
    engine.check(
        Role.CASH_ITEM,
        col,
        derived,
        _(
            "Cash and bank in the balance sheet budget is not the closing cash derived from the "
            "opening cash and the year's cash flow."
        ),
    )
