"""Compare across associations: the key figures against the data, suppression, the county
roll-up, the installation administrator's page and the public page (opted-in only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from finsam.funding.tests import factories as funding_factories
from finsam.goals.models import Assessment, Goal, GoalArea, Period
from finsam.indicators.tests import factories as indicator_factories
from finsam.insights import services
from finsam.insights.compare import UNSPECIFIED, compare
from finsam.insights.models import ComparisonConsent
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import UserFactory, user_with_role, with_second_factor
from finsam.participants.tests import factories as register_factories

YEAR = timezone.localdate().year


def _grant(association, title, amount, kinds):
    return funding_factories.intervention(
        association,
        fields={"title": title, "period_start": dt.date(YEAR, 1, 1), "period_end": None},
        grants=[(YEAR, Decimal(amount), f"VP {YEAR}")],
        kind_shares=kinds,
    )


def _participants(association, n: int, *, exits: int = 0):
    intervention = register_factories.staffed_intervention(association, title="Steget")
    for i in range(n):
        enrolment = register_factories.register(
            association,
            intervention,
            number=register_factories.identity_number(serial=f"{200 + i:03d}"),
        )
        if i < exits:
            register_factories.exit_enrolment(enrolment, occupation="arbete")


@pytest.fixture
def county(association, other_association):
    association.county = "Västmanlands län"
    association.save()
    other_association.county = "Västmanlands län"
    other_association.save()
    return association, other_association


def _row(comparison, name):
    return next(r for r in comparison.associations if r.label == name)


def test_money_per_kind_follows_the_kind_shares(association):
    _grant(association, "Samkraft", "600000", {"individual": 70, "structural": 30})
    _grant(association, "Nätverket", "100000", {"collaboration_support": 100})
    row = _row(compare(associations=[association], year=YEAR), association.name)
    assert row.money["individual"] == Decimal("420000")
    assert row.money["structural"] == Decimal("180000")
    assert row.money["collaboration_support"] == Decimal("100000")
    assert row.money[UNSPECIFIED] == 0
    assert row.money_total == Decimal("700000")


def test_withdrawn_and_other_years_grants_do_not_count(association):
    _grant(association, "Samkraft", "600000", {"individual": 100})
    row = _row(compare(associations=[association], year=YEAR - 1), association.name)
    assert row.money_total == 0


def test_participants_and_exits_are_the_published_figures(county):
    big, small = county
    _participants(big, 6, exits=6)
    _participants(small, 2, exits=2)
    comparison = compare(associations=[big, small], year=YEAR)
    assert _row(comparison, big.name).participants == 6
    assert _row(comparison, big.name).exits_to_work == 6
    # Two people: never shown as a figure, and the county's sum would give them away.
    assert _row(comparison, small.name).participants == "<5"
    assert _row(comparison, small.name).exits_to_work == "<5"
    (total,) = comparison.counties
    assert total.label == "Västmanlands län"
    assert total.participants == "–" and total.exits_to_work == "–"


def test_county_sums_the_money_and_goals_of_its_associations(county):
    a, b = county
    _grant(a, "Samkraft", "600000", {"individual": 100})
    _grant(b, "Steget", "400000", {"individual": 100})
    area = GoalArea.objects.create(association=a, year=YEAR, name="Individ")
    met = Goal.objects.create(area=area, text="30 deltagare")
    Goal.objects.create(area=area, text="Nöjda deltagare")
    Assessment.objects.create(
        goal=met, period=Period.YEAR, verdict=Assessment.Verdict.MET, reason="Uppnått"
    )
    comparison = compare(associations=[a, b], year=YEAR)
    row = _row(comparison, a.name)
    assert (row.goals, row.goals_assessed, row.goals_met) == (2, 1, 1)
    (total,) = comparison.counties
    assert total.money["individual"] == Decimal("1000000")
    assert (total.goals, total.goals_met) == (2, 1)
    assert total.participants == 0  # nobody registered: zero is published


def test_indicator_means_need_five_respondents(association, other_association):
    five = indicator_factories.campaign(association, group="staff", year=YEAR, paper_forms=9)
    indicator_factories.answer_all(five, [4, 4, 4, 4, 4])
    two = indicator_factories.campaign(other_association, group="staff", year=YEAR, paper_forms=9)
    indicator_factories.answer_all(two, [1, 1])
    comparison = compare(associations=[association, other_association], year=YEAR)
    assert comparison.indicators
    shown = _row(comparison, association.name).indicators
    hidden = _row(comparison, other_association.name).indicators
    assert set(shown.values()) == {Decimal("4.0")}
    assert set(hidden.values()) == {"<5"}


def test_consent_is_set_by_the_office_and_audited(association):
    office = user_with_role(association, Role.OFFICE)
    services.comparison_consent_set(association=association, public=True, by=office)
    services.comparison_consent_set(association=association, public=False, by=office)
    assert ComparisonConsent.objects.get(association=association).public is False
    assert (
        AuditEvent.objects.filter(
            association=association, event="comparison_consent.set", actor=office
        ).count()
        == 2
    )
    with pytest.raises(PermissionDenied):
        services.comparison_consent_set(
            association=association, public=True, by=user_with_role(association, Role.BOARD)
        )


def test_consent_page_saves_the_choice(client, association):
    client.force_login(user_with_role(association, Role.OFFICE))
    url = reverse("insights:consent", args=[association.slug])
    response = client.post(url, {"public": "on"})
    assert response.status_code == 302
    assert ComparisonConsent.objects.get(association=association).public is True


def test_consent_post_by_another_role_changes_nothing(client, association):
    client.force_login(user_with_role(association, Role.BOARD))
    response = client.post(reverse("insights:consent", args=[association.slug]), {"public": "on"})
    assert response.status_code == 403
    assert not ComparisonConsent.objects.exists()


def test_public_page_shows_only_associations_that_opted_in(client, association, other_association):
    office = user_with_role(association, Role.OFFICE)
    services.comparison_consent_set(association=association, public=True, by=office)
    _grant(association, "Samkraft", "600000", {"individual": 100})
    _grant(other_association, "Hemlig insats", "999000", {"individual": 100})
    _participants(association, 6, exits=6)
    response = client.get(reverse("insights:public_compare"))
    assert response.status_code == 200
    body = response.content.decode()
    assert association.name in body
    assert other_association.name not in body and "999\xa0000" not in body
    assert "600\xa0000" in body
    # Nothing non-public: no intervention, no person, no address inside the app, no form.
    assert "Samkraft" not in body and "Alva" not in body
    assert f"/f/{association.slug}/" not in body and "csrfmiddlewaretoken" not in body
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_public_page_with_nobody_opted_in_shows_nobody(client, association):
    _grant(association, "Samkraft", "600000", {"individual": 100})
    body = client.get(reverse("insights:public_compare")).content.decode()
    assert association.name not in body


def test_installation_page_shows_every_association(client, association, other_association):
    admin = with_second_factor(UserFactory(is_installation_admin=True))
    client.force_login(admin)
    _grant(other_association, "Steget", "400000", {"structural": 100})
    response = client.get(reverse("insights:installation_compare") + f"?ar={YEAR}")
    assert response.status_code == 200, response.get("Location")
    body = response.content.decode()
    assert association.name in body and other_association.name in body
    assert "400\xa0000" in body


def test_money_indicators_and_goals_are_one_query_each_for_any_number_of_associations(
    db, django_assert_num_queries, django_assert_max_num_queries
):
    from finsam.insights import compare as compare_module
    from finsam.organisation.tests.factories import AssociationFactory

    many = [AssociationFactory() for _ in range(6)]
    for a in many:
        _grant(a, f"Insats {a.pk}", "100000", {"individual": 50, "structural": 50})
    rows = {a.pk: compare_module.KeyFigures(label=a.name) for a in many}
    ids = [a.pk for a in many]
    with django_assert_num_queries(1):
        compare_module._money(rows, ids, YEAR)
    with django_assert_num_queries(1):
        compare_module._goals(rows, ids, YEAR)
    with django_assert_max_num_queries(2):  # the answers, and the indicators' names
        compare_module._indicators(rows, ids, YEAR)
    assert all(r.money["individual"] == Decimal("50000") for r in rows.values())


def test_the_public_page_is_computed_once_per_ten_minutes(client, association):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = user_with_role(association, Role.OFFICE)
    services.comparison_consent_set(association=association, public=True, by=office)
    url = reverse("insights:public_compare")
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert association.name in client.get(url).content.decode()
    # The request's own transaction (ATOMIC_REQUESTS) aside, the database is not asked.
    assert [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]] == []


published = st.one_of(
    st.just(0), st.integers(min_value=5, max_value=10_000), st.sampled_from(["<5", "–"])
)


@given(st.lists(published, max_size=12))
def test_a_sum_of_published_figures_is_a_number_only_when_every_part_is(values):
    from finsam.insights.compare import _county_sum, _sum_published

    for result in (_county_sum(values), _sum_published(values)):
        if all(isinstance(v, int) for v in values):
            assert result == sum(values)
        else:
            assert not isinstance(result, int)  # a hidden part never turns into a figure
    hidden = [v for v in values if not isinstance(v, int)]
    if len(hidden) == 1 and not any(isinstance(v, int) and v for v in values):
        assert _sum_published(values) == hidden[0]
