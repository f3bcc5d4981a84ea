"""Forms only parse input; the rules live in services.py (errors come back to the fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
        empty_label=_("– välj –"),
    )


class RegisterForm(forms.Form):
    identity_text = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=20,
        help_text=_(
            "ÅÅÅÅMMDD-NNNN. Numret sparas inte: registret behåller en pseudonym för att känna igen "
            "personen, födelseåret och det juridiska könet."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    name = forms.CharField(
        label=_("Namn (frivilligt, lagras krypterat)"), max_length=200, required=False
    )
    contact = forms.CharField(
        label=_("Kontaktuppgifter (frivilligt, lagras krypterat)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_date = forms.DateField(label=_("Samtycke lämnat"), widget=DATE)
    consent_scope = forms.CharField(
        label=_("Samtycket omfattar"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_(
            "Registrering och uppföljning i insatsen samt rapportering till Uppföljning Finsam."
        ),
    )
    start_date = forms.DateField(label=_("Startdatum"), widget=DATE)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        members = association.members.all()
        self.fields["referring_member"] = forms.ModelChoiceField(
            queryset=members,
            required=False,
            label=_("Remitterande organisation"),
            empty_label=_("– ingen/egen anmälan –"),
        )
        self.fields["involved_members"] = forms.ModelMultipleChoiceField(
            queryset=members,
            required=False,
            label=_("Medlemmar som deltar i samverkan"),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["entry_occupation"] = _codes(
            association, CodeList.OCCUPATION, _("Sysselsättning vid start")
        )
        self.fields["entry_income_source"] = _codes(
            association, CodeList.INCOME_SOURCE, _("Huvudsaklig försörjning vid start")
        )
        self.fields["time_outside"] = _codes(
            association, CodeList.TIME_OUTSIDE, _("Tid utanför arbete eller studier")
        )
        self.fields["education"] = _codes(association, CodeList.EDUCATION, _("Utbildningsnivå"))


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("Typ av träff"),
        choices=Session.Kind.choices,
        initial=Session.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    ors_individual = forms.CharField(
        label=_("ORS individuellt (0–10)"), required=False, max_length=5
    )
    ors_interpersonal = forms.CharField(
        label=_("ORS mellanmänskligt (0–10)"), required=False, max_length=5
    )
    ors_social = forms.CharField(label=_("ORS socialt (0–10)"), required=False, max_length=5)
    ors_overall = forms.CharField(label=_("ORS övergripande (0–10)"), required=False, max_length=5)
    srs_total = forms.CharField(
        label=_("SRS / G-SRS totalt (0–40)"),
        required=False,
        max_length=5,
    )

    def __init__(self, *args, rules: RatingRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["srs_total"].help_text = _(
            "SRS under %(srs)s (enskild träff) eller G-SRS under %(gsrs)s (grupp) betyder att "
            "samarbetet kan behöva tas upp."
        ) % {"srs": rules.srs_alert_below, "gsrs": rules.gsrs_alert_below}


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("Avslutsdatum"), widget=DATE)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exit_reason"] = _codes(
            association, CodeList.EXIT_REASON, _("Avslutsorsak"), required=True
        )
        self.fields["exit_occupation"] = _codes(
            association, CodeList.OCCUPATION, _("Sysselsättning efter avslut")
        )
        self.fields["exit_income_source"] = _codes(
            association, CodeList.INCOME_SOURCE, _("Huvudsaklig försörjning efter avslut")
        )
        self.fields["step_progress"] = _codes(
            association, CodeList.STEP_PROGRESS, _("Stegförflyttning")
        )


class SurveyForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Är deltagaren nöjd med insatsen?"),
        choices=[("ja", _("Ja")), ("nej", _("Nej"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    self_rated_progress = forms.TypedChoiceField(
        label=_(
            "Hur mycket närmare arbete eller studier känner du dig? (1 = inte alls, 5 = mycket)"
        ),
        choices=[(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, questions=(), **kwargs):
        """`questions`: the association's active own questions, asked after the fixed ones."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        required = {"required": _("Svara på frågan – den är obligatorisk.")}
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
                    choices=[("ja", _("Ja")), ("nej", _("Nej"))],
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
            "Jag har kontrollerat att deltagarens personuppgifter ska raderas. Det går inte att "
            "ångra."
        )
    )


class AccessLogFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Från och med"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Till och med"), required=False, widget=DATE)
    username = forms.ChoiceField(label=_("Användare"), required=False)
    intervention = forms.ModelChoiceField(
        label=_("Insats"), required=False, queryset=None, empty_label=_("Alla")
    )
    action = forms.ChoiceField(
        label=_("Åtgärd"),
        required=False,
        choices=[("", _("Alla")), *AccessLogEntry.Action.choices],
    )
    participant = forms.CharField(label=_("Deltagare (t.ex. D-12)"), required=False)

    def __init__(self, *args, usernames=(), interventions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].choices = [("", _("Alla")), *((u, u) for u in usernames)]
        self.fields["intervention"].queryset = interventions

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatumet ligger före startdatumet."))
        return data


# --- corrections: the registration's own fields, plus the reason -----------------------------------

REASON_HELP = _(
    "Till exempel: ”Fel datum registrerat, se journalanteckning”. Skriv inga personuppgifter här; "
    "orsaken sparas i granskningsloggen."
)


REASON_REQUIRED = {"required": _("Skriv kort varför uppgiften rättas.")}


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Orsak till rättelsen"),
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
        identity.label = _("Personnummer (bara om åldern inte kan räknas ut)")
        identity.help_text = _(
            "Behövs bara om ett nytt startdatum gör åldern vid start osäker. Numret kontrolleras "
            "mot pseudonymen och sparas inte."
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
        label=_("Orsak till att träffen tas bort"),
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
        label=_("Vad har hänt?"), choices=ConsentChange.choices, widget=forms.RadioSelect
    )
    changed_on = forms.DateField(label=_("Datum"), widget=DATE)
    text = forms.CharField(
        label=_("Vad samtycket omfattar nu, eller vad som har återkallats"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class CodeForm(forms.ModelForm):
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
            self.fields["list_name"].help_text = _("En kod stannar i sin lista.")
            self.fields["code"].help_text = _(
                "Kan inte ändras när koden används i registrerade deltaganden."
            )


class SurveyQuestionForm(forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["text", "kind", "scale_low_label", "scale_high_label", "required", "is_active"]
        widgets = {"kind": forms.RadioSelect, "text": forms.TextInput(attrs={"size": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SurveyQuestion.Kind.choices  # no blank radio button


BAND_ROWS = 6


class RatingSettingsForm(forms.Form):
    """The age-band table (BAND_ROWS rows, blank rows ignored) and the thresholds. Only parsing
    here; ratings.rules_from_input checks the rules and puts its errors back at the fields."""

    reliable_change_points = forms.CharField(
        label=_("Tillförlitlig förändring (poäng)"),
        max_length=5,
        required=False,
        help_text=_("Skillnad mellan första och senaste ORS som räknas som verklig förändring."),
    )
    srs_alert_below = forms.CharField(
        label=_("Larmnivå SRS (enskilda träffar)"),
        max_length=5,
        required=False,
        help_text=_("En SRS-summa under värdet visas som en varning för personalen."),
    )
    gsrs_alert_below = forms.CharField(
        label=_("Larmnivå G-SRS (gruppträffar)"),
        max_length=5,
        required=False,
        help_text=_("En G-SRS-summa under värdet visas som en varning för personalen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(BAND_ROWS):
            n = index + 1
            self.fields[band_field(index, "min_age")] = forms.IntegerField(
                label=_("Grupp %(n)s: från ålder") % {"n": n},
                required=False,
                min_value=0,
                max_value=MAX_AGE,
            )
            self.fields[band_field(index, "max_age")] = forms.IntegerField(
                label=_("Grupp %(n)s: till och med ålder") % {"n": n},
                required=False,
                min_value=0,
                max_value=MAX_AGE,
            )
            self.fields[band_field(index, "cutoff")] = forms.CharField(
                label=_("Grupp %(n)s: klinisk gräns (ORS)") % {"n": n},
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
