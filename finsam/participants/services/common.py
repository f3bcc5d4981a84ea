"""What every write to the register shares: the keys, the staff and changeability checks, and
values written the way a person reads them (for the audit rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from finsam.core.actors import is_system
from finsam.participants import access
from finsam.participants.crypto import decrypt_text
from finsam.participants.models import FollowUpCode, Participant
from finsam.participants.permissions import can_change_data, can_change_exit

ORS_FIELDS = ("ors_individual", "ors_interpersonal", "ors_social", "ors_overall")


def _secret() -> bytes:
    return settings.PARTICIPANT_HASH_SECRET.encode("utf-8")


def _keys() -> list[str]:
    return list(settings.PARTICIPANT_ENCRYPTION_KEYS)


def decrypt_or_blank(token: str) -> str:
    return decrypt_text(token, keys=_keys()) if token else ""


def _check_codes(association, values: dict[str, tuple[FollowUpCode | None, str]], errors) -> None:
    for field_name, (code, list_name) in values.items():
        if code is not None and (
            code.association_id != association.pk or code.list_name != list_name
        ):
            errors[field_name] = _("Choose a value from the association's code list.")


def _require_changeable(participant: Participant, *, exit_only: bool = False) -> None:
    """Erased participants are statistics; a withdrawn consent leaves only the exit open."""
    allowed, reason = (can_change_exit if exit_only else can_change_data)(participant)
    if not allowed:
        raise PermissionDenied(reason)


def _require_staff(by, intervention) -> None:
    if is_system(by):  # the system (demo loader, tests building state)
        return
    access.require_staff(by, intervention)


#: What the audit row says instead of an encrypted value.
SECRET_EMPTY = "(tomt)"
SECRET_SET = "(ifyllt, visas inte)"
SECRET_CHANGED = "(ändrat, visas inte)"
SECRET_REMOVED = "(borttaget)"
RATING_STEP = Decimal("0.1")


def _readable(value: Any) -> Any:
    """A JSON-safe value the way a person reads it in the audit log and the history."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value.quantize(RATING_STEP))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if isinstance(value, int | str | bool):
        return value
    return str(value)


def _state(obj, names: Sequence[str]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        if name == "involved_members":
            value = list(value.all()) if obj.pk else []
        elif name == "kind":
            value = obj.get_kind_display()
        out[name] = _readable(value)
    return out


def _consent_state(participant: Participant) -> dict[str, Any]:
    return _state(
        participant,
        ("consent_date", "consent_scope", "consent_withdrawn_on", "consent_withdrawal_note"),
    )
