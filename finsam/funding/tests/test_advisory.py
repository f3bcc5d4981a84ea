"""The advisory group (utvecklingsgrupp, beredningsgrupp): reads what has been submitted, scores it
against the criteria beside the office, and does nothing else. The office alone marks the
application assessed, puts it on the agenda and records the board's decision."""

from __future__ import annotations

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from finsam.funding import services
from finsam.funding.models import Application, Assessment, Decision
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_views import plain
from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants.models import AccessLogEntry
from finsam.participants.tests import factories as pf


def url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE, first_name="Karin", last_name="Kansli")


@pytest.fixture
def advisory(association):
    return user_with_role(association, Role.ADVISORY, first_name="Bengt", last_name="Beredning")


@pytest.fixture
def criteria(association):
    return f.criteria_for(association)


@pytest.fixture
def submitted(association, office, criteria):
    return f.submitted(association, by=office, fields={"title": "Inskickad ansökan"})


def scores(criteria, score=3) -> dict[str, str]:
    return {f"criterion_{c.pk}": str(score) for c in criteria}


def test_the_role_gives_exactly_scoring_reading_assessments_and_what_every_role_has():
    everyone = {cap for cap, roles in CAPABILITIES.items() if roles == frozenset(Role)}
    advisory = {cap for cap, roles in CAPABILITIES.items() if Role.ADVISORY in roles}
    assert advisory == everyone | {"applications.assess", "assessments.view"}
    assert not {cap for cap in advisory if cap.startswith("participants.")}
    assert str(Role.ADVISORY.label) == "Beredningsgrupp"
    assert "beredningsgruppen" in str(REFUSALS["applications.assess"])


def test_advisory_reads_submitted_applications_but_never_a_draft(
    client, association, office, advisory, submitted
):
    draft = f.draft(association, by=office, fields={"title": "Hemligt utkast"})
    returned = f.submitted(association, by=office, fields={"title": "Återsänd ansökan"})
    services.application_return_to_applicant(application=returned, by=office)
    client.force_login(advisory)

    listing = client.get(url("applications", association)).content.decode()
    assert "Inskickad ansökan" in listing
    assert "Hemligt utkast" not in listing and "Återsänd ansökan" not in listing
    assert client.get(url("application_detail", association, submitted.pk)).status_code == 200
    for hidden in (draft, returned):
        response = client.get(url("application_detail", association, hidden.pk))
        assert response.status_code == 404
        assert hidden.title not in response.content.decode()
    assert client.get(url("assessment", association, draft.pk)).status_code == 404


def test_advisory_scores_with_comments_and_is_labelled_beside_the_office(
    client, association, office, advisory, submitted, criteria
):
    services.assessment_set(
        application=submitted, scores={c.pk: (4, "") for c in criteria}, by=office
    )
    client.force_login(advisory)
    page = client.get(url("assessment", association, submitted.pk)).content.decode()
    assert "Din bedömning" in page
    assert "Markera som bedömd" not in page and "Lägg på dagordningen" not in page
    assert "Registrera styrelsens beslut" not in page

    data = scores(criteria, 2) | {f"comment_{criteria[0].pk}": "Svag koppling till arbetslivet"}
    response = client.post(url("assessment", association, submitted.pk), data)
    assert response.status_code == 302
    mine = Assessment.objects.filter(application=submitted, assessor=advisory)
    assert mine.count() == len(criteria)
    assert mine.get(criterion=criteria[0]).comment == "Svag koppling till arbetslivet"
    assert AuditEvent.objects.filter(event="assessment.set", actor=advisory).exists()

    doc = lxml.html.fromstring(client.get(url("assessment", association, submitted.pk)).content)
    table = doc.get_element_by_id("side-by-side")
    columns = {
        (th.text or "").strip(): th.xpath(".//*[contains(@class, 'assessor-role')]")[0]
        .text_content()
        .strip()
        for th in table.xpath(".//thead//th")[1:-1]
    }
    assert columns == {"Karin Kansli": "Kansli", "Bengt Beredning": "Beredningsgrupp"}
    assert "3,00" in plain(table.text_content())  # mean of the office's 4 and the group's 2


def test_an_officer_who_also_sits_in_the_group_assesses_as_the_office(
    association, office, submitted, criteria
):
    from finsam.organisation.models import Membership

    Membership.objects.create(user=office, association=association, role=Role.ADVISORY)
    services.assessment_set(
        application=submitted, scores={c.pk: (3, "") for c in criteria}, by=office
    )
    summary = services.application_assessment_summary(submitted)
    assert summary.assessor_roles == {office.pk: "Kansli"}


@pytest.mark.parametrize("action", ["assessed", "return", "reopen"])
def test_only_the_office_marks_assessed_or_returns(
    client, association, advisory, submitted, criteria, action
):
    services.assessment_set(
        application=submitted, scores={c.pk: (3, "") for c in criteria}, by=advisory
    )
    client.force_login(advisory)
    events = AuditEvent.objects.count()
    response = client.post(url("assessment_action", association, submitted.pk, action))
    assert response.status_code == 403
    assert str(REFUSALS["assessments.manage"]) in response.content.decode()
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.SUBMITTED
    assert AuditEvent.objects.count() == events
    with pytest.raises(PermissionDenied):
        services.application_mark_assessed(application=submitted, by=advisory)


def test_advisory_neither_puts_on_the_agenda_nor_records_decisions(
    client, association, office, advisory, criteria
):
    application = f.assessed(association, office=office)
    meeting = f.board_meeting(association)
    client.force_login(advisory)
    response = client.post(url("agenda", association, application.pk), {"meeting": meeting.pk})
    assert response.status_code == 403
    response = client.post(
        url("decision_create", association, application.pk),
        {"meeting": meeting.pk, "paragraph": "12", "outcome": "approved"},
    )
    assert response.status_code == 403
    assert (
        "Bara styrelsens ledamöter och kansliet kan registrera styrelsens beslut."
        in response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ASSESSED
    assert not Decision.objects.exists()


def test_a_score_that_is_not_1_to_4_is_refused_and_nothing_saved(
    client, association, advisory, submitted, criteria
):
    client.force_login(advisory)
    data = scores(criteria) | {f"criterion_{criteria[0].pk}": "7"}
    response = client.post(url("assessment", association, submitted.pk), data)
    assert response.status_code == 400
    assert "Bedömningen är inte sparad." in response.content.decode()
    assert not Assessment.objects.filter(assessor=advisory).exists()


def test_advisory_of_another_association_gets_404(client, other_association, submitted, criteria):
    client.force_login(user_with_role(other_association, Role.ADVISORY))
    response = client.post(url("assessment", other_association, submitted.pk), scores(criteria))
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_advisory_sees_no_interventions_reports_or_participants(client, association, advisory):
    intervention = pf.staffed_intervention(association)
    enrolment = pf.register(association, intervention, by=pf.staff_user(association, intervention))
    client.force_login(advisory)
    assert intervention.title not in client.get(url("interventions", association)).content.decode()
    assert client.get(url("intervention_detail", association, intervention.pk)).status_code == 404
    report = intervention.reports.first()  # the 2021 grant's delårsrapport
    assert (
        client.get(
            reverse("reporting:report_detail", args=[association.slug, report.pk])
        ).status_code
        == 404
    )
    assert (
        intervention.title
        not in client.get(reverse("reporting:reports", args=[association.slug])).content.decode()
    )
    for name, args in [
        ("enrolment", [enrolment.pk]),
        ("intervention", [intervention.pk]),
        ("statistics", []),
        ("access_log", []),
    ]:
        response = client.get(reverse(f"participants:{name}", args=[association.slug, *args]))
        assert response.status_code in (403, 404), name
        assert "Alva" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(user=advisory).exists()
