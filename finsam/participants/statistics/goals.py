"""The interventions' goals measured live from the register."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery

from finsam.funding import goals as goal_rules
from finsam.funding.models import Intervention
from finsam.organisation.access import can
from finsam.participants import access
from finsam.participants.models import Enrolment, Session
from finsam.participants.services import rating_rules_for
from finsam.participants.statistics.common import RATING_FIELD, THRESHOLD, valid_enrolments

# --- goals (live) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalProgress:
    goal_text: str
    target_value: str
    kind: str
    target: Decimal
    value: Decimal | None  # a count, or a percentage; None when there is nothing to measure yet
    numerator: int
    denominator: int  # for shares; the count itself for PARTICIPANTS
    # False when the value cannot be computed from what the statistics tables publish.
    derivable: bool = True

    @property
    def is_share(self) -> bool:
        return self.kind in goal_rules.SHARE_KINDS

    def published(self, threshold: int = THRESHOLD) -> bool:
        """Safe to show outside the intervention's staff: no group of 1–4 persons can be worked
        out (for a share: neither the denominator, the numerator nor the rest), and no count
        hidden in the published tables can be worked out from it."""
        if not self.derivable:
            return False
        groups = [self.denominator]
        if self.is_share:
            groups += [self.numerator, self.denominator - self.numerator]
        return not any(0 < n < threshold for n in groups)


def goal_figures_for_report(
    *, user, intervention: Intervention, year: int
) -> dict[str, GoalProgress]:
    """The register's figures for the intervention's goals in `year`, by goal text, for the status
    report its staff write. The figures are exact, so only the intervention's own staff get them
    ({} for everyone else, the office included)."""
    if not access.is_intervention_staff(user, intervention):
        return {}
    items = goal_progress(interventions=[intervention], year=year)[intervention.pk]
    return {item.goal_text: item for item in items if item.value is not None}


def unmeasured_goals(
    *, interventions: list[Intervention], year: int
) -> list[tuple[Intervention, int]]:
    """[(intervention, goals the register cannot measure)] among those running in `year`: where
    the office may want to say how a goal is measured. Goal texts only, no register data."""
    rows = []
    for intervention in interventions:
        if not intervention.runs_in_year(year):
            continue
        missing = sum(
            goal_rules.parse_goal(g.text, g.target_value, g.measure, g.measure_target) is None
            and g.measure != goal_rules.NOT_MEASURED
            for g in intervention.goals.all()
        )
        if missing:
            rows.append((intervention, missing))
    return rows


def intervention_counts(*, intervention_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """Per intervention, in one grouped query: started, exited and the goal numerators."""
    exited = Q(exit_date__year=year)
    surveyed = Q(exit_survey__answered_on__year=year)
    rows = (
        Enrolment.objects.filter(intervention_id__in=intervention_ids)
        .filter(valid_enrolments())
        .order_by()
        .values("intervention_id")
        .annotate(
            started=Count("id", filter=Q(start_date__year=year)),
            exited=Count("id", filter=exited),
            exited_work=Count("id", filter=exited & Q(exit_occupation__is_positive=True)),
            step_known=Count("id", filter=exited & Q(step_progress__isnull=False)),
            step_positive=Count("id", filter=exited & Q(step_progress__is_positive=True)),
            surveys=Count("id", filter=surveyed),
            satisfied=Count("id", filter=surveyed & Q(exit_survey__satisfied=True)),
        )
    )
    empty = dict.fromkeys(
        ("started", "exited", "exited_work", "step_known", "step_positive", "surveys", "satisfied"),
        0,
    )
    counts = {pk: dict(empty) for pk in intervention_ids}
    for row in rows:
        counts[row.pop("intervention_id")] = row
    return counts


def _share(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def goal_progress(
    *,
    interventions: list[Intervention],
    year: int,
    counts: dict[int, dict[str, int]] | None = None,
) -> dict[int, list[GoalProgress]]:
    """Each intervention's measurable goals with the register's value for the year, live.

    `counts` is intervention_counts for the same interventions and year when the caller has
    already asked for them (the statistics page), so that the register is counted once."""
    if counts is None:
        counts = intervention_counts(intervention_ids=[i.pk for i in interventions], year=year)
    result: dict[int, list[GoalProgress]] = {}
    for intervention in interventions:
        c = counts[intervention.pk]
        items = []
        for goal in intervention.goals.all():
            parsed = goal_rules.parse_goal(
                goal.text, goal.target_value, goal.measure, goal.measure_target
            )
            if parsed is None:
                continue
            if parsed.kind == goal_rules.PARTICIPANTS:
                num = den = c["started"]
                value: Decimal | None = Decimal(num)
            elif parsed.kind == goal_rules.SATISFIED:
                num, den = c["satisfied"], c["surveys"]
                value = _share(num, den)
            elif parsed.kind == goal_rules.STEP_PROGRESS:
                num, den = c["step_positive"], c["step_known"]
                value = _share(num, den)
            else:
                num, den = c["exited_work"], c["exited"]
                value = _share(num, den)
            items.append(
                GoalProgress(
                    goal_text=goal.text,
                    target_value=goal.target_value,
                    kind=parsed.kind,
                    target=parsed.target,
                    value=value,
                    numerator=num,
                    denominator=den,
                )
            )
        result[intervention.pk] = items
    return result


# --- one goal served by several interventions: each person once -----------------------------------

POOLED_METRICS = (
    goal_rules.PARTICIPANTS,
    *goal_rules.SHARE_KINDS,
    "ors_improved",
)


@dataclass(frozen=True)
class PooledFigure:
    """A register figure over several interventions in which each person counts once.

    For PARTICIPANTS: persons with a participation started in the period (numerator ==
    denominator). For a share: the persons with a counted event in the period (an exit, an
    answered exit survey, an exit with two ORS ratings) and among them those for whom it went
    well at least once."""

    metric: str
    numerator: int
    denominator: int

    @property
    def is_share(self) -> bool:
        return self.metric != goal_rules.PARTICIPANTS

    def published(self, threshold: int = THRESHOLD) -> bool:
        """As GoalProgress.published: no group of 1–4 persons can be worked out."""
        groups = [self.denominator]
        if self.is_share:
            groups += [self.numerator, self.denominator - self.numerator]
        return not any(0 < n < threshold for n in groups)


def pooled_figure(*, user, association, intervention_ids: list[int], metric: str, start, end):
    """The metric over the interventions' valid participations, each person counted once. Only for
    roles that may read the register's statistics; aggregates only."""
    if not can(user, association, "participants.statistics"):
        raise PermissionDenied("participants.statistics")
    if metric not in POOLED_METRICS:
        raise ValueError(metric)
    enrolments = Enrolment.objects.filter(
        intervention_id__in=intervention_ids, intervention__association=association
    ).filter(valid_enrolments())
    person = "participant_id"
    exited = Q(exit_date__gte=start, exit_date__lte=end)
    if metric == goal_rules.PARTICIPANTS:
        n = enrolments.filter(start_date__gte=start, start_date__lte=end).aggregate(
            n=Count(person, distinct=True)
        )["n"]
        return PooledFigure(metric, n, n)
    if metric == "ors_improved":
        rated = Session.objects.filter(enrolment=OuterRef("pk"), ors_total__isnull=False)
        first = rated.order_by("date", "id").values("ors_total")[:1]
        last = rated.order_by("-date", "-id").values("ors_total")[:1]
        count = rated.order_by().values("enrolment").annotate(c=Count("id")).values("c")
        points = rating_rules_for(association).reliable_change_points
        rows = (
            enrolments.filter(exited)
            .annotate(
                n_ors=Subquery(count, output_field=IntegerField()),
                change=ExpressionWrapper(
                    Subquery(last, output_field=RATING_FIELD)
                    - Subquery(first, output_field=RATING_FIELD),
                    output_field=RATING_FIELD,
                ),
            )
            .filter(n_ors__gte=2)
        )
        totals = rows.aggregate(
            den=Count(person, distinct=True),
            num=Count(person, distinct=True, filter=Q(change__gte=points)),
        )
        return PooledFigure(metric, totals["num"], totals["den"])
    if metric == goal_rules.SATISFIED:
        base = Q(exit_survey__answered_on__gte=start, exit_survey__answered_on__lte=end)
        good = base & Q(exit_survey__satisfied=True)
    elif metric == goal_rules.STEP_PROGRESS:
        base = exited & Q(step_progress__isnull=False)
        good = exited & Q(step_progress__is_positive=True)
    else:
        base = exited
        good = exited & Q(exit_occupation__is_positive=True)
    totals = enrolments.aggregate(
        den=Count(person, distinct=True, filter=base),
        num=Count(person, distinct=True, filter=good),
    )
    return PooledFigure(metric, totals["num"], totals["den"])
