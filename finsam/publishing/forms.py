from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form, ModelForm
from finsam.publishing import public, selectors
from finsam.publishing.models import (
    REFERRER_FIELDS,
    CatalogueEntry,
    PublicationSettings,
    TargetGroup,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ENTRY_FORM_FIELDS = [
    "summary",
    "target_group",
    "municipalities",
    *REFERRER_FIELDS,
    "how_to_apply",
    "contact_name",
    "contact_email",
    "review_by",
]


class EntryForm(ModelForm):
    class Meta:
        model = CatalogueEntry
        fields = ENTRY_FORM_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
            "municipalities": forms.CheckboxSelectMultiple,
            "review_by": DATE,
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = selectors.municipalities(association=association)


class EntryCreateForm(EntryForm):
    """The entry form with the intervention or activity it describes."""

    subject = forms.ChoiceField(label=_("Intervention or activity"))

    class Meta(EntryForm.Meta):
        fields = ["subject", *ENTRY_FORM_FIELDS]

    def __init__(self, *args, association, user, **kwargs):
        super().__init__(*args, association=association, **kwargs)
        interventions, activities = selectors.uncatalogued(user=user, association=association)
        self.fields["subject"].choices = [
            ("", "—"),
            (_("Interventions"), [(f"i{i.pk}", i.title) for i in interventions]),
            (_("Activities"), [(f"a{a.pk}", f"{a.title} ({a.date:%Y-%m-%d})") for a in activities]),
        ]
        self.fields["municipalities"].help_text = _(
            "Where the intervention is offered. Left empty, the intervention's member "
            "municipalities are taken."
        )
        self._subjects = {
            **{f"i{i.pk}": ("intervention", i) for i in interventions},
            **{f"a{a.pk}": ("activity", a) for a in activities},
        }

    def clean_subject(self):
        value = self.cleaned_data["subject"]
        if value not in self._subjects:
            raise forms.ValidationError(_("Choose an intervention or an activity from the list."))
        return self._subjects[value]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        kind, subject = data.pop("subject")
        if not data.get("municipalities"):
            data.pop("municipalities", None)
        return {kind: subject, **data}


class SettingsForm(ModelForm):
    class Meta:
        model = PublicationSettings
        fields = ["is_public", "introduction", "contact_name", "contact_email", "contact_phone"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}


class TokenForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Who uses the token, e.g. Region Västmanland's statistics unit."),
    )


class FacetForm(Form):
    """The public catalogue's filters (GET). Unknown values are ignored with a message at the
    field, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kommun = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None
    )
    malgrupp = forms.ChoiceField(label=_("Target group"), required=False)
    alder = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    typ = forms.ChoiceField(label=_("Type"), required=False)
    remiss = forms.ChoiceField(label=_("Who can refer"), required=False)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        any_value = [("", _("All"))]
        self.fields["kommun"].choices = any_value + [
            (m.pk, m.name) for m in selectors.municipalities(association=association)
        ]
        self.fields["malgrupp"].choices = any_value + list(TargetGroup.choices)
        self.fields["typ"].choices = any_value + public.kind_choices()
        self.fields["remiss"].choices = any_value + public.referrer_choices()

    def facets(self) -> selectors.Facets:
        self.is_valid()  # a refused value is left out (and said at its field); the rest filter
        d = self.cleaned_data
        return selectors.Facets(
            municipality=d.get("kommun"),
            target_group=d.get("malgrupp") or "",
            age=d.get("alder"),
            kind=d.get("typ") or "",
            referrer=public.REFERRER_FIELD_BY_CODE.get(d.get("remiss") or "", ""),
            text=(d.get("q") or "").strip(),
        )
