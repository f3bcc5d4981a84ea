"""The home page's money at a glance: the year's counting budget, what is granted and paid, the
actual to date and the forecast, as a small chart with its table.

Nothing is computed here: the figures come from economy's `year_overview` (which budget counts,
the follow-up, the financial rules) and funding's `money_of_year`; this module only lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from finsam.core.charts import bar_chart_svg
from finsam.core.money import UNIT_DIVISORS
from finsam.economy import selectors as economy
from finsam.funding.selectors import money_of_year


@dataclass
class MoneyRow:
    label: str
    amount: Decimal | None
    note: str = ""
    # The chart's label (short enough never to be cut) and whether the row is drawn at all: the
    # results are in the table only, beside the amounts that are never negative.
    short: str = ""
    charted: bool = True


@dataclass
class MoneyPanel:
    year: int
    budget: object | None
    only_drafts: bool = False
    has_actuals: bool = False
    cutoff: dt.date | None = None
    rows: list[MoneyRow] = field(default_factory=list)
    chart: str = ""
    warnings: list[str] = field(default_factory=list)
    discrepancies: int = 0
    column_note: str = ""
    equity_position: str | None = None
    other_years: list[int] = field(default_factory=list)


def _tkr(amount: Decimal | None) -> Decimal | None:
    if amount is None:
        return None
    return (amount / UNIT_DIVISORS["tkr"]).quantize(Decimal(1), ROUND_HALF_UP)


def money_panel(*, user, association, year: int, today: dt.date) -> MoneyPanel:
    cutoff = today if year == today.year else dt.date(year, 12, 31)
    overview = economy.year_overview(user=user, association=association, year=year, cutoff=cutoff)
    years = economy.budgets(user=user, association=association).values_list(
        "budget_year", flat=True
    )
    panel = MoneyPanel(
        year=year,
        budget=overview.choice.budget,
        only_drafts=overview.choice.only_drafts,
        cutoff=cutoff,
        other_years=sorted({y for y in years if y != year}, reverse=True)[:6],
    )
    if overview.report is None:
        return panel
    report, ind = overview.report, overview.indicators
    funds = money_of_year(user=user, association=association, year=year)
    panel.has_actuals = report.has_actuals
    panel.column_note = report.column_note
    panel.discrepancies = overview.discrepancies
    panel.warnings = list(ind.warnings) if ind is not None else []
    panel.equity_position = overview.equity_position
    panel.rows = [
        MoneyRow(
            _("Member contributions (budget)"),
            ind.contributions if ind else None,
            short=pgettext("budget indicator", "Member contributions"),
        ),
        MoneyRow(
            _("Granted to interventions"), funds["granted"], short=pgettext("amount", "Granted")
        ),
        MoneyRow(
            pgettext("amount", "Paid to interventions"),
            funds["paid"],
            short=pgettext("amount", "Paid"),
        ),
        MoneyRow(
            _("Costs booked to date"),
            report.total(report.costs, "actual") if report.has_actuals else None,
            "" if report.has_actuals else _("no accounts imported"),
            short=_("Booked costs"),
        ),
        MoneyRow(_("Result for the year, budget"), report.result_budget, charted=False),
        MoneyRow(_("Result for the year, forecast"), report.result_forecast, charted=False),
        MoneyRow(
            _("Equity at end of year, forecast"),
            report.equity_forecast,
            short=_("Equity, forecast"),
        ),
    ]
    if ind is not None and ind.floor is not None:
        panel.rows.append(
            MoneyRow(_("Equity floor (financial rules)"), ind.floor, short=_("Equity floor"))
        )
    if ind is not None and ind.ceiling is not None:
        panel.rows.append(
            MoneyRow(_("Equity ceiling (financial rules)"), ind.ceiling, short=_("Equity ceiling"))
        )
    charted = [row for row in panel.rows if row.charted]
    panel.chart = mark_safe(  # noqa: S308 - core.charts escapes every text
        bar_chart_svg(
            categories=[str(row.short) for row in charted],
            series=[(_("Amount"), [_tkr(row.amount) for row in charted])],
            title=_("Money %(year)s at a glance (tkr)") % {"year": year},
            chart_id="money-chart",
            unit="tkr",
        )
    )
    return panel
