"""A long budget on the pages: sections folded to their totals, a section's lines a page at a
time on demand, the amounts of folded lines untouched by a save; and a decided budget's
computed view kept between requests but never served stale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo, load_ledger_demo
from finsam.economy import folding, selectors, services, view_cache
from finsam.economy.models import Budget, BudgetAmount
from finsam.organisation.models import Role as MemberRole
from finsam.organisation.tests.factories import AssociationFactory, user_with_role

D = Decimal


def rows(sections: dict[str, int]) -> list[tuple[str, str]]:
    """Item rows (section, label) and after each section its total row (section, "Summa")."""
    out = []
    for section, count in sections.items():
        out += [(section, f"{section}{i}") for i in range(1, count + 1)]
        out.append((section, "Summa"))
    return out


def folded(rows_, query=""):
    return folding.fold(
        rows_,
        section=lambda r: r[0],
        is_item=lambda r: r[1] != "Summa",
        label=lambda r: r[0],
        query=QueryDict(query),
    )


def test_a_short_budget_is_shown_whole():
    short = rows({"a": 3, "b": 2})
    assert folded(short) == short


def test_a_long_budget_shows_totals_and_a_link_per_section(monkeypatch):
    monkeypatch.setattr(folding, "FOLD_AT", 4)
    page = folded(rows({"a": 3, "b": 5}), "datum=2021-06-30")
    assert [r if isinstance(r, tuple) else r["fold"].label for r in page] == [
        "a",
        ("a", "Summa"),
        "b",
        ("b", "Summa"),
    ]
    fold_b = page[2]["fold"]
    assert (fold_b.number, fold_b.count, fold_b.is_open) == (2, 5, False)
    assert fold_b.open_url == "?datum=2021-06-30&avsnitt=2#avsnitt-2"


@given(count=st.integers(1, 30), page=st.integers(-2, 12), page_size=st.integers(1, 7))
def test_an_opened_section_shows_one_page_of_its_lines_and_links_to_the_others(
    count, page, page_size
):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(folding, "FOLD_AT", 0)
        mp.setattr(folding, "PAGE", page_size)
        shown = folded(rows({"a": 2, "b": count}), f"avsnitt=2&sida={page}")
    fold = next(r["fold"] for r in shown if isinstance(r, dict) and r["fold"].number == 2)
    lines = [r[1] for r in shown if isinstance(r, tuple) and r[0] == "b" and r[1] != "Summa"]
    pages = -(-count // page_size)
    current = min(max(page, 1), pages)
    assert lines == [
        f"b{i}" for i in range((current - 1) * page_size + 1, 1 + min(count, current * page_size))
    ]
    assert (fold.first, fold.last) == (
        (current - 1) * page_size + 1,
        min(count, current * page_size),
    )
    assert bool(fold.previous_url) == (current > 1) and bool(fold.next_url) == (current < pages)
    assert not [r for r in shown if isinstance(r, tuple) and r[0] == "a" and r[1] != "Summa"]


@pytest.fixture
def kramfors(db):
    association = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(association)
    load_ledger_demo(association)
    return association


@pytest.mark.django_db
def test_the_budget_pages_fold_a_long_budget_and_open_a_section_on_demand(
    client, kramfors, monkeypatch
):
    monkeypatch.setattr(folding, "FOLD_AT", 3)
    client.force_login(user_with_role(kramfors, MemberRole.ECONOMIST))
    budget = kramfors.budgets.get()
    detail = client.get(f"/f/kramfors/budget/{budget.pk}/").content.decode()
    assert "Visa de" in detail and "Aktivitetscoach STEGSAM Plus" not in detail
    assert "Summa kostnader/utgifter" in detail  # the section totals stay
    opened = client.get(f"/f/kramfors/budget/{budget.pk}/?avsnitt=2").content.decode()
    assert "Aktivitetscoach STEGSAM Plus" in opened and "Fäll ihop raderna" in opened
    follow_up = client.get("/f/kramfors/budget/uppfoljning/?datum=2021-06-30").content.decode()
    assert "Visa de" in follow_up and "Årets resultat" in follow_up
    for url in (
        f"/f/kramfors/budget/{budget.pk}/rader/",
        f"/f/kramfors/budget/{budget.pk}/belopp/",
    ):
        page = client.get(url)
        assert page.status_code == 200 and "Visa de" in page.content.decode()
    export = client.get(f"/f/kramfors/budget/{budget.pk}/export/?format=csv").content.decode()
    assert "Aktivitetscoach STEGSAM Plus" in export  # the export keeps every line


@pytest.mark.django_db
def test_saving_amounts_on_a_folded_page_leaves_the_folded_lines_alone(
    client, kramfors, monkeypatch
):
    monkeypatch.setattr(folding, "FOLD_AT", 3)
    client.force_login(user_with_role(kramfors, MemberRole.ECONOMIST))
    draft = services.budget_new_version(budget=kramfors.budgets.get(), by=SYSTEM)
    before = dict(BudgetAmount.objects.filter(line__budget=draft).values_list("pk", "amount"))
    line = draft.lines.get(label="Driftbidrag från staten")
    column = draft.columns.get(year=2021)
    response = client.post(
        f"/f/kramfors/budget/{draft.pk}/belopp/?avsnitt=1",
        {f"a-{line.pk}-{column.pk}": "1 300 000"},
    )
    assert response.status_code == 302
    after = dict(BudgetAmount.objects.filter(line__budget=draft).values_list("pk", "amount"))
    changed = {pk for pk in before if before[pk] != after.get(pk)}
    assert changed == {BudgetAmount.objects.get(line=line, column=column).pk}
    assert after.keys() == before.keys()


@pytest.mark.django_db
def test_a_decided_budgets_view_is_kept_and_a_change_computes_it_afresh(kramfors):
    view_cache.clear()
    budget = kramfors.budgets.get()
    assert budget.status in selectors.DECIDED
    first = selectors.budget_view(budget=budget)
    assert selectors.budget_view(budget=budget) is first
    Budget.objects.filter(pk=budget.pk).update(status=Budget.Status.DRAFT)  # no signal
    budget.refresh_from_db()
    draft_view = selectors.budget_view(budget=budget)
    assert draft_view is not first and selectors.budget_view(budget=budget) is not draft_view
    assert draft_view.values == first.values
    Budget.objects.filter(pk=budget.pk).update(status=Budget.Status.ADOPTED)
    budget.refresh_from_db()
    amount = BudgetAmount.objects.filter(line__budget=budget).first()
    BudgetAmount.objects.filter(pk=amount.pk).update(amount=amount.amount + 1)  # another process
    changed = selectors.budget_view(budget=budget)
    assert changed is not first
    assert changed.printed[(amount.line_id, amount.column_id)] == amount.amount + 1


@pytest.mark.django_db
def test_the_kept_view_gives_the_same_figures_and_warnings_as_a_fresh_one(kramfors):
    view_cache.clear()
    budget = kramfors.budgets.get()
    user = user_with_role(kramfors, MemberRole.ECONOMIST)
    kept = selectors.budget_view(budget=budget)
    again = selectors.budget_indicators(user=user, association=kramfors, budget=budget, view=kept)
    view_cache.clear()
    fresh = selectors.budget_view(budget=budget)
    assert fresh is not kept and fresh.values == kept.values
    indicators = selectors.budget_indicators(
        user=user, association=kramfors, budget=budget, view=fresh
    )
    assert [(i.result, i.warnings) for i in indicators] == [(i.result, i.warnings) for i in again]
    assert dt.date(2021, 1, 1).year == budget.budget_year
