"""One audit vocabulary: every create, update and delete of domain data is recorded here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from finsam.core.models import AuditEvent


class Event(models.TextChoices):
    ASSOCIATION_UPDATED = "association.updated", _("Förbundets uppgifter ändrade")
    MEMBER_CREATED = "member.created", _("Medlem tillagd")
    MEMBER_UPDATED = "member.updated", _("Medlem ändrad")
    MEMBER_DELETED = "member.deleted", _("Medlem borttagen")
    CONTRIBUTIONS_SET = "contributions.set", _("Medlemsavgifter fastställda")
    CONTRIBUTION_YEAR_DELETED = "contributions.deleted", _("Medlemsavgifter för ett år borttagna")
    BOARD_SEAT_CREATED = "board_seat.created", _("Styrelseplats tillagd")
    BOARD_SEAT_UPDATED = "board_seat.updated", _("Styrelseplats ändrad")
    BOARD_SEAT_DELETED = "board_seat.deleted", _("Styrelseplats borttagen")
    MEETING_CREATED = "meeting.created", _("Sammanträde tillagt")
    MEETING_UPDATED = "meeting.updated", _("Sammanträde ändrat")
    MEETING_DELETED = "meeting.deleted", _("Sammanträde borttaget")
    AGENDA_ITEM_CREATED = "agenda_item.created", _("Ärende tillagt")
    AGENDA_ITEM_DELETED = "agenda_item.deleted", _("Ärende borttaget")
    CYCLE_ITEM_CREATED = "cycle_item.created", _("Punkt i årshjulet tillagd")
    CYCLE_ITEM_UPDATED = "cycle_item.updated", _("Punkt i årshjulet ändrad")
    CYCLE_ITEM_DELETED = "cycle_item.deleted", _("Punkt i årshjulet borttagen")
    BUDGET_CREATED = "budget.created", _("Budget skapad")
    BUDGET_UPDATED = "budget.updated", _("Budget ändrad")
    BUDGET_AMOUNT_SET = "budget_amount.set", _("Budgetbelopp ändrat")
    RULE_CREATED = "financial_rule.created", _("Finansiell regel tillagd")
    RULE_UPDATED = "financial_rule.updated", _("Finansiell regel ändrad")
    RULE_DELETED = "financial_rule.deleted", _("Finansiell regel borttagen")
    LEDGER_IMPORTED = "ledger.imported", _("Bokföring importerad (SIE)")
    ACCOUNT_MAPPING_CREATED = "account_mapping.created", _("Kontomappning tillagd")
    ACCOUNT_MAPPING_DELETED = "account_mapping.deleted", _("Kontomappning borttagen")
    FOLLOW_UP_SET = "follow_up.set", _("Periodisering eller prognos ändrad")
    MEMBERSHIP_CREATED = "membership.created", _("Behörighet tilldelad")
    MEMBERSHIP_DELETED = "membership.deleted", _("Behörighet borttagen")
    FUNDING_SETTINGS_UPDATED = "funding_settings.updated", _("Standardvillkor för beslut ändrade")
    CRITERION_CREATED = "criterion.created", _("Bedömningskriterium tillagt")
    CRITERION_UPDATED = "criterion.updated", _("Bedömningskriterium ändrat")
    CRITERION_DELETED = "criterion.deleted", _("Bedömningskriterium borttaget")
    CALL_CREATED = "call.created", _("Utlysning skapad")
    CALL_UPDATED = "call.updated", _("Utlysning ändrad")
    CALL_CLOSED = "call.closed", _("Utlysning stängd")
    APPLICATION_CREATED = "application.created", _("Ansökan skapad")
    APPLICATION_UPDATED = "application.updated", _("Ansökan ändrad")
    APPLICATION_STATUS_CHANGED = "application.status", _("Ansökans status ändrad")
    ASSESSMENT_SET = "assessment.set", _("Bedömning av ansökan sparad")
    DECISION_RECORDED = "decision.recorded", _("Styrelsebeslut registrerat")
    INTERVENTION_CREATED = "intervention.created", _("Insats skapad")
    INTERVENTION_UPDATED = "intervention.updated", _("Insats ändrad")
    GRANT_CREATED = "grant.created", _("Medel beviljade")
    GRANT_WITHDRAWN = "grant.withdrawn", _("Beviljade medel återkallade")
    PAYMENT_REQUESTED = "payment.requested", _("Utbetalning begärd")
    PAYMENT_STATUS_CHANGED = "payment.status", _("Utbetalningens status ändrad")
    PAYMENT_MOVED = "payment.moved", _("Utbetalning flyttad till ändrade beviljade medel")
    REPORT_DUE = "report.due", _("Rapport att lämna skapad")
    REPORT_WITHDRAWN = "report.withdrawn", _("Rapport som inte längre ska lämnas borttagen")
    REPORT_UPDATED = "report.updated", _("Rapport ändrad")
    REPORT_STATUS_CHANGED = "report.status", _("Rapportens status ändrad")
    ATTACHMENT_ADDED = "attachment.added", _("Bilaga tillagd")
    ATTACHMENT_DELETED = "attachment.deleted", _("Bilaga borttagen")
    STEERING_MEMBER_CREATED = "steering_member.created", _("Styrgruppsledamot tillagd")
    STEERING_MEMBER_UPDATED = "steering_member.updated", _("Styrgruppsledamot ändrad")
    STEERING_MEMBER_DELETED = "steering_member.deleted", _("Styrgruppsledamot borttagen")
    STEERING_MEETING_CREATED = "steering_meeting.created", _("Styrgruppsmöte tillagt")
    STEERING_MEETING_UPDATED = "steering_meeting.updated", _("Styrgruppsmöte ändrat")
    STEERING_MEETING_DELETED = "steering_meeting.deleted", _("Styrgruppsmöte borttaget")
    STEERING_MINUTES_ADDED = "steering_minutes.added", _("Protokoll från styrgruppsmöte uppladdat")
    STEERING_MINUTES_DELETED = (
        "steering_minutes.deleted",
        _("Protokoll från styrgruppsmöte borttaget"),
    )
    # Reads are audited too: minutes name people and may touch on individual cases.
    STEERING_MINUTES_DOWNLOADED = (
        "steering_minutes.downloaded",
        _("Protokoll från styrgruppsmöte hämtat"),
    )
    FOLLOW_UP_CODE_CREATED = "follow_up_code.created", _("Uppföljningskod tillagd")
    FOLLOW_UP_CODE_UPDATED = "follow_up_code.updated", _("Uppföljningskod ändrad")
    SURVEY_QUESTION_CREATED = "survey_question.created", _("Fråga i avslutsenkäten tillagd")
    SURVEY_QUESTION_UPDATED = "survey_question.updated", _("Fråga i avslutsenkäten ändrad")
    SURVEY_QUESTION_DELETED = "survey_question.deleted", _("Fråga i avslutsenkäten borttagen")
    RATING_SETTINGS_UPDATED = "rating_settings.updated", _("Regler för ORS och SRS ändrade")
    PARTICIPANT_CORRECTED = "participant.corrected", _("Deltagarens namn eller kontakt rättade")
    PARTICIPANT_CONSENT_CHANGED = "participant.consent", _("Deltagarens samtycke ändrat")
    PARTICIPANT_CONSENT_WITHDRAWN = "participant.withdrawn", _("Deltagarens samtycke återkallat")
    ENROLMENT_ENTRY_CORRECTED = "enrolment.entry_corrected", _("Uppgifter vid start rättade")
    ENROLMENT_EXIT_CORRECTED = "enrolment.exit_corrected", _("Uppgifter vid avslut rättade")
    SESSION_CORRECTED = "session.corrected", _("Träff rättad")
    SESSION_DELETED = "session.deleted", _("Träff borttagen")
    PARTICIPANT_ERASED = "participant.erased", _("Deltagarens personuppgifter raderade")
    ACCESS_LOG_EXPORTED = "access_log.exported", _("Åtkomstloggen exporterad")


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
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        event=event.value,
        action=action,
        target_type=target._meta.verbose_name,
        target_model=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:255],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        intervention=intervention,
        personal_data=personal_data,
    )
