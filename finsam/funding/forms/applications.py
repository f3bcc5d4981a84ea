"""The application form and its formsets (goals, budget lines, proposed steering group)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, Form, ModelForm, NumberField
from finsam.funding import services
from finsam.funding.forms._common import DATE, NOT_NEGATIVE, TEXTAREA, _period_errors
from finsam.funding.forms.steering import SteeringMemberForm
from finsam.funding.models import (
    DESCRIPTION_FIELDS,
    Application,
    Call,
    GoalMeasure,
    Intervention,
    InterventionKind,
)
from finsam.organisation.models import Association, Member

SHARE_FIELDS = [(kind, f"share_{kind}") for kind in InterventionKind.values]


class ApplicationForm(ModelForm):
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


class GoalForm(Form):
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
    measure_target = NumberField(
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


class BudgetLineForm(Form):
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
