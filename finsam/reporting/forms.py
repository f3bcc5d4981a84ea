"""Forms of the status reports: the report itself (with the participant register's figures per
goal), the office's review, and the oral presentation held at a board meeting."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, Form, ModelForm
from finsam.core.money import plain_number
from finsam.funding.models import InterventionReport
from finsam.organisation.models import Meeting

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ReportForm(ModelForm):
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


class OralPresentationForm(Form):
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


class ReportReviewForm(Form):
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
