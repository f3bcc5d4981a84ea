"""Audit rows about people and logins told in words: who gave whom which role, when."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from finsam.accounts.models import User
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Role

SENTENCES = {
    Event.ASSOCIATION_CREATED: lambda: _("%(actor)s created the association on %(when)s."),
    Event.MEMBERSHIP_CREATED: lambda: _("%(actor)s gave %(person)s the role %(role)s on %(when)s."),
    Event.MEMBERSHIP_DELETED: lambda: _(
        "%(actor)s took the role %(role)s from %(person)s on %(when)s."
    ),
    Event.INVITATION_SENT: lambda: _("%(actor)s invited %(email)s as %(role)s on %(when)s."),
    Event.INVITATION_ACCEPTED: lambda: _(
        "%(actor)s accepted the invitation as %(role)s on %(when)s."
    ),
    Event.USER_DEACTIVATED: lambda: _("%(actor)s deactivated %(person)s on %(when)s."),
    Event.LOGIN_FAILED: lambda: _("Failed login as %(login)s from %(address)s on %(when)s."),
    Event.LOGIN_LOCKED_OUT: lambda: _(
        "Login as %(login)s was locked after too many failed attempts (from %(address)s) on "
        "%(when)s."
    ),
}


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def _role(value) -> str:
    return str(Role(value).label).lower() if value in Role.values else str(value or "")


def sentences(events: Iterable[AuditEvent]) -> dict[int, str]:
    """{event pk: sentence} for the rows that have one; two queries at most, for the names."""
    rows = [e for e in events if e.event in SENTENCES]
    if not rows:
        return {}
    ids = {e.actor_id for e in rows if e.actor_id}
    for e in rows:
        person = (e.after or e.before or {}).get("user")
        if isinstance(person, int):
            ids.add(person)
        if e.event == Event.USER_DEACTIVATED and e.target_id.isdigit():
            ids.add(int(e.target_id))
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    out = {}
    for e in rows:
        data = e.after or e.before or {}
        person_id = data.get("user")
        if e.event == Event.USER_DEACTIVATED and e.target_id.isdigit():
            person_id = int(e.target_id)
        actor = names.get(e.actor_id) or (
            _("The system") if e.actor_name in ("", "system") else e.actor_name
        )
        out[e.pk] = SENTENCES[Event(e.event)]() % {
            "actor": actor,
            "person": names.get(person_id, e.target_repr),
            "role": _role(data.get("role")),
            "email": data.get("email", ""),
            "login": data.get("login", e.actor_name),
            "address": data.get("address", "") or "?",
            "when": _when(e.created_at),
        }
    return out
