"""An intervention's first screen: money this year and the next report, from funding's own data;
the register's panels are tested in finsam/participants/tests/test_summary.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.funding import services, summary
from finsam.funding.models import Intervention
from finsam.funding.tests import factories as f
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role


def _panels(client, association, intervention) -> dict[str, str]:
    page = client.get(
        reverse("funding:intervention_detail", args=[association.slug, intervention.pk])
    )
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.content)
    section = doc.get_element_by_id("how-it-goes")
    return {
        p.get("id"): " ".join(" ".join(t.strip() for t in p.itertext()).split())
        for p in section.xpath(".//section[@class='panel']")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICE, Role.BOARD, Role.ECONOMIST, Role.AUDITOR])
def test_money_this_year_and_the_next_report_lead_the_page(client, association, role):
    year = timezone.localdate().year
    office = user_with_role(association, Role.OFFICE)
    intervention = f.intervention(
        association,
        grants=[
            (year, Decimal("600000"), f"Verksamhetsplan {year}"),
            (year + 1, Decimal("350000"), f"Verksamhetsplan {year + 1}"),
        ],
        fields={"period_start": dt.date(year, 1, 1), "period_end": dt.date(year + 1, 12, 31)},
    )
    grant = intervention.grants.get(year=year)
    services.requisition_request(
        grant=grant, date=dt.date(year, 2, 1), amount=Decimal("150000"), by=office
    )
    client.force_login(user_with_role(association, role))
    panels = _panels(client, association, intervention)
    assert panels["panel-money"] == (
        f"Pengar {year} Beviljat 600 000 kr Rekvirerat 150 000 kr Utbetalt 0 kr Kvar 600 000 kr"
    )
    open_reports = [r for r in intervention.reports.order_by("due_date") if r.is_open]
    first = open_reports[0]
    assert panels["panel-next-report"].startswith(
        f"Nästa rapport {first.get_kind_display()} {first.period_end.year}"
    )
    assert f"ytterligare {len(open_reports) - 1} öppna" in panels["panel-next-report"]


@pytest.mark.django_db
def test_an_overdue_report_is_named_as_overdue_and_nothing_granted_is_said(client, association):
    today = timezone.localdate()
    intervention = f.intervention(association, grants=[(2021, Decimal("600000"), "VP 2021")])
    grant_years = services.grant_years(intervention)
    report = intervention.reports.order_by("due_date").first()  # imported: duties from 2021
    reports = [(r, r.state_on(today)) for r in intervention.reports.all()]
    panels = {
        p.key: p
        for p in summary.panels(
            user=user_with_role(association, Role.OFFICE),
            intervention=intervention,
            year=today.year,
            grant_years=grant_years,
            reports=reports,
            today=today,
        )
    }
    assert panels["money"].note == "Inga medel beviljade för året."
    figure = panels["next-report"].figures[0]
    assert figure.value.startswith("försenad sedan ")
    assert report.due_date < today


def test_an_ended_intervention_speaks_of_its_last_year_and_a_planned_one_of_its_first():
    today = dt.date(2026, 12, 7)
    ended = Intervention(period_start=dt.date(2020, 1, 1), period_end=dt.date(2021, 12, 31))
    planned = Intervention(period_start=dt.date(2028, 1, 1), period_end=None)
    running = Intervention(period_start=dt.date(2016, 1, 1), period_end=None)
    assert summary.summary_year(ended, today) == 2021
    assert summary.summary_year(planned, today) == 2028
    assert summary.summary_year(running, today) == 2026
