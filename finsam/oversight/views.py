"""The audit log: who changed what, when — browsed, filtered and exported by office and auditors."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from finsam.core.exports import xlsx_response
from finsam.core.forms import Form
from finsam.organisation.audit import Event
from finsam.organisation.tenancy import association_view
from finsam.oversight import selectors, words
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


def _export_row(row: words.LogRow) -> list:
    return [
        row.when,
        row.actor,
        row.event_label,
        row.object_type,
        row.object_label,
        words.change_text(row, str(REDACTED_NOTE)),
    ]


def _audit_xlsx(request, association, events) -> HttpResponse:
    """Every row, none collapsed: the export is the complete record an auditor keeps."""
    events = list(events)
    _log_participant_rows_read(request, association, events, export=True)
    log_rows = words.log_rows(((e, 1) for e in events), sentences(events))
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
        rows=(_export_row(r) for r in log_rows),
    )


def _page_rows(events, page) -> list[words.LogRow]:
    runs = list(page.object_list)
    by_id = selectors.audit_events_by_id(events, [r["last_id"] for r in runs])
    groups = [(by_id[r["last_id"]], r["n"]) for r in runs if r["last_id"] in by_id]
    return words.log_rows(groups, sentences([e for e, n in groups if n == 1]))


@association_view("audit.view")
def audit_view(request, association):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(
        user=request.user, association=association, **{k: v for k, v in filters.items() if v}
    )
    if request.GET.get("format") == "xlsx":
        return _audit_xlsx(request, association, events)
    page = Paginator(selectors.audit_runs(events), 50).get_page(request.GET.get("page"))
    log_rows = _page_rows(events, page)
    _log_participant_rows_read(
        request, association, [r.event for r in log_rows if r.count == 1], export=False
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "oversight/audit.html",
        {
            "form": form,
            "page": page,
            "rows": log_rows,
            "redacted_note": REDACTED_NOTE,
            "actors": selectors.audit_actors(user=request.user, association=association),
            "query": query.urlencode(),
        },
    )
