"""The board's follow-up table: the budget's sections with subtotals, the result, equity and the
bank, the same rows on the page, in the XLSX and CSV exports and from the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo, load_ledger_demo
from finsam.economy import selectors, services
from finsam.economy.follow_up import build_follow_up, follow_up_table
from finsam.economy.models import FollowUpEntry
from finsam.organisation import services as organisation_services
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import AssociationFactory, user_with_role

pytestmark = pytest.mark.django_db
D = Decimal
JUNE_30 = dt.date(2021, 6, 30)


@pytest.fixture
def kramfors():
    association = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(association)
    load_ledger_demo(association)
    return association


def report_for(association, budget=None, cutoff=JUNE_30):
    budget = budget or association.budgets.get()
    return build_follow_up(
        association=association, view=selectors.budget_view(budget=budget), cutoff=cutoff
    )


def test_kramfors_per_30_june_is_the_boards_table_to_the_krona(kramfors):
    table = {(t.kind, t.label): t.figures for t in follow_up_table(report_for(kramfors))}
    assert [t.label for t in follow_up_table(report_for(kramfors)) if t.kind == "section"] == [
        "Verksamhetens intäkter",
        "Kostnader insatser",
        "Verksamhetens kostnader",
        "Finansiella poster (netto kostnad)",
    ]
    assert table[("subtotal", "Summa verksamhetens intäkter")] == [
        D(2592000),
        D(1296000),
        D(1296000),
        D(2592000),  # contributions are not projected from the half year paid: the budget
        D(0),
    ]
    # The budget's own total line names the intervention section's subtotal.
    assert table[("subtotal", "Summa kostnader/utgifter")][:2] == [D(1910000), D(895000)]
    assert table[("subtotal", "Summa kostnader")][:2] == [D(2845000), D(1362460)]
    assert table[("result", "Årets resultat")] == [
        D(-253000),
        D(-66460),
        D(-66460),
        D(-132920),
        D(-120080),
    ]
    assert table[("equity", "Eget kapital vid årets början")][0] == D(548077)
    assert table[("equity", "Eget kapital vid årets slut (utfall: per brytdatum)")] == [
        D(295077),
        D(481617),
        None,
        D(415157),
        D(-120080),
    ]
    # 548 077 kr opening balance on 1930 and every voucher of the half year through the bank.
    assert table[("bank", "Tillgängliga medel (bank) per brytdatum")][1] == D(481617)


def test_contribution_lines_are_forecast_from_the_contributions_table(association):
    members = list(association.members.all())
    proposal = organisation_services.contributions_propose(members=members, total=D(3200000))
    organisation_services.contributions_set(
        association=association,
        year=2024,
        amounts={p.member.pk: p.amount for p in proposal},
        by=SYSTEM,
    )
    budget = services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": "Budget 2024",
            "budget_year": 2024,
            "status": "adopted",
            "decision_ref": "§ 3",
            "columns": [(2024, "budget", "Budget 2024")],
            "lines": [
                (
                    "result",
                    "income",
                    "item",
                    "Staten",
                    [D(1500000)],
                    {"member_side": "state_agency"},
                ),
                (
                    "result",
                    "income",
                    "item",
                    "Region Testland",
                    [D(750000)],
                    {"member_side": "region"},
                ),
                (
                    "result",
                    "income",
                    "item",
                    "Köpings kommun",
                    [D(375000)],
                    {"member_side": "municipality"},
                ),
                (
                    "result",
                    "income",
                    "item",
                    "Övriga kommuner",
                    [D(375000)],
                    {"member_side": "municipality"},
                ),
                ("result", "operating_cost", "item", "Kansli", [D(3000000)], {}),
            ],
        },
    )
    rows = {r.label: r for r in report_for(association, budget, dt.date(2024, 3, 31)).income}
    assert (rows["Staten"].forecast, rows["Staten"].forecast_basis) == (D(1600000), "contributions")
    assert rows["Region Testland"].forecast == D(800000)
    assert rows["Köpings kommun"].forecast == D(400000)  # the member of that name (key 50 %)
    # Two lines share the municipalities' group and neither is a member: the budget stands.
    assert (rows["Övriga kommuner"].forecast, rows["Övriga kommuner"].forecast_basis) == (
        D(375000),
        "budget",
    )


def test_the_budgets_own_forecast_column_for_the_year_is_read(kramfors):
    spec_lines = [
        ("result", "income", "item", "Bidrag", [D(1000000), D(950000)], {}),
        ("result", "operating_cost", "item", "Kansli", [D(800000), D(900000)], {}),
    ]
    budget = services.budget_create(
        association=kramfors,
        by=SYSTEM,
        spec={
            "title": "Reviderad 2021",
            "budget_year": 2021,
            "status": "revised",
            "decision_ref": "§ 40",
            "columns": [(2021, "budget", "Budget 2021"), (2021, "forecast", "Prognos 2021")],
            "lines": spec_lines,
        },
    )
    rows = {
        r.label: r for r in report_for(kramfors, budget).income + report_for(kramfors, budget).costs
    }
    assert (rows["Kansli"].forecast, rows["Kansli"].forecast_basis) == (D(900000), "column")
    assert rows["Bidrag"].forecast == D(950000)


amounts = st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=4)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    incomes=amounts,
    operating=amounts,
    interventions=amounts,
    entered=st.lists(st.integers(min_value=0, max_value=10**7), max_size=3),
    opening=st.integers(min_value=-(10**6), max_value=10**7),
    month=st.integers(min_value=1, max_value=12),
)
def test_every_subtotal_and_result_row_adds_up(
    incomes, operating, interventions, entered, opening, month
):
    association = AssociationFactory()
    lines = [("result", "income", "item", f"Intäkt {i}", [D(v)], {}) for i, v in enumerate(incomes)]
    lines += [
        ("result", "operating_cost", "item", f"Drift {i}", [D(v)], {})
        for i, v in enumerate(operating)
    ]
    lines += [
        ("result", "intervention_cost", "item", f"Insats {i}", [D(v)], {})
        for i, v in enumerate(interventions)
    ]
    lines.append(("balance", "", "equity_opening", "EK IB", [D(opening)], {}))
    budget = services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": "B",
            "budget_year": 2024,
            "columns": [(2024, "budget", "B 2024")],
            "lines": lines,
        },
    )
    for i, value in enumerate(entered):
        services.follow_up_entry_set(
            association=association,
            year=2024,
            line_label=f"Drift {i}",
            by=SYSTEM,
            forecast=D(value),
            accrual=None,
            method="actual",
        )
    report = report_for(association, budget, dt.date(2024, month, 28))
    table = follow_up_table(report)
    for row in table:
        if row.variance is not None and row.kind != "equity":
            assert row.variance == row.budget - row.forecast
    subtotals = [t for t in table if t.kind == "subtotal"]
    for section in report.sections:
        total = next(t for t in subtotals if t.label == section.total_label)
        for i, attr in enumerate(("budget", "actual", "accrued", "forecast")):
            assert total.figures[i] == sum((getattr(r, attr) for r in section.rows), D(0))
    [result] = [t for t in table if t.kind == "result"]
    income_total = subtotals[0]
    costs_total = next(t for t in subtotals if t.label == "Summa kostnader")
    pairs = zip(income_total.figures[:4], costs_total.figures[:4], strict=True)
    assert result.figures[:4] == [a - b for a, b in pairs]
    end = [t for t in table if t.kind == "equity"][-1]
    assert (end.budget, end.forecast) == (opening + result.budget, opening + result.forecast)
    # No ledger and no contributions table: income is forecast as budgeted, never projected.
    assert all(r.forecast == r.budget for r in report.income)


def test_the_xlsx_and_csv_hold_exactly_the_pages_rows_and_print_on_a4(kramfors, client):
    client.force_login(user_with_role(kramfors, Role.BOARD))
    url = "/f/kramfors/budget/uppfoljning/"
    page = client.get(url, {"datum": "2021-06-30"}).content.decode()
    report = report_for(kramfors)
    table = follow_up_table(report)
    ws = load_workbook(
        io.BytesIO(client.get(url, {"datum": "2021-06-30", "format": "xlsx"}).content)
    ).active
    assert ws["A1"].value == "Uppföljning per 2021-06-30 – Samordningsförbundet Kramfors"
    assert ws["A2"].value == "Brytdatum: 2021-06-30"
    assert ws["A3"].value.startswith("Budget: Verksamhetsplan 2021")
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Rad")
    assert [c.value for c in ws[header]][1] == "Budget helår"
    rows = list(ws.iter_rows(min_row=header + 1, values_only=True))
    assert [r[0] for r in rows] == [t.label for t in table]
    assert [list(r[1:]) for r in rows] == [
        [None if v is None else int(v) for v in t.figures] for t in table
    ]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${header}:${header}"
    for t in table:
        assert escape(t.label) in page
    assert "@page { size: A4 landscape" in page and 'class="edit"' not in page  # board: no edit
    text = client.get(url, {"datum": "2021-06-30", "format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Rad" and [r[0] for r in rows[1:]] == [t.label for t in table]
    # Negative figures carry the formula guard's apostrophe, as in every CSV export.
    result = next(r for r in rows if r[0] == "Årets resultat")
    assert [v.lstrip("'") for v in result[1:]] == [
        "-253000,00",
        "-66460,00",
        "-66460,00",
        "-132920,00",
        "-120080,00",
    ]


def test_export_follow_up_command_writes_the_same_rows(kramfors, tmp_path, capsys):
    out = tmp_path / "u.csv"
    call_command(
        "export_follow_up",
        association="kramfors",
        date="2021-06-30",
        format="csv",
        output=str(out),
    )
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [t.label for t in follow_up_table(report_for(kramfors))]
    xlsx_path = tmp_path / "u.xlsx"
    budget = kramfors.budgets.get()
    call_command(
        "export_follow_up",
        association="kramfors",
        date="2021-06-30",
        budget=budget.pk,
        output=str(xlsx_path),
    )
    assert load_workbook(xlsx_path).active["A2"].value == "Brytdatum: 2021-06-30"
    with pytest.raises(CommandError, match="inget datum"):
        call_command("export_follow_up", association="kramfors", date="30/6 2021")
    with pytest.raises(CommandError, match="ingen budget för 2019"):
        call_command("export_follow_up", association="kramfors", date="2019-06-30")


def test_the_office_sees_the_edit_controls_and_print_hides_them(kramfors, client):
    client.force_login(user_with_role(kramfors, Role.ECONOMIST))
    page = client.get("/f/kramfors/budget/uppfoljning/", {"datum": "2021-06-30"}).content.decode()
    assert 'class="edit"' in page and "table.follow-up .edit { display: none; }" in page


def test_bad_input_in_the_forecast_form_keeps_what_was_typed_and_saves_nothing(kramfors, client):
    client.force_login(user_with_role(kramfors, Role.ECONOMIST))
    before = AuditEvent.objects.count()
    response = client.post(
        "/f/kramfors/budget/uppfoljning/prognos/",
        {
            "line_label": "Psykiatridagen",
            "year": "2021",
            "datum": "2021-06-30",
            "method": "profile",
            "profile": "1 1 1",
            "accrual": "",
            "forecast": "tolv tusen",
            "note": "Inställd dag i maj",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Prognosen har inte sparats. Rätta de markerade fälten." in body
    assert 'value="tolv tusen"' in body and 'value="Inställd dag i maj"' in body
    assert 'value="1 1 1"' in body and "<details open>" in body
    assert not FollowUpEntry.objects.filter(association=kramfors).exists()
    assert AuditEvent.objects.count() == before


def test_external_project_income_is_its_own_section_of_the_table(association):
    budget = services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": "Budget 2024",
            "budget_year": 2024,
            "status": "adopted",
            "decision_ref": "§ 5",
            "columns": [(2024, "budget", "Budget 2024")],
            "lines": [
                ("result", "income", "item", "Medlemsbidrag", [D(2000000)], {}),
                ("result", "external_income", "item", "ESF Unga", [D(500000)], {}),
                ("result", "operating_cost", "item", "Kansli", [D(2400000)], {}),
            ],
        },
    )
    table = follow_up_table(report_for(association, budget, dt.date(2024, 4, 30)))
    assert [t.label for t in table if t.kind in ("section", "subtotal", "result")] == [
        "Verksamhetens intäkter",
        "Summa verksamhetens intäkter",
        "Externa projektintäkter (ESF och andra finansiärer)",
        "Summa externa projektintäkter (ESF och andra finansiärer)",
        "Verksamhetens kostnader",
        "Summa verksamhetens kostnader",
        "Årets resultat",
    ]
    assert next(t for t in table if t.kind == "result").budget == D(100000)


def test_earmarked_equity_is_part_of_equity_with_its_movement_in_the_budget_and_follow_up(
    association,
):
    columns = [(2023, "outcome", "Bokslut 2023"), (2024, "budget", "Budget 2024")]
    budget = services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": "Budget 2024",
            "budget_year": 2024,
            "status": "adopted",
            "decision_ref": "§ 5",
            "columns": columns,
            "lines": [
                ("result", "income", "item", "Medlemsbidrag", [D(2000000), D(2000000)], {}),
                ("result", "operating_cost", "item", "Kansli", [D(1900000), D(2100000)], {}),
                ("balance", "", "equity_opening", "EK IB", [D(600000), None], {}),
                ("balance", "", "equity_closing", "EK UB", [None, None], {}),
                (
                    "balance",
                    "earmarked_equity",
                    "item",
                    "ESF Unga: överskott",
                    [D(250000), D(150000)],
                    {},
                ),
            ],
        },
    )
    view = selectors.budget_view(budget=budget)
    assert view.discrepancies == []  # a part of equity, not added to it
    from finsam.economy.rules import evaluate

    outcome, plan = evaluate(view=view, rules=[], budget=budget)
    assert (outcome.equity_closing, outcome.earmarked, outcome.free_equity) == (
        D(700000),
        D(250000),
        D(450000),
    )
    assert (plan.equity_closing, plan.earmarked, plan.earmarked_movement) == (
        D(600000),
        D(150000),
        D(-100000),
    )
    table = {
        t.label: t for t in follow_up_table(report_for(association, budget, dt.date(2024, 6, 30)))
    }
    assert table["Varav öronmärkt vid årets början"].budget == D(250000)
    assert table["Varav öronmärkt vid årets slut"].forecast == D(150000)


def test_more_earmarked_than_there_is_equity_warns(association):
    budget = services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": "B",
            "budget_year": 2024,
            "columns": [(2024, "budget", "Budget 2024")],
            "lines": [
                ("balance", "", "equity_closing", "EK UB", [D(100000)], {}),
                ("balance", "earmarked_equity", "item", "Projekt X", [D(150000)], {}),
            ],
        },
    )
    from finsam.economy.rules import evaluate

    [ind] = evaluate(view=selectors.budget_view(budget=budget), rules=[], budget=budget)
    assert [w.replace("\xa0", " ") for w in ind.warnings] == [
        "Öronmärkt eget kapital, 150 000 kr, är mer än det egna kapitalet vid årets slut, "
        "100 000 kr."
    ]


def test_the_budget_page_shows_earmarked_and_free_equity(client, association):
    budget = services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": "B",
            "budget_year": 2024,
            "columns": [(2023, "outcome", "Bokslut 2023"), (2024, "budget", "Budget 2024")],
            "lines": [
                ("balance", "", "equity_closing", "EK UB", [D(500000), D(500000)], {}),
                ("balance", "earmarked_equity", "item", "Projekt X", [D(50000), D(80000)], {}),
            ],
        },
    )
    client.force_login(user_with_role(association, Role.AUDITOR))
    body = client.get(f"/f/{association.slug}/budget/{budget.pk}/").content.decode()
    assert "varav öronmärkt" in body and "fritt eget kapital" in body
    assert "+30\xa0000\xa0kr under året" in body and "420\xa0000\xa0kr" in body


@settings(max_examples=40, deadline=None)
@given(day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31)))
def test_a_quarterly_schedule_has_a_quarter_due_for_each_quarter_begun(day):
    from finsam.economy.follow_up import schedule_share

    share = schedule_share("quarterly", day)
    assert share == D((day.month - 1) // 3 + 1) / 4
    assert schedule_share("yearly", day) == 1


def test_contributions_paid_quarterly_are_accrued_by_schedule_and_never_projected(kramfors):
    services.follow_up_entry_set(
        association=kramfors,
        year=2021,
        line_label="Driftbidrag från staten",
        by=SYSTEM,
        forecast=None,
        accrual=None,
        method="quarterly",
    )
    rows = {r.label: r for r in report_for(kramfors, cutoff=dt.date(2021, 5, 15)).income}
    state = rows["Driftbidrag från staten"]
    # 1 296 000 a year, two quarters begun by 15 May: 648 000 due; the forecast is the year's
    # contribution, whatever has been paid.
    assert (state.accrued, state.forecast) == (D(648000), D(1296000))
    assert state.forecast_basis == "budget"
