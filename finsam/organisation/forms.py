from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, Form, ModelForm
from finsam.core.money import format_sek
from finsam.organisation.models import AnnualCycleItem, Association, BoardSeat, Meeting, Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AssociationForm(ModelForm):
    class Meta:
        model = Association
        fields = [
            "name",
            "org_number",
            "founded_year",
            "founded_month",
            "vision",
            "description",
            "director_name",
            "director_title",
            "office_note",
            "board_size_note",
            "county",
        ]


class MemberForm(ModelForm):
    class Meta:
        model = Member
        fields = ["name", "kind", "key", "sort_order"]

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Member.objects.filter(association=self.association, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The association already has a member with that name."))
        return name


class ContributionYearForm(Form):
    """One amount per member. Fields are named member_<pk> so errors land next to the member."""

    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)
    total = AmountField(
        label=_("Total for the year"),
        required=False,
        help_text=_(
            "Enter the total and choose “Suggest allocation” to have each member's amount "
            "calculated."
        ),
    )
    is_estimate = forms.BooleanField(label=_("Estimate (plan year)"), required=False)
    note = forms.CharField(label=_("Comment"), required=False, max_length=300)

    def __init__(self, *args, members: list[Member], taken_years: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.taken_years = taken_years
        for m in members:
            self.fields[f"member_{m.pk}"] = AmountField(
                label=m.name,
                required=False,
                min_value=Decimal(0),
                error_messages={"min_value": _("The amount cannot be negative.")},
            )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year in self.taken_years:
            raise forms.ValidationError(
                _(
                    "Member contributions for %(year)s already exist. Open %(year)s in the table "
                    "and edit them there, so that nothing is overwritten by mistake."
                )
                % {"year": year}
            )
        return year

    def member_fields(self):
        return [(m, self[f"member_{m.pk}"]) for m in self.members]

    def amounts(self) -> dict[int, Decimal]:
        return {m.pk: self.cleaned_data.get(f"member_{m.pk}") or Decimal(0) for m in self.members}

    def clean(self):
        data = super().clean()
        total = data.get("total")
        if total is not None and not self.errors:
            entered = sum(self.amounts().values(), Decimal(0))
            if entered and entered != total:
                self.add_error(
                    "total",
                    _(
                        "The total %(total)s does not match the sum of the members' amounts "
                        "%(sum)s. Correct the total or the amounts."
                    )
                    % {"total": format_sek(total), "sum": format_sek(entered)},
                )
        return data


class ProjectionForm(Form):
    base_year = forms.IntegerField(label=_("Base year"), min_value=2004, max_value=2100)
    annual_decline = AmountField(
        label=_("Reduction per year (kr)"),
        help_text=_(
            "How much the total member contributions are expected to fall each year, e.g. an "
            "average of recent years' reductions in the state allocation."
        ),
    )
    years = forms.IntegerField(label=_("Number of plan years"), min_value=1, max_value=5, initial=2)


class BoardSeatForm(ModelForm):
    class Meta:
        model = BoardSeat
        fields = ["member", "kind", "holder_name", "position", "mandate_start", "mandate_end"]
        widgets = {"mandate_start": DATE, "mandate_end": DATE}

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(association=association)

    def clean(self):
        data = super().clean()
        start, end = data.get("mandate_start"), data.get("mandate_end")
        if start and end and end < start:
            self.add_error("mandate_end", _("The term of office cannot end before it starts."))
        return data


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "date", "start_time", "end_time", "place", "notes"]
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data


class AgendaItemForm(Form):
    title = forms.CharField(label=_("New agenda item"), max_length=300)
    cycle_item = forms.ModelChoiceField(
        label=_("Annual cycle item"), required=False, queryset=AnnualCycleItem.objects.none()
    )
    proposal = forms.CharField(
        label=_("Proposal"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The matter and its background, as the board pack prints it under the item."),
    )
    draft_decision = forms.CharField(
        label=_("Draft decision"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. “The board decides to adopt the annual report for 2020.”"),
    )

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle_item"].queryset = AnnualCycleItem.objects.filter(association=association)


class CycleItemForm(ModelForm):
    class Meta:
        model = AnnualCycleItem
        fields = ["kind", "title", "month", "description"]
