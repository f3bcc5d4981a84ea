from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When

from finsam.funding.models import Intervention
from finsam.organisation.access import can
from finsam.organisation.models import AuditEvent
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


def audit_actor_names(*, user, association) -> list[str]:
    return list(
        audit_events(user=user, association=association)
        .order_by("actor_name")
        .values_list("actor_name", flat=True)
        .distinct()
    )
