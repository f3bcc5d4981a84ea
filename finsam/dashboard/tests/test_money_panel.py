"""Money at a glance: the figures of the year's counting budget, its follow-up and the rules (from
economy) and what is granted and paid (from funding), shown to the roles that read the economy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo, load_ledger_demo
from finsam.economy.models import Budget
from finsam.funding import services
from finsam.funding.models import Requisition
from finsam.funding.tests.factories import intervention
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import AssociationFactory, user_with_role

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


def kr(text: str) -> str:
    return text.replace(" ", NBSP) + f"{NBSP}kr"


@pytest.fixture
def kramfors():
    association = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(association)
    load_ledger_demo(association)
    samkraft = intervention(
        association,
        fields={"period_end": dt.date(2022, 12, 31)},
        grants=[
            (2021, Decimal("600000"), "Verksamhetsplan 2021"),
            (2022, Decimal("350000"), "Verksamhetsplan 2022"),
        ],
    )
    office = user_with_role(association, Role.OFFICE)
    economist = user_with_role(association, Role.ECONOMIST)
    for amount, status in (("100000", Requisition.Status.PAID), ("50000", None)):
        requisition = services.requisition_request(
            grant=samkraft.grants.get(year=2021),
            amount=Decimal(amount),
            date=dt.date(2021, 3, 1),
            by=office,
        )
        if status:
            for to in (Requisition.Status.APPROVED, Requisition.Status.PAID):
                services.requisition_transition(requisition=requisition, to=to, by=economist)
    return association


def get(client, association, user, **query):
    client.force_login(user)
    response = client.get(reverse("dashboard:home", args=[association.slug]), query)
    assert response.status_code == 200
    return response


def test_the_years_figures_come_from_the_counting_budget_the_ledger_and_the_grants(
    client, kramfors
):
    response = get(client, kramfors, user_with_role(kramfors, Role.ECONOMIST), ar="2021")

    rows = {row.label: row.amount for row in response.context["money"].rows}
    assert rows == {
        "Medlemsbidrag (budget)": Decimal("2592000"),
        "Beviljat till insatser": Decimal("600000"),  # 2021's grant only, not 2022's
        "Utbetalt till insatser": Decimal("100000"),  # paid, not merely requested
        "Bokförda kostnader hittills": Decimal("1362460"),  # the SIE file, January–June
        "Årets resultat, budget": Decimal("-253000"),
        "Årets resultat, prognos": Decimal("1229540"),
        "Eget kapital vid årets slut, prognos": Decimal("1777617"),
        "Golv för eget kapital (finansiella regler)": Decimal("180000"),
        "Tak för eget kapital (finansiella regler)": Decimal("518400"),
    }
    body = response.content.decode()
    assert "Ekonomin 2021 i korthet" in body
    for figure in ("2 592 000", "600 000", "100 000", "1 362 460", "180 000"):
        assert kr(figure) in body
    assert f"-253{NBSP}000{NBSP}kr" in body
    # The chart (tkr) and its table side by side; the chart's words for screen readers.
    assert 'id="money-chart-title"' in body
    assert f"Medlemsbidrag: Belopp 2{NBSP}592{NBSP}tkr" in body
    # The results are in the table only (a negative bar's figure would cross its label).
    assert "Årets resultat, budget: Belopp" not in body
    # Forecast equity (1 777 617 kr at 31 December, the ledger holding January–June) against
    # the ceiling of 20 % of the contributions (518 400 kr).
    assert response.context["money"].equity_position == "above"
    assert (
        "Prognosen för eget kapital vid årets slut ligger över taket i de finansiella reglerna."
        in body
    )


def test_only_drafts_are_named_as_such(client, kramfors):
    Budget.objects.filter(association=kramfors).update(status=Budget.Status.DRAFT)
    response = get(client, kramfors, user_with_role(kramfors, Role.BOARD), ar="2021")
    assert response.context["money"].only_drafts
    assert (
        "Styrelsen har inte antagit någon budget för 2021; detta är det senaste utkastet."
        in response.content.decode()
    )


def test_a_year_without_a_budget_says_so_and_offers_the_years_that_have_one(client, kramfors):
    response = get(client, kramfors, user_with_role(kramfors, Role.AUDITOR))
    body = response.content.decode()
    year = timezone.localdate().year
    assert f"Det finns ingen budget för {year}." in body
    assert 'href="?ar=2021#money-heading"' in body
    assert response.context["money"].rows == []


@pytest.mark.parametrize("role", [Role.OFFICE, Role.ECONOMIST, Role.BOARD, Role.AUDITOR])
def test_roles_that_read_the_economy_see_the_money(client, kramfors, role):
    body = get(client, kramfors, user_with_role(kramfors, role), ar="2021").content.decode()
    assert 'id="money-heading"' in body
    assert kr("2 592 000") in body


@pytest.mark.parametrize("role", [Role.MEMBER_ORG, Role.STAFF, Role.ADVISORY, Role.PRIVACY])
def test_the_money_is_hidden_from_roles_without_the_economy(client, kramfors, role):
    response = get(client, kramfors, user_with_role(kramfors, role), ar="2021")
    body = response.content.decode()
    assert response.context["money"] is None
    assert 'id="money-heading"' not in body
    assert kr("2 592 000") not in body
    assert "Ekonomin 2021" not in body


def test_a_bad_year_falls_back_to_this_year(client, kramfors):
    user = user_with_role(kramfors, Role.ECONOMIST)
    for bad in ("tjugo", "1999", "-1", ""):
        response = get(client, kramfors, user, ar=bad)
        assert response.context["money"].year == timezone.localdate().year


def test_another_associations_money_never_shows(client, kramfors, other_association):
    services.intervention_import(
        association=other_association,
        by=SYSTEM,
        fields={
            "title": "Främmande",
            "period_start": dt.date(2021, 1, 1),
            "period_end": dt.date(2021, 12, 31),
            "owner": "Annan",
            "target_group": "Alla",
        },
        kind_shares={"individual": 100},
        grants=[(2021, Decimal("777000"), "Annat beslut")],
    )
    response = get(client, kramfors, user_with_role(kramfors, Role.ECONOMIST), ar="2021")
    rows = {row.label: row.amount for row in response.context["money"].rows}
    assert rows["Beviljat till insatser"] == Decimal("600000")
    assert kr("777 000") not in response.content.decode()
