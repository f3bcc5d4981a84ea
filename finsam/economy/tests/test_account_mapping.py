"""Mapping the ledger to the budget: pick lists, the budget's account column, refusals, and the
accounts nothing maps, listed with their amounts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.demo.ledger import kramfors_2021_sie
from finsam.economy import ledger, selectors, services
from finsam.economy.models import AccountMapping, LedgerObject
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db
D = Decimal
JUNE_30 = dt.date(2021, 6, 30)


@pytest.fixture
def kramfors(association):
    association.slug = "kramfors"
    association.save()
    load_economy_demo(association)
    ledger.sie_import(
        association=association, fp=io.BytesIO(kramfors_2021_sie()), file_name="k.se", by=SYSTEM
    )
    return association


def test_the_ledger_page_offers_the_accounts_and_budget_lines_to_pick(client, kramfors):
    client.force_login(user_with_role(kramfors, Role.ECONOMIST))
    page = client.get("/f/kramfors/budget/bokforing/").content.decode()
    assert 'list="budget-lines"' in page and 'list="ledger-accounts"' in page
    assert '<option value="Bankkostnader">' in page
    assert '<option value="5010">5010 Löner</option>' in page


def test_a_mapping_to_a_line_no_budget_has_is_refused_at_the_field(client, kramfors):
    client.force_login(user_with_role(kramfors, Role.ECONOMIST))
    before = AuditEvent.objects.count()
    response = client.post(
        "/f/kramfors/budget/bokforing/mappning/",
        {"account_from": "7010", "account_to": "", "line_label": "Lokalhyra"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Det finns ingen budgetrad ”Lokalhyra”. Välj en rad i listan." in body
    assert 'value="7010"' in body  # what was typed stays
    assert not AccountMapping.objects.exists() and AuditEvent.objects.count() == before
    obj = LedgerObject.objects.filter(association=kramfors).first()
    page = client.post(
        f"/f/kramfors/budget/bokforing/objekt/{obj.pk}/", {"line_label": "Påhittad"}, follow=True
    ).content.decode()
    assert "Det finns ingen budgetrad ”Påhittad”" in page
    obj.refresh_from_db()
    assert obj.line_label == ""


def test_the_budgets_account_column_maps_and_what_nothing_maps_is_listed(kramfors):
    budget = kramfors.budgets.get()
    user = user_with_role(kramfors, Role.AUDITOR)
    report = selectors.follow_up(
        user=user,
        association=kramfors,
        budget=budget,
        cutoff=JUNE_30,
    )
    rows = {r.label: r for r in report.income + report.costs}
    # 8570 stands on the line "Bankkostnader" in the budget: it maps with no mapping entered.
    assert rows["Bankkostnader"].actual == D(1860)
    # Nothing maps the contributions (3600, 3610), the staff and other costs, nor the
    # interventions' 4530 without their objects: listed with their amounts.
    unmapped = {account: amount for account, _name, amount in report.unmapped}
    assert unmapped["3600"] == D(648000) and unmapped["5010"] > 0
    assert "8570" not in unmapped
    assert sum(unmapped.values(), D(0)) == sum(
        (r.actual for r in report.income + report.costs if "ej mappade" in r.label), D(0)
    )
    services.account_mapping_create(
        association=kramfors,
        account_from="3600",
        account_to="",
        line_label="Driftbidrag från staten",
        by=SYSTEM,
    )
    again = selectors.follow_up(
        user=user,
        association=kramfors,
        budget=budget,
        cutoff=JUNE_30,
    )
    assert "3600" not in {a for a, _n, _v in again.unmapped}
