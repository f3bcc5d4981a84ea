"""A status report shows the intervention's actual from the accounts beside what staff wrote,
and flags a forecast that differs from the one the accounts give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from finsam.demo.economy import load_economy_demo, load_ledger_demo
from finsam.economy.models import BudgetLine
from finsam.funding.models import InterventionReport
from finsam.funding.tests import factories as f
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(association):
    association.slug = "kramfors"
    association.save()
    load_economy_demo(association)
    load_ledger_demo(association)
    intervention = f.intervention(association, fields={"title": "STEGSAM"})
    BudgetLine.objects.filter(
        budget__association=association, label="Aktivitetscoach & samordnare STEGSAM"
    ).update(intervention=intervention)
    report = intervention.reports.exclude(kind="oral").first()
    InterventionReport.objects.filter(pk=report.pk).update(
        period_end=dt.date(2021, 6, 30), forecast=Decimal(1200000)
    )
    return report


def page(client, association, report) -> str:
    url = reverse("reporting:report_detail", args=[association.slug, report.pk])
    return client.get(url).content.decode()


def test_the_report_shows_the_accounts_beside_the_staffs_forecast_and_flags_the_gap(
    client, association, report
):
    client.force_login(user_with_role(association, Role.ECONOMIST))
    body = page(client, association, report)
    assert "Enligt bokföringen" in body
    assert (
        "Utfall t.o.m. 2021-06-30: 475\xa0000\xa0kr; prognos 950\xa0000\xa0kr; "
        "budget 950\xa0000\xa0kr." in body
    )
    assert (
        "Prognosen i rapporten skiljer sig från prognosen enligt bokföringen med "
        "250\xa0000\xa0kr." in body
    )


def test_a_forecast_close_to_the_accounts_is_not_flagged(client, association, report):
    InterventionReport.objects.filter(pk=report.pk).update(forecast=Decimal(960000))
    client.force_login(user_with_role(association, Role.OFFICE))
    body = page(client, association, report)
    assert "Enligt bokföringen" in body and "skiljer sig" not in body


def test_readers_without_the_budget_do_not_see_the_accounts(client, association, report):
    client.force_login(user_with_role(association, Role.MEMBER_ORG))
    response = client.get(reverse("reporting:report_detail", args=[association.slug, report.pk]))
    assert response.status_code == 200
    assert "Enligt bokföringen" not in response.content.decode()
