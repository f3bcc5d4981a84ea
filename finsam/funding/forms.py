from __future__ import annotations

import copy
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.accounts.models import User
from finsam.core.money import format_sek, plain_number
from finsam.funding import goals as goal_rules
from finsam.funding import services
from finsam.funding.models import (
    DESCRIPTION_FIELDS,
    Application,
    Assessment,
    AssessmentCriterion,
    Call,
    Decision,
    FundingSettings,
    GoalMeasure,
    Grant,
    Intervention,
    InterventionKind,
    InterventionReport,
    Payment,
    SteeringGroupMeeting,
)
from finsam.organisation.forms import AmountField
from finsam.organisation.models import Association, Meeting, Member, Membership, Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_NEGATIVE = {"min_value": _("The amount cannot be negative.")}
POSITIVE = {"min_value": _("The amount must be greater than 0 kr.")}
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _period_errors(form: forms.Form, start_name: str, end_name: str) -> None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start and end and end < start:
        form.add_error(end_name, _("The period cannot end before it starts."))


# --- calls, criteria, settings ------------------------------------------------------------------


class CallForm(forms.ModelForm):
    pot = AmountField(
        label=_("Funds available (kr)"),
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
        help_text=_("The pot, e.g. funds available for applications in this year's budget."),
    )

    class Meta:
        model = Call
        fields = ["title", "description", "pot", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "description": TEXTAREA}

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error(
                "closes_on", _("The application deadline cannot be before the opening date.")
            )
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = AssessmentCriterion
        fields = ["title", "description", "sort_order", "is_active"]
        widgets = {"description": TEXTAREA}

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        clash = AssessmentCriterion.objects.filter(
            association=self.association, title__iexact=title
        )
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("The association already has a criterion with that name.")
            )
        return title


class FundingSettingsForm(forms.ModelForm):
    class Meta:
        model = FundingSettings
        fields = [
            "annual_report_only",
            "interim_report_month",
            "interim_report_day",
            "annual_report_month",
            "annual_report_day",
            "oral_presentations_per_year",
            "oral_presentation_month",
            "oral_presentation_day",
            "steering_meetings_expected",
        ]


# --- the application ----------------------------------------------------------------------------

SHARE_FIELDS = [(kind, f"share_{kind}") for kind in InterventionKind.values]


class ApplicationForm(forms.ModelForm):
    """The application's own fields and the kind shares. Goals, budget and steering group are
    formsets beside it; the service checks the whole."""

    applicants = forms.ModelMultipleChoiceField(
        label=_("Applicant member organisations"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    fieldsets = [
        (_("Application"), ["title", "call", "applicants", "continues", "reinforces"]),
        (_("Type of intervention"), [name for _kind, name in SHARE_FIELDS]),
        (
            _("Target group, aim and background"),
            ["target_group", "age_from", "age_to", "purpose", "background"],
        ),
        (_("Period"), ["period_start", "period_end"]),
        (
            _("Organisation"),
            [
                "owner",
                "responsible_manager",
                "project_lead",
                "employer",
                "partners",
                "steering_meetings_per_year",
                "steering_group_convener",
            ],
        ),
        (_("Follow-up"), ["reports_per_person", "sus_responsible", "evaluation_plan"]),
    ]

    class Meta:
        model = Application
        fields = [*DESCRIPTION_FIELDS, "call", "continues", "reinforces"]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "background": TEXTAREA,
            "target_group": TEXTAREA,
            "purpose": TEXTAREA,
            "partners": forms.Textarea(attrs={"rows": 2}),
            "evaluation_plan": TEXTAREA,
        }

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.group_errors: dict[str, list[str]] = {}
        self.fields["applicants"].queryset = Member.objects.filter(association=association)
        calls = Call.objects.filter(association=association, status=Call.Status.OPEN)
        if self.instance.call_id:
            calls = calls | Call.objects.filter(pk=self.instance.call_id)
        self.fields["call"].queryset = calls
        self.fields["call"].required = False
        interventions = Intervention.objects.filter(association=association)
        self.fields["continues"].queryset = interventions
        self.fields["reinforces"].queryset = interventions
        for kind, name in SHARE_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=_("%(kind)s (%%)") % {"kind": InterventionKind(kind).label},
                min_value=0,
                max_value=100,
                required=False,
                error_messages={
                    "min_value": _("Enter a share between 0 and 100."),
                    "max_value": _("Enter a share between 0 and 100."),
                    "invalid": _("Enter the share as a whole number, e.g. 50."),
                },
            )
        if self.instance.pk:
            self.initial.setdefault("applicants", list(self.instance.applicants.all()))
            for share in self.instance.kind_shares.all():
                self.initial.setdefault(f"share_{share.kind}", share.percent)
        else:
            for _kind, name in SHARE_FIELDS:
                self.initial.setdefault(name, None)

    def clean(self):
        data = super().clean()
        _period_errors(self, "period_start", "period_end")
        share_names = [name for _kind, name in SHARE_FIELDS]
        if not any(name in self.errors for name in share_names):
            # The rule itself lives in the service; show it in the same pass as field errors.
            problem = services.kind_shares_error(self.kind_shares())
            if problem:
                self.group_errors["kind_shares"] = [problem]
        age_from, age_to = data.get("age_from"), data.get("age_to")
        if age_from is not None and age_to is not None and age_to < age_from:
            self.add_error("age_to", _("The upper age cannot be lower than the lower age."))
        return data

    def kind_shares(self) -> dict[str, int | None]:
        return {kind: self.cleaned_data.get(name) for kind, name in SHARE_FIELDS}

    def describe_shares(self) -> None:
        """Point each share field at the shares' help text and at the error about the shares
        together (a screen reader reads them with the field), and mark it invalid with that
        error. Called before rendering, when every error is in."""
        group_error = bool(self.group_errors.get("kind_shares"))
        for _kind, name in SHARE_FIELDS:
            ids = ["kind-shares-help"]
            if name in self.errors:
                ids.append(f"{self[name].auto_id}_error")
            if group_error:
                ids.append("kind-shares-error")
            attrs = self.fields[name].widget.attrs
            attrs["aria-describedby"] = " ".join(ids)
            if group_error:
                attrs["aria-invalid"] = "true"

    def grouped(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def own_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Target"), max_length=500)
    target_value = forms.CharField(
        label=_("Target value"),
        max_length=100,
        required=False,
        help_text=_("E.g. ≥ 30 cases per year."),
    )
    # Narrow, so that the goal's own words keep the room in the table row.
    measure = forms.ChoiceField(
        label=_("Measured as"),
        choices=GoalMeasure.choices,
        required=False,
        widget=forms.Select(attrs={"style": "max-width:13.5rem"}),
    )
    measure_target = forms.DecimalField(
        label=_("Target in figures"),
        required=False,
        localize=True,
        max_digits=7,
        decimal_places=1,
        widget=forms.TextInput(attrs={"style": "max-width:6rem", "inputmode": "decimal"}),
    )

    def clean(self):
        data = super().clean()
        if "measure_target" in data and "measure" in data:
            problem = services.goal_measure_problem(
                data.get("measure") or "", data.get("measure_target")
            )
            if problem:
                self.add_error("measure_target", problem)
        return data

    def goal(self) -> dict:
        d = self.cleaned_data
        return {
            "text": d["text"],
            "target_value": d["target_value"],
            "measure": d.get("measure") or "",
            "measure_target": d.get("measure_target"),
        }


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)
    cost_line = forms.CharField(label=_("Cost item"), max_length=200)
    requested = AmountField(
        label=_("Amount requested (kr)"), min_value=Decimal(0), error_messages=NOT_NEGATIVE
    )
    own_financing = AmountField(
        label=_("Own co-financing (kr)"),
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
        required=False,
    )
    external_funding = AmountField(
        label=_("External funding (kr)"),
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
        required=False,
    )
    external_source = forms.CharField(label=_("External funder"), max_length=100, required=False)

    def line(self) -> dict:
        d = self.cleaned_data
        return {
            "year": d["year"],
            "cost_line": d["cost_line"],
            "requested": d["requested"],
            "own_financing": d.get("own_financing") or Decimal(0),
            "external_funding": d.get("external_funding") or Decimal(0),
            "external_source": d.get("external_source", ""),
        }


class SteeringMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    member = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("The association or co-opted member"),
    )
    role = forms.CharField(label=_("Role"), max_length=200, required=False)

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(association=association)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("name") or data.get("member") or data.get("role")):
            raise forms.ValidationError(_("Enter a name, organisation or role."))
        return data


GoalFormSet = forms.formset_factory(GoalForm, extra=2, can_delete=True)
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, can_delete=True)
SteeringFormSet = forms.formset_factory(SteeringMemberForm, extra=2, can_delete=True)


def kept_rows(formset) -> list[forms.Form]:
    return [
        form
        for form in formset.forms
        if form.has_changed() and not form.cleaned_data.get("DELETE", False)
    ]


# --- assessment ---------------------------------------------------------------------------------


class AssessmentForm(forms.Form):
    """One assessor's score (1–4) and comment per active criterion."""

    def __init__(self, *args, criteria: list[AssessmentCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"criterion_{c.pk}"] = forms.TypedChoiceField(
                label=c.title,
                help_text=c.description,
                choices=Assessment.Score.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score from 1 to 4.")},
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": c.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [(c, self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {c.pk: (d[f"criterion_{c.pk}"], d.get(f"comment_{c.pk}", "")) for c in self.criteria}


class AgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Board meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


# --- decisions ----------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Board meeting"), queryset=Meeting.objects.none())
    paragraph = forms.CharField(label=_("Paragraph"), max_length=20, help_text=_("E.g. § 12."))
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Required for “Granted with conditions”."),
    )
    motivation = forms.CharField(label=_("Rationale"), required=False, widget=TEXTAREA)
    annual_report_only = forms.BooleanField(
        label=_("Annual report only"),
        required=False,
        help_text=_("No interim report: the intervention reports once a year."),
    )
    interim_report_month = forms.IntegerField(
        label=_("Interim report as at (month)"), min_value=1, max_value=12
    )
    interim_report_day = forms.IntegerField(
        label=_("Interim report as at (day)"), min_value=1, max_value=31
    )
    annual_report_month = forms.IntegerField(
        label=_("Annual report as at (month)"), min_value=1, max_value=12
    )
    annual_report_day = forms.IntegerField(
        label=_("Annual report as at (day)"), min_value=1, max_value=31
    )
    oral_presentations_per_year = forms.IntegerField(
        label=_("Oral presentations to the board per year"), min_value=0, max_value=12
    )
    # Blank: the association's default date.
    oral_presentation_month = forms.IntegerField(
        label=_("Oral presentation by (month)"), min_value=1, max_value=12, required=False
    )
    oral_presentation_day = forms.IntegerField(
        label=_("Oral presentation by (day)"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_(
            "With several presentations a year this is the last one; the others are spread evenly "
            "over the year before it."
        ),
    )

    TERMS = [
        "annual_report_only",
        "interim_report_month",
        "interim_report_day",
        "annual_report_month",
        "annual_report_day",
        "oral_presentations_per_year",
        "oral_presentation_month",
        "oral_presentation_day",
    ]

    def __init__(self, *args, meetings, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.years = years
        for year in years:
            self.fields[f"amount_{year}"] = AmountField(
                label=_("Granted %(year)s (kr)") % {"year": year},
                required=False,
                min_value=Decimal("0.01"),
                error_messages=POSITIVE,
            )

    def main_fields(self):
        return [self[n] for n in ("meeting", "paragraph", "outcome", "conditions", "motivation")]

    def amount_fields(self):
        return [self[f"amount_{y}"] for y in self.years]

    def term_fields(self):
        return [self[name] for name in self.TERMS]

    def amounts(self) -> dict[int, Decimal]:
        return {
            y: self.cleaned_data[f"amount_{y}"]
            for y in self.years
            if self.cleaned_data.get(f"amount_{y}") is not None
        }

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.TERMS}


class InterventionEndForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Board meeting"), queryset=Meeting.objects.none())
    paragraph = forms.CharField(label=_("Paragraph"), max_length=20, help_text=_("E.g. § 12."))
    ends_on = forms.DateField(label=_("Intervention ends"), widget=DATE)
    motivation = forms.CharField(label=_("Rationale"), required=False, widget=TEXTAREA)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class InterventionChangeForm(forms.Form):
    """Ändringsbeslut: new totals per year (blank = unchanged, 0 = withdrawn), a new end date,
    conditions and the reporting terms from now on."""

    meeting = forms.ModelChoiceField(label=_("Board meeting"), queryset=Meeting.objects.none())
    paragraph = forms.CharField(label=_("Paragraph"), max_length=20, help_text=_("E.g. § 12."))
    period_end = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty if the end date does not change."),
    )
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=TEXTAREA)
    motivation = forms.CharField(label=_("Rationale"), required=False, widget=TEXTAREA)

    TERMS = DecisionForm.TERMS

    def __init__(self, *args, meetings, years: list[int], current: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.years = years
        for year in years:
            now = current.get(year)
            self.fields[f"amount_{year}"] = AmountField(
                label=_("Granted %(year)s (kr)") % {"year": year},
                required=False,
                min_value=Decimal(0),
                error_messages=NOT_NEGATIVE,
                help_text=(
                    _("Granted now: %(amount)s. Leave empty if the amount does not change.")
                    % {"amount": format_sek(now)}
                    if now
                    else _("Nothing granted today. Leave empty if nothing is to be granted.")
                ),
            )
        for name in self.TERMS:
            self.fields[name] = copy.deepcopy(DecisionForm.base_fields[name])

    def main_fields(self):
        return [self[n] for n in ("meeting", "paragraph", "period_end")]

    def text_fields(self):
        return [self["conditions"], self["motivation"]]

    def amount_fields(self):
        return [self[f"amount_{y}"] for y in self.years]

    def term_fields(self):
        return [self[name] for name in self.TERMS]

    def amounts(self) -> dict[int, Decimal]:
        return {
            y: self.cleaned_data[f"amount_{y}"]
            for y in self.years
            if self.cleaned_data.get(f"amount_{y}") is not None
        }

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.TERMS}


class StaffForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(
        label=_("Intervention staff"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Users with the intervention staff role. They only see their own interventions."
        ),
    )

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        ids = Membership.objects.filter(association=association, role=Role.STAFF).values("user_id")
        self.fields["staff"].queryset = User.objects.filter(pk__in=ids).order_by(
            "last_name", "first_name"
        )


class GoalMeasuresForm(forms.Form):
    """How the participant register measures each of an intervention's goals: per goal a measure
    and a target in figures (`goal_<id>_measure`, `goal_<id>_target`)."""

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}_measure"] = forms.ChoiceField(
                label=_("Measured as"),
                choices=GoalMeasure.choices,
                required=False,
                initial=goal.measure,
                help_text=_measure_help(goal),
            )
            self.fields[f"goal_{goal.pk}_target"] = forms.DecimalField(
                label=_("Target in figures"),
                required=False,
                localize=True,
                max_digits=7,
                decimal_places=1,
                initial=goal.measure_target,
                help_text=_("Participants per year, or a percentage for a share."),
            )

    def rows(self):
        return [(g, self[f"goal_{g.pk}_measure"], self[f"goal_{g.pk}_target"]) for g in self.goals]

    def measures(self) -> dict[int, tuple[str, Decimal | None]]:
        d = self.cleaned_data
        return {
            g.pk: (d.get(f"goal_{g.pk}_measure") or "", d.get(f"goal_{g.pk}_target"))
            for g in self.goals
        }


def _measure_help(goal) -> str:
    if goal.measure:
        return ""
    reading = goal_measure_text(goal)
    if goal_rules.parse_goal(goal.text, goal.target_value) is None:
        return f"{reading} {_('Choose a measure to follow the goal up.')}"
    return reading


def goal_measure_text(goal) -> str:
    """How the register measures the goal, in words: the office's choice, else what it reads
    from the goal's own text (for the office to check or override)."""
    if goal.measure == GoalMeasure.NOT_MEASURED:
        return str(GoalMeasure.NOT_MEASURED.label)
    parsed = goal_rules.parse_goal(goal.text, goal.target_value, goal.measure, goal.measure_target)
    if parsed is None:
        return _("Not measured: the text names no figure the register keeps.")
    target = plain_number(parsed.target)
    if parsed.kind == goal_rules.PARTICIPANTS:
        reading = _("%(n)s participants per year") % {"n": target}
    else:
        reading = _("%(measure)s: %(n)s %%") % {
            "measure": GoalMeasure(parsed.kind).label,
            "n": target,
        }
    if goal.measure:
        return reading
    return _("Read from the text: %(reading)s.") % {"reading": reading}


# --- payments -----------------------------------------------------------------------------------


def _grant_field(field: forms.ModelChoiceField, grants) -> None:
    """Grants shown by year; this year's (or the only one) chosen from the start."""
    field.queryset = grants
    field.label_from_instance = lambda g: f"{g.year}"
    grants = list(grants)
    this_year = timezone.localdate().year
    chosen = next(
        (g for g in grants if g.year == this_year), grants[0] if len(grants) == 1 else None
    )
    if chosen is not None:
        field.initial = chosen.pk


class PaymentRequestForm(forms.Form):
    grant = forms.ModelChoiceField(label=_("Granted funds for year"), queryset=Grant.objects.none())
    kind = forms.ChoiceField(
        label=_("Type"), choices=Payment.Kind.choices, initial=Payment.Kind.REQUISITION
    )
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount = AmountField(label=_("Amount (kr)"), min_value=Decimal("0.01"), error_messages=POSITIVE)
    actual_costs = AmountField(
        label=_("Actual costs for the period (kr)"),
        required=False,
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
    )
    note = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        _grant_field(self.fields["grant"], grants)


class PaymentPlanForm(forms.Form):
    grant = forms.ModelChoiceField(label=_("Granted funds for year"), queryset=Grant.objects.none())
    instalments = forms.IntegerField(
        label=_("Number of payments"),
        min_value=1,
        max_value=12,
        initial=4,
        help_text=_("The remaining funds are divided into whole kronor."),
    )
    first_date = forms.DateField(label=_("First payment"), widget=DATE)
    months_between = forms.IntegerField(
        label=_("Months between payments"), min_value=1, max_value=12, initial=3
    )

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        _grant_field(self.fields["grant"], grants)


# --- status reports -----------------------------------------------------------------------------


class ReportForm(forms.ModelForm):
    """The report's texts and forecast, and per goal of the intervention its outcome so far."""

    forecast = AmountField(
        label=_("Forecast for the year (kr)"),
        required=False,
        min_value=Decimal(0),
        error_messages={"min_value": _("The forecast cannot be negative.")},
        help_text=_("Estimated costs for the whole year, e.g. 600 000."),
    )

    class Meta:
        model = InterventionReport
        fields = ["what_happened", "outcome", "forecast", "deviations"]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "outcome": TEXTAREA,
            "deviations": TEXTAREA,
        }

    def __init__(self, *args, goals, register=None, **kwargs):
        """`register`: {goal text: GoalProgress} from the participant register, offered to the
        intervention's staff as the result (participants.selectors.goal_figures_for_report)."""
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        register = register or {}
        existing = {a.goal_id: a for a in self.instance.attainments.all()}
        year = self.instance.period_end.year
        for goal in self.goals:
            found = existing.get(goal.pk)
            figure = register_figure(register[goal.text]) if goal.text in register else ""
            help_parts = []
            if goal.target_value:
                help_parts.append(_("Target value: %(target)s") % {"target": goal.target_value})
            if figure:
                help_parts.append(
                    _("The participant register for %(year)s so far: %(figure)s.")
                    % {"year": year, "figure": figure}
                )
            self.fields[f"goal_{goal.pk}_value"] = forms.CharField(
                label=_("Result for “%(goal)s”") % {"goal": goal.text},
                required=False,
                max_length=200,
                initial=found.value if found and found.value else figure,
                help_text=" ".join(str(p) for p in help_parts),
            )
            self.fields[f"goal_{goal.pk}_comment"] = forms.CharField(
                label=_("Comment on “%(goal)s”") % {"goal": goal.text},
                required=False,
                initial=found.comment if found else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def goal_rows(self):
        return [(g, self[f"goal_{g.pk}_value"], self[f"goal_{g.pk}_comment"]) for g in self.goals]

    def texts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def attainments(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        return {
            g.pk: (d.get(f"goal_{g.pk}_value", ""), d.get(f"goal_{g.pk}_comment", ""))
            for g in self.goals
        }


def register_figure(progress) -> str:
    """'13 participants' or '50 % (4 of 8)': a goal's figure as the report states it."""
    if progress.is_share:
        share = plain_number(progress.value)
        return _("%(share)s %% (%(n)s of %(total)s)") % {
            "share": share,
            "n": progress.numerator,
            "total": progress.denominator,
        }
    return _("%(n)s participants") % {"n": progress.numerator}


class OralPresentationForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Board meeting"),
        queryset=Meeting.objects.none(),
        empty_label=_("Choose a meeting"),
        error_messages={"required": _("Choose the board meeting where the presentation was held.")},
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=TEXTAREA)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ReportReviewForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve the report")),
        ("return", _("Returned for additional information")),
    ]

    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    review_comment = forms.CharField(
        label=_("Comment to the intervention"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Required when the report is returned: state what needs to be added."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not data.get("review_comment", "").strip():
            self.add_error("review_comment", _("State what needs to be added to the report."))
        return data


# --- attachments --------------------------------------------------------------------------------


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach file"),
        help_text=_("PDF, Word (DOCX) or Excel (XLSX), maximum 10 MB."),
        error_messages={
            "required": _("Choose a file to attach."),
            "empty": _("The file is empty."),
            "invalid": _("The file could not be read. Try again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )


# --- steering group -----------------------------------------------------------------------------


class SteeringMeetingForm(forms.Form):
    """A plain form, not a ModelForm: validation must not change the meeting before the service
    has taken its audit snapshot."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(
        label=_("Agenda and notes"),
        required=False,
        widget=TEXTAREA,
        help_text=_("E.g. the items on the agenda. The minutes are uploaded as a file."),
    )
    minutes = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_("PDF or Word (DOCX), at most 10 MB. Can be uploaded later."),
        error_messages={
            "empty": _("The file is empty."),
            "invalid": _("The file could not be read. Try again."),
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )
    remove_minutes = forms.BooleanField(label=_("Remove the minutes"), required=False)

    def __init__(self, *args, meeting: SteeringGroupMeeting | None = None, **kwargs):
        if meeting is not None:
            kwargs.setdefault("initial", {"date": meeting.date, "notes": meeting.notes})
        super().__init__(*args, **kwargs)
        if meeting is not None and meeting.minutes:
            self.fields["minutes"].label = _("Replace the minutes")
            self.fields["minutes"].help_text = _(
                "Current: %(name)s. Choose a new file (PDF or DOCX, at most 10 MB) to replace it."
            ) % {"name": meeting.minutes_name}
        else:
            del self.fields["remove_minutes"]

    def clean(self):
        data = super().clean()
        if data.get("minutes") and data.get("remove_minutes"):
            self.add_error(
                "remove_minutes",
                _("Either choose a new file or remove the minutes, not both."),
            )
        return data
