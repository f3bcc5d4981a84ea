"""Thin views: parse, check, call one service or selector, respond.

Personal pages are behind `participants.register` (staff only) and the selectors' check that the
user is staff of the intervention (finsam.participants.access); every read is logged by the
selectors and services. The URLconf reaches every view through this package.
"""

from __future__ import annotations

from finsam.participants.views.access_log import (
    access_log_export_view,
    access_log_view,
)
from finsam.participants.views.corrections import (
    consent_view,
    correct_entry_view,
    correct_exit_view,
    correct_person_view,
    session_delete_view,
    session_edit_view,
)
from finsam.participants.views.enrolments import (
    enrolment_view,
    erase_view,
    exit_view,
    export_json_view,
    export_pdf_view,
    participant_log_view,
    session_create_view,
    survey_view,
)
from finsam.participants.views.interventions import (
    index_view,
    intervention_view,
    national_export_view,
    register_view,
)
from finsam.participants.views.office import (
    code_edit_view,
    codes_view,
    rating_settings_view,
    survey_question_delete_view,
    survey_question_edit_view,
    survey_question_move_view,
    survey_questions_view,
)
from finsam.participants.views.statistics import (
    statistics_view,
    summary_csv_view,
)

__all__ = [
    "index_view",
    "intervention_view",
    "register_view",
    "national_export_view",
    "enrolment_view",
    "participant_log_view",
    "session_create_view",
    "exit_view",
    "survey_view",
    "export_json_view",
    "export_pdf_view",
    "erase_view",
    "correct_entry_view",
    "correct_exit_view",
    "correct_person_view",
    "session_edit_view",
    "session_delete_view",
    "consent_view",
    "statistics_view",
    "summary_csv_view",
    "access_log_view",
    "access_log_export_view",
    "codes_view",
    "code_edit_view",
    "survey_questions_view",
    "survey_question_edit_view",
    "survey_question_move_view",
    "survey_question_delete_view",
    "rating_settings_view",
]
