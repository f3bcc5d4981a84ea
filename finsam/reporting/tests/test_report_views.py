"""The status-report pages: the due/overdue dashboard and its export, who may read, write and
review a report, and the form's answers to bad input. (Duties, the state machine and reminders:
finsam/funding/tests/test_reports.py.)"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.funding import services
from finsam.funding.models import InterventionReport
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_reports import _overdue_and_soon, complete
from finsam.funding.tests.test_views import field_errors, plain
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

S = InterventionReport.Status


def url(name: str, association, *args) -> str:
    return reverse(f"reporting:{name}", args=[association.slug, *args])


def test_dashboard_lists_states_filters_and_exports(client, association, office, stegsam):
    intervention, _staff = stegsam
    approved = intervention.reports.exclude(kind="oral").order_by("period_end").last()
    overdue, soon = _overdue_and_soon(intervention)
    complete(approved, office)
    services.report_submit(report=approved, by=office)
    services.report_approve(report=approved, by=office)
    client.force_login(office)
    page = client.get(url("reports", association)).content.decode()
    assert "Försenad" in page and "Godkänd" in page and "Ska lämnas" in page
    assert "1 försenad rapport" in page
    only = client.get(url("reports", association), {"status": "overdue"}).content.decode()
    assert url("report_detail", association, overdue.pk) in only
    assert url("report_detail", association, soon.pk) not in only
    response = client.get(url("reports", association), {"status": "approved", "format": "xlsx"})
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("Insats", "Rapport", "Avser till och med", "Ska lämnas senast", "Status")
    assert len(rows) == 2 and rows[1][4] == "Godkänd"


def test_staff_see_only_their_own_interventions_reports(client, association, office, stegsam):
    intervention, staff = stegsam
    f.intervention(association, fields={"title": "Annan insats"})
    client.force_login(staff)
    page = client.get(url("reports", association)).content.decode()
    assert intervention.title in page and "Annan insats" not in page
    client.force_login(user_with_role(association, Role.STAFF))
    other = intervention.reports.first()
    assert client.get(url("report_detail", association, other.pk)).status_code == 404


def test_staff_submit_a_report_through_the_form(client, association, stegsam):
    intervention, staff = stegsam
    report = intervention.reports.order_by("period_end").first()
    goals = list(intervention.goals.all())
    data = {
        "what_happened": "Coachen började i februari.",
        "outcome": "22 deltagare",
        "forecast": "580 000",
        "deviations": "",
        "action": "submit",
    }
    for g in goals:
        data[f"goal_{g.pk}_value"] = "på väg"
        data[f"goal_{g.pk}_comment"] = ""
    client.force_login(staff)
    assert client.get(url("report_edit", association, report.pk)).status_code == 200
    response = client.post(url("report_edit", association, report.pk), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.forecast) == (S.SUBMITTED, Decimal("580000"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("forecast", "-5", "negativ"),
        ("forecast", "mycket", "Ange ett belopp"),
        ("forecast", "10,555", "högst två decimaler"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    client, association, stegsam, field, value, message
):
    intervention, staff = stegsam
    report = intervention.reports.first()
    client.force_login(staff)
    response = client.post(
        url("report_edit", association, report.pk),
        {"what_happened": "Nytt", "outcome": "", field: value, "action": "save"},
    )
    assert response.status_code == 400
    assert message in plain(field_errors(response.content.decode(), field))
    report.refresh_from_db()
    assert (report.what_happened, report.forecast) == ("", None)


def test_submitting_without_goal_values_gives_400_at_the_goal_and_saves_nothing(
    client, association, stegsam
):
    intervention, staff = stegsam
    report = intervention.reports.first()
    goal = intervention.goals.first()
    client.force_login(staff)
    response = client.post(
        url("report_edit", association, report.pk),
        {"what_happened": "Nytt", "outcome": "Bra", "forecast": "1000", "action": "submit"},
    )
    assert response.status_code == 400
    assert "Ange utfallet" in field_errors(response.content.decode(), f"goal_{goal.pk}_value")
    report.refresh_from_db()
    assert (report.status, report.what_happened) == (S.DUE, "")


def test_other_staff_get_403_on_the_form(client, association, stegsam):
    intervention, _staff = stegsam
    client.force_login(user_with_role(association, Role.STAFF))
    # Other staff do not even see the intervention: 404, no data.
    response = client.get(url("report_edit", association, intervention.reports.first().pk))
    assert response.status_code == 404


def test_member_org_reads_but_may_not_write_reports(client, association, stegsam):
    intervention, _staff = stegsam
    client.force_login(user_with_role(association, Role.MEMBER_ORG))
    report = intervention.reports.first()
    assert client.get(url("report_detail", association, report.pk)).status_code == 200
    response = client.get(url("report_edit", association, report.pk))
    assert response.status_code == 403
    assert "Bara insatsens personal och kansliet" in response.content.decode()


def test_office_reviews_a_report(client, association, office, stegsam):
    intervention, staff = stegsam
    report = intervention.reports.first()
    complete(report, staff)
    services.report_submit(report=report, by=staff)
    client.force_login(office)
    page = client.get(url("report_detail", association, report.pk)).content.decode()
    assert "Granska rapporten" in page
    response = client.post(
        url("report_review", association, report.pk), {"action": "return", "review_comment": ""}
    )
    assert response.status_code == 400
    assert "Skriv vad som behöver kompletteras" in field_errors(
        response.content.decode(), "review_comment"
    )
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    response = client.post(
        url("report_review", association, report.pk), {"action": "approve", "review_comment": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (S.APPROVED, office)
    response = client.post(
        url("report_review", association, report.pk), {"action": "return", "review_comment": "x"}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == S.APPROVED


def test_staff_cannot_review(client, association, stegsam):
    intervention, staff = stegsam
    client.force_login(staff)
    response = client.post(
        url("report_review", association, intervention.reports.first().pk), {"action": "approve"}
    )
    assert response.status_code == 403
