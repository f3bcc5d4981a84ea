"""An association's people: creating an association with its first office user, invitations,
granting and revoking roles, deactivating. Every write takes its actor and is audited in the
same transaction; the invitation e-mail goes out after the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.accounts.models import User
from finsam.core.actors import SYSTEM, is_system, require_actor
from finsam.organisation import audit
from finsam.organisation.access import PARTICIPANT_DATA_READERS, can
from finsam.organisation.audit import Event, audited_create, audited_delete, audited_update
from finsam.organisation.models import Association, Invitation, Member, MemberKind, Membership, Role

# --- who may do what here ------------------------------------------------------------------------


def may_administer_installation(user) -> bool:
    """Installation administrators (not the Django superuser) create associations."""
    return is_system(user) or bool(
        getattr(user, "is_active", False) and getattr(user, "is_installation_admin", False)
    )


def _require_installation_admin(by) -> None:
    if not may_administer_installation(by):
        raise PermissionDenied(_("Only an installation administrator can create associations."))


def _require_people_manager(by, association: Association) -> None:
    if not (
        is_system(by) or may_administer_installation(by) or can(by, association, "people.manage")
    ):
        raise PermissionDenied(_("Only the office can invite people and grant or revoke roles."))


# --- creating an association -----------------------------------------------------------------------


@transaction.atomic
def association_create(
    *,
    by,
    name: str,
    slug: str,
    org_number: str = "",
    county: str = "",
    members: list[tuple[str, str]] = (),
    require_second_factor: bool = False,
) -> Association:
    """A new association with its members: (name, kind) pairs, kinds from `MemberKind`. The
    state's two agencies pay together through Försäkringskassan (Arbetsförmedlingen's key 0)."""
    require_actor(by)
    _require_installation_admin(by)
    if Association.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another association already has this short name.")})
    if Association.objects.filter(name=name).exists():
        raise ValidationError({"name": _("Another association already has this name.")})
    association = audited_create(
        Association,
        by=by,
        event=Event.ASSOCIATION_CREATED,
        name=name,
        slug=slug,
        org_number=org_number,
        county=county,
        require_second_factor=require_second_factor,
    )
    for order, (member_name, kind) in enumerate(members, start=1):
        key = (
            0
            if kind == MemberKind.STATE_AGENCY and "arbetsförmedlingen" in member_name.lower()
            else 1
        )
        audited_create(
            Member,
            by=by,
            event=Event.MEMBER_CREATED,
            association=association,
            name=member_name,
            kind=kind,
            key=key,
            sort_order=order,
        )
    return association


@transaction.atomic
def association_onboard(*, by, office_email: str, **fields) -> SentInvitation:
    """A new association (`association_create`'s fields) and the invitation of its first office
    user, together or not at all: the installation page and `create_association` both."""
    association = association_create(by=by, **fields)
    return invitation_create(association=association, email=office_email, role=Role.OFFICE, by=by)


# --- invitations -----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return settings.FINSAM_BASE_URL.rstrip("/") + reverse("organisation:invitation", args=[token])


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    link: str  # shown once: only a hash of its token is stored


@transaction.atomic
def invitation_create(
    *, association: Association, email: str, role: str, by, now: dt.datetime | None = None
) -> SentInvitation:
    """Invite `email` to `role` in `association`: a one-time link, valid FINSAM_INVITATION_DAYS."""
    require_actor(by)
    _require_people_manager(by, association)
    email = email.strip().lower()
    if Membership.objects.filter(
        association=association, role=role, user__email__iexact=email
    ).exists():
        raise ValidationError({"email": _("This person already has the role in the association.")})
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        association=association,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=by if isinstance(by, User) else None,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.FINSAM_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        event=Event.INVITATION_SENT,
        actor=by,
        target=invitation,
        after={"email": email, "role": role, "expires_at": invitation.expires_at},
    )
    link = invitation_link(token)
    transaction.on_commit(lambda: _send_invitation(invitation=invitation, link=link))
    return SentInvitation(invitation=invitation, link=link)


def _send_invitation(*, invitation: Invitation, link: str) -> None:
    role = Role(invitation.role).label
    send_mail(
        subject=_("Invitation to Finsam: %(association)s")
        % {"association": invitation.association},
        message=_(
            "You have been invited to Finsam as %(role)s in %(association)s.\n\n"
            "Open the link to choose your password%(factor)s:\n%(link)s\n\n"
            "The link can be used once and is valid until %(until)s."
        )
        % {
            "role": str(role).lower(),
            "association": invitation.association,
            "factor": _(" and set up a second factor") if _needs_factor(invitation) else "",
            "link": link,
            "until": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        },
        from_email=None,
        recipient_list=[invitation.email],
    )


def _needs_factor(invitation: Invitation) -> bool:
    from finsam.organisation.access import SECOND_FACTOR_ROLES

    return invitation.role in SECOND_FACTOR_ROLES or invitation.association.require_second_factor


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("association", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )


def invitation_check_open(invitation: Invitation | None, *, now: dt.datetime | None = None) -> None:
    if invitation is None:
        raise ValidationError(_("The invitation link is not valid. Ask the office for a new one."))
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("The invitation has already been used. Log in, or ask the office for a new one.")
        )
    if not invitation.is_open(now):
        raise ValidationError(
            _("The invitation expired on %(date)s. Ask the office to send a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")}
        )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    first_name: str,
    last_name: str,
    password: str,
    now: dt.datetime | None = None,
) -> User:
    """The invitee becomes a user with the invited role; the link cannot be used again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_open(invitation, now=now)
    if (
        User.objects.filter(email__iexact=invitation.email).exists()
        or User.objects.filter(username__iexact=invitation.email).exists()
    ):
        raise ValidationError(
            _(
                "There is already a user with this e-mail address. Log in and open the link "
                "again to take up the role."
            )
        )
    user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.full_clean()
    user.save()
    return _take_up(invitation=invitation, user=user, now=now)


@transaction.atomic
def invitation_accept_as(*, invitation: Invitation, user: User, now=None) -> User:
    """An existing user, logged in, takes up the invited role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_open(invitation, now=now)
    if user.email.lower() != invitation.email:
        raise ValidationError(
            _("The invitation was sent to another e-mail address than your account's.")
        )
    return _take_up(invitation=invitation, user=user, now=now)


def _take_up(*, invitation: Invitation, user: User, now) -> User:
    invitation.accepted_at = now or timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit.record(
        event=Event.INVITATION_ACCEPTED,
        actor=user,
        target=invitation,
        after={"email": invitation.email, "role": invitation.role},
    )
    if not Membership.objects.filter(
        user=user, association=invitation.association, role=invitation.role
    ).exists():
        # The inviter gave the role; the invitee only took it up.
        audited_create(
            Membership,
            by=invitation.invited_by or SYSTEM,
            event=Event.MEMBERSHIP_CREATED,
            user=user,
            association=invitation.association,
            role=invitation.role,
        )
    return user


# --- roles -----------------------------------------------------------------------------------------


def membership_grant(
    *, association: Association, user: User, role: str, by, member: Member | None = None
) -> Membership:
    """Give `user` (already one of the association's people) another role here."""
    require_actor(by)
    _require_people_manager(by, association)
    if not Membership.objects.filter(user=user, association=association).exists():
        raise ValidationError(_("Invite the person first: they have no role in the association."))
    if Membership.objects.filter(user=user, association=association, role=role).exists():
        raise ValidationError({"role": _("%(person)s already has this role.") % {"person": user}})
    return audited_create(
        Membership,
        by=by,
        event=Event.MEMBERSHIP_CREATED,
        user=user,
        association=association,
        role=role,
        member=member,
    )


def _check_office_remains(association: Association, removing: list[Membership]) -> None:
    office = Membership.objects.filter(
        association=association, role=Role.OFFICE, user__is_active=True
    )
    if not office.exclude(pk__in=[m.pk for m in removing]).exists():
        raise ValidationError(
            _(
                "The association must keep at least one office user. Give someone else the role first."
            )
        )


@transaction.atomic
def membership_revoke(*, membership: Membership, by) -> None:
    require_actor(by)
    _require_people_manager(by, membership.association)
    if membership.role == Role.OFFICE:
        _check_office_remains(membership.association, [membership])
    audited_delete(membership, by=by, event=Event.MEMBERSHIP_DELETED)


@transaction.atomic
def person_deactivate(*, association: Association, user: User, by) -> None:
    """Remove every role `user` has here; with no role left anywhere, the account is closed."""
    require_actor(by)
    _require_people_manager(by, association)
    if getattr(by, "pk", None) == user.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    here = list(Membership.objects.filter(user=user, association=association))
    if not here:
        raise ValidationError(_("The person has no role in the association."))
    _check_office_remains(association, here)
    for membership in here:
        audited_delete(membership, by=by, event=Event.MEMBERSHIP_DELETED)
    if not Membership.objects.filter(user=user).exists():
        # Not audited_update: a user's snapshot would copy the password hash into the log.
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            event=Event.USER_DEACTIVATED,
            actor=by,
            target=user,
            association=association,
            before={"is_active": True},
            after={"is_active": False},
        )


def association_require_second_factor(
    *, association: Association, required: bool, by
) -> Association:
    _require_people_manager(by, association)
    return audited_update(
        association,
        {"require_second_factor": required},
        fields=["require_second_factor"],
        by=by,
        event=Event.ASSOCIATION_UPDATED,
    )


# --- reads -----------------------------------------------------------------------------------------


@dataclass
class Person:
    user: User
    memberships: list[Membership] = field(default_factory=list)
    has_second_factor: bool = False

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}


def people(*, user, association: Association) -> list[Person]:
    """The association's people with their roles here, for the office."""
    from allauth.mfa.models import Authenticator

    if not can(user, association, "people.manage"):
        raise PermissionDenied("people.manage")
    rows: dict[int, Person] = {}
    for m in (
        Membership.objects.filter(association=association)
        .select_related("user", "member")
        .order_by("user__first_name", "user__last_name", "user__username", "role")
    ):
        rows.setdefault(m.user_id, Person(user=m.user)).memberships.append(m)
    with_factor = set(
        Authenticator.objects.filter(
            user_id__in=rows, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).values_list("user_id", flat=True)
    )
    for pk, person in rows.items():
        person.has_second_factor = pk in with_factor
    return list(rows.values())


def person_get(*, user, association: Association, pk: int) -> User:
    """One of the association's people; 404 for anyone else (another association's people)."""
    from django.http import Http404

    if not can(user, association, "people.manage"):
        raise PermissionDenied("people.manage")
    found = User.objects.filter(pk=pk, memberships__association=association).distinct().first()
    if found is None:
        raise Http404
    return found


def membership_get(*, user, association: Association, pk: int) -> Membership:
    from django.shortcuts import get_object_or_404

    if not can(user, association, "people.manage"):
        raise PermissionDenied("people.manage")
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, association=association
    )


def open_invitations(*, user, association: Association, now=None) -> list[Invitation]:
    if not can(user, association, "people.manage"):
        raise PermissionDenied("people.manage")
    return list(
        Invitation.objects.filter(
            association=association, accepted_at__isnull=True, expires_at__gt=now or timezone.now()
        ).select_related("invited_by")
    )


def participant_data_readers(*, user, association: Association) -> list[Membership]:
    """Who can read participant data here (the register, the access log), and since when."""
    if not can(user, association, "people.readers"):
        raise PermissionDenied("people.readers")
    return list(
        Membership.objects.filter(association=association, role__in=PARTICIPANT_DATA_READERS)
        .select_related("user")
        .order_by("granted_at", "user__username")
    )


def associations_for_installation(*, user) -> list[Association]:
    if not may_administer_installation(user):
        raise PermissionDenied
    return list(Association.objects.order_by("name"))


def member_kinds_from_lines(text: str, kind: str) -> list[tuple[str, str]]:
    return [(line.strip(), kind) for line in text.splitlines() if line.strip()]
