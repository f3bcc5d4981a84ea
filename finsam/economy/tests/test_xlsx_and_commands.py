import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.economy import selectors, xlsx
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
        ["Resultatbudget", "Verksamhetens intäkter", "Post", "Stort", "", "", "", "", "1E15"],
        ["Resultatbudget", "Verksamhetens intäkter", "Post", "Enormt", "", "", "", "", 10**13],
    ):
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ValidationError) as exc:
        xlsx.read_budget_xlsx(buffer.getvalue())
    text = " ".join(exc.value.messages)
    assert "Rad 8, Budget 2022: ”tusen” är inte ett belopp" in text
    assert "Rad 9: okänt värde ”Påhittad rapport”" in text
    assert "Rad 10, Budget 2022: ”1E15” är inte ett belopp" in text
    assert "Rad 11, Budget 2022: ”10000000000000” är inte ett belopp" in text


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


def test_a_draft_version_is_edited_in_the_grid_and_an_adopted_one_is_not(kramfors, client):
    from finsam.economy import services
    from finsam.organisation.models import AuditEvent, Role
    from finsam.organisation.tests.factories import user_with_role

    adopted = kramfors.budgets.get()
    client.force_login(user_with_role(kramfors, Role.ECONOMIST))
    url = f"/f/kramfors/budget/{adopted.pk}/belopp/"
    line = adopted.lines.get(label="Psykiatridagen")
    column = adopted.columns.get(label="Budget 2021")
    response = client.post(url, {f"a-{line.pk}-{column.pk}": "40 000"}, follow=True)
    assert "En beslutad budget ändras inte" in response.content.decode()
    draft = services.budget_new_version(budget=adopted, by=SYSTEM)
    line = draft.lines.get(label="Psykiatridagen")
    column = draft.columns.get(label="Budget 2021")
    url = f"/f/kramfors/budget/{draft.pk}/belopp/"
    page = client.get(url).content.decode()
    data = {}
    for ln in draft.lines.all():
        for c in draft.columns.all():
            key = f"a-{ln.pk}-{c.pk}"
            marker = f'name="{key}" value="'
            start = page.index(marker) + len(marker)
            data[key] = page[start : page.index('"', start)]
    data[f"a-{line.pk}-{column.pk}"] = "tusen"
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "”tusen” är inte ett belopp." in bad.content.decode()
    # A 14-digit cell, an exponent and a third decimal are refused at the cell, never stored.
    for typed, message in [
        ("12345678901234", "högst 12 siffror"),
        ("1E9", "är inte ett belopp"),
        ("40 000,555", "fler än två decimaler"),
    ]:
        data[f"a-{line.pk}-{column.pk}"] = typed
        bad = client.post(url, data)
        assert bad.status_code == 400
        assert message in bad.content.decode()
    assert client.get(f"/f/kramfors/budget/{draft.pk}/").status_code == 200
    assert client.get("/f/kramfors/").status_code == 200
    assert draft.lines.get(label="Psykiatridagen").amounts.get(column=column).amount == 30000
    data[f"a-{line.pk}-{column.pk}"] = "40 000"
    client.post(url, data)
    assert draft.lines.get(label="Psykiatridagen").amounts.get(column=column).amount == 40000
    event = AuditEvent.objects.filter(event="budget_amount.set").latest("id")
    assert event.after["changes"] == [
        {"line": line.pk, "column": column.pk, "before": "30000.00", "after": "40000.00"}
    ]
    # The printed section total now disagrees with its lines and is flagged (once: the printed
    # result still follows from the printed totals), while the derived result moves.
    view = selectors.budget_view(budget=draft)
    assert [(d.line_label, d.column_label) for d in view.discrepancies] == [
        ("Summa kostnader/utgifter", "Budget 2021")
    ]
    result_line = draft.lines.get(role="result")
    assert view.value(result_line, column) == -263000


def test_rules_and_version_comparison_export_to_excel(kramfors, client):
    from finsam.economy import services
    from finsam.organisation.models import Role
    from finsam.organisation.tests.factories import user_with_role

    client.force_login(user_with_role(kramfors, Role.AUDITOR))
    response = client.get("/f/kramfors/budget/regler/?format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]][:2] == ["Regel", "Värde"]
    assert any(row[1] == 180000 for row in ws.iter_rows(min_row=2, values_only=True))
    adopted = kramfors.budgets.get()
    draft = services.budget_new_version(budget=adopted, by=SYSTEM)
    response = client.get(f"/f/kramfors/budget/jamfor/?a={adopted.pk}&b={draft.pk}&format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    state = next(
        r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "Driftbidrag från staten"
    )
    assert state[2:5] == (1296000, 1296000, 0)


def test_a_swedish_template_imports_while_the_user_works_in_english(kramfors):
    from django.utils import translation

    budget = kramfors.budgets.get()
    data = xlsx.write_budget_xlsx(
        title=budget.title, budget_year=2021, view=selectors.budget_view(budget=budget)
    )
    with translation.override("en"):
        english = xlsx.write_budget_xlsx(
            title=budget.title, budget_year=2021, view=selectors.budget_view(budget=budget)
        )
        spec = xlsx.read_budget_xlsx(data)
    assert load_workbook(io.BytesIO(english))["Budget"]["A8"].value == "Resultatbudget"
    assert {line[0] for line in spec["lines"]} == {"result", "balance"}


def test_a_budget_workbook_declaring_a_million_rows_is_refused_before_it_is_read():
    from finsam.core.tests.test_uploads import _xlsx

    with pytest.raises(ValidationError) as refused:
        xlsx.read_budget_xlsx(_xlsx("A1:XFD1048576").getvalue())
    assert "1048576 rader" in " ".join(refused.value.messages)
