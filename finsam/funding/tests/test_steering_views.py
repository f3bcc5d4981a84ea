"""Request tests for the steering group on the intervention page: who sees what, who changes what,
bad input, downloads, the export, the settings and the reports dashboard.

Logged out, 403 per capability and other associations (404) for every URL are in
test_permissions.py; here are the per-intervention rules the capability alone cannot say.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from finsam.funding import services
from finsam.funding.models import FundingSettings, SteeringGroupMeeting, SteeringGroupMember
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_steering import real_docx, real_pdf
from finsam.funding.tests.test_views import field_errors
from finsam.organisation.access import REFUSALS
from finsam.organisation.models import AuditEvent, Membership, Role
from finsam.organisation.tests.factories import user_with_role


def url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def intervention(association, office):
    intervention = f.intervention(
        association,
        fields={
            "title": "STEGSAM",
            "period_start": dt.date(2020, 1, 1),
            "period_end": dt.date(2021, 12, 31),
        },
        members=[association.members.filter(kind="municipality").first()],
    )
    services.steering_member_create(
        intervention=intervention, name="Anna Andersson", role="Ordförande", by=office
    )
    return intervention


@pytest.fixture
def meeting(intervention, office):
    return services.steering_meeting_create(
        intervention=intervention,
        date=dt.date(2021, 3, 10),
        notes="Lägesrapport från projektledaren",
        minutes=SimpleUploadedFile("Protokoll mars.pdf", real_pdf(), "application/pdf"),
        by=office,
    )


@pytest.fixture
def staff(association, intervention, office):
    user = user_with_role(association, Role.STAFF)
    services.intervention_staff_set(intervention=intervention, users=[user], by=office)
    return user


def member_org_user(association, member):
    user = user_with_role(association, Role.MEMBER_ORG)
    Membership.objects.filter(user=user, association=association).update(member=member)
    return user


def steering_section(html: str) -> str:
    return lxml.html.fromstring(html).get_element_by_id("styrgrupp").text_content()


# --- the intervention page ----------------------------------------------------------------------


def test_office_sees_the_group_the_years_and_the_meetings_with_links(
    client, association, intervention, meeting, office
):
    client.force_login(office)
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    section = steering_section(body)
    assert "Anna Andersson" in section
    assert "Protokoll mars.pdf" in section
    assert "Lägesrapport från projektledaren" in section
    assert "Förväntat: 3 möten per år (förbundets standard)." in " ".join(section.split())
    doc = lxml.html.fromstring(body)
    years = [
        [c.text_content().strip() for c in row]
        for row in doc.get_element_by_id("steering-years").xpath(".//tbody/tr")
    ]
    assert years == [
        ["2021", "3", "1", "1", "0", "Färre möten än förväntat"],
        ["2020", "3", "0", "0", "0", "Färre möten än förväntat"],
    ]
    # Only the latest year that is over is flagged; 2020 is history, written without the badge.
    flagged = doc.get_element_by_id("steering-years").xpath(".//span[contains(@class, 'bad')]")
    assert [span.getparent().getparent()[0].text_content() for span in flagged] == ["2021"]
    for name in ("steering_meeting_create", "steering_member_create", "steering_meetings_xlsx"):
        assert url(name, association, intervention.pk) in body
    assert (
        f'href="{url("steering_meeting_edit", association, intervention.pk, meeting.pk)}"' in body
    )
    assert url("steering_minutes_download", association, intervention.pk, meeting.pk) in body


@pytest.mark.parametrize("role", [Role.BOARD, Role.AUDITOR])
def test_board_and_auditors_read_and_download_but_change_nothing(
    client, association, intervention, meeting, role
):
    client.force_login(user_with_role(association, role))
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    assert "Protokoll mars.pdf" in body
    assert url("steering_minutes_download", association, intervention.pk, meeting.pk) in body
    assert url("steering_meeting_create", association, intervention.pk) not in body
    edit = url("steering_meeting_edit", association, intervention.pk, meeting.pk)
    assert f'href="{edit}"' not in body
    response = client.get(
        url("steering_minutes_download", association, intervention.pk, meeting.pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_page_says_when_no_steering_group_is_expected(client, association, office):
    event = f.intervention(
        association, fields={"title": "Psykiatridagen", "steering_meetings_per_year": "0"}
    )
    client.force_login(office)
    body = client.get(url("intervention_detail", association, event.pk)).content.decode()
    section = " ".join(steering_section(body).split())
    assert "Insatsen anger att den inte har någon styrgrupp (0 möten per år)" in section
    assert 'id="steering-years"' not in body


def test_economist_sees_the_counts_but_not_the_minutes(client, association, intervention, meeting):
    client.force_login(user_with_role(association, Role.ECONOMIST))
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    section = steering_section(body)
    assert "Anna Andersson" in section and "Färre möten än förväntat" in section
    assert "Protokoll mars.pdf" not in body and "Lägesrapport" not in body
    assert url("steering_minutes_download", association, intervention.pk, meeting.pk) not in body


def test_member_organisation_reads_minutes_only_of_interventions_it_takes_part_in(
    client, association, intervention, meeting
):
    ours = intervention.members.get()
    client.force_login(member_org_user(association, ours))
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    assert "Protokoll mars.pdf" in body
    assert url("steering_meeting_create", association, intervention.pk) not in body
    download = url("steering_minutes_download", association, intervention.pk, meeting.pk)
    assert client.get(download).status_code == 200

    other = association.members.exclude(pk=ours.pk).filter(kind="municipality").first()
    client.force_login(member_org_user(association, other))
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    assert "Anna Andersson" in body  # the group itself, as before
    assert "Protokoll mars.pdf" not in body and "Lägesrapport" not in body
    events = AuditEvent.objects.count()
    response = client.get(download)
    assert response.status_code == 403
    assert str(REFUSALS["steering.view"]) in response.content.decode()
    response = client.get(url("steering_meetings_xlsx", association, intervention.pk))
    assert response.status_code == 403
    assert AuditEvent.objects.count() == events


def test_staff_of_the_intervention_keep_the_meetings(
    client, association, intervention, meeting, staff
):
    client.force_login(staff)
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    assert (
        f'href="{url("steering_meeting_edit", association, intervention.pk, meeting.pk)}"' in body
    )
    response = client.post(
        url("steering_meeting_create", association, intervention.pk),
        {
            "date": "2021-05-20",
            "notes": "Budgetuppföljning",
            "minutes": SimpleUploadedFile("maj.docx", real_docx()),
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("#styrgrupp")
    created = intervention.steering_meetings.get(date=dt.date(2021, 5, 20))
    assert created.minutes_name == "maj.docx" and created.minutes_uploaded_by == staff


def test_staff_of_another_intervention_get_404_and_nothing_changes(
    client, association, intervention, meeting
):
    client.force_login(user_with_role(association, Role.STAFF))
    person = intervention.steering_group.get()
    for name, args, method in [
        ("intervention_detail", (), "get"),
        ("steering_meeting_create", (), "post"),
        ("steering_meeting_edit", (meeting.pk,), "post"),
        ("steering_meeting_delete", (meeting.pk,), "post"),
        ("steering_minutes_download", (meeting.pk,), "get"),
        ("steering_member_edit", (person.pk,), "post"),
        ("steering_member_delete", (person.pk,), "post"),
    ]:
        target = url(name, association, intervention.pk, *args)
        response = getattr(client, method)(target, {"date": "2021-06-01", "role": "X"})
        assert response.status_code == 404, name
    assert intervention.steering_meetings.count() == 1
    assert intervention.steering_group.get().role == "Ordförande"


def test_a_meeting_of_another_intervention_is_404(
    client, association, intervention, meeting, office
):
    other = f.intervention(association, fields={"title": "Annan"})
    client.force_login(office)
    for name in ("steering_meeting_edit", "steering_minutes_download"):
        assert client.get(url(name, association, other.pk, meeting.pk)).status_code == 404
    response = client.post(url("steering_meeting_delete", association, other.pk, meeting.pk))
    assert response.status_code == 404
    assert SteeringGroupMeeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_without_minutes_has_nothing_to_download(
    client, association, intervention, office
):
    bare = services.steering_meeting_create(
        intervention=intervention, date=dt.date(2021, 4, 1), by=office
    )
    client.force_login(office)
    response = client.get(url("steering_minutes_download", association, intervention.pk, bare.pk))
    assert response.status_code == 404


# --- meetings -----------------------------------------------------------------------------------


def test_download_is_audited_and_not_served_from_media(
    client, association, intervention, meeting, office
):
    client.force_login(office)
    response = client.get(
        url("steering_minutes_download", association, intervention.pk, meeting.pk)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Protokoll%20mars.pdf" in response["Content-Disposition"] or (
        "Protokoll mars.pdf" in response["Content-Disposition"]
    )
    event = AuditEvent.objects.get(event="steering_minutes.downloaded")
    assert event.actor == office and event.after == {"name": "Protokoll mars.pdf"}
    assert event.association == association


def test_bad_minutes_show_the_error_at_the_field_and_save_nothing(
    client, association, intervention, office
):
    client.force_login(office)
    fake = SimpleUploadedFile("protokoll.pdf", b"bara text", "application/pdf")
    response = client.post(
        url("steering_meeting_create", association, intervention.pk),
        {"date": "2021-05-20", "notes": "x", "minutes": fake},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "är inte en riktig PDF-fil" in field_errors(body, "minutes")
    assert "Inget har sparats" in body
    assert not intervention.steering_meetings.exists()
    assert not AuditEvent.objects.filter(event="steering_meeting.created").exists()


@pytest.mark.parametrize(
    ("date", "message"),
    [("", "fält måste fyllas i"), ("2022-02-01", "inom insatsens period")],
)
def test_bad_date_shows_the_error_at_the_field(
    client, association, intervention, office, date, message
):
    client.force_login(office)
    response = client.post(
        url("steering_meeting_create", association, intervention.pk), {"date": date}
    )
    assert response.status_code == 400
    assert message in field_errors(response.content.decode(), "date")
    assert not intervention.steering_meetings.exists()


def test_the_form_is_multipart_and_labelled(client, association, intervention, office):
    client.force_login(office)
    body = client.get(url("steering_meeting_create", association, intervention.pk)).content.decode()
    doc = lxml.html.fromstring(body)
    form = doc.xpath("//form[@enctype='multipart/form-data']")[0]
    for name in ("date", "notes", "minutes"):
        field = form.xpath(f".//*[@name='{name}']")[0]
        assert doc.xpath(f"//label[@for='{field.get('id')}']"), name
    assert "remove_minutes" not in body


def test_edit_replaces_or_removes_the_minutes(client, association, intervention, meeting, office):
    client.force_login(office)
    edit = url("steering_meeting_edit", association, intervention.pk, meeting.pk)
    page = client.get(edit).content.decode()
    assert "Protokoll mars.pdf" in page and 'name="remove_minutes"' in page
    response = client.post(
        edit,
        {
            "date": "2021-03-11",
            "notes": "Flyttat",
            "minutes": SimpleUploadedFile("ny.docx", real_docx()),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.notes, meeting.minutes_name) == (
        dt.date(2021, 3, 11),
        "Flyttat",
        "ny.docx",
    )
    response = client.post(edit, {"date": "2021-03-11", "notes": "", "remove_minutes": "on"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.minutes
    assert AuditEvent.objects.filter(event="steering_minutes.deleted").count() == 1


def test_delete_meeting(client, association, intervention, meeting, office):
    client.force_login(office)
    response = client.post(url("steering_meeting_delete", association, intervention.pk, meeting.pk))
    assert response.status_code == 302
    assert not intervention.steering_meetings.exists()
    assert AuditEvent.objects.filter(event="steering_meeting.deleted").count() == 1


@pytest.mark.parametrize("role", [Role.BOARD, Role.MEMBER_ORG, Role.AUDITOR])
def test_readers_cannot_add_meetings(client, association, intervention, role):
    client.force_login(user_with_role(association, role))
    response = client.post(
        url("steering_meeting_create", association, intervention.pk), {"date": "2021-05-20"}
    )
    assert response.status_code == 403
    assert str(REFUSALS["steering.manage"]) in response.content.decode()
    assert not intervention.steering_meetings.exists()


def test_export_lists_the_meetings(client, association, intervention, meeting, office):
    services.steering_meeting_create(intervention=intervention, date=dt.date(2021, 9, 1), by=office)
    client.force_login(user_with_role(association, Role.AUDITOR))
    response = client.get(url("steering_meetings_xlsx", association, intervention.pk))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Insats", "Datum", "Dagordning och anteckningar", "Protokoll")
    assert [(r[1].date(), r[3]) for r in rows[1:]] == [
        (dt.date(2021, 3, 10), "Protokoll mars.pdf"),
        (dt.date(2021, 9, 1), "Saknas"),
    ]


# --- members ------------------------------------------------------------------------------------


def test_office_adds_edits_and_removes_a_member(client, association, intervention, office):
    client.force_login(office)
    region = association.members.get(kind="region")
    response = client.post(
        url("steering_member_create", association, intervention.pk),
        {"name": "Bo Berg", "member": region.pk, "role": "Ledamot"},
    )
    assert response.status_code == 302
    person = intervention.steering_group.get(name="Bo Berg")
    assert person.member == region
    response = client.post(
        url("steering_member_edit", association, intervention.pk, person.pk),
        {"name": "Bo Berg", "member": "", "role": "Ersättare"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.member, person.role) == (None, "Ersättare")
    response = client.post(url("steering_member_delete", association, intervention.pk, person.pk))
    assert response.status_code == 302
    assert not SteeringGroupMember.objects.filter(pk=person.pk).exists()
    assert [e.event for e in AuditEvent.objects.filter(event__startswith="steering_member")] == [
        "steering_member.deleted",
        "steering_member.updated",
        "steering_member.created",
        "steering_member.created",  # the fixture's
    ]


def test_empty_member_is_an_error_at_the_field(client, association, intervention, office):
    client.force_login(office)
    response = client.post(
        url("steering_member_create", association, intervention.pk),
        {"name": "", "member": "", "role": ""},
    )
    assert response.status_code == 400
    assert "Ange namn, organisation eller roll." in field_errors(response.content.decode(), "name")
    assert intervention.steering_group.count() == 1


def test_member_of_another_association_cannot_be_chosen(
    client, association, other_association, intervention, office
):
    client.force_login(office)
    foreign = other_association.members.first()
    response = client.post(
        url("steering_member_create", association, intervention.pk),
        {"name": "X", "member": foreign.pk, "role": ""},
    )
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "member")
    assert intervention.steering_group.count() == 1


def test_the_application_page_still_shows_its_proposed_group_read_only(client, association, office):
    application = f.draft(association, by=office)
    client.force_login(office)
    body = client.get(url("application_detail", association, application.pk)).content.decode()
    assert "Anna Andersson" in body
    assert "/styrgrupp/" not in body


# --- settings and dashboard ---------------------------------------------------------------------


def test_the_default_is_edited_on_the_settings_page(client, association, office):
    client.force_login(office)
    data = {
        "interim_report_month": "6",
        "interim_report_day": "30",
        "annual_report_month": "12",
        "annual_report_day": "31",
        "oral_presentations_per_year": "1",
        "oral_presentation_month": "11",
        "oral_presentation_day": "30",
        "steering_meetings_expected": "13",
    }
    response = client.post(url("settings_edit", association), data)
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "steering_meetings_expected")
    assert not FundingSettings.objects.filter(association=association).exists()
    response = client.post(
        url("settings_edit", association), {**data, "steering_meetings_expected": "4"}
    )
    assert response.status_code == 302
    assert FundingSettings.objects.get(association=association).steering_meetings_expected == 4
    body = client.get(url("criteria", association)).content.decode()
    assert "4 möten per år" in body


def test_the_default_applies_when_the_intervention_states_none(
    client, association, intervention, office
):
    services.funding_settings_update(
        association=association, data={"steering_meetings_expected": 4}, by=office
    )
    client.force_login(office)
    body = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    assert "Förväntat: 4 möten per år (förbundets standard)." in " ".join(
        steering_section(body).split()
    )


def test_reports_dashboard_lists_steering_groups_behind(client, association, office):
    today = dt.date.today()
    running = f.intervention(
        association,
        fields={
            "title": "Ligger efter",
            "period_start": dt.date(today.year - 1, 1, 1),
            "period_end": None,
        },
    )
    services.steering_meeting_create(
        intervention=running, date=dt.date(today.year - 1, 5, 1), by=office
    )
    client.force_login(office)
    body = client.get(reverse("reporting:reports", args=[association.slug])).content.decode()
    section = lxml.html.fromstring(body).get_element_by_id("steering-behind").text_content()
    text = " ".join(section.split())
    assert "Ligger efter" in text
    assert f"{today.year - 1} 1 av 3 möten" in text
    assert "1 protokoll saknas" in text

    client.force_login(user_with_role(association, Role.ECONOMIST))
    body = client.get(reverse("reporting:reports", args=[association.slug])).content.decode()
    assert "steering-behind" not in body
