"""The editorial flow as a rule, and the results snapshot as the statistics publish it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.organisation.models import AuditEvent
from finsam.participants import statistics as register_statistics
from finsam.publishing import rules, services
from finsam.publishing.models import CatalogueEntry
from finsam.publishing.results import SUMMARY_KEYS
from finsam.publishing.tests.factories import world

Status = CatalogueEntry.Status


def test_published_is_reached_only_through_review():
    assert [s for s, targets in rules.TRANSITIONS.items() if Status.PUBLISHED in targets] == [
        Status.REVIEW
    ]
    assert all(to in Status.values for targets in rules.TRANSITIONS.values() for to in targets)
    assert set(rules.TRANSITION_LABELS) == {
        (s, to) for s, targets in rules.TRANSITIONS.items() for to in targets
    }


@pytest.fixture
def w(association):
    return world(association, with_results=False)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.sampled_from(Status.values), min_size=1, max_size=6))
def test_any_sequence_of_moves_follows_the_flow_and_is_audited(w, steps):
    entry = w["draft"]
    CatalogueEntry.objects.filter(pk=entry.pk).update(status=Status.DRAFT, published_at=None)
    status, history = Status.DRAFT, [Status.DRAFT]
    for to in steps:
        before = AuditEvent.objects.filter(event="catalogue_entry.moved").count()
        entry.refresh_from_db()
        try:
            services.entry_transition(entry=entry, to=to, by=w["office"])
        except ValidationError:
            assert to not in rules.TRANSITIONS[status]
            assert AuditEvent.objects.filter(event="catalogue_entry.moved").count() == before
            continue
        assert to in rules.TRANSITIONS[status]
        assert AuditEvent.objects.filter(event="catalogue_entry.moved").count() == before + 1
        status = to
        history.append(to)
    entry.refresh_from_db()
    assert entry.status == status
    for i, s in enumerate(history):
        if s == Status.PUBLISHED:
            assert history[i - 1] == Status.REVIEW


def test_results_are_the_statistics_summary_as_published(association):
    w = world(association)
    entry, office = w["published"], w["office"]
    header = register_statistics.SUMMARY_COLUMNS
    for row in entry.results:
        summary = register_statistics.intervention_summary_rows(
            user=office, association=association, year=row["year"]
        )
        mine = next(r for r in summary if r[header.index("insats")] == entry.title)
        for column, key in SUMMARY_KEYS.items():
            value = mine[header.index(column)]
            assert row[key] == (
                None if value == "" else value if isinstance(value, int) else str(value)
            )
    # 7 started, 6 exited: the one still ongoing is a small cell, so the exits are hidden too.
    this_year = entry.results[0]
    assert this_year["started"] == 7 and this_year["exited"] == "–"
    assert AuditEvent.objects.filter(event="catalogue_results.updated").exists()


def test_an_activity_has_no_register_results(association, w):
    with pytest.raises(ValidationError):
        services.entry_refresh_results(entry=w["seminar"], by=w["office"])


def test_refresh_needs_a_reader_of_the_statistics(association, w):
    from finsam.organisation.models import Role
    from finsam.organisation.tests.factories import user_with_role

    with pytest.raises(ValidationError):
        services.entry_refresh_results(
            entry=w["published"], by=user_with_role(association, Role.MEMBER_ORG)
        )
    w["published"].refresh_from_db()
    assert w["published"].results_updated_at is None
