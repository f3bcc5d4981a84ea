"""Forms of the indicator pages: campaign, links, paper forms handed out, a statement's wording, and
the answer form (the public page and the office's paper entry)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form, ModelForm
from finsam.funding.models import Intervention
from finsam.indicators.models import Item, Questionnaire
from finsam.indicators.services import MAX_LINKS_AT_ONCE


class _QuestionnaireChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Questionnaire) -> str:
        return f"{obj.get_group_display()} – {obj.instrument}"


class CampaignForm(Form):
    questionnaire = _QuestionnaireChoice(
        label=_("Questionnaire (respondent group)"), queryset=Questionnaire.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    interventions = forms.ModelMultipleChoiceField(
        label=_("Interventions (optional)"),
        queryset=Intervention.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    paper_forms = forms.IntegerField(
        label=_("Paper forms distributed"), min_value=0, max_value=100_000, initial=0
    )

    def __init__(self, *args, questionnaires, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires
        self.fields["interventions"].queryset = Intervention.objects.filter(association=association)
        self.fields["year"].initial = timezone.localdate().year


class LinksForm(Form):
    count = forms.IntegerField(
        label=_("Number of links"), min_value=1, max_value=MAX_LINKS_AT_ONCE, initial=10
    )


class PaperFormsForm(Form):
    paper_forms = forms.IntegerField(
        label=_("Paper forms distributed"), min_value=0, max_value=100_000
    )


class ItemForm(ModelForm):
    class Meta:
        model = Item
        fields = ["text", "min_label", "max_label"]


class AnswerForm(forms.Form):
    """One radio group per statement; a statement may be left unanswered."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(questionnaire.items.all())
        for item in self.items:
            choices = [(str(v), str(v)) for v in range(item.scale_min, item.scale_max + 1)]
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=f"{item.number}. {item.text}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=f"{item.scale_min} = {item.min_label}, {item.scale_max} = {item.max_label}"
                if item.min_label or item.max_label
                else "",
                error_messages={
                    "invalid_choice": _("Choose a value from %(min)s to %(max)s.")
                    % {"min": item.scale_min, "max": item.scale_max}
                },
            )

    def answers(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") for item in self.items}
