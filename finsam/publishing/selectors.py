"""Reads of the public catalogue: the office's (scoped to association and role) and the public's
(published entries of associations that have switched their public pages on — nothing else)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from finsam.documents.models import Document
from finsam.funding.models import Call, Decision, Intervention
from finsam.goals.models import Activity
from finsam.organisation.access import can
from finsam.organisation.models import Association, Member, MemberKind
from finsam.publishing.models import ApiToken, CatalogueEntry, PublicationSettings
from finsam.publishing.rules import ACTIVITY_KIND

Status = CatalogueEntry.Status
CAPABILITY = "publishing.edit"


def _require(user, association, capability: str = CAPABILITY) -> None:
    if not can(user, association, capability):
        raise PermissionDenied(capability)


# --- the office ----------------------------------------------------------------------------------


def entries(*, user, association) -> QuerySet[CatalogueEntry]:
    _require(user, association)
    return _with_subject(CatalogueEntry.objects.filter(association=association))


def entry_get(*, user, association, pk: int) -> CatalogueEntry:
    return get_object_or_404(entries(user=user, association=association), pk=pk)


def overdue_entries(*, user, association, today: dt.date) -> QuerySet[CatalogueEntry]:
    """Entries past their review-by date: flagged on the office's list (still public)."""
    return entries(user=user, association=association).filter(review_by__lt=today)


def uncatalogued(*, user, association) -> tuple[QuerySet[Intervention], QuerySet[Activity]]:
    """The interventions and activities not yet in the catalogue, for the "add" form."""
    _require(user, association)
    return (
        Intervention.objects.filter(association=association, catalogue_entry__isnull=True).order_by(
            "title"
        ),
        Activity.objects.filter(association=association, catalogue_entry__isnull=True).order_by(
            "-date", "title"
        ),
    )


def municipalities(*, association) -> QuerySet[Member]:
    return Member.objects.filter(association=association, kind=MemberKind.MUNICIPALITY).order_by(
        "sort_order", "name"
    )


def tokens(*, user, association) -> QuerySet[ApiToken]:
    _require(user, association)
    return ApiToken.objects.filter(association=association).select_related("created_by")


def token_get(*, user, association, pk: int) -> ApiToken:
    return get_object_or_404(tokens(user=user, association=association), pk=pk)


def token_for(raw: str) -> ApiToken | None:
    """The active token with this value, or None (a revoked or unknown token is refused)."""
    from finsam.publishing.services import token_hash

    if not raw:
        return None
    return (
        ApiToken.objects.filter(token_hash=token_hash(raw), revoked_at__isnull=True)
        .select_related("association", "created_by")
        .first()
    )


# --- the public ----------------------------------------------------------------------------------


def _with_subject(qs: QuerySet[CatalogueEntry]) -> QuerySet[CatalogueEntry]:
    # Municipalities and kinds are read for a whole list at once by public.entries_data.
    return qs.select_related("intervention", "activity", "association")


def public_association(*, slug: str) -> Association:
    """The association whose public pages are switched on; 404 for every other slug."""
    found = (
        PublicationSettings.objects.filter(association__slug=slug, is_public=True)
        .select_related("association")
        .first()
    )
    if found is None:
        raise Http404
    association = found.association
    association.public_settings = found
    return association


def public_associations() -> QuerySet[Association]:
    return Association.objects.filter(publication_settings__is_public=True).order_by("name")


@dataclass(frozen=True)
class Facets:
    """What a visitor filters the catalogue on; every value optional."""

    municipality: int | None = None
    target_group: str = ""
    age: int | None = None
    kind: str = ""
    referrer: str = ""
    text: str = ""


def published_entries(*, association, facets: Facets | None = None) -> QuerySet[CatalogueEntry]:
    """The association's published entries, filtered by the facets, in title order."""
    qs = CatalogueEntry.objects.filter(association=association, status=Status.PUBLISHED)
    facets = facets or Facets()
    if facets.municipality:
        qs = qs.filter(municipalities__pk=facets.municipality)
    if facets.target_group:
        qs = qs.filter(target_group=facets.target_group)
    if facets.age is not None:
        # Activities have no age range: they are for the members' staff, not by age.
        qs = qs.filter(intervention__isnull=False).filter(
            Q(intervention__age_from__isnull=True) | Q(intervention__age_from__lte=facets.age),
            Q(intervention__age_to__isnull=True) | Q(intervention__age_to__gte=facets.age),
        )
    if facets.kind == ACTIVITY_KIND:
        qs = qs.filter(activity__isnull=False)
    elif facets.kind:
        qs = qs.filter(intervention__kind_shares__kind=facets.kind)
    if facets.referrer:
        qs = qs.filter(**{facets.referrer: True})
    if facets.text:
        qs = qs.filter(
            Q(intervention__title__icontains=facets.text)
            | Q(activity__title__icontains=facets.text)
            | Q(summary__icontains=facets.text)
        )
    return _with_subject(qs.distinct()).order_by("intervention__title", "activity__title", "pk")


def published_entry(*, association, pk: int) -> CatalogueEntry:
    return get_object_or_404(
        _with_subject(
            CatalogueEntry.objects.filter(association=association, status=Status.PUBLISHED)
        ),
        pk=pk,
    )


def last_change(*, association) -> dt.datetime | None:
    """When anything the public pages show last changed: for Last-Modified."""
    return CatalogueEntry.objects.filter(association=association).aggregate(m=Max("updated_at"))[
        "m"
    ]


def open_calls(*, association, today: dt.date | None = None) -> QuerySet[Call]:
    today = today or timezone.localdate()
    return Call.objects.filter(
        association=association,
        status=Call.Status.OPEN,
        opens_on__lte=today,
        closes_on__gte=today,
    ).order_by("closes_on", "title")


def published_decisions(
    *, association, entry: CatalogueEntry | None = None, today: dt.date | None = None
) -> QuerySet[Decision]:
    """The board's decisions on published interventions, once the meeting has been held: what
    was decided, at which meeting and paragraph, with the amounts. The rationale and conditions
    stay inside (they may speak of people)."""
    today = today or timezone.localdate()
    published = CatalogueEntry.objects.filter(
        association=association, status=Status.PUBLISHED, intervention__isnull=False
    ).values("intervention_id")
    qs = Decision.objects.filter(association=association, meeting__date__lte=today).filter(
        Q(intervention_id__in=published) | Q(application__intervention__id__in=published)
    )
    if entry is not None:
        qs = qs.filter(
            Q(intervention_id=entry.intervention_id)
            | Q(application__intervention__id=entry.intervention_id)
        )
    return (
        qs.select_related("meeting", "intervention", "application__intervention")
        .prefetch_related("amounts")
        .order_by("-meeting__date", "paragraph")
    )


def decision_subject(decision: Decision) -> Intervention | None:
    if decision.intervention_id:
        return decision.intervention
    application = decision.application
    return getattr(application, "intervention", None) if application else None


# Adopted documents a public page may show: the board's plan, interim and annual reports. A
# board pack is a meeting's working papers (draft decisions, applications) and never public.
PUBLIC_DOCUMENT_KINDS = ("plan", "interim", "annual")


def adopted_documents(*, association, entry: CatalogueEntry | None = None) -> list:
    """The association's adopted documents, newest period first, one per period (the latest
    adopted version). Only the frozen PDF is ever served (`document_pdf`), never regenerated.
    The documents are the association's, not one intervention's: an entry's page shows the
    same list."""
    adopted = (
        Document.objects.filter(
            association=association,
            status=Document.Status.ADOPTED,
            kind__in=PUBLIC_DOCUMENT_KINDS,
        )
        .exclude(pdf_sha256="")
        .defer("pdf")
        .order_by("-year", "-cut_off", "kind", "-version")
    )
    latest: dict[tuple, object] = {}
    for document in adopted:
        latest.setdefault((document.kind, document.year, document.cut_off), document)
    return list(latest.values())


def adopted_document(*, association, pk: int):
    """One public adopted document with its stored PDF, or 404."""
    document = next((d for d in adopted_documents(association=association) if d.pk == pk), None)
    if document is None:
        raise Http404
    return Document.objects.get(pk=document.pk)
