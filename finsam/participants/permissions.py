"""Who may see a participant's data, and why not. Role alone is not enough: a staff member sees
only the interventions whose staff list (funding.Intervention.staff) holds them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.accounts.models import Role
from finsam.core.permissions import roles_of


def is_intervention_staff(user, intervention) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if Role.STAFF not in roles_of(user, intervention.association):
        return False
    return intervention.staff.filter(pk=user.pk).exists()


def can_register_in(user, intervention) -> tuple[bool, str]:
    if is_intervention_staff(user, intervention):
        return True, ""
    return False, _(
        "Du är inte insatspersonal i %(intervention)s. Deltagarnas uppgifter är bara öppna för "
        "insatsens egen personal; kansliet lägger till personal under Insatser."
    ) % {"intervention": intervention.title}
