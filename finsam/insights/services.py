"""Every write of insights: the comparison consent and saved reports. Audited, keyword-only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from finsam.core.actors import require_actor
from finsam.insights.models import ComparisonConsent, SavedReport
from finsam.insights.permissions import can_change_report
from finsam.organisation.access import can
from finsam.organisation.audit import Event, audited_create, audited_delete, audited_update

REPORT_FIELDS = ["name", "dataset", "columns", "filters", "shared"]


@transaction.atomic
def comparison_consent_set(*, association, public: bool, by) -> ComparisonConsent:
    """The office says whether the association's key figures appear on the public comparison."""
    require_actor(by)
    if not can(by, association, "association.edit"):
        raise PermissionDenied("association.edit")
    consent = ComparisonConsent.objects.select_for_update().filter(association=association).first()
    if consent is None:
        return audited_create(
            ComparisonConsent,
            by=by,
            event=Event.COMPARISON_CONSENT_SET,
            association=association,
            public=public,
        )
    return audited_update(
        consent, {"public": public}, fields=["public"], by=by, event=Event.COMPARISON_CONSENT_SET
    )


def _jsonable_filters(filters: dict) -> dict:
    return {k: v for k, v in filters.items() if v not in (None, "")}


def saved_report_create(
    *, association, name: str, dataset: str, columns: list[str], filters: dict, shared: bool, by
) -> SavedReport:
    require_actor(by)
    if not can(by, association, "association.view"):
        raise PermissionDenied("association.view")
    return audited_create(
        SavedReport,
        by=by,
        event=Event.SAVED_REPORT_CREATED,
        association=association,
        owner=by,
        name=name,
        dataset=dataset,
        columns=list(columns),
        filters=_jsonable_filters(filters),
        shared=shared,
    )


def saved_report_update(*, report: SavedReport, data: dict, by) -> SavedReport:
    require_actor(by)
    if not can_change_report(by, report)[0]:
        raise PermissionDenied("saved_report")
    if "filters" in data:
        data = {**data, "filters": _jsonable_filters(data["filters"])}
    return audited_update(
        report, data, fields=REPORT_FIELDS, by=by, event=Event.SAVED_REPORT_UPDATED
    )


def saved_report_delete(*, report: SavedReport, by) -> None:
    require_actor(by)
    if not can_change_report(by, report)[0]:
        raise PermissionDenied("saved_report")
    audited_delete(report, by=by, event=Event.SAVED_REPORT_DELETED)
