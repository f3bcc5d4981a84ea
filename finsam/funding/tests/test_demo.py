"""The demo holds every insats of the seed documents with the amounts they state."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from finsam.accounts.models import User
from finsam.funding.demo import load_funding_demo
from finsam.funding.models import AssessmentCriterion, Call, Grant, Intervention
from finsam.funding.selectors import calls
from finsam.organisation.models import Association


@pytest.fixture
def seeded(db):
    # load_demo loads the interventions itself; a second load changes nothing.
    call_command("load_demo", stdout=io.StringIO())
    for association in Association.objects.all():
        assert association.interventions.exists()
        assert load_funding_demo(association) is False
    return {a.slug: a for a in Association.objects.all()}


def grants(association) -> dict[str, tuple[int, Decimal]]:
    return {
        g.intervention.title: (g.year, g.amount)
        for g in Grant.objects.filter(intervention__association=association).select_related(
            "intervention"
        )
    }


def test_kramfors_interventions_as_the_verksamhetsplan_states_them(seeded):
    kramfors = seeded["kramfors"]
    assert grants(kramfors) == {
        "Teamkoordinator/Coach Samkraft": (2021, Decimal("600000")),
        "STEGSAM – Steg för steg genom att samverka": (2021, Decimal("950000")),
        "STEGSAM Plus": (2021, Decimal("330000")),
        "Psykiatridagen": (2021, Decimal("30000")),
    }
    # "Projektet STEGSAM har beviljats medel från Samordningsförbundet för åren 2020 och 2021."
    assert list(
        Grant.objects.filter(intervention__title__startswith="STEGSAM –")
        .order_by("year")
        .values_list("year", "amount")
    ) == [(2020, Decimal("950000")), (2021, Decimal("950000"))]
    samkraft = Intervention.objects.get(association=kramfors, title__contains="Samkraft")
    assert {s.kind: s.percent for s in samkraft.kind_shares.all()} == {
        "process_support": 50,
        "individual": 50,
    }
    assert samkraft.age_range == "16–64"
    assert "25 st på årsbasis" in samkraft.goals.last().text
    assert samkraft.owner == "Kramfors kommun via Bildningsförvaltningen"
    assert samkraft.responsible_manager == "Förvaltningschef Bildningsförvaltningen"
    assert samkraft.project_lead == "Enhetschef Arbetsmarknadsenheten (AME)"
    assert samkraft.steering_meetings_per_year == "3–4"
    stegsam = Intervention.objects.get(association=kramfors, title__startswith="STEGSAM –")
    assert stegsam.age_range == "16–29"
    assert [g.target_value for g in stegsam.goals.all()] == [
        "≥ 30 ärenden per år",
        "≥ 85 % nöjda deltagare",
        "1/3 gör stegförflyttning",
    ]
    plus = Intervention.objects.get(association=kramfors, title="STEGSAM Plus")
    assert plus.reinforces == stegsam
    assert plus.age_range == "16–20"
    assert plus.goals.get().target_value == "15 ärenden per år"
    psykiatri = Intervention.objects.get(association=kramfors, title="Psykiatridagen")
    assert [s.kind for s in psykiatri.kind_shares.all()] == ["collaboration_support"]
    assert stegsam.staff.filter(username="insats").exists()


def test_norra_vastmanland_four_samordningsteam_2022(seeded):
    assert grants(seeded["norra-vastmanland"]) == {
        "Samordningsteam FNS": (2022, Decimal("1523000")),
        "Samordningsteam Sala": (2022, Decimal("1590000")),
        "Samordningsteam Hallstahammar": (2022, Decimal("1120000")),
        "Samordningsteam Surahammar": (2022, Decimal("1053000")),
    }
    fns = Intervention.objects.get(title="Samordningsteam FNS")
    assert sorted(m.name for m in fns.members.all()) == [
        "Fagersta kommun",
        "Norbergs kommun",
        "Skinnskattebergs kommun",
    ]


def test_vastra_malardalen_interventions_criteria_and_call(seeded):
    vm = seeded["vastra-malardalen"]
    assert grants(vm) == {
        "Processtödjare": (2021, Decimal("410000")),
        "ESF-Unga SKU": (2021, Decimal("250000")),
        "Hälsoinsatser (ViiA)": (2021, Decimal("100000")),
    }
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


def test_loading_twice_changes_nothing(seeded):
    counts = (Intervention.objects.count(), Grant.objects.count(), Call.objects.count())
    for association in seeded.values():
        assert load_funding_demo(association) is False
    assert (Intervention.objects.count(), Grant.objects.count(), Call.objects.count()) == counts


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


def test_the_advisory_demo_user_sits_where_a_group_assesses_applications(seeded, client):
    from finsam.accounts.models import Membership, Role
    from finsam.core.permissions import can

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
