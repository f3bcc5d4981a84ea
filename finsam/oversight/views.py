"""The audit log: who changed what, when — browsed, filtered and exported by office and auditors."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from finsam.core.exports import xlsx_response
from finsam.core.forms import Form
from finsam.organisation.audit import Event
from finsam.organisation.tenancy import association_view
from finsam.oversight import selectors
from finsam.oversight.sentences import sentences
from finsam.participants.services import audit_rows_read


class AuditFilterForm(Form):
    event = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All"))] + list(Event.choices)
    )
    actor = forms.CharField(label=_("User"), required=False)
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(label=_("Object contains"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data


REDACTED_NOTE = _("Shown only to the intervention's staff.")


def _log_participant_rows_read(request, association, events, *, export: bool) -> None:
    """A participant's row shown in full (to staff of its intervention who also read this log)
    is a read of their data: it goes to the participants' access log like every other read."""
    shown = [e for e in events if e.personal_data and not e.redacted]
    if shown:
        audit_rows_read(association=association, by=request.user, events=shown, export=export)


def _change_text(event) -> str:
    if event.redacted:
        return str(REDACTED_NOTE)
    return "; ".join(f"{capfirst(k)}: {b} → {a}" for k, b, a in event.labelled_changes())


def _export_row(event, told: dict[int, str]) -> list:
    return [
        event.created_at,
        event.actor_name,
        str(Event(event.event).label) if event.event in Event.values else event.event,
        event.target_type_label,
        event.target_label,
        told.get(event.pk) or _change_text(event),
    ]


def _audit_xlsx(request, association, events) -> HttpResponse:
    events = list(events)
    _log_participant_rows_read(request, association, events, export=True)
    told = sentences(events)
    return xlsx_response(
        filename=f"granskningslogg-{association.slug}.xlsx",
        title=_("Audit log"),
        headers=[
            _("Time"),
            _("User"),
            _("Event"),
            _("Object type"),
            _("Object"),
            _("Changes"),
        ],
        rows=(_export_row(e, told) for e in events),
    )


@association_view("audit.view")
def audit_view(request, association):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(
        user=request.user, association=association, **{k: v for k, v in filters.items() if v}
    )
    if request.GET.get("format") == "xlsx":
        return _audit_xlsx(request, association, events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    _log_participant_rows_read(request, association, page.object_list, export=False)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "oversight/audit.html",
        {
            "form": form,
            "page": page,
            "event_labels": dict(Event.choices),
            "sentences": sentences(page.object_list),
            "redacted_note": REDACTED_NOTE,
            "actors": selectors.audit_actor_names(user=request.user, association=association),
            "query": query.urlencode(),
        },
    )
