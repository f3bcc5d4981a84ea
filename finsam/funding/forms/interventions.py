"""Forms for an intervention: closure, change decision, staff and how its goals are measured."""

import copy
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.accounts.models import User
from finsam.core.forms import AmountField, Form, NumberField
from finsam.core.money import format_sek, plain_number
from finsam.funding import goals as goal_rules
from finsam.funding.forms._common import DATE, NOT_NEGATIVE, TEXTAREA
from finsam.funding.forms.decisions import DecisionForm
from finsam.funding.models import GoalMeasure
from finsam.organisation.models import Association, Meeting, Membership, Role


class InterventionEndForm(Form):
    meeting = forms.ModelChoiceField(label=_("Board meeting"), queryset=Meeting.objects.none())
    paragraph = forms.CharField(label=_("Paragraph"), max_length=20, help_text=_("E.g. § 12."))
    ends_on = forms.DateField(label=_("Intervention ends"), widget=DATE)
    motivation = forms.CharField(label=_("Rationale"), required=False, widget=TEXTAREA)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class InterventionChangeForm(Form):
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


class StaffForm(Form):
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


class GoalMeasuresForm(Form):
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
            self.fields[f"goal_{goal.pk}_target"] = NumberField(
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
