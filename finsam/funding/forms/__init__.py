"""The funding app's forms, one module per stage of an intervention's life; every form class is
importable from here as before."""

from finsam.funding.forms.applications import (
    SHARE_FIELDS,
    ApplicationForm,
    BudgetLineForm,
    BudgetLineFormSet,
    GoalForm,
    GoalFormSet,
    SteeringFormSet,
    kept_rows,
)
from finsam.funding.forms.assessments import AgendaForm, AssessmentForm
from finsam.funding.forms.attachments import AttachmentForm
from finsam.funding.forms.calls import CallForm, CriterionForm, FundingSettingsForm
from finsam.funding.forms.cofinancing import CoFinancingForm
from finsam.funding.forms.decisions import DecisionForm
from finsam.funding.forms.interventions import (
    GoalMeasuresForm,
    InterventionChangeForm,
    InterventionEndForm,
    StaffForm,
    goal_measure_text,
)
from finsam.funding.forms.requisitions import PaymentPlanForm, RequisitionRequestForm
from finsam.funding.forms.steering import (
    SteeringMeetingForm,
    SteeringMemberForm,
    SteeringRowFormSet,
)

__all__ = [
    "SHARE_FIELDS",
    "AgendaForm",
    "ApplicationForm",
    "AssessmentForm",
    "AttachmentForm",
    "BudgetLineForm",
    "BudgetLineFormSet",
    "CallForm",
    "CoFinancingForm",
    "CriterionForm",
    "DecisionForm",
    "FundingSettingsForm",
    "GoalForm",
    "GoalFormSet",
    "GoalMeasuresForm",
    "InterventionChangeForm",
    "InterventionEndForm",
    "PaymentPlanForm",
    "RequisitionRequestForm",
    "StaffForm",
    "SteeringFormSet",
    "SteeringMeetingForm",
    "SteeringMemberForm",
    "SteeringRowFormSet",
    "goal_measure_text",
    "kept_rows",
]
