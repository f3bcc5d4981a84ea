"""The association's own survey questions, aggregated and suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
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


@dataclass(frozen=True)
class SurveyCounts:
    """The year's exit surveys as counts, live or from the summary: per intervention the surveys
    and the satisfied among them, and the answers per question, intervention and value ("s1"–"s5"
    for a scale, "yes" or "no")."""

    surveys: dict[int, dict[str, int]]  # intervention id -> {"n", "satisfied"}
    answers: list[dict]  # {"question_id", "intervention_id", "value", "n"}


def survey_tables(*, association, interventions: list[Intervention], year: int) -> SurveyTables:
    """Per scale or yes/no question (active, or retired with answers in the year): the answers of
    the year's exit surveys per intervention, counted in the database, with a column for the
    surveys that did not answer it. Free-text answers are personal data and never counted here.
    Counted live: the reference that the summary must equal."""
    questions = counted_questions(association=association, year=year)
    counts = live_survey_counts(interventions=interventions, questions=questions, year=year)
    return build_survey_tables(interventions=interventions, questions=questions, counts=counts)


def counted_questions(*, association, year: int) -> list[SurveyQuestion]:
    """The scale and yes/no questions in use, and the retired ones answered in the year."""
    answered = Exists(
        SurveyAnswer.objects.filter(question=OuterRef("pk"), exit_survey__answered_on__year=year)
    )
    return list(
        SurveyQuestion.objects.filter(association=association)
        .exclude(kind=SurveyQuestion.Kind.TEXT)
        .filter(Q(is_active=True) | answered)
        .order_by("sort_order", "id")
    )


def live_survey_counts(
    *, interventions: list[Intervention], questions: list[SurveyQuestion], year: int
) -> SurveyCounts:
    per_intervention = (
        ExitSurvey.objects.filter(enrolment__intervention__in=interventions, answered_on__year=year)
        .filter(valid_enrolments("enrolment__"))
        .order_by()
        .values("enrolment__intervention_id")
        .annotate(n=Count("id"), satisfied=Count("id", filter=Q(satisfied=True)))
    )
    surveys = {
        item["enrolment__intervention_id"]: {"n": item["n"], "satisfied": item["satisfied"]}
        for item in per_intervention
    }
    if not questions:
        return SurveyCounts(surveys, [])
    intervention = "exit_survey__enrolment__intervention_id"
    counts = (
        SurveyAnswer.objects.filter(
            question__in=questions,
            exit_survey__answered_on__year=year,
            exit_survey__enrolment__intervention__in=interventions,
        )
        .filter(valid_enrolments("exit_survey__enrolment__"))
        .order_by()
        .values("question_id", intervention, "scale_value", "yes_no_value")
        .annotate(n=Count("id"))
    )
    answers = []
    for item in counts:
        if item["scale_value"] is not None:
            value = f"s{item['scale_value']}"
        elif item["yes_no_value"] is not None:
            value = "yes" if item["yes_no_value"] else "no"
        else:
            continue
        answers.append(
            {
                "question_id": item["question_id"],
                "intervention_id": item[intervention],
                "value": value,
                "n": item["n"],
            }
        )
    return SurveyCounts(surveys, answers)


def build_survey_tables(
    *,
    interventions: list[Intervention],
    questions: list[SurveyQuestion],
    counts: SurveyCounts,
) -> SurveyTables:
    """The survey tables from the year's counts, suppressed together; a scale's means worked
    out exactly from the counted answers."""
    titles = {i.pk: i.title for i in interventions}
    rows = [i.title for i in interventions]
    satisfied_label, unsatisfied_label = _("Satisfied"), _("Not satisfied")
    by_title: dict[str, dict[str, int]] = {}
    for pk, item in counts.surveys.items():
        if pk in titles and item["n"]:
            entry = by_title.setdefault(titles[pk], {"n": 0, "satisfied": 0})
            entry["n"] += item["n"]
            entry["satisfied"] += item["satisfied"]
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
    if not questions:
        return SurveyTables(heading, publish_survey_tables(raw)[SURVEYED], [])
    by_pk = {q.pk: q for q in questions}
    no_answer = _("Not answered")
    grouped: dict[int, list[dict]] = {}
    sums: dict[int, dict[object, list[int]]] = {}  # scale: [sum, count] per title and TOTAL_KEY
    for item in counts.answers:
        question = by_pk.get(item["question_id"])
        if question is None or item["intervention_id"] not in titles or not item["n"]:
            continue
        columns = answer_columns(question)
        value = item["value"]
        if value.startswith("s"):
            column = columns[int(value[1:]) - 1]
            title = titles[item["intervention_id"]]
            for key in (title, TOTAL_KEY):
                total = sums.setdefault(question.pk, {}).setdefault(key, [0, 0])
                total[0] += int(value[1:]) * item["n"]
                total[1] += item["n"]
        else:
            column = columns[0] if value == "yes" else columns[1]
        grouped.setdefault(question.pk, []).append(
            {"row": item["intervention_id"], "col": column, "n": item["n"]}
        )
    means = {
        pk: {key: Decimal(total) / count for key, (total, count) in by_key.items()}
        for pk, by_key in sums.items()
    }
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
