"""A budget built in the app: started empty or from last year's adopted one, its lines and
sections added, renamed, moved and removed by a person, only while it is a draft."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.economy import selectors, services
from finsam.economy.models import Budget, BudgetLine, Role
from finsam.organisation.models import AuditEvent
from finsam.organisation.models import Role as MemberRole
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def kramfors(association):
    association.slug = "kramfors"
    association.save()
    load_economy_demo(association)
    return association


def labels(budget, statement="result"):
    return list(
        BudgetLine.objects.filter(budget=budget, statement=statement)
        .order_by("sort_order")
        .values_list("label", flat=True)
    )


def test_an_empty_budget_gets_the_years_columns_and_computes_as_lines_are_added(association):
    budget = services.budget_start(
        association=association, budget_year=2025, title="Budget 2025", previous=None, by=SYSTEM
    )
    assert budget.status == Budget.Status.DRAFT
    assert [c.label for c in budget.columns.order_by("sort_order")] == [
        "Prognos 2024",
        "Budget 2025",
        "Plan 2026",
        "Plan 2027",
    ]
    add = services.budget_line_add
    add(budget=budget, by=SYSTEM, statement="result", section="operating_cost", label="Kansli")
    add(budget=budget, by=SYSTEM, statement="result", section="income", label="Medlemsbidrag")
    add(budget=budget, by=SYSTEM, statement="result", section="operating_cost", label="Styrelse")
    # Items stand before the totals they add up to, each in its section.
    assert labels(budget) == [
        "Medlemsbidrag",
        "Summa intäkter",
        "Kansli",
        "Styrelse",
        "Summa kostnader",
        "Årets resultat",
    ]
    income = budget.lines.get(label="Medlemsbidrag")
    column = budget.columns.get(label="Budget 2025")
    services.budget_amounts_set(
        budget=budget, amounts={(income.pk, column.pk): D(3000000)}, by=SYSTEM
    )
    view = selectors.budget_view(budget=budget)
    assert view.total(Role.RESULT, column) == D(3000000)


def test_starting_from_last_years_adopted_budget_moves_its_figures_by_year(kramfors):
    adopted = kramfors.budgets.get()  # 2021, columns Budget 2020 … Budget 2023
    budget = services.budget_start(
        association=kramfors, budget_year=2022, title="Budget 2022", previous=adopted, by=SYSTEM
    )
    assert labels(budget) == labels(adopted)
    state = budget.lines.get(label="Driftbidrag från staten")
    figures = {a.column.label: a.amount for a in state.amounts.select_related("column")}
    # 2021's budget is the starting forecast; the plan figures for 2022–2023 carry over; 2024
    # was not planned.
    assert figures == {
        "Prognos 2021": D(1296000),
        "Budget 2022": D(1293334),
        "Plan 2023": D(1290667),
    }
    samkraft = budget.lines.get(label="Teamkoordinator/Coach Samkraft")
    assert samkraft.kind_shares == {"process_support": "50", "individual": "50"}
    assert selectors.budget_view(budget=budget).discrepancies == []


def test_rename_move_and_remove_lines_and_sections_with_an_audit_row_each(association):
    budget = services.budget_start(
        association=association, budget_year=2025, title="B", previous=None, by=SYSTEM
    )
    add = services.budget_line_add
    add(budget=budget, by=SYSTEM, statement="result", section="income", label="Bidrag")
    a = add(budget=budget, by=SYSTEM, statement="result", section="operating_cost", label="A")
    b = add(budget=budget, by=SYSTEM, statement="result", section="operating_cost", label="B")
    add(budget=budget, by=SYSTEM, statement="result", section="intervention_cost", label="Insats")
    before = AuditEvent.objects.filter(event="budget.updated").count()
    services.budget_line_move(line=b, direction="up", by=SYSTEM)
    services.budget_line_update(line=a, data={"label": "Administration"}, by=SYSTEM)
    services.budget_section_change(
        budget=budget,
        statement="result",
        section="intervention_cost",
        action="up",
        by=SYSTEM,
    )
    assert labels(budget) == [
        "Bidrag",
        "Summa intäkter",
        "Insats",
        "B",
        "Administration",
        "Summa kostnader",
        "Årets resultat",
    ]
    services.budget_section_change(
        budget=budget, statement="result", section="operating_cost", action="delete", by=SYSTEM
    )
    services.budget_line_delete(line=budget.lines.get(label="Insats"), by=SYSTEM)
    assert labels(budget) == ["Bidrag", "Summa intäkter", "Summa kostnader", "Årets resultat"]
    assert AuditEvent.objects.filter(event="budget.updated").count() == before + 5


def test_an_adopted_budget_is_not_rebuilt_and_names_stay_unique(kramfors):
    adopted = kramfors.budgets.get()
    line = adopted.lines.first()
    with pytest.raises(ValidationError, match="beslutad budget ändras inte"):
        services.budget_line_delete(line=line, by=SYSTEM)
    with pytest.raises(ValidationError, match="beslutad budget ändras inte"):
        services.budget_line_add(
            budget=adopted, by=SYSTEM, statement="result", section="income", label="Ny"
        )
    draft = services.budget_new_version(budget=adopted, by=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        services.budget_line_add(
            budget=draft,
            by=SYSTEM,
            statement="result",
            section="income",
            label="Driftbidrag från staten",
        )
    assert "label" in exc.value.message_dict


@pytest.mark.parametrize("start", ["empty", "previous"])
def test_the_start_page_creates_a_draft_and_opens_its_lines(client, kramfors, start):
    client.force_login(user_with_role(kramfors, MemberRole.ECONOMIST))
    response = client.post(
        "/f/kramfors/budget/ny/", {"budget_year": "2022", "title": "Budget 2022", "start": start}
    )
    budget = kramfors.budgets.get(budget_year=2022)
    assert response.status_code == 302 and response.url.endswith(f"/{budget.pk}/rader/")
    page = client.get(response.url).content.decode()
    assert "Lägg till en rad" in page and "Årets resultat" in page
    # Copied from 2021, the sections come with it and can be moved.
    assert ("Flytta upp" in page) == (start == "previous")


def test_starting_from_a_year_without_an_adopted_budget_is_refused_at_the_field(client, kramfors):
    client.force_login(user_with_role(kramfors, MemberRole.OFFICE))
    before = Budget.objects.count()
    response = client.post(
        "/f/kramfors/budget/ny/",
        {"budget_year": "2030", "title": "Budget 2030", "start": "previous"},
    )
    assert response.status_code == 400
    assert "Det finns ingen antagen budget för 2029 att börja från." in response.content.decode()
    response = client.post(
        "/f/kramfors/budget/ny/", {"budget_year": "tjugo", "title": "", "start": "x"}
    )
    assert response.status_code == 400
    assert Budget.objects.count() == before


def test_the_line_pages_add_rename_move_and_remove_through_buttons(client, kramfors):
    client.force_login(user_with_role(kramfors, MemberRole.ECONOMIST))
    draft = services.budget_new_version(budget=kramfors.budgets.get(), by=SYSTEM)
    base = f"/f/kramfors/budget/{draft.pk}/rader/"
    response = client.post(
        base + "ny/",
        {"statement": "result", "section": "operating_cost", "role": "item", "label": "Lokaler"},
    )
    assert response.status_code == 302
    line = draft.lines.get(label="Lokaler")
    client.post(
        f"{base}{line.pk}/", {f"l{line.pk}-label": "Lokalhyra", f"l{line.pk}-account": "7010"}
    )
    line.refresh_from_db()
    assert (line.label, line.account) == ("Lokalhyra", "7010")
    order = labels(draft)
    client.post(f"{base}{line.pk}/flytta/", {"direction": "up"})
    moved = labels(draft)
    i = order.index("Lokalhyra")
    assert moved[i - 1] == "Lokalhyra"
    client.post(
        f"/f/kramfors/budget/{draft.pk}/avsnitt/",
        {"statement": "result", "section": "financial", "action": "delete"},
    )
    assert not draft.lines.filter(label="Bankkostnader").exists()
    client.post(f"{base}{line.pk}/ta-bort/")
    assert not draft.lines.filter(label="Lokalhyra").exists()


def test_bad_input_on_the_line_pages_is_refused_with_swedish_errors_and_nothing_saved(
    client, kramfors
):
    client.force_login(user_with_role(kramfors, MemberRole.OFFICE))
    draft = services.budget_new_version(budget=kramfors.budgets.get(), by=SYSTEM)
    base = f"/f/kramfors/budget/{draft.pk}/rader/"
    count = draft.lines.count()
    response = client.post(
        base + "ny/", {"statement": "result", "role": "item", "label": "Utan avsnitt"}
    )
    assert response.status_code == 400
    assert "En post måste höra till ett avsnitt." in response.content.decode()
    response = client.post(
        base + "ny/",
        {
            "statement": "result",
            "section": "income",
            "role": "item",
            "label": "Driftbidrag från staten",
        },
    )
    assert response.status_code == 400
    assert "Rapporten har redan en rad med det namnet" in response.content.decode()
    line = draft.lines.get(label="Psykiatridagen")
    response = client.post(f"{base}{line.pk}/", {f"l{line.pk}-label": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Raden har inte sparats" in body and "<details open>" in body
    assert draft.lines.count() == count and draft.lines.filter(label="Psykiatridagen").exists()
    # A move that is not up or down, and a section that is not there: said, nothing changed.
    before = labels(draft)
    page = client.post(f"{base}{line.pk}/flytta/", {"direction": "sideways"}, follow=True)
    assert "Flytta en rad upp eller ned." in page.content.decode()
    page = client.post(
        f"/f/kramfors/budget/{draft.pk}/avsnitt/",
        {"statement": "result", "section": "liability", "action": "up"},
        follow=True,
    )
    assert "Budgeten har inget sådant avsnitt." in page.content.decode()
    assert labels(draft) == before


def test_a_line_of_another_budget_is_not_found(client, kramfors):
    client.force_login(user_with_role(kramfors, MemberRole.OFFICE))
    adopted = kramfors.budgets.get()
    draft = services.budget_new_version(budget=adopted, by=SYSTEM)
    foreign_line = adopted.lines.first()
    response = client.post(f"/f/kramfors/budget/{draft.pk}/rader/{foreign_line.pk}/ta-bort/")
    assert response.status_code == 404
    assert adopted.lines.filter(pk=foreign_line.pk).exists()


def test_starting_from_last_year_reads_its_amounts_in_a_fixed_number_of_queries(
    kramfors, django_assert_max_num_queries
):
    adopted = kramfors.budgets.get()
    with django_assert_max_num_queries(40):  # not one query per line (the seed has 20)
        services.budget_start(
            association=kramfors, budget_year=2022, title="B", previous=adopted, by=SYSTEM
        )
