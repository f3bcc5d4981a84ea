"""Writes to the participant register. Every function takes the acting user (`by`; SYSTEM for
the demo loader and the scheduled erasure), validates fully before writing and logs the access
(finsam.participants.access).

By sub-domain: registration, sessions (ratings), exit (and the exit survey), corrections,
consent, extract (registerutdrag), erasure, codes (the follow-up's code lists),
survey_questions, rating_settings, access_log (its export); common holds what they share.
Every name other code uses is re-exported here.
"""

from __future__ import annotations

from finsam.participants.access import access_log_write, audit_rows_read
from finsam.participants.services.access_log import access_log_export_record
from finsam.participants.services.codes import (
    CODE_FIELDS,
    DEFAULT_CODES,
    codes_ensure_defaults,
    follow_up_code_create,
    follow_up_code_in_use,
    follow_up_code_update,
)
from finsam.participants.services.common import (
    ORS_FIELDS,
    RATING_STEP,
    SECRET_CHANGED,
    SECRET_EMPTY,
    SECRET_REMOVED,
    SECRET_SET,
    decrypt_or_blank,
)
from finsam.participants.services.consent import ConsentChange, participant_consent_change
from finsam.participants.services.corrections import (
    ENTRY_FIELDS,
    EXIT_FIELDS,
    REASON_MAX_LENGTH,
    SESSION_FIELDS,
    age_from_birth_year,
    enrolment_correct_entry,
    enrolment_correct_exit,
    participant_correct,
    session_correct,
    session_delete,
)
from finsam.participants.services.erasure import (
    ERASED_MARK,
    erase_expired,
    participant_erase,
)
from finsam.participants.services.exit import (
    answer_field,
    enrolment_exit,
    exit_survey_record,
)
from finsam.participants.services.extract import (
    RECIPIENTS,
    participant_export,
    participant_export_pdf,
)
from finsam.participants.services.rating_settings import (
    rating_rules_for,
    rating_settings_for,
    rating_settings_update,
)
from finsam.participants.services.registration import participant_register
from finsam.participants.services.sessions import (
    SessionResult,
    session_record,
    srs_flag_message,
)
from finsam.participants.services.survey_questions import (
    SURVEY_QUESTION_FIELDS,
    TEXT_ANSWER_MAX,
    survey_question_create,
    survey_question_delete,
    survey_question_move,
    survey_question_update,
    survey_questions,
)

__all__ = [
    "access_log_write",
    "audit_rows_read",
    "ORS_FIELDS",
    "decrypt_or_blank",
    "SECRET_EMPTY",
    "SECRET_SET",
    "SECRET_CHANGED",
    "SECRET_REMOVED",
    "RATING_STEP",
    "DEFAULT_CODES",
    "codes_ensure_defaults",
    "follow_up_code_create",
    "CODE_FIELDS",
    "follow_up_code_in_use",
    "follow_up_code_update",
    "rating_settings_for",
    "rating_rules_for",
    "rating_settings_update",
    "SURVEY_QUESTION_FIELDS",
    "TEXT_ANSWER_MAX",
    "survey_questions",
    "survey_question_create",
    "survey_question_update",
    "survey_question_move",
    "survey_question_delete",
    "participant_register",
    "SessionResult",
    "session_record",
    "srs_flag_message",
    "enrolment_exit",
    "answer_field",
    "exit_survey_record",
    "RECIPIENTS",
    "participant_export",
    "participant_export_pdf",
    "ERASED_MARK",
    "participant_erase",
    "erase_expired",
    "REASON_MAX_LENGTH",
    "ENTRY_FIELDS",
    "EXIT_FIELDS",
    "SESSION_FIELDS",
    "enrolment_correct_entry",
    "age_from_birth_year",
    "enrolment_correct_exit",
    "session_correct",
    "session_delete",
    "participant_correct",
    "ConsentChange",
    "participant_consent_change",
    "access_log_export_record",
]
