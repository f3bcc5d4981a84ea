"""The funding lifecycle: calls, applications, assessments, board decisions, interventions, grants
and payments, one module per stage.

Statuses are changed only by the transition functions (see finsam.funding.transitions). History is
never edited: an extension, a reinforcement or an early end is a new Decision linked to the
intervention.

Every model and every name other code (and the migrations: `attachment_path`, `minutes_path`) uses
is imported here, so `finsam.funding.models.X` keeps working.
"""

from __future__ import annotations

from finsam.funding.models._common import MONEY, YEAR_VALIDATORS
from finsam.funding.models.applications import (
    DESCRIPTION_FIELDS,
    Application,
    ApplicationBudgetLine,
    ApplicationGoal,
    ApplicationKindShare,
    ApplicationVersion,
    Description,
    GoalMeasure,
    MeasuredGoal,
)
from finsam.funding.models.assessments import Assessment, AssessmentCriterion
from finsam.funding.models.attachments import ApplicationAttachment, attachment_path
from finsam.funding.models.calls import Call
from finsam.funding.models.cofinancing import CoFinancing
from finsam.funding.models.decisions import APPROVED_OUTCOMES, Decision, DecisionAmount, Grant
from finsam.funding.models.interventions import (
    Intervention,
    InterventionGoal,
    InterventionKindShare,
)
from finsam.funding.models.reports import (
    REPORT_OVERDUE,
    REPORT_STATES,
    InterventionReport,
    ReminderSent,
    ReportGoalAttainment,
)
from finsam.funding.models.requisitions import Requisition
from finsam.funding.models.steering import SteeringGroupMeeting, SteeringGroupMember, minutes_path
from finsam.funding.models.terms import (
    FundingSettings,
    InterventionKind,
    ReportingTerms,
    ReportKind,
)

__all__ = [
    "MONEY",
    "YEAR_VALIDATORS",
    "InterventionKind",
    "ReportKind",
    "ReportingTerms",
    "FundingSettings",
    "Call",
    "Description",
    "DESCRIPTION_FIELDS",
    "Application",
    "ApplicationKindShare",
    "GoalMeasure",
    "MeasuredGoal",
    "ApplicationGoal",
    "ApplicationBudgetLine",
    "ApplicationVersion",
    "AssessmentCriterion",
    "Assessment",
    "Intervention",
    "InterventionKindShare",
    "InterventionGoal",
    "CoFinancing",
    "SteeringGroupMember",
    "minutes_path",
    "SteeringGroupMeeting",
    "Decision",
    "APPROVED_OUTCOMES",
    "DecisionAmount",
    "Grant",
    "Requisition",
    "InterventionReport",
    "REPORT_OVERDUE",
    "REPORT_STATES",
    "ReportGoalAttainment",
    "ReminderSent",
    "attachment_path",
    "ApplicationAttachment",
]
