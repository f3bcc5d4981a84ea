"""The money rules of the funding app, in one file.

An intervention (insats) is granted money per year by board decisions: one `Grant` per year and
decision. Money is paid out on requisitions (rekvisitioner, the `Requisition` model). A grant that a
later decision replaces or ends is kept and marked withdrawn (`withdrawn_by`); it no longer counts.

1. A requisition never exceeds its grant. What is approved plus paid on a grant
   (`grant_committed`) plus the new amount may never be more than the grant; `requisition_limit_error`
   says why not, in words for the user. More money needs a new board decision.
2. Committed per year. `year_totals` is what is granted per year (active grants only) and
   `year_committed` what is already approved or paid per year: a change decision may never lower a
   year's grant below what is committed.
3. The call's pot. A call (utlysning) has a pot of money. `call_grants_q` selects the grants that
   count against a call, `call_granted_total` sums them; a decision or change decision may not grant
   more than the pot has left (`call_pot_error`, `call_change_pot_error`).
4. Kind shares. An intervention is split over the intervention kinds in whole percent that add up
   to 100 (`kind_shares_error`).

The services (`finsam.funding.services`) call these rules; nothing here writes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from finsam.core.money import ZERO, format_sek
from finsam.funding.models import Call, Decision, Grant, Intervention, InterventionKind, Requisition

# --- 1. a requisition never exceeds its grant ------------------------------------------------

# Approved and paid requisitions hold the grant's money; a requested one does not yet.
COMMITTED_REQUISITION_STATUSES = (Requisition.Status.APPROVED, Requisition.Status.PAID)


def grant_committed(grant: Grant, *, exclude: Requisition | None = None) -> Decimal:
    """Approved plus paid on a grant, summed in the database."""
    qs = Requisition.objects.filter(grant=grant, status__in=COMMITTED_REQUISITION_STATUSES)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]


def requisition_limit_error(grant: Grant, committed: Decimal, amount: Decimal) -> str | None:
    """The rule: approved + paid never exceeds the grant without a new decision."""
    if committed + amount <= grant.amount:
        return None
    return _(
        "The amount granted for %(year)s is %(granted)s, of which %(committed)s has already been "
        "approved or paid. At most %(left)s can be paid out; this request is for %(amount)s. More "
        "money requires a new board decision."
    ) % {
        "year": grant.year,
        "granted": format_sek(grant.amount),
        "committed": format_sek(committed),
        "left": format_sek(max(grant.amount - committed, ZERO)),
        "amount": format_sek(amount),
    }


def approval_error(grant: Grant, committed: Decimal, amount: Decimal) -> str | None:
    """Why approving `amount` on `grant` would be refused (withdrawn funds, or the ceiling), or
    None. The approval checks it; the pages ask it to offer no button that would be refused."""
    if grant.withdrawn_by_id:
        return _("The funds for %(year)s have been withdrawn.") % {"year": grant.year}
    return requisition_limit_error(grant, committed, amount)


# --- 2. committed per year --------------------------------------------------------------------


def year_totals(intervention: Intervention) -> dict[int, Decimal]:
    """Granted per year (active grants only)."""
    rows = (
        Grant.objects.filter(intervention=intervention, withdrawn_by__isnull=True)
        .values("year")
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO)))
    )
    return {r["year"]: r["total"] for r in rows}


def year_committed(intervention: Intervention) -> dict[int, Decimal]:
    """Approved plus paid per year on active grants: what a change can never go below."""
    rows = (
        Requisition.objects.filter(
            grant__intervention=intervention,
            grant__withdrawn_by__isnull=True,
            status__in=COMMITTED_REQUISITION_STATUSES,
        )
        .values("grant__year")
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO)))
    )
    return {r["grant__year"]: r["total"] for r in rows}


# --- 3. the call's pot ------------------------------------------------------------------------


def call_grants_q(call) -> Q:
    """The grants that count against a call (`call` may be an OuterRef): those granted by a
    decision on one of its applications, and those a change decision granted on an intervention
    that came from it. Withdrawn grants are filtered out by the caller."""
    return Q(decision__application__call=call) | Q(
        decision__kind=Decision.Kind.CHANGE, decision__intervention__application__call=call
    )


def call_granted_total(call: Call) -> Decimal:
    """What has been granted against the call: its decisions' grants, minus withdrawn ones."""
    return Grant.objects.filter(call_grants_q(call), withdrawn_by__isnull=True).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO))
    )["total"]


def call_pot_error(call: Call, total: Decimal) -> str | None:
    """A decision on one of the call's applications grants `total`: more than the pot has left?"""
    remaining = call.pot - call_granted_total(call)
    if total <= remaining:
        return None
    return _(
        "The call “%(call)s” has %(remaining)s left to allocate, but the decision "
        "grants %(total)s. Reduce the amounts by %(over)s."
    ) % {
        "call": call.title,
        "remaining": format_sek(remaining),
        "total": format_sek(total),
        "over": format_sek(total - remaining),
    }


def call_change_pot_error(
    call: Call, intervention: Intervention, changes: dict[int, tuple[Decimal, Decimal]]
) -> str | None:
    """A change decision sets new yearly totals (`changes`: year -> (old, new)) on an
    intervention that came from the call. The grants of those years are replaced; an increase
    may not take the call past its pot (a decrease always may, even on an overspent pot)."""
    granted = call_granted_total(call)
    replaced = Grant.objects.filter(
        call_grants_q(call),
        intervention=intervention,
        year__in=list(changes),
        withdrawn_by__isnull=True,
    ).aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
    after = granted - replaced + sum((new for _old, new in changes.values()), ZERO)
    if not (after > granted and after > call.pot):
        return None
    return _(
        "The call “%(call)s” has %(remaining)s left to allocate, but the change "
        "increases the granted funds by %(total)s. Reduce the amounts by %(over)s."
    ) % {
        "call": call.title,
        "remaining": format_sek(max(call.pot - granted, ZERO)),
        "total": format_sek(after - granted),
        "over": format_sek(after - call.pot),
    }


# --- 4. kind shares -----------------------------------------------------------------------------


def kind_shares_error(shares: dict[str, int | None]) -> str | None:
    """Why a set of kind shares is not acceptable, or None. Shares are whole percent."""
    unknown = set(shares) - set(InterventionKind.values)
    if unknown:
        return _("Unknown type of intervention: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}
    values = [v or 0 for v in shares.values()]
    if any(v < 0 or v > 100 for v in values):
        return _("Each share must be between 0 and 100 %.")
    total = sum(values)
    if total != 100:
        return _(
            "The shares for the intervention types must add up to 100 %%; they are now %(total)s "
            "%%. Samkraft, for example, is 50 %% process support and 50 %% individual-focused."
        ) % {"total": total}
    return None
