"""The shapes others ask for: Uppföljning Finsam and the indicator network, against the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from finsam.funding.models import InterventionGoal
from finsam.funding.tests import factories as funding_factories
from finsam.indicators.tests import factories as indicator_factories
from finsam.insights import national
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role


@pytest.fixture
def samkraft(association):
    intervention = funding_factories.intervention(
        association,
        fields={
            "title": "Samkraft",
            "period_start": dt.date(2021, 1, 1),
            "period_end": dt.date(2022, 12, 31),
            "age_from": 16,
            "age_to": 29,
        },
        grants=[
            (2021, Decimal("600000"), "VP 2021"),
            (2022, Decimal("350000"), "VP 2022"),
        ],
        kind_shares={"individual": 70, "structural": 30},
    )
    InterventionGoal.objects.create(
        intervention=intervention,
        text="30 deltagare per år",
        measure="participants",
        measure_target=Decimal("30"),
    )
    return intervention


def _csv_rows(content: bytes) -> list[dict]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_uppfoljning_row_per_intervention_and_year(association, samkraft):
    office = user_with_role(association, Role.OFFICE)
    association.org_number = "222000-1234"
    association.save()
    rows = national.uppfoljning_rows(user=office, association=association, year=2022)
    assert len(rows) == 1
    row = dict(zip(national.UPPFOLJNING_COLUMNS, rows[0], strict=True))
    assert row["forbund_org_nr"] == "222000-1234"
    assert row["ar"] == 2022 and row["insats"] == "Samkraft" and row["insats_id"] == samkraft.pk
    assert row["andel_individ_procent"] == 70 and row["andel_struktur_procent"] == 30
    assert row["andel_processtod_procent"] == 0
    assert (row["alder_fran"], row["alder_till"]) == (16, 29)
    assert row["planerat_antal_deltagare"] == 30
    assert row["beviljat_kr"] == Decimal("350000")  # the year's grant, not the whole
    assert row["utbetalt_kr"] == Decimal("0")
    # No adopted budget with a line for the intervention: budget and actual are left blank.
    assert row["budget_kr"] is None and row["utfall_kr"] is None


def test_a_year_the_intervention_does_not_run_has_no_row(association, samkraft):
    office = user_with_role(association, Role.OFFICE)
    assert national.uppfoljning_rows(user=office, association=association, year=2020) == []


def test_uppfoljning_csv_download_matches_the_data(client, association, samkraft):
    client.force_login(user_with_role(association, Role.OFFICE))
    response = client.get(reverse("insights:uppfoljning_csv", args=[association.slug, 2021]))
    assert response.status_code == 200
    assert "uppfoljning-finsam" in response["Content-Disposition"]
    (row,) = _csv_rows(response.content)
    assert list(row) == national.UPPFOLJNING_COLUMNS
    assert row["insats"] == "Samkraft" and row["beviljat_kr"] == "600000,00"
    assert row["startdatum"] == "2021-01-01" and row["slutdatum"] == "2022-12-31"


def test_uppfoljning_xlsx_keeps_amounts_as_numbers(client, association, samkraft):
    client.force_login(user_with_role(association, Role.OFFICE))
    response = client.get(reverse("insights:uppfoljning_xlsx", args=[association.slug, 2021]))
    ws = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in ws[1]]
    assert headers == national.UPPFOLJNING_COLUMNS
    values = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    assert values["beviljat_kr"] == 600000
    assert values["insats"] == "Samkraft"


def test_the_other_associations_interventions_never_appear(
    association, other_association, samkraft
):
    funding_factories.intervention(other_association, fields={"title": "Främmande insats"})
    office = user_with_role(association, Role.OFFICE)
    rows = national.uppfoljning_rows(user=office, association=association, year=2021)
    assert [r[4] for r in rows] == ["Samkraft"]


def test_export_national_command_writes_the_file(tmp_path, association, samkraft):
    path = tmp_path / "ut.csv"
    call_command(
        "export_national",
        association=association.slug,
        year=2021,
        format="csv",
        output=str(path),
    )
    (row,) = _csv_rows(path.read_bytes())
    assert row["insats"] == "Samkraft" and row["planerat_antal_deltagare"] == "30"
    xlsx = tmp_path / "ut.xlsx"
    call_command(
        "export_national",
        association=association.slug,
        year=2021,
        format="xlsx",
        output=str(xlsx),
    )
    assert load_workbook(xlsx).active["E2"].value == "Samkraft"


def test_export_national_command_refuses_an_unknown_association_in_swedish(db):
    with pytest.raises(CommandError, match="Inget förbund"):
        call_command("export_national", association="finns-inte", year=2021, format="csv")


def test_indicator_rows_show_means_and_suppress_fewer_than_five(association):
    staff = indicator_factories.campaign(association, group="staff", year=2021, paper_forms=10)
    indicator_factories.answer_all(staff, [4, 4, 4, 2, 1])  # five respondents: mean shown
    board = indicator_factories.campaign(association, group="board", year=2021, paper_forms=10)
    indicator_factories.answer_all(board, [5, 5])  # two: suppressed
    office = user_with_role(association, Role.OFFICE)
    rows = [
        dict(zip(national.INDICATOR_COLUMNS, r, strict=True))
        for r in national.indicator_rows(user=office, association=association, year=2021)
    ]
    by_group = {}
    for r in rows:
        by_group.setdefault(r["respondentgrupp"], []).append(r)
    assert set(by_group) == {"staff", "board"}
    assert all(r["svarande"] == 5 and r["medelvarde"] == Decimal("3.0") for r in by_group["staff"])
    assert all(r["svarande"] == 2 and r["medelvarde"] == "<5" for r in by_group["board"])
    assert all(r["ar"] == 2021 and r["indikator_kod"] for r in rows)


def test_indicator_csv_download(client, association):
    campaign = indicator_factories.campaign(association, group="staff", year=2021, paper_forms=9)
    indicator_factories.answer_all(campaign, [3, 3, 3, 3, 3])
    client.force_login(user_with_role(association, Role.BOARD))
    response = client.get(reverse("insights:indicators_csv", args=[association.slug, 2021]))
    rows = _csv_rows(response.content)
    assert rows and list(rows[0]) == national.INDICATOR_COLUMNS
    assert {r["medelvarde"] for r in rows} == {"3,0"}


def test_budget_and_actual_come_from_the_ledger_follow_up(db):
    """Kramfors' seed: the adopted budget 2021 with its intervention lines and the first half's
    ledger. Each row's budget and actual are economy's own figures for the intervention."""
    from finsam.demo.economy import link_demo_budget, load_economy_demo, load_ledger_demo
    from finsam.demo.funding import load_funding_demo
    from finsam.economy import selectors as economy_selectors
    from finsam.organisation.tests.factories import AssociationFactory

    kramfors = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(kramfors)
    load_ledger_demo(kramfors)
    load_funding_demo(kramfors)
    link_demo_budget(kramfors)
    office = user_with_role(kramfors, Role.OFFICE)
    today = dt.date(2021, 6, 30)
    rows = [
        dict(zip(national.UPPFOLJNING_COLUMNS, r, strict=True))
        for r in national.uppfoljning_rows(
            user=office, association=kramfors, year=2021, today=today
        )
    ]
    with_budget = [r for r in rows if r["budget_kr"] is not None]
    assert with_budget and any(r["utfall_kr"] for r in with_budget)
    for row in with_budget:
        intervention = kramfors.interventions.get(pk=row["insats_id"])
        ledger = economy_selectors.intervention_ledger(
            user=office, association=kramfors, intervention=intervention, cutoff=today
        )
        assert row["budget_kr"] == ledger["budget"] and row["utfall_kr"] == ledger["actual"]
    # A member organisation reads no budget: the columns stay blank for it.
    member = funding_factories.member_org_user(kramfors)
    assert all(
        r[-2] is None and r[-1] is None
        for r in national.uppfoljning_rows(
            user=member, association=kramfors, year=2021, today=today
        )
    )
