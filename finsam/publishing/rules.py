"""The catalogue's editorial flow and the facets a visitor filters on, as data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from finsam.publishing.models import CatalogueEntry

Status = CatalogueEntry.Status

# draft → review → published; review may go back to draft; a published entry is withdrawn to
# draft (to edit it or take it down) and goes through review again.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.REVIEW},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT},
}
EDITABLE = (Status.DRAFT,)

TRANSITION_LABELS = {
    (Status.DRAFT, Status.REVIEW): _("Send for review"),
    (Status.REVIEW, Status.DRAFT): _("Back to draft"),
    (Status.REVIEW, Status.PUBLISHED): _("Publish"),
    (Status.PUBLISHED, Status.DRAFT): _("Withdraw from the public pages"),
}
TRANSITION_DONE = {
    Status.REVIEW: _("The entry was sent for review."),
    Status.DRAFT: _("The entry is a draft again and not shown publicly."),
    Status.PUBLISHED: _("The entry is published."),
}

# Facet "kind" for an activity: one value, beside the intervention kinds.
ACTIVITY_KIND = "activity"
