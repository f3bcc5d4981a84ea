"""Every status flow of the funding app, in one place, as data.

Each table maps a status to the set of statuses it may move to; a move outside the table raises
`InvalidTransition` (a ValidationError whose message is shown to the user). The tables:

- `TRANSITIONS` — an application (ansökan): draft → submitted → assessed → on the agenda →
  decided, with the ways back (returned to the applicant, assessment reopened, referred back).
  `application_transition` is the one function that moves an application's status.
- `PAYMENT_TRANSITIONS` — a payment (rekvisition): requested → approved → paid, or rejected.
  It is applied by `finsam.funding.services.requisitions.requisition_transition`, which also checks
  the money rule of `finsam.funding.rules`.
- `REPORT_TRANSITIONS` and `ORAL_TRANSITIONS` — a written status report and an oral presentation
  to the board; `report_transitions(report)` picks the table of the report's kind. Applied by
  `finsam.funding.services.reports.report_transition`.

`check_requisition_move` and `check_report_move` refuse a move outside the table with the message the
user sees; the services that apply them add the permission and money checks of the move.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.funding.models import Application, InterventionReport, ReportKind, Requisition
from finsam.organisation import audit
from finsam.organisation.audit import Event

Status = Application.Status
RequisitionStatus = Requisition.Status
ReportStatus = InterventionReport.Status


class InvalidTransition(ValidationError):
    """A status change that the flow does not allow. The message is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message, code="invalid_transition")


def _check_move(flow: dict[str, set[str]], current: str, to: str, message: str, statuses) -> None:
    """Raise InvalidTransition with `message` (naming %(current)s and %(to)s) unless `flow`
    allows the move."""
    if to not in flow[current]:
        raise InvalidTransition(
            message % {"current": statuses(current).label, "to": statuses(to).label}
        )


# --- the application (ansökan) --------------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    # Back to DRAFT: the office returns the application to the applicant for completion.
    Status.SUBMITTED: {Status.ASSESSED, Status.DRAFT, Status.WITHDRAWN},
    # Back to SUBMITTED: the assessment is reopened.
    Status.ASSESSED: {Status.ON_AGENDA, Status.SUBMITTED, Status.WITHDRAWN},
    # Back to SUBMITTED: the board referred the matter back (återremiss) for more preparation.
    Status.ON_AGENDA: {Status.DECIDED, Status.SUBMITTED, Status.WITHDRAWN},
    Status.DECIDED: set(),
    Status.WITHDRAWN: set(),
}
# Being handled by the association: submitted and not yet decided.
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ASSESSED, Status.ON_AGENDA})
# Assessors score an application while it is submitted (not yet marked assessed).
ASSESSABLE_STATUSES = frozenset({Status.SUBMITTED})
# The board can decide an application once it is assessed.
DECIDABLE_STATUSES = frozenset({Status.ASSESSED, Status.ON_AGENDA})


@transaction.atomic
def application_transition(*, application: Application, to: str, by) -> Application:
    """Move an application to `to` if the flow allows it from its stored status. Audited."""
    current = (
        Application.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=application.pk)
    )
    _check_move(
        TRANSITIONS,
        current,
        to,
        _("An application with status “%(current)s” cannot be given status “%(to)s”."),
        Status,
    )
    application.status = to
    application.full_clean()
    application.save(update_fields=["status"])
    audit.record(
        event=Event.APPLICATION_STATUS_CHANGED,
        actor=by,
        target=application,
        before={"status": current},
        after={"status": to},
    )
    return application


# --- the requisition (rekvisition, the Payment model) ---------------------------------------------

REQUISITION_TRANSITIONS: dict[str, set[str]] = {
    RequisitionStatus.REQUESTED: {RequisitionStatus.APPROVED, RequisitionStatus.REJECTED},
    RequisitionStatus.APPROVED: {RequisitionStatus.PAID},
    RequisitionStatus.PAID: set(),
    RequisitionStatus.REJECTED: set(),
}


def check_requisition_move(current: str, to: str) -> None:
    _check_move(
        REQUISITION_TRANSITIONS,
        current,
        to,
        _("A payment with status “%(current)s” cannot be given status “%(to)s”."),
        RequisitionStatus,
    )


# --- status reports and oral presentations --------------------------------------------------------

REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DUE: {ReportStatus.SUBMITTED},
    # The office approves the report or returns it to the staff for completion.
    ReportStatus.SUBMITTED: {ReportStatus.APPROVED, ReportStatus.RETURNED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.APPROVED: set(),
    ReportStatus.HELD: set(),
}
# An oral presentation is not written: the office records the board meeting where it was held.
ORAL_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DUE: {ReportStatus.HELD},
    ReportStatus.SUBMITTED: set(),
    ReportStatus.RETURNED: set(),
    ReportStatus.APPROVED: set(),
    ReportStatus.HELD: set(),
}


def report_transitions(report: InterventionReport) -> dict[str, set[str]]:
    """The state machine of the report's kind."""
    return ORAL_TRANSITIONS if report.kind == ReportKind.ORAL else REPORT_TRANSITIONS


def check_report_move(report: InterventionReport, current: str, to: str) -> None:
    _check_move(
        report_transitions(report),
        current,
        to,
        _("A report with status “%(current)s” cannot be given status “%(to)s”."),
        ReportStatus,
    )
