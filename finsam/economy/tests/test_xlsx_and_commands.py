import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from finsam.economy import selectors, xlsx
from finsam.economy.demo import load_economy_demo
from finsam.organisation.tests.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kramfors():
    association = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(association)
    return association


def test_export_holds_numbers_and_swedish_headings_and_round_trips(kramfors):
    budget = kramfors.budgets.get()
    view = selectors.budget_view(budget=budget)
    data = xlsx.write_budget_xlsx(title=budget.title, budget_year=2021, view=view)
    ws = load_workbook(io.BytesIO(data))["Budget"]
    assert [c.value for c in ws[5]][:4] == ["Rapport", "Avsnitt", "Radtyp", "Rad"]
    state_row = next(
        r for r in ws.iter_rows(min_row=8, values_only=True) if r[3] == "Driftbidrag från staten"
    )
    assert state_row[8:] == (1296000, 1296000, 1293334, 1290667)
    spec = xlsx.read_budget_xlsx(data)
    samkraft = next(line for line in spec["lines"] if "Samkraft" in line[3])
    assert samkraft[5]["kind_shares"] == {"process_support": "50", "individual": "50"}
    assert spec["columns"][1] == (2021, "budget", "Budget 2021")


def test_import_refuses_the_whole_file_with_every_problem_listed():
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    for row in (
        ["Rubrik", "Trasig"],
        ["Budgetår", 2022],
        ["Enhet", "kr"],
        [],
        [*xlsx.FIXED_HEADINGS, "Budget 2022"],
        ["", "", "", "Kolumntyp", "", "", "", "", "Budget"],
        ["", "", "", "År", "", "", "", "", 2022],
        ["Resultatbudget", "Verksamhetens intäkter", "Post", "Bidrag", "", "", "", "", "tusen"],
        ["Påhittad rapport", "", "Post", "X", "", "", "", "", 5],
    ):
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ValidationError) as exc:
        xlsx.read_budget_xlsx(buffer.getvalue())
    text = " ".join(exc.value.messages)
    assert "Rad 8, Budget 2022: ”tusen” är inte ett belopp" in text
    assert "Rad 9: okänt värde ”Påhittad rapport”" in text


def test_not_a_workbook_is_refused_in_swedish():
    with pytest.raises(ValidationError, match="Excel-fil"):
        xlsx.read_budget_xlsx(b"inte en arbetsbok")


def test_check_budget_exits_1_with_discrepancies_and_0_when_clean(kramfors, capsys):
    call_command("check_budget", association="kramfors", year=2021)
    assert "Inga avvikelser" in capsys.readouterr().out
    nv = AssociationFactory(slug="norra-vastmanland", name="Norra Västmanland")
    load_economy_demo(nv)
    with pytest.raises(SystemExit) as exc:
        call_command("check_budget", association="norra-vastmanland", year=2022)
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert out.count("AVVIKELSE") == 3
    assert "tryckt 7\u00a0638\u00a0400 kr, beräknat 7\u00a0638\u00a0500 kr" in out


def test_export_and_import_commands_round_trip(kramfors, tmp_path):
    path = tmp_path / "k.xlsx"
    call_command(
        "export_budget", association="kramfors", year=2021, format="xlsx", output=str(path)
    )
    call_command("import_budget", str(path), association="kramfors")
    newest = kramfors.budgets.order_by("-version").first()
    assert newest.version == 2
    view = selectors.budget_view(budget=newest)
    assert view.discrepancies == []
    csv_path = tmp_path / "k.csv"
    call_command(
        "export_budget", association="kramfors", year=2021, format="csv", output=str(csv_path)
    )
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "Driftbidrag från staten" in text and ";1296000;" in text
    assert Decimal("1296000") in [
        a.amount for a in newest.lines.get(label="Driftbidrag från staten").amounts.all()
    ]
