"""The demo holds every insats of the seed documents with the amounts they state."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from finsam.accounts.models import User
from finsam.core.actors import SYSTEM
from finsam.core.money import format_sek
from finsam.demo.funding import load_funding_demo
from finsam.demo.funding_history import load_history
from finsam.economy.models import BudgetLine
from finsam.funding import services
from finsam.funding.models import (
    AssessmentCriterion,
    Call,
    CoFinancing,
    FundingSettings,
    Grant,
    Intervention,
    InterventionGoal,
    InterventionKindShare,
    InterventionReport,
    ReportGoalAttainment,
    Requisition,
)
from finsam.funding.selectors import calls
from finsam.organisation.models import Association, AuditEvent


@pytest.fixture
def seeded(_demo_loaded, db):
    # load_demo loaded the interventions itself; a second load changes nothing.
    for association in Association.objects.all():
        assert association.interventions.exists()
        assert load_funding_demo(association) is False
    return {a.slug: a for a in Association.objects.all()}


# Every insats the seeds describe, with the grant per year the seed states (kr). Kramfors: the
# Budget 2020 and Budget 2021 columns; Norra Västmanland: Budget 2022; Västra Mälardalen (kkr):
# Bokslut 2019, Budget 2020 and Budget 2021. Plans for later years decide nothing.
SEED_GRANTS: dict[str, dict[str, dict[int, int]]] = {
    "kramfors": {
        "Psykiatridagen": {2020: 30_000, 2021: 30_000},
        "STEGSAM Plus": {2021: 330_000},
        "STEGSAM – Steg för steg genom att samverka": {2020: 950_000, 2021: 950_000},
        "Teamkoordinator/Coach Samkraft": {2020: 600_000, 2021: 600_000},
    },
    "norra-vastmanland": {
        "Grundutbildning Lösningfokus": {2022: 20_000},
        "Insatskatalogen": {2022: 75_000},
        "Kurator till samordningsteam": {2022: 235_000},
        "Länsgemensamma aktiviteter": {2022: 250_000},
        "Processtöd samverkansinsatser": {2022: 430_600},
        "Samordningsteam FNS": {2022: 1_523_000},
        "Samordningsteam Hallstahammar": {2022: 1_120_000},
        "Samordningsteam Sala": {2022: 1_590_000},
        "Samordningsteam Surahammar": {2022: 1_053_000},
        "Vidareutbildning Lösningfokus": {2022: 20_000},
    },
    "vastra-malardalen": {
        "Boskola": {2019: 279_000},
        "Chefsutbildning": {2019: 10_000},
        "Dans för hälsa": {2019: 20_000},
        "Dejta en myndighet": {2019: 24_000, 2020: 15_000, 2021: 30_000},
        "ESF-Unga SKU": {2019: 250_000, 2020: 250_000, 2021: 250_000},
        "Hälsoinsatser (ViiA)": {2021: 100_000},
        # Månadsavgift 36/36/37 + resurs 45/0/50.
        "Insatskatalog": {2019: 81_000, 2020: 36_000, 2021: 87_000},
        "Integrationssamarbete Regionen": {2019: 85_000, 2020: 500_000},
        "KAK-gemensamma utbildningar": {2019: 202_000, 2020: 250_000, 2021: 200_000},
        "LF och ensamkommandes hälsa": {2019: 637_000},
        "Länsgemensamma utb/konferenser": {2019: 199_000, 2020: 250_000, 2021: 250_000},
        "Processtödjare": {2020: 381_000, 2021: 410_000},
        "Självutvärderingar": {2021: 40_000},
        "Tillsammansveckan": {2019: 10_000, 2021: 30_000},
        "Vem gör vad för unga i KAK": {2019: 99_000},
    },
}

# The printed totals less the lines that are no insats: Kramfors's "Summa kostnader/utgifter"
# less "Kvar att fördela"; Norra Västmanland's individual, structural and process lines less the
# external assessment (its own follow-up); Västra Mälardalen's "Summa kostnader insats" less
# "Sökbara medel".
SEED_TOTALS = {
    "kramfors": {2020: 1_678_000 - 98_000, 2021: 1_910_000},
    "norra-vastmanland": {2022: 5_521_000 + 430_000 + 430_600 - 65_000},
    "vastra-malardalen": {
        2019: 1_896_000,
        2020: 2_137_000 - 455_000,
        2021: 1_966_000 - 569_000,
    },
}


def granted(association) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for g in Grant.objects.filter(intervention__association=association).select_related(
        "intervention"
    ):
        out.setdefault(g.intervention.title, {})[g.year] = int(g.amount)
    return out


def kinds(intervention) -> dict[str, int]:
    return {s.kind: s.percent for s in intervention.kind_shares.all()}


@pytest.mark.parametrize("slug", sorted(SEED_GRANTS))
def test_every_insats_of_the_seed_with_the_amount_per_year_it_states(seeded, slug):
    association = seeded[slug]
    assert list(association.interventions.order_by("title").values_list("title", flat=True)) == (
        sorted(SEED_GRANTS[slug])
    )
    assert granted(association) == SEED_GRANTS[slug]
    per_year: dict[int, int] = {}
    for years in SEED_GRANTS[slug].values():
        for year, amount in years.items():
            per_year[year] = per_year.get(year, 0) + amount
    assert per_year == SEED_TOTALS[slug]
    # Every grant says which column of the plan it comes from.
    assert not Grant.objects.filter(intervention__association=association, decision_ref="")


def test_kramfors_interventions_as_the_verksamhetsplan_states_them(seeded):
    kramfors = seeded["kramfors"]
    # "Projektet STEGSAM har beviljats medel från Samordningsförbundet för åren 2020 och 2021."
    assert list(
        Grant.objects.filter(intervention__title__startswith="STEGSAM –")
        .order_by("year")
        .values_list("year", "decision_ref")
    ) == [
        (2020, "Budget 2020 (kolumnen i verksamhetsplan och budget 2021)"),
        (2021, "Verksamhetsplan och budget 2021, styrelsen 2020-11-20"),
    ]
    samkraft = Intervention.objects.get(association=kramfors, title__contains="Samkraft")
    assert kinds(samkraft) == {"process_support": 50, "individual": 50}
    assert samkraft.age_range == "16–64"
    assert "25 st på årsbasis" in samkraft.goals.last().text
    assert samkraft.owner == "Kramfors kommun via Bildningsförvaltningen"
    assert samkraft.responsible_manager == "Förvaltningschef Bildningsförvaltningen"
    assert samkraft.project_lead == "Enhetschef Arbetsmarknadsenheten (AME)"
    assert samkraft.steering_meetings_per_year == "3–4"
    stegsam = Intervention.objects.get(association=kramfors, title__startswith="STEGSAM –")
    assert stegsam.age_range == "16–29"
    assert [g.target_value for g in stegsam.goals.all() if g.target_value] == [
        "≥ 30 ärenden per år",
        "≥ 85 % nöjda deltagare",
        "1/3 gör stegförflyttning",
    ]
    plus = Intervention.objects.get(association=kramfors, title="STEGSAM Plus")
    assert plus.reinforces == stegsam
    assert plus.age_range == "16–20"
    assert kinds(plus) == kinds(stegsam) == {"individual": 100}
    psykiatri = Intervention.objects.get(association=kramfors, title="Psykiatridagen")
    assert kinds(psykiatri) == {"collaboration_support": 100}
    assert psykiatri.owner == "Region Västernorrland via vuxenpsykiatrin i Kramfors"
    assert stegsam.staff.filter(username="insats").exists()
    assert (stegsam.period_start, stegsam.period_end) == (
        dt.date(2020, 1, 1),
        dt.date(2021, 12, 31),
    )
    assert stegsam.status_on(dt.date(2022, 1, 1)) == Intervention.Status.ENDED
    assert samkraft.status_on(dt.date(2022, 1, 1)) == Intervention.Status.RUNNING


def test_stegsam_plus_has_the_goals_the_seed_prints_under_it(seeded):
    plus = Intervention.objects.get(association=seeded["kramfors"], title="STEGSAM Plus")
    assert [(g.text, g.target_value) for g in plus.goals.all()] == [
        ("Att genom aktiviteter och insatser skapa trygga arenor som lockar målgruppen.", ""),
        (
            "De ska kontaktas och bjudas in att delta, erbjudas individuell kartläggning och "
            "aktiviteter utifrån behov.",
            "",
        ),
        (
            "Att bryta utanförskap, att ledas in i ett sammanhang där olika insatser stegvis "
            "leder fram till personlig utveckling, anställningsbarhet och egen försörjning.",
            "",
        ),
        (
            "Målet är en meningsfull sysselsättning, egen försörjning och ett bättre mående "
            "genom ökad självkänsla och ett ökat egenvärde.",
            "",
        ),
        (
            "Antalet ärenden inom STEGSAM PLUS bör kunna uppgå till 15 på årsbasis.",
            "15 ärenden per år",
        ),
        (
            "STEGSAM ska ha minst 85 % nöjda deltagare efter genomförd insats.",
            "≥ 85 % nöjda deltagare",
        ),
        (
            "1/3 av 30 deltagare ska ha gjort stegförflyttning mot ökad anställningsbarhet "
            "och/eller egen försörjning.",
            "1/3 gör stegförflyttning",
        ),
    ]


def test_norra_vastmanland_budget_2022_interventions(seeded):
    nv = seeded["norra-vastmanland"]
    fns = Intervention.objects.get(title="Samordningsteam FNS")
    assert sorted(m.name for m in fns.members.all()) == [
        "Fagersta kommun",
        "Norbergs kommun",
        "Skinnskattebergs kommun",
    ]
    assert {i.title: kinds(i) for i in nv.interventions.exclude(title__startswith="Samordn")} == {
        "Kurator till samordningsteam": {"individual": 100},
        "Grundutbildning Lösningfokus": {"collaboration_support": 100},
        "Vidareutbildning Lösningfokus": {"collaboration_support": 100},
        "Länsgemensamma aktiviteter": {"collaboration_support": 100},
        "Insatskatalogen": {"structural": 100},
        "Processtöd samverkansinsatser": {"process_support": 100},
    }
    grund = nv.interventions.get(title="Grundutbildning Lösningfokus")
    assert [g.target_value for g in grund.goals.all()] == ["≥ 1 grundutbildning"]
    # Whether to finance Insatskatalogen after 2022 is decided after an evaluation in the autumn.
    katalog = nv.interventions.get(title="Insatskatalogen")
    assert katalog.period_end == dt.date(2022, 12, 31)
    assert katalog.status_on(dt.date(2023, 1, 1)) == Intervention.Status.ENDED
    assert "Utvärdering hösten 2022" in [g.target_value for g in katalog.goals.all()]


def test_vastra_malardalen_interventions_criteria_and_call(seeded):
    vm = seeded["vastra-malardalen"]
    by_title = {i.title: i for i in vm.interventions.all()}
    assert kinds(by_title["Länsgemensamma utb/konferenser"]) == {"collaboration_support": 100}
    assert kinds(by_title["KAK-gemensamma utbildningar"]) == {"collaboration_support": 100}
    assert kinds(by_title["Dejta en myndighet"]) == {"collaboration_support": 100}
    assert kinds(by_title["Insatskatalog"]) == {"structural": 100}
    assert kinds(by_title["Processtödjare"]) == {"process_support": 100}
    assert kinds(by_title["ESF-Unga SKU"]) == {}  # the plan does not say
    assert [g.target_value for g in by_title["KAK-gemensamma utbildningar"].goals.all()] == [
        "≥ 100 deltagare"
    ]
    # Periods run from the first column with money; grants begin where the period begins.
    for intervention in by_title.values():
        first = min(intervention.grants.values_list("year", flat=True))
        assert intervention.period_start == dt.date(first, 1, 1), intervention.title
    assert by_title["Boskola"].status_on(dt.date(2020, 1, 1)) == Intervention.Status.ENDED
    assert by_title["Processtödjare"].status_on(dt.date(2021, 6, 1)) == Intervention.Status.RUNNING
    assert list(
        AssessmentCriterion.objects.filter(association=vm).values_list("title", flat=True)
    ) == [
        "Stödjer visionen",
        "Samverkan/samordning",
        "Hälsa",
        "Arbetslivsfokus",
        "Delaktighet och bemötande",
    ]
    office = User.objects.get(username="kansli")
    call = calls(user=office, association=vm).get(title="Sökbara medel 2021")
    assert (call.title, call.pot, call.remaining) == (
        "Sökbara medel 2021",
        Decimal("569000"),
        Decimal("569000"),
    )


def test_the_budget_lines_link_to_the_new_interventions(seeded):
    def links(slug):
        budget = seeded[slug].budgets.get()
        return {
            ln.label: ln.intervention.title
            for ln in budget.lines.filter(intervention__isnull=False).select_related("intervention")
        }

    nv = links("norra-vastmanland")
    for title in SEED_GRANTS["norra-vastmanland"]:
        assert nv[title] == title
    assert "Utvärdering/Extern medbedömning Samordningsteam" not in nv
    vm = links("vastra-malardalen")
    assert vm["Insatskatalog, månadsavgift"] == vm["Insatskatalog, resurs"] == "Insatskatalog"
    assert set(vm.values()) == set(SEED_GRANTS["vastra-malardalen"])
    assert "Sökbara medel" not in vm


def test_each_association_has_the_reporting_defaults_its_seed_states(seeded):
    kramfors = services.funding_settings_for(seeded["kramfors"])
    # "Delårsrapport 2021-06-30. Årsredovisning 2021-12-31. Muntlig föredragning i samband med
    # delårs- och årsredovisning för styrelsen."
    assert (kramfors.annual_report_only, kramfors.oral_presentations_per_year) == (False, 2)
    stegsam = Intervention.objects.get(title__startswith="STEGSAM –")
    assert services.report_periods(stegsam) == [
        ("interim", dt.date(2020, 6, 30)),
        ("oral", dt.date(2020, 6, 30)),
        ("annual", dt.date(2020, 12, 31)),
        ("oral", dt.date(2020, 12, 31)),
        ("interim", dt.date(2021, 6, 30)),
        ("oral", dt.date(2021, 6, 30)),
        ("annual", dt.date(2021, 12, 31)),
        ("oral", dt.date(2021, 12, 31)),
    ]
    # "Samordningsteamerna och dess styrgrupper lämnar årsvis en helårsrapport".
    nv = services.funding_settings_for(seeded["norra-vastmanland"])
    assert (nv.annual_report_only, nv.oral_presentations_per_year) == (True, 0)
    sala = Intervention.objects.get(title="Samordningsteam Sala")
    assert list(sala.reports.values_list("kind", "period_end")) == [
        ("annual", dt.date(2022, 12, 31))
    ]
    assert not InterventionReport.objects.filter(
        intervention__association=seeded["norra-vastmanland"], kind="interim"
    ).exists()
    # Västra Mälardalen's plan states none: the standard defaults, nothing saved.
    assert not FundingSettings.objects.filter(association=seeded["vastra-malardalen"]).exists()
    esf = Intervention.objects.get(title="ESF-Unga SKU")
    # Interim, annual and the one oral presentation a year of the standard defaults.
    assert [p[1].year for p in services.report_periods(esf)] == [2019] * 3 + [2020] * 3 + [2021] * 3


def test_loading_twice_changes_nothing(seeded):
    def counts():
        models = (
            Intervention,
            Grant,
            Call,
            InterventionGoal,
            InterventionKindShare,
            InterventionReport,
            ReportGoalAttainment,
            Requisition,
            FundingSettings,
            CoFinancing,
            AuditEvent,
        )
        linked = BudgetLine.objects.filter(intervention__isnull=False).count()
        states = sorted(InterventionReport.objects.values_list("status", flat=True))
        requisitions = sorted(Requisition.objects.values_list("status", "amount"))
        return [m.objects.count() for m in models] + [linked, states, requisitions]

    before = counts()
    for association in seeded.values():
        assert load_funding_demo(association) is False
        assert load_history(association) is False
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_demo_leaves_reporting_defaults_an_association_saved_alone(seeded):
    nv = seeded["norra-vastmanland"]
    services.funding_settings_update(association=nv, data={"annual_report_only": False}, by=SYSTEM)
    load_funding_demo(nv)
    assert services.funding_settings_for(nv).annual_report_only is False


def test_demo_steering_groups_have_meetings_some_with_minutes(seeded):
    from finsam.funding.models import SteeringGroupMeeting

    kramfors = seeded["kramfors"]
    meetings = SteeringGroupMeeting.objects.filter(intervention__association=kramfors)
    stegsam = meetings.filter(intervention__title__startswith="STEGSAM –")
    assert sorted({m.date.year for m in stegsam}) == [2020, 2021]
    with_minutes = [m for m in meetings if m.minutes]
    assert with_minutes and meetings.filter(minutes="").exists()
    assert with_minutes[0].minutes.read().startswith(b"%PDF-1.4")
    assert with_minutes[0].minutes_content_type == "application/pdf"
    count = meetings.count()
    call_command("load_demo", stdout=io.StringIO())  # the fixture loaded twice already
    assert SteeringGroupMeeting.objects.filter(intervention__association=kramfors).count() == count


def test_stegsam_shows_the_municipalitys_co_financing_beside_the_grant(seeded, client):
    from django.urls import reverse

    from finsam.core.money import NBSP

    kramfors = seeded["kramfors"]
    [row] = CoFinancing.objects.filter(intervention__association=kramfors)
    assert row.intervention.title.startswith("STEGSAM –")
    assert (row.year, row.funder, row.amount) == (2021, "Kramfors kommun", Decimal(450_000))
    assert "Exempelbelopp" in row.note  # the plan names no amount; the demo says so
    assert CoFinancing.objects.count() == 1
    assert AuditEvent.objects.filter(event="co_financing.created").count() == 1
    client.force_login(User.objects.get(username="kansli"))
    page = (
        client.get(
            reverse("funding:intervention_detail", args=[kramfors.slug, row.intervention.pk])
        )
        .content.decode()
        .replace(NBSP, " ")
    )
    assert "Medfinansiering" in page
    assert "450 000 kr" in page and "1 400 000 kr" in page  # 950 000 granted + 450 000


def test_the_advisory_demo_user_sits_where_a_group_assesses_applications(seeded, client):
    from finsam.organisation.access import can
    from finsam.organisation.models import Membership, Role

    user = User.objects.get(username="beredning")
    [membership] = Membership.objects.filter(user=user)
    association = membership.association
    assert (membership.role, association.slug) == (Role.ADVISORY, "vastra-malardalen")
    assert association.advisory_groups.filter(assesses_applications=True).exists()
    assert AssessmentCriterion.objects.filter(association=association).count() == 5
    assert user.check_password("finsam-demo")
    assert can(user, association, "applications.assess")
    assert not can(user, association, "assessments.manage")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "beredning" in out.getvalue() and "Beredningsgrupp i vastra-malardalen" in out.getvalue()
    assert Membership.objects.filter(user=user).count() == 1  # idempotent


def test_the_advisory_group_finds_an_example_application_to_assess(seeded, client):
    from finsam.funding.models import Application

    vm = seeded["vastra-malardalen"]
    [example] = Application.objects.filter(association=vm)
    assert example.status == Application.Status.SUBMITTED
    assert "(demo)" in example.title and example.call.status == Call.Status.OPEN
    assert not Application.objects.exclude(association=vm).exists()
    client.force_login(User.objects.get(username="beredning"))
    page = client.get(f"/f/{vm.slug}/ansokningar/").content.decode()
    assert "Exempel: Unga till arbete (demo)" in page
    call_command("load_demo", stdout=io.StringIO())
    assert Application.objects.filter(association=vm).count() == 1


def test_the_office_sees_the_new_interventions_and_the_yearly_report_default(seeded, client):
    from django.urls import reverse

    nv = seeded["norra-vastmanland"]
    client.force_login(User.objects.get(username="kansli"))
    response = client.get(reverse("funding:interventions", args=[nv.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    for title in (
        "Kurator till samordningsteam",
        "Grundutbildning Lösningfokus",
        "Insatskatalogen",
    ):
        assert title in body
    criteria = client.get(reverse("funding:criteria", args=[nv.slug])).content.decode()
    assert "Ingen, bara årsrapport" in criteria
    kurator = nv.interventions.get(title="Kurator till samordningsteam")
    detail = client.get(reverse("funding:intervention_detail", args=[nv.slug, kurator.pk]))
    assert detail.status_code == 200
    assert "Årsrapport" in detail.content.decode()
    assert "Delårsrapport" not in detail.content.decode()


# What the demo pays per intervention and year (kr): Kramfors's grants in full, except STEGSAM Plus
# (the coach started six weeks late) and Psykiatridagen 2021 (its requisition waits for approval).
KRAMFORS_PAID = {
    "Psykiatridagen": {2020: 30_000, 2021: 0},
    "STEGSAM Plus": {2021: 285_000},
    "STEGSAM – Steg för steg genom att samverka": {2020: 950_000, 2021: 950_000},
    "Teamkoordinator/Coach Samkraft": {2020: 600_000, 2021: 600_000},
}


def paid_per_year(association) -> dict[str, dict[int, int]]:
    return {
        i.title: {y.year: int(y.paid) for y in services.grant_years(i)}
        for i in association.interventions.all()
    }


def test_the_kramfors_dashboard_shows_approved_submitted_and_overdue_reports(seeded, client):
    from collections import Counter

    client.force_login(User.objects.get(username="kansli"))
    response = client.get("/f/kramfors/rapporter/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert Counter(state for _report, state in rows) == {
        "approved": 11,
        "submitted": 2,
        "overdue": 1,
        # Two oral presentations a year, each at a board meeting that has been held.
        "held": 14,
    }
    body = response.content.decode()
    assert "1 försenad rapport" in body
    for label in ("Godkänd", "Inlämnad", "Försenad"):
        assert label in body
    [overdue] = [r for r, state in rows if state == "overdue"]
    assert (overdue.intervention.title, overdue.kind, overdue.period_end.year) == (
        "Psykiatridagen",
        "annual",
        2021,
    )
    # The waiting ones are the latest: the annual reports for 2021, handed in on time.
    waiting = InterventionReport.objects.filter(status="submitted").select_related(
        "intervention", "submitted_by"
    )
    assert sorted(r.intervention.title for r in waiting) == [
        "STEGSAM Plus",
        "Teamkoordinator/Coach Samkraft",
    ]
    for report in waiting:
        assert report.period_end == dt.date(2021, 12, 31)
        assert report.submitted_by.username == "insats"
        assert report.submitted_at.date() <= report.due_date
        assert report.reviewed_by is None
        assert f'href="/f/kramfors/rapporter/{report.pk}/"' in body


def test_the_kramfors_reports_tell_what_happened_and_were_reviewed_by_the_office(seeded, client):
    kramfors = seeded["kramfors"]
    approved = InterventionReport.objects.filter(
        intervention__association=kramfors, status="approved"
    ).select_related("intervention", "submitted_by", "reviewed_by")
    for report in approved:
        writer = "kansli" if report.intervention.title == "Psykiatridagen" else "insats"
        assert report.submitted_by.username == writer, report
        assert report.reviewed_by.username == "kansli"
        assert report.what_happened and report.outcome and report.forecast is not None
        # Dated when it happened, not when the demo was loaded (one was completed in August).
        handed_in = report.submitted_at.date() - report.period_end
        assert dt.timedelta(days=0) < handed_in <= dt.timedelta(days=50)
        assert report.submitted_at < report.reviewed_at
        goals = report.intervention.goals.count()
        assert report.attainments.exclude(value="").count() == goals
    plus = approved.get(intervention__title="STEGSAM Plus")
    assert plus.forecast == Decimal("285000") and "330 000 kr" in plus.deviations
    # One report was returned for completion before it was approved; the audit trail shows it.
    samkraft = approved.get(intervention__title__contains="Samkraft", period_end="2021-06-30")
    steps = AuditEvent.objects.filter(
        target_model="funding.interventionreport", target_id=str(samkraft.pk), action="status"
    ).order_by("created_at")
    assert [(e.actor_name, e.after["status"], e.created_at.year) for e in steps] == [
        ("insats", "submitted", 2021),
        ("kansli", "returned", 2021),
        ("insats", "submitted", 2021),
        ("kansli", "approved", 2021),
    ]
    assert "avslutats" in samkraft.outcome
    # The clock the history was replayed with is back to the real one.
    assert abs(timezone.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    # The staff user sees the reports of the interventions they work in, none of them overdue.
    client.force_login(User.objects.get(username="insats"))
    rows = client.get("/f/kramfors/rapporter/").context["rows"]
    assert sorted({r.intervention.title for r, _state in rows}) == [
        "STEGSAM Plus",
        "STEGSAM – Steg för steg genom att samverka",
        "Teamkoordinator/Coach Samkraft",
    ]
    assert "overdue" not in {state for _r, state in rows}


def test_kramfors_is_paid_what_the_demo_intends_and_one_requisition_waits(seeded, client):
    kramfors = seeded["kramfors"]
    assert paid_per_year(kramfors) == KRAMFORS_PAID
    for title, years in KRAMFORS_PAID.items():
        for year, paid in years.items():
            assert paid <= Grant.objects.get(intervention__title=title, year=year).amount
    # Samkraft is paid monthly per payment plan, as the 2021 ledger books it (50 000 kr on the 28th).
    samkraft = Requisition.objects.filter(grant__intervention__title__contains="Samkraft")
    assert {(p.kind, p.amount, p.date.day) for p in samkraft} == {("plan", Decimal("50000"), 28)}
    # Requisitions carry the actual costs; the staff make them, the office approves them.
    stegsam = Requisition.objects.filter(grant__intervention__title__startswith="STEGSAM")
    assert all(p.actual_costs >= p.amount for p in stegsam)
    assert {(p.requested_by.username, p.decided_by.username) for p in stegsam} == {
        ("insats", "kansli")
    }
    [waiting] = Requisition.objects.filter(
        grant__intervention__association=kramfors, status="requested"
    )
    assert (waiting.grant.intervention.title, waiting.grant.year, waiting.amount) == (
        "Psykiatridagen",
        2021,
        Decimal("30000"),
    )
    client.force_login(User.objects.get(username="ekonom"))
    page = client.get(f"/f/kramfors/insatser/{waiting.grant.intervention_id}/")
    assert page.status_code == 200
    assert "Begärd" in page.content.decode() and "Godkänn" in page.content.decode()
    listing = client.get("/f/kramfors/insatser/").content.decode()
    assert format_sek(Decimal(285_000)) in listing  # STEGSAM Plus, granted 330 000 kr


def test_the_other_associations_are_paid_in_full_and_every_report_approved(seeded):
    for slug in ("norra-vastmanland", "vastra-malardalen"):
        association = seeded[slug]
        assert paid_per_year(association) == granted(association), slug
        reports = InterventionReport.objects.filter(intervention__association=association)
        written = reports.exclude(kind="oral")
        assert set(written.values_list("status", flat=True)) == {"approved"}, slug
        oral = reports.filter(kind="oral")
        assert not oral.exclude(status="held").exists(), slug
        assert not oral.filter(meeting__isnull=True).exists(), slug
        assert not reports.filter(submitted_by__username="insats").exists()
        requisitions = Requisition.objects.filter(grant__intervention__association=association)
        assert requisitions.exists() and not requisitions.exclude(status="paid").exists()


def test_running_interventions_run_today_and_ended_ones_have_ended(seeded, client):
    today = timezone.localdate()
    status = {i.title: i.status_on(today) for i in seeded["kramfors"].interventions.all()}
    assert status == {
        "Psykiatridagen": "running",
        "STEGSAM Plus": "ended",
        "STEGSAM – Steg för steg genom att samverka": "ended",
        "Teamkoordinator/Coach Samkraft": "running",
    }
    client.force_login(User.objects.get(username="kansli"))
    running = client.get("/f/kramfors/insatser/?status=running").content.decode()
    assert "Teamkoordinator/Coach Samkraft" in running and "STEGSAM Plus" not in running
