"""The report builder's form and the office's consent form. Column and filter names come from
the data set's allow-list (finsam.insights.datasets); anything else is refused at the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form
from finsam.insights.datasets import DATASETS, FILTERS, DataSet

FILTER_LABELS = {
    "year": _("Year"),
    "status": _("Status"),
    "kind": _("Type of intervention"),
    "search": _("Name contains"),
}


def _every(attribute: str) -> list[tuple[str, str]]:
    return list(dict(c for d in DATASETS.values() for c in getattr(d, attribute)).items())


class ReportForm(Form):
    """Data set, columns and filters. `datasets`: the data sets the user may read."""

    dataset = forms.ChoiceField(label=_("Data set"))
    columns = forms.MultipleChoiceField(
        label=_("Columns"), widget=forms.CheckboxSelectMultiple, required=False
    )
    year = forms.IntegerField(
        label=FILTER_LABELS["year"], required=False, min_value=2004, max_value=2100
    )
    status = forms.ChoiceField(label=FILTER_LABELS["status"], required=False)
    kind = forms.ChoiceField(label=FILTER_LABELS["kind"], required=False)
    search = forms.CharField(label=FILTER_LABELS["search"], required=False, max_length=100)

    def __init__(self, *args, datasets: list[DataSet], **kwargs):
        super().__init__(*args, **kwargs)
        self.available = {d.key: d for d in datasets}
        self.fields["dataset"].choices = [(d.key, d.label) for d in datasets]
        chosen = self.chosen_dataset()
        # A filter the data set lacks keeps every known value, so that clean() can say why it
        # does not apply rather than call the value unknown.
        statuses = chosen.statuses if chosen and "status" in chosen.filters else _every("statuses")
        kinds = chosen.kinds if chosen and "kind" in chosen.filters else _every("kinds")
        self.fields["status"].choices = [("", _("All")), *statuses]
        self.fields["kind"].choices = [("", _("All")), *kinds]
        if chosen is not None:
            self.fields["columns"].choices = [(c.key, c.label) for c in chosen.columns]

    def chosen_dataset(self) -> DataSet | None:
        key = (self.data.get("dataset") if self.is_bound else self.initial.get("dataset")) or ""
        return self.available.get(key)

    def filter_fields(self):
        """The filter fields to show: the data set's own, and any other that has an error."""
        chosen = self.chosen_dataset()
        own = chosen.filters if chosen else ()
        return [self[name] for name in FILTERS if name in own or self[name].errors]

    def clean_columns(self):
        columns = self.cleaned_data["columns"]
        if self.chosen_dataset() is not None and not columns:
            raise forms.ValidationError(_("Choose at least one column."))
        return columns

    def clean(self):
        data = super().clean()
        chosen = self.chosen_dataset()
        if chosen is None:
            return data
        for name in FILTERS:
            if data.get(name) not in (None, "") and name not in chosen.filters:
                self.add_error(
                    name,
                    _("The data set “%(dataset)s” cannot be filtered by %(filter)s.")
                    % {"dataset": chosen.label, "filter": str(FILTER_LABELS[name]).lower()},
                )
        return data

    def report(self) -> tuple[DataSet, list[str], dict]:
        """(data set, columns, filters) of a valid form; filters without empty values."""
        data = self.cleaned_data
        filters = {n: data[n] for n in FILTERS if data.get(n) not in (None, "")}
        return self.available[data["dataset"]], list(data["columns"]), filters


class SaveReportForm(ReportForm):
    name = forms.CharField(label=_("Name of the report"), max_length=120)
    shared = forms.BooleanField(
        label=_("Share within the association"),
        required=False,
        help_text=_(
            "Others in the association can open it; each sees only what their role allows."
        ),
    )


class ConsentForm(Form):
    public = forms.BooleanField(
        label=_("Show our key figures on the public comparison page"),
        required=False,
        help_text=_(
            "Money per type of intervention, participants and exits to work or studies (small "
            "numbers hidden), indicator results and goal attainment. Nothing about any person."
        ),
    )
