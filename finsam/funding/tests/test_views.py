"""Request tests for the funding pages: what each role sees and does, bad input, exports, queries.

The permission matrix (login, 403, 404 per URL and role) is in test_permissions.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finsam.funding import services
from finsam.funding.models import (
    Application,
    Assessment,
    Decision,
    Grant,
    Intervention,
    Requisition,
)
from finsam.funding.tests import factories as f
from finsam.organisation.models import AgendaItem, AuditEvent, Membership, Role
from finsam.organisation.tests.factories import user_with_role

NBSP = "\u00a0"


def plain(html: str) -> str:
    """The page with the no-break spaces of amounts ('569 000 kr') as ordinary spaces."""
    return html.replace(NBSP, " ")


def url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


def field_errors(html: str, field_name: str) -> str:
    """The error text in the same field block as the input named `field_name`."""
    doc = lxml.html.fromstring(html)
    inputs = doc.xpath(f'//*[@name="{field_name}"]')
    assert inputs, f"no input named {field_name!r} on the page"
    block = inputs[0].getparent()
    while block is not None and not (
        block.tag in ("fieldset", "td", "form") or "field" in block.get("class", "").split()
    ):
        block = block.getparent()
    return " ".join(e.text_content() for e in block.find_class("errorlist"))


def formset_management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def application_post(association, **overrides) -> dict[str, str]:
    """A complete application as the browser posts it."""
    municipality = association.members.filter(kind="municipality").first()
    data = {
        "title": "Unga till arbete",
        "applicants": [str(municipality.pk)],
        "share_individual": "50",
        "share_process_support": "50",
        "target_group": "Unga vuxna i utanförskap",
        "age_from": "16",
        "age_to": "29",
        "purpose": "Egen försörjning",
        "period_start": "2022-01-01",
        "period_end": "2023-12-31",
        "owner": "Köpings kommun via Arbetsmarknadsenheten",
        "responsible_manager": "Förvaltningschef",
        "project_lead": "Enhetschef",
        "steering_meetings_per_year": "3–4",
        **formset_management("goals", 1),
        "goals-0-text": "Antal ärenden per år",
        "goals-0-target_value": "≥ 30 ärenden per år",
        **formset_management("budget", 2),
        "budget-0-year": "2022",
        "budget-0-cost_line": "Coach",
        "budget-0-requested": "300 000",
        "budget-0-own_financing": "50 000",
        "budget-0-external_funding": "",
        "budget-1-year": "2023",
        "budget-1-cost_line": "Coach",
        "budget-1-requested": "250 000",
        "budget-1-own_financing": "",
        "budget-1-external_funding": "100 000",
        "budget-1-external_source": "ESF",
        **formset_management("steering", 1),
        "steering-0-name": "Anna Andersson",
        "steering-0-member": str(municipality.pk),
        "steering-0-role": "Ledamot",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


# --- navigation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_role_finds_interventions_and_applications_in_the_menu(
    client, login_as, association, role
):
    login_as(role)
    body = client.get(reverse("dashboard:home", args=[association.slug])).content.decode()
    assert url("interventions", association) in body
    assert url("applications", association) in body


# --- applications -------------------------------------------------------------------------------


def test_member_org_drafts_an_application_with_all_its_parts(client, association):
    user = user_with_role(association, Role.MEMBER_ORG)
    municipality = association.members.get(name="Köpings kommun")
    Membership.objects.filter(user=user).update(member=municipality)
    client.force_login(user)

    page = client.get(url("application_create", association)).content.decode()
    [own_box] = lxml.html.fromstring(page).xpath(
        f'//input[@name="applicants"][@value="{municipality.pk}"]'
    )
    assert own_box.get("checked") is not None  # their own organisation is pre-selected

    response = client.post(url("application_create", association), application_post(association))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == url("application_detail", association, application.pk)
    assert application.status == Application.Status.DRAFT
    assert application.created_by == user
    assert {s.kind: s.percent for s in application.kind_shares.all()} == {
        "individual": 50,
        "process_support": 50,
    }
    lines = list(application.budget_lines.all())
    assert [(b.requested, b.own_financing, b.external_funding) for b in lines] == [
        (Decimal("300000"), Decimal("50000"), Decimal("0")),
        (Decimal("250000"), Decimal("0"), Decimal("100000")),
    ]
    detail = client.get(response.url).content.decode()
    assert "≥ 30 ärenden per år" in detail
    assert "550 000 kr" in plain(detail)  # requested in total
    assert "Anna Andersson" in detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"share_individual": "60", "share_process_support": "30"},
            None,
            "Andelarna för insatstyperna ska tillsammans vara 100 %, nu är de 90 %.",
        ),
        ({"budget-0-requested": "-5"}, "budget-0-requested", "Beloppet kan inte vara negativt."),
        ({"budget-0-requested": "massor"}, "budget-0-requested", "Ange ett belopp i kronor"),
        ({"budget-0-requested": "1000,555"}, "budget-0-requested", "högst två decimaler"),
        ({"period_end": "2021-12-31"}, "period_end", "Perioden kan inte sluta innan den börjar."),
        ({"share_individual": "150"}, "share_individual", "Ange en andel mellan 0 och 100."),
        ({"age_to": "10"}, "age_to", "Åldern till kan inte vara lägre än åldern från."),
        (
            {"budget-1-year": "2026"},
            None,
            "Budgetåret 2026 ligger utanför perioden 2022–2023.",
        ),
    ],
)
def test_bad_application_input_is_refused_at_the_field_and_nothing_is_saved(
    client, login_as, association, overrides, field, message
):
    login_as(Role.OFFICE)
    response = client.post(
        url("application_create", association), application_post(association, **overrides)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ansökan innehåller fel. Inget har sparats." in body
    if field:
        assert message in field_errors(body, field)
    else:
        assert message in body
    assert not Application.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="application").exists()


def test_save_and_submit_in_one_step(client, login_as, association):
    login_as(Role.OFFICE)
    response = client.post(
        url("application_create", association), application_post(association, action="submit")
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    assert application.versions.count() == 1


def test_submitting_an_incomplete_application_saves_nothing(client, login_as, association):
    login_as(Role.OFFICE)
    data = application_post(
        association, action="submit", owner="", **formset_management("goals", 1)
    )
    data["goals-0-text"] = ""
    data["goals-0-target_value"] = ""
    response = client.post(url("application_create", association), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ange projektägare." in field_errors(body, "owner")
    assert "Ange minst ett mätbart mål med målvärde." in body
    assert not Application.objects.exists()


def test_submit_button_on_the_detail_page_lists_what_is_missing(client, association, office):
    application = f.draft(association, by=office, goals=[])
    client.force_login(office)
    response = client.post(url("application_submit", association, application.pk))
    assert response.status_code == 400
    assert "Ange minst ett mätbart mål med målvärde." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_member_org_sees_only_its_own_organisations_applications(client, association):
    koping = association.members.get(name="Köpings kommun")
    arboga = association.members.get(name="Arboga kommun")
    user = user_with_role(association, Role.MEMBER_ORG)
    Membership.objects.filter(user=user).update(member=koping)
    own = f.draft(association, applicants=[koping], fields={"title": "Köpings ansökan"})
    other = f.draft(association, applicants=[arboga], fields={"title": "Arbogas ansökan"})
    client.force_login(user)

    body = client.get(url("applications", association)).content.decode()
    assert "Köpings ansökan" in body
    assert "Arbogas ansökan" not in body
    assert client.get(url("application_detail", association, own.pk)).status_code == 200
    response = client.get(url("application_detail", association, other.pk))
    assert response.status_code == 404
    assert "Arbogas ansökan" not in response.content.decode()


def test_submitted_application_is_read_only_for_the_applicant(client, association):
    user = f.member_org_user(association)
    application = f.submitted(association, by=user)
    client.force_login(user)
    response = client.get(url("application_edit", association, application.pk))
    assert response.status_code == 403
    assert "kan inte längre ändras av den sökande" in response.content.decode()
    response = client.post(
        url("application_edit", association, application.pk), application_post(association)
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.title.startswith("STEGSAM")


def test_office_change_after_submission_is_a_new_version(client, association, office):
    application = f.submitted(association, by=office)
    client.force_login(office)
    response = client.post(
        url("application_edit", association, application.pk),
        application_post(association, title="Rättat namn", reason="Stavning"),
    )
    assert response.status_code == 302
    assert [v.number for v in application.versions.order_by("number")] == [1, 2]
    body = client.get(url("application_detail", association, application.pk)).content.decode()
    assert "Version 2" in body and "Stavning" in body
    version = client.get(
        url("application_version", association, application.pk, 1)
    ).content.decode()
    assert "Namn på insatsen" in version
    assert "STEGSAM" in version


def test_application_list_exports_to_xlsx(client, association, office):
    f.draft(association, by=office)
    client.force_login(office)
    response = client.get(url("applications", association) + "?format=xlsx")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "Ansökan"
    assert rows[1][0].startswith("STEGSAM")
    assert rows[1][1] == "Utkast"
    assert rows[1][10] == 950000  # requested in total, a number


@pytest.mark.parametrize("role", [Role.BOARD, Role.AUDITOR, Role.MEMBER_ORG])
def test_call_list_exports_pot_granted_and_remaining_as_numbers(client, association, role):
    f.CallFactory(association=association, title="Sökbara medel 2021", pot=Decimal("569000"))
    client.force_login(user_with_role(association, role))
    response = client.get(url("calls", association) + "?format=xlsx")
    assert response.status_code == 200
    assert "utlysningar-" in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][0] == "Utlysning" and rows[0][6] == "Kvar att fördela (kr)"
    assert rows[1][0] == "Sökbara medel 2021"
    assert rows[1][4:] == (569000, 0, 569000)


# --- assessment ---------------------------------------------------------------------------------


def test_assessors_side_by_side_with_a_recommendation(client, association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    colleague = user_with_role(association, Role.OFFICE, first_name="Kollega", last_name="Kansli")
    services.assessment_set(
        application=application, scores={c.pk: (2, "Oklart") for c in criteria}, by=colleague
    )
    client.force_login(office)
    data = {f"criterion_{c.pk}": "4" for c in criteria} | {
        f"comment_{criteria[0].pk}": "Tydlig koppling"
    }
    response = client.post(url("assessment", association, application.pk), data)
    assert response.status_code == 302
    body = client.get(url("assessment", association, application.pk)).content.decode()
    doc = lxml.html.fromstring(body)
    table = doc.get_element_by_id("side-by-side")
    headers = [(th.text or "").strip() for th in table.xpath(".//thead//th")]
    assert "Kollega Kansli" in headers and str(office) in headers
    roles = [r.text_content() for r in table.xpath(".//thead//*[@class='muted assessor-role']")]
    assert roles == ["Kansli", "Kansli"]
    assert "Tydlig koppling" in table.text_content()
    assert "3,00" in table.text_content()  # mean of 4 and 2
    assert "Tillstyrks" in doc.get_element_by_id("recommendation").text_content()


def test_missing_score_is_refused_next_to_the_criterion(client, association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    client.force_login(office)
    data = {f"criterion_{c.pk}": "3" for c in criteria[1:]}
    response = client.post(url("assessment", association, application.pk), data)
    assert response.status_code == 400
    assert "Välj en poäng från 1 till 4." in field_errors(
        response.content.decode(), f"criterion_{criteria[0].pk}"
    )
    assert not Assessment.objects.exists()


def test_board_reads_the_assessment_but_cannot_score(client, association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    board = user_with_role(association, Role.BOARD)
    client.force_login(board)
    body = client.get(url("assessment", association, application.pk)).content.decode()
    assert "Din bedömning" not in body
    response = client.post(
        url("assessment", association, application.pk), {f"criterion_{c.pk}": "4" for c in criteria}
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_mark_assessed_and_put_on_the_agenda(client, association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    services.assessment_set(
        application=application, scores={c.pk: (3, "") for c in criteria}, by=office
    )
    meeting = f.board_meeting(association)
    client.force_login(office)
    client.post(url("assessment_action", association, application.pk, "assessed"))
    application.refresh_from_db()
    assert application.status == Application.Status.ASSESSED
    response = client.post(url("agenda", association, application.pk), {"meeting": meeting.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.ON_AGENDA
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.title == f"Ansökan: {application.title}"
    meeting_page = client.get(
        reverse("organisation:meeting_detail", args=[association.slug, meeting.pk])
    )
    assert application.title in meeting_page.content.decode()


def test_marking_assessed_without_scores_explains_why(client, association, office):
    f.criteria_for(association)
    application = f.submitted(association, by=office)
    client.force_login(office)
    response = client.post(
        url("assessment_action", association, application.pk, "assessed"), follow=True
    )
    assert "Alla kriterier behöver minst en bedömning." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


# --- decisions ----------------------------------------------------------------------------------


def decision_post(meeting, **overrides) -> dict[str, str]:
    data = {
        "meeting": str(meeting.pk),
        "paragraph": "§ 12",
        "outcome": "approved",
        "conditions": "",
        "motivation": "",
        "amount_2022": "600 000",
        "amount_2023": "350 000",
        "interim_report_month": "6",
        "interim_report_day": "30",
        "annual_report_month": "12",
        "annual_report_day": "31",
        "oral_presentations_per_year": "1",
    }
    data.update(overrides)
    return data


def test_decision_creates_the_intervention_and_the_pot_shrinks(client, association, office):
    call = f.CallFactory(
        association=association, title="Sökbara medel 2022", pot=Decimal("1500000")
    )
    application = f.assessed(association, office=office, fields={"call": call})
    meeting = f.board_meeting(association)
    client.force_login(office)

    page = client.get(url("decision_create", association, application.pk)).content.decode()
    assert "1 500 000 kr kvar att fördela" in plain(page)

    response = client.post(
        url("decision_create", association, application.pk), decision_post(meeting)
    )
    intervention = Intervention.objects.get()
    assert response.status_code == 302
    assert response.url == url("intervention_detail", association, intervention.pk)
    decision = Decision.objects.get()
    assert (decision.paragraph, decision.agenda_item.meeting) == ("§ 12", meeting)
    detail = client.get(response.url).content.decode()
    years = lxml.html.fromstring(detail).get_element_by_id("grant-years").text_content()
    assert "600 000 kr" in plain(years) and "350 000 kr" in plain(years)
    assert "§ 12, styrelsen 2021-03-26" in detail

    call_page = client.get(url("call_detail", association, call.pk)).content.decode()
    remaining = lxml.html.fromstring(call_page).get_element_by_id("remaining").text_content()
    assert plain(remaining).strip() == "550 000 kr"
    list_page = client.get(url("calls", association)).content.decode()
    assert "550 000 kr" in plain(list_page)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_2022": "", "amount_2023": ""}, "Ange beviljat belopp för minst ett år."),
        ({"outcome": "rejected"}, "Ett avslag eller en återremiss beviljar inga pengar."),
        ({"amount_2022": "-1"}, "Beloppet måste vara större än 0 kr."),
        ({"paragraph": "tolv"}, "Ange paragrafen som ett nummer"),
        ({"outcome": "approved_with_conditions"}, "Skriv villkoren för beviljandet."),
        (
            {"amount_2022": "2 000 000"},
            "har 1 500 000 kr kvar att fördela, men beslutet beviljar 2 350 000 kr",
        ),
    ],
)
def test_bad_decision_is_refused_and_nothing_is_saved(
    client, association, office, overrides, message
):
    call = f.CallFactory(association=association, pot=Decimal("1500000"))
    application = f.assessed(association, office=office, fields={"call": call})
    meeting = f.board_meeting(association)
    client.force_login(office)
    response = client.post(
        url("decision_create", association, application.pk), decision_post(meeting, **overrides)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Beslutet är inte registrerat. Inget har sparats." in body
    assert message in plain(body)
    assert not Decision.objects.exists()
    assert not Intervention.objects.exists()
    assert not AgendaItem.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.ASSESSED


def test_a_board_member_records_the_decision_of_a_held_meeting(client, association, office):
    application = f.assessed(association, office=office)
    held = f.board_meeting(association)
    coming = f.board_meeting(association, date=timezone.localdate() + dt.timedelta(days=7))
    client.force_login(user_with_role(association, Role.BOARD))
    response = client.post(
        url("decision_create", association, application.pk), decision_post(coming)
    )
    assert response.status_code == 400
    assert (
        f"Sammanträdet {coming.date.isoformat()} har inte hållits än." in response.content.decode()
    )
    assert not Decision.objects.exists() and not AgendaItem.objects.exists()

    response = client.post(url("decision_create", association, application.pk), decision_post(held))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.meeting == held and decision.intervention is not None


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ECONOMIST, Role.MEMBER_ORG, Role.STAFF])
def test_only_the_board_and_the_office_record_decisions(client, association, office, role):
    application = f.assessed(association, office=office)
    meeting = f.board_meeting(association)
    client.force_login(user_with_role(association, role))
    response = client.post(
        url("decision_create", association, application.pk), decision_post(meeting)
    )
    assert response.status_code in (403, 404)  # staff do not even see applications
    assert not Decision.objects.exists()


def test_end_decision_from_the_intervention_page(client, association, office):
    intervention = f.approved(association, office=office).intervention
    meeting = f.board_meeting(association, date=dt.date(2022, 9, 3))
    client.force_login(office)
    response = client.post(
        url("intervention_end", association, intervention.pk),
        {"meeting": meeting.pk, "paragraph": "30", "ends_on": "2022-12-31", "motivation": "Klart"},
    )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "återkallat § 30, 2022-09-03" in body
    bad = client.post(
        url("intervention_end", association, intervention.pk),
        {"meeting": meeting.pk, "paragraph": "31", "ends_on": "2019-01-01"},
    )
    assert bad.status_code == 400
    assert "Insatsen kan inte avslutas innan den har börjat." in field_errors(
        bad.content.decode(), "ends_on"
    )


# --- interventions ------------------------------------------------------------------------------


def test_intervention_list_shows_granted_paid_and_the_reinforcing_link(client, association, office):
    stegsam = f.intervention(
        association, fields={"title": "STEGSAM"}, kind_shares={"individual": 100}
    )
    f.intervention(
        association,
        fields={"title": "STEGSAM Plus", "age_from": 16, "age_to": 20},
        kind_shares={"individual": 100},
        reinforces=stegsam,
        grants=[(2021, Decimal("330000"), "VP 2021")],
    )
    requisition = services.requisition_request(
        grant=stegsam.grants.get(), amount=Decimal("150000"), date=dt.date(2021, 3, 31), by=office
    )
    services.requisition_transition(
        requisition=requisition, to="approved", by=f.economist(association)
    )
    services.requisition_transition(requisition=requisition, to="paid", by=f.economist(association))
    client.force_login(office)
    body = client.get(url("interventions", association)).content.decode()
    assert "förstärker STEGSAM" in body
    assert "330 000 kr" in plain(body) and "150 000 kr" in plain(body)
    assert "16–20 år" in body
    detail = client.get(url("intervention_detail", association, stegsam.pk)).content.decode()
    assert "Förstärks av" in detail and "STEGSAM Plus" in detail


def test_intervention_list_exports_to_xlsx(client, association, office):
    f.intervention(association)
    client.force_login(office)
    response = client.get(url("interventions", association) + "?format=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("Insats", "Status", "Insatstyp")
    assert rows[1][0] == "Samkraft"
    assert rows[1][2] == "Individinriktad 50 %, Processtödjande 50 %"
    assert rows[1][11] == 600000


def test_intervention_list_status_filter(client, association, office):
    f.intervention(association, fields={"title": "Gammal"})
    f.intervention(association, fields={"title": "Pågår", "period_end": None})
    client.force_login(office)
    body = client.get(url("interventions", association) + "?status=running").content.decode()
    assert "Pågår" in body and "Gammal" not in body


@pytest.mark.parametrize("count", [2, 6])
def test_intervention_list_query_count_does_not_grow_with_rows(
    client, association, office, django_assert_num_queries, count
):
    for i in range(count):
        f.intervention(
            association,
            fields={"title": f"Insats {i}"},
            members=list(association.members.all()[:2]),
        )
    client.force_login(office)
    client.get(url("interventions", association))  # warm the session and caches
    # session, user, association list, roles, the interventions with their sums, kind shares,
    # members, the menu's capability checks, and whether the user must have a second factor.
    with django_assert_num_queries(10):
        response = client.get(url("interventions", association))
    assert response.content.decode().count("Insats ") >= count


def test_staff_see_only_their_interventions(client, association, office):
    mine = f.intervention(association, fields={"title": "Min insats"})
    f.intervention(association, fields={"title": "Annan insats"})
    staff = user_with_role(association, Role.STAFF)
    services.intervention_staff_set(intervention=mine, users=[staff], by=office)
    client.force_login(staff)
    body = client.get(url("interventions", association)).content.decode()
    assert "Min insats" in body and "Annan insats" not in body


# --- payments -----------------------------------------------------------------------------------


def test_requisition_request_and_approval_with_the_rule(client, association, office):
    intervention = f.intervention(association)
    grant = intervention.grants.get()
    client.force_login(office)
    response = client.post(
        url("intervention_requisition", association, intervention.pk),
        {
            "grant": grant.pk,
            "kind": "requisition",
            "date": "2021-03-31",
            "amount": "450 000",
            "actual_costs": "448 512,50",
        },
    )
    assert response.status_code == 302
    requisition = Requisition.objects.get()
    assert requisition.actual_costs == Decimal("448512.50")
    client.force_login(f.economist(association))  # nobody approves their own request
    client.post(url("requisition_action", association, requisition.pk, "godkann"))

    too_much = client.post(
        url("intervention_requisition", association, intervention.pk),
        {"grant": grant.pk, "kind": "requisition", "date": "2021-06-30", "amount": "200 000"},
    )
    assert too_much.status_code == 400
    errors = field_errors(too_much.content.decode(), "amount")
    assert "Högst 150 000 kr kan betalas ut; det här gäller 200 000 kr." in plain(errors)
    assert Requisition.objects.count() == 1

    client.post(url("requisition_action", association, requisition.pk, "betald"))
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.PAID
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    years = lxml.html.fromstring(body).get_element_by_id("grant-years").text_content()
    assert "450 000 kr" in plain(years) and "150 000 kr" in plain(years)


def test_approval_beyond_the_grant_is_refused_with_the_amounts(client, association, office):
    grant = f.intervention(association).grants.get()
    first = services.requisition_request(
        grant=grant, amount=Decimal("400000"), date=dt.date(2021, 3, 1), by=office
    )
    second = services.requisition_request(
        grant=grant, amount=Decimal("400000"), date=dt.date(2021, 6, 1), by=office
    )
    services.requisition_transition(requisition=first, to="approved", by=f.economist(association))
    client.force_login(user_with_role(association, Role.ECONOMIST))
    response = client.post(
        url("requisition_action", association, second.pk, "godkann"), follow=True
    )
    assert (
        "Beviljat för 2021 är 600 000 kr, varav 400 000 kr redan är godkänt eller utbetalt."
        in plain(response.content.decode())
    )
    second.refresh_from_db()
    assert second.status == Requisition.Status.REQUESTED


def test_staff_requests_requisition_only_for_their_own_intervention(client, association, office):
    mine = f.intervention(association, fields={"title": "Min insats"})
    staff = user_with_role(association, Role.STAFF)
    client.force_login(staff)
    # Not yet on the intervention: it is invisible to them.
    assert client.get(url("intervention_requisition", association, mine.pk)).status_code == 404
    services.intervention_staff_set(intervention=mine, users=[staff], by=office)
    response = client.post(
        url("intervention_requisition", association, mine.pk),
        {
            "grant": mine.grants.get().pk,
            "kind": "requisition",
            "date": "2021-03-31",
            "amount": "100000",
        },
    )
    assert response.status_code == 302
    assert Requisition.objects.get().requested_by == staff


def test_payment_plan_splits_the_grant(client, association, office):
    intervention = f.intervention(association, grants=[(2021, Decimal("100000"), "VP")])
    client.force_login(office)
    response = client.post(
        url("intervention_payment_plan", association, intervention.pk),
        {
            "grant": intervention.grants.get().pk,
            "instalments": "4",
            "first_date": "2021-03-31",
            "months_between": "3",
        },
    )
    assert response.status_code == 302
    assert sorted(p.amount for p in Requisition.objects.all()) == [Decimal("25000")] * 4


# --- calls and criteria -------------------------------------------------------------------------


def test_call_with_bad_input_is_refused(client, association, office):
    client.force_login(office)
    response = client.post(
        url("call_create", association),
        {
            "title": "Sökbara medel",
            "pot": "-1",
            "opens_on": "2021-06-01",
            "closes_on": "2021-01-01",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Beloppet kan inte vara negativt." in field_errors(body, "pot")
    assert "Sista ansökningsdag kan inte vara före öppningsdagen." in field_errors(
        body, "closes_on"
    )
    response = client.post(
        url("call_create", association),
        {
            "title": "Sökbara medel",
            "pot": "569 000",
            "opens_on": "2021-01-01",
            "closes_on": "2021-12-31",
        },
    )
    assert response.status_code == 302
    assert "569 000 kr" in plain(client.get(url("calls", association)).content.decode())


def test_used_criterion_is_kept_with_a_reason(client, association, office):
    application = f.assessed(association, office=office)
    criterion = application.assessments.first().criterion
    client.force_login(office)
    response = client.post(url("criterion_delete", association, criterion.pk), follow=True)
    assert "har använts i bedömningar och kan inte tas bort" in response.content.decode()
    assert Grant.objects.count() == 0
    criterion.refresh_from_db()


def test_a_draft_autosaves_and_answers_with_a_status_line(client, association):
    user = f.member_org_user(association)
    application = f.draft(association, by=user)
    client.force_login(user)
    edit_page = client.get(url("application_edit", association, application.pk)).content.decode()
    assert url("application_autosave", association, application.pk) in edit_page
    response = client.post(
        url("application_autosave", association, application.pk),
        application_post(association, title="Sparat under skrivandet"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Utkastet sparat" in response.content.decode()
    assert "<html" not in response.content.decode()
    application.refresh_from_db()
    assert application.title == "Sparat under skrivandet"
    # Nothing half-saved when a field is wrong: the status line says so and the draft stays.
    response = client.post(
        url("application_autosave", association, application.pk),
        application_post(association, title="Trasig", age_from="tjugo"),
        headers={"HX-Request": "true"},
    )
    assert "Inte sparat ännu" in response.content.decode()
    application.refresh_from_db()
    assert application.title == "Sparat under skrivandet"


def test_a_submitted_application_does_not_autosave(client, association, other_association):
    user = f.member_org_user(association)
    application = f.submitted(association, by=user)
    client.force_login(user)
    response = client.post(
        url("application_autosave", association, application.pk),
        application_post(association, title="X"),
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.title != "X"
    stranger = user_with_role(other_association, Role.MEMBER_ORG)
    client.force_login(stranger)
    response = client.post(
        url("application_autosave", association, application.pk),
        application_post(association, title="X"),
    )
    assert response.status_code == 404


def test_home_page_shows_what_is_left_to_allocate(client, association, office):
    call = f.CallFactory(association=association, title="Sökbara medel", pot=Decimal("569000"))
    client.force_login(office)
    body = plain(client.get(reverse("dashboard:home", args=[association.slug])).content.decode())
    assert "Kvar att fördela" in body
    text = " ".join(lxml.html.fromstring(body).text_content().split())
    assert f"{call.title}: 569 000 kr av 569 000 kr" in text
