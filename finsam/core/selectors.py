from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from finsam.core.models import AuditEvent
from finsam.core.permissions import can


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
    if not can(user, association, "audit.view"):
        raise PermissionDenied("audit.view")
    qs = AuditEvent.objects.filter(association=association)
    if event:
        qs = qs.filter(event=event)
    if actor:
        qs = qs.filter(actor_name=actor)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if text:
        qs = qs.filter(target_repr__icontains=text)
    return qs


def audit_actor_names(*, user, association) -> list[str]:
    return list(
        audit_events(user=user, association=association)
        .order_by("actor_name")
        .values_list("actor_name", flat=True)
        .distinct()
    )
