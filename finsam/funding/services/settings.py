"""The association's funding settings (default decision terms), its assessment criteria, and the
reporting terms in force for an intervention."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from finsam.funding.models import (
    APPROVED_OUTCOMES,
    AssessmentCriterion,
    Decision,
    FundingSettings,
    Grant,
    Intervention,
)
from finsam.organisation.audit import Event, audited_create, audited_delete, audited_update
from finsam.organisation.models import Association


def funding_settings_for(association: Association) -> FundingSettings:
    """The association's defaults; an unsaved instance with the standard defaults if none."""
    found = FundingSettings.objects.filter(association=association).first()
    return found or FundingSettings(association=association)


# What the settings form (forms.FundingSettingsForm) and the demo write.
FUNDING_SETTINGS_FIELDS = [
    "annual_report_only",
    "interim_report_month",
    "interim_report_day",
    "annual_report_month",
    "annual_report_day",
    "oral_presentations_per_year",
    "oral_presentation_month",
    "oral_presentation_day",
    "steering_meetings_expected",
]
# What the criterion form (forms.CriterionForm) writes.
CRITERION_FIELDS = ["title", "description", "sort_order", "is_active"]


def funding_settings_update(
    *, association: Association, data: dict[str, Any], by
) -> FundingSettings:
    return audited_update(
        funding_settings_for(association),
        data,
        fields=FUNDING_SETTINGS_FIELDS,
        by=by,
        event=Event.FUNDING_SETTINGS_UPDATED,
    )


def criterion_create(*, association: Association, by, **fields: Any) -> AssessmentCriterion:
    return audited_create(
        AssessmentCriterion, by=by, event=Event.CRITERION_CREATED, association=association, **fields
    )


def criterion_update(
    *, criterion: AssessmentCriterion, data: dict[str, Any], by
) -> AssessmentCriterion:
    return audited_update(
        criterion, data, fields=CRITERION_FIELDS, by=by, event=Event.CRITERION_UPDATED
    )


@transaction.atomic
def criterion_delete(*, criterion: AssessmentCriterion, by) -> None:
    if criterion.assessments.exists():
        raise ValidationError(
            _(
                "The criterion “%(title)s” has been used in assessments and cannot be removed. "
                "Untick “in use” instead, so that the earlier assessments are kept."
            )
            % {"title": criterion.title}
        )
    audited_delete(criterion, by=by, event=Event.CRITERION_DELETED)


TERM_NAMES = [
    "annual_report_only",
    "interim_report_month",
    "interim_report_day",
    "annual_report_month",
    "annual_report_day",
    "oral_presentations_per_year",
    "oral_presentation_month",
    "oral_presentation_day",
]


def _decision_terms(association: Association, terms: dict[str, Any] | None) -> dict[str, Any]:
    defaults = funding_settings_for(association)
    out = {name: getattr(defaults, name) for name in TERM_NAMES}
    out.update({k: v for k, v in (terms or {}).items() if k in TERM_NAMES and v is not None})
    return out


def _latest_change(intervention: Intervention) -> Decision | None:
    return (
        Decision.objects.filter(intervention=intervention, kind=Decision.Kind.CHANGE)
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
        .first()
    )


def _terms_for_grant(grant: Grant, latest_change: Decision | None, defaults: FundingSettings):
    """A grant reports on its own decision's terms, unless a later change decision set the
    intervention's terms anew (a change decision always carries the terms in force after it)."""
    own = grant.decision
    if latest_change is not None and (
        own is None or (latest_change.meeting.date, latest_change.pk) >= (own.meeting.date, own.pk)
    ):
        return latest_change
    return own or defaults


def intervention_terms(intervention: Intervention) -> dict[str, Any]:
    """The reporting terms in force: the latest approving or change decision's, else the
    association's defaults."""
    latest = (
        Decision.objects.filter(intervention=intervention)
        .filter(
            Q(kind=Decision.Kind.CHANGE)
            | Q(kind=Decision.Kind.APPLICATION, outcome__in=APPROVED_OUTCOMES)
        )
        .order_by("-meeting__date", "-pk")
        .first()
    )
    if latest is None:
        return _decision_terms(intervention.association, None)
    return {name: getattr(latest, name) for name in TERM_NAMES}
