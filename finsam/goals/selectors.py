"""Every read of goals, activities and internal control, scoped to the association and the role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.funding.models import Intervention, InterventionGoal
from finsam.goals.models import (
    Activity,
    Assessment,
    Attendance,
    Control,
    ExternalGoal,
    Goal,
    GoalArea,
    InternalControlPlan,
    Measure,
    Period,
    Risk,
)
from finsam.organisation import selectors as organisation_selectors
from finsam.organisation.access import can, roles_of
from finsam.organisation.models import AnnualCycleItem, Role
from finsam.organisation.services import annual_cycle_for_year


def _require(user, association, capability: str) -> None:
    if not can(user, association, capability):
        raise PermissionDenied(capability)


def sees_every_goal(user, association) -> bool:
    """Everyone who reads goals sees them all, except staff only: the goals their interventions
    serve."""
    roles = roles_of(user, association)
    return bool(roles - {Role.STAFF}) and can(user, association, "goals.view")


def goal_years(*, user, association) -> list[int]:
    _require(user, association, "goals.view")
    years = set(GoalArea.objects.filter(association=association).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def goals_for_year(*, user, association, year: int) -> list[tuple[GoalArea, list[Goal]]]:
    """[(area, goals)] of the year, everything the attainment needs prefetched."""
    _require(user, association, "goals.view")
    goals = Goal.objects.filter(area__association=association, area__year=year).prefetch_related(
        "external_goals",
        "interventions",
        "intervention_goals__intervention",
        "assessments",
        Prefetch("measures", queryset=Measure.objects.prefetch_related("entries")),
        Prefetch("activities", queryset=Activity.objects.prefetch_related("attendance")),
    )
    if not sees_every_goal(user, association):
        goals = goals.filter(interventions__staff=user).distinct()
    by_area: dict[int, list[Goal]] = {}
    for goal in goals:
        by_area.setdefault(goal.area_id, []).append(goal)
    areas = GoalArea.objects.filter(association=association, year=year)
    every = sees_every_goal(user, association)
    # An area without goals yet is shown to those who see every goal (the office adds them).
    return [(a, by_area.get(a.pk, [])) for a in areas if every or a.pk in by_area]


def assessment_trend(*, user, association) -> list[dict]:
    """Per year with goals, oldest first: the goals and the office's full-year verdicts on them."""
    _require(user, association, "goals.view")
    goals = Goal.objects.filter(area__association=association)
    if not sees_every_goal(user, association):
        goals = goals.filter(interventions__staff=user).distinct()
    years: dict[int, dict] = {}
    for year in goals.values_list("area__year", flat=True):
        row = years.setdefault(year, {"year": year, "goals": 0, "verdicts": {}})
        row["goals"] += 1
    verdicts = Assessment.objects.filter(goal__in=goals, period=Period.YEAR).values_list(
        "goal__area__year", "verdict"
    )
    for year, verdict in verdicts:
        counts = years[year]["verdicts"]
        counts[verdict] = counts.get(verdict, 0) + 1
    for row in years.values():
        row["cells"] = [row["verdicts"].get(v, 0) for v in Assessment.Verdict.values]
        row["not_assessed"] = row["goals"] - sum(row["cells"])
    return [years[y] for y in sorted(years)]


def goal_areas(*, user, association, year: int) -> QuerySet[GoalArea]:
    _require(user, association, "goals.edit")
    return GoalArea.objects.filter(association=association, year=year)


def goal_get(*, user, association, pk: int) -> Goal:
    _require(user, association, "goals.view")
    qs = Goal.objects.filter(area__association=association).select_related("area")
    if not sees_every_goal(user, association):
        qs = qs.filter(interventions__staff=user).distinct()
    return get_object_or_404(qs, pk=pk)


def measure_get(*, user, association, pk: int) -> Measure:
    _require(user, association, "goals.edit")
    return get_object_or_404(
        Measure.objects.filter(goal__area__association=association).select_related("goal__area"),
        pk=pk,
    )


def external_goals(*, association) -> QuerySet[ExternalGoal]:
    return ExternalGoal.objects.filter(association=association)


def linkable_interventions(*, association) -> QuerySet[Intervention]:
    return Intervention.objects.filter(association=association).order_by("title")


def linkable_intervention_goals(*, association) -> QuerySet[InterventionGoal]:
    return InterventionGoal.objects.filter(intervention__association=association).select_related(
        "intervention"
    )


def activities(*, user, association, year: int | None = None) -> QuerySet[Activity]:
    _require(user, association, "goals.view")
    qs = Activity.objects.filter(association=association).prefetch_related(
        "attendance__member", "goals", "evaluation"
    )
    return qs.filter(date__year=year) if year else qs


def attendance_by_member(*, user, association, year: int) -> list[tuple[str, int, int]]:
    """[(member organisation, registrations, attended)] over the year's activities; "others"
    last. Counts only."""
    _require(user, association, "goals.view")
    rows = (
        Attendance.objects.filter(activity__association=association, activity__date__year=year)
        .values("member__name")
        .annotate(registered=Sum("registered"), attended=Sum("attended"))
        .order_by("member__name")
    )
    named = [(r["member__name"], r["registered"], r["attended"]) for r in rows if r["member__name"]]
    others = [(_("Others"), r["registered"], r["attended"]) for r in rows if not r["member__name"]]
    return named + others


def activity_years(*, user, association) -> list[int]:
    years = {d.year for d in activities(user=user, association=association).dates("date", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def activity_get(*, user, association, pk: int) -> Activity:
    return get_object_or_404(activities(user=user, association=association), pk=pk)


def control_plan(*, user, association, year: int) -> InternalControlPlan | None:
    _require(user, association, "control.view")
    return (
        InternalControlPlan.objects.filter(association=association, year=year)
        .select_related("report_meeting")
        .prefetch_related(Prefetch("risks", queryset=Risk.objects.prefetch_related("controls")))
        .first()
    )


def control_plan_years(*, user, association) -> list[int]:
    _require(user, association, "control.view")
    years = set(
        InternalControlPlan.objects.filter(association=association).values_list("year", flat=True)
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def risk_get(*, user, association, pk: int) -> Risk:
    _require(user, association, "goals.edit")
    return get_object_or_404(Risk.objects.filter(plan__association=association), pk=pk)


def control_get(*, user, association, pk: int) -> Control:
    _require(user, association, "goals.edit")
    return get_object_or_404(Control.objects.filter(risk__plan__association=association), pk=pk)


def control_cycle_meetings(*, user, association, year: int) -> list:
    """Where the annual cycle puts the risk analysis and the internal control plan this year:
    [CyclePlacement] (item, meeting or None, late)."""
    _require(user, association, "control.view")
    kinds = {AnnualCycleItem.Kind.RISK_ANALYSIS, AnnualCycleItem.Kind.INTERNAL_CONTROL}
    items = [
        i
        for i in organisation_selectors.cycle_items(user=user, association=association)
        if i.kind in kinds
    ]
    meetings = list(organisation_selectors.meetings(user=user, association=association, year=year))
    return annual_cycle_for_year(items=items, meetings=meetings, year=year)
