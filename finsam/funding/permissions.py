"""Who may see and change which funding object, and why not. Views ask first and show the reason."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.organisation.access import check, roles_of
from finsam.organisation.models import Membership, Role

# Roles that read every application and intervention of their association.
READS_ALL_APPLICATIONS = frozenset({Role.OFFICE, Role.ECONOMIST, Role.BOARD, Role.AUDITOR})
READS_ALL_INTERVENTIONS = READS_ALL_APPLICATIONS | {Role.MEMBER_ORG}


def sees_all_applications(user, association) -> bool:
    return bool(roles_of(user, association) & READS_ALL_APPLICATIONS)


def sees_submitted_applications(user, association) -> bool:
    """The advisory group reads what has been sent to the association, never someone's draft."""
    return Role.ADVISORY in roles_of(user, association)


def sees_all_interventions(user, association) -> bool:
    return bool(roles_of(user, association) & READS_ALL_INTERVENTIONS)


def member_ids_of(user, association) -> list[int]:
    """The member organisations a member-organisation user speaks for in this association."""
    return [
        pk
        for pk in Membership.objects.filter(
            user=user, association=association, role=Role.MEMBER_ORG, member__isnull=False
        ).values_list("member_id", flat=True)
    ]


def can_edit_application(user, application) -> tuple[bool, str]:
    from finsam.funding.models import Application

    if application.status in (Application.Status.DECIDED, Application.Status.WITHDRAWN):
        return False, _("The application is %(status)s and can no longer be changed.") % {
            "status": application.get_status_display().lower()
        }
    roles = roles_of(user, application.association)
    if Role.OFFICE in roles:
        return True, ""
    if Role.MEMBER_ORG in roles:
        if application.status != Application.Status.DRAFT:
            return False, _(
                "The application has been submitted and can no longer be changed by the applicant. "
                "Contact the association's office if anything needs correcting."
            )
        return True, ""
    return False, _("Only member organisations and the office can write applications.")


def can_apply_for(user, association, applicants) -> tuple[bool, str]:
    """Whom an application may be for. A member organisation's user applies for their own
    organisation, alone or together with others, never for other organisations alone; the office
    writes for anyone. (Who may write applications at all is the capability
    applications.draft.)"""
    roles = roles_of(user, association)
    if Role.OFFICE in roles or Role.MEMBER_ORG not in roles:
        return True, ""
    if not applicants:
        return True, ""  # a draft names its applicants later; submitting requires at least one
    own = member_ids_of(user, association)
    if not own:
        return False, _(
            "Your account is not linked to a member organisation, so you cannot apply for funding. "
            "Ask the association's office to link the account to your organisation."
        )
    if any(m.pk in own for m in applicants):
        return True, ""
    from finsam.organisation.models import Member

    names = ", ".join(Member.objects.filter(pk__in=own).values_list("name", flat=True))
    return False, _(
        "Choose your own organisation (%(own)s) among the applicants. An application for other "
        "organisations is made by them or by the association's office."
    ) % {"own": names}


def can_request_requisition(user, intervention) -> tuple[bool, str]:
    roles = roles_of(user, intervention.association)
    if roles & {Role.OFFICE, Role.ECONOMIST}:
        return True, ""
    if Role.STAFF in roles and intervention.staff.filter(pk=user.pk).exists():
        return True, ""
    return False, _(
        "Only the intervention's staff, the office and the finance officer can request payments."
    )


def can_decide_requisition(user, requisition, to: str) -> tuple[bool, str]:
    """Approving, rejecting and marking as paid belong to the office and the economist, and
    nobody approves a payment they requested themselves (two people see every approval)."""
    from finsam.funding.models import Requisition

    allowed, why = check(user, requisition.grant.intervention.association, "requisitions.approve")
    if not allowed:
        return False, why
    if to == Requisition.Status.APPROVED and requisition.requested_by_id == user.pk:
        return False, _(
            "You requested this payment yourself; another person at the office or the economist "
            "approves it."
        )
    return True, ""


def with_approval_refusals(user, requisitions) -> list:
    """The payments as a list, each with `approval_refusal`: why `user` may not approve it, or
    "" if they may. Pages show the reason instead of an Approve button that would be refused —
    by the user's role, by withdrawn funds or by the grant's ceiling (the rules the approval
    itself checks, funding.services.requisitions)."""
    from finsam.funding.models import Requisition
    from finsam.funding.rules import approval_error, grant_committed

    rows = list(requisitions)
    committed: dict[int, object] = {}
    for requisition in rows:
        requisition.approval_refusal = ""
        if requisition.status != Requisition.Status.REQUESTED:
            continue
        allowed, why = can_decide_requisition(user, requisition, Requisition.Status.APPROVED)
        if not allowed:
            requisition.approval_refusal = why
            continue
        grant = requisition.grant
        if grant.pk not in committed:
            committed[grant.pk] = grant_committed(grant)
        requisition.approval_refusal = (
            approval_error(grant, committed[grant.pk], requisition.amount) or ""
        )
    return rows


def can_write_report(user, report) -> tuple[bool, str]:
    """The office, or staff of that very intervention; only while the report is open. An oral
    presentation is never written: the office records where it was held."""
    if report.is_oral:
        return False, _(
            "An oral presentation is not written as a report. The office records at which board "
            "meeting it was held."
        )
    if not report.is_open:
        return False, _("The report is %(status)s and can no longer be changed.") % {
            "status": report.get_status_display().lower()
        }
    roles = roles_of(user, report.intervention.association)
    if Role.OFFICE in roles:
        return True, ""
    if Role.STAFF in roles and report.intervention.staff.filter(pk=user.pk).exists():
        return True, ""
    return False, _(
        "Only the intervention's staff and the office can write the intervention's reports."
    )


def can_manage_attachments(user, application) -> tuple[bool, str]:
    """Attachments are added and removed while the application is a draft, by whoever may edit it."""
    from finsam.funding.models import Application

    if application.status != Application.Status.DRAFT:
        return False, _(
            "Attachments can only be added or removed while the application is a draft."
        )
    return can_edit_application(user, application)


# Read every steering group's meetings and minutes of their association.
READS_ALL_STEERING_MEETINGS = frozenset({Role.OFFICE, Role.BOARD, Role.AUDITOR})


def _is_staff_of(user, intervention) -> bool:
    # Through all() so that a prefetched staff list (intervention_get) costs no query.
    return any(u.pk == user.pk for u in intervention.staff.all())


def can_manage_steering_group(user, intervention) -> tuple[bool, str]:
    """Members and meetings are kept by the office and by the intervention's own staff."""
    from finsam.organisation.access import REFUSALS

    roles = roles_of(user, intervention.association)
    if Role.OFFICE in roles:
        return True, ""
    if Role.STAFF in roles and _is_staff_of(user, intervention):
        return True, ""
    return False, str(REFUSALS["steering.manage"])


def can_read_steering_meetings(user, intervention) -> tuple[bool, str]:
    """Meetings and minutes: office, board, auditors, the intervention's staff, and member
    organisations taking part in the intervention. Every role that sees the intervention still
    sees the steering group itself and the yearly count of meetings."""
    from finsam.organisation.access import REFUSALS

    association = intervention.association
    roles = roles_of(user, association)
    if roles & READS_ALL_STEERING_MEETINGS:
        return True, ""
    if Role.STAFF in roles and _is_staff_of(user, intervention):
        return True, ""
    if Role.MEMBER_ORG in roles:
        mine = set(member_ids_of(user, association))
        if any(m.pk in mine for m in intervention.members.all()):
            return True, ""
    return False, str(REFUSALS["steering.view"])
