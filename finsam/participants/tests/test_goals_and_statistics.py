"""Goal parsing, live goal progress and suppressed statistics (computed in the database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.funding import goals
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import selectors, services
from finsam.participants.models import AccessLogEntry
from finsam.participants.tests import factories as pf


@pytest.mark.parametrize(
    ("text", "target", "kind", "value"),
    [
        (
            "Antalet ärenden inom STEGSAM bör kunna uppgå till 30 st på årsbasis.",
            "≥ 30 ärenden per år",
            goals.PARTICIPANTS,
            30,
        ),
        (
            "STEGSAM ska ha minst 85 % nöjda deltagare efter genomförd insats.",
            "≥ 85 % nöjda deltagare",
            goals.SATISFIED,
            85,
        ),
        (
            "1/3 av 30 deltagare ska ha gjort stegförflyttning",
            "1/3 gör stegförflyttning",
            goals.STEP_PROGRESS,
            Decimal("33.3"),
        ),
        ("Hälften avslutas till arbete eller studier", "50 %", goals.WORK_OR_STUDIES, 50),
        (
            "Antalet ärenden inom Samkraft bör kunna uppgå till 25 st på årsbasis.",
            "25 ärenden per år",
            goals.PARTICIPANTS,
            25,
        ),
    ],
)
def test_parse_goal(text, target, kind, value):
    parsed = goals.parse_goal(text, target)
    assert parsed.kind == kind and parsed.target == Decimal(value)


def test_unmeasurable_goal_is_none():
    assert goals.parse_goal("Vidareutveckla Samkrafts arbetssätt.", "") is None


@pytest.mark.django_db
def test_goal_progress_is_live_and_counts_in_one_query(association, django_assert_num_queries):
    intervention = pf.staffed_intervention(
        association,
        goals=[
            ("ärenden per år", "≥ 30 ärenden per år"),
            ("nöjda", "≥ 85 % nöjda deltagare"),
            ("steg", "1/3 gör stegförflyttning"),
            ("till arbete eller studier", "50 %"),
        ],
    )
    year = timezone.localdate().year
    for i in range(3):
        e = pf.register(
            association, intervention, number=pf.identity_number(dt.date(1990, 1, 1 + i), "123")
        )
        if i < 2:
            pf.exit_enrolment(
                e,
                occupation="arbete" if i == 0 else "ovrigt",
                step="narmare" if i == 0 else "ingen",
            )
            services.exit_survey_record(
                enrolment=e, satisfied=i == 0, self_rated_progress=3, by=SYSTEM
            )
    intervention.goals.all()  # prefetch outside the count
    with django_assert_num_queries(2):  # goals + one grouped aggregate
        progress = selectors.goal_progress(interventions=[intervention], year=year)[intervention.pk]
    by_kind = {p.kind: p for p in progress}
    assert by_kind[goals.PARTICIPANTS].value == 3
    assert by_kind[goals.SATISFIED].value == 50 and by_kind[goals.SATISFIED].denominator == 2
    assert by_kind[goals.STEP_PROGRESS].value == 50
    assert by_kind[goals.WORK_OR_STUDIES].value == 50
    assert not by_kind[goals.PARTICIPANTS].published()  # 3 persons: not shown outside staff


@pytest.mark.django_db
def test_statistics_suppress_small_cells_and_need_no_personal_access(association):
    intervention = pf.staffed_intervention(association)
    for i in range(7):
        pf.register(
            association,
            intervention,
            number=pf.identity_number(dt.date(1990 + i, 2, 1), f"{200 + 2 * i}"),
        )
    office = user_with_role(association, Role.OFFICE)
    stats = selectors.statistics(
        user=office, association=association, year=timezone.localdate().year
    )
    gender = dict((h, t) for h, _c, t in stats.tables)["Startade under året, efter juridiskt kön"]
    assert gender.row_totals[intervention.title] == 7
    assert gender.cells[intervention.title]["Kvinnor"] == 7  # even serials: all women
    ages = [t for h, _c, t in stats.tables if "ålder" in h][0]
    values = list(ages.cells[intervention.title].values())
    assert all(v in (0, "<5", "–") or (isinstance(v, int) and v >= 5) for v in values)
    assert not AccessLogEntry.objects.filter(user=office).exists()


@pytest.mark.django_db
def test_statistics_follow_goals_only_in_the_years_the_intervention_runs(association):
    running = pf.staffed_intervention(association, title="Samkraft", goals=[("ärenden", "25")])
    ended = pf.staffed_intervention(association, title="STEGSAM", goals=[("ärenden", "30")])
    ended.period_end = dt.date(2021, 12, 31)
    ended.save()
    office = user_with_role(association, Role.OFFICE)

    def followed(year):
        stats = selectors.statistics(user=office, association=association, year=year)
        return [i.title for i, _items in stats.goals]

    assert sorted(followed(2021)) == ["STEGSAM", "Samkraft"]
    assert followed(2022) == ["Samkraft"]
    assert running.runs_in_year(2020) and not running.runs_in_year(2019)


@pytest.mark.django_db
def test_statistics_refused_to_member_organisations(association):
    member = user_with_role(association, Role.MEMBER_ORG)
    with pytest.raises(PermissionDenied):
        selectors.statistics(user=member, association=association, year=2024)


@pytest.mark.django_db
def test_ors_change_published_from_five(association):
    intervention = pf.staffed_intervention(association)
    for i in range(5):
        e = pf.register(
            association, intervention, number=pf.identity_number(dt.date(1980, 3, 1 + i), "345")
        )
        services.session_record(enrolment=e, date=e.start_date, ors_items=[4, 4, 4, 4], by=SYSTEM)
        services.session_record(
            enrolment=e, date=timezone.localdate(), ors_items=[6, 6, 6, 6 + i % 2], by=SYSTEM
        )
        pf.exit_enrolment(e)
    rows = selectors.ors_change(interventions=[intervention], year=timezone.localdate().year)
    assert rows[0]["published"] and rows[0]["n"] == 5
    assert rows[0]["average"] == Decimal("8.4")


@pytest.mark.django_db
def test_the_ors_count_is_hidden_when_the_exits_would_give_the_rest(association):
    """Seven exits, five with two ORS ratings: "5" beside "7 avslutade" says that two ended with
    fewer than two ratings. The exits stay; the ORS count and its average go."""
    intervention = pf.staffed_intervention(association)
    for i in range(7):
        e = pf.register(
            association, intervention, number=pf.identity_number(dt.date(1981, 3, 1 + i), "345")
        )
        if i < 5:
            services.session_record(enrolment=e, date=e.start_date, ors_items=[4] * 4, by=SYSTEM)
            services.session_record(
                enrolment=e, date=timezone.localdate(), ors_items=[6] * 4, by=SYSTEM
            )
        pf.exit_enrolment(e)
    office = user_with_role(association, Role.OFFICE)
    year = timezone.localdate().year
    assert selectors.ors_change(interventions=[intervention], year=year)[0]["n"] == 5
    stats = selectors.statistics(user=office, association=association, year=year)
    status = next(t for h, _c, t in stats.tables if h == "Deltagare under året")
    assert status.cells[intervention.title]["Avslutade under året"] == 7
    (row,) = stats.ors
    assert row["n"] == "–" and not row["published"] and row["average"] is None
