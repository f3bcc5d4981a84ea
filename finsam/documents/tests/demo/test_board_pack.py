"""The board pack for each demo association's next board meeting: the agenda with § numbers and the
items' texts, the follow-up, the reports due and the applications are the apps' data; the
documents up for adoption follow as appendices."""

from __future__ import annotations

import pytest

from finsam.core.actors import SYSTEM
from finsam.demo.board_pack import next_board_meeting
from finsam.documents import blocks
from finsam.documents.blocks import KINDS, Appendix
from finsam.documents.kinds.board_pack import follow_up_year
from finsam.documents.tests.demo.test_annual import assert_well_formed
from finsam.economy.follow_up import build_follow_up, follow_up_table
from finsam.economy.selectors import budget_view
from finsam.funding.models import Application, InterventionReport
from finsam.funding.selectors import OPEN_REPORT_STATUSES
from finsam.organisation.models import Association

SLUGS = ["kramfors", "vastra-malardalen", "norra-vastmanland"]


@pytest.fixture
def seeded(_demo_loaded, db):
    return {a.slug: a for a in Association.objects.all()}


def build(association, meeting, appendices=()):
    return KINDS["board-pack"].build(
        association=association, year=meeting.date.year, meeting=meeting, appendices=appendices
    )


def test_the_kind_takes_appendices():
    assert KINDS["board-pack"].takes_appendices
    assert not KINDS["annual"].takes_appendices


@pytest.mark.parametrize("slug", SLUGS)
def test_agenda_with_paragraph_numbers_and_the_items_texts(seeded, slug):
    association = seeded[slug]
    meeting = next_board_meeting(association)
    document = build(association, meeting)
    assert_well_formed(document)
    items = list(meeting.agenda_items.order_by("sort_order", "pk"))
    agenda = document.table("agenda")
    assert [r.cells[:2] for r in agenda.rows] == [
        (f"§ {n}", item.title) for n, item in enumerate(items, start=1)
    ]
    texts = [b.text for b in document.blocks if isinstance(b, blocks.Paragraph)]
    headings = [b.text for b in document.blocks if isinstance(b, blocks.Heading)]
    for n, item in enumerate(items, start=1):
        assert f"§ {n} {item.title}" in headings
        if item.draft_decision:
            assert item.draft_decision in texts
        if item.proposal:
            assert item.proposal in texts
    annual = next(i for i in items if i.title.startswith("Årsredovisning"))
    assert annual.cycle_item is not None
    assert agenda.rows[items.index(annual)].cells[2] == annual.cycle_item.title


@pytest.mark.parametrize("slug", SLUGS)
def test_follow_up_is_the_economys(seeded, slug):
    association = seeded[slug]
    meeting = next_board_meeting(association)
    table = build(association, meeting).table("follow_up")
    budget, cutoff = follow_up_year(association, meeting.date)
    expected = follow_up_table(
        build_follow_up(association=association, view=budget_view(budget=budget), cutoff=cutoff)
    )
    assert [r.cells for r in table.rows] == [(r.label, *r.figures) for r in expected]
    assert cutoff.isoformat() in table.title


@pytest.mark.parametrize("slug", SLUGS)
def test_reports_due_by_the_meeting(seeded, slug):
    association = seeded[slug]
    meeting = next_board_meeting(association)
    document = build(association, meeting)
    due = InterventionReport.objects.filter(
        intervention__association=association,
        status__in=OPEN_REPORT_STATUSES,
        due_date__lte=meeting.date,
    )
    if due.exists():
        rows = document.table("reports_due").rows
        assert len(rows) == due.count()
        assert {r.cells[0] for r in rows} == {d.intervention.title for d in due}
    else:
        with pytest.raises(KeyError):
            document.table("reports_due")


def test_applications_to_decide_with_their_assessment(seeded):
    vm = seeded["vastra-malardalen"]
    meeting = next_board_meeting(vm)
    waiting = Application.objects.filter(
        association=vm,
        status__in=[Application.Status.SUBMITTED, Application.Status.ASSESSED],
        agenda_item__isnull=True,
    )
    assert waiting.exists(), "the demo's example application awaits a decision"
    rows = build(vm, meeting).table("applications").rows
    assert [r.cells[1] for r in rows] == list(
        waiting.order_by("submitted_at", "pk").values_list("title", flat=True)
    )
    assert all(r.cells[0] == "" for r in rows)
    assert all(r.cells[5] for r in rows)  # the recommendation's label


def test_an_application_on_the_agenda_gets_its_paragraph(seeded):
    from finsam.funding.services.assessments import _put_on_agenda

    vm = seeded["vastra-malardalen"]
    meeting = next_board_meeting(vm)
    application = Application.objects.filter(association=vm, agenda_item__isnull=True).first()
    # Assessed (the assessment itself is funding's to test), then put on the agenda.
    Application.objects.filter(pk=application.pk).update(status=Application.Status.ASSESSED)
    application.refresh_from_db()
    _put_on_agenda(application, meeting, by=SYSTEM)
    application.refresh_from_db()
    items = list(meeting.agenda_items.order_by("sort_order", "pk"))
    paragraph = items.index(application.agenda_item) + 1
    rows = build(vm, meeting).table("applications").rows
    assert rows[0].cells[:2] == (f"§ {paragraph}", application.title)


def test_the_documents_up_for_adoption_follow_as_appendices(seeded):
    kramfors = seeded["kramfors"]
    meeting = next_board_meeting(kramfors)
    annual = KINDS["annual"].build(association=kramfors, year=2020)
    document = build(kramfors, meeting, appendices=[Appendix("Årsredovisning 2020", annual)])
    assert isinstance(document.blocks[-1], Appendix)
    assert document.blocks[-1].document.table("income_statement") == annual.table(
        "income_statement"
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_goal_attainment_is_the_latest_years_goals(seeded, slug):
    from finsam.goals.models import Goal

    association = seeded[slug]
    meeting = next_board_meeting(association)
    goals = Goal.objects.filter(area__association=association, area__year__lte=meeting.date.year)
    year = max(goals.values_list("area__year", flat=True))
    table = build(association, meeting).table("goals")
    assert str(year) in table.title
    assert {r.cells[0] for r in table.rows if r.style == "normal"} == set(
        goals.filter(area__year=year).values_list("text", flat=True)
    )


def test_a_meeting_of_another_association_is_refused(seeded):
    meeting = next_board_meeting(seeded["kramfors"])
    with pytest.raises(ValueError):
        build(seeded["vastra-malardalen"], meeting)


def test_a_meeting_without_agenda_items_is_flagged(seeded):
    from finsam.organisation.services import meeting_create

    kramfors = seeded["kramfors"]
    meeting = meeting_create(association=kramfors, by=SYSTEM, kind="board", date=next_board_meeting(
        kramfors).date)  # fmt: skip
    document = build(kramfors, meeting)
    assert [f.code for f in document.flags] == ["agenda-empty"]
