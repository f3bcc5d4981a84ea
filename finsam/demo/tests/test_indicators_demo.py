"""The demo holds the demo instrument and two years of indicator surveys per seed association."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.demo.indicators import load_indicators_demo
from finsam.indicators.models import Campaign, Instrument, Response
from finsam.indicators.results import year_results
from finsam.indicators.selectors import campaigns
from finsam.organisation.models import Association, Role
from finsam.organisation.tests.factories import user_with_role


@pytest.fixture
def seeded(_demo_loaded, db):
    return list(Association.objects.all())


def test_one_marked_demo_instrument_for_the_whole_installation(seeded):
    instrument = Instrument.objects.get()
    assert instrument.association is None
    assert "Demoinstrument – inte den officiella formuleringen" in instrument.name


def test_every_seed_association_has_two_years_of_campaigns_with_answers(seeded):
    year = timezone.localdate().year
    for association in seeded:
        found = Campaign.objects.filter(association=association)
        assert sorted(set(found.values_list("year", flat=True))) == [year - 1, year]
        assert found.count() == 12
        assert Response.objects.filter(campaign__association=association).count() > 60
        assert not load_indicators_demo(association)  # idempotent


def test_the_demo_shows_results_and_suppression(seeded, client):
    association = seeded[0]
    board = user_with_role(association, Role.BOARD)
    year = timezone.localdate().year
    found = list(campaigns(user=board, association=association, year=year))
    groups = {g.group: g for g in year_results(association=association, campaigns=found, year=year)}
    assert all(r.this_year.mean is not None and r.last_year for r in groups["staff"].rows)
    assert all(r.this_year.suppressed for r in groups["referrers"].rows)
    client.force_login(board)
    page = client.get(reverse("indicators:results", args=[association.slug, year]))
    assert page.status_code == 200 and "färre än 5 – visas inte" in page.content.decode()
