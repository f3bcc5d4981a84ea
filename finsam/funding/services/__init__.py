"""The funding services: every write of the funding app, one module per stage of an
intervention's life (settings and criteria, calls, applications, assessments, decisions,
interventions, requisitions, reports, reminders, attachments, steering groups).

Every function takes the acting user (`by`; `SYSTEM` for work nobody clicked), validates fully
before writing, and records an audit row in the same transaction. The status flows are in
`finsam.funding.transitions`, the money rules in `finsam.funding.rules`.

This package re-exports the names the rest of Finsam imports from `finsam.funding.services`.
"""

from __future__ import annotations

from finsam.funding.rules import (
    call_granted_total,
    call_grants_q,
    grant_committed,
    kind_shares_error,
)
from finsam.funding.services.applications import (
    ApplicationContent,
    application_create,
    application_reopen_assessment,
    application_return_to_applicant,
    application_submit,
    application_update,
    application_withdraw,
)
from finsam.funding.services.assessments import (
    application_assessment_summary,
    application_mark_assessed,
    application_put_on_agenda,
    assessment_set,
)
from finsam.funding.services.attachments import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    attachment_add,
    attachment_delete,
)
from finsam.funding.services.calls import call_close, call_create, call_update
from finsam.funding.services.decisions import (
    decision_record,
    intervention_change,
    intervention_end,
    intervention_import,
    normalise_paragraph,
)
from finsam.funding.services.interventions import (
    goal_measure_problem,
    grant_years,
    intervention_goal_measures_set,
    intervention_staff_set,
)
from finsam.funding.services.reminders import REMINDER_DAYS_AHEAD, reminders_send
from finsam.funding.services.reports import (
    REPORT_DAYS_TO_SUBMIT,
    oral_presentation_held,
    report_approve,
    report_periods,
    report_return,
    report_submit,
    report_transition,
    report_update,
    reporting_duties,
    reports_sync,
)
from finsam.funding.services.requisitions import (
    payment_plan_create,
    payment_request,
    payment_transition,
)
from finsam.funding.services.settings import (
    criterion_create,
    criterion_delete,
    criterion_update,
    funding_settings_for,
    funding_settings_update,
    intervention_terms,
)
from finsam.funding.services.steering import (
    MINUTES_DUE_DAYS,
    steering_follow_up,
    steering_meeting_create,
    steering_meeting_delete,
    steering_meeting_update,
    steering_member_create,
    steering_member_delete,
    steering_member_update,
    steering_minutes_downloaded,
)
from finsam.funding.transitions import (
    DECIDABLE_STATUSES,
    ORAL_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    REPORT_TRANSITIONS,
    TRANSITIONS,
    InvalidTransition,
    application_transition,
)

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "ApplicationContent",
    "DECIDABLE_STATUSES",
    "InvalidTransition",
    "MINUTES_DUE_DAYS",
    "ORAL_TRANSITIONS",
    "PAYMENT_TRANSITIONS",
    "REMINDER_DAYS_AHEAD",
    "REPORT_DAYS_TO_SUBMIT",
    "REPORT_TRANSITIONS",
    "TRANSITIONS",
    "application_assessment_summary",
    "application_create",
    "application_mark_assessed",
    "application_put_on_agenda",
    "application_reopen_assessment",
    "application_return_to_applicant",
    "application_submit",
    "application_transition",
    "application_update",
    "application_withdraw",
    "assessment_set",
    "attachment_add",
    "attachment_delete",
    "call_close",
    "call_create",
    "call_granted_total",
    "call_grants_q",
    "call_update",
    "criterion_create",
    "criterion_delete",
    "criterion_update",
    "decision_record",
    "funding_settings_for",
    "funding_settings_update",
    "goal_measure_problem",
    "grant_committed",
    "grant_years",
    "intervention_change",
    "intervention_end",
    "intervention_goal_measures_set",
    "intervention_import",
    "intervention_staff_set",
    "intervention_terms",
    "kind_shares_error",
    "normalise_paragraph",
    "oral_presentation_held",
    "payment_plan_create",
    "payment_request",
    "payment_transition",
    "reminders_send",
    "report_approve",
    "report_periods",
    "report_return",
    "report_submit",
    "report_transition",
    "report_update",
    "reporting_duties",
    "reports_sync",
    "steering_follow_up",
    "steering_meeting_create",
    "steering_meeting_delete",
    "steering_meeting_update",
    "steering_member_create",
    "steering_member_delete",
    "steering_member_update",
    "steering_minutes_downloaded",
]
