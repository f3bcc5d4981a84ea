"""Failed logins and lockouts in the audit trail: one row per association of the account that
was tried (so its office and auditors see it), or one row without association for a name that
matches nobody. Connected in `OrganisationConfig.ready`."""

from __future__ import annotations

from finsam.accounts.models import User
from finsam.core.identity_numbers import mask_identity_numbers
from finsam.organisation.audit import Event
from finsam.organisation.models import Association, AuditEvent


def _record(event: Event, login: str, request) -> None:
    login = mask_identity_numbers(str(login or ""))[:150]
    user = User.objects.filter(username__iexact=login).first() if login else None
    associations = (
        list(Association.objects.filter(memberships__user=user).distinct()) if user else []
    )
    address = (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:64]
    for association in associations or [None]:
        AuditEvent.objects.create(
            association=association,
            actor=None,
            actor_name=login,
            event=event.value,
            action=event.value.rsplit(".", 1)[-1],
            target_type=str(User._meta.verbose_name),
            target_model=User._meta.label_lower if user else "",
            target_id=str(user.pk) if user else "",
            target_repr=str(user) if user else login,
            after={"login": login, "address": address},
        )


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    _record(Event.LOGIN_FAILED, credentials.get("username") or credentials.get("login"), request)


def login_locked_out(sender, request, login, **kwargs) -> None:
    _record(Event.LOGIN_LOCKED_OUT, login, request)
