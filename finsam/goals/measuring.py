"""Each measure's figure for a period, read live from its source, with its evidence.

The register is read only through finsam.participants.statistics (aggregates, each person once,
small cells hidden); the economy only through finsam.economy's selectors and rules; the
interventions' own goals through funding's goal rule (finsam/funding/goals.py) as the register's
statistics measure them. Whether a figure meets its target is decided in attainment.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from finsam.core.money import format_number, format_sek
from finsam.economy import selectors as economy_selectors
from finsam.economy.models import BudgetColumn
from finsam.goals.attainment import Figure, Status, judge, period_bounds, share
from finsam.goals.models import Goal, Measure
from finsam.organisation.access import can
from finsam.participants import statistics
from finsam.participants.charts import progress_bar_svg

REGISTER_METRICS = {
    Measure.Metric.PARTICIPANTS: "participants",
    Measure.Metric.SATISFIED: "satisfied",
    Measure.Metric.STEP_PROGRESS: "step_progress",
    Measure.Metric.WORK_OR_STUDIES: "work_or_studies",
    Measure.Metric.ORS_IMPROVED: "ors_improved",
}
ECONOMY_METRICS = (
    Measure.Metric.RESULT,
    Measure.Metric.EQUITY,
    Measure.Metric.FINANCIAL_RULES,
)
ACTIVITY_METRICS = (Measure.Metric.ACTIVITIES_HELD, Measure.Metric.ATTENDANCE)
CHARTED = (Measure.Kind.COUNT, Measure.Kind.SHARE, Measure.Kind.AMOUNT)
BASIS_PREFERENCE = [
    BudgetColumn.Basis.OUTCOME,
    BudgetColumn.Basis.FORECAST,
    BudgetColumn.Basis.BUDGET,
    BudgetColumn.Basis.PLAN,
]


@dataclass(frozen=True)
class MeasureResult:
    measure: Measure
    figure: Figure
    status: str
    period: str = ""

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def chart(self) -> str:
        """The figure against its target as a bar (participants.charts, which escapes every
        text); "" when there is nothing to draw."""
        m, value = self.measure, self.figure.value
        if m.kind not in CHARTED or value is None or value < 0 or not m.target or m.target <= 0:
            return ""
        unit = {Measure.Kind.SHARE: "%", Measure.Kind.AMOUNT: "kr"}.get(m.kind, "")
        svg = progress_bar_svg(
            value, m.target, unit=unit, chart_id=f"measure-{m.pk}-{self.period or 'p'}"
        )
        return mark_safe(svg)  # noqa: S308 - progress_bar_svg escapes every text


def _day(value: dt.date) -> str:
    return date_format(value, "Y-m-d")


class Measurer:
    """Measures every goal of one year for one period, as `user` may see the sources."""

    def __init__(self, *, user, association, year: int, period: str, today: dt.date | None = None):
        self.user, self.association, self.year, self.period = user, association, year, period
        self.start, self.end = period_bounds(year, period)
        # A period is judged as it stood when it ended: a past half-year by what was known on
        # 1 July, not by what happened later in the year.
        self.today = min(today or timezone.localdate(), self.end + dt.timedelta(days=1))
        self._economy: dict | None = None

    def measure(self, measure: Measure) -> MeasureResult:
        figure = self.figure(measure)
        status = judge(
            kind=measure.kind,
            target=measure.target,
            due_date=measure.due_date,
            figure=figure,
            year_end=dt.date(self.year, 12, 31),
            today=self.today,
        )
        return MeasureResult(measure=measure, figure=figure, status=status, period=self.period)

    def figure(self, measure: Measure) -> Figure:
        if measure.kind == Measure.Kind.DESCRIBED and measure.source == Measure.Source.MANUAL:
            return self._manual(measure)
        reader = {
            Measure.Source.MANUAL: self._manual,
            Measure.Source.ACTIVITIES: self._activities,
            Measure.Source.REGISTER: self._register,
            Measure.Source.VOLUME: self._volume,
            Measure.Source.INTERVENTION_GOALS: self._intervention_goals,
            Measure.Source.ECONOMY: self._economy_figure,
        }[measure.source]
        return reader(measure)

    # --- sources ------------------------------------------------------------------------------

    def _manual(self, measure: Measure) -> Figure:
        entries = [e for e in measure.entries.all() if self.start <= e.date <= self.end]
        evidence = [
            f"{_day(e.date)}: "
            + (
                f"{format_number(e.value, 2 if e.value % 1 else 0)} – "
                if e.value is not None
                else ""
            )
            + e.evidence
            for e in entries
        ]
        if not entries:
            return Figure(evidence=[_("Nothing recorded for the period.")])
        if measure.kind == Measure.Kind.DONE_BY:
            return Figure(done_on=min(e.date for e in entries), evidence=evidence)
        values = [e.value for e in entries if e.value is not None]
        if not values:
            return Figure(evidence=evidence)
        if measure.kind == Measure.Kind.SHARE:  # the latest share recorded
            return Figure(value=values[-1], evidence=evidence)
        return Figure(value=sum(values, Decimal(0)), evidence=evidence)

    def _activities(self, measure: Measure) -> Figure:
        held = [a for a in measure.goal.activities.all() if self.start <= a.date <= self.end]
        attended = {a.pk: sum(r.attended for r in a.attendance.all()) for a in held}
        evidence = [
            _("%(date)s %(title)s: %(n)s attended")
            % {"date": _day(a.date), "title": a.title, "n": attended[a.pk]}
            for a in held
        ] or [_("No activity of this goal in the period.")]
        if measure.metric == Measure.Metric.ACTIVITIES_HELD:
            value = Decimal(len(held))
        else:
            value = Decimal(sum(attended.values()))
        if measure.kind == Measure.Kind.DONE_BY:
            return Figure(done_on=min((a.date for a in held), default=None), evidence=evidence)
        return Figure(value=value, evidence=evidence)

    def _register(self, measure: Measure) -> Figure:
        if not can(self.user, self.association, "participants.statistics"):
            return Figure(evidence=[_("Your role does not see the participant register.")])
        interventions = list(measure.goal.interventions.all())
        if not interventions or measure.metric not in REGISTER_METRICS:
            return Figure(evidence=[_("No intervention is linked to the goal.")])
        pooled = statistics.pooled_figure(
            user=self.user,
            association=self.association,
            intervention_ids=[i.pk for i in interventions],
            metric=REGISTER_METRICS[measure.metric],
            start=self.start,
            end=self.end,
        )
        names = ", ".join(i.title for i in interventions)
        if not pooled.published():
            return Figure(
                hidden=True,
                evidence=[_("%(names)s: fewer than five persons in a group.") % {"names": names}],
            )
        if pooled.is_share:
            value = share(pooled.numerator, pooled.denominator)
            text = _("%(names)s: %(num)s of %(den)s persons (each person once).") % {
                "names": names,
                "num": pooled.numerator,
                "den": pooled.denominator,
            }
        else:
            value = Decimal(pooled.numerator)
            text = _("%(names)s: %(num)s persons started (each person once).") % {
                "names": names,
                "num": pooled.numerator,
            }
        return Figure(value=value, evidence=[text])

    def _volume(self, measure: Measure) -> Figure:
        rows = (
            measure.goal.interventions.filter(
                volume_counts__date__gte=self.start, volume_counts__date__lte=self.end
            )
            .values("title")
            .annotate(n=Sum("volume_counts__count"))
            .order_by("title")
        )
        evidence = [
            _("%(title)s: %(n)s counted") % {"title": r["title"], "n": r["n"]} for r in rows
        ]
        if not evidence:
            return Figure(evidence=[_("No volume count recorded for the period.")])
        return Figure(value=Decimal(sum(r["n"] for r in rows)), evidence=evidence)

    def _intervention_goals(self, measure: Measure) -> Figure:
        if not can(self.user, self.association, "participants.statistics"):
            return Figure(evidence=[_("Your role does not see the participant register.")])
        chosen = {g.pk for g in measure.goal.intervention_goals.all()}
        interventions = list(measure.goal.interventions.prefetch_related("goals"))
        interventions += [
            g.intervention
            for g in measure.goal.intervention_goals.select_related("intervention")
            if g.intervention not in interventions
        ]
        progress = statistics.goal_progress(interventions=interventions, year=self.year)
        met = measured = 0
        evidence = []
        for intervention in interventions:
            for item in progress.get(intervention.pk, []):
                goal = next(g for g in intervention.goals.all() if g.text == item.goal_text)
                if chosen and goal.pk not in chosen:
                    continue
                if item.value is None or not item.published():
                    shown = _("not published (fewer than five persons)")
                else:
                    measured += 1
                    met += item.value >= item.target
                    shown = format_number(item.value, 1 if item.is_share else 0)
                evidence.append(f"{intervention.title}: {item.goal_text} – {shown}")
        if not measured:
            return Figure(evidence=evidence or [_("No measurable intervention goal is linked.")])
        return Figure(value=share(met, measured), evidence=evidence)

    def _economy_figure(self, measure: Measure) -> Figure:
        if not can(self.user, self.association, "budget.view"):
            return Figure(evidence=[_("Your role does not see the budget.")])
        found = self._economy_year()
        if found is None:
            return Figure(evidence=[_("No budget column for the year.")])
        indicators, source = found
        if measure.metric == Measure.Metric.RESULT:
            return Figure(
                value=indicators.result, evidence=[f"{source}: {format_sek(indicators.result)}"]
            )
        if measure.metric == Measure.Metric.EQUITY:
            if indicators.equity_closing is None:
                return Figure(evidence=[_("%(source)s has no equity.") % {"source": source}])
            return Figure(
                value=indicators.equity_closing,
                evidence=[f"{source}: {format_sek(indicators.equity_closing)}"],
            )
        if indicators.warnings:
            return Figure(evidence=[f"{source}: {w}" for w in indicators.warnings])
        return Figure(
            done_on=dt.date(self.year, 12, 31),
            evidence=[_("%(source)s: every financial rule holds.") % {"source": source}],
        )

    def _economy_year(self):
        """The year's figures from the best column there is: final accounts, else a forecast,
        else the budget (newest budget first)."""
        if self._economy is None:
            self._economy = {"found": None}
            budgets = economy_selectors.budgets(user=self.user, association=self.association)
            candidates = [
                (BASIS_PREFERENCE.index(c.basis), -b.budget_year, -b.version, b, c)
                for b in budgets
                for c in b.columns.all()
                if c.year == self.year and c.basis in BASIS_PREFERENCE
            ]
            if candidates:
                *_rank, budget, column = min(candidates, key=lambda t: t[:3])
                view = economy_selectors.budget_view(budget=budget)
                indicators = economy_selectors.budget_indicators(
                    user=self.user, association=self.association, budget=budget, view=view
                )
                chosen = next(i for i in indicators if i.column.pk == column.pk)
                self._economy["found"] = (chosen, f"{budget.title}, {column.label}")
        return self._economy["found"]


@dataclass(frozen=True)
class GoalResult:
    goal: Goal
    measures: list[MeasureResult]
    assessment: object | None

    @property
    def status(self) -> str:
        """The goal's live status: met when every judged measure is met."""
        judged = [m.status for m in self.measures if m.status != Status.DESCRIBED]
        if not judged:
            return Status.DESCRIBED
        for status in (Status.NOT_MET, Status.IN_PROGRESS, Status.NO_DATA, Status.HIDDEN):
            if status in judged:
                return status
        return Status.MET

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def measure_goals(*, user, association, goals, year: int, period: str, today=None):
    measurer = Measurer(user=user, association=association, year=year, period=period, today=today)
    out = []
    for goal in goals:
        assessment = next((a for a in goal.assessments.all() if a.period == period), None)
        out.append(
            GoalResult(
                goal=goal,
                measures=[measurer.measure(m) for m in goal.measures.all()],
                assessment=assessment,
            )
        )
    return out
