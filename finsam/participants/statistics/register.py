"""The register's published tables for a year: counted in the database, suppressed together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
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
    FollowUpCode,
    Session,
)
from finsam.participants.ratings import RatingRules
from finsam.participants.statistics.common import (
    AGE_BANDS,
    OTHER_AGES,
    RATING_FIELD,
    THRESHOLD,
    _counts,
    age_band_expression,
    valid_enrolments,
)
from finsam.participants.statistics.goals import (
    GoalProgress,
    intervention_counts,
)
from finsam.participants.statistics.suppression import (
    TOTAL,
    SuppressedTable,
    primary_marker,
    published_value,
    suppress_linked,
)
from finsam.participants.statistics.surveys import SURVEYED, QuestionStatistics

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


@dataclass
class RegisterCounts:
    """The year's counts behind the register's tables, keyed by ids (code ids, None for not
    recorded), whether counted live from the register or read from the summary."""

    status: list[dict]  # {"intervention_id", "col": ONGOING or EXITED_IN_YEAR, "n"}
    gender: list[dict]  # col "F" or "M": legal gender of the starts
    age: list[dict]  # col an age band "16–19", or OTHER_AGES
    exits: dict[str, list[dict]]  # by the participation's code field: col the code id or None
    flow: list[dict]  # {"before": code id or None, "col": code id or None, "n"}, all interventions
    counts: dict[int, dict[str, int]]  # as intervention_counts
    ors: dict[int, tuple[int, Decimal]]  # exits with two ORS ratings and their summed change


ONGOING, EXITED_IN_YEAR = "ongoing", "exited"
EXIT_TABLES = (
    (EXIT_REASON, "exit_reason", CodeList.EXIT_REASON),
    (EXIT_OCCUPATION, "exit_occupation", CodeList.OCCUPATION),
    (STEP, "step_progress", CodeList.STEP_PROGRESS),
)


def association_codes(association) -> list[FollowUpCode]:
    """Every code of the association, in the code lists' order (one query for the page)."""
    return list(FollowUpCode.objects.filter(association=association))


def register_tables(
    *,
    association,
    interventions: list[Intervention],
    year: int,
    rules: RatingRules | None = None,
) -> RegisterTables:
    """The year's tables as counts, and as published (suppressed together), counted live from
    the register: the reference that the summary (statistics.stored) must equal."""
    counts = live_register_counts(interventions=interventions, year=year)
    return build_register_tables(
        interventions=interventions,
        year=year,
        counts=counts,
        codes=association_codes(association),
    )


def live_register_counts(*, interventions: list[Intervention], year: int) -> RegisterCounts:
    base = Enrolment.objects.filter(intervention__in=interventions).filter(valid_enrolments())
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    active_in_year = base.filter(start_date__lte=year_end).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=year_start)
    )
    started = base.filter(start_date__year=year)
    ended = base.filter(exit_date__year=year)
    status_label = Case(
        When(exit_date__year=year, then=Value(EXITED_IN_YEAR)),
        default=Value(ONGOING),
        output_field=CharField(),
    )
    gender = Case(
        When(participant__legal_gender="F", then=Value("F")),
        default=Value("M"),
        output_field=CharField(),
    )

    def grouped(qs, **columns):
        return list(
            qs.annotate(**columns)
            .order_by()
            .values("intervention_id", "col")
            .annotate(n=Count("id"))
        )

    flow = (
        ended.order_by().values("entry_occupation_id", "exit_occupation_id").annotate(n=Count("id"))
    )
    return RegisterCounts(
        status=grouped(active_in_year, col=status_label),
        gender=grouped(started, col=gender),
        age=grouped(started, col=age_band_expression()),
        exits={
            field_name: grouped(ended, col=F(f"{field_name}_id"))
            for _name, field_name, _list in EXIT_TABLES
        },
        flow=[
            {"before": i["entry_occupation_id"], "col": i["exit_occupation_id"], "n": i["n"]}
            for i in flow
        ],
        counts=intervention_counts(intervention_ids=[i.pk for i in interventions], year=year),
        ors=_live_ors(interventions=interventions, year=year),
    )


def build_register_tables(
    *,
    interventions: list[Intervention],
    year: int,
    counts: RegisterCounts,
    codes: list[FollowUpCode],
) -> RegisterTables:
    """The tables from the year's counts: labelled, in the code lists' order, suppressed
    together. Columns of codes no longer in use follow the list's own, by name."""
    titles = {i.pk: i.title for i in interventions}
    rows = [i.title for i in interventions]
    missing = _("Not recorded")
    code_label = {c.pk: c.label for c in codes}

    def label(code_id):
        return missing if code_id is None else code_label[code_id]

    def relabel(grouped, names):
        return [{**item, "col": names(item["col"])} for item in grouped]

    def in_list(list_name, *, active_only=True):
        return [c for c in codes if c.list_name == list_name and (c.is_active or not active_only)]

    headings: list[tuple[str, str, str]] = []
    raw: dict[str, dict[str, dict[str, int]]] = {}
    ended_label = _("Exited during the year")
    status_names = {ONGOING: _("Ongoing at end of year"), EXITED_IN_YEAR: ended_label}
    headings.append((STATUS, _("Participants during the year"), _("Intervention")))
    raw[STATUS] = _counts(
        rows,
        list(status_names.values()),
        relabel(counts.status, status_names.get),
        "intervention_id",
        "col",
        titles,
    )
    gender_names = {"F": _("Women"), "M": _("Men")}
    by_gender = relabel(counts.gender, gender_names.get)
    headings.append((GENDER, _("Started during the year, by legal gender"), _("Intervention")))
    raw[GENDER] = _counts(
        rows, list(gender_names.values()), by_gender, "intervention_id", "col", titles
    )
    by_age = relabel(counts.age, lambda band: _("Other ages") if band == OTHER_AGES else band)
    age_columns = [f"{low}–{high}" for low, high in AGE_BANDS]
    if any(item["col"] not in age_columns and item["n"] for item in by_age):
        age_columns.append(_("Other ages"))
    headings.append((AGE, _("Started during the year, by age at start"), _("Intervention")))
    raw[AGE] = _counts(rows, age_columns, by_age, "intervention_id", "col", titles)
    exit_headings = {
        EXIT_REASON: _("Exited during the year, by reason for exit"),
        EXIT_OCCUPATION: _("Exited during the year, by occupation after exit"),
        STEP: _("Exited during the year, by step progression"),
    }
    for name, field_name, list_name in EXIT_TABLES:
        grouped = relabel(counts.exits[field_name], label)
        columns = [c.label for c in in_list(list_name) if not c.voids_enrolment] + [missing]
        columns += sorted({item["col"] for item in grouped if item["n"]} - set(columns))
        headings.append((name, exit_headings[name], _("Intervention")))
        raw[name] = _counts(rows, columns, grouped, "intervention_id", "col", titles)
    flow = [
        {"before": label(item["before"]), "col": label(item["col"]), "n": item["n"]}
        for item in counts.flow
    ]
    occupation_labels = [c.label for c in in_list(CodeList.OCCUPATION)] + [missing]
    extra = {i["before"] for i in flow if i["n"]} | {i["col"] for i in flow if i["n"]}
    occupation_labels += sorted(extra - set(occupation_labels))
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
    c = counts.counts
    raw[STARTED] = {titles[pk]: {COUNT: n["started"]} for pk, n in c.items() if n["started"]}
    raw[EXITED] = {titles[pk]: {COUNT: n["exited"]} for pk, n in c.items() if n["exited"]}
    ors = _ors_rows(interventions=interventions, grouped=counts.ors)
    rated = {row["intervention"].pk: row["count"] for row in ors}
    rated_label, fewer_label = _("At least two ORS ratings"), _("Fewer than two ORS ratings")
    raw[ORS] = {
        titles[pk]: {rated_label: rated.get(pk, 0), fewer_label: n["exited"] - rated.get(pk, 0)}
        for pk, n in c.items()
        if n["exited"]
    }

    def positive(list_name):
        return [code.label for code in in_list(list_name) if code.is_positive]

    return RegisterTables(
        headings=headings,
        raw=raw,
        published=publish_register_tables(raw, ended=ended_label),
        labels={
            "positive_occupations": positive(CodeList.OCCUPATION),
            "positive_steps": positive(CodeList.STEP_PROGRESS),
            "missing": missing,
            "satisfied": _("Satisfied"),
            "ors_rated": rated_label,
        },
        ors=ors,
        counts=c,
    )


def ors_change(
    *, interventions: list[Intervention], year: int, rules: RatingRules | None = None
) -> list[dict]:
    """Average ORS change (last minus first) per intervention, for participations that ended in
    the year with at least two ORS ratings. Published only for five or more participations.
    (`rules` is kept for the callers; the average does not depend on them.)"""
    return _ors_rows(
        interventions=interventions, grouped=_live_ors(interventions=interventions, year=year)
    )


def _live_ors(*, interventions: list[Intervention], year: int) -> dict[int, tuple[int, Decimal]]:
    """Per intervention: the year's valid exits with two ORS ratings or more, and the sum of
    their change (last minus first), exact to the tenth."""
    if not interventions:
        return {}
    rated = Session.objects.filter(enrolment=OuterRef("pk"), ors_total__isnull=False)
    first = rated.order_by("date", "id").values("ors_total")[:1]
    last = rated.order_by("-date", "-id").values("ors_total")[:1]
    count = rated.order_by().values("enrolment").annotate(c=Count("id")).values("c")
    grouped = (
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
        .order_by()
        .values("intervention_id")
        .annotate(n=Count("id"), total=Sum("change", output_field=SUM_FIELD))
    )
    return {row["intervention_id"]: (row["n"], _tenths(row["total"] or 0)) for row in grouped}


SUM_FIELD = DecimalField(max_digits=12, decimal_places=1)


def _tenths(value) -> Decimal:
    # A sum of ratings in tenths (SQLite adds them as floats: round back to the tenth).
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _ors_rows(
    *, interventions: list[Intervention], grouped: dict[int, tuple[int, Decimal]]
) -> list[dict]:
    """The ORS rows as the page shows them. The average is the exact sum over the count,
    rounded half up to a tenth (the same on every database)."""
    out = []
    for intervention in interventions:
        if intervention.pk not in grouped:
            continue
        n, total = grouped[intervention.pk]
        if not n:
            continue
        published = n >= THRESHOLD
        out.append(
            {
                "intervention": intervention,
                "count": n,
                "n": n if published else primary_marker(THRESHOLD),
                "average": (Decimal(total) / n).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if published
                else None,
                "published": published,
            }
        )
    return out
