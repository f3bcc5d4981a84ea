"""The register's published tables for a year: counted in the database, suppressed together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.funding import goals as goal_rules
from finsam.funding.models import Intervention, InterventionKindShare
from finsam.participants.models import (
    CodeList,
    Enrolment,
    Session,
)
from finsam.participants.ratings import RatingRules
from finsam.participants.services import rating_rules_for
from finsam.participants.statistics.common import (
    AGE_BANDS,
    RATING_FIELD,
    THRESHOLD,
    _counts,
    _require,
    follow_up_codes,
    valid_enrolments,
)
from finsam.participants.statistics.goals import (
    GoalProgress,
    goal_progress,
    intervention_counts,
    unmeasured_goals,
)
from finsam.participants.statistics.suppression import (
    TOTAL,
    SuppressedTable,
    primary_marker,
    published_value,
    suppress_linked,
)
from finsam.participants.statistics.surveys import SURVEYED, QuestionStatistics, survey_tables

# --- statistics (aggregates only, suppressed) -----------------------------------------------------


def register_interventions(*, association) -> list[Intervention]:
    """Interventions with participants or of the individual kind: the register's scope."""
    return list(
        Intervention.objects.filter(association=association)
        # EXISTS, not a join with DISTINCT: an association's enrolments are not read to be thrown away.
        .filter(
            Exists(
                InterventionKindShare.objects.filter(intervention=OuterRef("pk"), kind="individual")
            )
            | Exists(Enrolment.objects.filter(intervention=OuterRef("pk")))
        )
        .prefetch_related("goals")
        .order_by("title")
    )


def statistics_years(*, association) -> list[int]:
    years = (
        Enrolment.objects.filter(intervention__association=association)
        .annotate(y=ExtractYear("start_date"))
        .order_by()
        .values_list("y", flat=True)
        .distinct()
    )
    this_year = timezone.localdate().year
    return sorted({*years, this_year}, reverse=True)


def default_statistics_year(*, association) -> int:
    this_year = timezone.localdate().year
    years = [y for y in statistics_years(association=association) if y <= this_year]
    has_data = Enrolment.objects.filter(
        intervention__association=association, start_date__year=this_year
    ).exists()
    if has_data or not years:
        return this_year
    latest = (
        Enrolment.objects.filter(intervention__association=association)
        .order_by("-start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return latest.year if latest else this_year


def _age_band_expression() -> Case:
    whens = [
        When(age_at_start__gte=low, age_at_start__lte=high, then=Value(f"{low}–{high}"))
        for low, high in AGE_BANDS
    ]
    return Case(*whens, default=Value(_("Other ages")), output_field=CharField())


# The tables that leave the register for a year: on the statistics page and in the summary CSV.
STATUS, GENDER, AGE = "status", "gender", "age"
EXIT_REASON, EXIT_OCCUPATION, STEP, FLOW = "exit_reason", "exit_occupation", "step", "flow"
STARTED, EXITED = "started", "exited"  # the summary CSV's columns, one table each
# Exits with and without two ORS ratings: the ORS change is averaged over the first column, and
# the row total is the exits, so "exits minus rated" is a cell suppression sees, not a difference
# of two printed numbers.
ORS = "ors"
COUNT = "n"


def register_links(raw: dict[str, dict[str, dict[str, int]]], *, ended: str) -> list[list]:
    """The counts that several published tables share, table by table.

    Per intervention: the starts (row totals by gender and by age, the CSV's "startade") and
    the exits (the status table's ended column, the row totals by exit reason, occupation, step
    and ORS ratings, the CSV's "avslutade"); over all interventions their grand totals; and the
    exits per occupation after exit (column totals by occupation and of the before/after
    table)."""
    titles = dict.fromkeys(title for table in raw.values() for title in table)
    links: list[list] = []
    for title in titles:
        links.append([(GENDER, title, TOTAL), (AGE, title, TOTAL), (STARTED, title, COUNT)])
        links.append(
            [
                (STATUS, title, ended),
                (EXIT_REASON, title, TOTAL),
                (EXIT_OCCUPATION, title, TOTAL),
                (STEP, title, TOTAL),
                (ORS, title, TOTAL),
                (EXITED, title, COUNT),
            ]
        )
    links.append([(GENDER, TOTAL, TOTAL), (AGE, TOTAL, TOTAL), (STARTED, TOTAL, COUNT)])
    links.append(
        [
            (STATUS, TOTAL, ended),
            (EXIT_REASON, TOTAL, TOTAL),
            (EXIT_OCCUPATION, TOTAL, TOTAL),
            (STEP, TOTAL, TOTAL),
            (FLOW, TOTAL, TOTAL),
            (ORS, TOTAL, TOTAL),
            (EXITED, TOTAL, COUNT),
        ]
    )
    occupations = dict.fromkeys(
        column
        for table in (raw.get(EXIT_OCCUPATION, {}), raw.get(FLOW, {}))
        for cells in table.values()
        for column in cells
    )
    links += [[(EXIT_OCCUPATION, TOTAL, label), (FLOW, TOTAL, label)] for label in occupations]
    return links


def publish_register_tables(
    raw: dict[str, dict[str, dict[str, int]]], *, ended: str
) -> dict[str, SuppressedTable | None]:
    """Suppress the year's published tables together (suppression.suppress_linked), so that no
    count hidden in one table can be read in, or subtracted from, another."""
    present = {name: rows for name, rows in raw.items() if rows}
    published = suppress_linked(present, register_links(raw, ended=ended), threshold=THRESHOLD)
    return {name: published.get(name) for name in raw}


def is_published(tables, name: str, row, column) -> bool:
    """True when the table shows a number here (an absent table or row shows 0)."""
    table = tables.get(name)
    if table is None:
        return True
    return not table.withheld and isinstance(published_value(table, row, column), int)


def derivable(tables, kind: str, title: str, labels: dict[str, list[str]]) -> bool:
    """Can a goal's value be computed from numbers the tables already publish? Then publishing
    it tells nothing new; otherwise it could give away a hidden count."""
    if kind == goal_rules.PARTICIPANTS:
        return is_published(tables, STARTED, title, COUNT)
    if kind == goal_rules.WORK_OR_STUDIES:
        cells = [(title, TOTAL), *((title, label) for label in labels["positive_occupations"])]
        return all(is_published(tables, EXIT_OCCUPATION, *cell) for cell in cells)
    if kind == goal_rules.STEP_PROGRESS:
        cells = [
            (title, TOTAL),
            (title, labels["missing"]),
            *((title, label) for label in labels["positive_steps"]),
        ]
        return all(is_published(tables, STEP, *cell) for cell in cells)
    # Satisfaction: the surveys of the year and the satisfied among them (SURVEYED, whose row
    # totals are also the row totals of every own-question table).
    cells = [(title, TOTAL), (title, labels["satisfied"])]
    return all(is_published(tables, SURVEYED, *cell) for cell in cells)


@dataclass
class Statistics:
    year: int
    tables: list[tuple[str, str, SuppressedTable | None]]  # (heading, corner label, table)
    ors: list[dict]
    goals: list[tuple[Intervention, list[GoalProgress]]]
    questions: list[QuestionStatistics]
    # Goal texts only, no register data: where the office may say how a goal is measured.
    unmeasured: list[tuple[Intervention, int]]
    # The published (suppressed) tables by name (STATUS, FLOW, …): what the charts draw.
    published: dict[str, SuppressedTable | None]


@dataclass
class RegisterTables:
    headings: list[tuple[str, str, str]]  # (table name, heading, corner label)
    raw: dict[str, dict[str, dict[str, int]]]
    published: dict[str, SuppressedTable | None]
    labels: dict[str, list[str]]
    ors: list[dict]  # ors_change's rows, unpublished
    counts: dict[int, dict[str, int]]  # intervention_counts, for the goals beside the tables


def statistics(*, user, association, year: int) -> Statistics:
    _require(user, association, "participants.statistics")
    interventions = register_interventions(association=association)
    register = register_tables(
        association=association,
        interventions=interventions,
        year=year,
        rules=rating_rules_for(association),
    )
    surveys = survey_tables(association=association, interventions=interventions, year=year)
    published = {**register.published, SURVEYED: surveys.surveyed}
    headings = [*register.headings, (SURVEYED, surveys.heading, _("Intervention"))]
    tables = [(heading, corner, published[name]) for name, heading, corner in headings]
    ors_rows = []
    ors_table = register.published[ORS]
    for row in register.ors:
        # The count as the linked suppression publishes it; the average only beside a count.
        n = published_value(ors_table, row["intervention"].title, register.labels["ors_rated"])
        shown = isinstance(n, int) and not ors_table.withheld
        ors_rows.append(
            {**row, "n": n, "published": shown, "average": row["average"] if shown else None}
        )
    goals = goal_progress(interventions=interventions, year=year, counts=register.counts)
    for intervention in interventions:
        goals[intervention.pk] = [
            replace(
                item,
                derivable=derivable(published, item.kind, intervention.title, register.labels),
            )
            for item in goals[intervention.pk]
        ]
    return Statistics(
        year=year,
        tables=tables,
        ors=ors_rows,
        # An intervention's goals are followed up in the years it runs, not after it ended.
        goals=[(i, goals[i.pk]) for i in interventions if goals[i.pk] and i.runs_in_year(year)],
        questions=surveys.questions,
        unmeasured=unmeasured_goals(interventions=interventions, year=year),
        published=published,
    )


def register_tables(
    *,
    association,
    interventions: list[Intervention],
    year: int,
    rules: RatingRules | None = None,
) -> RegisterTables:
    """The year's tables as counts, and as published (suppressed together)."""
    titles = {i.pk: i.title for i in interventions}
    rows = [i.title for i in interventions]
    base = Enrolment.objects.filter(intervention__in=interventions).filter(valid_enrolments())
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    active_in_year = base.filter(start_date__lte=year_end).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=year_start)
    )
    started = base.filter(start_date__year=year)
    ended = base.filter(exit_date__year=year)

    status_label = Case(
        When(exit_date__year=year, then=Value(_("Exited during the year"))),
        default=Value(_("Ongoing at end of year")),
        output_field=CharField(),
    )
    headings: list[tuple[str, str, str]] = []
    raw: dict[str, dict[str, dict[str, int]]] = {}
    status = (
        active_in_year.annotate(col=status_label)
        .order_by()
        .values("intervention_id", "col")
        .annotate(n=Count("id"))
    )
    ended_label = _("Exited during the year")
    headings.append((STATUS, _("Participants during the year"), _("Intervention")))
    raw[STATUS] = _counts(
        rows,
        [_("Ongoing at end of year"), ended_label],
        status,
        "intervention_id",
        "col",
        titles,
    )
    gender_label = Case(
        When(participant__legal_gender="F", then=Value(_("Women"))),
        default=Value(_("Men")),
        output_field=CharField(),
    )
    by_gender = (
        started.annotate(col=gender_label)
        .order_by()
        .values("intervention_id", "col")
        .annotate(n=Count("id"))
    )
    headings.append((GENDER, _("Started during the year, by legal gender"), _("Intervention")))
    raw[GENDER] = _counts(rows, [_("Women"), _("Men")], by_gender, "intervention_id", "col", titles)
    by_age = (
        started.annotate(col=_age_band_expression())
        .order_by()
        .values("intervention_id", "col")
        .annotate(n=Count("id"))
    )
    age_columns = [f"{low}–{high}" for low, high in AGE_BANDS]
    if any(item["col"] not in age_columns for item in by_age):
        age_columns.append(_("Other ages"))
    headings.append((AGE, _("Started during the year, by age at start"), _("Intervention")))
    raw[AGE] = _counts(rows, age_columns, by_age, "intervention_id", "col", titles)
    for name, heading, field_name, list_name in (
        (
            EXIT_REASON,
            _("Exited during the year, by reason for exit"),
            "exit_reason",
            CodeList.EXIT_REASON,
        ),
        (
            EXIT_OCCUPATION,
            _("Exited during the year, by occupation after exit"),
            "exit_occupation",
            CodeList.OCCUPATION,
        ),
        (
            STEP,
            _("Exited during the year, by step progression"),
            "step_progress",
            CodeList.STEP_PROGRESS,
        ),
    ):
        codes = [
            c.label
            for c in follow_up_codes(association=association, list_name=list_name).filter(
                voids_enrolment=False
            )
        ]
        grouped = list(
            ended.annotate(
                col=Case(
                    When(**{f"{field_name}__isnull": True}, then=Value(_("Not recorded"))),
                    default=F(f"{field_name}__label"),
                    output_field=CharField(),
                )
            )
            .order_by()
            .values("intervention_id", "col")
            .annotate(n=Count("id"))
        )
        columns = [*codes, _("Not recorded")]
        columns += [item["col"] for item in grouped if item["col"] not in columns]
        headings.append((name, heading, _("Intervention")))
        raw[name] = _counts(rows, columns, grouped, "intervention_id", "col", titles)
    flow = list(
        ended.annotate(
            before=Case(
                When(entry_occupation__isnull=True, then=Value(_("Not recorded"))),
                default=F("entry_occupation__label"),
                output_field=CharField(),
            ),
            col=Case(
                When(exit_occupation__isnull=True, then=Value(_("Not recorded"))),
                default=F("exit_occupation__label"),
                output_field=CharField(),
            ),
        )
        .order_by()
        .values("before", "col")
        .annotate(n=Count("id"))
    )
    occupation_labels = [
        c.label for c in follow_up_codes(association=association, list_name=CodeList.OCCUPATION)
    ] + [_("Not recorded")]
    extra = [i["before"] for i in flow] + [i["col"] for i in flow]
    occupation_labels += [x for x in dict.fromkeys(extra) if x not in occupation_labels]
    headings.append(
        (
            FLOW,
            _(
                "Occupation before (rows) and after (columns), exited during the year, all "
                "interventions"
            ),
            _("Before \\ after"),
        )
    )
    raw[FLOW] = _counts(occupation_labels, occupation_labels, flow, "before", "col")
    counts = intervention_counts(intervention_ids=list(titles), year=year)
    raw[STARTED] = {titles[pk]: {COUNT: c["started"]} for pk, c in counts.items() if c["started"]}
    raw[EXITED] = {titles[pk]: {COUNT: c["exited"]} for pk, c in counts.items() if c["exited"]}
    ors = ors_change(interventions=interventions, year=year, rules=rules)
    rated = {row["intervention"].pk: row["count"] for row in ors}
    rated_label, fewer_label = _("At least two ORS ratings"), _("Fewer than two ORS ratings")
    raw[ORS] = {
        titles[pk]: {rated_label: rated.get(pk, 0), fewer_label: c["exited"] - rated.get(pk, 0)}
        for pk, c in counts.items()
        if c["exited"]
    }

    def positive(list_name):
        return [
            c.label
            for c in follow_up_codes(association=association, list_name=list_name)
            if c.is_positive
        ]

    return RegisterTables(
        headings=headings,
        raw=raw,
        published=publish_register_tables(raw, ended=ended_label),
        labels={
            "positive_occupations": positive(CodeList.OCCUPATION),
            "positive_steps": positive(CodeList.STEP_PROGRESS),
            "missing": _("Not recorded"),
            "satisfied": _("Satisfied"),
            "ors_rated": rated_label,
        },
        ors=ors,
        counts=counts,
    )


def ors_change(
    *, interventions: list[Intervention], year: int, rules: RatingRules | None = None
) -> list[dict]:
    """Average ORS change (last minus first) per intervention, for participations that ended in
    the year with at least two ORS ratings. Published only for five or more participations.
    Reliable change follows the association's rules."""
    if not interventions:
        return []
    rules = rules or rating_rules_for(interventions[0].association)
    rated = Session.objects.filter(enrolment=OuterRef("pk"), ors_total__isnull=False)
    first = rated.order_by("date", "id").values("ors_total")[:1]
    last = rated.order_by("-date", "-id").values("ors_total")[:1]
    count = rated.order_by().values("enrolment").annotate(c=Count("id")).values("c")
    points = rules.reliable_change_points
    per_enrolment = (
        Enrolment.objects.filter(intervention__in=interventions, exit_date__year=year)
        .filter(valid_enrolments())
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
    grouped = (
        per_enrolment.order_by()
        .values("intervention_id")
        .annotate(
            n=Count("id"),
            average=Avg("change"),
            improved=Count("id", filter=Q(change__gte=points)),
            deteriorated=Count("id", filter=Q(change__lte=-points)),
        )
    )
    by_id = {row["intervention_id"]: row for row in grouped}
    out = []
    for intervention in interventions:
        row = by_id.get(intervention.pk)
        if row is None:
            continue
        n = row["n"]
        published = n >= THRESHOLD
        out.append(
            {
                "intervention": intervention,
                "count": n,
                "n": n if published else primary_marker(THRESHOLD),
                "average": Decimal(row["average"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if published and row["average"] is not None
                else None,
                "published": published,
            }
        )
    return out
