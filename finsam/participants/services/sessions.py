"""Sessions (meetings) with their ORS and SRS / G-SRS ratings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import user_or_none
from finsam.participants.access import access_log_write
from finsam.participants.models import (
    AccessLogEntry,
    Enrolment,
    Session,
)
from finsam.participants.ratings import (
    InvalidRating,
    RatingRules,
    ors_total,
    parse_rating,
    parse_total,
    srs_needs_attention,
)
from finsam.participants.services.common import ORS_FIELDS, _require_changeable, _require_staff
from finsam.participants.services.rating_settings import rating_rules_for
from finsam.participants.services.statistics_summary import StatisticsRefresh

# --- sessions, exit, survey ---------------------------------------------------------------------


@dataclass
class SessionResult:
    session: Session
    flags: list[str] = field(default_factory=list)


@transaction.atomic
def session_record(
    *,
    enrolment: Enrolment,
    date: dt.date | None,
    by,
    kind: str = Session.Kind.INDIVIDUAL,
    ors_items: Sequence[Any] = ("", "", "", ""),
    srs_total: Any = "",
    rules: RatingRules | None = None,
    today: dt.date | None = None,
) -> SessionResult:
    """Record a meeting. ORS: all four items or none; SRS: a total 0–40 or none (a group
    session's total is a G-SRS).

    Returns the flags to show the staff member: an SRS or G-SRS under the association's alert
    level (`rules`, by default the association's own)."""
    _require_staff(by, enrolment.intervention)
    _require_changeable(enrolment.participant)
    parsed, srs_value = _session_values(
        enrolment=enrolment,
        date=date,
        kind=kind,
        ors_items=ors_items,
        srs_total=srs_total,
        today=today or timezone.localdate(),
    )
    session = Session(
        enrolment=enrolment,
        date=date,
        kind=kind,
        srs_total=srs_value,
        staff=user_or_none(by),
        **parsed,
    )
    if parsed:
        session.ors_total = ors_total([parsed[name] for name in ORS_FIELDS])
    session.full_clean()
    refresh = StatisticsRefresh([enrolment])
    session.save()
    refresh.done()
    access_log_write(
        association=enrolment.intervention.association,
        by=by,
        action=AccessLogEntry.Action.UPDATE,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Session %(date)s registered") % {"date": date.isoformat()},
    )
    flags = []
    if srs_value is not None:
        rules = rules or rating_rules_for(enrolment.intervention.association)
        group = kind == Session.Kind.GROUP
        if srs_needs_attention(srs_value, rules, group=group):
            flags.append(srs_flag_message(srs_value, rules, group=group))
    return SessionResult(session=session, flags=flags)


def _session_values(
    *,
    enrolment: Enrolment,
    date: dt.date | None,
    kind: str,
    ors_items: Sequence[Any],
    srs_total: Any,
    today: dt.date,
) -> tuple[dict[str, Decimal], Decimal | None]:
    """The rules for a session's date, kind and ratings: the same when recording and correcting.
    Returns the parsed ORS items and the SRS total; raises ValidationError per field."""
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("Enter the date of the session.")
    elif date > today:
        errors["date"] = _("The session cannot be in the future.")
    elif date < enrolment.start_date:
        errors["date"] = _("The session is before the start of the participation (%(date)s).") % {
            "date": enrolment.start_date.isoformat()
        }
    elif enrolment.exit_date and date > enrolment.exit_date:
        errors["date"] = _("The session is after the exit (%(date)s).") % {
            "date": enrolment.exit_date.isoformat()
        }
    if kind not in Session.Kind.values:
        errors["kind"] = _("Choose individual session or group.")

    items = [("" if v is None else str(v)).strip() for v in ors_items]
    parsed: dict[str, Decimal] = {}
    if any(items):
        for name, value in zip(ORS_FIELDS, items, strict=True):
            if not value:
                errors[name] = _("Fill in all four ORS scores, or none of them.")
                continue
            message = ""
            try:
                parsed[name] = parse_rating(value)
            except InvalidRating as exc:
                message = str(exc)
            if message:
                errors[name] = message
    srs_value = None
    srs_text = ("" if srs_total is None else str(srs_total)).strip()
    if srs_text:
        message = ""
        try:
            srs_value = parse_total(srs_text)
        except InvalidRating as exc:
            message = str(exc)
        if message:
            errors["srs_total"] = message
    if not errors and not parsed and srs_value is None:
        errors["ors_individual"] = _("Enter ORS or SRS for the session.")
    if errors:
        raise ValidationError(errors)
    return parsed, srs_value


def srs_flag_message(value: Decimal, rules: RatingRules, *, group: bool) -> str:
    params = {"value": value, "limit": rules.alert_below(group=group)}
    if group:
        return (
            _(
                "G-SRS %(value)s is below %(limit)s: the group may not be working for the "
                "participant. Raise it at the next meeting."
            )
            % params
        )
    return (
        _(
            "SRS %(value)s is below %(limit)s: the working relationship may not be working. "
            "Discuss it with the participant at the next session."
        )
        % params
    )
