"""One fully booked year per demo association, so that an annual report renders.

Generated from the association's seed budget, as a real SIE 4E file: the year's vouchers follow
the budget column of the year line by line (contributions as decided, costs a little above or
below, unallocated money partly used), and the file carries the year before as #RAR -1 with its
#IB, #UB and #RES (from the budget's column for that year where the seed has one). The balances
are consistent: an opening balance that balances, #UB = #IB + the vouchers, the result moved into
equity between the years, and the equity the seed prints at the year it names (Kramfors: the
#IB of the demo's half-year file for 2021).

Accounts follow Kommun-Bas as the seeds print them. Each income and operating-cost line has an
account of its own mapped to it (an existing mapping wins); each intervention line is booked on
4530 with a project object linked to the line, as the Kramfors half-year file does.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from finsam.demo.ledger import ACCOUNTS as KRAMFORS_ACCOUNTS
from finsam.economy import sie
from finsam.economy.models import (
    ENTERED_ROLES,
    AccountMapping,
    BudgetLine,
    LedgerObject,
    Section,
)

BANK, RECEIVABLES, PAYABLES, EQUITY = "1930", "1510", "2440", "2010"
INTERVENTIONS_ACCOUNT = "4530"


@dataclass(frozen=True)
class BookedYearSpec:
    year: int
    column: str  # the budget column of the booked year
    previous_column: str | None  # the budget column of the year before (else `column` again)
    equity_at: tuple[int, D]  # equity (with that year's result) at the end of a year
    receivables: tuple[D, D, D]  # at the end of year-2, year-1 and year
    payables: tuple[D, D, D]
    company: str = ""
    factors: tuple[D, ...] = (D("1"), D("0.96"), D("1.03"), D("0.92"), D("0.99"), D("1.01"))
    unallocated_used: D = D("0.4")  # the share of unallocated money used in the year


BOOKED_YEARS = {
    # The board adopted the annual report for 2020 on 26 March 2021 (the seed's meeting plan).
    "kramfors": BookedYearSpec(
        year=2020,
        column="Budget 2020",
        previous_column=None,
        equity_at=(2020, D("548077")),
        # The plan prints 548 077 kr as the equity both at the start of 2020 (its balance
        # budget's IB EK) and at its end (a result of 0), and the 2021 file opens there: the
        # year is booked as budgeted, line by line, so the plan and the books agree.
        factors=(D("1"),),
        unallocated_used=D("1"),
        receivables=(D("9800"), D("12400"), D("0")),
        payables=(D("41200"), D("38600"), D("0")),
    ),
    # Equity at the end of 2019 as the plan's Bokslut 2019 prints it (418 tkr).
    "vastra-malardalen": BookedYearSpec(
        year=2021,
        column="Budget 2021",
        previous_column="Budget 2020",
        equity_at=(2019, D("418000")),
        receivables=(D("164000"), D("45000"), D("52000")),
        payables=(D("416000"), D("120000"), D("135000")),
    ),
    # Equity at the end of 2021 as the plan's forecast prints it.
    "norra-vastmanland": BookedYearSpec(
        year=2022,
        column="Budget 2022",
        previous_column="Prognos 2021 (sept)",
        equity_at=(2021, D("1165400")),
        receivables=(D("60000"), D("75000"), D("70000")),
        payables=(D("310000"), D("290000"), D("335000")),
    ),
}


@dataclass
class _Posting:
    label: str
    section: str
    account: str
    account_name: str
    object_number: str = ""
    amounts: dict[int, D] = field(default_factory=dict)  # year -> debit-positive amount


def _cp437(text: str) -> str:
    """SIE files are CP437: a dash or a quote mark outside it becomes its plain form."""
    plain = text.replace("–", "-").replace("—", "-").replace("’", "'")
    return plain.encode("cp437", "replace").decode("cp437")


def _kr(value: D) -> D:
    return value.quantize(D("1"), rounding=ROUND_HALF_UP)


def _postings(association, budget, spec: BookedYearSpec) -> list[_Posting]:
    from finsam.economy.selectors import budget_view

    view = budget_view(budget=budget)
    columns = {c.label: c for c in view.columns}
    current = columns[spec.column]
    previous = columns.get(spec.previous_column or spec.column)
    mapped = {
        m.line_label: m.account_from for m in AccountMapping.objects.filter(association=association)
    }
    objects = {
        o.line_label: o.number
        for o in LedgerObject.objects.filter(association=association, dimension=1)
        if o.line_label
    }
    sections = (
        Section.INCOME,
        Section.EXTERNAL_INCOME,
        Section.OPERATING_COST,
        Section.INTERVENTION_COST,
        Section.FINANCIAL,
    )
    postings: dict[str, _Posting] = {}
    next_account = {"income": 3610, "cost": 6110, "financial": 8510, "object": 200}
    for index, line in enumerate(view.lines):
        if line.statement != "result" or line.role not in ENTERED_ROLES:
            continue
        if line.section not in sections or line.label in postings:
            continue
        posting = _posting_for(line, mapped, objects, next_account)
        for year, column, shift in ((spec.year, current, 0), (spec.year - 1, previous, 3)):
            value = view.value(line, column) if column is not None else None
            if not value:
                continue
            posting.amounts[year] = _booked(line, value, spec, index + shift)
        if posting.amounts:
            postings[line.label] = posting
    return list(postings.values())


def _posting_for(line: BudgetLine, mapped, objects, next_account) -> _Posting:
    label, section = line.label, line.section
    name = _cp437(label[:60])
    if section == Section.INTERVENTION_COST:
        number = objects.get(label)
        if number is None:
            number = str(next_account["object"])
            next_account["object"] += 1
        return _Posting(label, section, INTERVENTIONS_ACCOUNT, "Bidrag till insatser", number)
    if label in mapped:
        return _Posting(label, section, mapped[label], name)
    account = line.account.strip()
    if account.isdigit() and len(account) == 4 and account not in mapped.values():
        return _Posting(label, section, account, name)
    kind = {
        Section.INCOME: "income",
        Section.EXTERNAL_INCOME: "income",
        Section.FINANCIAL: "financial",
    }.get(section, "cost")
    account = str(next_account[kind])
    next_account[kind] += 10 if kind != "financial" else 1
    return _Posting(label, section, account, name)


def _booked(line: BudgetLine, value: D, spec: BookedYearSpec, index: int) -> D:
    """The year's booked amount, debit positive: income as budgeted (credit), costs a little
    off the budget, unallocated money partly used."""
    if line.section in (Section.INCOME, Section.EXTERNAL_INCOME):
        return -_kr(value)
    factors = spec.factors
    factor = (
        spec.unallocated_used if line.cost_kind == "unallocated" else factors[index % len(factors)]
    )
    return _kr(value * factor)


def _vouchers(spec: BookedYearSpec, postings: list[_Posting]) -> list[sie.Voucher]:
    year, vouchers = spec.year, []

    def add(date: dt.date, text: str, rows: list[tuple[str, str, D]]) -> None:
        bank = -sum((amount for _, _, amount in rows), D(0))
        transactions = tuple(
            sie.Transaction(account, ((1, obj),) if obj else (), amount)
            for account, obj, amount in [*rows, (BANK, "", bank)]
            if amount
        )
        vouchers.append(
            sie.Voucher("A", str(len(vouchers) + 1), date, text, transactions=transactions)
        )

    for posting in postings:
        total = posting.amounts.get(year)
        if not total:
            continue
        income = posting.section in (Section.INCOME, Section.EXTERNAL_INCOME)
        months = (1, 4, 7, 10) if income else tuple(range(1, 13))
        part = _kr(total / len(months))
        for i, month in enumerate(months):
            amount = part if i < len(months) - 1 else total - part * (len(months) - 1)
            day = dt.date(year, month, 15 if income else 25)
            add(day, _cp437(posting.label[:80]), [(posting.account, posting.object_number, amount)])
    end = dt.date(year, 12, 31)
    r0, r1 = spec.receivables[1], spec.receivables[2]
    p0, p1 = spec.payables[1], spec.payables[2]
    add(end, "Kortfristiga fordringar vid årets slut", [(RECEIVABLES, "", r1 - r0)])
    add(end, "Leverantörsskulder vid årets slut", [(PAYABLES, "", -(p1 - p0))])
    return vouchers


def booked_year_sie(association, budget, spec: BookedYearSpec) -> tuple[bytes, list[_Posting]]:
    """The SIE file of the booked year, and the postings (for mapping the accounts)."""
    postings = _postings(association, budget, spec)
    year = spec.year
    results = {y: {} for y in (year, year - 1)}
    for p in postings:
        for y, amount in p.amounts.items():
            results[y][p.account] = results[y].get(p.account, D(0)) + amount
    result = {y: -sum(r.values(), D(0)) for y, r in results.items()}  # income minus costs
    anchor_year, anchor = spec.equity_at
    equity = {anchor_year: anchor}  # at the end of each year, with its result
    for y in (year - 2, year - 1, year):
        if y > anchor_year:
            equity[y] = equity[y - 1] + result.get(y, D(0))
    for y in (year, year - 1):
        if y <= anchor_year:
            equity[y - 1] = equity[y] - result[y]
    ends = {year - 2: 0, year - 1: 1, year: 2}

    def balance(y: int, *, closing_excluding_result: bool) -> dict[str, D]:
        r, p = spec.receivables[ends[y]], spec.payables[ends[y]]
        own = equity[y] - (result[y] if closing_excluding_result else D(0))
        return {BANK: equity[y] + p - r, RECEIVABLES: r, PAYABLES: -p, EQUITY: -own}

    closing = balance(year, closing_excluding_result=True)
    opening = balance(year - 1, closing_excluding_result=False)
    previous_closing = balance(year - 1, closing_excluding_result=True)
    previous_opening = balance(year - 2, closing_excluding_result=False)
    accounts = {
        BANK: "Bank",
        RECEIVABLES: "Kortfristiga fordringar",
        PAYABLES: "Leverantörsskulder",
        EQUITY: "Eget kapital",
    }
    # The demo's half-year file for Kramfors names these accounts; a new file renames them.
    known = dict(KRAMFORS_ACCOUNTS) if association.slug == "kramfors" else {}
    accounts |= {p.account: known.get(p.account, p.account_name) for p in postings}
    buffer = io.BytesIO()
    sie.write_sie(
        buffer,
        company=_cp437(association.name),
        fiscal_years=[
            sie.FiscalYear(0, dt.date(year, 1, 1), dt.date(year, 12, 31)),
            sie.FiscalYear(-1, dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)),
        ],
        accounts=[sie.Account(number, name) for number, name in sorted(accounts.items())],
        dimensions=[sie.Dimension(1, "Projekt")],
        objects=[
            sie.Object(1, p.object_number, _cp437(p.label[:60]))
            for p in postings
            if p.object_number
        ],
        opening_balances=[
            *(sie.OpeningBalance(0, a, v) for a, v in opening.items()),
            *(sie.OpeningBalance(-1, a, v) for a, v in previous_opening.items()),
        ],
        closing_balances=[
            *(sie.ClosingBalance(0, a, v) for a, v in closing.items()),
            *(sie.ClosingBalance(-1, a, v) for a, v in previous_closing.items()),
        ],
        results=[
            *(sie.Result(0, a, v) for a, v in sorted(results[year].items())),
            *(sie.Result(-1, a, v) for a, v in sorted(results[year - 1].items())),
        ],
        vouchers=_vouchers(spec, postings),
        program="Finsam demo",
        generated=dt.date(year + 1, 2, 15),
    )
    return buffer.getvalue(), postings


def load_booked_year_demo(association) -> bool:
    """Import the association's booked year and map its accounts and objects to the budget
    lines, unless the year is already in the ledger (idempotent)."""
    from finsam.core.actors import SYSTEM
    from finsam.economy import ledger, services
    from finsam.economy.selectors import counting_budget

    spec = BOOKED_YEARS.get(association.slug)
    if spec is None:
        return False
    if association.ledger_imports.filter(fiscal_year_start=dt.date(spec.year, 1, 1)).exists():
        return False
    budget = (
        next(
            (
                b
                for b in association.budgets.order_by("-budget_year", "-version")
                if b.columns.filter(label=spec.column).exists()
            ),
            None,
        )
        or counting_budget(association.budgets.all(), year=spec.year).budget
    )
    if budget is None:
        return False
    data, postings = booked_year_sie(association, budget, spec)
    ledger.sie_import(
        association=association,
        fp=io.BytesIO(data),
        file_name=f"{association.slug}-{spec.year}-bokslut.se",
        by=SYSTEM,
    )
    mappings = list(AccountMapping.objects.filter(association=association))
    for p in postings:
        if p.object_number or any(m.covers(p.account) for m in mappings):
            continue
        mappings.append(
            services.account_mapping_create(
                association=association,
                account_from=p.account,
                account_to=p.account,
                line_label=p.label,
                by=SYSTEM,
            )
        )
    lines = {p.object_number: p.label for p in postings if p.object_number}
    for obj in LedgerObject.objects.filter(association=association, dimension=1, line_label=""):
        if obj.number in lines:
            services.ledger_object_set_line(obj=obj, line_label=lines[obj.number], by=SYSTEM)
    return True
