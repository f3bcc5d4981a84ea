"""The three seed plans rendered from the demo reproduce their budget tables figure by figure:
as printed where the statements check finds them right, computed (and flagged) where not."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest

from finsam.demo.economy_data import BUDGETS
from finsam.documents.blocks import KINDS, Appendix
from finsam.documents.render import render
from finsam.documents.render.cells import format_cell
from finsam.economy.models import Statement

pytestmark = pytest.mark.django_db
STATEMENTS = {"result": "budget-result", "cashflow": "budget-cashflow", "balance": "budget-balance"}


def _rows(table) -> dict[str, tuple]:
    return {r.cells[0]: (r.cells[1:], r.style) for r in table.rows if r.style != "heading"}


@pytest.fixture
def plans(demo):
    return {
        slug: KINDS["plan"].build(association=demo[slug], year=spec["budget_year"])
        for slug, spec in BUDGETS.items()
    }


@pytest.mark.parametrize("slug", sorted(BUDGETS))
def test_every_entered_figure_of_the_seed_is_in_the_plan_as_printed(demo, plans, slug):
    """Each figure the demo holds for the seed is printed as is, except the cells the economy's
    statements check flags: those show the engine's figure, on a flagged row."""
    from finsam.documents.sources import counting_budget
    from finsam.economy.selectors import budget_view

    spec, document = BUDGETS[slug], plans[slug]
    view = budget_view(budget=counting_budget(demo[slug], spec["budget_year"]))
    flagged = {(d.statement, d.line_label, d.column_label) for d in view.discrepancies}
    lines = {(ln.statement, ln.label): ln for ln in view.lines}
    columns = {c.label: c for c in view.columns}
    labels = [label for _year, _basis, label in spec["columns"]]
    compared = 0
    for statement, _section, _role, label, values, _options in spec["lines"]:
        table = document.table(STATEMENTS[statement])
        assert [c.label for c in table.columns[1:]] == labels
        cells, style = _rows(table)[label]
        for column, value, cell in zip(labels, values, cells, strict=True):
            if (str(Statement(statement).label), label, column) in flagged:
                assert style == "flagged"
                assert cell == view.value(lines[(statement, label)], columns[column])
            elif value is not None:
                assert cell == value * spec["scale"], (statement, label, column)
                compared += 1
    assert compared > 50


def test_vastra_malardalen_printed_errors_are_flagged_not_copied(plans):
    document = plans["vastra-malardalen"]
    budget_flags = [f for f in document.flags if f.code.startswith("budget-")]
    assert len(budget_flags) == 3  # the economy's check: three cells of Bokslut 2019
    assert all("Bokslut 2019" in f.message and f.severity == "error" for f in budget_flags)
    cash = _rows(document.table("budget-cashflow"))
    assert cash["Årets resultat"] == (
        (Decimal("-102000"), Decimal(0), Decimal(0), Decimal(0), Decimal(0)),
        "flagged",
    )  # computed, not the printed 101,6
    # The result budget's line of the same name is right as printed: not marked.
    assert _rows(document.table("budget-result"))["Årets resultat"][1] == "total"
    # The cash-flow budget was printed with one decimal (kkr): so is the document's.
    assert document.table("budget-cashflow").columns[1].kind == "tkr1"
    assert document.table("budget-result").columns[1].kind == "tkr"


def test_norra_vastmanland_totals_are_computed_where_the_print_is_off_by_100(plans):
    document = plans["norra-vastmanland"]
    cells, style = _rows(document.table("budget-result"))["SUMMA KOSTNADER"]
    assert style == "flagged"
    assert Decimal("7638500") in cells  # computed from its lines (printed 7 638 400)
    assert len([f for f in document.flags if f.code.startswith("budget-")]) == 3


def test_kramfors_plan_has_the_seed_structure_and_no_budget_flag(plans):
    document = plans["kramfors"]
    chapters = [b.text for b in document.blocks if type(b).__name__ == "Heading" and b.level == 1]
    for wanted in (
        "Inledning",
        "Syfte och vision",
        "Medlemmar och medlemsbidrag",
        "Mål 2021",
        "Insatser 2021",
        "Aktiviteter",
        "Mötesplan och årshjul",
        "Risker och intern kontroll",
        "Budget 2021",
    ):
        assert wanted in chapters, chapters
    assert not [f for f in document.flags if f.code.startswith("budget-")]
    interventions = document.table("interventions")
    assert interventions.rows[-1].style == "total"
    assert interventions.rows[-1].cells[-1] == sum(r.cells[-1] for r in interventions.rows[:-1])


def test_the_pdf_prints_the_seed_figures_swedish_style(plans, tmp_path):
    document = plans["vastra-malardalen"]
    path = tmp_path / "vp.pdf"
    path.write_bytes(render(document, "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    table = document.table("budget-result")
    row = next(r for r in table.rows if r.cells[0] == "Summa kostnader insats")
    printed = [format_cell(v, "tkr") for v in row.cells[1:]]
    assert printed == ["1\u00a0896", "2\u00a0137", "1\u00a0966", "1\u00a0986", "1\u00a0976"]
    line = next(ln for ln in text.splitlines() if "Summa kostnader insats" in ln)
    assert " ".join(line.replace("\u00a0", " ").split()).endswith("1 896 2 137 1 966 1 986 1 976")
    assert "Innehåll" in text and "Sida 2 av" in text
    assert "Samordningsförbundet Västra Mälardalen" in text


# --- the interim report ----------------------------------------------------------------------


def test_kramfors_interim_money_per_intervention_is_the_ledgers(demo):
    import datetime as dt

    from finsam.documents.sources import reader
    from finsam.economy import selectors as economy_selectors
    from finsam.funding.models import Intervention

    association = demo["kramfors"]
    cut_off = dt.date(2021, 6, 30)
    document = KINDS["interim"].build(association=association, year=2021, cut_off=cut_off)
    summary = {r.cells[0]: r.cells[1:] for r in document.table("interventions").rows}
    checked = 0
    for intervention in Intervention.objects.filter(association=association):
        if intervention.title not in summary:
            continue
        ledger = economy_selectors.intervention_ledger(
            user=reader(association),
            association=association,
            intervention=intervention,
            cutoff=cut_off,
        )
        if ledger is not None:
            assert summary[intervention.title][1] == ledger["actual"]
            checked += 1
    assert checked >= 2
    follow_up = document.table("follow-up")
    result = next(r for r in follow_up.rows if r.style == "total")
    budget = economy_selectors.budget_counting(
        user=reader(association), association=association, year=2021
    ).budget
    report = economy_selectors.follow_up(
        user=reader(association), association=association, budget=budget, cutoff=cut_off
    )
    assert result.cells[1:] == (
        report.result_budget,
        report.result_actual,
        report.result("accrued"),
        report.result_forecast,
        report.result_variance,
    )


def test_interim_has_one_page_per_intervention_with_the_status_report(demo):
    from finsam.documents.blocks import Heading, KeyFigures, PageBreak

    document = KINDS["interim"].build(association=demo["kramfors"], year=2021)
    titles = [r.cells[0] for r in document.table("interventions").rows if r.style != "total"]
    for title in titles:
        at = document.blocks.index(Heading(title, 2))
        assert isinstance(document.blocks[at - 1], PageBreak)
        assert isinstance(document.blocks[at + 1], KeyFigures)
    keys = document.free_text_keys()
    assert {"events", "assessment", "analysis"} <= set(keys)
    assert any(
        type(b).__name__ == "Paragraph" and b.text.startswith("Ur lägesrapporten")
        for b in document.blocks
    )


# --- every registered kind, for every demo association -----------------------------------------

YEARS = {slug: spec["budget_year"] for slug, spec in BUDGETS.items()}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("slug", sorted(BUDGETS))
def test_every_kind_renders_for_every_demo_association(demo, kind, slug, tmp_path):
    """Built through the stored document (as the pages and the command do), rendered in all
    three formats, and read back: every table's first figure is in the PDF's text."""
    from finsam.core.actors import SYSTEM
    from finsam.documents import services
    from finsam.documents.assemble import assemble
    from finsam.organisation.models import Meeting

    association = demo[slug]
    meeting = None
    if KINDS[kind].takes_appendices or kind == "board-pack":
        meeting = (
            Meeting.objects.filter(association=association, kind=Meeting.Kind.BOARD)
            .order_by("date")
            .first()
        )
    if KINDS[kind].takes_appendices:
        # The plan up for adoption at the meeting: the pack attaches it as an appendix.
        plan = services.document_get_or_create(
            association=association, kind="plan", year=YEARS[slug], by=SYSTEM
        )
        services.document_set_adoption_meeting(document=plan, meeting=meeting, by=SYSTEM)
    stored = services.document_get_or_create(
        association=association, kind=kind, year=YEARS[slug], meeting=meeting, by=SYSTEM
    )
    document = assemble(stored)
    if KINDS[kind].takes_appendices:
        assert any(isinstance(b, Appendix) for b in document.blocks)
    pdf = render(document, "pdf")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\u00a0", " ")
    assert document.title in text and association.name in text
    for table in document.tables():
        figures = [
            (value, column.kind)
            for row in table.rows
            for value, column in zip(row.cells, table.columns, strict=False)
            if isinstance(value, Decimal | int) and column.kind != "text"
        ]
        if figures:
            value, column_kind = figures[0]
            assert format_cell(value, column_kind).replace("\u00a0", " ") in text, (
                table.key,
                value,
            )
    assert render(document, "docx")[:2] == b"PK"
    assert render(document, "xlsx")[:2] == b"PK"
