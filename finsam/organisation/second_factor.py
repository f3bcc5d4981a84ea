"""Who must log in with a second factor, and the middleware that holds them to it.

A second factor (an authenticator app, TOTP, or a security key / passkey, WebAuthn — allauth.mfa)
is required for installation administrators, for every role that reads participant data
(`access.SECOND_FACTOR_ROLES`) and for everyone in an association that requires it for all its
users. A logged-in user who must have one and has none is sent to set one up before anything
else; allauth's login asks every user who has one for it.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from finsam.organisation.access import SECOND_FACTOR_ROLES
from finsam.organisation.models import Membership

# A user may still reach these without a second factor: setting one up, logging out, the
# language switch, password change and static files.
# The public pages and the open API (finsam.publishing) are the same for everyone, logged in or not.
OPEN_PREFIXES = ("/konto/", "/i18n/", "/static/", "/publikt/", "/api/")
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def second_factor_required(user) -> bool:
    """True when `user` may not work without a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_installation_admin", False):
        return True
    # One query per request: a role that reads participant data, or an association that
    # requires a second factor of everyone.
    return (
        Membership.objects.filter(user=user)
        .filter(Q(role__in=SECOND_FACTOR_ROLES) | Q(association__require_second_factor=True))
        .exists()
    )


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def lacks_required_second_factor(user) -> bool:
    return second_factor_required(user) and not has_second_factor(user)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.user.is_authenticated
            and not path.startswith(OPEN_PREFIXES)
            and lacks_required_second_factor(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives access to personal data: set up a second factor (an "
                    "authenticator app or a security key) before you go on."
                ),
            )
            target = reverse("mfa_index")
            if request.headers.get("HX-Request"):
                response = redirect(target)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)
