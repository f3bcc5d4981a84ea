"""Writes and business rules for associations, members, contributions, board and meetings.

Every function takes the acting user (`by`), validates fully before writing, and records an audit
row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from finsam.core.actors import require_actor
from finsam.core.money import ZERO, format_sek, round_half_up_krona, round_ore, split_whole_kronor
from finsam.organisation import audit
from finsam.organisation.audit import (
    Event,
    audited_create,
    audited_delete,
    audited_update,
    with_changes,
)
from finsam.organisation.models import (
    SIDE_LABELS,
    SIDE_ORDER,
    STATUTORY_SHARES,
    AgendaItem,
    AnnualCycleItem,
    Association,
    BoardSeat,
    Contribution,
    ContributionYear,
    Meeting,
    Member,
)

# --- what each edit form sends ---------------------------------------------------------------
# An update writes only the fields its form (finsam/organisation/forms.py) offers; anything else in
# `data` is a programming error that `audited_update` refuses.

ASSOCIATION_FIELDS = [
    "name",
    "org_number",
    "founded_year",
    "founded_month",
    "vision",
    "description",
    "director_name",
    "director_title",
    "office_note",
    "board_size_note",
    "county",
]
MEMBER_FIELDS = ["name", "kind", "key", "sort_order"]
BOARD_SEAT_FIELDS = ["member", "kind", "holder_name", "position", "mandate_start", "mandate_end"]
MEETING_FIELDS = ["kind", "date", "start_time", "end_time", "place", "notes"]
CYCLE_ITEM_FIELDS = ["kind", "title", "month", "description"]


# --- association and members ------------------------------------------------------------------


def association_update(*, association: Association, data: dict[str, Any], by) -> Association:
    return audited_update(
        association, data, fields=ASSOCIATION_FIELDS, by=by, event=Event.ASSOCIATION_UPDATED
    )


def member_create(*, association: Association, by, **fields: Any) -> Member:
    return audited_create(
        Member, by=by, event=Event.MEMBER_CREATED, association=association, **fields
    )


def member_update(*, member: Member, data: dict[str, Any], by) -> Member:
    return audited_update(member, data, fields=MEMBER_FIELDS, by=by, event=Event.MEMBER_UPDATED)


def member_delete(*, member: Member, by) -> None:
    if member.contributions.exists() or member.board_seats.exists():
        raise ValidationError(
            _(
                "%(member)s has member contributions or board seats and cannot be removed. Set the "
                "key to 0 instead."
            )
            % {"member": member.name}
        )
    audited_delete(member, by=by, event=Event.MEMBER_DELETED)


# --- contributions: the statutory split -------------------------------------------------------


@dataclass(frozen=True)
class ProposedContribution:
    member: Member
    amount: Decimal
    exact: Decimal
    got_remainder: bool


def _members_by_side(members: list[Member]) -> dict[str, list[Member]]:
    sides: dict[str, list[Member]] = {kind: [] for kind in SIDE_ORDER}
    for m in sorted(members, key=lambda m: (m.sort_order, m.name)):
        sides[m.kind].append(m)
    for kind, side_members in sides.items():
        if sum((m.key for m in side_members), ZERO) <= 0:
            raise ValidationError(
                _(
                    "The association has no member with a positive allocation key in the group "
                    "%(side)s. The Act requires the state, the region and the municipalities all "
                    "to contribute."
                )
                % {"side": SIDE_LABELS[kind]}
            )
    return sides


def contributions_propose(*, members: list[Member], total: Decimal) -> list[ProposedContribution]:
    """Each member's amount for a yearly total, to the krona.

    First the statutory sides (state ½, region ¼, municipalities ¼), then each side by the
    members' keys. Leftover kronor from rounding go, one each, to the largest remainders — first
    among the sides, then within each side — so every side is within one krona of its exact share.
    """
    sides = _members_by_side(members)
    side_amounts = {
        a.key: a.amount
        for a in split_whole_kronor(total, [(k, STATUTORY_SHARES[k]) for k in SIDE_ORDER])
    }
    proposals: list[ProposedContribution] = []
    for kind in SIDE_ORDER:
        side_members = sides[kind]
        exact_side = total * STATUTORY_SHARES[kind]
        key_sum = sum((m.key for m in side_members), ZERO)
        for alloc in split_whole_kronor(side_amounts[kind], [(m, m.key) for m in side_members]):
            exact = exact_side * alloc.key.key / key_sum
            proposals.append(
                ProposedContribution(
                    member=alloc.key,
                    amount=alloc.amount,
                    exact=exact,
                    got_remainder=alloc.amount != exact and alloc.amount > exact,
                )
            )
    return proposals


def contributions_check(*, members: list[Member], amounts: dict[int, Decimal]) -> dict[int, str]:
    """Errors per member id for a set of amounts that breaks the split; empty when it holds.

    The rule has two levels, like the law: each side (state, region, municipalities) within one
    krona of its statutory share of the total, and each member within one krona of its key's share
    of what its side pays. So either placement of a rounding krona is accepted.
    """
    total = sum(amounts.values(), ZERO)
    if total <= 0:
        return {
            m.pk: _("The total of the member contributions must be greater than 0 kr.")
            for m in members
        }
    proposals = {p.member.pk: p for p in contributions_propose(members=members, total=total)}
    off: set[int] = set()
    for kind, side_members in _members_by_side(members).items():
        entered_side = sum((amounts.get(m.pk, ZERO) for m in side_members), ZERO)
        key_sum = sum((m.key for m in side_members), ZERO)
        side_off = abs(entered_side - total * STATUTORY_SHARES[kind]) >= 1
        for m in side_members:
            entered = amounts.get(m.pk, ZERO)
            quota = entered_side * m.key / key_sum
            if abs(entered - quota) >= 1 or (side_off and entered != proposals[m.pk].amount):
                off.add(m.pk)
    errors: dict[int, str] = {}
    for pk in off:
        p = proposals[pk]
        entered = amounts.get(pk, ZERO)
        diff = entered - p.amount
        errors[pk] = _(
            "According to the allocation, %(member)s should pay %(expected)s of the total "
            "%(total)s, not %(entered)s (%(diff)s too %(direction)s)."
        ) % {
            "member": p.member.name,
            "expected": format_sek(p.amount),
            "total": format_sek(total),
            "entered": format_sek(entered),
            "diff": format_sek(abs(diff)),
            "direction": _("much") if diff > 0 else _("little"),
        }
    return errors


@transaction.atomic
def contributions_set(
    *,
    association: Association,
    year: int,
    amounts: dict[int, Decimal],
    by,
    is_estimate: bool = False,
    note: str = "",
) -> ContributionYear:
    """Store a year's contributions after checking the statutory split. All or nothing."""
    members = list(association.members.all())
    unknown = set(amounts) - {m.pk for m in members}
    if unknown:
        raise ValidationError(
            _("The amounts refer to members who do not belong to the association.")
        )
    errors = contributions_check(members=members, amounts=amounts)
    if errors:
        raise ValidationError({str(pk): msg for pk, msg in errors.items()})
    total = sum(amounts.values(), ZERO)
    cy = ContributionYear.objects.filter(association=association, year=year).first()
    before = _contribution_year_state(cy) if cy else None
    if cy is None:
        cy = ContributionYear(association=association, year=year)
    cy.total, cy.is_estimate, cy.note = total, is_estimate, note
    cy.full_clean()
    cy.save()
    for member in members:
        amount = amounts.get(member.pk, ZERO)
        Contribution.objects.update_or_create(
            contribution_year=cy, member=member, defaults={"amount": amount}
        )
    audit.record(
        event=Event.CONTRIBUTIONS_SET,
        actor=by,
        target=cy,
        before=before,
        after=_contribution_year_state(cy),
    )
    return cy


def _contribution_year_state(cy: ContributionYear) -> dict[str, Any]:
    state: dict[str, Any] = {
        "total": str(round_ore(cy.total)),
        "is_estimate": cy.is_estimate,
        "note": cy.note,
    }
    for c in cy.contributions.select_related("member"):
        state[c.member.name] = str(round_ore(c.amount))
    return state


def contribution_year_delete(*, contribution_year: ContributionYear, by) -> None:
    with transaction.atomic():
        audit.record(
            event=Event.CONTRIBUTION_YEAR_DELETED,
            actor=by,
            target=contribution_year,
            before=_contribution_year_state(contribution_year),
        )
        contribution_year.delete()


def state_allocation_projection(
    *, base_state_amount: Decimal, annual_decline: Decimal, base_year: int, years: list[int]
) -> dict[int, Decimal]:
    """Yearly totals when the state's allocation is expected to fall by a fixed amount per year.

    `annual_decline` is the fall of all contributions together (Kramfors: 5 333 kr/år). The state
    pays half, so its allocation falls by half of it; region and municipalities match the state,
    so the total is twice the state's allocation rounded to the krona.
    """
    totals = {}
    for year in years:
        state = round_half_up_krona(base_state_amount - (year - base_year) * annual_decline / 2)
        totals[year] = state * 2
    return totals


@transaction.atomic
def contributions_project(
    *,
    association: Association,
    base_year: int,
    state_amount: Decimal,
    annual_decline: Decimal,
    years: int,
    by,
) -> tuple[list[int], list[int]]:
    """Write estimates for the plan years after `base_year`; decided years are left alone.

    Returns (projected years, years kept because they hold decided contributions).
    """
    require_actor(by)
    targets = [base_year + i for i in range(1, years + 1)]
    decided = set(
        ContributionYear.objects.filter(
            association=association, year__in=targets, is_estimate=False
        ).values_list("year", flat=True)
    )
    totals = state_allocation_projection(
        base_state_amount=state_amount,
        annual_decline=annual_decline,
        base_year=base_year,
        years=[y for y in targets if y not in decided],
    )
    members = list(association.members.all())
    for year, total in totals.items():
        proposal = contributions_propose(members=members, total=total)
        contributions_set(
            association=association,
            year=year,
            by=by,
            is_estimate=True,
            amounts={p.member.pk: p.amount for p in proposal},
            note=_("Estimate: %(base)s minus %(decline)s per year")
            % {"base": base_year, "decline": format_sek(annual_decline)},
        )
    return list(totals), sorted(decided)


# --- board ------------------------------------------------------------------------------------


@transaction.atomic
def board_seat_create(*, association: Association, by, **fields: Any) -> BoardSeat:
    _check_seat(BoardSeat(association=association, **fields))
    return audited_create(
        BoardSeat, by=by, event=Event.BOARD_SEAT_CREATED, association=association, **fields
    )


@transaction.atomic
def board_seat_update(*, seat: BoardSeat, data: dict[str, Any], by) -> BoardSeat:
    _check_seat(with_changes(seat, data, BOARD_SEAT_FIELDS))
    return audited_update(
        seat, data, fields=BOARD_SEAT_FIELDS, by=by, event=Event.BOARD_SEAT_UPDATED
    )


def board_seat_delete(*, seat: BoardSeat, by) -> None:
    audited_delete(seat, by=by, event=Event.BOARD_SEAT_DELETED)


def _check_seat(seat: BoardSeat) -> None:
    errors: dict[str, str] = {}
    if seat.member_id and seat.member.association_id != seat.association_id:
        errors["member"] = _("The member does not belong to the association.")
    if seat.mandate_start and seat.mandate_end and seat.mandate_end < seat.mandate_start:
        errors["mandate_end"] = _("The term of office cannot end before it starts.")
    if seat.position and seat.kind != BoardSeat.Kind.REGULAR:
        errors["position"] = _("Only a full member can be chair or vice chair.")
    if seat.position and not errors and seat.mandate_start and seat.mandate_end:
        overlapping = BoardSeat.objects.filter(
            association=seat.association,
            position=seat.position,
            mandate_start__lte=seat.mandate_end,
            mandate_end__gte=seat.mandate_start,
        ).exclude(pk=seat.pk)
        if overlapping.exists():
            other = overlapping.first()
            errors["position"] = _(
                "%(holder)s is already %(position)s during the same term of office."
            ) % {
                "holder": other.holder_name or _("another member"),
                "position": seat.get_position_display().lower(),
            }
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class SeatStatus:
    seat: BoardSeat
    filled: bool


def board_on(*, seats: list[BoardSeat], day: dt.date) -> list[SeatStatus]:
    """The board as it stands on a day: a seat outside its mandate period shows as vacant."""
    return [SeatStatus(seat=s, filled=s.is_filled_on(day)) for s in seats]


# --- meetings and the annual cycle ----------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, association: Association, by, agenda: list[str] | None = None, **fields: Any
) -> Meeting:
    meeting = audited_create(
        Meeting, by=by, event=Event.MEETING_CREATED, association=association, **fields
    )
    for i, title in enumerate(agenda or []):
        agenda_item_create(meeting=meeting, title=title, by=by, sort_order=i)
    return meeting


def meeting_update(*, meeting: Meeting, data: dict[str, Any], by) -> Meeting:
    return audited_update(meeting, data, fields=MEETING_FIELDS, by=by, event=Event.MEETING_UPDATED)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by) -> None:
    """Remove a meeting, unless it is part of the record: a decision taken or a presentation held
    at it, or an application on its agenda (deleting would empty those links or be refused by
    the database)."""
    items = list(meeting.agenda_items.all())
    if _pointed_to_from_elsewhere(meeting) or any(_pointed_to_from_elsewhere(i) for i in items):
        raise ValidationError(
            _(
                "The meeting of %(date)s cannot be removed: decisions, presentations or "
                "applications on its agenda are recorded at it and belong to its minutes."
            )
            % {"date": meeting.date.isoformat()}
        )
    audited_delete(meeting, by=by, event=Event.MEETING_DELETED)


@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    title: str,
    by,
    cycle_item: AnnualCycleItem | None = None,
    sort_order: int | None = None,
    proposal: str = "",
    draft_decision: str = "",
) -> AgendaItem:
    if cycle_item is not None and cycle_item.association_id != meeting.association_id:
        raise ValidationError(
            {"cycle_item": _("The item does not belong to the association's annual cycle.")}
        )
    if sort_order is None:
        sort_order = meeting.agenda_items.count()
    return audited_create(
        AgendaItem,
        by=by,
        event=Event.AGENDA_ITEM_CREATED,
        meeting=meeting,
        title=title,
        cycle_item=cycle_item,
        sort_order=sort_order,
        proposal=proposal.strip(),
        draft_decision=draft_decision.strip(),
    )


def _pointed_to_from_elsewhere(instance) -> bool:
    """Whether a row of another model points to `instance` through a foreign key that deleting
    it would silently empty (SET_NULL) or that the database would refuse (PROTECT). For an
    agenda item: a decision recorded on it, or an
    application put on the agenda under it. Asked through the model's relations, so that
    organisation need not know the apps that refer to it."""
    for relation in instance._meta.get_fields(include_hidden=True):
        if (
            relation.one_to_many
            and relation.auto_created
            and not relation.concrete
            and relation.on_delete in (models.SET_NULL, models.PROTECT)
            and relation.related_model._base_manager.filter(
                **{relation.field.name: instance}
            ).exists()
        ):
            return True
    return False


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    """Remove an agenda item, unless it is part of the record: history is never rewritten."""
    if _pointed_to_from_elsewhere(item):
        raise ValidationError(
            _(
                "The agenda item “%(title)s” cannot be removed: a decision is recorded on it or an "
                "application is on the agenda under it, so it belongs to the meeting's minutes."
            )
            % {"title": item.title}
        )
    audited_delete(item, by=by, event=Event.AGENDA_ITEM_DELETED)


def cycle_item_create(*, association: Association, by, **fields: Any) -> AnnualCycleItem:
    return audited_create(
        AnnualCycleItem, by=by, event=Event.CYCLE_ITEM_CREATED, association=association, **fields
    )


def cycle_item_update(*, item: AnnualCycleItem, data: dict[str, Any], by) -> AnnualCycleItem:
    return audited_update(
        item, data, fields=CYCLE_ITEM_FIELDS, by=by, event=Event.CYCLE_ITEM_UPDATED
    )


def cycle_item_delete(*, item: AnnualCycleItem, by) -> None:
    audited_delete(item, by=by, event=Event.CYCLE_ITEM_DELETED)


@dataclass(frozen=True)
class CyclePlacement:
    item: AnnualCycleItem
    meeting: Meeting | None
    late: bool  # no board meeting on or before the deadline month: placed at the next one


def annual_cycle_for_year(
    *, items: list[AnnualCycleItem], meetings: list[Meeting], year: int
) -> list[CyclePlacement]:
    """Which board meeting of the year handles each recurring item.

    An item belongs to the last board meeting in or before its month (a deadline, like the budget
    by 30 November); with no such meeting it goes to the first one after, flagged as late.
    """
    board = sorted(
        (m for m in meetings if m.kind == Meeting.Kind.BOARD and m.date.year == year),
        key=lambda m: m.date,
    )
    placements = []
    for item in sorted(items, key=lambda i: (i.month, i.title)):
        deadline_month = item.month
        before = [m for m in board if m.date.month <= deadline_month]
        if before:
            placements.append(CyclePlacement(item=item, meeting=before[-1], late=False))
        else:
            after = board[0] if board else None
            placements.append(CyclePlacement(item=item, meeting=after, late=after is not None))
    return placements
