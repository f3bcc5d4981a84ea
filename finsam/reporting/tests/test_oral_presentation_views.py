"""The oral presentation on the report pages: the dashboard shows it due, overdue and held; the
office records it held on its page; others see it but cannot. (The duty, its state machine and
reminders: finsam/funding/tests/test_oral_presentations.py.)"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import lxml.html
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finsam.funding import services
from finsam.funding.models import (
    InterventionReport,
    ReportKind,
)
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_oral_presentations import held_meeting
from finsam.funding.tests.test_views import field_errors
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

S = InterventionReport.Status


def url(name: str, association, *args) -> str:
    return reverse(f"reporting:{name}", args=[association.slug, *args])


def test_dashboard_shows_presentations_due_overdue_and_held(client, association, office, stegsam):
    intervention, _staff = stegsam
    today = timezone.localdate()
    first, second = intervention.reports.filter(kind=ReportKind.ORAL).order_by("period_end")
    InterventionReport.objects.filter(pk=first.pk).update(
        period_end=today - dt.timedelta(days=3), due_date=today - dt.timedelta(days=3)
    )
    InterventionReport.objects.filter(pk=second.pk).update(
        period_end=today + dt.timedelta(days=60), due_date=today + dt.timedelta(days=60)
    )
    client.force_login(office)
    overdue = client.get(url("reports", association), {"status": "overdue", "typ": "oral"})
    body = overdue.content.decode()
    assert url("report_detail", association, first.pk) in body
    assert url("report_detail", association, second.pk) not in body
    assert "Muntlig föredragning" in body
    due = client.get(url("reports", association), {"status": "due", "typ": "oral"})
    assert url("report_detail", association, second.pk) in due.content.decode()

    services.oral_presentation_held(report=first, meeting=held_meeting(association), by=office)
    page = client.get(url("reports", association), {"typ": "oral"}).content.decode()
    rows = lxml.html.fromstring(page).xpath('//table[@id="reports"]/tbody/tr')
    assert len(rows) == 2
    held_row = next(r for r in rows if "Genomförd" in r.text_content())
    assert "styrelsen 2022-10-12" in held_row.text_content()
    only_written = client.get(url("reports", association), {"typ": "interim"}).content.decode()
    assert "Muntlig föredragning" not in only_written.split('id="reports"')[1]

    response = client.get(url("reports", association), {"status": "held", "format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][8] == "Föredragen vid styrelsens sammanträde"
    assert len(rows) == 2
    assert rows[1][1] == "Muntlig föredragning"
    assert rows[1][4] == "Genomförd"
    assert rows[1][8].date() == dt.date(2022, 10, 12)


def test_office_marks_the_presentation_held_on_its_page(client, association, office, stegsam):
    intervention, _staff = stegsam
    duty = intervention.reports.filter(kind=ReportKind.ORAL).order_by("period_end").first()
    meeting = held_meeting(association)
    future = f.board_meeting(association, date=timezone.localdate() + dt.timedelta(days=30))
    client.force_login(office)
    page = client.get(url("report_detail", association, duty.pk)).content.decode()
    assert "Registrera föredragningen" in page
    assert "Skriv rapporten" not in page
    doc = lxml.html.fromstring(page)
    options = doc.xpath('//select[@name="meeting"]/option/@value')
    assert str(meeting.pk) in options
    assert str(future.pk) not in options  # not held yet

    response = client.post(url("report_held", association, duty.pk), {"meeting": ""})
    assert response.status_code == 400
    assert "Välj styrelsens sammanträde" in field_errors(response.content.decode(), "meeting")
    duty.refresh_from_db()
    assert duty.status == S.DUE

    response = client.post(
        url("report_held", association, duty.pk), {"meeting": meeting.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("report_detail", association, duty.pk)
    body = response.content.decode()
    assert "Föredragningen är registrerad som genomförd." in body
    assert "Hölls vid styrelsens sammanträde 2022-10-12." in body
    assert "Registrera föredragningen" not in body
    duty.refresh_from_db()
    assert (duty.status, duty.meeting) == (S.HELD, meeting)

    events = AuditEvent.objects.count()
    response = client.post(url("report_held", association, duty.pk), {"meeting": meeting.pk})
    assert response.status_code == 400
    assert "kan inte få status" in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_others_see_the_duty_but_cannot_mark_it(client, association, stegsam):
    intervention, staff = stegsam
    duty = intervention.reports.filter(kind=ReportKind.ORAL).first()
    meeting = held_meeting(association)
    for user in (staff, user_with_role(association, Role.BOARD)):
        client.force_login(user)
        page = client.get(url("report_detail", association, duty.pk)).content.decode()
        assert "ska redovisas muntligt för styrelsen senast" in page
        assert "Registrera föredragningen" not in page
        assert "Skriv rapporten" not in page
        response = client.post(url("report_held", association, duty.pk), {"meeting": meeting.pk})
        assert response.status_code == 403
    client.force_login(staff)
    assert client.get(url("report_edit", association, duty.pk)).status_code == 403
    duty.refresh_from_db()
    assert duty.status == S.DUE


def test_a_written_report_has_no_held_form(client, association, office, stegsam):
    intervention, _staff = stegsam
    report = intervention.reports.get(kind=ReportKind.INTERIM, period_end=dt.date(2022, 6, 30))
    client.force_login(office)
    response = client.post(
        url("report_held", association, report.pk), {"meeting": held_meeting(association).pk}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == S.DUE
