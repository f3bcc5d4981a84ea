"""A participant's history: the corrections (from the audit log) and who read the data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext as _

from finsam.core.money import format_stored_decimal
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent
from finsam.participants import access
from finsam.participants.models import (
    AccessLogEntry,
    Enrolment,
    Participant,
    Session,
)

CORRECTION_EVENTS = (
    Event.PARTICIPANT_CORRECTED,
    Event.PARTICIPANT_CONSENT_CHANGED,
    Event.PARTICIPANT_CONSENT_WITHDRAWN,
    Event.ENROLMENT_ENTRY_CORRECTED,
    Event.ENROLMENT_EXIT_CORRECTED,
    Event.SESSION_CORRECTED,
    Event.SESSION_DELETED,
)
_CONTEXT_KEYS = ("participant", "enrolment", "reason")
_HISTORY_MODELS = {
    "participant": Participant,
    "enrolment": Enrolment,
    "session": Session,
}


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    who: str
    what: str
    changes: list[tuple[str, object, object]]  # (field label, before, after)
    reason: str


def correction_history(*, enrolment: Enrolment, user=None) -> list[Correction]:
    """The participation's corrections and the person's own (name, contact, consent), newest
    first. Read from the audit log: it is the record, so the history cannot drift from it.
    The caller has already checked access and logged the read of the page.

    A change of the person's own data made in an intervention the `user` is not staff of is
    shown without who made it: that name would tell in which other intervention the person
    takes part."""
    rows = AuditEvent.objects.filter(
        association=enrolment.intervention.association,
        event__in=[e.value for e in CORRECTION_EVENTS],
        after__participant=enrolment.participant_id,
    ).filter(Q(after__enrolment=enrolment.pk) | Q(after__enrolment=None))
    own = {enrolment.intervention_id}
    if user is not None:
        own |= set(
            access.interventions(user, enrolment.intervention.association).values_list(
                "pk", flat=True
            )
        )
    labels = dict(Event.choices)
    out = []
    for row in rows.order_by("-created_at", "-id"):
        model = _HISTORY_MODELS[row.event.split(".", 1)[0]]
        before, after = row.before or {}, row.after or {}
        changes = [
            (
                _history_label(model, name),
                format_stored_decimal(before.get(name)),
                format_stored_decimal(after.get(name)),
            )
            for name in dict.fromkeys([*before, *after])
            if name not in _CONTEXT_KEYS and before.get(name) != after.get(name)
        ]
        foreign = user is not None and row.intervention_id not in (None, *own)
        out.append(
            Correction(
                at=row.created_at,
                who=_("staff of another intervention") if foreign else row.actor_name,
                what=str(labels.get(row.event, row.event)),
                changes=changes,
                reason=after.get("reason", ""),
            )
        )
    return out


def _history_label(model, name: str) -> str:
    special = {"name": _("Name"), "contact": _("Contact details")}
    if name in special:
        return str(special[name])
    try:
        label = str(model._meta.get_field(name).verbose_name)
        return label[:1].upper() + label[1:]
    except FieldDoesNotExist:
        return name


PARTICIPANT_LOG_PER_PAGE = 50


def participant_access_history(*, user, enrolment: Enrolment, page: int | str | None = 1) -> Page:
    """Who read or changed this person's data, as far as the user's own interventions go: the
    rows of other interventions would tell that the person takes part in them."""
    qs = (
        AccessLogEntry.objects.filter(participant_id=enrolment.participant_id)
        .filter(
            access.in_interventions(user, enrolment.intervention.association)
            | Q(intervention__isnull=True)
        )
        .select_related("intervention")
        .order_by("-at", "-id")
    )
    return Paginator(qs, PARTICIPANT_LOG_PER_PAGE).get_page(page)
