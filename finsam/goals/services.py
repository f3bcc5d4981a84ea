"""Every write of goals, measures, activities and internal control: keyword-only, given an actor,
audited in the same transaction (finsam.organisation.audit)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core.formsets import row_error_key
from finsam.goals.models import (
    Activity,
    Assessment,
    Attendance,
    Control,
    EvaluationQuestion,
    ExternalGoal,
    Goal,
    GoalArea,
    InternalControlPlan,
    ManualEntry,
    Measure,
    Risk,
    VolumeCount,
)
from finsam.organisation.audit import (
    Event,
    audited_create,
    audited_delete,
    audited_update,
    record,
    snapshot,
    with_changes,
)

K, S, M = Measure.Kind, Measure.Source, Measure.Metric
# Which figures each source gives, and which type of measure each figure can be judged as.
SOURCE_METRICS: dict[str, set[str]] = {
    S.MANUAL: {M.NONE},
    S.ACTIVITIES: {M.ACTIVITIES_HELD, M.ATTENDANCE},
    S.REGISTER: {M.PARTICIPANTS, M.SATISFIED, M.STEP_PROGRESS, M.WORK_OR_STUDIES, M.ORS_IMPROVED},
    S.VOLUME: {M.NONE},
    S.INTERVENTION_GOALS: {M.NONE},
    S.ECONOMY: {M.RESULT, M.EQUITY, M.FINANCIAL_RULES},
}
METRIC_KINDS: dict[str, set[str]] = {
    M.ACTIVITIES_HELD: {K.COUNT, K.DONE_BY},
    M.ATTENDANCE: {K.COUNT},
    M.PARTICIPANTS: {K.COUNT},
    M.SATISFIED: {K.SHARE},
    M.STEP_PROGRESS: {K.SHARE},
    M.WORK_OR_STUDIES: {K.SHARE},
    M.ORS_IMPROVED: {K.SHARE},
    M.RESULT: {K.AMOUNT},
    M.EQUITY: {K.AMOUNT},
    M.FINANCIAL_RULES: {K.DONE_BY},
}
SOURCE_KINDS: dict[str, set[str]] = {
    S.VOLUME: {K.COUNT},
    S.INTERVENTION_GOALS: {K.SHARE},
}


def check_measure(*, kind: str, source: str, metric: str, target: Decimal | None) -> None:
    """The one rule of what a measure may say; errors at the fields, in Swedish."""
    errors: dict[str, str] = {}
    if kind != K.DESCRIBED:
        if metric not in SOURCE_METRICS[source]:
            errors["metric"] = _("Choose a figure that the chosen data source gives.")
        else:
            allowed = METRIC_KINDS.get(metric) or SOURCE_KINDS.get(source)
            if allowed is not None and kind not in allowed:
                errors["kind"] = _("This figure cannot be measured as the chosen type.")
        if kind in (K.COUNT, K.SHARE, K.AMOUNT) and target is None:
            errors["target"] = _("Give the target in figures.")
    if target is not None:
        if target < 0:
            errors["target"] = _("The target cannot be negative.")
        elif kind == K.SHARE and target > 100:
            errors["target"] = _("A share is at most 100 %.")
    if errors:
        raise ValidationError(errors)


def _same_association(association, objects, field: str) -> None:
    if any(o.association != association for o in objects):
        raise ValidationError({field: _("Choose among the association's own.")})


def _set_links(goal: Goal, links: dict[str, Any]) -> None:
    association = goal.area.association
    for field in ("external_goals", "interventions", "intervention_goals"):
        if field in links:
            objects = list(links[field])
            if field == "intervention_goals":
                _same_association(association, [o.intervention for o in objects], field)
            else:
                _same_association(association, objects, field)
            getattr(goal, field).set(objects)


def _links_snapshot(goal: Goal) -> dict:
    return {
        **snapshot(goal),
        "external_goals": sorted(goal.external_goals.values_list("pk", flat=True)),
        "interventions": sorted(goal.interventions.values_list("pk", flat=True)),
        "intervention_goals": sorted(goal.intervention_goals.values_list("pk", flat=True)),
    }


# --- goals -----------------------------------------------------------------------------------------


def external_goal_create(*, association, by, source: str, number: str = "", text: str):
    return audited_create(
        ExternalGoal,
        by=by,
        event=Event.EXTERNAL_GOAL_CREATED,
        association=association,
        source=source,
        number=number,
        text=text,
    )


def goal_area_create(
    *, association, by, year: int, name: str, description: str = "", sort_order: int = 0
):
    if GoalArea.objects.filter(association=association, year=year, name=name).exists():
        raise ValidationError({"name": _("The year already has a goal area with this name.")})
    return audited_create(
        GoalArea,
        by=by,
        event=Event.GOAL_AREA_CREATED,
        association=association,
        year=year,
        name=name,
        description=description,
        sort_order=sort_order,
    )


@transaction.atomic
def goal_create(*, area: GoalArea, by, text: str, sort_order: int = 0, **links) -> Goal:
    goal = Goal(area=area, text=text, sort_order=sort_order)
    goal.full_clean()
    goal.save()
    _set_links(goal, links)
    record(event=Event.GOAL_CREATED, actor=by, target=goal, after=_links_snapshot(goal))
    return goal


GOAL_FIELDS = ("area", "text", "sort_order")


@transaction.atomic
def goal_update(*, goal: Goal, data: dict, by) -> Goal:
    data = dict(data)
    links = {
        k: data.pop(k)
        for k in ("external_goals", "interventions", "intervention_goals")
        if k in data
    }
    if "area" in data and data["area"].association != goal.area.association:
        raise ValidationError({"area": _("Choose among the association's own.")})
    before = _links_snapshot(goal)
    candidate = with_changes(goal, data, GOAL_FIELDS)
    candidate.full_clean()
    for name in GOAL_FIELDS:
        if name in data:
            setattr(goal, name, data[name])
    goal.save()
    _set_links(goal, links)
    record(
        event=Event.GOAL_UPDATED, actor=by, target=goal, before=before, after=_links_snapshot(goal)
    )
    return goal


def goal_delete(*, goal: Goal, by) -> None:
    """Remove a goal with its measures, recorded figures and assessments (the audit row keeps
    what it said)."""
    audited_delete(goal, by=by, event=Event.GOAL_DELETED)


MEASURE_FIELDS = ("text", "kind", "source", "metric", "target", "due_date", "sort_order")


def measure_create(*, goal: Goal, by, **fields) -> Measure:
    check_measure(
        kind=fields["kind"],
        source=fields["source"],
        metric=fields.get("metric", ""),
        target=fields.get("target"),
    )
    return audited_create(Measure, by=by, event=Event.MEASURE_CREATED, goal=goal, **fields)


def measure_update(*, measure: Measure, data: dict, by) -> Measure:
    candidate = with_changes(measure, data, MEASURE_FIELDS)
    check_measure(
        kind=candidate.kind,
        source=candidate.source,
        metric=candidate.metric,
        target=candidate.target,
    )
    return audited_update(measure, data, fields=MEASURE_FIELDS, by=by, event=Event.MEASURE_UPDATED)


def measure_delete(*, measure: Measure, by) -> None:
    audited_delete(measure, by=by, event=Event.MEASURE_DELETED)


@transaction.atomic
def measures_save(*, goal: Goal, rows: list[dict], by) -> None:
    """A goal's measures from one form with repeating rows, saved together or not at all.

    rows: every row of the form in its order, {"index", "id" (a stored measure or None),
    "delete", "changed", and the MEASURE_FIELDS but sort_order}. The kept rows are numbered in
    the form's order. Every row is checked first; errors come back keyed by row and field."""
    stored = {m.pk: m for m in goal.measures.all()}
    errors: dict[str, list[str]] = {}
    for row in rows:
        if row["id"] is not None and row["id"] not in stored:
            errors[row_error_key(row["index"])] = [
                _("This measure has been removed meanwhile. Reload the page.")
            ]
        elif not row["delete"] and row["changed"]:
            try:
                check_measure(
                    kind=row["kind"],
                    source=row["source"],
                    metric=row["metric"],
                    target=row["target"],
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors[row_error_key(row["index"], field)] = messages
    if errors:
        raise ValidationError(errors)
    kept = [r for r in rows if not r["delete"]]
    for row in rows:
        if row["delete"]:
            measure_delete(measure=stored[row["id"]], by=by)
    for order, row in enumerate(kept):
        data = {k: row[k] for k in MEASURE_FIELDS if k != "sort_order"} | {"sort_order": order}
        if row["id"] is None:
            measure_create(goal=goal, by=by, **data)
        elif row["changed"] or stored[row["id"]].sort_order != order:
            measure_update(measure=stored[row["id"]], data=data, by=by)


def entry_record(*, measure: Measure, by, date, value=None, evidence: str) -> ManualEntry:
    if measure.source != Measure.Source.MANUAL:
        raise ValidationError(_("Figures are entered only for measures entered by the office."))
    if date.year != measure.goal.area.year:
        raise ValidationError({"date": _("Choose a date in the goal's year.")})
    return audited_create(
        ManualEntry,
        by=by,
        event=Event.GOAL_FIGURE_RECORDED,
        measure=measure,
        date=date,
        value=value,
        evidence=evidence,
        created_by=by if getattr(by, "pk", None) else None,
    )


def volume_count_record(*, intervention, by, date, count: int, note: str = "") -> VolumeCount:
    return audited_create(
        VolumeCount,
        by=by,
        event=Event.VOLUME_COUNT_RECORDED,
        intervention=intervention,
        date=date,
        count=count,
        note=note,
    )


@transaction.atomic
def assessment_set(*, goal: Goal, by, period: str, verdict: str, reason: str) -> Assessment:
    existing = Assessment.objects.filter(goal=goal, period=period).first()
    if existing is None:
        return audited_create(
            Assessment,
            by=by,
            event=Event.GOAL_ASSESSED,
            goal=goal,
            period=period,
            verdict=verdict,
            reason=reason,
        )
    return audited_update(
        existing,
        {"verdict": verdict, "reason": reason},
        fields=["verdict", "reason"],
        by=by,
        event=Event.GOAL_ASSESSED,
    )


# --- activities ------------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title",
    "kind",
    "date",
    "organiser",
    "co_organisers",
    "audience",
    "description",
)


def _check_activity(activity: Activity, goals) -> None:
    if activity.organiser == Activity.Organiser.JOINT and not activity.co_organisers.strip():
        raise ValidationError(
            {"co_organisers": _("Name the associations the activity was organised with.")}
        )
    _same_association(activity.association, [g.area for g in goals], "goals")


@transaction.atomic
def activity_create(*, association, by, goals=(), **fields) -> Activity:
    activity = Activity(association=association, **fields)
    goals = list(goals)
    _check_activity(activity, goals)
    activity.full_clean()
    activity.save()
    activity.goals.set(goals)
    record(
        event=Event.ACTIVITY_CREATED,
        actor=by,
        target=activity,
        after={**snapshot(activity), "goals": sorted(g.pk for g in goals)},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: dict, by) -> Activity:
    data = dict(data)
    goals = list(data.pop("goals", activity.goals.all()))
    _check_activity(with_changes(activity, data, ACTIVITY_FIELDS), goals)
    activity.goals.set(goals)
    return audited_update(
        activity, data, fields=ACTIVITY_FIELDS, by=by, event=Event.ACTIVITY_UPDATED
    )


def activity_delete(*, activity: Activity, by) -> None:
    """Remove an activity with its attendance counts and evaluation."""
    audited_delete(activity, by=by, event=Event.ACTIVITY_DELETED)


@transaction.atomic
def attendance_set(*, activity: Activity, by, rows: dict) -> None:
    """rows: {member or None: (registered, attended)}. Counts only, no persons."""
    members = [m for m in rows if m is not None]
    _same_association(activity.association, members, "attendance")
    before = {str(r.member_id): [r.registered, r.attended] for r in activity.attendance.all()}
    for member, (registered, attended) in rows.items():
        if registered < 0 or attended < 0:
            raise ValidationError(_("Counts cannot be negative."))
        if not registered and not attended:
            Attendance.objects.filter(activity=activity, member=member).delete()
            continue
        Attendance.objects.update_or_create(
            activity=activity,
            member=member,
            defaults={"registered": registered, "attended": attended},
        )
    after = {str(r.member_id): [r.registered, r.attended] for r in activity.attendance.all()}
    record(event=Event.ATTENDANCE_SET, actor=by, target=activity, before=before, after=after)


def evaluation_add(
    *, activity: Activity, by, question: str, result: str = ""
) -> EvaluationQuestion:
    return audited_create(
        EvaluationQuestion,
        by=by,
        event=Event.EVALUATION_SET,
        activity=activity,
        question=question,
        result=result,
        sort_order=activity.evaluation.count(),
    )


# --- internal control ------------------------------------------------------------------------------

PLAN_FIELDS = ("adopted_on", "report_meeting", "previous_follow_up")
RISK_FIELDS = ("area", "description", "probability", "consequence")
CONTROL_FIELDS = ("description", "owner", "frequency", "method", "result", "action")


def _check_meeting(association, meeting) -> None:
    if meeting is not None and meeting.association != association:
        raise ValidationError({"report_meeting": _("Choose among the association's own.")})


def control_plan_create(*, association, by, year: int, **fields) -> InternalControlPlan:
    if InternalControlPlan.objects.filter(association=association, year=year).exists():
        raise ValidationError({"year": _("The year already has an internal control plan.")})
    _check_meeting(association, fields.get("report_meeting"))
    return audited_create(
        InternalControlPlan,
        by=by,
        event=Event.CONTROL_PLAN_CREATED,
        association=association,
        year=year,
        **fields,
    )


def control_plan_update(*, plan: InternalControlPlan, data: dict, by) -> InternalControlPlan:
    _check_meeting(plan.association, data.get("report_meeting"))
    return audited_update(plan, data, fields=PLAN_FIELDS, by=by, event=Event.CONTROL_PLAN_UPDATED)


def risk_create(*, plan: InternalControlPlan, by, **fields) -> Risk:
    return audited_create(Risk, by=by, event=Event.RISK_CREATED, plan=plan, **fields)


def risk_update(*, risk: Risk, data: dict, by) -> Risk:
    return audited_update(risk, data, fields=RISK_FIELDS, by=by, event=Event.RISK_UPDATED)


def control_create(*, risk: Risk, by, **fields) -> Control:
    return audited_create(Control, by=by, event=Event.CONTROL_CREATED, risk=risk, **fields)


def control_update(*, control: Control, data: dict, by) -> Control:
    return audited_update(control, data, fields=CONTROL_FIELDS, by=by, event=Event.CONTROL_UPDATED)
