from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.organisation import services
from finsam.organisation.models import (
    AuditEvent,
    Contribution,
    ContributionYear,
    Member,
    MemberKind,
)
from finsam.organisation.tests.factories import association_with_members

D = Decimal


def amounts_by_name(proposal):
    return {p.member.name: p.amount for p in proposal}


@pytest.mark.django_db
def test_vastra_malardalen_contributions_as_printed(association):
    # Resultatbudget 2021 (kkr): AF+FK 1 500, Region 750, Köping 375, Arboga 225, Kungsör 150.
    members = list(association.members.all())
    got = amounts_by_name(services.contributions_propose(members=members, total=D(3_000_000)))
    assert got["Försäkringskassan"] + got["Arbetsförmedlingen"] == D(1_500_000)
    assert got["Region Testland"] == D(750_000)
    assert got["Köpings kommun"] == D(375_000)
    assert got["Arboga kommun"] == D(225_000)
    assert got["Kungsörs kommun"] == D(150_000)


@pytest.fixture
def kramfors(db):
    return association_with_members(
        name="Kramfors test", slug="kramfors-test", municipalities={"Kramfors kommun": "1"}
    )


@pytest.mark.parametrize(
    ("year", "total", "state", "region_and_municipality"),
    [
        (2020, D(2_592_000), D(1_296_000), D(1_296_000)),
        (2021, D(2_592_000), D(1_296_000), D(1_296_000)),
        (2022, D(2_586_668), D(1_293_334), D(1_293_334)),
        (2023, D(2_581_334), D(1_290_667), D(1_290_667)),
    ],
)
def test_kramfors_allocation_with_the_planned_decline(
    kramfors, year, total, state, region_and_municipality
):
    projected = (
        services.state_allocation_projection(
            base_state_amount=D(1_296_000), annual_decline=D(5_333), base_year=2021, years=[year]
        )
        if year > 2021
        else {year: D(2_592_000)}
    )
    assert projected[year] == total
    got = amounts_by_name(
        services.contributions_propose(members=list(kramfors.members.all()), total=total)
    )
    assert got["Försäkringskassan"] + got["Arbetsförmedlingen"] == state
    assert got["Region Testland"] + got["Kramfors kommun"] == region_and_municipality


def test_kramfors_2023_remainder_is_explicit(kramfors):
    proposal = services.contributions_propose(
        members=list(kramfors.members.all()), total=D(2_581_334)
    )
    by_name = {p.member.name: p for p in proposal}
    region, municipality = by_name["Region Testland"], by_name["Kramfors kommun"]
    assert region.exact == municipality.exact == D("645333.5")
    assert {region.amount, municipality.amount} == {D(645_334), D(645_333)}
    assert [p.member.name for p in proposal if p.got_remainder] == ["Region Testland"]


def test_check_names_the_member_that_is_off_and_by_how_much(association):
    members = list(association.members.all())
    amounts = {
        p.member.pk: p.amount
        for p in services.contributions_propose(members=members, total=D(3_000_000))
    }
    arboga = next(m for m in members if m.name == "Arboga kommun")
    koping = next(m for m in members if m.name == "Köpings kommun")
    amounts[arboga.pk] += 5_000
    amounts[koping.pk] -= 5_000
    errors = services.contributions_check(members=members, amounts=amounts)
    assert set(errors) == {arboga.pk, koping.pk}
    assert "Arboga kommun" in errors[arboga.pk]
    assert "5\u00a0000\u00a0kr för mycket" in errors[arboga.pk]
    assert "5\u00a0000\u00a0kr för lite" in errors[koping.pk]


def test_set_refuses_broken_split_and_saves_nothing(association):
    members = list(association.members.all())
    amounts = {m.pk: D(500_000) for m in members}
    with pytest.raises(ValidationError) as excinfo:
        services.contributions_set(association=association, year=2021, amounts=amounts, by=SYSTEM)
    assert excinfo.value.message_dict
    assert not ContributionYear.objects.filter(association=association).exists()
    assert not Contribution.objects.exists()
    assert not AuditEvent.objects.filter(event="contributions.set").exists()


def test_set_stores_amounts_and_audits_before_and_after(association):
    members = list(association.members.all())
    proposal = services.contributions_propose(members=members, total=D(3_000_000))
    services.contributions_set(
        association=association,
        year=2021,
        by=SYSTEM,
        amounts={p.member.pk: p.amount for p in proposal},
    )
    proposal = services.contributions_propose(members=members, total=D(3_100_000))
    cy = services.contributions_set(
        association=association,
        year=2021,
        by=SYSTEM,
        amounts={p.member.pk: p.amount for p in proposal},
    )
    assert cy.total == D(3_100_000)
    assert cy.contributions.count() == len(members)
    event = AuditEvent.objects.filter(event="contributions.set").first()
    assert event.before["total"] == "3000000.00"
    assert event.after["total"] == "3100000.00"
    assert event.after["Köpings kommun"] == "387500.00"


def test_an_association_without_a_region_cannot_split(db):
    association = association_with_members(slug="utan-region")
    Member.objects.filter(association=association, kind=MemberKind.REGION).delete()
    with pytest.raises(ValidationError, match="Region"):
        services.contributions_propose(members=list(association.members.all()), total=D(1000))


def test_amounts_of_another_association_are_refused(association, other_association):
    foreign = other_association.members.first()
    with pytest.raises(ValidationError):
        services.contributions_set(
            association=association, year=2021, by=SYSTEM, amounts={foreign.pk: D(100)}
        )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    total=st.integers(min_value=1, max_value=2_000_000_000),
    keys=st.lists(st.integers(min_value=0, max_value=500_000), min_size=1, max_size=10),
)
def test_any_total_and_municipal_key_gives_an_exact_statutory_split(association, total, keys):
    if sum(keys) == 0:
        keys[0] = 1
    state = [m for m in association.members.all() if m.kind != MemberKind.MUNICIPALITY]
    municipalities = [
        Member(
            association=association,
            name=f"Kommun {i}",
            kind=MemberKind.MUNICIPALITY,
            key=D(k),
            pk=10_000 + i,
            sort_order=10 + i,
        )
        for i, k in enumerate(keys)
    ]
    members = state + municipalities
    proposal = services.contributions_propose(members=members, total=D(total))
    assert sum(p.amount for p in proposal) == total
    for kind, share in (
        (MemberKind.STATE_AGENCY, D("0.5")),
        (MemberKind.REGION, D("0.25")),
        (MemberKind.MUNICIPALITY, D("0.25")),
    ):
        side = sum(p.amount for p in proposal if p.member.kind == kind)
        assert abs(side - total * share) < 1
    for p in proposal:
        side = [q for q in proposal if q.member.kind == p.member.kind]
        side_amount = sum(q.amount for q in side)
        quota = side_amount * p.member.key / sum(q.member.key for q in side)
        assert abs(p.amount - quota) < 1
        assert p.amount >= 0
    # What the app proposes, it also accepts.
    assert (
        services.contributions_check(
            members=members, amounts={p.member.pk: p.amount for p in proposal}
        )
        == {}
    )
