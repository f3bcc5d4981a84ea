"""The shapes others ask for: Uppföljning Finsam (per intervention and calendar year) and the
national indicator network (results per indicator and year). Documented field by field in
docs/uppfoljning-finsam.md and docs/insights.md; the column names here are the files' headers.

Every figure is read through the owning app: interventions and grants through funding's
selectors, the budget and the actual from the ledger through economy's `intervention_ledgers`
(the follow-up of the year's counting budget), indicator results through finsam.indicators.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db.models import OuterRef, Q, Sum
from django.utils import timezone

from finsam.core.actors import is_system
from finsam.core.exports import csv_writer, xlsx_response
from finsam.economy import selectors as economy_selectors
from finsam.economy.models import Budget
from finsam.funding import selectors as funding_selectors
from finsam.funding.models import Grant, Intervention, InterventionGoal, Requisition
from finsam.funding.models.applications import GoalMeasure
from finsam.funding.models.terms import InterventionKind
from finsam.funding.selectors import _sum
from finsam.indicators import results as indicator_results
from finsam.indicators import selectors as indicator_selectors

# Kind codes in the file: short Swedish words, stable whatever the UI language.
KIND_CODES = {
    InterventionKind.INDIVIDUAL: "individ",
    InterventionKind.STRUCTURAL: "struktur",
    InterventionKind.PROCESS_SUPPORT: "processtod",
    InterventionKind.COLLABORATION_SUPPORT: "samverkansstod",
}

UPPFOLJNING_COLUMNS = [
    "forbund_org_nr",
    "forbund",
    "ar",
    "insats_id",
    "insats",
    "projektagare",
    "startdatum",
    "slutdatum",
    *[f"andel_{code}_procent" for code in KIND_CODES.values()],
    "malgrupp",
    "alder_fran",
    "alder_till",
    "planerat_antal_deltagare",
    "beviljat_kr",
    "utbetalt_kr",
    "budget_kr",
    "utfall_kr",
]
# Zero-based indexes of the amounts (number format in XLSX).
UPPFOLJNING_MONEY = [UPPFOLJNING_COLUMNS.index(c) for c in UPPFOLJNING_COLUMNS if c.endswith("_kr")]


def _ore(amount: Decimal) -> Decimal:
    """An amount with its two decimals, the same from every database."""
    return Decimal(amount).quantize(Decimal("0.01"))


def _cutoff(year: int, today: dt.date) -> dt.date:
    """The ledger's actual runs to the end of the year, or to today in the current year."""
    return min(dt.date(year, 12, 31), today) if year <= today.year else dt.date(year, 12, 31)


def _interventions(user, association):
    """Through funding's selector; a management command (SYSTEM) reads the association's all."""
    if is_system(user):
        return Intervention.objects.filter(association=association).prefetch_related("kind_shares")
    return funding_selectors.interventions(user=user, association=association)


def _ledgers(user, association, cutoff: dt.date) -> dict[int, dict]:
    """Budget and actual per intervention from economy; a management command (SYSTEM) reads the
    year's counting budget as `export_follow_up` does."""
    if is_system(user):
        budgets = Budget.objects.filter(association=association)
        budget = economy_selectors.counting_budget(budgets, year=cutoff.year).budget
        return economy_selectors.budget_intervention_ledgers(budget=budget, cutoff=cutoff)
    return economy_selectors.intervention_ledgers(user=user, association=association, cutoff=cutoff)


def uppfoljning_rows(*, user, association, year: int, today: dt.date | None = None) -> list[list]:
    """One row per intervention that runs in `year` or has granted funds for it, in the order of
    UPPFOLJNING_COLUMNS. Budget and actual are blank when the year has no counting budget or the
    intervention has no budget line (economy), or the user cannot read the budget."""
    today = today or timezone.localdate()
    year_grants = Grant.objects.filter(
        intervention=OuterRef("pk"), year=year, withdrawn_by__isnull=True
    )
    paid = Requisition.objects.filter(
        grant__intervention=OuterRef("pk"),
        grant__year=year,
        grant__withdrawn_by__isnull=True,
        status=Requisition.Status.PAID,
    )
    runs = Q(period_start__year__lte=year) & (
        Q(period_end__isnull=True) | Q(period_end__year__gte=year)
    )
    interventions = list(
        _interventions(user, association)
        .annotate(
            granted_year=_sum(year_grants, "intervention"),
            paid_year=_sum(paid, "grant__intervention"),
        )
        .filter(runs | Q(grants__year=year, grants__withdrawn_by__isnull=True))
        .distinct()
        .order_by("title", "pk")
    )
    planned = dict(
        InterventionGoal.objects.filter(
            intervention__in=[i.pk for i in interventions], measure=GoalMeasure.PARTICIPANTS
        )
        .order_by()
        .values("intervention")
        .annotate(total=Sum("measure_target"))
        .values_list("intervention", "total")
    )
    ledgers = _ledgers(user, association, _cutoff(year, today))
    rows = []
    for i in interventions:
        shares = {s.kind: s.percent for s in i.kind_shares.all()}
        ledger = ledgers.get(i.pk)
        target = planned.get(i.pk)
        rows.append(
            [
                association.org_number,
                association.name,
                year,
                i.pk,
                i.title,
                i.owner,
                i.period_start,
                i.period_end,
                *[shares.get(kind, 0) for kind in KIND_CODES],
                i.target_group,
                i.age_from,
                i.age_to,
                int(target) if target is not None else None,
                _ore(i.granted_year),
                _ore(i.paid_year),
                _ore(ledger["budget"]) if ledger else None,
                _ore(ledger["actual"]) if ledger else None,
            ]
        )
    return rows


INDICATOR_COLUMNS = [
    "forbund_org_nr",
    "forbund",
    "ar",
    "respondentgrupp",
    "indikator_kod",
    "indikator",
    "svarande",
    "medelvarde",
]
SUPPRESSED = "<5"


def indicator_rows(*, user, association, year: int) -> list[list]:
    """One row per respondent group and indicator of the year's results, as the indicator
    results page shows them: the mean is `<5` when fewer than five responded."""
    campaigns = list(indicator_selectors.campaigns(user=user, association=association, year=year))
    groups = indicator_results.year_results(association=association, campaigns=campaigns, year=year)
    rows = []
    for group in groups:
        for row in group.rows:
            fig = row.this_year
            mean = fig.mean if fig.mean is not None else (SUPPRESSED if fig.suppressed else None)
            rows.append(
                [
                    association.org_number,
                    association.name,
                    year,
                    group.group,
                    row.code,
                    row.name,
                    fig.respondents,
                    mean,
                ]
            )
    return rows


# --- files --------------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_text(headers: list[str], rows: list[list]) -> str:
    """UTF-8 text with the byte-order mark Excel needs, semicolons, decimal commas, ISO dates."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(headers)
    writer.writerows([[_csv_value(v) for v in row] for row in rows])
    return out.getvalue()


def xlsx_bytes(*, title: str, headers: list[str], rows: list[list], money=()) -> bytes:
    return xlsx_response(
        filename="x.xlsx", title=title, headers=headers, rows=rows, money_columns=money
    ).content


def uppfoljning_file(*, user, association, year: int, fmt: str) -> bytes:
    rows = uppfoljning_rows(user=user, association=association, year=year)
    if fmt == "csv":
        return csv_text(UPPFOLJNING_COLUMNS, rows).encode("utf-8")
    return xlsx_bytes(
        title=f"Uppföljning Finsam {year}",
        headers=UPPFOLJNING_COLUMNS,
        rows=rows,
        money=UPPFOLJNING_MONEY,
    )


def indicator_file(*, user, association, year: int, fmt: str) -> bytes:
    rows = indicator_rows(user=user, association=association, year=year)
    if fmt == "csv":
        return csv_text(INDICATOR_COLUMNS, rows).encode("utf-8")
    return xlsx_bytes(title=f"Indikatorer {year}", headers=INDICATOR_COLUMNS, rows=rows)
