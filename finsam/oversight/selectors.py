from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMinute

from finsam.accounts.models import User
from finsam.funding.models import Intervention
from finsam.organisation.access import can
from finsam.organisation.models import AuditEvent
from finsam.oversight.words import NOT_COLLAPSED, system_name
from finsam.participants import access as participant_access


def _payload_readable(user, association) -> Q:
    """The rows whose content the user may read: every row that is not about a participant, and
    the participant rows of the interventions the user is staff of (the one rule of
    finsam.participants.access, as a query). Office, board and auditors see that a participant's
    data changed, in which intervention, by whom and when."""
    readable = Q(personal_data=False)
    if participant_access.has_staff_role(user, association):
        readable |= participant_access.in_interventions(user, association, "intervention_id")
    return readable


def audit_events(
    *,
    user,
    association,
    event: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    text: str = "",
) -> QuerySet[AuditEvent]:
    """The association's audit rows, each annotated `payload_shown`; a row without it shows no
    content (AuditEvent.redacted)."""
    if not can(user, association, "audit.view"):
        raise PermissionDenied("audit.view")
    qs = AuditEvent.objects.filter(association=association).annotate(
        intervention_title=Subquery(
            Intervention.objects.filter(pk=OuterRef("intervention_id")).values("title")[:1]
        ),
        payload_shown=Case(
            When(_payload_readable(user, association), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    if event:
        qs = qs.filter(event=event)
    if actor:
        qs = qs.filter(actor_name=actor)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if text:
        # Search what is shown: a redacted row by its intervention, never by the participant
        # reference or date its target holds.
        qs = qs.filter(
            Q(payload_shown=True, target_repr__icontains=text)
            | Q(payload_shown=False, intervention_title__icontains=text)
        )
    return qs


def audit_actors(*, user, association) -> list[tuple[str, str]]:
    """(the value to filter by, the name to show) for everyone who wrote in the log: people by
    their full names, the system as such; sorted by what is shown."""
    pairs = (
        audit_events(user=user, association=association)
        .order_by()
        .values_list("actor_name", "actor_id")
        .distinct()
    )
    pairs = list(pairs)
    people = {u.pk: str(u) for u in User.objects.filter(pk__in={pk for _n, pk in pairs if pk})}
    shown = {}
    for name, pk in pairs:
        shown[name] = people.get(pk) or (system_name() if name in ("", "system") else name)
    return sorted(shown.items(), key=lambda item: item[1].lower())


def _collapsible() -> Q:
    return Q(actor__isnull=True, actor_name__in=["", "system"]) & ~Q(event__in=NOT_COLLAPSED)


def audit_runs(events: QuerySet[AuditEvent]) -> QuerySet:
    """The rows as the log shows them: a run of identical events the system wrote within one
    minute (one scheduled erasure of 26 participants) is one entry with its count; every other
    row stands alone. Each entry: `last_id` (the run's latest row), `n`, `last_at`. Grouped in
    SQL, so a run is counted whole whichever page it falls on."""
    return (
        events.annotate(
            solo=Case(
                When(_collapsible(), then=Value(0)),
                default=F("id"),
                output_field=BigIntegerField(),
            ),
            minute=TruncMinute("created_at"),
        )
        .values("event", "solo", "minute", "intervention_id", "target_model", "payload_shown")
        .annotate(n=Count("id"), last_id=Max("id"), last_at=Max("created_at"))
        .order_by("-last_at", "-last_id")
    )


def audit_events_by_id(events: QuerySet[AuditEvent], ids: list[int]) -> dict[int, AuditEvent]:
    return {e.pk: e for e in events.filter(pk__in=ids)}
