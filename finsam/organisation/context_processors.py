from finsam.organisation.access import CAPABILITIES, can


class _Capabilities:
    """Lets templates ask `{% if perms_here.contributions_edit %}` for the current association.

    Only for showing or hiding links: every view checks the capability itself.
    """

    def __init__(self, user, association):
        self._user, self._association = user, association

    def __getattr__(self, name: str) -> bool:
        capability = name.replace("_", ".", 1)
        if capability not in CAPABILITIES:
            raise AttributeError(name)
        return can(self._user, self._association, capability)


# Funding pages that belong under "Applications" in the main menu; every other funding page
# (interventions, reports, steering groups, payments) belongs under "Interventions".
_APPLICATION_PAGE_WORDS = ("application", "call", "criteri", "assessment", "decision", "attachment")
_APPLICATION_PAGES = ("agenda", "settings_edit")


def _funding_section(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None or match.app_name not in ("funding", "reporting"):
        return None
    if match.app_name == "reporting":  # the status reports belong to the interventions
        return "interventions"
    name = match.url_name or ""
    if name in _APPLICATION_PAGES or any(word in name for word in _APPLICATION_PAGE_WORDS):
        return "applications"
    return "interventions"


def tenancy(request):
    association = getattr(request, "association", None)
    user = getattr(request, "user", None)
    associations = []
    if user is not None and user.is_authenticated:
        from finsam.organisation.selectors import associations_for_user

        associations = associations_for_user(user=user)
    return {
        "current_association": association,
        "my_associations": associations,
        "perms_here": _Capabilities(user, association) if association else None,
        "funding_section": _funding_section(request),
    }
