"""XLSX exports of the funding lists: the criteria, a call's applications, the intervention page's
tables and the association's requisitions. Each opens with openpyxl, has the page's rows, and is
given to the same roles as the page (another association's users get 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import lxml.html
import pytest
from django.conf import settings
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.core.exports import XLSX_TYPE
from finsam.funding import services
from finsam.funding.models import Requisition
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_views import plain, url
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

ALL_ROLES = list(Role)
REQUISITION_READERS = [Role.OFFICE, Role.ECONOMIST, Role.AUDITOR]


def sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    return list(load_workbook(BytesIO(response.content)).active.values)


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def decided(association, office):
    """An approved application's intervention with a requested, an approved and a paid payment,
    a steering group and a change decision."""
    decision = f.approved(association, office=office)
    intervention = decision.intervention
    economist = user_with_role(association, Role.ECONOMIST)  # nobody approves their own request
    grant_2022 = intervention.grants.get(year=2022)
    paid = services.requisition_request(
        grant=grant_2022, amount=Decimal("100000"), date=dt.date(2022, 3, 1), by=office
    )
    services.requisition_transition(requisition=paid, to=Requisition.Status.APPROVED, by=economist)
    services.requisition_transition(requisition=paid, to=Requisition.Status.PAID, by=office)
    approved = services.requisition_request(
        grant=grant_2022,
        amount=Decimal("50000"),
        date=dt.date(2022, 6, 1),
        actual_costs=Decimal("48000.50"),
        by=office,
    )
    services.requisition_transition(
        requisition=approved, to=Requisition.Status.APPROVED, by=economist
    )
    services.requisition_request(
        grant=intervention.grants.get(year=2023),
        amount=Decimal("25000"),
        date=dt.date(2023, 2, 1),
        note="Första kvartalet",
        by=office,
    )
    services.steering_member_create(
        intervention=intervention,
        name="Ulla Ordförande",
        member=association.members.get(name="Köpings kommun"),
        role="Ordförande",
        by=office,
    )
    services.intervention_change(
        intervention=intervention,
        meeting=f.board_meeting(association, date=dt.date(2022, 9, 20)),
        paragraph="§ 40",
        amounts={2023: Decimal("400000")},
        period_end=None,
        conditions="",
        motivation="Fler deltagare",
        terms=None,
        by=office,
    )
    return intervention


# --- criteria -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_criteria_export_has_every_criterion(client, association, role):
    f.criteria_for(association)
    retired = association.assessment_criteria.get(title="Hälsa")
    retired.is_active = False
    retired.save()
    client.force_login(user_with_role(association, role))
    page = client.get(url("criteria", association)).content.decode()
    assert "?format=xlsx" in page
    rows = sheet(client.get(url("criteria", association) + "?format=xlsx"))
    assert rows[0] == ("Ordning", "Kriterium", "Beskrivning", "Används")
    assert [r[1] for r in rows[1:]] == f.VM_CRITERIA
    assert rows[1 + f.VM_CRITERIA.index("Hälsa")][3] == "Nej"
    assert rows[1][3] == "Ja"


def test_criteria_export_of_another_association_is_404(client, association, other_association):
    f.criteria_for(association)
    client.force_login(user_with_role(other_association, Role.OFFICE))
    response = client.get(url("criteria", association) + "?format=xlsx")
    assert response.status_code == 404
    rows = sheet(client.get(url("criteria", other_association) + "?format=xlsx"))
    assert rows[1:] == []


# --- a call's applications ----------------------------------------------------------------------


def test_call_export_has_the_applications_the_page_shows(client, association, office):
    call = f.CallFactory(association=association, title="Sökbara medel 2021")
    f.draft(association, by=office, fields={"title": "I utlysningen", "call": call})
    f.draft(association, by=office, fields={"title": "Utan utlysning"})
    client.force_login(office)
    page = client.get(url("call_detail", association, call.pk)).content.decode()
    assert "?format=xlsx" in page
    response = client.get(url("call_detail", association, call.pk) + "?format=xlsx")
    assert f"utlysning-{call.pk}" in response["Content-Disposition"]
    rows = sheet(response)
    assert rows[0][0] == "Ansökan"
    assert [r[0] for r in rows[1:]] == ["I utlysningen"]
    assert rows[1][3] == "Sökbara medel 2021"
    assert rows[1][10] == 950000


def test_call_export_follows_who_may_see_which_application(client, association, office):
    """A member organisation sees only its own organisation's applications, in the export too."""
    call = f.CallFactory(association=association)
    koping = association.members.get(name="Köpings kommun")
    arboga = association.members.get(name="Arboga kommun")
    f.draft(association, by=office, fields={"title": "Köpings", "call": call}, applicants=[koping])
    f.draft(association, by=office, fields={"title": "Arbogas", "call": call}, applicants=[arboga])
    user = user_with_role(association, Role.MEMBER_ORG)
    user.memberships.update(member=koping)
    client.force_login(user)
    rows = sheet(client.get(url("call_detail", association, call.pk) + "?format=xlsx"))
    assert [r[0] for r in rows[1:]] == ["Köpings"]
    client.force_login(user_with_role(association, Role.AUDITOR))
    rows = sheet(client.get(url("call_detail", association, call.pk) + "?format=xlsx"))
    assert sorted(r[0] for r in rows[1:]) == ["Arbogas", "Köpings"]


def test_call_export_of_another_association_is_404(client, association, other_association):
    call = f.CallFactory(association=association)
    client.force_login(user_with_role(other_association, Role.OFFICE))
    assert client.get(url("call_detail", association, call.pk) + "?format=xlsx").status_code == 404
    response = client.get(url("call_detail", other_association, call.pk) + "?format=xlsx")
    assert response.status_code == 404


# --- the intervention page ----------------------------------------------------------------------

INTERVENTION_EXPORTS = [
    "intervention_years_xlsx",
    "intervention_grants_xlsx",
    "intervention_requisitions_xlsx",
    "intervention_decisions_xlsx",
    "steering_members_xlsx",
]


def test_intervention_page_links_every_table_export(client, association, office, decided):
    client.force_login(office)
    page = client.get(url("intervention_detail", association, decided.pk)).content.decode()
    for name in INTERVENTION_EXPORTS:
        assert url(name, association, decided.pk) in page, name
    links = lxml.html.fromstring(page).xpath('//a[contains(@href, ".xlsx")]')
    names = [" ".join(a.text_content().split()) for a in links]
    assert len(names) == len(set(names)), "each export link has its own accessible name"


def test_grants_per_year_export(client, association, office, decided):
    client.force_login(office)
    rows = sheet(client.get(url("intervention_years_xlsx", association, decided.pk)))
    assert rows[0] == (
        "Insats",
        "År",
        "Beviljat (kr)",
        "Medfinansiering (kr)",
        "Total finansiering (kr)",
        "Rekvirerat (kr)",
        "Väntar på godkännande (kr)",
        "Godkänt (kr)",
        "Utbetalt (kr)",
        "Kvar (kr)",
    )
    title = decided.title
    assert rows[1:] == [
        (title, 2022, 600000, 0, 600000, 150000, 0, 50000, 100000, 450000),
        (title, 2023, 400000, 0, 400000, 25000, 25000, 0, 0, 400000),
    ]


def test_grant_decisions_export(client, association, office, decided):
    client.force_login(office)
    rows = sheet(client.get(url("intervention_grants_xlsx", association, decided.pk)))
    assert rows[0][:4] == ("Insats", "År", "Beviljat belopp (kr)", "Beslut")
    by_year = {(r[1], r[2]): r for r in rows[1:]}
    assert by_year[(2022, 600000)][3] == "§ 12, styrelsen 2021-03-26"
    assert by_year[(2023, 350000)][5] == "§ 40, styrelsen 2022-09-20"  # replaced by the change
    assert by_year[(2023, 400000)][3] == "§ 40, styrelsen 2022-09-20"


def test_export_headers_follow_the_users_language(client, association, office, decided):
    """The header row is Swedish by default and English once the user has chosen English."""
    client.force_login(office)
    export = url("intervention_grants_xlsx", association, decided.pk)
    rows = sheet(client.get(export))
    assert rows[0] == ("Insats", "År", "Beviljat belopp (kr)", "Beslut", "Kommentar", "Återkallat")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = sheet(client.get(export))
    assert rows[0] == (
        "Intervention",
        "Year",
        "Amount granted (SEK)",
        "Decision",
        "Comment",
        "Withdrawn",
    )


def test_requisitions_export(client, association, office, decided):
    client.force_login(office)
    rows = sheet(client.get(url("intervention_requisitions_xlsx", association, decided.pk)))
    assert rows[0][:7] == (
        "Insats",
        "Datum",
        "År",
        "Typ",
        "Belopp (kr)",
        "Faktiska kostnader (kr)",
        "Status",
    )
    assert [(r[1].date(), r[4], r[6]) for r in rows[1:]] == [
        (dt.date(2022, 3, 1), 100000, "Utbetald"),
        (dt.date(2022, 6, 1), 50000, "Godkänd"),
        (dt.date(2023, 2, 1), 25000, "Begärd"),
    ]
    assert rows[2][5] == 48000.5
    assert rows[3][7] == "Första kvartalet"


def test_decisions_export(client, association, office, decided):
    client.force_login(office)
    rows = sheet(client.get(url("intervention_decisions_xlsx", association, decided.pk)))
    assert rows[0][:6] == ("Insats", "Sammanträde", "Paragraf", "Typ", "Beslut", "Belopp per år")
    by_paragraph = {r[2]: r for r in rows[1:]}
    assert set(by_paragraph) == {"§ 12", "§ 40"}
    approval = by_paragraph["§ 12"]
    assert approval[3] == "Beslut om ansökan"
    assert approval[4] == "Beviljad"
    assert plain(approval[5]) == "2022: 600 000 kr; 2023: 350 000 kr"
    assert approval[6] == 950000
    change = by_paragraph["§ 40"]
    assert change[3] == "Ändring av insats"
    assert plain(change[5]) == "2023: 350 000 kr → 400 000 kr"
    assert change[9] == "Fler deltagare"


def test_steering_members_export(client, association, office, decided):
    client.force_login(office)
    rows = sheet(client.get(url("steering_members_xlsx", association, decided.pk)))
    assert rows[0] == ("Insats", "Namn", "Organisation", "Roll")
    people = {r[1]: r for r in rows[1:]}
    assert people["Ulla Ordförande"][2:] == ("Köpings kommun", "Ordförande")
    # The steering group proposed in the application came along to the intervention.
    assert people["Anna Andersson"][3] == "Ledamot"


@pytest.mark.parametrize("role", [Role.BOARD, Role.AUDITOR, Role.MEMBER_ORG, Role.ECONOMIST])
@pytest.mark.parametrize("name", INTERVENTION_EXPORTS)
def test_everyone_who_reads_the_intervention_gets_its_exports(
    client, association, decided, role, name
):
    client.force_login(user_with_role(association, role))
    assert client.get(url("intervention_detail", association, decided.pk)).status_code == 200
    assert len(sheet(client.get(url(name, association, decided.pk)))) > 1


@pytest.mark.parametrize("name", INTERVENTION_EXPORTS)
def test_staff_get_only_their_own_interventions_exports(client, association, decided, name):
    staff = user_with_role(association, Role.STAFF)
    client.force_login(staff)
    assert client.get(url(name, association, decided.pk)).status_code == 404
    decided.staff.add(staff)
    assert len(sheet(client.get(url(name, association, decided.pk)))) > 1


@pytest.mark.parametrize("name", INTERVENTION_EXPORTS)
def test_intervention_exports_of_another_association_are_404(
    client, association, other_association, decided, name
):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    for slug_association in (association, other_association):
        response = client.get(url(name, slug_association, decided.pk))
        assert response.status_code == 404
        assert decided.title not in response.content.decode()


# --- the association's requisitions -------------------------------------------------------------


@pytest.mark.parametrize("role", REQUISITION_READERS, ids=[r.value for r in REQUISITION_READERS])
def test_requisition_list_shows_every_requisition_with_totals(client, association, decided, role):
    other = f.intervention(association, fields={"title": "Samkraft"})
    services.requisition_request(
        grant=other.grants.get(), amount=Decimal("7000"), date=dt.date(2021, 5, 1), by=SYSTEM
    )
    client.force_login(user_with_role(association, role))
    home = client.get(url("interventions", association)).content.decode()
    assert url("requisitions", association) in home  # in the funding navigation
    response = client.get(url("requisitions", association))
    assert response.status_code == 200
    body = plain(response.content.decode())
    doc = lxml.html.fromstring(body)
    rows = doc.xpath('//table[@id="requisition-list"]/tbody/tr')
    assert len(rows) == 4
    assert "Samkraft" in rows[-1].text_content()
    assert doc.xpath(f'//a[@href="{url("intervention_detail", association, other.pk)}"]')
    totals = " ".join(" ".join(doc.get_element_by_id("requisition-totals").itertext()).split())
    assert "Begärt 32 000 kr" in totals
    assert "Godkänt 50 000 kr" in totals
    assert "Utbetalt 100 000 kr" in totals
    buttons = doc.xpath('//table[@id="requisition-list"]//button')
    if role == Role.AUDITOR:
        assert buttons == []
    else:
        assert len(buttons) == 2 * 2 + 1  # approve and reject twice, mark paid once


def test_requisition_list_filters_by_status_and_kind(client, association, office, decided):
    services.payment_plan_create(
        grant=decided.grants.get(year=2023, withdrawn_by__isnull=True),
        instalments=2,
        first_date=dt.date(2023, 3, 31),
        by=office,
    )
    client.force_login(office)
    doc = lxml.html.fromstring(
        client.get(url("requisitions", association) + "?status=paid").content
    )
    rows = doc.xpath('//table[@id="requisition-list"]/tbody/tr')
    assert len(rows) == 1 and "Utbetald" in rows[0].text_content()
    doc = lxml.html.fromstring(client.get(url("requisitions", association) + "?typ=plan").content)
    rows = doc.xpath('//table[@id="requisition-list"]/tbody/tr')
    assert len(rows) == 2
    assert all("Enligt utbetalningsplan" in r.text_content() for r in rows)
    rows = sheet(
        client.get(url("requisitions", association) + "?format=xlsx&status=requested&typ=")
    )
    assert rows[0][0] == "Insats"
    assert sorted(r[4] for r in rows[1:]) == [25000, 187500, 187500]
    assert {r[6] for r in rows[1:]} == {"Begärd"}
    rows = sheet(client.get(url("requisitions", association) + "?format=xlsx"))
    assert len(rows) == 1 + 5


def test_requisition_list_approves_and_rejects_and_comes_back(client, association, office, decided):
    requested = Requisition.objects.get(status=Requisition.Status.REQUESTED)
    economist = user_with_role(association, Role.ECONOMIST)
    client.force_login(economist)
    back = url("requisitions", association) + "?status=requested"
    response = client.post(
        url("requisition_action", association, requested.pk, "godkann"), {"next": back}
    )
    assert response.status_code == 302
    assert response.url == back
    requested.refresh_from_db()
    assert requested.status == Requisition.Status.APPROVED
    assert requested.decided_by == economist
    response = client.post(
        url("requisition_action", association, requested.pk, "betald"), {"next": back}, follow=True
    )
    assert "Utbetalningen är markerad som utbetald." in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == Requisition.Status.PAID
    # A `next` outside the list goes back to the intervention as before.
    other = services.requisition_request(
        grant=decided.grants.get(year=2022),
        amount=Decimal("1000"),
        date=dt.date(2022, 9, 1),
        by=office,
    )
    for evil in ("https://example.com/f/", url("interventions", association)):
        response = client.post(
            url("requisition_action", association, other.pk, "avsla"), {"next": evil}
        )
        assert response.url == url("intervention_detail", association, decided.pk)
    other.refresh_from_db()
    assert other.status == Requisition.Status.REJECTED


@pytest.mark.parametrize("role", [Role.BOARD, Role.MEMBER_ORG, Role.STAFF, Role.ADVISORY])
def test_requisition_list_is_refused_to_other_roles(client, association, decided, role):
    client.force_login(user_with_role(association, role))
    response = client.get(url("requisitions", association))
    assert response.status_code == 403
    assert "rekvisitioner är öppen för kansliet, ekonomen och revisorerna" in (
        response.content.decode()
    )
    assert client.get(url("requisitions", association) + "?format=xlsx").status_code == 403
    page = client.get(url("interventions", association)).content.decode()
    assert url("requisitions", association) not in page


def test_auditor_cannot_act_on_a_requisition(client, association, decided):
    requested = Requisition.objects.get(status=Requisition.Status.REQUESTED)
    client.force_login(user_with_role(association, Role.AUDITOR))
    events = AuditEvent.objects.count()
    response = client.post(
        url("requisition_action", association, requested.pk, "godkann"),
        {"next": url("requisitions", association)},
    )
    assert response.status_code == 403
    requested.refresh_from_db()
    assert requested.status == Requisition.Status.REQUESTED
    assert AuditEvent.objects.count() == events


def test_requisition_list_of_another_association_is_404(
    client, association, other_association, decided
):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    response = client.get(url("requisitions", association))
    assert response.status_code == 404
    assert decided.title not in response.content.decode()
    assert client.get(url("requisitions", association) + "?format=xlsx").status_code == 404
    own = client.get(url("requisitions", other_association))
    assert own.status_code == 200
    assert decided.title not in own.content.decode()
    rows = sheet(client.get(url("requisitions", other_association) + "?format=xlsx"))
    assert rows[1:] == []


def test_requisition_list_offers_no_approval_of_ones_own_request(client, association, decided):
    economist = user_with_role(association, Role.ECONOMIST)
    own = services.requisition_request(
        grant=decided.grants.get(year=2022),
        amount=Decimal("1000"),
        date=dt.date(2022, 10, 1),
        by=economist,
    )
    client.force_login(economist)
    html = client.get(url("requisitions", association)).content.decode()
    approve = url("requisition_action", association, own.pk, "godkann")
    assert approve not in html
    assert "Du har själv begärt utbetalningen" in html
    assert url("requisition_action", association, own.pk, "avsla") in html  # may withdraw it
