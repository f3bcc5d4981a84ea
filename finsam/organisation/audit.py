"""One audit vocabulary: every create, update and delete of domain data is recorded here."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from finsam.core.actors import user_or_none
from finsam.core.identity_numbers import mask_identity_numbers
from finsam.organisation.models import AuditEvent


class Event(models.TextChoices):
    ASSOCIATION_CREATED = "association.created", _("Association created")
    ASSOCIATION_UPDATED = "association.updated", _("Association details updated")
    MEMBER_CREATED = "member.created", _("Member added")
    MEMBER_UPDATED = "member.updated", _("Member updated")
    MEMBER_DELETED = "member.deleted", _("Member removed")
    CONTRIBUTIONS_SET = "contributions.set", _("Member contributions set")
    CONTRIBUTION_YEAR_DELETED = (
        "contributions.deleted",
        _("Member contributions for a year removed"),
    )
    BOARD_SEAT_CREATED = "board_seat.created", _("Board seat added")
    BOARD_SEAT_UPDATED = "board_seat.updated", _("Board seat updated")
    BOARD_SEAT_DELETED = "board_seat.deleted", _("Board seat removed")
    MEETING_CREATED = "meeting.created", _("Meeting added")
    MEETING_UPDATED = "meeting.updated", _("Meeting updated")
    MEETING_DELETED = "meeting.deleted", _("Meeting removed")
    AGENDA_ITEM_CREATED = "agenda_item.created", _("Agenda item added")
    AGENDA_ITEM_DELETED = "agenda_item.deleted", _("Agenda item removed")
    CYCLE_ITEM_CREATED = "cycle_item.created", _("Annual cycle item added")
    CYCLE_ITEM_UPDATED = "cycle_item.updated", _("Annual cycle item updated")
    CYCLE_ITEM_DELETED = "cycle_item.deleted", _("Annual cycle item removed")
    BUDGET_CREATED = "budget.created", _("Budget created")
    BUDGET_UPDATED = "budget.updated", _("Budget updated")
    BUDGET_AMOUNT_SET = "budget_amount.set", _("Budget amounts updated")
    RULE_CREATED = "financial_rule.created", _("Financial rule added")
    RULE_UPDATED = "financial_rule.updated", _("Financial rule updated")
    RULE_DELETED = "financial_rule.deleted", _("Financial rule removed")
    LEDGER_IMPORTED = "ledger.imported", _("Accounting data imported (SIE)")
    ACCOUNT_MAPPING_CREATED = "account_mapping.created", _("Account mapping added")
    ACCOUNT_MAPPING_DELETED = "account_mapping.deleted", _("Account mapping removed")
    FOLLOW_UP_SET = "follow_up.set", _("Accrual or forecast updated")
    MEMBERSHIP_CREATED = "membership.created", _("Permission granted")
    MEMBERSHIP_DELETED = "membership.deleted", _("Permission revoked")
    INVITATION_SENT = "invitation.created", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    USER_DEACTIVATED = "user.deactivated", _("User deactivated")
    LOGIN_FAILED = "login.failed", _("Failed login")
    LOGIN_LOCKED_OUT = "login.locked", _("Login locked after too many failed attempts")
    FUNDING_SETTINGS_UPDATED = "funding_settings.updated", _("Default decision terms updated")
    CRITERION_CREATED = "criterion.created", _("Assessment criterion added")
    CRITERION_UPDATED = "criterion.updated", _("Assessment criterion updated")
    CRITERION_DELETED = "criterion.deleted", _("Assessment criterion removed")
    CALL_CREATED = "call.created", _("Call created")
    CALL_UPDATED = "call.updated", _("Call updated")
    CALL_CLOSED = "call.closed", _("Call closed")
    APPLICATION_CREATED = "application.created", _("Application created")
    APPLICATION_UPDATED = "application.updated", _("Application updated")
    APPLICATION_STATUS_CHANGED = "application.status", _("Application status changed")
    ASSESSMENT_SET = "assessment.set", _("Application assessment saved")
    DECISION_RECORDED = "decision.recorded", _("Board decision recorded")
    INTERVENTION_CREATED = "intervention.created", _("Intervention created")
    INTERVENTION_UPDATED = "intervention.updated", _("Intervention updated")
    GRANT_CREATED = "grant.created", _("Funds granted")
    GRANT_WITHDRAWN = "grant.withdrawn", _("Granted funds withdrawn")
    CO_FINANCING_CREATED = "co_financing.created", _("Co-financing added")
    CO_FINANCING_UPDATED = "co_financing.updated", _("Co-financing changed")
    CO_FINANCING_DELETED = "co_financing.deleted", _("Co-financing removed")
    REQUISITION_REQUESTED = "requisition.requested", _("Payment requested")
    REQUISITION_STATUS_CHANGED = "requisition.status", _("Payment status changed")
    REQUISITION_MOVED = "requisition.moved", _("Payment moved to the changed grant")
    REPORT_DUE = "report.due", _("Report due created")
    REPORT_WITHDRAWN = "report.withdrawn", _("Report no longer due removed")
    REPORT_UPDATED = "report.updated", _("Report updated")
    REPORT_STATUS_CHANGED = "report.status", _("Report status changed")
    ATTACHMENT_ADDED = "attachment.added", _("Attachment added")
    ATTACHMENT_DELETED = "attachment.deleted", _("Attachment removed")
    STEERING_MEMBER_CREATED = "steering_member.created", _("Steering group member added")
    STEERING_MEMBER_UPDATED = "steering_member.updated", _("Steering group member changed")
    STEERING_MEMBER_DELETED = "steering_member.deleted", _("Steering group member removed")
    STEERING_MEETING_CREATED = "steering_meeting.created", _("Steering group meeting added")
    STEERING_MEETING_UPDATED = "steering_meeting.updated", _("Steering group meeting changed")
    STEERING_MEETING_DELETED = "steering_meeting.deleted", _("Steering group meeting removed")
    STEERING_MINUTES_ADDED = "steering_minutes.added", _("Steering group minutes uploaded")
    STEERING_MINUTES_DELETED = (
        "steering_minutes.deleted",
        _("Steering group minutes removed"),
    )
    # Reads are audited too: minutes name people and may touch on individual cases.
    STEERING_MINUTES_DOWNLOADED = (
        "steering_minutes.downloaded",
        _("Steering group minutes downloaded"),
    )
    FOLLOW_UP_CODE_CREATED = "follow_up_code.created", _("Follow-up code added")
    FOLLOW_UP_CODE_UPDATED = "follow_up_code.updated", _("Follow-up code updated")
    SURVEY_QUESTION_CREATED = "survey_question.created", _("Exit survey question added")
    SURVEY_QUESTION_UPDATED = "survey_question.updated", _("Exit survey question changed")
    SURVEY_QUESTION_DELETED = "survey_question.deleted", _("Exit survey question deleted")
    RATING_SETTINGS_UPDATED = "rating_settings.updated", _("Rules for ORS and SRS changed")
    PARTICIPANT_CORRECTED = "participant.corrected", _("Participant's name or contact corrected")
    PARTICIPANT_CONSENT_CHANGED = "participant.consent", _("Participant's consent changed")
    PARTICIPANT_CONSENT_WITHDRAWN = "participant.withdrawn", _("Participant's consent withdrawn")
    ENROLMENT_ENTRY_CORRECTED = "enrolment.entry_corrected", _("Entry data corrected")
    ENROLMENT_EXIT_CORRECTED = "enrolment.exit_corrected", _("Exit data corrected")
    SESSION_CORRECTED = "session.corrected", _("Session corrected")
    SESSION_DELETED = "session.deleted", _("Session deleted")
    PARTICIPANT_ERASED = "participant.erased", _("Participant's personal data erased")
    ACCESS_LOG_EXPORTED = "access_log.exported", _("Access log exported")
    EXTERNAL_GOAL_CREATED = "external_goal.created", _("External goal added")
    GOAL_AREA_CREATED = "goal_area.created", _("Goal area added")
    GOAL_CREATED = "goal.created", _("Goal added")
    GOAL_UPDATED = "goal.updated", _("Goal updated")
    GOAL_DELETED = "goal.deleted", _("Goal removed")
    MEASURE_CREATED = "measure.created", _("Measure added")
    MEASURE_UPDATED = "measure.updated", _("Measure updated")
    MEASURE_DELETED = "measure.deleted", _("Measure removed")
    GOAL_FIGURE_RECORDED = "goal_figure.created", _("Figure recorded for a measure")
    VOLUME_COUNT_RECORDED = "volume_count.created", _("Volume count recorded")
    GOAL_ASSESSED = "goal_assessment.set", _("Goal assessed for a period")
    ACTIVITY_CREATED = "activity.created", _("Activity added")
    ACTIVITY_UPDATED = "activity.updated", _("Activity updated")
    ACTIVITY_DELETED = "activity.deleted", _("Activity removed")
    ATTENDANCE_SET = "attendance.set", _("Activity attendance recorded")
    EVALUATION_SET = "evaluation.set", _("Activity evaluation recorded")
    CONTROL_PLAN_CREATED = "control_plan.created", _("Internal control plan added")
    CONTROL_PLAN_UPDATED = "control_plan.updated", _("Internal control plan updated")
    RISK_CREATED = "risk.created", _("Risk added")
    RISK_UPDATED = "risk.updated", _("Risk updated")
    CONTROL_CREATED = "control.created", _("Control added")
    CONTROL_UPDATED = "control.updated", _("Control updated")
    INSTRUMENT_LOADED = "indicator_instrument.created", _("Indicator instrument loaded")
    INSTRUMENT_UPDATED = "indicator_instrument.updated", _("Indicator instrument updated")
    INDICATOR_ITEM_UPDATED = "indicator_item.updated", _("Indicator statement updated")
    CAMPAIGN_CREATED = "indicator_campaign.created", _("Indicator campaign added")
    CAMPAIGN_UPDATED = "indicator_campaign.updated", _("Indicator campaign updated")
    CAMPAIGN_LINKS_CREATED = "indicator_links.created", _("Anonymous survey links created")
    INDICATOR_RESPONSE_RECORDED = "indicator_response.created", _("Indicator survey answered")
    COMPARISON_CONSENT_SET = "comparison_consent.set", _("Consent to the public comparison set")
    SAVED_REPORT_CREATED = "saved_report.created", _("Report saved")
    SAVED_REPORT_UPDATED = "saved_report.updated", _("Saved report changed")
    SAVED_REPORT_DELETED = "saved_report.deleted", _("Saved report removed")
    DOCUMENT_CREATED = "document.created", _("Document created")
    DOCUMENT_UPDATED = "document.updated", _("Document updated")
    DOCUMENT_TEXT_SAVED = "document_text.created", _("Document text saved")
    DOCUMENT_FLAG_ACKNOWLEDGED = "document_flag.created", _("Document flag acknowledged")
    DOCUMENT_GENERATED = "document_job.created", _("Document generation started")
    DOCUMENT_ADOPTED = "document.adopted", _("Document adopted")
    DOCUMENT_LOGO_SET = "document_settings.updated", _("Document logo changed")
    PUBLICATION_SETTINGS_UPDATED = (
        "publication_settings.updated",
        _("Public pages settings updated"),
    )
    CATALOGUE_ENTRY_CREATED = "catalogue_entry.created", _("Catalogue entry added")
    CATALOGUE_ENTRY_UPDATED = "catalogue_entry.updated", _("Catalogue entry updated")
    CATALOGUE_ENTRY_MOVED = (
        "catalogue_entry.moved",
        _("Catalogue entry moved in the editorial flow"),
    )
    CATALOGUE_RESULTS_UPDATED = "catalogue_results.updated", _("Published results updated")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model | None, exclude: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The audited state of a model instance: its concrete fields, JSON-safe."""
    if instance is None:
        return None
    data = model_to_dict(instance, exclude=["id", *exclude])
    for f in instance._meta.concrete_fields:
        # A form hands over Decimal("30") where the database gives Decimal("30.0000"): write
        # both with the field's own decimals so that an unchanged value does not look changed.
        if isinstance(f, models.DecimalField) and isinstance(data.get(f.name), Decimal):
            data[f.name] = data[f.name].quantize(Decimal(1).scaleb(-f.decimal_places))
    return {k: _jsonable(v) for k, v in data.items()}


def record(
    *,
    event: Event,
    actor: Any,
    target: models.Model,
    association: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    intervention: Any = None,
    personal_data: bool = False,
) -> AuditEvent:
    """Write one audit row. Call inside the service's transaction, after the change.

    `personal_data`: the row is about one participant of the register; its content is then
    shown only to staff of `intervention` (the one in whose context the change was made)."""
    action = event.value.rsplit(".", 1)[-1]
    if association is None:
        # The association's own changes belong to its log too.
        is_association = target._meta.label == "organisation.Association"
        association = target if is_association else getattr(target, "association", None)
    return AuditEvent.objects.create(
        association=association,
        actor=user_or_none(actor),
        actor_name=getattr(actor, "username", "") or "system",
        event=event.value,
        action=action,
        target_type=target._meta.verbose_name,
        target_model=target._meta.label_lower,
        target_id=str(target.pk or ""),
        # The log never stores an identity number in clear, whatever text a change carried.
        target_repr=mask_identity_numbers(str(target))[:255],
        before=mask_identity_numbers(_jsonable(before)) if before is not None else None,
        after=mask_identity_numbers(_jsonable(after)) if after is not None else None,
        intervention_id=getattr(intervention, "pk", intervention),
        personal_data=personal_data,
    )


# --- audited writes: the one create / update / delete every service uses -------------------------


@transaction.atomic
def audited_create(
    model: type[models.Model], *, by: Any, event: Event, **fields: Any
) -> models.Model:
    """Create, validate (`full_clean`) and save one row, and record it, in one transaction."""
    instance = model(**fields)
    instance.full_clean()
    instance.save()
    record(event=event, actor=by, target=instance, after=snapshot(instance))
    return instance


def with_changes(instance: models.Model, data: dict[str, Any], fields) -> models.Model:
    """A copy of `instance` with the allowed `fields` of `data` applied and nothing written: for a
    service to check a rule on the result before `audited_update` writes it."""
    candidate = copy.copy(instance)
    for name in fields:
        if name in data:
            setattr(candidate, name, data[name])
    return candidate


@transaction.atomic
def audited_update(
    instance: models.Model,
    data: dict[str, Any],
    *,
    fields: list[str] | tuple[str, ...],
    by: Any,
    event: Event,
    **record_kwargs: Any,
) -> models.Model:
    """Write the allowed `fields` found in `data` (HackSoft's `model_update`), validate, save,
    and record before and after in the same transaction.

    A key of `data` outside `fields` is a programming error and raises: a form that grows a
    field must not write it unnoticed. A field in `fields` that `data` lacks is left alone."""
    not_allowed = sorted(set(data) - set(fields))
    if not_allowed:
        raise ValueError(f"{type(instance).__name__}: fields not allowed here: {not_allowed}")
    stored = type(instance)._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    before = snapshot(stored)
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    instance.save()
    record(
        event=event,
        actor=by,
        target=instance,
        before=before,
        after=snapshot(instance),
        **record_kwargs,
    )
    return instance


@transaction.atomic
def audited_delete(instance: models.Model, *, by: Any, event: Event, **record_kwargs: Any) -> None:
    """Record what is removed, then remove it, in one transaction."""
    record(event=event, actor=by, target=instance, before=snapshot(instance), **record_kwargs)
    instance.delete()
