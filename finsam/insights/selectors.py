"""Reads of insights' own rows, scoped to the association and the user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from finsam.insights.models import ComparisonConsent, SavedReport
from finsam.insights.permissions import can_open_report
from finsam.organisation.access import can
from finsam.organisation.models import Association
from finsam.organisation.people import associations_for_installation


def saved_reports(*, user, association) -> QuerySet[SavedReport]:
    """The user's own reports and those shared within the association."""
    if not can(user, association, "association.view"):
        raise PermissionDenied("association.view")
    return (
        SavedReport.objects.filter(association=association)
        .filter(Q(owner=user) | Q(shared=True))
        .select_related("owner")
        .order_by("name", "pk")
    )


def saved_report_get(*, user, association, pk: int) -> SavedReport:
    report = get_object_or_404(
        SavedReport.objects.select_related("association", "owner"), association=association, pk=pk
    )
    allowed, reason = can_open_report(user, report)
    if not allowed:
        raise PermissionDenied(reason)
    return report


def comparison_consent(*, user, association) -> bool:
    if not can(user, association, "association.edit"):
        raise PermissionDenied("association.edit")
    return ComparisonConsent.objects.filter(association=association, public=True).exists()


def publicly_compared() -> QuerySet[Association]:
    """The associations whose office has opted in to the public comparison."""
    return Association.objects.filter(comparison_consent__public=True).order_by("name")


def installation_associations(*, user) -> list[Association]:
    """Every association of the installation, for its administrator (403 for anyone else)."""
    return associations_for_installation(user=user)
