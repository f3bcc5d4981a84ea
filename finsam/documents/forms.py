from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form
from finsam.documents.services import MAX_LOGO_BYTES

KIND_CHOICES = [
    ("plan", _("Operational plan and budget")),
    ("interim", _("Interim report")),
    ("annual", _("Annual report")),
    ("board-pack", _("Board pack")),
]
FORMAT_CHOICES = [
    ("pdf", "PDF"),
    ("docx", _("Word (DOCX)")),
    ("xlsx", _("Excel (XLSX), every table")),
]


class DocumentOpenForm(Form):
    kind = forms.ChoiceField(label=_("Type of document"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    cut_off = forms.DateField(
        label=_("Cut-off date (interim report)"),
        required=False,
        help_text=_("E.g. 2026-06-30 or a tertial's last day. Empty: 30 June."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    meeting = forms.ModelChoiceField(
        label=_("Board meeting (board pack)"), queryset=None, required=False
    )

    def __init__(self, *args, kinds, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(slug, name) for slug, name in KIND_CHOICES if slug in kinds]
        self.fields["meeting"].queryset = meetings


class TextForm(Form):
    text = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Paragraphs are separated by an empty line. **bold**, *italic*, lists with - or 1., "
            "links as [text](https://…). HTML is shown as text."
        ),
    )


class AcknowledgeForm(Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=80)
    reason = forms.CharField(
        label=_("Reason"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Say in a sentence why the document can be adopted despite the flag."),
            "min_length": _("Say in a sentence why the document can be adopted despite the flag."),
        },
    )


class GenerateForm(Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)


class AdoptionMeetingForm(Form):
    meeting = forms.ModelChoiceField(
        label=_("Up for adoption at the board meeting"), queryset=None, required=False
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class LogoForm(Form):
    logo = forms.FileField(
        label=_("Logo (PNG or JPEG)"),
        help_text=_("At most %(kb)s kB. Shown in the header of every page.")
        % {"kb": MAX_LOGO_BYTES // 1024},
    )

    def clean_logo(self):
        upload = self.cleaned_data["logo"]
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("The logo is larger than %(kb)s kB. Save it smaller and try again.")
                % {"kb": MAX_LOGO_BYTES // 1024}
            )
        return upload
