"""Forms for assessing an application and placing it on the board's agenda."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form
from finsam.funding.models import (
    Assessment,
    AssessmentCriterion,
)
from finsam.organisation.models import Meeting


class AssessmentForm(Form):
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
                error_messages={"required": _("Choose a score from 1 to 4.")},
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": c.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [(c, self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {c.pk: (d[f"criterion_{c.pk}"], d.get(f"comment_{c.pk}", "")) for c in self.criteria}


class AgendaForm(Form):
    meeting = forms.ModelChoiceField(label=_("Board meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


# --- decisions ----------------------------------------------------------------------------------
