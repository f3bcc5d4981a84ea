from finsam.core.permissions import CAPABILITIES, can


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
    }
