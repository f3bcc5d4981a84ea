"""Who may open and change a saved report, and why not."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.organisation.access import can


def can_open_report(user, report) -> tuple[bool, str]:
    """The owner, or anyone in the association when it is shared. What they then see is limited
    by their own role (the data set's capability and its app's selectors)."""
    if not can(user, report.association, "association.view"):
        return False, _("The report belongs to another association.")
    if report.owner_id == getattr(user, "pk", None) or report.shared:
        return True, ""
    return False, _("The report has not been shared. Only its owner can open it.")


def can_change_report(user, report) -> tuple[bool, str]:
    if report.owner_id == getattr(user, "pk", None) and can(
        user, report.association, "association.view"
    ):
        return True, ""
    return False, _("Only the report's owner can change or remove it.")
