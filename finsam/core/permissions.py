"""The permission matrix: which role may do what, per association. Data, not scattered ifs.

Views ask `check(user, association, capability)` first and show the reason when refused.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from finsam.accounts.models import Membership, Role

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
    "payments.request": frozenset({Role.OFFICE, Role.ECONOMIST, Role.STAFF}),
    "payments.approve": frozenset({Role.OFFICE, Role.ECONOMIST}),
    # The association-wide list of requisitions and payments (each intervention's own page
    # shows its payments to everyone who sees the intervention).
    "payments.view": frozenset({Role.OFFICE, Role.ECONOMIST, Role.AUDITOR}),
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
}

REFUSALS: dict[str, str] = {
    "association.edit": _("Bara kansliet kan ändra förbundets uppgifter."),
    "members.edit": _("Bara kansliet kan ändra medlemmar."),
    "contributions.view": _("Din roll ger inte tillgång till medlemsavgifterna."),
    "contributions.edit": _("Bara kansliet och ekonomen kan ändra medlemsavgifter."),
    "board.edit": _("Bara kansliet kan ändra styrelsen."),
    "meetings.edit": _("Bara kansliet kan ändra sammanträden och årshjulet."),
    "budget.view": _("Budgeten är öppen för kansliet, ekonomen, styrelsen och revisorerna."),
    "budget.edit": _("Bara kansliet och ekonomen kan ändra budgeten och de finansiella reglerna."),
    "audit.view": _("Granskningsloggen är öppen för kansliet och revisorerna."),
    "users.view": _("Bara kansliet kan se förbundets användare."),
    "funding.edit": _(
        "Bara kansliet kan ändra utlysningar, bedömningskriterier, standardvillkor och "
        "insatspersonal."
    ),
    "applications.draft": _("Bara medlemsorganisationer och kansliet kan skriva ansökningar."),
    "applications.assess": _("Bara kansliet och beredningsgruppen kan bedöma ansökningar."),
    "assessments.manage": _(
        "Bara kansliet kan markera en ansökan som bedömd, återsända den och lägga den på "
        "styrelsens dagordning."
    ),
    "assessments.view": _(
        "Bedömningarna är öppna för kansliet, beredningsgruppen, styrelsen och revisorerna."
    ),
    "decisions.record": _(
        "Bara styrelsens ledamöter och kansliet kan registrera styrelsens beslut."
    ),
    "payments.request": _("Bara insatspersonal, kansliet och ekonomen kan begära utbetalningar."),
    "payments.approve": _("Bara kansliet och ekonomen kan godkänna utbetalningar."),
    "payments.view": _(
        "Förbundets samlade lista över rekvisitioner är öppen för kansliet, ekonomen och "
        "revisorerna."
    ),
    "reports.write": _("Bara insatsens personal och kansliet kan skriva rapporter."),
    "reports.review": _("Bara kansliet kan granska och godkänna rapporter."),
    "steering.manage": _(
        "Bara insatsens personal och kansliet kan ändra styrgruppen och dess möten."
    ),
    "steering.view": _(
        "Styrgruppens möten och protokoll är öppna för kansliet, styrelsen, revisorerna, "
        "insatsens personal och de medlemsorganisationer som deltar i insatsen."
    ),
    "participants.register": _(
        "Enskilda deltagares uppgifter är bara öppna för insatsens egen personal. Kansliet, "
        "styrelsen och revisorerna ser sammanställd statistik, aldrig enskilda deltagare."
    ),
    "participants.statistics": _("Din roll ger inte tillgång till deltagarstatistiken."),
    "participants.access_log": _(
        "Loggen över åtkomst till deltagaruppgifter är bara öppen för förbundets "
        "dataskyddskontakt (rollen Dataskyddskontakt)."
    ),
    "participants.codes": _("Bara kansliet kan ändra kodlistorna för uppföljningen."),
    "participants.survey": _("Bara kansliet kan ändra avslutsenkätens egna frågor."),
    "participants.ratings": _(
        "Bara kansliet kan ändra reglerna för ORS och SRS (kliniska gränser och larmnivåer)."
    ),
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
    return False, str(REFUSALS.get(capability, _("Din roll ger inte behörighet till detta.")))


def can(user, association, capability: str) -> bool:
    return check(user, association, capability)[0]
