"""The permission matrix: which role may do what, per association. Data, not scattered ifs.

Views ask `check(user, association, capability)` first and show the reason when refused.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from finsam.organisation.models import Membership, Role

ALL_ROLES = frozenset(Role)
ECONOMIC_READERS = frozenset({Role.OFFICE, Role.ECONOMIST, Role.BOARD, Role.AUDITOR})

CAPABILITIES: dict[str, frozenset[Role]] = {
    "association.view": ALL_ROLES,
    "association.edit": frozenset({Role.OFFICE}),
    "members.view": ALL_ROLES,
    "members.edit": frozenset({Role.OFFICE}),
    "contributions.view": ECONOMIC_READERS | {Role.MEMBER_ORG},
    "contributions.edit": frozenset({Role.OFFICE, Role.ECONOMIST}),
    "board.view": ALL_ROLES,
    "board.edit": frozenset({Role.OFFICE}),
    "meetings.view": ALL_ROLES,
    "meetings.edit": frozenset({Role.OFFICE}),
    "budget.view": ECONOMIC_READERS,
    "budget.edit": frozenset({Role.OFFICE, Role.ECONOMIST}),
    "audit.view": frozenset({Role.OFFICE, Role.AUDITOR}),
    "users.view": frozenset({Role.OFFICE}),
    # The association's people: invite, grant and revoke roles, deactivate (finsam/organisation/
    # people.py). Who can read participant data, and since when: the data-protection contact.
    "people.manage": frozenset({Role.OFFICE}),
    "people.readers": frozenset({Role.PRIVACY}),
    "funding.view": ALL_ROLES,
    "funding.edit": frozenset({Role.OFFICE}),
    "applications.draft": frozenset({Role.MEMBER_ORG, Role.OFFICE}),
    # Scoring: the office and the advisory group. Marking the application assessed, putting it
    # on the agenda and returning it stay with the office (assessments.manage).
    "applications.assess": frozenset({Role.OFFICE, Role.ADVISORY}),
    "assessments.manage": frozenset({Role.OFFICE}),
    "assessments.view": frozenset({Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ADVISORY}),
    # The board decides at its meetings; its members or the office write the decision in.
    "decisions.record": frozenset({Role.OFFICE, Role.BOARD}),
    "requisitions.request": frozenset({Role.OFFICE, Role.ECONOMIST, Role.STAFF}),
    "requisitions.approve": frozenset({Role.OFFICE, Role.ECONOMIST}),
    # The association-wide list of requisitions and payments (each intervention's own page
    # shows its payments to everyone who sees the intervention).
    "requisitions.view": frozenset({Role.OFFICE, Role.ECONOMIST, Role.AUDITOR}),
    # Status reports: staff write only their own interventions' (finsam.funding.permissions).
    "reports.write": frozenset({Role.OFFICE, Role.STAFF}),
    "reports.review": frozenset({Role.OFFICE}),
    # Steering groups: staff change only their own interventions' (finsam.funding.permissions).
    "steering.manage": frozenset({Role.OFFICE, Role.STAFF}),
    # Meetings and minutes: member organisations only for interventions they take part in.
    "steering.view": frozenset(
        {Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.STAFF, Role.MEMBER_ORG}
    ),
    # Personal data: staff only, and only in interventions where they are staff (checked in
    # finsam.participants.selectors). Everyone else sees aggregates.
    "participants.register": frozenset({Role.STAFF}),
    "participants.statistics": frozenset(
        {Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ECONOMIST, Role.STAFF}
    ),
    # Who read which participant's data: the data-protection contact only, not the whole office.
    "participants.access_log": frozenset({Role.PRIVACY}),
    "participants.codes": frozenset({Role.OFFICE}),
    "participants.survey": frozenset({Role.OFFICE}),
    "participants.ratings": frozenset({Role.OFFICE}),
    # The association's own goals, its activities and its internal control: the office writes;
    # the board, the auditors and the finance officer read; staff read the goals their
    # interventions serve (finsam.goals.selectors).
    "goals.view": frozenset({Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ECONOMIST, Role.STAFF}),
    "goals.edit": frozenset({Role.OFFICE}),
    "control.view": frozenset({Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ECONOMIST}),
    # Documents the board adopts: the office writes and sees drafts; the board, the auditors
    # and the finance officer read adopted documents (finsam.documents.selectors).
    "documents.view": ECONOMIC_READERS,
    "documents.edit": frozenset({Role.OFFICE}),
    # The public catalogue, its publication and the open API's tokens (finsam.publishing).
    "publishing.edit": frozenset({Role.OFFICE}),
}

# Roles that read participant data: the register (staff) and the log of who read whom (the
# data-protection contact). Their users must log in with a second factor.
PARTICIPANT_DATA_READERS = CAPABILITIES["participants.register"] | {Role.PRIVACY}
SECOND_FACTOR_ROLES = PARTICIPANT_DATA_READERS

REFUSALS: dict[str, str] = {
    "publishing.edit": _("Only the office can publish and manage the public pages and API tokens."),
    "association.edit": _("Only the office can change the association's details."),
    "members.edit": _("Only the office can change members."),
    "contributions.view": _("Your role does not give access to the member contributions."),
    "contributions.edit": _(
        "Only the office and the finance officer can change member contributions."
    ),
    "board.edit": _("Only the office can change the board."),
    "meetings.edit": _("Only the office can change meetings and the annual cycle."),
    "budget.view": _(
        "The budget is open to the office, the finance officer, the board and the auditors."
    ),
    "budget.edit": _(
        "Only the office and the finance officer can change the budget and the financial rules."
    ),
    "audit.view": _("The audit log is open to the office and the auditors."),
    "users.view": _("Only the office can see the association's users."),
    "people.manage": _("Only the office can invite people and grant or revoke their roles."),
    "people.readers": _(
        "The list of who can read participant data is open to the data-protection contact."
    ),
    "funding.edit": _(
        "Only the office can change calls, assessment criteria, default terms and intervention "
        "staff."
    ),
    "applications.draft": _("Only member organisations and the office can write applications."),
    "applications.assess": _("Only the office and the advisory group can assess applications."),
    "assessments.manage": _(
        "Only the office can mark an application as assessed, return it and put it on the board's "
        "agenda."
    ),
    "assessments.view": _(
        "Assessments are open to the office, the advisory group, the board and the auditors."
    ),
    "decisions.record": _("Only board members and the office can record the board's decisions."),
    "requisitions.request": _(
        "Only intervention staff, the office and the finance officer can request payments."
    ),
    "requisitions.approve": _("Only the office and the finance officer can approve payments."),
    "requisitions.view": _(
        "The association's list of requisitions is open to the office, the economist and the "
        "auditors."
    ),
    "reports.write": _("Only the intervention's staff and the office can write reports."),
    "reports.review": _("Only the office can review and approve reports."),
    "steering.manage": _(
        "Only the intervention's staff and the office can change the steering group and its "
        "meetings."
    ),
    "steering.view": _(
        "The steering group's meetings and minutes are open to the office, the board, the "
        "auditors, the intervention's staff and the member organisations taking part in the "
        "intervention."
    ),
    "participants.register": _(
        "Individual participants' data is only open to the intervention's own staff. The office, "
        "the board and the auditors see aggregated statistics, never individual participants."
    ),
    "participants.statistics": _("Your role does not give access to the participant statistics."),
    "participants.access_log": _(
        "The log of access to participant data is open only to the association's data-protection "
        "contact (the role Data-protection contact)."
    ),
    "participants.codes": _("Only the office can change the code lists for follow-up."),
    "participants.survey": _("Only the office can change the exit survey's own questions."),
    "participants.ratings": _(
        "Only the office can change the rules for ORS and SRS (clinical cutoffs and alert levels)."
    ),
    "goals.view": _(
        "The association's goals and activities are open to the office, the board, the auditors, "
        "the finance officer and the interventions' staff."
    ),
    "goals.edit": _(
        "Only the office can change goals, measures, activities and the internal control plan."
    ),
    "control.view": _(
        "The internal control plan is open to the office, the board, the auditors and the finance "
        "officer."
    ),
    "documents.view": _(
        "The association's documents are open to the office, the finance officer, the board and "
        "the auditors."
    ),
    "documents.edit": _("Only the office can write, generate and adopt documents."),
}


def roles_of(user, association) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or association is None:
        return frozenset()
    cache = getattr(user, "_finsam_roles", None)
    if cache is None:
        cache = user._finsam_roles = {}
    if association.pk not in cache:
        cache[association.pk] = frozenset(
            Role(r)
            for r in Membership.objects.filter(user=user, association=association).values_list(
                "role", flat=True
            )
        )
    return cache[association.pk]


def check(user, association, capability: str) -> tuple[bool, str]:
    """(allowed, reason). The reason is shown to the user on refusal."""
    allowed_roles = CAPABILITIES[capability]
    if roles_of(user, association) & allowed_roles:
        return True, ""
    return False, str(
        REFUSALS.get(capability, _("Your role does not give you permission to do this."))
    )


def can(user, association, capability: str) -> bool:
    return check(user, association, capability)[0]
