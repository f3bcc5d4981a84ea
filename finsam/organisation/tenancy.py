"""Tenancy: every association page resolves the association from the URL among the user's own.

A user who is not a member of the association gets 404 (we do not confirm that it exists); a member
whose role lacks the capability gets 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from finsam.organisation.access import check, roles_of


def association_view(capability: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            from finsam.organisation.selectors import association_for_user

            association = association_for_user(user=request.user, slug=slug)
            if association is None:
                raise Http404
            allowed, reason = check(request.user, association, capability)
            if not allowed:
                raise PermissionDenied(reason)
            request.association = association
            request.roles = roles_of(request.user, association)
            return view(request, association, *args, **kwargs)

        wrapped.capability = capability
        return wrapped

    return decorator
