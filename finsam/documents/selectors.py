"""Reads of the documents app, scoped to association and role.

The office (documents.edit) sees drafts and adopted documents; the board, the auditors and the
finance officer (documents.view) see adopted documents only.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from finsam.documents.models import Document, RenderJob, TextVersion
from finsam.organisation.access import can


def sees_drafts(user, association) -> bool:
    return can(user, association, "documents.edit")


def documents(*, user, association) -> QuerySet[Document]:
    if not can(user, association, "documents.view"):
        raise PermissionDenied("documents.view")
    qs = (
        Document.objects.filter(association=association)
        .select_related("meeting", "adoption_meeting")
        .defer("pdf")
    )
    if not sees_drafts(user, association):
        qs = qs.filter(status=Document.Status.ADOPTED)
    return qs


def document_get(*, user, association, pk: int) -> Document:
    return get_object_or_404(documents(user=user, association=association), pk=pk)


def versions_of(*, user, document: Document) -> QuerySet[Document]:
    """Every version of the same document (association, kind, period) the user may see."""
    return (
        documents(user=user, association=document.association)
        .filter(
            kind=document.kind,
            year=document.year,
            cut_off=document.cut_off,
            meeting=document.meeting,
        )
        .order_by("-version")
    )


def text_history(*, document: Document, key: str) -> QuerySet[TextVersion]:
    """The caller already has the document through `document_get`."""
    return TextVersion.objects.filter(document=document, key=key).select_related("created_by")


def latest_job(*, document: Document, fmt: str | None = None) -> RenderJob | None:
    qs = RenderJob.objects.filter(document=document).defer("output")
    if fmt:
        qs = qs.filter(fmt=fmt)
    return qs.order_by("-created_at", "-id").first()


def job_get(*, user, association, pk: int) -> RenderJob:
    visible = documents(user=user, association=association)
    return get_object_or_404(
        RenderJob.objects.filter(document__in=visible).select_related("document"), pk=pk
    )


def documents_for_adoption(*, meeting) -> list[Document]:
    """The board pack's appendices: each draft put up for adoption at `meeting` (newest version of
    each document), in the order kind, year, cut-off. For the system (the board pack kind); the
    page that shows the pack checks who may see it."""
    found = (
        Document.objects.filter(adoption_meeting=meeting, association_id=meeting.association_id)
        .defer("pdf")
        .order_by("kind", "year", "cut_off", "-version")
    )
    newest: dict[tuple, Document] = {}
    for document in found:
        newest.setdefault(
            (document.kind, document.year, document.cut_off, document.meeting_id), document
        )
    return list(newest.values())


# The annual report is drawn up and given to the auditors within three months of the year's end
# (the annual cycle's March item): the office is reminded from New Year until it is adopted.
ANNUAL_REPORT_DUE = (3, 31)


def annual_report_due(*, user, association, today: dt.date) -> tuple[int, dt.date] | None:
    """(the year, the day its annual report is due) while last year's annual report is not
    adopted; None when it is, or for a user who does not draw up documents."""
    if not sees_drafts(user, association):
        return None
    year = today.year - 1
    adopted = Document.objects.filter(
        association=association, kind="annual", year=year, status=Document.Status.ADOPTED
    ).exists()
    return None if adopted else (year, dt.date(today.year, *ANNUAL_REPORT_DUE))
