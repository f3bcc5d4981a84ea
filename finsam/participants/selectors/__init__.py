"""Reads of the participant register's personal data, for those who may see it.

Personal data: only staff of the intervention (the one rule in finsam.participants.access), and
every read writes the access log here, so no view can forget it. The statistics (aggregates,
suppressed) live in finsam.participants.statistics and are re-exported here for older callers.

Modules: enrolments (participations, sessions, surveys), history (corrections and who read the
data), national_export, access_log (the data-protection contact's), office (code lists and own
survey questions for the office).
"""

from __future__ import annotations

# Older callers read the statistics through `selectors`; new code imports
# finsam.participants.statistics directly.
from finsam.participants import statistics as _statistics
from finsam.participants.selectors.access_log import (
    ACCESS_LOG_COLUMNS,
    ACCESS_LOG_PER_PAGE,
    access_log,
    access_log_interventions,
    access_log_page,
    access_log_rows,
    access_log_usernames,
)
from finsam.participants.selectors.enrolments import (
    ENROLMENTS_PER_PAGE,
    EnrolmentRow,
    enrolment_for_staff,
    enrolment_sessions,
    enrolments_for_export,
    enrolments_for_intervention,
    exit_survey_initial,
    intervention_for_staff,
    other_enrolment_count,
    participant_contact,
    participant_name,
    session_for_staff,
    staff_interventions,
    survey_answers,
)
from finsam.participants.selectors.history import (
    CORRECTION_EVENTS,
    PARTICIPANT_LOG_PER_PAGE,
    Correction,
    correction_history,
    participant_access_history,
)
from finsam.participants.selectors.national_export import (
    NATIONAL_EXPORT_COLUMNS,
    national_export_rows,
)
from finsam.participants.selectors.office import codes_for_office, survey_questions_for_office
from finsam.participants.statistics import *  # noqa: F403

__all__ = [
    "staff_interventions",
    "intervention_for_staff",
    "EnrolmentRow",
    "ENROLMENTS_PER_PAGE",
    "enrolments_for_intervention",
    "enrolment_for_staff",
    "session_for_staff",
    "participant_name",
    "participant_contact",
    "enrolment_sessions",
    "survey_answers",
    "exit_survey_initial",
    "other_enrolment_count",
    "enrolments_for_export",
    "national_export_rows",
    "NATIONAL_EXPORT_COLUMNS",
    "CORRECTION_EVENTS",
    "Correction",
    "correction_history",
    "PARTICIPANT_LOG_PER_PAGE",
    "participant_access_history",
    "codes_for_office",
    "survey_questions_for_office",
    "ACCESS_LOG_PER_PAGE",
    "access_log",
    "access_log_page",
    "ACCESS_LOG_COLUMNS",
    "access_log_rows",
    "access_log_interventions",
    "access_log_usernames",
    *_statistics.__all__,
]
