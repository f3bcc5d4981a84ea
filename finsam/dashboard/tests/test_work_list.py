"""The work list's counts per role: what waits for the person, counted honestly (a cut list says
how many more), never another association's items, and mandates that a successor takes over are
not running out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.dashboard.work_list import LIMIT
from finsam.funding import services
from finsam.funding.models import InterventionReport, ReportKind, Requisition
from finsam.funding.tests.factories import (
    assessed,
    board_meeting,
    criteria_for,
    draft,
    intervention,
    member_org_user,
    submitted,
)
from finsam.organisation.models import BoardSeat, Contribution, ContributionYear, Role
from finsam.organisation.tests.factories import BoardSeatFactory, user_with_role

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


# --- applications -------------------------------------------------------------------------------


def test_advisory_sees_applications_waiting_for_their_assessment_and_not_those_scored(
    client, home, association, other_association
):
    criteria = criteria_for(association)
    waiting = submitted(association, fields={"title": "Väntar på bedömning"})
    scored = submitted(association, fields={"title": "Redan bedömd av mig"})
    draft(association, fields={"title": "Ett utkast syns inte"})
    submitted(other_association, fields={"title": "Annat förbunds ansökan"})
    advisory = user_with_role(association, Role.ADVISORY)
    services.assessment_set(
        application=scored, scores={c.pk: (3, "") for c in criteria}, by=advisory
    )
    client.force_login(advisory)

    response, groups = home(association)

    assert set(groups) == {"assess"}
    assert groups["assess"].total == 1
    body = response.content.decode()
    assert "1 ansökan väntar på din bedömning" in body
    assert "Väntar på bedömning" in body
    assert f"/ansokningar/{waiting.pk}/bedomning/" in body
    assert "Redan bedömd av mig" not in body
    assert "Ett utkast syns inte" not in body
    assert "Annat förbunds ansökan" not in body


def test_a_cut_list_says_how_many_more_with_a_link_to_the_full_list(client, home, association):
    for n in range(LIMIT + 2):
        submitted(association, fields={"title": f"Ansökan nummer {n}"})
    client.force_login(user_with_role(association, Role.ADVISORY))

    response, groups = home(association)

    group = groups["assess"]
    assert (group.total, len(group.items), group.more) == (LIMIT + 2, LIMIT, 2)
    body = response.content.decode()
    assert f"{LIMIT + 2} ansökningar väntar på din bedömning" in body
    assert "och 2 till" in body
    assert f"/f/{association.slug}/ansokningar/?status=submitted" in body
    assert body.count("Ansökan nummer") == LIMIT


def test_office_sees_assessed_applications_to_put_on_the_agenda(client, home, association):
    office = user_with_role(association, Role.OFFICE)
    assessed(association, office=office, fields={"title": "Bedömd och klar"})
    client.force_login(office)

    response, groups = home(association)

    assert groups["agenda"].total == 1
    assert "1 bedömd ansökan att sätta upp på styrelsens dagordning" in response.content.decode()


def test_board_sees_decisions_to_record_for_applications_on_the_agenda(
    client, home, association, other_association
):
    office = user_with_role(association, Role.OFFICE)
    meeting = board_meeting(association, date=days(-3))
    for title in ("På dagordningen", "Också på dagordningen"):
        application = assessed(association, office=office, fields={"title": title})
        services.application_put_on_agenda(application=application, meeting=meeting, by=office)
    assessed(association, office=office, fields={"title": "Inte på dagordningen"})
    foreign_office = user_with_role(other_association, Role.OFFICE)
    foreign = assessed(other_association, office=foreign_office, fields={"title": "Främmande"})
    services.application_put_on_agenda(
        application=foreign, meeting=board_meeting(other_association), by=foreign_office
    )
    client.force_login(user_with_role(association, Role.BOARD))

    response, groups = home(association)

    assert set(groups) == {"decide"}
    assert groups["decide"].total == 2
    body = response.content.decode()
    assert "2 beslut att föra in" in body
    assert "Inte på dagordningen" not in body
    assert "Främmande" not in body
    assert all(item.late for item in groups["decide"].items)  # the meeting has been held


def test_member_organisation_sees_its_own_drafts_only(client, home, association):
    user = member_org_user(association)
    draft(association, by=user, fields={"title": "Mitt utkast"})
    other = association.members.get(name="Arboga kommun")
    draft(association, fields={"title": "Någon annans utkast"}, applicants=[other])
    client.force_login(user)

    response, groups = home(association)

    assert groups["drafts"].total == 1
    body = response.content.decode()
    assert "1 ansökningsutkast att göra klart och skicka in" in body
    assert "Mitt utkast" in body
    assert "Någon annans utkast" not in body


# --- payments -----------------------------------------------------------------------------------


def _requisitions(association, staff):
    samkraft = intervention(association, fields={"period_end": dt.date(2030, 12, 31)})
    services.intervention_staff_set(intervention=samkraft, users=[staff], by=SYSTEM)
    grant = samkraft.grants.get()
    return samkraft, [
        services.requisition_request(
            grant=grant, amount=Decimal(amount), date=dt.date(2021, 3, 1), by=staff
        )
        for amount in ("10000", "20000", "30000")
    ]


def test_economist_sees_requisitions_to_approve_and_payments_to_pay(
    client, home, association, other_association
):
    staff = user_with_role(association, Role.STAFF)
    _samkraft, (first, second, _third) = _requisitions(association, staff)
    economist = user_with_role(association, Role.ECONOMIST)
    services.requisition_transition(requisition=first, to=Requisition.Status.APPROVED, by=economist)
    _requisitions(other_association, user_with_role(other_association, Role.STAFF))
    client.force_login(economist)

    response, groups = home(association)

    assert groups["approve"].total == 2
    assert groups["pay"].total == 1
    body = response.content.decode()
    assert "2 rekvisitioner att godkänna" in body
    assert "1 godkänd utbetalning att betala ut" in body
    assert "20\xa0000\xa0kr" in body


def test_nobody_is_asked_to_approve_a_payment_they_requested_themselves(client, home, association):
    office = user_with_role(association, Role.OFFICE)
    samkraft = intervention(association)
    services.requisition_request(
        grant=samkraft.grants.get(), amount=Decimal(5000), date=dt.date(2021, 3, 1), by=office
    )
    client.force_login(office)
    _response, groups = home(association)
    assert "approve" not in groups

    client.force_login(user_with_role(association, Role.ECONOMIST))
    _response, groups = home(association)
    assert groups["approve"].total == 1


# --- status reports -------------------------------------------------------------------------------


def _report(samkraft, kind, due, status=InterventionReport.Status.DUE):
    return InterventionReport.objects.create(
        intervention=samkraft, kind=kind, period_end=due, due_date=due, status=status
    )


def test_staff_write_their_own_reports_and_the_office_reviews(
    client, home, association, other_association
):
    staff = user_with_role(association, Role.STAFF)
    mine = intervention(association, fields={"title": "Min insats"})
    services.intervention_staff_set(intervention=mine, users=[staff], by=SYSTEM)
    InterventionReport.objects.filter(intervention=mine).delete()
    _report(mine, ReportKind.INTERIM, days(-10))  # overdue
    _report(mine, ReportKind.ANNUAL, days(10))  # due soon
    _report(mine, ReportKind.ORAL, days(5))
    _report(mine, ReportKind.ANNUAL, days(200))  # beyond the reminders' horizon
    submitted_report = InterventionReport.objects.create(
        intervention=mine,
        kind=ReportKind.INTERIM,
        period_end=days(-100),
        due_date=days(-90),
        status=InterventionReport.Status.SUBMITTED,
    )
    not_mine = intervention(association, fields={"title": "Någon annans insats"})
    InterventionReport.objects.filter(intervention=not_mine).delete()
    _report(not_mine, ReportKind.INTERIM, days(-10))
    foreign = intervention(other_association, fields={"title": "Främmande insats"})
    _report(foreign, ReportKind.INTERIM, days(-20))
    client.force_login(staff)

    response, groups = home(association)

    assert groups["write"].total == 2
    assert groups["present"].total == 1
    body = response.content.decode()
    assert "2 rapporter att skriva" in body
    assert "1 muntlig föredragning för styrelsen" in body
    assert "Någon annans insats" not in body
    assert "Främmande insats" not in body
    assert [item.late for item in groups["write"].items] == [True, False]

    client.force_login(user_with_role(association, Role.OFFICE))
    response, groups = home(association)
    assert groups["review"].total == 1
    assert f"/rapporter/{submitted_report.pk}/granska/" in response.content.decode()
    # Every open report of the association due within the reminders' horizon, to follow up.
    assert groups["due"].total == 4
    assert "Främmande insats" not in response.content.decode()


def test_a_report_due_beyond_the_horizon_waits_for_nobody(client, home, association):
    staff = user_with_role(association, Role.STAFF)
    samkraft = intervention(association)
    services.intervention_staff_set(intervention=samkraft, users=[staff], by=SYSTEM)
    InterventionReport.objects.filter(intervention=samkraft).delete()
    _report(samkraft, ReportKind.ANNUAL, days(60))
    client.force_login(staff)
    _response, groups = home(association)
    assert "write" not in groups


# --- mandates -----------------------------------------------------------------------------------


def _seat(association, member_name, start, end, holder="Ledamot", kind=BoardSeat.Kind.REGULAR):
    return BoardSeatFactory(
        association=association,
        member=association.members.get(name=member_name),
        kind=kind,
        holder_name=holder,
        mandate_start=start,
        mandate_end=end,
    )


def test_mandates_running_out_count_only_those_no_successor_takes_over(
    client, home, association, other_association
):
    start = days(-700)
    # Köping: ends in 30 days, a successor starts the day after: not running out.
    _seat(association, "Köpings kommun", start, days(30), holder="Anna Avgående")
    _seat(association, "Köpings kommun", days(31), days(1500), holder="Bo Efterträdare")
    # Arboga: ends in 30 days, no successor: running out.
    _seat(association, "Arboga kommun", start, days(30), holder="Cecilia Utan Efterträdare")
    # Kungsör: two regular seats end, one successor: one of them is running out.
    _seat(association, "Kungsörs kommun", start, days(60), holder="Dan Ett")
    _seat(association, "Kungsörs kommun", start, days(60), holder="Eva Två")
    _seat(association, "Kungsörs kommun", days(61), days(1500), holder="Fia Ny")
    # Region: the successor seat is not filled (no name): still running out.
    _seat(association, "Region Testland", start, days(90), holder="Gun Region")
    _seat(association, "Region Testland", days(91), days(1500), holder="")
    # A deputy's successor does not take over a regular seat.
    _seat(association, "Försäkringskassan", start, days(90), holder="Hans Ordinarie")
    _seat(
        association,
        "Försäkringskassan",
        days(91),
        days(1500),
        holder="Ida Ersättare",
        kind=BoardSeat.Kind.DEPUTY,
    )
    # Ends after the six months, or has already ended: not counted.
    _seat(association, "Arbetsförmedlingen", start, days(400), holder="Jan Senare")
    _seat(association, "Arbetsförmedlingen", start, days(-1), holder="Kim Redan Slut")
    _seat(other_association, "Annanstads kommun", start, days(30), holder="Lars Främmande")
    client.force_login(user_with_role(association, Role.BOARD))

    response, groups = home(association)

    group = groups["mandates"]
    assert group.total == 4
    body = response.content.decode()
    assert "4 mandatperioder löper ut inom sex månader" in body
    for name in ("Cecilia Utan Efterträdare", "Gun Region", "Hans Ordinarie"):
        assert name in body
    assert ("Dan Ett" in body) != ("Eva Två" in body)  # exactly one of the two
    for name in ("Anna Avgående", "Jan Senare", "Kim Redan Slut", "Lars Främmande"):
        assert name not in body


def test_a_member_organisation_sees_its_own_representatives_mandates(client, home, association):
    _seat(association, "Köpings kommun", days(-700), days(30), holder="Vår Ledamot")
    _seat(association, "Arboga kommun", days(-700), days(30), holder="Deras Ledamot")
    client.force_login(member_org_user(association, association.members.get(name="Köpings kommun")))

    response, groups = home(association)

    assert groups["mandates"].total == 1
    assert "1 mandatperiod löper ut inom sex månader" in response.content.decode()
    assert "Deras Ledamot" not in response.content.decode()


# --- contributions --------------------------------------------------------------------------------


def test_contributions_missing_for_the_year_name_the_members_without_an_amount(
    client, home, association
):
    year = today().year
    entered = ContributionYear.objects.create(association=association, year=year, total=100)
    for name in ("Försäkringskassan", "Region Testland"):
        Contribution.objects.create(
            contribution_year=entered, member=association.members.get(name=name), amount=50
        )
    ContributionYear.objects.create(association=association, year=year + 1, total=100)
    client.force_login(user_with_role(association, Role.ECONOMIST))

    response, groups = home(association)

    names = [item.text for item in groups["contributions"].items]
    assert names == ["Arbetsförmedlingen", "Köpings kommun", "Arboga kommun", "Kungsörs kommun"]
    assert "4 luckor i medlemsbidragen" in response.content.decode()


def test_a_year_not_entered_is_one_gap_and_says_so(client, home, association):
    client.force_login(user_with_role(association, Role.OFFICE))
    response, groups = home(association)
    assert groups["contributions"].total == 2  # this year and next
    body = response.content.decode()
    assert f"Medlemsbidragen för {today().year} har inte förts in" in body
    assert "inget belopp för någon av de 6 medlemmarna" in body


# --- roles with nothing waiting -----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PRIVACY])
def test_roles_without_tasks_are_told_nothing_waits(client, home, association, role):
    submitted(association, fields={"title": "Inget för revisorn"})
    client.force_login(user_with_role(association, role))
    response, groups = home(association)
    assert groups == {}
    assert "Inget väntar på dig just nu." in response.content.decode()
    assert "Väntar på dig" in response.content.decode()


def test_singular_and_plural_forms(client, home, association):
    submitted(association, fields={"title": "En"})
    client.force_login(user_with_role(association, Role.ADVISORY))
    body = home(association)[0].content.decode()
    assert "1 ansökan väntar på din bedömning" in body
    submitted(association, fields={"title": "Två"})
    body = home(association)[0].content.decode()
    assert "2 ansökningar väntar på din bedömning" in body


# --- queries ------------------------------------------------------------------------------------


def _count_queries(client, association):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/f/{association.slug}/")
    assert response.status_code == 200
    return len(queries)


def test_the_work_list_costs_the_same_queries_for_two_items_as_for_seven(client, association):
    """No query per item: a longer list is read by the same queries (zulip's pinned counts)."""
    office = user_with_role(association, Role.OFFICE)
    meeting = board_meeting(association, date=days(-3))

    def add_one(n):
        submitted(association, fields={"title": f"Ansökan {n}"})
        on_agenda = assessed(association, office=office, fields={"title": f"Dagordning {n}"})
        services.application_put_on_agenda(application=on_agenda, meeting=meeting, by=office)
        samkraft = intervention(
            association, fields={"title": f"Insats {n}", "period_end": dt.date(2030, 12, 31)}
        )
        InterventionReport.objects.filter(intervention=samkraft).delete()
        _report(samkraft, ReportKind.INTERIM, days(-5))
        _seat(association, "Köpings kommun", days(-700), days(30 + n), holder=f"Ledamot {n}")

    add_one(0)
    add_one(1)
    client.force_login(office)
    with_two = _count_queries(client, association)
    for n in range(2, 7):
        add_one(n)
    with_seven = _count_queries(client, association)
    assert with_seven == with_two


# --- the annual report --------------------------------------------------------------------------


def test_the_office_is_reminded_of_last_years_annual_report_until_it_is_adopted(
    client, home, association
):
    from finsam.documents.models import Document
    from finsam.documents.selectors import annual_report_due

    office = user_with_role(association, Role.OFFICE)
    client.force_login(office)
    year = today().year - 1
    response, groups = home(association)
    group = groups["annual_report"]
    assert [item.text for item in group.items] == [f"Årsredovisning {year}"]
    assert "lämnas till revisorerna senast 31 mars" in response.content.decode()
    # Due three months after the year's end: late from April on, not before.
    assert annual_report_due(
        user=office, association=association, today=dt.date(year + 1, 3, 31)
    ) == (year, dt.date(year + 1, 3, 31))
    # The board reads documents but draws none up: no reminder.
    client.force_login(user_with_role(association, Role.BOARD))
    assert "annual_report" not in home(association)[1]
    # Adopted: the reminder is gone.
    Document.objects.create(
        association=association,
        kind="annual",
        year=year,
        title=f"Årsredovisning {year}",
        status=Document.Status.ADOPTED,
    )
    client.force_login(office)
    assert "annual_report" not in home(association)[1]
