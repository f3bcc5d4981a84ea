"""The association's own survey questions, aggregated and suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Q,
)
from django.utils.translation import gettext as _

from finsam.funding.models import Intervention
from finsam.participants.models import (
    ExitSurvey,
    SurveyAnswer,
    SurveyQuestion,
)
from finsam.participants.statistics.common import (
    THRESHOLD,
    _counts,
    _round_mean,
    valid_enrolments,
)
from finsam.participants.statistics.suppression import (
    TOTAL,
    SuppressedTable,
    suppress_linked,
)

# --- the association's own survey questions, aggregated -----------------------------------------


@dataclass(frozen=True)
class QuestionStatistics:
    """One scale or yes/no question: answers per intervention, suppressed, with the mean of a
    scale where it gives nothing away."""

    question: SurveyQuestion
    table: SuppressedTable | None  # None: no answers in the year
    means: dict[str, Decimal | None]  # per row label, and TOTAL_KEY for the whole table

    def as_rows(self, *, corner: str) -> list[list]:
        """The table's rows (header, interventions, totals) with a mean column for a scale."""
        assert self.table is not None
        rows = self.table.as_rows(corner=corner)
        if not self.question.is_scale:
            return rows
        header, *body, total = rows
        return [
            [*header, _("Mean")],
            *[[*row, _mean_text(self.means.get(row[0]))] for row in body],
            [*total, _mean_text(self.means.get(TOTAL_KEY))],
        ]


TOTAL_KEY = ""


def _mean_text(mean: Decimal | None) -> str:
    return "–" if mean is None else f"{mean}".replace(".", ",")


def answer_columns(question: SurveyQuestion) -> list[str]:
    if question.is_scale:
        labels = {1: question.scale_low_label, 5: question.scale_high_label}
        return [f"{v} – {labels[v]}" if labels.get(v) else str(v) for v in range(1, 6)]
    return [str(_("Yes")), str(_("No"))]


def publishable_means(
    table: SuppressedTable, means: dict[str, Decimal | None]
) -> dict[str, Decimal | None]:
    """The means that may be shown next to a suppressed distribution.

    A mean times its count is the sum of the answers: one more equation, which could give away a
    hidden cell (a row "1: <5, 5: –, total 7" and mean 4,4 leaves one solution). So a row's mean
    is shown only when every cell and the total of that row are published, and the whole table's
    mean only when every column total and the grand total are: then the mean follows from
    published numbers and tells nothing new. Means are rounded to one decimal.
    """
    shown: dict[str, Decimal | None] = {}

    def exact(values) -> bool:
        return all(isinstance(v, int) for v in values)

    for label in table.row_labels:
        row_open = exact([*table.cells[label].values(), table.row_totals[label]])
        shown[label] = _round_mean(means.get(label)) if row_open else None
    totals_open = exact([*table.column_totals.values(), table.grand_total])
    shown[TOTAL_KEY] = _round_mean(means.get(TOTAL_KEY)) if totals_open else None
    return shown


@dataclass(frozen=True)
class SurveyTables:
    """The year's exit surveys as published: satisfied or not per intervention (SURVEYED), and
    one table per own question, suppressed together."""

    heading: str
    surveyed: SuppressedTable | None  # None: no surveys in the year
    questions: list[QuestionStatistics]


SURVEYED = "surveyed"


def survey_links(raw: dict) -> list[list]:
    """Every survey of the year is in every table of the group: the surveys per intervention are
    the row totals of SURVEYED and of each question's table (whose "no answer" column holds the
    surveys that skipped the question), and all grand totals are the year's surveys."""
    titles = dict.fromkeys(title for rows in raw.values() for title in rows)
    links = [[(name, title, TOTAL) for name in raw] for title in titles]
    links.append([(name, TOTAL, TOTAL) for name in raw])
    return links


def publish_survey_tables(raw: dict) -> dict:
    """Suppress SURVEYED and the question tables together (suppression.suppress_linked)."""
    present = {name: rows for name, rows in raw.items() if rows}
    published = suppress_linked(present, survey_links(present), threshold=THRESHOLD)
    return {name: published.get(name) for name in raw}


def survey_statistics(
    *, association, interventions: list[Intervention], year: int
) -> list[QuestionStatistics]:
    """The own questions' tables of `survey_tables`."""
    return survey_tables(association=association, interventions=interventions, year=year).questions


def survey_tables(*, association, interventions: list[Intervention], year: int) -> SurveyTables:
    """Per scale or yes/no question (active, or retired with answers in the year): the answers of
    the year's exit surveys per intervention, counted and averaged in the database, with a column
    for the surveys that did not answer it. Free-text answers are personal data and never
    counted here. Four queries whatever the number of questions."""
    titles = {i.pk: i.title for i in interventions}
    rows = [i.title for i in interventions]
    satisfied_label, unsatisfied_label = _("Satisfied"), _("Not satisfied")
    per_intervention = (
        ExitSurvey.objects.filter(enrolment__intervention__in=interventions, answered_on__year=year)
        .filter(valid_enrolments("enrolment__"))
        .order_by()
        .values("enrolment__intervention_id")
        .annotate(n=Count("id"), satisfied=Count("id", filter=Q(satisfied=True)))
    )
    by_title = {titles[item["enrolment__intervention_id"]]: item for item in per_intervention}
    surveys = {title: by_title[title]["n"] for title in rows if title in by_title}
    raw: dict = {
        SURVEYED: {
            title: {
                satisfied_label: by_title[title]["satisfied"],
                unsatisfied_label: n - by_title[title]["satisfied"],
            }
            for title, n in surveys.items()
        }
    }
    heading = _("Exit surveys answered during the year, by satisfaction")

    answered = Exists(
        SurveyAnswer.objects.filter(question=OuterRef("pk"), exit_survey__answered_on__year=year)
    )
    questions = list(
        SurveyQuestion.objects.filter(association=association)
        .exclude(kind=SurveyQuestion.Kind.TEXT)
        .filter(Q(is_active=True) | answered)
        .order_by("sort_order", "id")
    )
    if not questions:
        return SurveyTables(heading, publish_survey_tables(raw)[SURVEYED], [])
    answers = (
        SurveyAnswer.objects.filter(
            question__in=questions,
            exit_survey__answered_on__year=year,
            exit_survey__enrolment__intervention__in=interventions,
        )
        .filter(valid_enrolments("exit_survey__enrolment__"))
        .order_by()
    )
    intervention = "exit_survey__enrolment__intervention_id"
    counts = answers.values("question_id", intervention, "scale_value", "yes_no_value").annotate(
        n=Count("id")
    )
    scale_answers = answers.filter(question__kind=SurveyQuestion.Kind.SCALE)
    row_means = scale_answers.values("question_id", intervention).annotate(mean=Avg("scale_value"))
    all_means = scale_answers.values("question_id").annotate(mean=Avg("scale_value"))

    no_answer = _("Not answered")
    grouped: dict[int, list[dict]] = {}
    for item in counts:
        question_id = item["question_id"]
        columns = answer_columns(next(q for q in questions if q.pk == question_id))
        if item["scale_value"] is not None:
            column = columns[item["scale_value"] - 1]
        elif item["yes_no_value"] is not None:
            column = columns[0] if item["yes_no_value"] else columns[1]
        else:
            continue
        grouped.setdefault(question_id, []).append(
            {"row": item[intervention], "col": column, "n": item["n"]}
        )
    means: dict[int, dict[str, Decimal | None]] = {}
    for item in row_means:
        means.setdefault(item["question_id"], {})[titles[item[intervention]]] = item["mean"]
    for item in all_means:
        means.setdefault(item["question_id"], {})[TOTAL_KEY] = item["mean"]

    for question in questions:
        if question.pk not in grouped:
            continue  # no answers in the year: no table
        table = _counts(
            rows,
            [*answer_columns(question), no_answer],
            grouped[question.pk],
            "row",
            "col",
            titles,
        )
        for title, n in surveys.items():
            table.setdefault(title, dict.fromkeys([*answer_columns(question), no_answer], 0))
            table[title][no_answer] = n - sum(table[title].values())
        raw[question.pk] = {title: table[title] for title in rows if title in table}
    published = publish_survey_tables(raw)
    out = []
    for question in questions:
        table = published.get(question.pk)
        shown = (
            publishable_means(table, means.get(question.pk, {}))
            if table is not None and question.is_scale and not table.withheld
            else {}
        )
        out.append(QuestionStatistics(question=question, table=table, means=shown))
    return SurveyTables(heading, published[SURVEYED], out)
