"""The annual report for each demo association's booked year: its tables' figures are the ledger's
and the apps' data, every block is one of blocks.py's types, and the signature page lists the
board as it sits at adoption."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from finsam.demo.booked_years import BOOKED_YEARS
from finsam.documents import blocks
from finsam.documents.blocks import KINDS, Signatures
from finsam.economy.annual_accounts import annual_accounts
from finsam.economy.models import LedgerBalance
from finsam.organisation.models import Association, BoardSeat, Contribution

BLOCK_TYPES = (
    blocks.Heading,
    blocks.Paragraph,
    blocks.FreeText,
    blocks.Table,
    blocks.KeyFigures,
    blocks.Chart,
    blocks.PageBreak,
    blocks.Signatures,
    blocks.Appendix,
)


@pytest.fixture
def seeded(_demo_loaded, db):
    return {a.slug: a for a in Association.objects.all()}


def build(association, year):
    return KINDS["annual"].build(association=association, year=year)


def rows_by_label(table) -> dict:
    return {row.cells[0]: row.cells for row in table.rows}


def assert_well_formed(document):
    keys = [t.key for t in document.tables()]
    assert len(keys) == len(set(keys)), "table keys are unique"
    for block in document.blocks:
        assert isinstance(block, BLOCK_TYPES)
        if isinstance(block, blocks.Table):
            for row in block.rows:
                assert len(row.cells) == len(block.columns)
                for cell in row.cells:
                    assert cell is None or isinstance(cell, int | D | dt.date | str)
    for flag in document.flags:
        assert isinstance(flag, blocks.Flag)


@pytest.mark.parametrize("slug", list(BOOKED_YEARS))
def test_the_statements_are_the_ledgers(seeded, slug):
    association, year = seeded[slug], BOOKED_YEARS[slug].year
    document = build(association, year)
    assert_well_formed(document)
    assert document.title == f"Årsredovisning {year}"
    assert document.flags == [] or all(f.severity != "error" for f in document.flags)
    closing = dict(
        LedgerBalance.objects.filter(
            association=association,
            kind="closing",
            year_start=dt.date(year, 1, 1),
            ledger_import__fiscal_year_start=dt.date(year, 1, 1),
        ).values_list("account", "amount")
    )
    results = LedgerBalance.objects.filter(
        association=association,
        kind="result",
        year_start=dt.date(year, 1, 1),
        ledger_import__fiscal_year_start=dt.date(year, 1, 1),
    ).values_list("account", "amount")
    income = -sum(a for acc, a in results if acc.startswith("3"))
    result = -sum(a for _acc, a in results)
    rr = rows_by_label(document.table("income_statement"))
    assert rr["Verksamhetens intäkter"][2] == income
    assert rr["Årets resultat"][2] == result
    br = rows_by_label(document.table("balance_sheet"))
    assert br["Kassa och bank"][2] == closing["1930"]
    assert br["Summa tillgångar"][2] == br["Summa eget kapital, avsättningar och skulder"][2]
    assert br["Eget kapital"][2] == -closing["2010"] + result
    cf = rows_by_label(document.table("cash_flow"))
    assert cf["Likvida medel vid årets slut"][2] == closing["1930"]
    assert (
        cf["Likvida medel vid årets början"][2] + cf["Årets kassaflöde"][2]
        == cf["Likvida medel vid årets slut"][2]
    )
    previous = annual_accounts(association=association, year=year).previous
    assert rr["Årets resultat"][3] == previous.result
    balance = rows_by_label(document.table("balance_requirement"))
    assert balance["Balanskravsresultat"][1] == result
    note = document.table("note_1_income")
    assert note.rows[-1].cells[2] == income


@pytest.mark.parametrize("slug", list(BOOKED_YEARS))
def test_operating_statement_and_members_are_the_datas(seeded, slug):
    association, year = seeded[slug], BOOKED_YEARS[slug].year
    document = build(association, year)
    table = document.table("operating_statement")
    body, total = table.rows[:-1], table.rows[-1]
    assert body, "the interventions with budget lines are listed"
    for row in body:
        _title, budget, outcome, variance = row.cells
        assert variance == budget - outcome
    assert total.cells[1] == sum(r.cells[1] for r in body)
    assert total.cells[2] == sum(r.cells[2] for r in body)
    members = document.table("members")
    amounts = Contribution.objects.filter(
        contribution_year__association=association, contribution_year__year=year
    )
    assert members.rows[-1].cells[2] == sum(c.amount for c in amounts)
    assert {r.cells[0] for r in members.rows[:-1]} == {c.member.name for c in amounts}


def test_kramfors_signatures_are_the_board_sitting_at_adoption(seeded):
    kramfors = seeded["kramfors"]
    document = build(kramfors, 2020)
    signatures = next(b for b in document.blocks if isinstance(b, Signatures))
    # The seed's meeting of 26 March 2021 has the annual report on its agenda.
    assert "2021-03-26" in signatures.text
    sitting = BoardSeat.objects.filter(
        association=kramfors, kind=BoardSeat.Kind.REGULAR, mandate_end__gte=dt.date(2021, 3, 26)
    ).exclude(holder_name="")
    assert {name for name, _role in signatures.people} == {s.holder_name for s in sitting}
    assert signatures.people[0] == ("Thomas Näsholm", "Ordförande, Kramfors kommun")
    goals_or_text = [b for b in document.blocks if isinstance(b, blocks.Paragraph)]
    assert any("Inga mål" in p.text for p in goals_or_text)


def test_a_seat_whose_mandate_ended_does_not_sign(seeded):
    kramfors = seeded["kramfors"]
    seat = BoardSeat.objects.get(association=kramfors, holder_name="Siw Sachs")
    BoardSeat.objects.filter(pk=seat.pk).update(mandate_end=dt.date(2021, 3, 1))
    document = build(kramfors, 2020)
    signatures = next(b for b in document.blocks if isinstance(b, Signatures))
    assert "Siw Sachs" not in {name for name, _role in signatures.people}


def test_the_auditors_are_the_people_with_the_auditor_role(seeded):
    from finsam.organisation.models import Membership, Role

    kramfors = seeded["kramfors"]
    table = build(kramfors, 2020).table("auditors")
    expected = {
        m.user.get_full_name()
        for m in Membership.objects.filter(association=kramfors, role=Role.AUDITOR)
    }
    assert {r.cells[0] for r in table.rows} == expected
    assert "Rolf Revisor" in expected


def test_vacant_boards_are_flagged_not_invented(seeded):
    vm = seeded["vastra-malardalen"]
    document = build(vm, BOOKED_YEARS["vastra-malardalen"].year)
    signatures = next(b for b in document.blocks if isinstance(b, Signatures))
    assert signatures.people == ()
    assert any(f.code.startswith("no-board-") for f in document.flags)


def test_goal_attainment_lists_the_years_goals(seeded):
    nv = seeded["norra-vastmanland"]
    document = build(nv, 2022)
    goals = document.table("goals")
    from finsam.goals.models import Goal

    texts = {r.cells[0] for r in goals.rows if r.style == "normal"}
    assert texts == set(
        Goal.objects.filter(area__association=nv, area__year=2022).values_list("text", flat=True)
    )


def test_participant_statistics_are_the_published_ones(seeded):
    """The year the demo's participants are in: the table is the statistics' published table,
    where no count between 1 and 4 shows."""
    from finsam.participants.statistics.register import (
        STATUS,
        default_statistics_year,
        register_interventions,
        register_tables,
    )

    nv = seeded["norra-vastmanland"]
    year = default_statistics_year(association=nv)
    table = build(nv, year).table("participants")
    published = register_tables(
        association=nv, interventions=register_interventions(association=nv), year=year
    ).published[STATUS]
    assert [list(r.cells) for r in table.rows] == published.as_rows()[1:]
    for row in table.rows:
        for cell in row.cells[1:]:
            assert not (isinstance(cell, int) and 0 < cell < 5)


def test_a_year_without_participants_says_so(seeded):
    document = build(seeded["kramfors"], 2015)
    assert any(
        isinstance(b, blocks.Paragraph) and b.text == "Inga deltagare registrerades 2015."
        for b in document.blocks
    )


def test_an_unbalanced_ledger_shows_as_a_flag(seeded):
    kramfors = seeded["kramfors"]
    balance = LedgerBalance.objects.get(
        association=kramfors,
        kind="closing",
        account="1930",
        year_start=dt.date(2020, 1, 1),
        ledger_import__fiscal_year_start=dt.date(2020, 1, 1),
    )
    LedgerBalance.objects.filter(pk=balance.pk).update(amount=balance.amount - 100)
    codes = {f.code for f in build(kramfors, 2020).flags}
    assert {"balance-sheet-2020", "cash-flow-2020"} <= codes


def test_a_year_without_a_ledger_is_flagged(seeded):
    document = build(seeded["kramfors"], 2015)
    assert_well_formed(document)
    assert [f.code for f in document.flags if f.severity == "error"] == ["no-ledger-2015"]


def test_a_deficit_under_the_balance_requirement_is_a_warning(seeded):
    nv = build(seeded["norra-vastmanland"], 2022)
    assert nv.table("balance_requirement").rows[-1].cells[1] < 0
    assert "balance-requirement-2022" in {f.code for f in nv.flags if f.severity == "warning"}
    kramfors = build(seeded["kramfors"], 2020)
    assert not any(f.code.startswith("balance-requirement") for f in kramfors.flags)
