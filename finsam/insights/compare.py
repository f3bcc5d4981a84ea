"""Compare across associations: the same key figures side by side, and rolled up per county.

Read for many associations at once, set-based: money per kind, indicator results and goal
attainment are one grouped query each for all the associations. Participants and exits to work
or studies are the register's published (small-cell suppressed) tables of each association —
the figures its own statistics page shows — never a raw count; a county's sum is shown only when
every one of its associations' figures is published (else a hidden figure could be worked out).

Nothing personal: money, published counts, indicator means of at least five respondents, and
the number of the association's own goals that the office assessed as met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from finsam.core.money import ZERO, round_ore
from finsam.funding.models import Grant
from finsam.funding.models.terms import InterventionKind
from finsam.goals.models import Assessment, Goal, Period
from finsam.indicators import rules as indicator_rules
from finsam.indicators.models import Answer, Indicator
from finsam.participants import statistics as register_statistics
from finsam.participants.models import Enrolment
from finsam.participants.statistics.suppression import (
    SECONDARY_MARKER,
    TOTAL,
    primary_marker,
    published_value,
)

UNSPECIFIED = "unspecified"
KINDS = [*InterventionKind.values, UNSPECIFIED]
HUNDRED = Decimal(100)


@dataclass
class KeyFigures:
    label: str
    county: str = ""
    slug: str = ""
    money: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))
    participants: int | str = 0
    exits_to_work: int | str = 0
    indicators: dict[str, Decimal | str] = field(default_factory=dict)
    goals: int = 0
    goals_assessed: int = 0
    goals_met: int = 0

    @property
    def money_total(self) -> Decimal:
        return sum(self.money.values(), ZERO)

    def money_row(self) -> list[Decimal]:
        return [self.money[k] for k in KINDS]


@dataclass
class Comparison:
    year: int
    associations: list[KeyFigures]
    counties: list[KeyFigures]
    indicators: list[tuple[str, str]]  # (code, name) of the indicators with results

    @property
    def kind_labels(self) -> list[str]:
        return [*[str(label) for label in InterventionKind.labels], _("Type not given")]


def compare(*, associations, year: int) -> Comparison:
    """Key figures of `associations` (a list the caller may show) for `year`."""
    associations = list(associations)
    ids = [a.pk for a in associations]
    rows = {a.pk: KeyFigures(label=a.name, county=a.county, slug=a.slug) for a in associations}
    _money(rows, ids, year)
    with_participants = _with_participants(ids, year)
    for association in associations:
        if association.pk in with_participants:
            _register(rows[association.pk], association, year)
    codes = _indicators(rows, ids, year)
    _goals(rows, ids, year)
    return Comparison(
        year=year,
        associations=list(rows.values()),
        counties=_counties(rows.values(), ids, year),
        indicators=codes,
    )


def _money(rows: dict[int, KeyFigures], ids: list[int], year: int) -> None:
    """Granted funds of the year (not withdrawn) split by the interventions' kind shares."""
    money = DecimalField(max_digits=20, decimal_places=4)
    grouped = (
        Grant.objects.filter(
            intervention__association__in=ids, year=year, withdrawn_by__isnull=True
        )
        .values("intervention__association_id", "intervention__kind_shares__kind")
        .annotate(
            total=Sum(
                F("amount") * Coalesce(F("intervention__kind_shares__percent"), Value(100)),
                output_field=money,
            )
        )
        .order_by()
    )
    for item in grouped:
        kind = item["intervention__kind_shares__kind"] or UNSPECIFIED
        share = round_ore(Decimal(item["total"] or 0) / HUNDRED)
        rows[item["intervention__association_id"]].money[kind] += share


def _with_participants(ids: list[int], year: int) -> set[int]:
    """The associations with a participation during the year, in one query. The others' published
    tables hold only zeros, so their figures stay 0 without reading them."""
    active = (
        Enrolment.objects.filter(intervention__association__in=ids)
        .filter(register_statistics.valid_enrolments())
        .filter(start_date__lte=dt.date(year, 12, 31))
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=dt.date(year, 1, 1)))
    )
    return set(active.values_list("intervention__association_id", flat=True).distinct())


def _register(row: KeyFigures, association, year: int) -> None:
    """Participants during the year and exits to work or studies, as the association's own
    statistics publish them (the register's published tables for the year)."""
    interventions = register_statistics.register_interventions(association=association)
    tables = register_statistics.register_tables(
        association=association, interventions=interventions, year=year
    )
    status = tables.published.get(register_statistics.STATUS)
    row.participants = published_value(status, TOTAL, TOTAL) if status else 0
    exits = tables.published.get(register_statistics.EXIT_OCCUPATION)
    if exits is None:
        row.exits_to_work = 0
        return
    values = [
        published_value(exits, TOTAL, label) for label in tables.labels["positive_occupations"]
    ]
    row.exits_to_work = _sum_published(values)


def _sum_published(values: list) -> int | str:
    """The sum of published figures; hidden when any of them is hidden (`<5` stays `<5` when it is
    the only non-zero part)."""
    if all(isinstance(v, int) for v in values):
        return sum(values)
    hidden = [v for v in values if not isinstance(v, int)]
    if len(hidden) == 1 and all(v == 0 for v in values if isinstance(v, int)):
        return hidden[0]
    return SECONDARY_MARKER


def _means(grouped, key: str) -> dict:
    result: dict = {}
    for item in grouped:
        n = item["n"]
        if not n:
            continue
        if indicator_rules.suppressed(item["respondents"]):
            value: Decimal | str = primary_marker(indicator_rules.MIN_RESPONDENTS)
        else:
            value = indicator_rules.rounded(Decimal(item["total"]) / Decimal(n))
        result.setdefault(item[key], {})[item["item__indicator__code"]] = value
    return result


def _answers(ids: list[int], year: int, key: str):
    return (
        Answer.objects.filter(
            response__campaign__association__in=ids, response__campaign__year=year
        )
        .values(key, "item__indicator__code")
        .annotate(respondents=Count("response", distinct=True), total=Sum("value"), n=Count("id"))
        .order_by()
    )


def _indicators(rows: dict[int, KeyFigures], ids: list[int], year: int) -> list[tuple[str, str]]:
    """Per indicator the mean of every answer of the year (all respondent groups), shown only
    from at least five respondents (the indicators' own rule)."""
    key = "response__campaign__association_id"
    means = _means(_answers(ids, year, key), key)
    for pk, values in means.items():
        rows[pk].indicators = values
    codes = sorted({code for values in means.values() for code in values})
    names: dict[str, str] = {}
    for code, name in (
        Indicator.objects.filter(code__in=codes).order_by("id").values_list("code", "name")
    ):
        names.setdefault(code, name)
    order = {c: i for i, c in enumerate(codes)}
    return sorted(((c, names.get(c, c)) for c in codes), key=lambda cn: _code_key(cn[0], order))


def _code_key(code: str, order: dict[str, int]):
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 10**6, order[code])


def _goals(rows: dict[int, KeyFigures], ids: list[int], year: int) -> None:
    """The association's own goals of the year and the office's full-year assessments."""
    year_q = Q(assessments__period=Period.YEAR)
    grouped = (
        Goal.objects.filter(area__association__in=ids, area__year=year)
        .values("area__association_id")
        .annotate(
            goals=Count("id", distinct=True),
            assessed=Count("assessments", filter=year_q),
            met=Count(
                "assessments", filter=year_q & Q(assessments__verdict=Assessment.Verdict.MET)
            ),
        )
        .order_by()
    )
    for item in grouped:
        row = rows[item["area__association_id"]]
        row.goals, row.goals_assessed, row.goals_met = item["goals"], item["assessed"], item["met"]


def _counties(rows, ids: list[int], year: int) -> list[KeyFigures]:
    by_county: dict[str, list[KeyFigures]] = {}
    for row in rows:
        by_county.setdefault(row.county or _("County not given"), []).append(row)
    key = "response__campaign__association__county"
    means = _means(_answers(ids, year, key), key)
    counties = []
    for county in sorted(by_county):
        members = by_county[county]
        total = KeyFigures(label=county, county=county)
        for m in members:
            for kind in KINDS:
                total.money[kind] += m.money[kind]
            total.goals += m.goals
            total.goals_assessed += m.goals_assessed
            total.goals_met += m.goals_met
        total.participants = _county_sum([m.participants for m in members])
        total.exits_to_work = _county_sum([m.exits_to_work for m in members])
        stored = county if county != _("County not given") else ""
        total.indicators = means.get(stored, {})
        counties.append(total)
    return counties


def _county_sum(values: list) -> int | str:
    """A county's sum only when every association's figure is published."""
    if all(isinstance(v, int) for v in values):
        return sum(values)
    return SECONDARY_MARKER
