"""The seeds' budgets entered as printed: right where they are right, flagged where they are not."""

from decimal import Decimal

import pytest

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.demo.economy_data import BUDGETS
from finsam.economy import selectors, services
from finsam.economy.rules import evaluate
from finsam.organisation.models import Association
from finsam.organisation.tests.factories import AssociationFactory

pytestmark = pytest.mark.django_db
D = Decimal


def seed(slug: str):
    association = AssociationFactory(slug=slug, name=f"Förbund {slug}")
    load_economy_demo(association)
    budget = association.budgets.get()
    view = selectors.budget_view(budget=budget)
    indicators = evaluate(view=view, rules=list(association.financial_rules.all()), budget=budget)
    return budget, view, {ind.column.label: ind for ind in indicators}


def test_vastra_malardalen_flags_the_cash_flow_result_of_2019():
    _, view, _ = seed("vastra-malardalen")
    flags = {(d.line_label, d.column_label): d for d in view.discrepancies}
    d = flags[("Årets resultat", "Bokslut 2019")]
    assert d.statement == "Kassaflödesbudget"
    assert d.printed == D("101600")
    assert d.computed == D("-102000")
    # Also wrong as printed: the balance's "of which result" has the wrong sign, and the 2019
    # closing cash is not opening cash plus the year's flow (110,1 − 430,9 ≠ 670,2).
    assert set(flags) == {
        ("Årets resultat", "Bokslut 2019"),
        ("– därav årets resultat", "Bokslut 2019"),
        ("Likvida medel vid årets slut", "Bokslut 2019"),
    }
    # Every other year and every total of the result budget add up.
    assert all(d.year == 2019 for d in view.discrepancies)


def test_vastra_malardalen_result_budget_adds_up_exactly():
    budget, view, indicators = seed("vastra-malardalen")
    assert indicators["Bokslut 2019"].result == D("-102000")
    for label in ("Budget 2020", "Budget 2021", "Plan 2022", "Plan 2023"):
        assert indicators[label].result == 0
        assert indicators[label].contributions == D("3000000")
        assert indicators[label].equity_closing == D("418000")


def test_norra_vastmanland_totals_differ_by_100_kr_from_their_lines():
    _, view, indicators = seed("norra-vastmanland")
    flags = sorted((d.column_label, d.printed - d.computed) for d in view.discrepancies)
    assert flags == [("Budget 2022", D(-100)), ("Plan 2023", D(100)), ("Plan 2024", D(-100))]
    assert all(d.line_label == "SUMMA KOSTNADER" for d in view.discrepancies)
    # Computed from the lines, not from the wrong printed total.
    assert indicators["Budget 2022"].costs == D("7638500")
    assert indicators["Prognos 2021 (sept)"].costs == D("7228000")


def test_norra_vastmanland_target_shares_2022_are_met():
    _, _, indicators = seed("norra-vastmanland")
    shares = {k.kind: k for k in indicators["Budget 2022"].kinds}
    assert shares["individual"].target == 72
    assert all(
        shares[k].within_target
        for k in ("individual", "structural", "process_support", "administration")
    )
    assert round(shares["individual"].share_of_costs, 2) == D("72.28")
    assert indicators["Budget 2022"].floor == D(500000)
    assert indicators["Budget 2022"].ceiling == D("1409200")  # 20 % of budgeted income


def test_kramfors_2021_shares_result_and_equity_as_printed():
    budget, view, indicators = seed("kramfors")
    assert view.discrepancies == []
    ind = indicators["Budget 2021"]
    assert round(ind.projects_share, 2) == D("73.69")
    assert round(ind.individual_share_of_projects, 2) == D("82.72")
    assert round(ind.other_share_of_projects, 2) == D("17.28")
    assert round(ind.administration_share, 2) == D("36.07")
    assert round(ind.total_share, 2) == D("109.76")
    assert ind.result == D("-253000")
    assert (ind.equity_opening, ind.equity_closing) == (D("548077"), D("295077"))
    assert ind.warnings == []  # the board gave its reason for the deficit
    assert any("synnerliga skäl" in note for note in ind.notes)


def test_kramfors_shows_the_planned_decline_of_the_state_contribution():
    _, view, indicators = seed("kramfors")
    changes = [indicators[c].state_change for c in ("Budget 2021", "Budget 2022", "Budget 2023")]
    assert changes == [D(0), D(-2666), D(-2667)]
    state = next(ln for ln in view.lines if ln.label == "Driftbidrag från staten")
    amounts = [view.value(state, c) for c in view.columns]
    assert amounts == [D(1296000), D(1296000), D(1293334), D(1290667)]


def test_kramfors_without_the_boards_reason_warns_about_the_deficit():
    budget, _, _ = seed("kramfors")
    budget.unbalanced_reason = ""
    budget.save()
    view = selectors.budget_view(budget=budget)
    [ind] = [
        i
        for i in evaluate(
            view=view, rules=list(budget.association.financial_rules.all()), budget=budget
        )
        if i.column.label == "Budget 2021"
    ]
    assert any("inte i balans" in w for w in ind.warnings)


def test_equity_over_the_ceiling_warns():
    budget, _, _ = seed("kramfors")
    spec = dict(BUDGETS["kramfors"], budget_year=2022)
    other = services.budget_create(association=budget.association, spec=spec, by=SYSTEM)
    view = selectors.budget_view(budget=other)
    # Budget 2020 column: 548 077 kr equity against 20 % of 2 592 000 = 518 400; the rule is
    # dated 2021 so the 2020 column is not judged by it.
    inds = {
        i.column.label: i
        for i in evaluate(
            view=view, rules=list(budget.association.financial_rules.all()), budget=other
        )
    }
    assert inds["Budget 2020"].ceiling is None
    assert inds["Budget 2021"].ceiling == D("518400")
    assert inds["Budget 2021"].equity_closing < inds["Budget 2021"].ceiling


def test_the_demo_links_budget_lines_to_the_interventions_they_fund(client):
    import io

    from django.core.management import call_command

    from finsam.accounts.models import User

    call_command("load_demo", stdout=io.StringIO())
    budget = Association.objects.get(slug="kramfors").budgets.get()
    links = {
        ln.label: ln.intervention.title
        for ln in budget.lines.filter(intervention__isnull=False).select_related("intervention")
    }
    assert links == {
        "Teamkoordinator/Coach Samkraft": "Teamkoordinator/Coach Samkraft",
        "Aktivitetscoach & samordnare STEGSAM": "STEGSAM – Steg för steg genom att samverka",
        "Aktivitetscoach STEGSAM Plus": "STEGSAM Plus",
        "Psykiatridagen": "Psykiatridagen",
    }
    nv = Association.objects.get(slug="norra-vastmanland").budgets.get()
    assert nv.lines.filter(
        label="Samordningsteam Sala", intervention__title="Samordningsteam Sala"
    ).exists()
    client.force_login(User.objects.get(username="ekonom"))
    page = client.get(f"/f/kramfors/budget/{budget.pk}/").content.decode()
    plus = budget.lines.get(label="Aktivitetscoach STEGSAM Plus").intervention
    assert f'href="/f/kramfors/insatser/{plus.pk}/"' in page
