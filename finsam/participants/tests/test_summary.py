"""The register's panels on an intervention's first screen (finsam/participants/summary.py):
exact for the intervention's own staff, as the statistics page publishes them for everyone else
who may read statistics, and nothing for the rest."""

from __future__ import annotations

import pytest
from django.utils import timezone

from finsam.funding.tests import factories as ff
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import AssociationFactory, user_with_role
from finsam.participants.summary import intervention_panels
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(association):
    intervention = pf.staffed_intervention(
        association, title="STEGSAM", goals=[("ärenden", "≥ 30 ärenden per år")]
    )
    staff = pf.staff_user(association, intervention)
    for n in range(3):
        pf.register(
            association, intervention, by=staff, number=pf.identity_number(serial=f"{600 + n}")
        )
    return association, intervention, staff


def _figures(panels) -> dict[str, str]:
    participants = next(p for p in panels if p.key == "participants")
    return {f.label: f.value for f in participants.figures}


def test_the_interventions_staff_see_exact_counts_and_their_goal(world):
    association, intervention, staff = world
    year = timezone.localdate().year
    panels = intervention_panels(user=staff, intervention=intervention, year=year)
    assert _figures(panels) == {
        "Startade": "3",
        "Pågående vid årets slut": "3",
        "Avslutade under året": "0",
    }
    participants = panels[0]
    assert participants.link_url.endswith(f"/deltagare/insats/{intervention.pk}/")
    goals = next(p for p in panels if p.key == "goals")
    assert [c["label"] for c in goals.charts] == ["ärenden"]
    assert "3 av 30" in goals.charts[0]["svg"]


@pytest.mark.parametrize("role", [Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ECONOMIST])
def test_everyone_else_is_sent_to_the_suppressed_statistics_without_a_figure(world, role):
    association, intervention, _staff = world
    year = timezone.localdate().year
    user = user_with_role(association, role)
    (panel,) = intervention_panels(user=user, intervention=intervention, year=year)
    # A count here, suppressed on its own, could reveal what the year's tables hide together.
    assert not panel.figures and not panel.charts
    assert "små grupper döljs" in panel.note
    assert panel.link_url.endswith(f"/deltagare/statistik/?ar={year}")


def test_member_organisations_and_other_associations_see_nothing_from_the_register(world):
    association, intervention, _staff = world
    year = timezone.localdate().year
    member = ff.member_org_user(association)
    assert intervention_panels(user=member, intervention=intervention, year=year) == []
    stranger = user_with_role(AssociationFactory(), Role.OFFICE)
    assert intervention_panels(user=stranger, intervention=intervention, year=year) == []
