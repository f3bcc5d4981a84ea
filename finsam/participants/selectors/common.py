"""What the personal-data reads share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from finsam.organisation.access import can


def _require(user, association, capability: str) -> None:
    if not can(user, association, capability):
        raise PermissionDenied(capability)
