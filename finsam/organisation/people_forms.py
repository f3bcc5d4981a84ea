"""Forms for creating associations and managing an association's people."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form
from finsam.organisation.models import Association, Role
from finsam.organisation.validators import validate_org_number

LINES = forms.Textarea(attrs={"rows": 3})


class AssociationCreateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Used in addresses and commands, e.g. kramfors."),
    )
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=11,
        validators=[validate_org_number],
        help_text=_("Ten digits, e.g. 222000-1234."),
    )
    county = forms.CharField(label=_("County"), max_length=100, required=False)
    state_members = forms.CharField(
        label=_("State members (one per line)"),
        widget=LINES,
        initial="Försäkringskassan\nArbetsförmedlingen",
    )
    regions = forms.CharField(label=_("Region(s) (one per line)"), widget=LINES)
    municipalities = forms.CharField(label=_("Municipalities (one per line)"), widget=LINES)
    require_second_factor = forms.BooleanField(
        label=_("Require a second factor of every user in the association"),
        required=False,
        initial=True,
    )
    office_email = forms.EmailField(
        label=_("E-mail of the first office user"),
        help_text=_("Receives an invitation link to choose a password."),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Association.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another association already has this short name."))
        return slug

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Association.objects.filter(name=name).exists():
            raise forms.ValidationError(_("Another association already has this name."))
        return name


class InviteForm(Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class GrantForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SecondFactorSettingForm(Form):
    require_second_factor = forms.BooleanField(
        label=_("Require a second factor of every user in the association"), required=False
    )


class InvitationAcceptForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=_("At least 8 characters, not only digits and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data
