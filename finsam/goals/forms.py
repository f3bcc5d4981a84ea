from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form, ModelForm
from finsam.goals import selectors
from finsam.goals.models import (
    Activity,
    Assessment,
    Control,
    ExternalGoal,
    Goal,
    GoalArea,
    InternalControlPlan,
    ManualEntry,
    Measure,
    Period,
    Risk,
    VolumeCount,
)
from finsam.organisation.models import Meeting

DATE = forms.DateInput(attrs={"type": "date"})


class ExternalGoalForm(ModelForm):
    class Meta:
        model = ExternalGoal
        fields = ["source", "number", "text"]


class GoalAreaForm(ModelForm):
    class Meta:
        model = GoalArea
        fields = ["name", "description", "sort_order"]


class GoalForm(ModelForm):
    class Meta:
        model = Goal
        fields = [
            "area",
            "text",
            "sort_order",
            "external_goals",
            "interventions",
            "intervention_goals",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "external_goals": forms.CheckboxSelectMultiple,
            "interventions": forms.CheckboxSelectMultiple,
            "intervention_goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, association, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = GoalArea.objects.filter(association=association, year=year)
        self.fields["external_goals"].queryset = selectors.external_goals(association=association)
        self.fields["interventions"].queryset = selectors.linkable_interventions(
            association=association
        )
        self.fields["intervention_goals"].queryset = selectors.linkable_intervention_goals(
            association=association
        )
        self.fields["intervention_goals"].label_from_instance = lambda g: (
            f"{g.intervention.title}: {g.text}"
        )


class MeasureForm(ModelForm):
    class Meta:
        model = Measure
        fields = ["text", "kind", "source", "metric", "target", "due_date", "sort_order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_date": DATE}


class MeasureRowForm(ModelForm):
    """One row of a goal's measures form; `id` is the stored measure's, empty for a new row. The
    rows' order is their order in the form."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = ["text", "kind", "source", "metric", "target", "due_date"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 30}), "due_date": DATE}

    def row(self, index: int) -> dict:
        d = self.cleaned_data
        return {
            "index": index,
            "id": d.get("id"),
            "delete": bool(d.get("DELETE")),
            "changed": self.has_changed(),
            **{k: d.get(k) for k in self.Meta.fields},
        }


MeasureRowFormSet = forms.formset_factory(MeasureRowForm, extra=1, can_delete=True)


class ManualEntryForm(ModelForm):
    class Meta:
        model = ManualEntry
        fields = ["date", "value", "evidence"]
        widgets = {"date": DATE, "evidence": forms.Textarea(attrs={"rows": 2})}


class VolumeCountForm(ModelForm):
    class Meta:
        model = VolumeCount
        fields = ["intervention", "date", "count", "note"]
        widgets = {"date": DATE}

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = selectors.linkable_interventions(
            association=association
        )


class AssessmentForm(ModelForm):
    class Meta:
        model = Assessment
        fields = ["verdict", "reason"]
        widgets = {"verdict": forms.RadioSelect, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = Assessment.Verdict.choices  # no empty radio button


class ActivityForm(ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "date",
            "organiser",
            "co_organisers",
            "audience",
            "description",
            "goals",
        ]
        widgets = {
            "date": DATE,
            "organiser": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Goal.objects.filter(
            area__association=association
        ).select_related("area")
        self.fields["goals"].label_from_instance = lambda g: f"{g.area.year} {g.area.name}: {g}"


class AttendanceForm(Form):
    """One pair of counts per member organisation, and one for everyone else."""

    def __init__(self, *args, members, initial_counts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for member in [*members, None]:
            key = member.pk if member else "others"
            name = member.name if member else str(_("Others (not a member organisation)"))
            registered, attended = initial_counts.get(member.pk if member else None, (0, 0))
            for part, label, value in (
                ("registered", _("registrations"), registered),
                ("attended", _("attended"), attended),
            ):
                self.fields[f"{part}_{key}"] = forms.IntegerField(
                    label=f"{name}: {label}",
                    min_value=0,
                    max_value=100_000,
                    initial=value,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
            self.rows.append((member, name, self[f"registered_{key}"], self[f"attended_{key}"]))

    def counts(self) -> dict:
        out = {}
        for member, _name, registered, attended in self.rows:
            out[member] = (
                self.cleaned_data[registered.name],
                self.cleaned_data[attended.name],
            )
        return out


class EvaluationForm(Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    result = forms.CharField(
        label=_("Answers"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ControlPlanForm(ModelForm):
    class Meta:
        model = InternalControlPlan
        fields = ["adopted_on", "report_meeting", "previous_follow_up"]
        widgets = {"adopted_on": DATE, "previous_follow_up": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, association, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_meeting"].queryset = Meeting.objects.filter(
            association=association, date__year=year, kind=Meeting.Kind.BOARD
        )


class RiskForm(ModelForm):
    class Meta:
        model = Risk
        fields = ["area", "description", "probability", "consequence"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ControlForm(ModelForm):
    class Meta:
        model = Control
        fields = ["description", "owner", "frequency", "method", "result", "action"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "result": forms.Textarea(attrs={"rows": 2}),
            "action": forms.Textarea(attrs={"rows": 2}),
        }


PERIOD_CHOICES = Period.choices
