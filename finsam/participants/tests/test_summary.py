"""The register's panels on an intervention's first screen (finsam/participants/summary.py):
exact for the intervention's own staff, as the statistics page publishes them for everyone else
who may read statistics, and nothing for the rest."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.funding.tests import factories as ff
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import AssociationFactory, user_with_role
from finsam.participants import selectors
from finsam.participants.statistics.suppression import TOTAL, published_value
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


READERS = [Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ECONOMIST, Role.STAFF]


@pytest.mark.parametrize("role", READERS)
def test_everyone_else_who_reads_statistics_sees_the_published_counts(world, role):
    """Three participants: every count of the intervention is a small group."""
    association, intervention, _staff = world
    year = timezone.localdate().year
    user = user_with_role(association, role)  # staff of no intervention, or of another
    (panel,) = intervention_panels(user=user, intervention=intervention, year=year)
    assert _figures([panel]) == {
        "Deltagare under året": "<5",
        "Startade": "<5",
        "Avslutade under året": "0",
        "Avslutade till arbete eller studier": "0",
    }
    assert not panel.charts
    assert "färre än 5" in panel.note
    assert panel.link_url.endswith(f"/deltagare/statistik/?ar={year}")


def test_the_panel_shows_what_the_statistics_page_publishes(association):
    """Suppressed together with the year's tables: a count the page hides is hidden here too,
    and a count it prints is printed."""
    big = pf.staffed_intervention(association, title="Stor")
    small = pf.staffed_intervention(association, title="Liten")
    people = iter(range(100))
    enrolments = [
        pf.register(association, big, number=pf.identity_number(serial=f"{300 + next(people)}"))
        for _n in range(12)
    ] + [
        pf.register(association, small, number=pf.identity_number(serial=f"{300 + next(people)}"))
        for _n in range(6)
    ]
    for enrolment in enrolments[:9]:
        pf.exit_enrolment(enrolment, occupation="arbete")
    for enrolment in enrolments[12:14]:
        pf.exit_enrolment(enrolment, occupation="studier")
    year = timezone.localdate().year
    office = user_with_role(association, Role.OFFICE)
    stats = selectors.statistics(user=office, association=association, year=year)
    for intervention in (big, small):
        figures = _figures(intervention_panels(user=office, intervention=intervention, year=year))
        title = intervention.title
        assert figures["Startade"] == str(
            published_value(stats.published[selectors.STARTED], title, selectors.COUNT)
        )
        assert figures["Avslutade under året"] == str(
            published_value(stats.published[selectors.EXITED], title, selectors.COUNT)
        )
        assert figures["Deltagare under året"] == str(
            published_value(stats.published[selectors.STATUS], title, TOTAL)
        )
    big_figures = _figures(intervention_panels(user=office, intervention=big, year=year))
    assert (big_figures["Deltagare under året"], big_figures["Startade"]) == ("12", "12")
    # The small intervention's two exits hide the big one's nine in the linked tables.
    assert big_figures["Avslutade under året"] == "–"
    assert big_figures["Avslutade till arbete eller studier"] == "–"
    small_figures = _figures(intervention_panels(user=office, intervention=small, year=year))
    assert small_figures["Avslutade under året"] == "<5"
    assert small_figures["Avslutade till arbete eller studier"] in ("<5", "–")


def test_the_intervention_page_per_role(world, client, other_association):
    """Request test: the intervention page's panel for each role, and for another
    association's office (which does not reach the page at all)."""
    association, intervention, staff = world
    url = reverse("funding:intervention_detail", args=[association.slug, intervention.pk])
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "Pågående vid årets slut" in page and "<dd>3</dd>" in page
    for role in (Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ECONOMIST):
        client.force_login(user_with_role(association, role))
        page = client.get(url).content.decode()
        assert "Avslutade till arbete eller studier" in page
        assert "<dd>&lt;5</dd>" in page and "<dd>3</dd>" not in page
    # Staff of another intervention do not reach this intervention's page.
    client.force_login(pf.staff_user(association, pf.staffed_intervention(association, title="X")))
    assert client.get(url).status_code == 404
    client.force_login(ff.member_org_user(association))
    response = client.get(url)
    page = response.content.decode()
    assert "Deltagare under året" not in page and "Pågående vid årets slut" not in page
    client.force_login(user_with_role(other_association, Role.OFFICE))
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert "Deltagare under året" not in response.content.decode()


def test_member_organisations_and_other_associations_see_nothing_from_the_register(world):
    association, intervention, _staff = world
    year = timezone.localdate().year
    member = ff.member_org_user(association)
    assert intervention_panels(user=member, intervention=intervention, year=year) == []
    stranger = user_with_role(AssociationFactory(), Role.OFFICE)
    assert intervention_panels(user=stranger, intervention=intervention, year=year) == []
