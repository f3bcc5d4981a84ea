"""The annual report's figures as blocks: the three statements with the previous year beside,
the notes, the balance requirement, the driftredovisning per intervention and the participant
statistics. Each function reads, computes nothing the apps do not, and returns blocks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.money import ZERO
from finsam.documents import sources
from finsam.documents.blocks import Column, Flag, Paragraph, Row, Table
from finsam.economy.annual_accounts import AnnualAccounts, Line
from finsam.economy.models import Budget
from finsam.economy.selectors import budget_intervention_ledgers, counting_budget

STYLES = {"normal": "normal", "heading": "heading", "subtotal": "subtotal", "total": "total"}


def statement_table(key: str, title: str, accounts: AnnualAccounts, lines: list[Line]) -> Table:
    year = accounts.year
    columns = [Column(_("Item")), Column(_("Note no."), "number"), Column(str(year), "money")]
    if accounts.previous is not None:
        columns.append(Column(str(year - 1), "money"))
    rows = []
    for line in lines:
        cells: list = [line.label, line.note, line.current]
        if accounts.previous is not None:
            cells.append(line.previous)
        rows.append(Row(tuple(cells), STYLES[line.style]))
    return Table(
        key=key,
        title=title,
        columns=tuple(columns),
        rows=tuple(rows),
        note=_("Kronor. Income positive, costs negative. Source: the booked ledger (%(file)s).")
        % {"file": accounts.booked.source},
    )


NOTES = (
    (1, "income", ("income",), "result"),
    (2, "costs", ("costs",), "result"),
    (3, "financial", ("financial_income", "financial_costs"), "result"),
    (4, "receivables", ("inventory", "receivables", "investments"), "closing"),
    (5, "cash", ("cash",), "closing"),
    (7, "current_liabilities", ("short_term",), "closing"),
)


def note_tables(accounts: AnnualAccounts) -> list[Table]:
    titles = {
        1: _("Note 1 Operating income"),
        2: _("Note 2 Operating costs"),
        3: _("Note 3 Financial items"),
        4: _("Note 4 Current receivables"),
        5: _("Note 5 Cash and bank"),
        7: _("Note 7 Current liabilities"),
    }
    year, has_previous = accounts.year, accounts.booked_previous is not None
    tables = []
    for number, key, groups, of in NOTES:
        rows = accounts.note_accounts(groups, of=of)
        columns = [Column(_("Account")), Column(_("Name")), Column(str(year), "money")]
        if has_previous:
            columns.append(Column(str(year - 1), "money"))
        body = [Row((a, name, now, *((before,) if has_previous else ()))) for a, name, now, before
                in rows]  # fmt: skip
        total_now = sum((r[2] for r in rows), ZERO)
        total_before = sum((r[3] or ZERO for r in rows), ZERO)
        body.append(
            Row(
                (_("Total"), "", total_now, *((total_before,) if has_previous else ())),
                "total",
            )
        )
        tables.append(Table(f"note_{number}_{key}", titles[number], tuple(columns), tuple(body)))
    tables.insert(5, equity_note(accounts))
    return tables


def equity_note(accounts: AnnualAccounts) -> Table:
    year, prev = accounts.year, accounts.previous
    columns = [Column(_("Item")), Column(str(year), "money")]
    if prev is not None:
        columns.append(Column(str(year - 1), "money"))

    def row(label, get, style="normal"):
        cells = [label, get(accounts.current)]
        if prev is not None:
            cells.append(get(prev))
        return Row(tuple(cells), style)

    return Table(
        "note_6_equity",
        _("Note 6 Equity"),
        tuple(columns),
        (
            row(_("Equity at start of year"), lambda f: f.equity_opening),
            row(_("Result for the year"), lambda f: f.result),
            row(_("Other changes in equity"), lambda f: f.equity_other_changes),
            row(_("Equity at end of year"), lambda f: f.equity_closing, "total"),
        ),
    )


def balance_requirement_table(accounts: AnnualAccounts) -> Table:
    year, has_previous = accounts.year, accounts.previous is not None
    columns = [Column(_("Item")), Column(str(year), "money")]
    if has_previous:
        columns.append(Column(str(year - 1), "money"))
    rows = []
    for line in accounts.balance_requirement():
        cells = [line.label, line.current, *((line.previous,) if has_previous else ())]
        rows.append(Row(tuple(cells), STYLES[line.style]))
    return Table(
        "balance_requirement",
        _("Balance requirement (balanskravsutredning)"),
        tuple(columns),
        tuple(rows),
        note=_(
            "The result under the balance requirement (LKBR 11 kap.) excludes realisation gains."
        ),
    )


def budget_of_year(association, year: int) -> Budget | None:
    """The budget the board adopted for the year, else the following year's budget (whose
    column for the year is the year's budget, as a plan prints it)."""
    budgets = Budget.objects.filter(association=association)
    return (
        counting_budget(budgets, year=year).budget or counting_budget(budgets, year=year + 1).budget
    )


def operating_statement(association, year: int, interventions) -> tuple[Table | None, str]:
    """Driftredovisning: per intervention with lines in the year's budget, the budget, the
    outcome from the ledger and the variance (budget − outcome)."""
    budget = budget_of_year(association, year)
    if budget is None:
        return None, _("No budget for %(year)s: the operating statement cannot be drawn up.") % {
            "year": year
        }
    money = budget_intervention_ledgers(
        budget=budget, cutoff=dt.date(year, 12, 31), only=[i.pk for i in interventions]
    )
    titles = {i.pk: i.title for i in interventions}
    rows, totals = [], [ZERO, ZERO]
    for pk in sorted(money, key=lambda pk: titles[pk]):
        m = money[pk]
        if not (m["budget"] or m["actual"]):
            continue  # a line of another year: neither budgeted nor booked this year
        rows.append(Row((titles[pk], m["budget"], m["actual"], m["budget"] - m["actual"])))
        totals[0] += m["budget"]
        totals[1] += m["actual"]
    rows.append(Row((_("Total"), totals[0], totals[1], totals[0] - totals[1]), "total"))
    table = Table(
        "operating_statement",
        _("Operating statement per intervention %(year)s") % {"year": year},
        (
            Column(_("Intervention")),
            Column(_("Budget"), "money"),
            Column(_("Outcome"), "money"),
            Column(_("Variance"), "money"),
        ),
        tuple(rows),
        note=_(
            "Kronor. Budget from %(budget)s; outcome from the booked ledger. Variance = budget − "
            "outcome: a positive variance is money left."
        )
        % {"budget": budget.title},
    )
    return table, ""


def participant_table(association, year: int) -> tuple[Table | None, str]:
    """Participants during the year per intervention, as the statistics publish them
    (suppressed together: a small count shows as “<5” or “–”, never exactly)."""
    from finsam.participants.selectors import STATUS, statistics
    from finsam.participants.statistics.suppression import suppression_note

    published = statistics(
        user=sources.reader(association), association=association, year=year
    ).published
    table = published.get(STATUS)
    if table is None:
        return None, _("No participants were registered in %(year)s.") % {"year": year}
    rows = table.as_rows(corner=_("Intervention"))
    header, body = rows[0], rows[1:]
    return (
        Table(
            "participants",
            _("Participants during the year %(year)s") % {"year": year},
            (Column(str(header[0])), *(Column(str(h), "number") for h in header[1:])),
            tuple(
                Row(tuple(cells), "total" if i == len(body) - 1 else "normal")
                for i, cells in enumerate(body)
            ),
            note=suppression_note(table.threshold),
        ),
        "",
    )


def flags_from(accounts: AnnualAccounts) -> list[Flag]:
    return [Flag(p.code, p.message, "error") for p in accounts.problems]


def no_ledger(year: int) -> tuple[Paragraph, Flag]:
    message = _(
        "The ledger holds no booked year %(year)s: import the year's SIE file (with #IB, #UB and "
        "#RES) to draw up the statements."
    ) % {"year": year}
    return Paragraph(message), Flag(f"no-ledger-{year}", message, "error")


def equity_rules_table(association, year: int, equity: Decimal, contributions: Decimal | None):
    """The association's equity rules in force at year end, against the equity booked."""
    from finsam.economy.models import FinancialRule

    end = dt.date(year, 12, 31)
    rules = FinancialRule.objects.filter(
        association=association,
        kind__in=[FinancialRule.Kind.EQUITY_CEILING, FinancialRule.Kind.EQUITY_FLOOR],
        valid_from__lte=end,
    ).exclude(valid_to__lt=end)
    rows = []
    for rule in rules.order_by("kind", "-valid_from"):
        if rule.value is None:
            continue
        if rule.is_share:
            if contributions is None:
                continue
            limit = (contributions * rule.value / 100).quantize(Decimal("1"))
        else:
            limit = rule.value
        ceiling = rule.kind == FinancialRule.Kind.EQUITY_CEILING
        met = equity <= limit if ceiling else equity >= limit
        label = str(rule.get_kind_display())
        if rule.is_share:
            label += f" ({rule.value.normalize():f} % {rule.get_basis_display()})"
        rows.append(Row((label, limit, equity, _("Yes") if met else _("No"))))
    if not rows:
        return None
    return Table(
        "equity_rules",
        _("Equity against the association's rules"),
        (
            Column(_("Rule")),
            Column(_("Limit"), "money"),
            Column(_("Equity at end of year"), "money"),
            Column(_("Met")),
        ),
        tuple(rows),
    )
