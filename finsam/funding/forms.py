from __future__ import annotations

import copy
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.accounts.models import Membership, Role, User
from finsam.core.money import format_sek
from finsam.economy.models import InterventionKind
from finsam.funding import services
from finsam.funding.models import (
    DESCRIPTION_FIELDS,
    Application,
    Assessment,
    AssessmentCriterion,
    Call,
    Decision,
    FundingSettings,
    Grant,
    Intervention,
    InterventionReport,
    Payment,
    SteeringGroupMeeting,
)
from finsam.organisation.forms import AmountField
from finsam.organisation.models import Association, Meeting, Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_NEGATIVE = {"min_value": _("Beloppet kan inte vara negativt.")}
POSITIVE = {"min_value": _("Beloppet måste vara större än 0 kr.")}
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _period_errors(form: forms.Form, start_name: str, end_name: str) -> None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start and end and end < start:
        form.add_error(end_name, _("Perioden kan inte sluta innan den börjar."))


# --- calls, criteria, settings ------------------------------------------------------------------


class CallForm(forms.ModelForm):
    pot = AmountField(
        label=_("Medel att fördela (kr)"),
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
        help_text=_("Potten, t.ex. sökbara medel i årets budget."),
    )

    class Meta:
        model = Call
        fields = ["title", "description", "pot", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "description": TEXTAREA}

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("Sista ansökningsdag kan inte vara före öppningsdagen."))
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
            raise forms.ValidationError(_("Förbundet har redan ett kriterium med det namnet."))
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
        label=_("Sökande medlemsorganisationer"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    fieldsets = [
        (_("Ansökan"), ["title", "call", "applicants", "continues", "reinforces"]),
        (_("Typ av insats"), [name for _kind, name in SHARE_FIELDS]),
        (
            _("Målgrupp, syfte och bakgrund"),
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
        (_("Uppföljning"), ["reports_per_person", "sus_responsible", "evaluation_plan"]),
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
                    "min_value": _("Ange en andel mellan 0 och 100."),
                    "max_value": _("Ange en andel mellan 0 och 100."),
                    "invalid": _("Ange andelen som ett heltal, t.ex. 50."),
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
            self.add_error("age_to", _("Åldern till kan inte vara lägre än åldern från."))
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
    text = forms.CharField(label=_("Mål"), max_length=500)
    target_value = forms.CharField(
        label=_("Målvärde"),
        max_length=100,
        required=False,
        help_text=_("T.ex. ≥ 30 ärenden per år."),
    )


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2004, max_value=2100)
    cost_line = forms.CharField(label=_("Kostnadspost"), max_length=200)
    requested = AmountField(
        label=_("Sökt belopp (kr)"), min_value=Decimal(0), error_messages=NOT_NEGATIVE
    )
    own_financing = AmountField(
        label=_("Egen medfinansiering (kr)"),
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
        required=False,
    )
    external_funding = AmountField(
        label=_("Extern finansiering (kr)"),
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
        required=False,
    )
    external_source = forms.CharField(label=_("Extern finansiär"), max_length=100, required=False)

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
    name = forms.CharField(label=_("Namn"), max_length=200, required=False)
    member = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Förbundet eller adjungerad"),
    )
    role = forms.CharField(label=_("Roll"), max_length=200, required=False)

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(association=association)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("name") or data.get("member") or data.get("role")):
            raise forms.ValidationError(_("Ange namn, organisation eller roll."))
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
                error_messages={"required": _("Välj en poäng från 1 till 4.")},
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Kommentar om %(criterion)s") % {"criterion": c.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [(c, self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {c.pk: (d[f"criterion_{c.pk}"], d.get(f"comment_{c.pk}", "")) for c in self.criteria}


class AgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Styrelsesammanträde"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


# --- decisions ----------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Styrelsesammanträde"), queryset=Meeting.objects.none()
    )
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, help_text=_("T.ex. § 12."))
    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Villkor"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Krävs vid ”Beviljad med villkor”."),
    )
    motivation = forms.CharField(label=_("Motivering"), required=False, widget=TEXTAREA)
    annual_report_only = forms.BooleanField(
        label=_("Bara årsrapport"),
        required=False,
        help_text=_("Ingen delårsrapport: insatsen rapporterar en gång per år."),
    )
    interim_report_month = forms.IntegerField(
        label=_("Delårsrapport per (månad)"), min_value=1, max_value=12
    )
    interim_report_day = forms.IntegerField(
        label=_("Delårsrapport per (dag)"), min_value=1, max_value=31
    )
    annual_report_month = forms.IntegerField(
        label=_("Årsrapport per (månad)"), min_value=1, max_value=12
    )
    annual_report_day = forms.IntegerField(
        label=_("Årsrapport per (dag)"), min_value=1, max_value=31
    )
    oral_presentations_per_year = forms.IntegerField(
        label=_("Muntliga föredragningar för styrelsen per år"), min_value=0, max_value=12
    )
    # Blank: the association's default date.
    oral_presentation_month = forms.IntegerField(
        label=_("Muntlig föredragning senast (månad)"), min_value=1, max_value=12, required=False
    )
    oral_presentation_day = forms.IntegerField(
        label=_("Muntlig föredragning senast (dag)"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_(
            "Med flera föredragningar per år är detta den sista; de övriga fördelas jämnt över "
            "året före den."
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
                label=_("Beviljat %(year)s (kr)") % {"year": year},
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
    meeting = forms.ModelChoiceField(
        label=_("Styrelsesammanträde"), queryset=Meeting.objects.none()
    )
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, help_text=_("T.ex. § 12."))
    ends_on = forms.DateField(label=_("Insatsen avslutas"), widget=DATE)
    motivation = forms.CharField(label=_("Motivering"), required=False, widget=TEXTAREA)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class InterventionChangeForm(forms.Form):
    """Ändringsbeslut: new totals per year (blank = unchanged, 0 = withdrawn), a new end date,
    conditions and the reporting terms from now on."""

    meeting = forms.ModelChoiceField(
        label=_("Styrelsesammanträde"), queryset=Meeting.objects.none()
    )
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, help_text=_("T.ex. § 12."))
    period_end = forms.DateField(
        label=_("Nytt slutdatum"),
        required=False,
        widget=DATE,
        help_text=_("Lämna tomt om slutdatumet inte ändras."),
    )
    conditions = forms.CharField(label=_("Villkor"), required=False, widget=TEXTAREA)
    motivation = forms.CharField(label=_("Motivering"), required=False, widget=TEXTAREA)

    TERMS = DecisionForm.TERMS

    def __init__(self, *args, meetings, years: list[int], current: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.years = years
        for year in years:
            now = current.get(year)
            self.fields[f"amount_{year}"] = AmountField(
                label=_("Beviljat %(year)s (kr)") % {"year": year},
                required=False,
                min_value=Decimal(0),
                error_messages=NOT_NEGATIVE,
                help_text=(
                    _("Nu beviljat: %(amount)s. Lämna tomt om beloppet inte ändras.")
                    % {"amount": format_sek(now)}
                    if now
                    else _("Inget beviljat i dag. Lämna tomt om inget ska beviljas.")
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
        label=_("Insatspersonal"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Användare med rollen insatspersonal. De ser bara sina egna insatser."),
    )

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        ids = Membership.objects.filter(association=association, role=Role.STAFF).values("user_id")
        self.fields["staff"].queryset = User.objects.filter(pk__in=ids).order_by(
            "last_name", "first_name"
        )


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
    grant = forms.ModelChoiceField(label=_("Beviljade medel för år"), queryset=Grant.objects.none())
    kind = forms.ChoiceField(
        label=_("Typ"), choices=Payment.Kind.choices, initial=Payment.Kind.REQUISITION
    )
    date = forms.DateField(label=_("Datum"), widget=DATE)
    amount = AmountField(label=_("Belopp (kr)"), min_value=Decimal("0.01"), error_messages=POSITIVE)
    actual_costs = AmountField(
        label=_("Faktiska kostnader för perioden (kr)"),
        required=False,
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
    )
    note = forms.CharField(label=_("Kommentar"), max_length=300, required=False)

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        _grant_field(self.fields["grant"], grants)


class PaymentPlanForm(forms.Form):
    grant = forms.ModelChoiceField(label=_("Beviljade medel för år"), queryset=Grant.objects.none())
    instalments = forms.IntegerField(
        label=_("Antal utbetalningar"),
        min_value=1,
        max_value=12,
        initial=4,
        help_text=_("Det som är kvar av medlen delas i hela kronor."),
    )
    first_date = forms.DateField(label=_("Första utbetalning"), widget=DATE)
    months_between = forms.IntegerField(
        label=_("Månader mellan utbetalningarna"), min_value=1, max_value=12, initial=3
    )

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        _grant_field(self.fields["grant"], grants)


# --- status reports -----------------------------------------------------------------------------


class ReportForm(forms.ModelForm):
    """The report's texts and forecast, and per goal of the intervention its outcome so far."""

    forecast = AmountField(
        label=_("Prognos för året (kr)"),
        required=False,
        min_value=Decimal(0),
        error_messages={"min_value": _("Prognosen kan inte vara negativ.")},
        help_text=_("Beräknade kostnader för hela året, t.ex. 600 000."),
    )

    class Meta:
        model = InterventionReport
        fields = ["what_happened", "outcome", "forecast", "deviations"]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "outcome": TEXTAREA,
            "deviations": TEXTAREA,
        }

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        existing = {a.goal_id: a for a in self.instance.attainments.all()}
        for goal in self.goals:
            found = existing.get(goal.pk)
            self.fields[f"goal_{goal.pk}_value"] = forms.CharField(
                label=_("Utfall för ”%(goal)s”") % {"goal": goal.text},
                required=False,
                max_length=200,
                initial=found.value if found else "",
                help_text=_("Målvärde: %(target)s") % {"target": goal.target_value}
                if goal.target_value
                else "",
            )
            self.fields[f"goal_{goal.pk}_comment"] = forms.CharField(
                label=_("Kommentar om ”%(goal)s”") % {"goal": goal.text},
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


class OralPresentationForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Styrelsesammanträde"),
        queryset=Meeting.objects.none(),
        empty_label=_("Välj sammanträde"),
        error_messages={"required": _("Välj styrelsens sammanträde där föredragningen hölls.")},
    )
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=TEXTAREA)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ReportReviewForm(forms.Form):
    ACTIONS = [("approve", _("Godkänn rapporten")), ("return", _("Återsänd för komplettering"))]

    action = forms.ChoiceField(label=_("Beslut"), choices=ACTIONS, widget=forms.RadioSelect)
    review_comment = forms.CharField(
        label=_("Kommentar till insatsen"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Krävs när rapporten återsänds: skriv vad som ska kompletteras."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not data.get("review_comment", "").strip():
            self.add_error("review_comment", _("Skriv vad som behöver kompletteras i rapporten."))
        return data


# --- attachments --------------------------------------------------------------------------------


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Bifoga fil"),
        help_text=_("PDF, Word (DOCX) eller Excel (XLSX), högst 10 MB."),
        error_messages={
            "required": _("Välj en fil att bifoga."),
            "empty": _("Filen är tom."),
            "invalid": _("Det gick inte att läsa filen. Försök igen."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )


# --- steering group -----------------------------------------------------------------------------


class SteeringMeetingForm(forms.Form):
    """A plain form, not a ModelForm: validation must not change the meeting before the service
    has taken its audit snapshot."""

    date = forms.DateField(label=_("Datum"), widget=DATE)
    notes = forms.CharField(
        label=_("Dagordning och anteckningar"),
        required=False,
        widget=TEXTAREA,
        help_text=_("T.ex. punkterna på dagordningen. Protokollet laddas upp som fil."),
    )
    minutes = forms.FileField(
        label=_("Protokoll"),
        required=False,
        help_text=_("PDF eller Word (DOCX), högst 10 MB. Kan laddas upp senare."),
        error_messages={
            "empty": _("Filen är tom."),
            "invalid": _("Det gick inte att läsa filen. Försök igen."),
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )
    remove_minutes = forms.BooleanField(label=_("Ta bort protokollet"), required=False)

    def __init__(self, *args, meeting: SteeringGroupMeeting | None = None, **kwargs):
        if meeting is not None:
            kwargs.setdefault("initial", {"date": meeting.date, "notes": meeting.notes})
        super().__init__(*args, **kwargs)
        if meeting is not None and meeting.minutes:
            self.fields["minutes"].label = _("Ersätt protokollet")
            self.fields["minutes"].help_text = _(
                "Nuvarande: %(name)s. Välj en ny fil (PDF eller DOCX, högst 10 MB) för att "
                "ersätta den."
            ) % {"name": meeting.minutes_name}
        else:
            del self.fields["remove_minutes"]

    def clean(self):
        data = super().clean()
        if data.get("minutes") and data.get("remove_minutes"):
            self.add_error(
                "remove_minutes",
                _("Välj antingen en ny fil eller att ta bort protokollet, inte båda."),
            )
        return data
