"""An application's attachments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form


class AttachmentForm(Form):
    file = forms.FileField(
        label=_("Attach file"),
        help_text=_("PDF, Word (DOCX) or Excel (XLSX), maximum 10 MB."),
        error_messages={
            "required": _("Choose a file to attach."),
            "empty": _("The file is empty."),
            "invalid": _("The file could not be read. Try again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )


# --- steering group -----------------------------------------------------------------------------
