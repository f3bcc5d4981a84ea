"""The registerutdrag (GDPR art. 15): what the register holds about a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finsam.participants import access
from finsam.participants.access import access_log_write
from finsam.participants.models import (
    AccessLogEntry,
    Enrolment,
    Participant,
)
from finsam.participants.services.common import ORS_FIELDS, decrypt_or_blank

# --- registerutdrag and erasure -----------------------------------------------------------------


# What a registerutdrag (GDPR art. 15) made by intervention staff holds, and why.
#
# The data subject is entitled to a copy of their data and to know the purposes, the recipients
# or categories of recipient, and (CJEU C-579/21, Pankki S, 2023) when and why their data was
# consulted; not, as a rule, the identity of each employee who consulted it. The staff member
# who makes the extract must not learn what the register holds about the person in other
# interventions (the person's participation there is itself health-related data). So the
# extract holds:
# - the person's own data, consent and its withdrawal included, and the participations in the
#   interventions the requester is staff of;
# - the access log rows the requester may already see on the participant's page (their
#   interventions and association-wide rows), each with time, user, action and what; all of
#   them, never cut off;
# - for other interventions only counts (participations, access-log rows) with no titles,
#   users or dates, and where the rest is to be had: their staff, and the data-protection
#   contact, who reads the whole access log;
# - the categories of recipient.
RECIPIENTS = (
    gettext_noop("The intervention's staff: the data about the participation in the intervention."),
    gettext_noop(
        "The association's office, board, auditors and economist: only aggregated statistics, in "
        "which groups of fewer than 5 persons are not shown."
    ),
    gettext_noop(
        "National follow-up (Uppföljning Finsam): the data about the participation, registered by "
        "the intervention's staff, without name and contact details."
    ),
)


def participant_export(
    *, participant: Participant, enrolments: Sequence[Enrolment], by, intervention=None
) -> dict:
    """Registerutdrag: what the register holds about the person, as far as the requester's
    interventions go (see the note above). Logged as an export."""
    shown_interventions = {e.intervention_id for e in enrolments}
    shown_interventions |= set(
        access.interventions(by, participant.association).values_list("pk", flat=True)
    )
    log = AccessLogEntry.objects.filter(participant=participant)
    visible = Q(intervention__isnull=True) | Q(intervention_id__in=shown_interventions)
    other_enrolments = (
        Enrolment.objects.filter(participant=participant)
        .exclude(intervention_id__in=shown_interventions)
        .count()
    )
    data: dict[str, Any] = {
        "registerutdrag": {
            "forbund": participant.association.name,
            "skapat": timezone.localtime().isoformat(timespec="seconds"),
            "skapat_av": getattr(by, "username", "") or "system",
            "omfattning": _(
                "The data in the interventions where the person who made this extract is staff. "
                "Participations in other interventions are provided by their staff, and the "
                "association's data-protection contact can provide the whole access log."
            ),
        },
        "deltagare": {
            "referens": participant.reference,
            "namn": decrypt_or_blank(participant.name_encrypted),
            "kontaktuppgifter": decrypt_or_blank(participant.contact_encrypted),
            "fodelsear": participant.birth_year,
            "juridiskt_kon": participant.get_legal_gender_display(),
            "samtycke_datum": participant.consent_date.isoformat()
            if participant.consent_date
            else None,
            "samtycke_omfattar": participant.consent_scope,
            "samtycke_aterkallat": participant.consent_withdrawn_on.isoformat()
            if participant.consent_withdrawn_on
            else None,
            "aterkallelsen_omfattar": participant.consent_withdrawal_note,
            "registrerad": participant.created_at.date().isoformat(),
            "personnummer": _(
                "Not stored. The register only keeps a keyed checksum (pseudonym), year of birth "
                "and legal gender."
            ),
        },
        "mottagare": [_(text) for text in RECIPIENTS],
        "deltaganden": [],
        "deltaganden_i_andra_insatser": other_enrolments,
    }
    for e in enrolments:
        survey = getattr(e, "exit_survey", None) if hasattr(e, "exit_survey") else None
        data["deltaganden"].append(
            {
                "insats": e.intervention.title,
                "startdatum": e.start_date.isoformat(),
                "alder_vid_start": e.age_at_start,
                "remitterande": str(e.referring_member or ""),
                "samverkande_medlemmar": [str(m) for m in e.involved_members.all()],
                "sysselsattning_vid_start": str(e.entry_occupation or ""),
                "forsorjning_vid_start": str(e.entry_income_source or ""),
                "tid_utanfor": str(e.time_outside or ""),
                "utbildning": str(e.education or ""),
                "avslutsdatum": e.exit_date.isoformat() if e.exit_date else None,
                "avslutsorsak": str(e.exit_reason or ""),
                "sysselsattning_efter": str(e.exit_occupation or ""),
                "forsorjning_efter": str(e.exit_income_source or ""),
                "stegforflyttning": str(e.step_progress or ""),
                "traffar": [
                    {
                        "datum": s.date.isoformat(),
                        "typ": s.get_kind_display(),
                        "ors": [
                            None if getattr(s, f) is None else str(getattr(s, f))
                            for f in ORS_FIELDS
                        ],
                        "ors_totalt": None if s.ors_total is None else str(s.ors_total),
                        "srs_totalt": None if s.srs_total is None else str(s.srs_total),
                    }
                    for s in e.sessions.all()
                ],
                "avslutsenkat": None
                if survey is None
                else {
                    "nojd": survey.satisfied,
                    "sjalvskattad_forflyttning": survey.self_rated_progress,
                    "kommentar": survey.comment,
                    "egna_fragor": [
                        {
                            "fraga": answer.question.text,
                            "typ": answer.question.kind,
                            "svar": answer.value,
                        }
                        for answer in survey.answers.all()
                    ],
                },
            }
        )
    data["atkomstlogg"] = [
        {
            "tidpunkt": timezone.localtime(entry.at).isoformat(timespec="seconds"),
            "anvandare": entry.username,
            "insats": entry.intervention.title if entry.intervention_id else "",
            "atgard": entry.get_action_display(),
            "vad": entry.detail,
        }
        for entry in log.filter(visible).select_related("intervention").order_by("at", "id")
    ]
    data["atkomstlogg_antal"] = len(data["atkomstlogg"])
    data["atkomst_i_andra_insatser"] = log.exclude(visible).count()
    access_log_write(
        association=participant.association,
        by=by,
        action=AccessLogEntry.Action.EXPORT,
        participants=[participant],
        intervention=intervention,
        detail=_("Register extract"),
    )
    return data


def participant_export_pdf(*, data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("participants/registerutdrag_pdf.html", {"data": data})
    return HTML(string=html).write_pdf()
