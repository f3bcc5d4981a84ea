"""Which budget counts: the one the board adopted for the year, unless another is chosen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404

from finsam.core.actors import SYSTEM
from finsam.economy import selectors, services
from finsam.economy.models import Budget
from finsam.economy.selectors import counting_budget
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def make_budget(association, year, status="draft", *, columns=None, staff=100000, title=None):
    columns = columns or [
        (year, "budget", f"Budget {year}"),
        (year + 1, "plan", f"Plan {year + 1}"),
    ]
    n = len(columns)
    return services.budget_create(
        association=association,
        by=SYSTEM,
        spec={
            "title": title or f"Budget {year} ({status})",
            "budget_year": year,
            "status": status,
            "decision_ref": "§ 12" if status != "draft" else "",
            "columns": columns,
            "lines": [
                ("result", "income", "item", "Medlemsbidrag", [Decimal(1000000)] * n, {}),
                ("result", "operating_cost", "item", "Personal", [Decimal(staff)] * n, {}),
            ],
        },
    )


def test_the_adopted_budget_counts_over_a_newer_draft_and_a_revision_over_both(association):
    adopted = make_budget(association, 2024, "adopted")
    make_budget(association, 2024, "draft")
    budgets = Budget.objects.filter(association=association)
    choice = counting_budget(budgets, year=2024)
    assert (choice.budget, choice.only_drafts, choice.chosen) == (adopted, False, False)
    revised = make_budget(association, 2024, "revised")
    assert counting_budget(budgets, year=2024).budget == revised


def test_only_drafts_gives_the_newest_draft_and_says_so(association):
    make_budget(association, 2024)
    newest = make_budget(association, 2024)
    choice = counting_budget(Budget.objects.all(), year=2024)
    assert (choice.budget, choice.only_drafts) == (newest, True)


def test_a_later_plan_never_counts_for_a_past_year(association):
    make_budget(
        association,
        2025,
        "adopted",
        columns=[(2024, "outcome", "Bokslut 2024"), (2025, "budget", "Budget 2025")],
    )
    choice = counting_budget(Budget.objects.all(), year=2024)
    assert choice.budget is None and not choice.only_drafts


def test_a_chosen_budget_must_be_the_associations(association, other_association):
    foreign = make_budget(other_association, 2024, "adopted")
    own = Budget.objects.filter(association=association)
    with pytest.raises(Http404):
        counting_budget(own, year=2024, pk=foreign.pk)
    with pytest.raises(Http404):
        counting_budget(own, year=2024, pk="inte-ett-id")


def test_the_follow_up_of_a_past_year_uses_that_years_adopted_budget(client, association):
    adopted = make_budget(association, 2024, "adopted", staff=300000)
    later = make_budget(
        association,
        2025,
        "adopted",
        staff=999999,
        columns=[(2024, "outcome", "Bokslut 2024"), (2025, "budget", "Budget 2025")],
    )
    client.force_login(user_with_role(association, Role.ECONOMIST))
    url = f"/f/{association.slug}/budget/uppfoljning/"
    body = client.get(url, {"datum": "2024-06-30"}).content.decode()
    assert f"Budget: {adopted}" in body and "Budgeten som styrelsen antog för 2024." in body
    assert "300\xa0000\xa0kr" in body and "999\xa0999" not in body
    # Chosen on purpose, the later plan has no budget column for 2024: said, never filled in
    # from its final-accounts column.
    body = client.get(url, {"datum": "2024-06-30", "budget": later.pk}).content.decode()
    assert "har ingen budget- eller plankolumn för 2024" in body
    assert "999\xa0999" not in body


def test_the_follow_up_says_when_only_drafts_exist_and_when_there_is_no_budget(client, association):
    client.force_login(user_with_role(association, Role.BOARD))
    url = f"/f/{association.slug}/budget/uppfoljning/"
    assert (
        "Det finns ingen budget för året"
        in client.get(url, {"datum": "2024-03-31"}).content.decode()
    )
    make_budget(association, 2024)
    body = client.get(url, {"datum": "2024-03-31"}).content.decode()
    assert "Styrelsen har inte antagit någon budget för 2024; det senaste utkastet visas." in body


def test_a_foreign_or_unreadable_budget_choice_is_not_found(client, association, other_association):
    foreign = make_budget(other_association, 2024, "adopted")
    client.force_login(user_with_role(association, Role.OFFICE))
    url = f"/f/{association.slug}/budget/uppfoljning/"
    assert client.get(url, {"datum": "2024-06-30", "budget": foreign.pk}).status_code == 404
    assert client.get(url, {"datum": "2024-06-30", "budget": "x"}).status_code == 404
    assert client.get(url, {"datum": "inte-ett-datum"}).status_code == 200


def test_the_home_page_shows_this_years_adopted_budget_or_says_what_is_missing(
    client, association, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2024, 5, 2))
    client.force_login(user_with_role(association, Role.ECONOMIST))
    home = f"/f/{association.slug}/"
    assert "Det finns ingen budget för 2024." in client.get(home).content.decode()
    draft = make_budget(association, 2024)
    body = client.get(home).content.decode()
    assert str(draft.title) in body
    assert (
        "Styrelsen har inte antagit någon budget för 2024; detta är det senaste utkastet." in body
    )
    adopted = make_budget(association, 2024, "adopted", title="Antagen budget 2024")
    make_budget(association, 2024, title="Ännu nyare utkast")
    body = client.get(home).content.decode()
    assert adopted.title in body and "Ännu nyare utkast" not in body
    assert "senaste utkastet" not in body


def test_check_and_export_use_the_adopted_budget_unless_one_is_chosen(
    association, tmp_path, capsys
):
    adopted = make_budget(association, 2024, "adopted")
    draft = make_budget(association, 2024, staff=2000000)  # a deficit, no reason given
    services.rule_create(
        association=association, by=SYSTEM, kind="balanced_budget", valid_from=dt.date(2024, 1, 1)
    )
    call_command("check_budget", association=association.slug, year=2024)
    assert str(adopted) in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("check_budget", association=association.slug, budget=draft.pk)
    assert "inte i balans" in capsys.readouterr().out
    out = tmp_path / "b.csv"
    call_command(
        "export_budget",
        association=association.slug,
        budget=draft.pk,
        format="csv",
        output=str(out),
    )
    assert "2000000" in out.read_text(encoding="utf-8-sig")
    call_command(
        "export_budget", association=association.slug, year=2024, format="csv", output=str(out)
    )
    assert "2000000" not in out.read_text(encoding="utf-8-sig")


def test_commands_say_when_only_drafts_exist_and_refuse_unknown_budgets(
    association, other_association, capsys
):
    make_budget(association, 2024)
    call_command("check_budget", association=association.slug, year=2024)
    assert "styrelsen har inte antagit någon budget för 2024" in capsys.readouterr().err
    foreign = make_budget(other_association, 2024, "adopted")
    with pytest.raises(CommandError, match="ingen budget med id"):
        call_command("check_budget", association=association.slug, budget=foreign.pk)
    with pytest.raises(CommandError, match="ingen budget för 2030"):
        call_command("export_budget", association=association.slug, year=2030)
    with pytest.raises(CommandError, match="--year"):
        call_command("check_budget", association=association.slug)


def test_the_chosen_budget_reaches_the_follow_up_selector(association):
    adopted = make_budget(association, 2024, "adopted")
    user = user_with_role(association, Role.AUDITOR)
    choice = selectors.budget_counting(user=user, association=association, year=2024)
    report = selectors.follow_up(
        user=user, association=association, budget=choice.budget, cutoff=dt.date(2024, 6, 30)
    )
    assert choice.budget == adopted
    assert report.column.label == "Budget 2024" and report.column_note == ""
