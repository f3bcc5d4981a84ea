"""The intervention's steering group: members and meetings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import Form
from finsam.funding.forms._common import DATE, TEXTAREA
from finsam.funding.models import SteeringGroupMeeting
from finsam.organisation.models import Association, Member


class SteeringMemberForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    member = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("The association or co-opted member"),
    )
    role = forms.CharField(label=_("Role"), max_length=200, required=False)

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(association=association)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("name") or data.get("member") or data.get("role")):
            raise forms.ValidationError(_("Enter a name, organisation or role."))
        return data


class SteeringRowForm(SteeringMemberForm):
    """One row of the steering group's form; `id` is the stored member's, empty for a new row."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def row(self, index: int) -> dict:
        d = self.cleaned_data
        return {
            "index": index,
            "id": d.get("id"),
            "delete": bool(d.get("DELETE")),
            "name": (d.get("name") or "").strip(),
            "member": d.get("member"),
            "role": (d.get("role") or "").strip(),
        }


SteeringRowFormSet = forms.formset_factory(SteeringRowForm, extra=1, can_delete=True)


class SteeringMeetingForm(Form):
    """A plain form, not a ModelForm: validation must not change the meeting before the service
    has taken its audit snapshot."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(
        label=_("Agenda and notes"),
        required=False,
        widget=TEXTAREA,
        help_text=_("E.g. the items on the agenda. The minutes are uploaded as a file."),
    )
    minutes = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_("PDF or Word (DOCX), at most 10 MB. Can be uploaded later."),
        error_messages={
            "empty": _("The file is empty."),
            "invalid": _("The file could not be read. Try again."),
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )
    remove_minutes = forms.BooleanField(label=_("Remove the minutes"), required=False)

    def __init__(self, *args, meeting: SteeringGroupMeeting | None = None, **kwargs):
        if meeting is not None:
            kwargs.setdefault("initial", {"date": meeting.date, "notes": meeting.notes})
        super().__init__(*args, **kwargs)
        if meeting is not None and meeting.minutes:
            self.fields["minutes"].label = _("Replace the minutes")
            self.fields["minutes"].help_text = _(
                "Current: %(name)s. Choose a new file (PDF or DOCX, at most 10 MB) to replace it."
            ) % {"name": meeting.minutes_name}
        else:
            del self.fields["remove_minutes"]

    def clean(self):
        data = super().clean()
        if data.get("minutes") and data.get("remove_minutes"):
            self.add_error(
                "remove_minutes",
                _("Either choose a new file or remove the minutes, not both."),
            )
        return data
