"""Calls for applications (utlysningar): create, change and close."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core.money import format_sek
from finsam.funding.models import Call
from finsam.funding.rules import call_granted_total
from finsam.funding.services._common import _raise
from finsam.funding.transitions import InvalidTransition
from finsam.organisation import audit
from finsam.organisation.audit import Event, audited_create, audited_update, with_changes
from finsam.organisation.models import Association


def _check_call(call: Call) -> None:
    errors: dict[str, list[str]] = {}
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        errors["closes_on"] = [_("The application deadline cannot be before the opening date.")]
    if call.pk and call.pot is not None:
        granted = call_granted_total(call)
        if call.pot < granted:
            errors["pot"] = [
                _(
                    "The call has already granted %(granted)s; the funds available cannot be less "
                    "than that."
                )
                % {"granted": format_sek(granted)}
            ]
    _raise(errors)


# What the call form (forms.CallForm) writes.
CALL_FIELDS = ["title", "description", "pot", "opens_on", "closes_on"]


@transaction.atomic
def call_create(*, association: Association, by, **fields: Any) -> Call:
    _check_call(Call(association=association, **fields))
    return audited_create(Call, by=by, event=Event.CALL_CREATED, association=association, **fields)


@transaction.atomic
def call_update(*, call: Call, data: dict[str, Any], by) -> Call:
    _check_call(with_changes(call, data, CALL_FIELDS))
    return audited_update(call, data, fields=CALL_FIELDS, by=by, event=Event.CALL_UPDATED)


@transaction.atomic
def call_close(*, call: Call, by) -> Call:
    if call.status == Call.Status.CLOSED:
        raise InvalidTransition(_("The call is already closed."))
    call.status = Call.Status.CLOSED
    call.full_clean()
    call.save(update_fields=["status"])
    audit.record(
        event=Event.CALL_CLOSED,
        actor=by,
        target=call,
        before={"status": Call.Status.OPEN},
        after={"status": Call.Status.CLOSED},
    )
    return call
