"""The year's counts read from the summary (models.StatisticsCount) instead of the register.

Two queries for the whole page: the association's rows of the year, and the starts and exits of
the years before it (who was still in an intervention when the year began). The tables are then
built and suppressed exactly as from the live counts (register.build_register_tables,
surveys.build_survey_tables): the same figures, without counting the register on every view.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from finsam.funding.models import Intervention
from finsam.participants.models import FollowUpCode, StatisticsCount
from finsam.participants.statistics.register import (
    EXIT_TABLES,
    EXITED_IN_YEAR,
    ONGOING,
    RegisterCounts,
)
from finsam.participants.statistics.surveys import SurveyCounts

D = StatisticsCount.Dimension


def _code(key: str) -> int | None:
    return int(key) if key else None


def stored_counts(
    *, association, interventions: list[Intervention], year: int, codes: list[FollowUpCode]
) -> tuple[RegisterCounts, SurveyCounts]:
    """The year's register and survey counts from the summary, for these interventions."""
    ids = [i.pk for i in interventions]  # in the page's order: the rows' order
    empty = dict.fromkeys(
        ("started", "exited", "exited_work", "step_known", "step_positive", "surveys", "satisfied"),
        0,
    )
    counts = {pk: dict(empty) for pk in ids}
    rows = [
        row
        for row in StatisticsCount.objects.filter(association=association, year=year)
        .order_by()
        .values_list("intervention_id", "dimension", "key", "key2", "n", "total")
        if row[0] in counts
    ]
    # Still in an intervention at the start of the year: started before it, not yet exited.
    before = {
        (item["intervention_id"], item["dimension"]): item["n"]
        for item in StatisticsCount.objects.filter(
            association=association, year__lt=year, dimension__in=[D.GENDER, D.EXIT_REASON]
        )
        .order_by()
        .values("intervention_id", "dimension")
        .annotate(n=Sum("n"))
    }
    positive = {c.pk for c in codes if c.is_positive}
    gender, age, flow, answers = [], [], [], []
    exits: dict[str, list[dict]] = {field: [] for _n, field, _l in EXIT_TABLES}
    ors: dict[int, tuple[int, Decimal]] = {}
    surveys: dict[int, dict[str, int]] = {}
    for intervention, dimension, key, key2, n, total in rows:
        c = counts[intervention]
        if dimension == D.GENDER:
            gender.append({"intervention_id": intervention, "col": key, "n": n})
            c["started"] += n
        elif dimension == D.AGE:
            age.append({"intervention_id": intervention, "col": key, "n": n})
        elif dimension in exits:
            exits[dimension].append({"intervention_id": intervention, "col": _code(key), "n": n})
            if dimension == D.EXIT_REASON:
                c["exited"] += n
            elif dimension == D.EXIT_OCCUPATION and _code(key) in positive:
                c["exited_work"] += n
            elif dimension == D.STEP_PROGRESS and key:
                c["step_known"] += n
                c["step_positive"] += n if _code(key) in positive else 0
        elif dimension == D.FLOW:
            flow.append({"before": _code(key), "col": _code(key2), "n": n})
        elif dimension == D.ORS:
            ors[intervention] = (n, total if total is not None else Decimal(0))
        elif dimension == D.SURVEY:
            entry = surveys.setdefault(intervention, {"n": 0, "satisfied": 0})
            entry["n"] += n
            entry["satisfied"] += n if key == "1" else 0
            c["surveys"] += n
            c["satisfied"] += n if key == "1" else 0
        elif dimension == D.ANSWER:
            answers.append(
                {"question_id": int(key), "intervention_id": intervention, "value": key2, "n": n}
            )
    status = []
    for pk in ids:
        exited = counts[pk]["exited"]
        started_by_end = before.get((pk, D.GENDER), 0) + counts[pk]["started"]
        exited_by_end = before.get((pk, D.EXIT_REASON), 0) + exited
        status.append({"intervention_id": pk, "col": ONGOING, "n": started_by_end - exited_by_end})
        status.append({"intervention_id": pk, "col": EXITED_IN_YEAR, "n": exited})
    register = RegisterCounts(
        status=status,
        gender=gender,
        age=age,
        exits=exits,
        flow=flow,
        counts=counts,
        ors=ors,
    )
    return register, SurveyCounts(surveys, answers)


def stored_years(*, association) -> list[int]:
    """The years with participations started (voided ones too), and this year, newest first."""
    years = (
        StatisticsCount.objects.filter(association=association, dimension=D.STARTS)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted({*years, timezone.localdate().year}, reverse=True)


def stored_default_year(*, association) -> int:
    """This year if it has participations, else the latest year that has (as the live
    default_statistics_year)."""
    this_year = timezone.localdate().year
    years = [
        y
        for y in StatisticsCount.objects.filter(association=association, dimension=D.STARTS)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    ]
    if this_year in years or not years:
        return this_year
    return max(years)
