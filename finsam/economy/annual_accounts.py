"""Booked-year statements from the imported SIE ledger: resultaträkning, balansräkning and
kassaflödesanalys, with the previous year beside, as a samordningsförbund presents them
(LKBR 2018:597 and the national council's template). docs/annual-report.md documents the
mapping of account ranges to lines.

Where the figures come from, for a year Y (calendar year):
- the complete import whose fiscal year is Y: its #IB, #UB and #RES for year 0; a file without
  #UB / #RES (an import during the year) has them derived from its vouchers (#IB plus the
  transactions; the transactions of the result accounts);
- else the year's #IB / #UB / #RES as an import of a later year carries them (#RAR -1).

Signs: the ledger books debit positive and credit negative. The statements show income,
assets, equity and liabilities positive, costs negative (the municipal convention of the
resultaträkning), and money in positive in the cash flow.

Three checks; each failing one is a `Problem` the document shows as a flag:
the balance sheet balances, the result equals the change in equity, and the cash flow
reconciles to the change in liquid funds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from finsam.core.money import ZERO, format_sek
from finsam.economy.models import LedgerAccount, LedgerBalance, LedgerImport, LedgerMonthSum

# Account ranges by their first two digits (BAS and Kommun-Bas agree on these classes).
GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "income": (("30", "39"),),
    "costs": (("40", "77"), ("79", "79")),
    "depreciation": (("78", "78"),),
    "financial_income": (("80", "83"),),
    "financial_costs": (("84", "89"),),
    "intangible": (("10", "10"),),
    "tangible": (("11", "12"),),
    "financial_assets": (("13", "13"),),
    "inventory": (("14", "14"),),
    "receivables": (("15", "17"),),
    "investments": (("18", "18"),),
    "cash": (("19", "19"),),
    "equity": (("20", "20"),),
    "provisions": (("21", "22"),),
    "long_term": (("23", "23"),),
    "short_term": (("24", "29"),),
}
RESULT_GROUPS = ("income", "costs", "depreciation", "financial_income", "financial_costs")
ASSET_GROUPS = (
    "intangible",
    "tangible",
    "financial_assets",
    "inventory",
    "receivables",
    "investments",
    "cash",
)
CLAIM_GROUPS = ("equity", "provisions", "long_term", "short_term")
# Realisation gains (BAS 3970–3979, "vinst vid avyttring av anläggningstillgångar") are taken
# out of the result in the balance requirement (balanskravsutredning, LKBR 11 kap.).
REALISATION_GAIN_PREFIXES = ("397",)


def group_of(account: str) -> str | None:
    """The statement group of an account number, or None for an account outside the ranges."""
    head = account[:2]
    if len(head) < 2 or not head.isdigit():
        return None
    for group, ranges in GROUPS.items():
        if any(low <= head <= high for low, high in ranges):
            return group
    return None


@dataclass(frozen=True)
class Problem:
    """A failed check, in Swedish for the office; `code` is stable for one finding."""

    code: str
    message: str


@dataclass
class BookedYear:
    """One year's balances per account, debit positive."""

    year: int
    opening: dict[str, Decimal]
    closing: dict[str, Decimal]
    result: dict[str, Decimal]
    source: str  # the file name the figures come from
    problems: list[Problem] = field(default_factory=list)

    def total(self, which: str, groups: Iterable[str]) -> Decimal:
        wanted = set(groups)
        amounts = getattr(self, which)
        return sum((a for acc, a in amounts.items() if group_of(acc) in wanted), ZERO)


def _balances(imp: LedgerImport, year_start: dt.date) -> dict[str, dict[str, Decimal]]:
    found: dict[str, dict[str, Decimal]] = {"opening": {}, "closing": {}, "result": {}}
    rows = (
        LedgerBalance.objects.filter(ledger_import=imp, year_start=year_start)
        .exclude(kind=LedgerBalance.Kind.PERIOD)
        .values_list("kind", "account", "amount")
    )
    for kind, account, amount in rows:
        found[kind][account] = found[kind].get(account, ZERO) + amount
    return found


def _movements(imp: LedgerImport, year: int) -> dict[str, Decimal]:
    rows = (
        LedgerMonthSum.objects.filter(ledger_import=imp, month__year=year)
        .values("account")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["account"]: r["total"] for r in rows if r["total"]}


def booked_year(*, association, year: int) -> BookedYear | None:
    """The year's balances from the ledger (see the module's docstring), or None."""
    start = dt.date(year, 1, 1)
    imports = LedgerImport.objects.filter(association=association, complete=True)
    own = imports.filter(fiscal_year_start=start).order_by("-imported_at").first()
    if own is not None:
        found = _balances(own, start)
        moved = _movements(own, year)
        problems = []
        result = found["result"]
        if not result:
            result = {a: m for a, m in moved.items() if group_of(a) in RESULT_GROUPS}
        elif moved:
            booked = {a: m for a, m in moved.items() if group_of(a) in RESULT_GROUPS}
            differing = sorted(
                a for a in set(result) | set(booked) if result.get(a, ZERO) != booked.get(a, ZERO)
            )
            if differing:
                problems.append(
                    Problem(
                        f"res-vouchers-{year}",
                        _(
                            "The result balances (#RES) of %(year)s differ from the sum of the "
                            "vouchers on the accounts %(accounts)s."
                        )
                        % {"year": year, "accounts": ", ".join(differing[:10])},
                    )
                )
        closing = found["closing"]
        if not closing:
            closing = dict(found["opening"])
            for account, amount in moved.items():
                if group_of(account) not in RESULT_GROUPS:
                    closing[account] = closing.get(account, ZERO) + amount
        return BookedYear(year, found["opening"], closing, result, own.file_name, problems)
    later = (
        imports.filter(balances__year_start=start, fiscal_year_start__gt=start)
        .order_by("fiscal_year_start", "-imported_at")
        .distinct()
        .first()
    )
    if later is None:
        return None
    found = _balances(later, start)
    if not found["closing"] and not found["result"]:
        return None
    return BookedYear(year, found["opening"], found["closing"], found["result"], later.file_name)


@dataclass(frozen=True)
class YearFigures:
    """The statements' figures for one year, shown signs (see the module's docstring)."""

    year: int
    groups_result: dict[str, Decimal]  # income positive, costs negative
    groups_closing: dict[str, Decimal]  # assets, equity and liabilities positive
    groups_opening: dict[str, Decimal]
    result: Decimal
    equity_opening: Decimal
    equity_closing: Decimal
    result_in_closing: bool  # the #UB of the equity accounts already holds the year's result
    unmapped: tuple[str, ...]
    has_opening: bool

    def r(self, group: str) -> Decimal:
        return self.groups_result.get(group, ZERO)

    def b(self, group: str) -> Decimal:
        return self.groups_closing.get(group, ZERO)

    def change(self, group: str) -> Decimal:
        """Closing minus opening, in shown sign."""
        return self.groups_closing.get(group, ZERO) - self.groups_opening.get(group, ZERO)

    @property
    def net_costs(self) -> Decimal:
        return self.r("income") + self.r("costs") + self.r("depreciation")

    @property
    def financial_net(self) -> Decimal:
        return self.r("financial_income") + self.r("financial_costs")

    @property
    def total_assets(self) -> Decimal:
        return sum((self.b(g) for g in ASSET_GROUPS), ZERO)

    @property
    def total_claims(self) -> Decimal:
        return (
            self.equity_closing + self.b("provisions") + self.b("long_term") + self.b("short_term")
        )

    # --- the cash flow (indirect method) ------------------------------------------------------

    @property
    def depreciation_added_back(self) -> Decimal:
        return -self.r("depreciation")

    @property
    def working_capital_receivables(self) -> Decimal:
        """Increase (−) / decrease (+) of stock, receivables and short-term investments."""
        return -(self.change("inventory") + self.change("receivables") + self.change("investments"))

    @property
    def cf_operating(self) -> Decimal:
        return (
            self.result
            + self.depreciation_added_back
            + self.change("provisions")
            + self.working_capital_receivables
            + self.change("short_term")
        )

    @property
    def cf_investing(self) -> Decimal:
        fixed = ("intangible", "tangible", "financial_assets")
        return -(sum((self.change(g) for g in fixed), ZERO) + self.depreciation_added_back)

    @property
    def equity_other_changes(self) -> Decimal:
        return self.equity_closing - self.equity_opening - self.result

    @property
    def cf_financing(self) -> Decimal:
        return self.change("long_term") + self.equity_other_changes

    @property
    def cash_flow(self) -> Decimal:
        return self.cf_operating + self.cf_investing + self.cf_financing

    @property
    def cash_opening(self) -> Decimal:
        return self.groups_opening.get("cash", ZERO)

    def checks(self) -> list[Problem]:
        """The three consistency checks, as problems (none when everything agrees)."""
        y, problems = self.year, []
        if self.total_assets != self.total_claims:
            problems.append(
                Problem(
                    f"balance-sheet-{y}",
                    _(
                        "The balance sheet for %(year)s does not balance: total assets "
                        "%(assets)s, total equity and liabilities %(claims)s."
                    )
                    % {
                        "year": y,
                        "assets": format_sek(self.total_assets),
                        "claims": format_sek(self.total_claims),
                    },
                )
            )
        if self.has_opening and self.equity_other_changes != ZERO:
            problems.append(
                Problem(
                    f"result-equity-{y}",
                    _(
                        "The result for %(year)s (%(result)s) is not the change in equity "
                        "(%(change)s)."
                    )
                    % {
                        "year": y,
                        "result": format_sek(self.result),
                        "change": format_sek(self.equity_closing - self.equity_opening),
                    },
                )
            )
        if self.has_opening and self.cash_flow != self.change("cash"):
            problems.append(
                Problem(
                    f"cash-flow-{y}",
                    _(
                        "The cash flow for %(year)s (%(flow)s) does not reconcile to the change "
                        "in cash and bank (%(change)s)."
                    )
                    % {
                        "year": y,
                        "flow": format_sek(self.cash_flow),
                        "change": format_sek(self.change("cash")),
                    },
                )
            )
        if self.unmapped:
            problems.append(
                Problem(
                    f"unmapped-{y}",
                    _(
                        "Accounts outside the statements' ranges in %(year)s, left out: "
                        "%(accounts)s."
                    )
                    % {"year": y, "accounts": ", ".join(self.unmapped[:10])},
                )
            )
        return problems


def _by_group(amounts: dict[str, Decimal], sign: Decimal) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for account, amount in amounts.items():
        group = group_of(account)
        if group is not None:
            out[group] = out.get(group, ZERO) + sign * amount
    return out


def year_figures(booked: BookedYear) -> YearFigures:
    """The statements' figures of a booked year (pure: no database)."""
    minus = Decimal(-1)
    result_groups = _by_group(booked.result, minus)
    result = sum((result_groups.get(g, ZERO) for g in RESULT_GROUPS), ZERO)

    def balance_groups(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
        groups = _by_group(amounts, Decimal(1))
        return {g: (v if g in ASSET_GROUPS else -v) for g, v in groups.items()}

    closing = balance_groups(booked.closing)
    opening = balance_groups(booked.opening)
    balance_sum = sum(
        (a for acc, a in booked.closing.items() if group_of(acc) in (*ASSET_GROUPS, *CLAIM_GROUPS)),
        ZERO,
    )
    # Standard SIE leaves the year's result out of the closing balances (the sum of #UB is
    # the result); some systems book it into equity first (the sum of #UB is zero).
    result_in_closing = balance_sum == ZERO and result != ZERO
    equity_closing = closing.get("equity", ZERO) + (ZERO if result_in_closing else result)
    unmapped = tuple(
        sorted(
            a
            for a in {*booked.result, *booked.closing, *booked.opening}
            if group_of(a) is None
            and (booked.result.get(a) or booked.closing.get(a) or booked.opening.get(a))
        )
    )
    return YearFigures(
        year=booked.year,
        groups_result=result_groups,
        groups_closing={**closing, "equity": equity_closing},
        groups_opening=opening,
        result=result,
        equity_opening=opening.get("equity", ZERO),
        equity_closing=equity_closing,
        result_in_closing=result_in_closing,
        unmapped=unmapped,
        has_opening=bool(booked.opening),
    )


def realisation_gains(booked: BookedYear) -> Decimal:
    return -sum(
        (a for acc, a in booked.result.items() if acc.startswith(REALISATION_GAIN_PREFIXES)),
        ZERO,
    )


# --- the statements as lines -----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    current: Decimal | None
    previous: Decimal | None
    style: str = "normal"  # normal | heading | subtotal | total
    note: int | None = None


@dataclass
class AnnualAccounts:
    year: int
    current: YearFigures
    previous: YearFigures | None
    booked: BookedYear
    booked_previous: BookedYear | None
    problems: list[Problem]
    names: dict[str, str]  # account number -> name, for the notes

    def _pair(self, get) -> tuple[Decimal, Decimal | None]:
        return get(self.current), (get(self.previous) if self.previous else None)

    def _line(self, label, get, style="normal", note=None) -> Line:
        current, previous = self._pair(get)
        return Line(label, current, previous, style, note)

    def income_statement(self) -> list[Line]:
        line = self._line
        return [
            line(_("Operating income"), lambda f: f.r("income"), note=1),
            line(_("Operating costs"), lambda f: f.r("costs"), note=2),
            line(_("Depreciation"), lambda f: f.r("depreciation")),
            line(_("Net operating costs"), lambda f: f.net_costs, "subtotal"),
            line(_("Financial income"), lambda f: f.r("financial_income"), note=3),
            line(_("Financial costs"), lambda f: f.r("financial_costs"), note=3),
            line(
                _("Result after financial items"),
                lambda f: f.net_costs + f.financial_net,
                "subtotal",
            ),  # fmt: skip
            line(_("Result for the year"), lambda f: f.result, "total"),
        ]

    def balance_sheet(self) -> list[Line]:
        line = self._line
        heading = lambda label: Line(label, None, None, "heading")  # noqa: E731
        return [
            heading(_("Assets")),
            heading(_("Fixed assets")),
            line(_("Intangible fixed assets"), lambda f: f.b("intangible")),
            line(_("Tangible fixed assets"), lambda f: f.b("tangible")),
            line(_("Financial fixed assets"), lambda f: f.b("financial_assets")),
            heading(_("Current assets")),
            line(_("Inventories"), lambda f: f.b("inventory")),
            line(_("Current receivables"), lambda f: f.b("receivables"), note=4),
            line(_("Short-term investments"), lambda f: f.b("investments")),
            line(_("Cash and bank"), lambda f: f.b("cash"), note=5),
            line(_("Total assets"), lambda f: f.total_assets, "total"),
            heading(_("Equity, provisions and liabilities")),
            line(_("Equity"), lambda f: f.equity_closing, "subtotal", note=6),
            line(_("of which result for the year"), lambda f: f.result),
            line(_("Provisions"), lambda f: f.b("provisions")),
            heading(_("Liabilities")),
            line(_("Long-term liabilities"), lambda f: f.b("long_term")),
            line(_("Current liabilities"), lambda f: f.b("short_term"), note=7),
            line(
                _("Total equity, provisions and liabilities"), lambda f: f.total_claims, "total"
            ),  # fmt: skip
        ]

    def cash_flow_statement(self) -> list[Line]:
        line = self._line
        heading = lambda label: Line(label, None, None, "heading")  # noqa: E731
        return [
            heading(_("Operating activities")),
            line(_("Result for the year"), lambda f: f.result),
            line(_("Adjustment for depreciation"), lambda f: f.depreciation_added_back),
            line(_("Adjustment for provisions made"), lambda f: f.change("provisions")),
            line(
                _("Increase (−) / decrease (+) of current receivables"),
                lambda f: f.working_capital_receivables,
            ),  # fmt: skip
            line(
                _("Increase (+) / decrease (−) of current liabilities"),
                lambda f: f.change("short_term"),
            ),  # fmt: skip
            line(_("Cash flow from operating activities"), lambda f: f.cf_operating, "subtotal"),
            heading(_("Investing activities")),
            line(_("Investments in fixed assets"), lambda f: f.cf_investing),
            line(_("Cash flow from investing activities"), lambda f: f.cf_investing, "subtotal"),
            heading(_("Financing activities")),
            line(_("Change in long-term liabilities"), lambda f: f.change("long_term")),
            line(_("Other changes in equity"), lambda f: f.equity_other_changes),
            line(_("Cash flow from financing activities"), lambda f: f.cf_financing, "subtotal"),
            line(_("Cash flow for the year"), lambda f: f.cash_flow, "total"),
            line(_("Cash and cash equivalents at start of year"), lambda f: f.cash_opening),
            line(_("Cash and cash equivalents at end of year"), lambda f: f.b("cash"), "total"),
        ]

    def balance_requirement(self) -> list[Line]:
        """Balanskravsutredning: the result, minus realisation gains, is the balance
        requirement's result."""
        gains = realisation_gains(self.booked)
        previous_gains = realisation_gains(self.booked_previous) if self.booked_previous else None
        prev = self.previous
        return [
            Line(_("Result for the year"), self.current.result, prev.result if prev else None),
            Line(
                _("Less realisation gains"),
                -gains,
                -previous_gains if previous_gains is not None else None,
            ),
            Line(
                _("Result under the balance requirement"),
                self.current.result - gains,
                (prev.result - previous_gains) if prev and previous_gains is not None else None,
                "total",
            ),
        ]

    def note_accounts(self, groups: tuple[str, ...], *, of: str) -> list[tuple[str, str, Decimal,
                                                                              Decimal | None]]:  # fmt: skip
        """(account, name, this year, previous year) for a note, in shown sign. `of`: result,
        closing."""
        sign = Decimal(-1) if of == "result" else None

        def shown(booked: BookedYear | None) -> dict[str, Decimal]:
            if booked is None:
                return {}
            amounts = getattr(booked, of)
            out = {}
            for account, amount in amounts.items():
                group = group_of(account)
                if group in groups:
                    s = sign if sign is not None else (1 if group in ASSET_GROUPS else -1)
                    out[account] = s * amount
            return out

        now, before = shown(self.booked), shown(self.booked_previous)
        accounts = sorted(a for a in {*now, *before} if now.get(a) or before.get(a))
        return [
            (
                a,
                self.names.get(a, ""),
                now.get(a, ZERO),
                before.get(a, ZERO) if self.booked_previous else None,
            )
            for a in accounts
        ]


def annual_accounts(*, association, year: int) -> AnnualAccounts | None:
    """The booked year's statements with the previous year beside, and the checks' problems.
    None when the ledger holds nothing for the year. The caller has decided that the reader may
    see the association's accounts."""
    booked = booked_year(association=association, year=year)
    if booked is None:
        return None
    previous_booked = booked_year(association=association, year=year - 1)
    current = year_figures(booked)
    previous = year_figures(previous_booked) if previous_booked else None
    problems = [*booked.problems, *current.checks()]
    if previous is not None:
        problems += [*previous_booked.problems, *previous.checks()]
    names = dict(
        LedgerAccount.objects.filter(association=association).values_list("number", "name")
    )
    return AnnualAccounts(
        year=year,
        current=current,
        previous=previous,
        booked=booked,
        booked_previous=previous_booked,
        problems=problems,
        names=names,
    )
