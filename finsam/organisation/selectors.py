"""Reads that know who is asking. Views never build domain querysets themselves."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from finsam.core.money import ZERO
from finsam.organisation.access import can, roles_of
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
    Membership,
    Role,
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


# --- the home page's work list ----------------------------------------------------------------

MANDATE_WARNING_DAYS = 180


def successor_of(seat: BoardSeat, seats: list[BoardSeat], taken: set[int]) -> BoardSeat | None:
    """The seat that takes over when `seat`'s mandate ends: the same member and kind, filled,
    starting after `seat` started and no later than the day after it ends, and running past its
    end. `taken`: successors already matched to another seat (two seats of one member need
    two successors)."""
    day_after = seat.mandate_end + dt.timedelta(days=1)
    for other in sorted(seats, key=lambda s: (s.mandate_start, s.pk)):
        if (
            other.pk != seat.pk
            and other.pk not in taken
            and other.member_id == seat.member_id
            and other.kind == seat.kind
            and other.holder_name
            and seat.mandate_start < other.mandate_start <= day_after
            and other.mandate_end > seat.mandate_end
        ):
            return other
    return None


def mandates_running_out(
    *, user, association: Association, today: dt.date, days: int = MANDATE_WARNING_DAYS
) -> list[BoardSeat]:
    """Filled seats whose mandate ends within `days` and that no successor takes over, soonest
    first. A member-organisation user sees its own organisation's seats only."""
    seats = list(board_seats(user=user, association=association).order_by("mandate_end", "pk"))
    mine = seats
    if not roles_of(user, association) & {Role.OFFICE, Role.BOARD}:
        own = set(
            Membership.objects.filter(
                user=user, association=association, role=Role.MEMBER_ORG
            ).values_list("member_id", flat=True)
        )
        mine = [s for s in seats if s.member_id in own]
    last = today + dt.timedelta(days=days)
    ending = [s for s in mine if s.holder_name and today <= s.mandate_end <= last]
    taken: set[int] = set()
    running_out = []
    for seat in ending:
        successor = successor_of(seat, seats, taken)
        if successor is None:
            running_out.append(seat)
        else:
            taken.add(successor.pk)
    return running_out


def contributions_missing(
    *, user, association: Association, year: int
) -> tuple[bool, list[Member]]:
    """(whether the year's contributions have been entered at all, the members without an
    amount for the year). A year not entered lacks every member."""
    _require(user, association, "contributions.view")
    entered = contribution_year_get(user=user, association=association, year=year)
    members = list(member_list(user=user, association=association))
    if entered is None:
        return False, members
    paid = {c.member_id for c in entered.contributions.all()}
    return True, [m for m in members if m.pk not in paid]
