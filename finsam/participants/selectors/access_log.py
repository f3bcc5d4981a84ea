"""The access log, read by the association's data-protection contact."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from finsam.funding.models import Intervention
from finsam.participants.models import AccessLogEntry
from finsam.participants.selectors.common import _require

# --- the access log (the data-protection contact) ------------------------------------------------


ACCESS_LOG_PER_PAGE = 100


def access_log(
    *,
    user,
    association,
    username: str = "",
    participant_ref: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    intervention: Intervention | None = None,
) -> QuerySet[AccessLogEntry]:
    _require(user, association, "participants.access_log")
    qs = AccessLogEntry.objects.filter(association=association).select_related(
        "intervention", "participant"
    )
    if intervention is not None:
        qs = qs.filter(intervention=intervention)
    if username:
        qs = qs.filter(username__iexact=username.strip())
    if participant_ref:
        digits = "".join(ch for ch in participant_ref if ch.isdigit())
        qs = qs.filter(participant_id=int(digits)) if digits else qs.none()
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def access_log_page(*, entries: QuerySet[AccessLogEntry], page: int | str | None) -> Page:
    return Paginator(entries.order_by("-at", "-id"), ACCESS_LOG_PER_PAGE).get_page(page)


ACCESS_LOG_COLUMNS = ["tidpunkt", "anvandare", "deltagare", "insats", "atgard", "vad"]


def access_log_rows(entries: QuerySet[AccessLogEntry]) -> list[list]:
    """The export's rows: the same columns as the page, local time."""
    return [
        [
            timezone.localtime(e.at).replace(tzinfo=None, microsecond=0),
            e.username,
            e.participant.reference if e.participant_id else "",
            e.intervention.title if e.intervention_id else "",
            e.get_action_display(),
            e.detail,
        ]
        for e in entries.select_related("participant")
        .order_by("at", "id")
        .iterator(chunk_size=2000)
    ]


def access_log_interventions(*, user, association) -> QuerySet[Intervention]:
    _require(user, association, "participants.access_log")
    return Intervention.objects.filter(association=association).order_by("title")


def access_log_usernames(*, user, association) -> list[str]:
    _require(user, association, "participants.access_log")
    return list(
        AccessLogEntry.objects.filter(association=association)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()
    )
