"""Årsredovisning: the annual report as LKBR (2018:597) and the national council's template for
samordningsförbund lay it out. Förvaltningsberättelse (operations, organisation, board and
auditors, goal attainment, economic overview, good financial management and the balance
requirement, events after year end), resultaträkning, balansräkning and kassaflödesanalys from the
booked year with the previous year beside, notes, driftredovisning per intervention, participant
statistics (suppressed) and a signature page for every sitting board member at adoption.

Figures come from the apps (finsam.economy.annual_accounts for the statements and their checks,
whose failures are the document's flags); the prose is the office's (FreeText).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from finsam.documents.blocks import (
    Column,
    Document,
    Flag,
    FreeText,
    Heading,
    KeyFigures,
    Kind,
    PageBreak,
    Paragraph,
    Row,
    Signatures,
    Table,
    register,
)
from finsam.documents.kinds import annual_statements as st
from finsam.documents.kinds.annual_reader import seat_role, sitting_board
from finsam.documents.kinds.annual_sections import (
    auditors_table,
    board_table,
    goal_table,
    members_table,
)
from finsam.economy.annual_accounts import annual_accounts

SLUG = "annual"


def adoption_date(association, year: int, meeting=None) -> dt.date:
    """The day the board adopts the report: the meeting's, else the first board meeting of the
    next year with the annual report on its agenda, else 31 March (three months after year
    end, LKBR)."""
    if meeting is not None:
        return meeting.date
    from finsam.organisation.models import AgendaItem, AnnualCycleItem, Meeting

    items = (
        AgendaItem.objects.filter(
            meeting__association=association,
            meeting__kind=Meeting.Kind.BOARD,
            meeting__date__year=year + 1,
        )
        .select_related("meeting", "cycle_item")
        .order_by("meeting__date", "sort_order", "pk")
    )
    # Case-insensitive in Python: SQLite's LIKE folds ASCII letters only ("Å").
    item = next(
        (
            i
            for i in items
            if i.cycle_item and i.cycle_item.kind == AnnualCycleItem.Kind.ANNUAL_REPORT
        ),
        None,
    ) or next((i for i in items if "årsredovisning" in i.title.lower()), None)
    return item.meeting.date if item else dt.date(year + 1, 3, 31)


def build(*, association, year: int, cut_off=None, meeting=None) -> Document:
    document = Document(
        kind=SLUG,
        title=_("Annual report %(year)s") % {"year": year},
        subtitle=_("Financial year %(start)s – %(end)s")
        % {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        association_name=association.name,
    )
    accounts = annual_accounts(association=association, year=year)
    blocks = document.blocks
    blocks += _management_report(association, year, accounts, document)
    blocks.append(Heading(_("Financial statements")))
    if accounts is None:
        paragraph, flag = st.no_ledger(year)
        blocks.append(paragraph)
        document.flags.append(flag)
    else:
        document.flags += st.flags_from(accounts)
        blocks += [
            Heading(_("Income statement"), 2),
            st.statement_table(
                "income_statement", _("Income statement"), accounts, accounts.income_statement()
            ),
            Heading(_("Balance sheet"), 2),
            st.statement_table(
                "balance_sheet", _("Balance sheet"), accounts, accounts.balance_sheet()
            ),
            Heading(_("Cash flow statement"), 2),
            st.statement_table(
                "cash_flow", _("Cash flow statement"), accounts, accounts.cash_flow_statement()
            ),
            Heading(pgettext("annual report", "Notes")),
            Paragraph(
                _(
                    "Accounting principles: the annual report is drawn up under the law on "
                    "municipal accounting and reporting (LKBR 2018:597) and the recommendations "
                    "of the Council for Municipal Accounting as they apply to a coordination "
                    "association. Amounts in kronor."
                )
            ),
            FreeText("principles", _("Accounting principles, additions")),
            *st.note_tables(accounts),
        ]
    blocks.append(Heading(_("Operating statement")))
    blocks += _operating_statement(association, year)
    blocks.append(Heading(_("Participants")))
    table, missing = st.participant_table(association, year)
    blocks.append(table if table is not None else Paragraph(missing))
    blocks += _signatures(association, year, meeting, document)
    return document


def _management_report(association, year, accounts, document) -> list:
    blocks: list = [
        Heading(_("Management report")),
        Heading(_("Operations"), 2),
    ]
    if association.vision:
        blocks.append(Paragraph(association.vision))
    blocks += [
        FreeText("events", _("Events of the year"), _("What happened during the year.")),
        FreeText("chair", _("The chair's words")),
        Heading(_("Organisation"), 2),
    ]
    if association.description:
        blocks.append(Paragraph(association.description))
    members = members_table(association, year)
    blocks.append(members if members else Paragraph(_("No contributions entered for the year.")))
    blocks.append(Heading(_("Board and auditors"), 2))
    board = board_table(association, year)
    blocks.append(board if board else Paragraph(_("No board members entered for the year.")))
    blocks.append(FreeText("auditors", _("Auditors"), _("The members' auditors for the year.")))
    auditors = auditors_table(association)
    if auditors is not None:
        blocks.append(auditors)
    blocks.append(Heading(_("Goal attainment"), 2))
    from finsam.goals.models import Period

    goals = goal_table(association, year, period=Period.YEAR, today=dt.date(year + 1, 1, 1))
    blocks.append(goals if goals else Paragraph(_("No goals entered for the year.")))
    blocks.append(FreeText("goals_analysis", _("Analysis of goal attainment")))
    blocks.append(Heading(_("Economic overview"), 2))
    if accounts is not None:
        blocks += _economic_overview(association, year, accounts)
    blocks.append(FreeText("analysis", _("Economic analysis")))
    blocks.append(Heading(_("Good financial management and the balance requirement"), 2))
    if accounts is not None:
        blocks.append(st.balance_requirement_table(accounts))
        if accounts.balance_requirement()[-1].current < 0:
            document.flags.append(
                Flag(
                    f"balance-requirement-{year}",
                    _(
                        "The result under the balance requirement is negative: the management "
                        "report must say how and when the deficit is to be restored, or the "
                        "board's reasons for not doing so."
                    ),
                    "warning",
                )
            )
    blocks.append(FreeText("financial_management", _("Good financial management")))
    blocks.append(Heading(_("Events after the end of the year"), 2))
    blocks.append(FreeText("after_year_end", _("Events after the end of the year")))
    return blocks


def _economic_overview(association, year, accounts) -> list:
    from finsam.organisation.models import ContributionYear

    f, p = accounts.current, accounts.previous
    contributions = (
        ContributionYear.objects.filter(association=association, year=year)
        .values_list("total", flat=True)
        .first()
    )
    blocks: list = [
        KeyFigures(
            (
                (_("Operating income"), f.r("income"), "money"),
                (_("Result for the year"), f.result, "money"),
                (_("Equity at end of year"), f.equity_closing, "money"),
                (_("Cash and bank"), f.b("cash"), "money"),
            )
        )
    ]
    rows = []
    for label, get in (
        (_("Operating income"), lambda x: x.r("income")),
        (_("Operating costs"), lambda x: x.r("costs") + x.r("depreciation")),
        (_("Financial items"), lambda x: x.financial_net),
        (_("Result for the year"), lambda x: x.result),
        (_("Equity at end of year"), lambda x: x.equity_closing),
        (_("Cash and bank"), lambda x: x.b("cash")),
    ):
        rows.append(Row((label, get(f), *((get(p),) if p else ()))))
    columns = [Column(_("Item")), Column(str(year), "money")]
    if p:
        columns.append(Column(str(year - 1), "money"))
    blocks.append(Table("economic_overview", _("Economic overview"), tuple(columns), tuple(rows)))
    rules = st.equity_rules_table(association, year, f.equity_closing, contributions)
    if rules is not None:
        blocks.append(rules)
    return blocks


def _operating_statement(association, year) -> list:
    from finsam.funding.models import Intervention

    interventions = list(Intervention.objects.filter(association=association))
    table, missing = st.operating_statement(association, year, interventions)
    return [table if table is not None else Paragraph(missing),
            FreeText("operating_comments", _("Comments on the variances"))]  # fmt: skip


def _signatures(association, year, meeting, document) -> list:
    day = adoption_date(association, year, meeting)
    seats = sitting_board(association, day)
    if not seats:
        document.flags.append(
            Flag(
                f"no-board-{day.isoformat()}",
                _(
                    "No board member sits on %(day)s according to the board's seats and mandate "
                    "periods: enter the board before the report is signed."
                )
                % {"day": day.isoformat()},
            )
        )
    return [
        PageBreak(),
        Heading(_("Signatures")),
        Signatures(
            people=tuple((s.holder_name, seat_role(s)) for s in seats),
            text=_("The board's signatures of the annual report %(year)s, adopted on %(day)s.")
            % {"year": year, "day": day.isoformat()},
        ),
    ]


register(
    Kind(slug=SLUG, name=pgettext_lazy("statutory annual accounts", "Annual report"), build=build)
)
