"""Forms only parse input; the rules live in the services package (errors come back to the fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form, ModelForm
from finsam.participants.charts import format_score
from finsam.participants.models import (
    AccessLogEntry,
    CodeList,
    FollowUpCode,
    Session,
    SurveyQuestion,
)
from finsam.participants.ratings import MAX_AGE, BandInput, RatingRules, band_field
from finsam.participants.selectors import follow_up_codes
from finsam.participants.services import TEXT_ANSWER_MAX, ConsentChange, answer_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _codes(association, list_name, label, required=False):
    return forms.ModelChoiceField(
        queryset=follow_up_codes(association=association, list_name=list_name),
        required=required,
        label=label,
        empty_label=_("– choose –"),
    )


class RegisterForm(forms.Form):
    identity_text = forms.CharField(
        label=_("Personal identity number or coordination number"),
        max_length=20,
        help_text=_(
            "YYYYMMDD-NNNN. The number is not stored: the register keeps a pseudonym to recognise "
            "the person, the year of birth and the legal gender."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    name = forms.CharField(
        label=_("Name (optional, stored encrypted)"), max_length=200, required=False
    )
    contact = forms.CharField(
        label=_("Contact details (optional, stored encrypted)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_date = forms.DateField(label=_("Consent given"), widget=DATE)
    consent_scope = forms.CharField(
        label=_("Consent covers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_(
            "Registration and follow-up in the intervention, and reporting to Uppföljning Finsam."
        ),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        members = association.members.all()
        self.fields["referring_member"] = forms.ModelChoiceField(
            queryset=members,
            required=False,
            label=_("Referring organisation"),
            empty_label=_("– none/self-referral –"),
        )
        self.fields["involved_members"] = forms.ModelMultipleChoiceField(
            queryset=members,
            required=False,
            label=_("Members taking part in the collaboration"),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["entry_occupation"] = _codes(
            association, CodeList.OCCUPATION, _("Occupation at start")
        )
        self.fields["entry_income_source"] = _codes(
            association, CodeList.INCOME_SOURCE, _("Main source of income at start")
        )
        self.fields["time_outside"] = _codes(
            association, CodeList.TIME_OUTSIDE, _("Time outside work or studies")
        )
        self.fields["education"] = _codes(association, CodeList.EDUCATION, _("Level of education"))


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("Type of session"),
        choices=Session.Kind.choices,
        initial=Session.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    ors_individual = forms.CharField(label=_("ORS individual (0–10)"), required=False, max_length=5)
    ors_interpersonal = forms.CharField(
        label=_("ORS interpersonal (0–10)"), required=False, max_length=5
    )
    ors_social = forms.CharField(label=_("ORS social (0–10)"), required=False, max_length=5)
    ors_overall = forms.CharField(label=_("ORS overall (0–10)"), required=False, max_length=5)
    srs_total = forms.CharField(
        label=_("SRS / G-SRS total (0–40)"),
        required=False,
        max_length=5,
    )

    def __init__(self, *args, rules: RatingRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["srs_total"].help_text = _(
            "SRS below %(srs)s (individual meeting) or G-SRS below %(gsrs)s (group) means the "
            "working relationship may need to be discussed."
        ) % {"srs": rules.srs_alert_below, "gsrs": rules.gsrs_alert_below}


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("Exit date"), widget=DATE)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exit_reason"] = _codes(
            association, CodeList.EXIT_REASON, _("Reason for exit"), required=True
        )
        self.fields["exit_occupation"] = _codes(
            association, CodeList.OCCUPATION, _("Occupation after exit")
        )
        self.fields["exit_income_source"] = _codes(
            association, CodeList.INCOME_SOURCE, _("Main source of income after exit")
        )
        self.fields["step_progress"] = _codes(
            association, CodeList.STEP_PROGRESS, _("Step progression")
        )


class SurveyForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Is the participant satisfied with the intervention?"),
        choices=[("ja", _("Yes")), ("nej", _("No"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    self_rated_progress = forms.TypedChoiceField(
        label=_("How much closer to work or studies do you feel? (1 = not at all, 5 = very much)"),
        choices=[(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, questions=(), **kwargs):
        """`questions`: the association's active own questions, asked after the fixed ones."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        required = {"required": _("Answer the question – it is required.")}
        for question in self.questions:
            if question.kind == SurveyQuestion.Kind.SCALE:
                field = forms.TypedChoiceField(
                    choices=[
                        ("1", f"1 – {question.scale_low_label}"),
                        *[(str(i), str(i)) for i in range(2, 5)],
                        ("5", f"5 – {question.scale_high_label}"),
                    ],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                )
            elif question.kind == SurveyQuestion.Kind.YES_NO:
                field = forms.TypedChoiceField(
                    choices=[("ja", _("Yes")), ("nej", _("No"))],
                    coerce=lambda v: v == "ja",
                    empty_value=None,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(
                    max_length=TEXT_ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 3})
                )
            field.label = question.text
            field.required = question.required
            field.error_messages.update(required)
            self.fields[answer_field(question)] = field

    def answers(self) -> dict[int, object]:
        """The cleaned answers by question pk, for services.exit_survey_record."""
        return {q.pk: self.cleaned_data.get(answer_field(q)) for q in self.questions}

    def fixed_data(self) -> dict[str, object]:
        return {k: self.cleaned_data[k] for k in ("satisfied", "self_rated_progress", "comment")}

    def question_fields(self):
        return [self[answer_field(q)] for q in self.questions]


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have checked that the participant's personal data is to be erased. This cannot be "
            "undone."
        )
    )


class AccessLogFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    username = forms.ChoiceField(label=_("User"), required=False)
    intervention = forms.ModelChoiceField(
        label=_("Intervention"), required=False, queryset=None, empty_label=_("All")
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All")), *AccessLogEntry.Action.choices],
    )
    participant = forms.CharField(label=_("Participant (e.g. D-12)"), required=False)

    def __init__(self, *args, usernames=(), interventions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].choices = [("", _("All")), *((u, u) for u in usernames)]
        self.fields["intervention"].queryset = interventions

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


# --- corrections: the registration's own fields, plus the reason -----------------------------------

REASON_HELP = _(
    "For example: “Wrong date registered, see case note”. Do not write personal data here; the "
    "reason is kept in the audit log."
)


REASON_REQUIRED = {"required": _("Write briefly why the data is being corrected.")}


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        help_text=REASON_HELP,
        error_messages=REASON_REQUIRED,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EntryCorrectionForm(RegisterForm):
    """The registration form's entry fields, validated by the same service rules."""

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, association=association, **kwargs)
        for name in ("name", "contact", "consent_date", "consent_scope"):
            del self.fields[name]
        identity = self.fields["identity_text"]
        identity.required = False
        identity.label = _("Identity number (only if the age cannot be worked out)")
        identity.help_text = _(
            "Only needed when a new start date makes the age at start uncertain. The number is "
            "checked against the pseudonym and not stored."
        )
        self.fields["reason"] = _reason_field()


class ExitCorrectionForm(ExitForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field()


class SessionCorrectionForm(SessionForm):
    reason = _reason_field()


class SessionDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deleting the session"),
        max_length=500,
        help_text=REASON_HELP,
        error_messages=REASON_REQUIRED,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PersonCorrectionForm(forms.Form):
    name = RegisterForm.base_fields["name"]
    contact = RegisterForm.base_fields["contact"]
    reason = _reason_field()


class ConsentForm(forms.Form):
    change = forms.ChoiceField(
        label=_("What has happened?"), choices=ConsentChange.choices, widget=forms.RadioSelect
    )
    changed_on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(
        label=_("What the consent now covers, or what has been withdrawn"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class CodeForm(ModelForm):
    class Meta:
        model = FollowUpCode
        fields = [
            "list_name",
            "code",
            "label",
            "sort_order",
            "is_positive",
            "voids_enrolment",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the service refuses the changes; say so before they are tried
            self.fields["list_name"].help_text = _("A code stays in its list.")
            self.fields["code"].help_text = _(
                "Cannot be changed once the code is used in registered participations."
            )


class SurveyQuestionForm(ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["text", "kind", "scale_low_label", "scale_high_label", "required", "is_active"]
        widgets = {"kind": forms.RadioSelect, "text": forms.TextInput(attrs={"size": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SurveyQuestion.Kind.choices  # no blank radio button


BAND_ROWS = 6


class RatingSettingsForm(Form):
    """The age-band table (BAND_ROWS rows, blank rows ignored) and the thresholds. Only parsing
    here; ratings.rules_from_input checks the rules and puts its errors back at the fields."""

    reliable_change_points = forms.CharField(
        label=_("Reliable change (points)"),
        max_length=5,
        required=False,
        help_text=_("Difference between the first and the latest ORS that counts as real change."),
    )
    srs_alert_below = forms.CharField(
        label=_("SRS alert level (individual meetings)"),
        max_length=5,
        required=False,
        help_text=_("An SRS total below this value is shown to the staff as a warning."),
    )
    gsrs_alert_below = forms.CharField(
        label=_("G-SRS alert level (group meetings)"),
        max_length=5,
        required=False,
        help_text=_("A G-SRS total below this value is shown to the staff as a warning."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(BAND_ROWS):
            n = index + 1
            self.fields[band_field(index, "min_age")] = forms.IntegerField(
                label=_("Group %(n)s: from age") % {"n": n},
                required=False,
                min_value=0,
                max_value=MAX_AGE,
            )
            self.fields[band_field(index, "max_age")] = forms.IntegerField(
                label=_("Group %(n)s: up to and including age") % {"n": n},
                required=False,
                min_value=0,
                max_value=MAX_AGE,
            )
            self.fields[band_field(index, "cutoff")] = forms.CharField(
                label=_("Group %(n)s: clinical cutoff (ORS)") % {"n": n},
                required=False,
                max_length=5,
            )

    @staticmethod
    def initial_for(rules: RatingRules) -> dict[str, object]:
        initial: dict[str, object] = {
            "reliable_change_points": format_score(rules.reliable_change_points),
            "srs_alert_below": format_score(rules.srs_alert_below),
            "gsrs_alert_below": format_score(rules.gsrs_alert_below),
        }
        for index, band in enumerate(rules.age_bands[:BAND_ROWS]):
            initial[band_field(index, "min_age")] = band.min_age
            initial[band_field(index, "max_age")] = band.max_age
            initial[band_field(index, "cutoff")] = format_score(band.cutoff)
        return initial

    def band_rows(self):
        return [
            [self[band_field(index, name)] for name in ("min_age", "max_age", "cutoff")]
            for index in range(BAND_ROWS)
        ]

    def service_data(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "age_bands": [
                BandInput(
                    min_age=data.get(band_field(index, "min_age")),
                    max_age=data.get(band_field(index, "max_age")),
                    cutoff=data.get(band_field(index, "cutoff"), ""),
                )
                for index in range(BAND_ROWS)
            ],
            "reliable_change_points": data.get("reliable_change_points", ""),
            "srs_alert_below": data.get("srs_alert_below", ""),
            "gsrs_alert_below": data.get("gsrs_alert_below", ""),
        }
