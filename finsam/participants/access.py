"""Who may see a participant — the one rule of the register, and its trace.

The rule: a user sees a participant's data only in an intervention where the user both

1. has the role STAFF in the intervention's association (organisation.Membership), and
2. is on that intervention's staff list (funding.Intervention.staff).

Role alone is not enough, and neither is the staff list: the office, the board and the auditors
see aggregated statistics only, and a staff member sees only their own interventions. Even the
fact that a person takes part in another intervention is health data, so the rule also decides
which access-log rows, audit rows and counts a user may see.

The rule exists here in three forms — use them, never write it out again:

- the predicate for one intervention: `is_intervention_staff(user, intervention)`, with the
  reason for a refusal `can_register_in(...)`, and `require_staff(...)` that raises it;
- the query: `interventions(user, association)` (the interventions the user may see) and
  `in_interventions(user, association, field)` (a Q for rows that point to one of them, such as
  enrolments or access-log rows);
- the trace: every read, export or change of a participant's data writes the access log
  (`access_log_write`), which the association's data-protection contact reads; a participant's
  audit row shown in full in the general audit log counts as a read too (`audit_rows_read`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import user_or_none
from finsam.funding.models import Intervention
from finsam.organisation.access import roles_of
from finsam.organisation.audit import Event
from finsam.organisation.models import Role
from finsam.participants.models import AccessLogEntry, Participant

# --- the predicate --------------------------------------------------------------------------------


def has_staff_role(user, association) -> bool:
    """The first half of the rule: the role STAFF in the association."""
    return Role.STAFF in roles_of(user, association)


def is_intervention_staff(user, intervention) -> bool:
    """May `user` see the participants of `intervention`? (Both halves of the rule.)"""
    if not getattr(user, "is_authenticated", False):
        return False
    if not has_staff_role(user, intervention.association):
        return False
    return intervention.staff.filter(pk=user.pk).exists()


def can_register_in(user, intervention) -> tuple[bool, str]:
    """The predicate with the reason shown on refusal."""
    if is_intervention_staff(user, intervention):
        return True, ""
    return False, _(
        "You are not intervention staff in %(intervention)s. Participants' data is only open to "
        "the intervention's own staff; the office adds staff under Interventions."
    ) % {"intervention": intervention.title}


def require_staff(user, intervention) -> None:
    """Raise PermissionDenied with the reason unless `user` may see the intervention's data."""
    allowed, reason = can_register_in(user, intervention)
    if not allowed:
        raise PermissionDenied(reason)


# --- the query ------------------------------------------------------------------------------------


def interventions(user, association) -> QuerySet[Intervention]:
    """The association's interventions whose participants `user` may see (none without the
    role)."""
    if not has_staff_role(user, association):
        return Intervention.objects.none()
    return Intervention.objects.filter(association=association, staff=user)


def in_interventions(user, association, field: str = "intervention") -> Q:
    """Rows whose `field` (an intervention foreign key, or a path to one such as
    "enrolment__intervention") is one of `interventions(user, association)`."""
    return Q(**{f"{field}__in": interventions(user, association).values("pk")})


# --- the trace --------------------------------------------------------------------------------------


def access_log_write(
    *,
    association,
    by,
    action: str,
    participants: Iterable[Participant | int | None] = (None,),
    detail: str = "",
    intervention=None,
) -> None:
    """One row per participant read, exported or changed. `by=SYSTEM` is the system.

    `intervention` is the one in whose context the data was read, so that the data-protection
    contact can filter by it."""
    user = user_or_none(by)
    username = getattr(by, "username", "") or "system"
    now = timezone.now()
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                association=association,
                user=user,
                username=username,
                participant_id=p.pk if isinstance(p, Participant) else p,
                intervention_id=getattr(intervention, "pk", intervention),
                action=action,
                detail=detail[:255],
                at=now,
            )
            for p in participants
        ]
    )


def audit_rows_read(*, association, by, events: Iterable, export: bool) -> None:
    """A participant's audit rows shown in full in the general audit log (to someone who is
    staff of the row's intervention and also reads that log): a read like any other."""
    for event in events:
        participant_id = (event.after or {}).get("participant") or (event.before or {}).get(
            "participant"
        )
        access_log_write(
            association=association,
            by=by,
            action=AccessLogEntry.Action.EXPORT if export else AccessLogEntry.Action.VIEW,
            participants=[participant_id],
            intervention=event.intervention_id,
            detail=_("Audit log: %(event)s") % {"event": Event(event.event).label}
            if event.event in Event.values
            else event.event,
        )
