"""The register's statistics summary (models.StatisticsCount), rewritten by the services.

Every service that changes a counted fact (a start, an exit and its codes, a session's ORS, an
exit survey and its answers, a correction, an erasure, a code that voids participations) calls
`StatisticsRefresh` in its own transaction: it notes the (intervention, year) slices the
participations touch before the write, and after it recounts those slices from the register with
the same set-based queries the rebuild uses. The summary is never a cache: it is written with
the register or not at all. `rebuild` recounts an association (after bulk loads that bypass the
services), `differences` compares the summary with a fresh count (`--check`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from finsam.funding.models import Intervention
from finsam.participants.models import (
    Enrolment,
    ExitSurvey,
    Session,
    StatisticsCount,
    SurveyAnswer,
    SurveyQuestion,
)

D = StatisticsCount.Dimension
AGE_BANDS = ((16, 19), (20, 24), (25, 29), (30, 49), (50, 64))
OTHER_AGES = "other"
RATING = DecimalField(max_digits=4, decimal_places=1)
SUM = DecimalField(max_digits=12, decimal_places=1)
STEP = Decimal("0.1")

Key = tuple[int, int, int, str, str, str]  # association, intervention, year, dimension, key, key2


def valid_enrolments(prefix: str = "") -> Q:
    """Participations that count: not voided by an exit reason like "felregistrering".
    `prefix` is the path to the enrolment from the queried model ("exit_survey__enrolment__").
    (Here, below the statistics, so that the summary and the live count share the rule.)"""
    return Q(**{f"{prefix}exit_reason__isnull": True}) | Q(
        **{f"{prefix}exit_reason__voids_enrolment": False}
    )


def _id(value) -> str:
    return "" if value is None else str(value)


def age_band_expression() -> Case:
    """The participation's age band at start (\"16–19\" …), OTHER_AGES outside them."""
    whens = [
        When(age_at_start__gte=low, age_at_start__lte=high, then=Value(f"{low}–{high}"))
        for low, high in AGE_BANDS
    ]
    return Case(*whens, default=Value(OTHER_AGES), output_field=CharField())


def count_rows(
    enrolments: Q, years: Iterable[int] | None = None
) -> dict[Key, tuple[int, Decimal | None]]:
    """The summary's rows for the participations `enrolments` selects, in the `years` given
    (every year when None), counted from the register in five grouped queries."""
    years = None if years is None else sorted(set(years))
    rows: dict[Key, list] = {}

    def add(association, intervention, year, dimension, key="", key2="", n=0, total=None):
        row = rows.setdefault((association, intervention, year, dimension, key, key2), [0, None])
        row[0] += n
        if total is not None:
            row[1] = (row[1] or Decimal(0)) + total

    base = Enrolment.objects.filter(enrolments)
    association = "intervention__association_id"
    starts = base.filter(start_date__year__in=years) if years is not None else base
    for item in (
        starts.annotate(
            y=ExtractYear("start_date"),
            band=age_band_expression(),
            valid=Case(
                When(valid_enrolments(), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by()
        .values(association, "intervention_id", "y", "participant__legal_gender", "band", "valid")
        .annotate(n=Count("id"))
    ):
        at = (item[association], item["intervention_id"], item["y"])
        add(*at, D.STARTS, n=item["n"])
        if item["valid"]:
            gender = "F" if item["participant__legal_gender"] == "F" else "M"
            add(*at, D.GENDER, gender, n=item["n"])
            add(*at, D.AGE, item["band"], n=item["n"])
    exits = base.filter(exit_date__isnull=False).filter(valid_enrolments())
    if years is not None:
        exits = exits.filter(exit_date__year__in=years)
    for item in (
        exits.annotate(y=ExtractYear("exit_date"))
        .order_by()
        .values(
            association,
            "intervention_id",
            "y",
            "exit_reason_id",
            "exit_occupation_id",
            "step_progress_id",
            "entry_occupation_id",
        )
        .annotate(n=Count("id"))
    ):
        at, n = (item[association], item["intervention_id"], item["y"]), item["n"]
        add(*at, D.EXIT_REASON, _id(item["exit_reason_id"]), n=n)
        add(*at, D.EXIT_OCCUPATION, _id(item["exit_occupation_id"]), n=n)
        add(*at, D.STEP_PROGRESS, _id(item["step_progress_id"]), n=n)
        flow = (_id(item["entry_occupation_id"]), _id(item["exit_occupation_id"]))
        add(*at, D.FLOW, *flow, n=n)
    rated = Session.objects.filter(enrolment=OuterRef("pk"), ors_total__isnull=False)
    first = rated.order_by("date", "id").values("ors_total")[:1]
    last = rated.order_by("-date", "-id").values("ors_total")[:1]
    n_rated = rated.order_by().values("enrolment").annotate(c=Count("id")).values("c")
    for item in (
        exits.annotate(
            y=ExtractYear("exit_date"),
            n_ors=Subquery(n_rated, output_field=IntegerField()),
            change=ExpressionWrapper(
                Subquery(last, output_field=RATING) - Subquery(first, output_field=RATING),
                output_field=RATING,
            ),
        )
        .filter(n_ors__gte=2)
        .order_by()
        .values(association, "intervention_id", "y")
        .annotate(n=Count("id"), total=Sum("change", output_field=SUM))
    ):
        total = Decimal(str(item["total"] or 0)).quantize(STEP, ROUND_HALF_UP)
        add(item[association], item["intervention_id"], item["y"], D.ORS, n=item["n"], total=total)
    surveys = ExitSurvey.objects.filter(
        enrolment__in=base.filter(valid_enrolments()).values("pk"), answered_on__isnull=False
    )
    if years is not None:
        surveys = surveys.filter(answered_on__year__in=years)
    intervention = "enrolment__intervention_id"
    for item in (
        surveys.annotate(y=ExtractYear("answered_on"))
        .order_by()
        .values(f"enrolment__{association}", intervention, "y", "satisfied")
        .annotate(n=Count("id"))
    ):
        at = (item[f"enrolment__{association}"], item[intervention], item["y"])
        add(*at, D.SURVEY, "1" if item["satisfied"] else "0", n=item["n"])
    answers = SurveyAnswer.objects.filter(exit_survey__in=surveys.values("pk")).exclude(
        question__kind=SurveyQuestion.Kind.TEXT
    )
    for item in (
        answers.annotate(y=ExtractYear("exit_survey__answered_on"))
        .order_by()
        .values(
            f"exit_survey__enrolment__{association}",
            f"exit_survey__{intervention}",
            "y",
            "question_id",
            "scale_value",
            "yes_no_value",
        )
        .annotate(n=Count("id"))
    ):
        if item["scale_value"] is not None:
            value = f"s{item['scale_value']}"
        elif item["yes_no_value"] is not None:
            value = "yes" if item["yes_no_value"] else "no"
        else:
            continue
        at = (
            item[f"exit_survey__enrolment__{association}"],
            item[f"exit_survey__{intervention}"],
            item["y"],
        )
        add(*at, D.ANSWER, str(item["question_id"]), value, n=item["n"])
    return {key: (n, total) for key, (n, total) in rows.items() if n}


def _write(rows: dict[Key, tuple[int, Decimal | None]]) -> None:
    StatisticsCount.objects.bulk_create(
        [
            StatisticsCount(
                association_id=a,
                intervention_id=i,
                year=y,
                dimension=d,
                key=k,
                key2=k2,
                n=n,
                total=total,
            )
            for (a, i, y, d, k, k2), (n, total) in rows.items()
        ],
        batch_size=1000,
    )


def _slices(enrolment_ids: Iterable[int]) -> set[tuple[int, int]]:
    """The (intervention, year) slices that the participations count in: their start, their
    exit and their exit survey."""
    ids = [pk for pk in enrolment_ids if pk is not None]
    if not ids:
        return set()
    out = set()
    for intervention, *dates in Enrolment.objects.filter(pk__in=ids).values_list(
        "intervention_id", "start_date", "exit_date", "exit_survey__answered_on"
    ):
        out |= {(intervention, day.year) for day in dates if day is not None}
    return out


def refresh(slices: Iterable[tuple[int, int]]) -> None:
    """Recount the summary for these (intervention, year) slices (every pair of their
    interventions and years), in the caller's transaction. The interventions' rows are locked
    first, so two writes to one intervention recount one after the other."""
    slices = set(slices)
    if not slices:
        return
    interventions = sorted({i for i, _y in slices})
    years = sorted({y for _i, y in slices})
    with transaction.atomic():
        list(
            Intervention.objects.select_for_update()
            .filter(pk__in=interventions)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows = count_rows(Q(intervention_id__in=interventions), years)
        StatisticsCount.objects.filter(intervention_id__in=interventions, year__in=years).delete()
        _write(rows)


class StatisticsRefresh:
    """Create before a write (it reads the participations' slices as stored), call `done()`
    after it: the summary is recounted for the slices before and after the write."""

    def __init__(self, enrolments: Iterable = ()):
        self.ids = {e.pk for e in enrolments if e.pk is not None}
        self.before = _slices(self.ids)

    def done(self, enrolments: Iterable = ()) -> None:
        self.ids |= {e.pk for e in enrolments if e.pk is not None}
        refresh(self.before | _slices(self.ids))


def refresh_for(enrolments: Iterable) -> None:
    """After creating participations: count them in."""
    StatisticsRefresh().done(enrolments)


def _scope(association=None) -> Q:
    return Q(intervention__association=association) if association is not None else Q()


def stored_rows(association=None) -> dict[Key, tuple[int, Decimal | None]]:
    qs = StatisticsCount.objects.all()
    if association is not None:
        qs = qs.filter(association=association)
    return {
        (r.association_id, r.intervention_id, r.year, r.dimension, r.key, r.key2): (
            r.n,
            r.total,
        )
        for r in qs
    }


@transaction.atomic
def rebuild(association=None) -> int:
    """Recount the whole summary of an association (every association when None) from the
    register. Returns the number of rows written."""
    interventions = Intervention.objects.all()
    if association is not None:
        interventions = interventions.filter(association=association)
    list(interventions.select_for_update().order_by("pk").values_list("pk", flat=True))
    rows = count_rows(_scope(association))
    stale = StatisticsCount.objects.all()
    if association is not None:
        stale = stale.filter(association=association)
    stale.delete()
    _write(rows)
    return len(rows)


def differences(association=None) -> list[tuple[Key, tuple | None, tuple | None]]:
    """[(key, stored, counted)] wherever the summary differs from a fresh count."""
    counted = count_rows(_scope(association))
    stored = stored_rows(association)
    return [
        (key, stored.get(key), counted.get(key))
        for key in sorted(set(counted) | set(stored), key=str)
        if stored.get(key) != counted.get(key)
    ]
