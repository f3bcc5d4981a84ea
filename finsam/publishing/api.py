"""The open API (django-ninja): the public catalogue, results and decisions without login; an
association's non-public aggregates (budget, follow-up, goal attainment) with its token.

Never participant-level data: results are the snapshot the office published (suppressed as the
register's statistics), and the aggregates are the same the office's pages show, read through
economy's and goals' selectors as the office user who created the token."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle
from pydantic import Field

from finsam.economy import selectors as economy_selectors
from finsam.goals import measuring
from finsam.goals import selectors as goal_selectors
from finsam.goals.models import Period
from finsam.publishing import public, selectors, services
from finsam.publishing.models import TargetGroup

ANON_RATE = "60/m"
TOKEN_RATE = "120/m"
MAX_LIMIT = 100


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fsm_…`: an active token; the request then reads as its creator."""

    def authenticate(self, request, token: str):
        found = selectors.token_for(token)
        if found is None or found.created_by is None or not found.created_by.is_active:
            return None
        services.token_touch(token=found)
        return found


api = NinjaAPI(
    title="Finsam open API",
    version="1",
    description=(
        "Public data of the coordination associations (samordningsförbund) that publish it, "
        "and — with an association's token — its budget, follow-up and goal attainment. "
        "Aggregates only, never data about one person."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the docs UI loads scripts from a CDN; the schema is enough
    throttle=[AnonRateThrottle(ANON_RATE), AuthRateThrottle(TOKEN_RATE)],
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(
        request,
        {"detail": "The token's creator may no longer read this."},
        status=403,
    )


# --- schemas -------------------------------------------------------------------------------------


class AssociationOut(Schema):
    slug: str
    name: str


class EntryOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    summary: str
    target_group: str
    target_group_label: str
    target_group_description: str
    age_from: int | None
    age_to: int | None
    municipalities: list[str]
    referrers: list[str]
    referrer_labels: list[str]
    purpose: str
    owner: str
    period_start: str | None
    period_end: str | None
    activity_date: str | None
    how_to_apply: str
    contact_name: str
    contact_email: str
    published_at: str | None
    review_by: str | None
    review_overdue: bool
    path: str


class GoalFigureOut(Schema):
    goal: str
    target: str
    value: str | None = Field(description="A number, '–' when hidden, null when nothing to measure")
    unit: str


class ResultOut(Schema):
    entry_id: int
    intervention: str
    year: int
    started: int | str | None = Field(description="A count, or '<5' / '–' when suppressed")
    exited: int | str | None
    satisfied_percent: str | None
    step_progress_percent: str | None
    work_or_studies_percent: str | None
    goals: list[GoalFigureOut]


class AmountOut(Schema):
    year: int
    amount: str


class DecisionOut(Schema):
    intervention_id: int | None
    intervention: str
    meeting_date: str
    paragraph: str
    decision: str
    amounts: list[AmountOut]


class CallOut(Schema):
    title: str
    description: str
    opens_on: str
    closes_on: str
    funds_available: str


class Paging(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class CatalogueFilters(Paging):
    q: str = Field("", max_length=100)
    kind: str = ""
    target_group: str = ""
    municipality: str = Field("", description="A municipality's name")
    age: int | None = Field(None, ge=0, le=120)
    referrer: str = ""


class EntryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EntryOut]


class ResultPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ResultOut]


class DecisionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DecisionOut]


class BudgetLineOut(Schema):
    statement: str
    label: str
    role: str
    values: dict[str, str | None]


class BudgetOut(Schema):
    year: int
    title: str
    status: str
    only_drafts: bool
    columns: list[str]
    lines: list[BudgetLineOut]


class FollowUpRowOut(Schema):
    label: str
    is_income: bool
    budget: str
    actual: str
    forecast: str


class FollowUpOut(Schema):
    cutoff: str
    year: int
    has_actuals: bool
    income: list[FollowUpRowOut]
    costs: list[FollowUpRowOut]
    by_intervention: list[FollowUpRowOut]


class MeasureOut(Schema):
    kind: str
    target: str | None
    value: str | None
    status: str


class GoalOut(Schema):
    area: str
    goal: str
    status: str
    measures: list[MeasureOut]


class GoalAttainmentOut(Schema):
    year: int
    period: str
    goals: list[GoalOut]


# --- public ------------------------------------------------------------------------------------


def _page(items: list, paging: Paging) -> dict:
    return {
        "count": len(items),
        "limit": paging.limit,
        "offset": paging.offset,
        "items": items[paging.offset : paging.offset + paging.limit],
    }


def _association(slug: str):
    try:
        return selectors.public_association(slug=slug)
    except Http404 as error:
        raise HttpError(404, "No association publishes data under this name.") from error


@api.get("/associations", response=list[AssociationOut], tags=["public"])
def associations(request):
    """The associations that publish their catalogue."""
    return [{"slug": a.slug, "name": a.name} for a in selectors.public_associations()]


@api.get("/associations/{slug}/catalogue", response=EntryPage, tags=["public"])
def catalogue(request, slug: str, filters: Query[CatalogueFilters]):
    """Published catalogue entries, filtered by the facets and paged."""
    association = _association(slug)
    municipality = None
    if filters.municipality:
        found = selectors.municipalities(association=association).filter(
            name__iexact=filters.municipality
        )
        municipality = found.first().pk if found.exists() else -1
    if filters.target_group and filters.target_group not in TargetGroup.values:
        raise HttpError(422, "Unknown target group.")
    if filters.referrer and filters.referrer not in public.REFERRER_FIELD_BY_CODE:
        raise HttpError(422, "Unknown referrer.")
    if filters.kind and filters.kind not in dict(public.kind_choices()):
        raise HttpError(422, "Unknown kind.")
    facets = selectors.Facets(
        municipality=municipality,
        target_group=filters.target_group,
        age=filters.age,
        kind=filters.kind,
        referrer=public.REFERRER_FIELD_BY_CODE.get(filters.referrer, ""),
        text=filters.q.strip(),
    )
    today = timezone.localdate()
    found = selectors.published_entries(association=association, facets=facets)
    entries = list(found[filters.offset : filters.offset + filters.limit])
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": public.entries_data(entries, today=today),
    }


@api.get("/associations/{slug}/catalogue/{entry_id}", response=EntryOut, tags=["public"])
def catalogue_entry(request, slug: str, entry_id: int):
    association = _association(slug)
    try:
        entry = selectors.published_entry(association=association, pk=entry_id)
    except Http404 as error:
        raise HttpError(404, "No published entry with this id.") from error
    return public.entry_data(entry, today=timezone.localdate())


class ResultFilters(Paging):
    year: int | None = Field(None, ge=2000, le=2100)


@api.get("/associations/{slug}/results", response=ResultPage, tags=["public"])
def results(request, slug: str, filters: Query[ResultFilters]):
    """Published results per intervention and year (small cells suppressed)."""
    association = _association(slug)
    rows = public.result_rows(selectors.published_entries(association=association))
    if filters.year:
        rows = [r for r in rows if r["year"] == filters.year]
    return _page(rows, filters)


@api.get("/associations/{slug}/decisions", response=DecisionPage, tags=["public"])
def decisions(request, slug: str, paging: Query[Paging]):
    """The board's decisions on published interventions, once the meeting has been held."""
    association = _association(slug)
    rows = [public.decision_data(d) for d in selectors.published_decisions(association=association)]
    return _page(rows, paging)


@api.get("/associations/{slug}/calls", response=list[CallOut], tags=["public"])
def calls(request, slug: str):
    """Calls for applications open today."""
    association = _association(slug)
    return [public.call_data(c) for c in selectors.open_calls(association=association)]


class YearQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)


class DateQuery(Schema):
    date: dt.date = Field(..., description="The cut-off date, YYYY-MM-DD")


# --- with the association's token ----------------------------------------------------------------


def _token_association(request, slug: str):
    token = request.auth
    if token.association.slug != slug:
        raise HttpError(403, "The token belongs to another association.")
    return token.association, token.created_by


def _money(value) -> str | None:
    return None if value is None else str(value)


@api.get("/associations/{slug}/budget", response=BudgetOut, auth=TokenAuth(), tags=["token"])
def budget(request, slug: str, params: Query[YearQuery]):
    """The budget that counts for the year (the adopted one, else the newest draft)."""
    association, user = _token_association(request, slug)
    year = params.year
    choice = economy_selectors.budget_counting(user=user, association=association, year=year)
    if choice.budget is None:
        raise HttpError(404, "The association has no budget for this year.")
    view = economy_selectors.budget_view(budget=choice.budget)
    return {
        "year": year,
        "title": choice.budget.title,
        "status": choice.budget.status,
        "only_drafts": choice.only_drafts,
        "columns": [c.label for c in view.columns],
        "lines": [
            {
                "statement": line.statement,
                "label": line.label,
                "role": line.role,
                "values": {c.label: _money(view.value(line, c)) for c in view.columns},
            }
            for line in view.lines
        ],
    }


def _row(r) -> dict:
    return {
        "label": r.label,
        "is_income": r.is_income,
        "budget": str(r.budget),
        "actual": str(r.actual),
        "forecast": str(r.forecast),
    }


@api.get("/associations/{slug}/follow-up", response=FollowUpOut, auth=TokenAuth(), tags=["token"])
def follow_up(request, slug: str, params: Query[DateQuery]):
    """The board's follow-up table at a cut-off date, for the year's counting budget."""
    association, user = _token_association(request, slug)
    date = params.date
    if not dt.date(2000, 1, 1) <= date <= dt.date(2100, 12, 31):
        raise HttpError(422, "The date must lie in 2000–2100.")
    choice = economy_selectors.budget_counting(user=user, association=association, year=date.year)
    if choice.budget is None:
        raise HttpError(404, "The association has no budget for this year.")
    table = economy_selectors.follow_up(
        user=user, association=association, budget=choice.budget, cutoff=date
    )
    return {
        "cutoff": table.cutoff.isoformat(),
        "year": table.year,
        "has_actuals": table.has_actuals,
        "income": [_row(r) for r in table.income],
        "costs": [_row(r) for r in table.costs],
        "by_intervention": [_row(r) for r in table.by_intervention],
    }


@api.get(
    "/associations/{slug}/goal-attainment",
    response=GoalAttainmentOut,
    auth=TokenAuth(),
    tags=["token"],
)
def goal_attainment(request, slug: str, params: Query[YearQuery]):
    """The year's goals with their live attainment, as the goals page measures them."""
    association, user = _token_association(request, slug)
    year = params.year
    areas = goal_selectors.goals_for_year(user=user, association=association, year=year)
    goals = []
    for area, items in areas:
        for result in measuring.measure_goals(
            user=user, association=association, goals=items, year=year, period=Period.YEAR
        ):
            goals.append(
                {
                    "area": area.name,
                    "goal": result.goal.text,
                    "status": result.status,
                    "measures": [
                        {
                            "kind": m.measure.kind,
                            "target": _money(m.measure.target),
                            "value": None if m.figure.hidden else _money(m.figure.value),
                            "status": m.status,
                        }
                        for m in result.measures
                    ],
                }
            )
    return {"year": year, "period": Period.YEAR, "goals": goals}
