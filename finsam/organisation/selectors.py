"""Reads that know who is asking. Views never build domain querysets themselves."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from finsam.core.money import ZERO
from finsam.organisation.access import can
from finsam.organisation.models import (
    SIDE_LABELS,
    SIDE_ORDER,
    STATUTORY_SHARES,
    AdvisoryGroup,
    AgendaItem,
    AnnualCycleItem,
    Association,
    BoardSeat,
    Contribution,
    ContributionYear,
    Meeting,
    Member,
)


def associations_for_user(*, user) -> list[Association]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_finsam_associations", None)
    if cached is None:
        cached = user._finsam_associations = list(
            Association.objects.filter(memberships__user=user).distinct().order_by("name")
        )
    return cached


def association_for_user(*, user, slug: str) -> Association | None:
    return next((a for a in associations_for_user(user=user) if a.slug == slug), None)


def _require(user, association: Association, capability: str) -> None:
    # Selectors are the last line of defence: a view that forgot its check still leaks nothing.
    if not can(user, association, capability):
        raise PermissionDenied(capability)


def member_list(*, user, association: Association) -> QuerySet[Member]:
    _require(user, association, "members.view")
    return Member.objects.filter(association=association)


def member_get(*, user, association: Association, pk: int) -> Member:
    return get_object_or_404(member_list(user=user, association=association), pk=pk)


def contribution_years(*, user, association: Association) -> QuerySet[ContributionYear]:
    _require(user, association, "contributions.view")
    return ContributionYear.objects.filter(association=association).prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.select_related("member"))
    )


def contribution_year_get(*, user, association: Association, year: int) -> ContributionYear | None:
    return contribution_years(user=user, association=association).filter(year=year).first()


def contribution_table(
    *, user, association: Association
) -> tuple[list[ContributionYear], list[dict]]:
    """The contributions page's table: the years, and per side (state, region, municipalities) its
    members' amounts per year, the side's subtotal and its share of each year's total."""
    members = list(member_list(user=user, association=association))
    years = list(contribution_years(user=user, association=association))
    by_year = {cy.year: {c.member_id: c.amount for c in cy.contributions.all()} for cy in years}
    sides = []
    for kind in SIDE_ORDER:
        side_members = [m for m in members if m.kind == kind]
        rows = [(m, [by_year[cy.year].get(m.pk) for cy in years]) for m in side_members]
        subtotal = [
            sum((by_year[cy.year].get(m.pk) or ZERO for m in side_members), ZERO) for cy in years
        ]
        shares = [
            (s / cy.total * 100) if cy.total else None
            for s, cy in zip(subtotal, years, strict=False)
        ]
        sides.append(
            {
                "label": SIDE_LABELS[kind],
                "share": STATUTORY_SHARES[kind] * 100,
                "rows": rows,
                "subtotal": subtotal,
                "shares": shares,
            }
        )
    return years, sides


def board_seats(*, user, association: Association) -> QuerySet[BoardSeat]:
    _require(user, association, "board.view")
    return BoardSeat.objects.filter(association=association).select_related("member")


def board_seat_get(*, user, association: Association, pk: int) -> BoardSeat:
    return get_object_or_404(board_seats(user=user, association=association), pk=pk)


def advisory_groups(*, user, association: Association) -> QuerySet[AdvisoryGroup]:
    _require(user, association, "association.view")
    return AdvisoryGroup.objects.filter(association=association)


def meetings(*, user, association: Association, year: int | None = None) -> QuerySet[Meeting]:
    _require(user, association, "meetings.view")
    qs = Meeting.objects.filter(association=association).prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("cycle_item"))
    )
    return qs.filter(date__year=year) if year else qs


def meeting_get(*, user, association: Association, pk: int) -> Meeting:
    return get_object_or_404(meetings(user=user, association=association), pk=pk)


def meetings_upcoming(*, user, association: Association, today: dt.date, limit: int = 3):
    return meetings(user=user, association=association).filter(date__gte=today)[:limit]


def meetings_recent(*, user, association: Association, today: dt.date, limit: int = 3):
    return (
        meetings(user=user, association=association)
        .filter(date__lt=today)
        .order_by("-date")[:limit]
    )


def meeting_years(*, user, association: Association) -> list[int]:
    qs = meetings(user=user, association=association).dates("date", "year")
    return [d.year for d in qs]


def cycle_items(*, user, association: Association) -> QuerySet[AnnualCycleItem]:
    _require(user, association, "meetings.view")
    return AnnualCycleItem.objects.filter(association=association)


def cycle_item_get(*, user, association: Association, pk: int) -> AnnualCycleItem:
    return get_object_or_404(cycle_items(user=user, association=association), pk=pk)
