"""The report builder: per role only what the app's own pages show; allow-listed columns and
filters, refused in Swedish at the field; save, share, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finsam.funding import selectors as funding_selectors
from finsam.funding.tests import factories as funding_factories
from finsam.insights import datasets
from finsam.insights.models import SavedReport
from finsam.insights.tests.factories import saved_report
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants.tests import factories as register_factories

YEAR = timezone.localdate().year


@pytest.fixture
def interventions(association):
    samkraft = funding_factories.intervention(
        association,
        fields={"title": "Samkraft", "period_start": dt.date(2021, 1, 1), "period_end": None},
        grants=[(2021, Decimal("600000"), "VP 2021")],
        kind_shares={"individual": 100},
    )
    steget = funding_factories.intervention(
        association,
        fields={"title": "Steget", "period_start": dt.date(2021, 1, 1), "period_end": None},
        grants=[(2021, Decimal("250000"), "VP 2021")],
        kind_shares={"structural": 100},
    )
    return samkraft, steget


def _builder(client, association, **params):
    return client.get(reverse("insights:builder", args=[association.slug]), params)


def _preview_titles(response) -> set[str]:
    headers = response.context["headers"]
    column = headers.index("Insats")
    return {row[column] for row in response.context["rows"]}


def test_member_org_gets_the_interventions_the_funding_pages_show(
    client, association, interventions
):
    user = funding_factories.member_org_user(association)
    client.force_login(user)
    response = _builder(client, association, dataset="interventions", columns=["title", "granted"])
    assert response.status_code == 200
    expected = {
        i.title for i in funding_selectors.interventions(user=user, association=association)
    }
    assert _preview_titles(response) == expected == {"Samkraft", "Steget"}


def test_staff_get_only_their_own_interventions(client, association, interventions):
    samkraft, _steget = interventions
    staff = register_factories.staff_user(association, samkraft)
    client.force_login(staff)
    response = _builder(client, association, dataset="interventions", columns=["title", "paid"])
    assert _preview_titles(response) == {"Samkraft"}
    grants = _builder(client, association, dataset="grants", columns=["intervention", "amount"])
    assert {row[0] for row in grants.context["rows"]} == {"Samkraft"}


def test_staff_building_participant_aggregates_get_only_suppressed_figures(client, association):
    intervention = register_factories.staffed_intervention(association, title="STEGSAM")
    staff = register_factories.staff_user(association, intervention)
    for i in range(2):
        register_factories.register(
            association,
            intervention,
            number=register_factories.identity_number(serial=f"{300 + i:03d}"),
        )
    client.force_login(staff)
    response = _builder(
        client,
        association,
        dataset="participant_aggregates",
        columns=["intervention", "started"],
        year=YEAR,
    )
    assert response.status_code == 200
    assert response.context["rows"] == [["STEGSAM", "<5"]]
    body = response.content.decode()
    assert "Alva" not in body and "070-123" not in body


@pytest.mark.parametrize(
    ("role", "dataset"),
    [
        (Role.BOARD, "requisitions"),  # the requisitions list: office, economist, auditors
        (Role.MEMBER_ORG, "budget_lines"),  # the budget: economic readers only
        (Role.MEMBER_ORG, "participant_aggregates"),
        (Role.ADVISORY, "goals"),
    ],
)
def test_a_data_set_the_role_cannot_read_is_refused_at_the_field(
    client, login_as, association, interventions, role, dataset
):
    login_as(role)
    response = _builder(client, association, dataset=dataset, columns=["intervention"])
    assert response.status_code == 400
    errors = response.context["form"].errors["dataset"]
    assert "Välj ett giltigt alternativ" in errors[0]
    assert "rows" not in response.context


def test_an_unknown_column_is_refused_in_swedish_at_the_field(
    client, login_as, association, interventions
):
    login_as(Role.OFFICE)
    response = _builder(
        client, association, dataset="interventions", columns=["title", "application__budget"]
    )
    assert response.status_code == 400
    (error,) = response.context["form"].errors["columns"]
    assert "Välj ett giltigt alternativ" in error and "application__budget" in error


def test_a_filter_the_data_set_does_not_have_is_refused_at_the_field(
    client, login_as, association, interventions
):
    login_as(Role.OFFICE)
    response = _builder(
        client, association, dataset="grants", columns=["intervention"], kind="individual"
    )
    assert response.status_code == 400
    (error,) = response.context["form"].errors["kind"]
    assert "kan inte filtreras" in error
    assert 'id="id_kind"' in response.content.decode()  # shown, with its error


def test_filters_narrow_the_rows(client, login_as, association, interventions):
    login_as(Role.OFFICE)
    response = _builder(
        client, association, dataset="interventions", columns=["title"], kind="structural"
    )
    assert response.context["rows"] == [["Steget"]]
    response = _builder(
        client, association, dataset="interventions", columns=["title"], search="kraft"
    )
    assert response.context["rows"] == [["Samkraft"]]


def test_saving_stores_the_choice_and_audits_it(client, login_as, association, interventions):
    user = login_as(Role.ECONOMIST)
    url = reverse("insights:builder", args=[association.slug])
    response = client.post(
        url,
        {
            "dataset": "requisitions",
            "columns": ["intervention", "amount"],
            "year": "2021",
            "name": "Utbetalningar 2021",
            "shared": "on",
        },
    )
    report = SavedReport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.pk}/")
    assert (report.owner, report.dataset, report.columns) == (
        user,
        "requisitions",
        ["intervention", "amount"],
    )
    assert report.filters == {"year": 2021} and report.shared
    assert AuditEvent.objects.filter(event="saved_report.created", actor=user).exists()


def test_saving_without_a_name_saves_nothing(client, login_as, association):
    login_as(Role.OFFICE)
    response = client.post(
        reverse("insights:builder", args=[association.slug]),
        {"dataset": "grants", "columns": ["intervention"], "name": ""},
    )
    assert response.status_code == 400
    assert "Detta fält måste fyllas i" in response.context["form"].errors["name"][0]
    assert not SavedReport.objects.exists()


def test_export_csv_and_xlsx_hold_the_rows(client, association, interventions):
    owner = user_with_role(association, Role.OFFICE)
    report = saved_report(association, owner, columns=["intervention", "year", "amount"])
    client.force_login(owner)
    url = reverse("insights:report", args=[association.slug, report.pk])
    text = client.get(url, {"format": "csv"}).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        ["Insats", "År", "Belopp"],
        ["Samkraft", "2021", "600000,00"],
        ["Steget", "2021", "250000,00"],
    ]
    ws = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert [c.value for c in ws[2]] == ["Samkraft", 2021, 600000]


def test_a_shared_report_is_read_with_the_readers_own_role(client, association, interventions):
    owner = user_with_role(association, Role.OFFICE)
    report = saved_report(association, owner, dataset="budget_lines", columns=["line", "amount"])
    client.force_login(funding_factories.member_org_user(association))
    response = client.get(reverse("insights:report", args=[association.slug, report.pk]))
    assert response.status_code == 403  # the budget is not open to member organisations
    assert "budgeten" in response.content.decode().lower()


def test_only_the_owner_changes_the_report(client, association, interventions):
    owner = user_with_role(association, Role.OFFICE)
    report = saved_report(association, owner)
    other = user_with_role(association, Role.OFFICE)
    client.force_login(other)
    url = reverse("insights:report_edit", args=[association.slug, report.pk])
    assert (
        client.post(url, {"dataset": "grants", "columns": ["year"], "name": "X"}).status_code == 403
    )
    client.force_login(owner)
    response = client.post(url, {"dataset": "grants", "columns": ["year"], "name": "Nytt namn"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.name, report.columns) == ("Nytt namn", ["year"])
    assert AuditEvent.objects.filter(event="saved_report.updated", actor=owner).exists()


def test_editing_with_an_unknown_column_changes_nothing(client, association, interventions):
    owner = user_with_role(association, Role.OFFICE)
    report = saved_report(association, owner)
    client.force_login(owner)
    response = client.post(
        reverse("insights:report_edit", args=[association.slug, report.pk]),
        {"dataset": "grants", "columns": ["intervention__association"], "name": "X"},
    )
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.context["form"].errors["columns"][0]
    report.refresh_from_db()
    assert report.name == "Beviljat per insats"


def test_every_data_set_declares_an_app_capability_and_columns():
    for dataset in datasets.DATASETS.values():
        assert dataset.columns and dataset.filters
        assert len({c.key for c in dataset.columns}) == len(dataset.columns)
        assert set(dataset.filters) <= set(datasets.FILTERS)


@pytest.mark.parametrize(
    ("role", "key"),
    [pytest.param(r, k, id=f"{k}-{r.value}") for k in datasets.DATASETS for r in Role],
)
def test_every_role_gets_a_data_set_only_with_its_apps_capability(
    client, login_as, association, interventions, role, key
):
    from finsam.organisation.access import CAPABILITIES

    login_as(role)
    dataset = datasets.DATASETS[key]
    columns = [c.key for c in dataset.columns]
    response = _builder(client, association, dataset=key, columns=columns, year=2021)
    if role in CAPABILITIES[dataset.capability]:
        assert response.status_code == 200
        assert response.context["headers"] == [str(c.label) for c in dataset.columns]
    else:
        assert response.status_code == 400
        assert "dataset" in response.context["form"].errors
        assert "rows" not in response.context
