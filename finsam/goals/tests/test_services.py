"""Service rules: what a measure may say, audit rows, tenancy, attendance, each person once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from finsam.core.actors import SYSTEM
from finsam.goals import services
from finsam.goals.measuring import measure_goals
from finsam.goals.models import Attendance, Goal, Measure
from finsam.goals.tests import factories as gf
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import association_with_members, user_with_role
from finsam.participants.statistics import pooled_figure
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db
K, S, M = Measure.Kind, Measure.Source, Measure.Metric


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": K.COUNT, "source": S.ACTIVITIES, "metric": M.RESULT, "target": 5}, "metric"),
        ({"kind": K.SHARE, "source": S.ACTIVITIES, "metric": M.ATTENDANCE, "target": 5}, "kind"),
        ({"kind": K.COUNT, "source": S.MANUAL, "metric": "", "target": None}, "target"),
        ({"kind": K.SHARE, "source": S.REGISTER, "metric": M.SATISFIED, "target": 101}, "target"),
        ({"kind": K.COUNT, "source": S.MANUAL, "metric": "", "target": -1}, "target"),
        ({"kind": K.SHARE, "source": S.VOLUME, "metric": "", "target": 50}, "kind"),
        ({"kind": K.AMOUNT, "source": S.ECONOMY, "metric": M.FINANCIAL_RULES, "target": 1}, "kind"),
    ],
)
def test_a_measure_must_say_something_its_source_can_give(association, fields, field):
    goal = gf.goal(association)
    with pytest.raises(ValidationError) as error:
        gf.measure(goal, **{**fields, "target": fields["target"] and Decimal(fields["target"])})
    assert field in error.value.message_dict
    assert not Measure.objects.exists()


def test_described_measures_need_nothing_but_words(association):
    m = gf.measure(gf.goal(association), kind=K.DESCRIBED, source=S.MANUAL, metric="", target=None)
    assert m.pk and AuditEvent.objects.filter(event="measure.created", target_id=str(m.pk))


def test_goal_links_must_belong_to_the_association(association, other_association):
    foreign = pf.staffed_intervention(other_association, title="Annans insats")
    with pytest.raises(ValidationError):
        gf.goal(association, interventions=[foreign])
    assert not Goal.objects.filter(text__startswith="100 deltagare").exists()
    goal = gf.goal(association)
    with pytest.raises(ValidationError):
        services.goal_update(goal=goal, data={"interventions": [foreign]}, by=SYSTEM)
    assert not goal.interventions.exists()


def test_goal_update_is_audited_with_its_links(association):
    goal = gf.goal(association)
    own = pf.staffed_intervention(association, title="STEGSAM")
    services.goal_update(goal=goal, data={"text": "Nytt mål", "interventions": [own]}, by=SYSTEM)
    event = AuditEvent.objects.get(event="goal.updated")
    assert event.before["interventions"] == [] and event.after["interventions"] == [own.pk]
    assert event.after["text"] == "Nytt mål"


def test_attendance_counts_per_member_replace_and_remove(association):
    kommun, region = association.members.order_by("name")[:2]
    a = gf.activity(association, attended={kommun: (12, 10), region: (3, 3), None: (2, 2)})
    assert sum(r.attended for r in a.attendance.all()) == 15
    services.attendance_set(activity=a, by=SYSTEM, rows={kommun: (12, 11), region: (0, 0)})
    assert {(r.member_id, r.attended) for r in a.attendance.all()} == {
        (kommun.pk, 11),
        (None, 2),
    }
    assert AuditEvent.objects.filter(event="attendance.set").count() == 2


def test_attendance_for_another_associations_member_is_refused(association, other_association):
    a = gf.activity(association)
    foreign = other_association.members.first()
    with pytest.raises(ValidationError):
        services.attendance_set(activity=a, by=SYSTEM, rows={foreign: (1, 1)})
    assert not Attendance.objects.exists()


def test_joint_activity_names_its_co_organisers(association):
    with pytest.raises(ValidationError) as error:
        gf.activity(association, organiser="joint", co_organisers=" ")
    assert "co_organisers" in error.value.message_dict


def test_attendance_goal_is_computed_from_the_goals_activities(association):
    goal = gf.goal(association)
    gf.measure(goal)
    kommun = association.members.first()
    gf.activity(association, goals=[goal], attended={kommun: (40, 38)})
    gf.activity(association, goals=[goal], day=dt.date(2021, 10, 7), attended={kommun: (70, 62)})
    gf.activity(association, attended={kommun: (99, 99)})  # not this goal's
    office = user_with_role(association, Role.OFFICE)
    [half] = measure_goals(
        user=office, association=association, goals=[goal], year=2021, period="half_year"
    )
    [year] = measure_goals(
        user=office, association=association, goals=[goal], year=2021, period="year"
    )
    assert half.measures[0].figure.value == 38
    assert (year.measures[0].figure.value, year.status) == (100, "met")
    assert len(year.measures[0].figure.evidence) == 2


def test_manual_entries_need_a_date_in_the_goals_year(association):
    m = gf.measure(gf.goal(association), kind=K.COUNT, source=S.MANUAL, metric="", target=12)
    with pytest.raises(ValidationError):
        services.entry_record(
            measure=m, by=SYSTEM, date=dt.date(2020, 5, 1), value=1, evidence="Protokoll"
        )
    services.entry_record(
        measure=m,
        by=SYSTEM,
        date=dt.date(2021, 5, 1),
        value=Decimal(5),
        evidence="Nätverksmöten jan–maj",
    )
    office = user_with_role(association, Role.OFFICE)
    [r] = measure_goals(
        user=office, association=association, goals=[m.goal], year=2021, period="year"
    )
    assert r.measures[0].figure.value == 5
    assert "Nätverksmöten jan–maj" in r.measures[0].figure.evidence[0]


def test_assessment_is_kept_per_period_and_rewritten(association):
    goal = gf.goal(association)
    services.assessment_set(
        goal=goal, by=SYSTEM, period="half_year", verdict="will_be_met", reason="Tre av fem"
    )
    services.assessment_set(goal=goal, by=SYSTEM, period="year", verdict="met", reason="Fem")
    services.assessment_set(goal=goal, by=SYSTEM, period="year", verdict="partly", reason="Fyra")
    assert dict(goal.assessments.values_list("period", "verdict")) == {
        "half_year": "will_be_met",
        "year": "partly",
    }
    assert AuditEvent.objects.filter(event="goal_assessment.set").count() == 3


# --- the register: each person once ----------------------------------------------------------------


def _people_in_two_interventions(association, n_both: int, n_only_a: int):
    a = pf.staffed_intervention(association, title="STEGSAM")
    b = pf.staffed_intervention(association, title="STEGSAM Plus")
    for i in range(n_both + n_only_a):
        number = pf.identity_number(dt.date(1990, 1, 1) + dt.timedelta(days=i), "123")
        pf.register(association, a, number=number)
        if i < n_both:
            pf.register(association, b, number=number)
    return a, b


def test_a_goal_shared_by_two_interventions_counts_each_person_once(association):
    a, b = _people_in_two_interventions(association, n_both=4, n_only_a=3)
    office = user_with_role(association, Role.OFFICE)
    year = timezone.localdate()
    figure = pooled_figure(
        user=office,
        association=association,
        intervention_ids=[a.pk, b.pk],
        metric="participants",
        start=year.replace(month=1, day=1),
        end=year.replace(month=12, day=31),
    )
    assert (figure.numerator, figure.denominator) == (7, 7)  # 11 participations, 7 persons
    assert figure.published()


def test_pooled_figures_are_refused_to_roles_without_statistics(association):
    a, b = _people_in_two_interventions(association, n_both=1, n_only_a=0)
    member = user_with_role(association, Role.MEMBER_ORG)
    with pytest.raises(PermissionDenied):
        pooled_figure(
            user=member,
            association=association,
            intervention_ids=[a.pk],
            metric="participants",
            start=dt.date(2000, 1, 1),
            end=dt.date(2100, 1, 1),
        )


def test_register_measure_hides_small_groups(association):
    a, b = _people_in_two_interventions(association, n_both=2, n_only_a=1)
    this_year = timezone.localdate().year
    goal = gf.goal(association, year=this_year, interventions=[a, b])
    gf.measure(goal, source=S.REGISTER, metric=M.PARTICIPANTS, target=Decimal(3))
    board = user_with_role(association, Role.BOARD)
    [r] = measure_goals(
        user=board, association=association, goals=[goal], year=this_year, period="year"
    )
    assert r.measures[0].status == "hidden" and r.measures[0].figure.value is None


class TestPooledProperties(TestCase):
    """Property: however people are spread over two interventions, each counts once."""

    @settings(max_examples=8, deadline=None)
    @given(st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=4))
    def test_persons_never_exceed_participations_and_equal_the_distinct_people(self, both, only):
        association = association_with_members(
            name="Samordningsförbundet Egenskap", slug="egenskap", municipalities={"Kommun": "1"}
        )
        a, b = _people_in_two_interventions(association, n_both=both, n_only_a=only)
        office = user_with_role(association, Role.OFFICE)
        figure = pooled_figure(
            user=office,
            association=association,
            intervention_ids=[a.pk, b.pk],
            metric="participants",
            start=dt.date(2000, 1, 1),
            end=dt.date(2100, 12, 31),
        )
        assert figure.numerator == both + only
        assert figure.numerator <= 2 * both + only


def test_a_past_period_is_judged_as_it_stood_at_its_end(association):
    goal = gf.goal(association)
    m = gf.measure(
        goal,
        kind=K.DONE_BY,
        source=S.MANUAL,
        metric="",
        target=None,
        due_date=dt.date(2021, 12, 31),
    )
    services.entry_record(measure=m, by=SYSTEM, date=dt.date(2021, 9, 15), evidence="Klart")
    office = user_with_role(association, Role.OFFICE)

    def status(period, goals=(goal,)):
        return (
            measure_goals(
                user=office, association=association, goals=goals, year=2021, period=period
            )[0]
            .measures[0]
            .status
        )

    assert status("half_year") == "in_progress"  # not done by 30 June, due by 31 December
    assert status("year") == "met"
    late = gf.goal(association, text="Prioriteringsordning")
    gf.measure(
        late, kind=K.DONE_BY, source=S.MANUAL, metric="", target=None, due_date=dt.date(2021, 5, 28)
    )
    assert status("half_year", goals=(late,)) == "not_met"


def test_deleting_a_goal_removes_its_measures_and_keeps_what_it_said_in_the_log(association):
    goal = gf.goal(association, text="Mål att ta bort")
    m = gf.measure(goal, kind=K.COUNT, source=S.MANUAL, metric="", target=Decimal(2))
    services.entry_record(
        measure=m, by=SYSTEM, date=dt.date(2021, 3, 1), value=Decimal(1), evidence="Protokoll"
    )
    kommun = association.members.first()
    activity = gf.activity(association, goals=[goal], attended={kommun: (3, 3)})
    services.goal_delete(goal=goal, by=SYSTEM)
    assert not Goal.objects.filter(pk=goal.pk).exists() and not Measure.objects.exists()
    assert AuditEvent.objects.get(event="goal.deleted").before["text"] == "Mål att ta bort"
    assert activity.goals.count() == 0  # the activity stays, with its attendance
    services.activity_delete(activity=activity, by=SYSTEM)
    assert not Attendance.objects.exists()
    assert AuditEvent.objects.filter(event="activity.deleted").exists()


def test_one_attendance_row_per_member_and_one_others_row_on_every_database(association):
    from django.db import IntegrityError, transaction

    from finsam.goals.models import Attendance

    activity = gf.activity(association)
    member = association.members.first()
    Attendance.objects.create(activity=activity, member=member, registered=3, attended=2)
    Attendance.objects.create(activity=activity, member=None, registered=1, attended=1)
    for duplicate in (member, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            Attendance.objects.create(activity=activity, member=duplicate, attended=1)
    assert Attendance.objects.filter(activity=activity).count() == 2
