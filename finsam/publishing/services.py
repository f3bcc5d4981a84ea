"""Every write of the public catalogue, its settings and the API tokens: keyword-only, given an
actor, audited in the same transaction (finsam.organisation.audit)."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.organisation.audit import Event, audited_update, record, snapshot
from finsam.organisation.models import MemberKind
from finsam.publishing import results as public_results
from finsam.publishing import rules
from finsam.publishing.models import (
    REFERRER_FIELDS,
    ApiToken,
    CatalogueEntry,
    PublicationSettings,
)

SETTINGS_FIELDS = ["is_public", "introduction", "contact_name", "contact_email", "contact_phone"]
ENTRY_FIELDS = [
    "summary",
    "target_group",
    *REFERRER_FIELDS,
    "how_to_apply",
    "contact_name",
    "contact_email",
    "review_by",
]
TOKEN_PREFIX = "fsm_"


class InvalidTransition(ValidationError):
    pass


def settings_for(association) -> PublicationSettings:
    """The association's publication settings (unsaved defaults until the office saves them)."""
    found = PublicationSettings.objects.filter(association=association).first()
    return found or PublicationSettings(association=association)


@transaction.atomic
def settings_update(*, association, data: dict, by) -> PublicationSettings:
    settings = settings_for(association)
    if settings.pk is None:
        settings.save()
    return audited_update(
        settings, data, fields=SETTINGS_FIELDS, by=by, event=Event.PUBLICATION_SETTINGS_UPDATED
    )


def _check_municipalities(association, municipalities) -> None:
    for member in municipalities:
        if member.association_id != association.pk or member.kind != MemberKind.MUNICIPALITY:
            raise ValidationError(
                {"municipalities": _("Choose among the association's member municipalities.")}
            )


def _entry_snapshot(entry: CatalogueEntry) -> dict:
    return {
        **snapshot(entry, exclude=("results",)),
        "municipalities": sorted(m.pk for m in entry.municipalities.all()),
    }


@transaction.atomic
def entry_create(
    *, association, by, intervention=None, activity=None, municipalities=None, **fields
) -> CatalogueEntry:
    """A draft entry for one of the association's interventions or activities. Municipalities
    default to the intervention's member municipalities."""
    if (intervention is None) == (activity is None):
        raise ValidationError(_("Choose either an intervention or an activity."))
    subject = intervention or activity
    if subject.association_id != association.pk:
        raise ValidationError(_("The entry must describe one of the association's own."))
    if CatalogueEntry.objects.filter(
        **({"intervention": intervention} if intervention else {"activity": activity})
    ).exists():
        raise ValidationError(_("This is already in the catalogue."))
    if municipalities is None:
        municipalities = (
            list(intervention.members.filter(kind=MemberKind.MUNICIPALITY)) if intervention else []
        )
    municipalities = list(municipalities)
    _check_municipalities(association, municipalities)
    entry = CatalogueEntry(
        association=association, intervention=intervention, activity=activity, **fields
    )
    entry.full_clean()
    entry.save()
    entry.municipalities.set(municipalities)
    record(
        event=Event.CATALOGUE_ENTRY_CREATED, actor=by, target=entry, after=_entry_snapshot(entry)
    )
    return entry


@transaction.atomic
def entry_update(*, entry: CatalogueEntry, data: dict, by) -> CatalogueEntry:
    """Change a draft. A published entry is withdrawn to draft first, so that nothing changes
    on the public pages without going through review."""
    if entry.status not in rules.EDITABLE:
        raise ValidationError(_("Only a draft can be changed: withdraw the entry to draft first."))
    data = dict(data)
    before = _entry_snapshot(CatalogueEntry.objects.get(pk=entry.pk))
    if "municipalities" in data:
        municipalities = list(data.pop("municipalities"))
        _check_municipalities(entry.association, municipalities)
        entry.municipalities.set(municipalities)
    not_allowed = sorted(set(data) - set(ENTRY_FIELDS))
    if not_allowed:
        raise ValueError(f"CatalogueEntry: fields not allowed here: {not_allowed}")
    for name, value in data.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    record(
        event=Event.CATALOGUE_ENTRY_UPDATED,
        actor=by,
        target=entry,
        before=before,
        after=_entry_snapshot(entry),
    )
    return entry


@transaction.atomic
def entry_transition(*, entry: CatalogueEntry, to: str, by) -> CatalogueEntry:
    """Move the entry in the editorial flow (rules.TRANSITIONS). Publishing needs a review-by
    date in the future; it stamps the publication time."""
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if to not in rules.TRANSITIONS.get(entry.status, set()):
        raise InvalidTransition(
            _("An entry that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": CatalogueEntry.Status(entry.status).label,
                "to": CatalogueEntry.Status(to).label,
            }
        )
    today = timezone.localdate()
    if to == CatalogueEntry.Status.PUBLISHED and entry.is_overdue(today):
        raise ValidationError(_("The review-by date has passed: set a new one before publishing."))
    before = entry.status
    entry.status = to
    if to == CatalogueEntry.Status.PUBLISHED:
        entry.published_at = timezone.now()
    entry.save(update_fields=["status", "published_at", "updated_at"])
    record(
        event=Event.CATALOGUE_ENTRY_MOVED,
        actor=by,
        target=entry,
        before={"status": before},
        after={"status": to},
    )
    return entry


@transaction.atomic
def entry_refresh_results(*, entry: CatalogueEntry, by) -> CatalogueEntry:
    """Take a new snapshot of the register's published statistics for the entry's intervention,
    as `by` may read them (the statistics page's own functions, suppressed as there)."""
    if entry.intervention is None:
        raise ValidationError(_("An activity has no results from the participant register."))
    try:
        rows = public_results.results_snapshot(
            user=by, intervention=entry.intervention, today=timezone.localdate()
        )
    except PermissionDenied as error:
        raise ValidationError(
            _("Your role does not give access to the participant statistics.")
        ) from error
    before = {"results": entry.results}
    entry.results = rows
    entry.results_updated_at = timezone.now()
    entry.save(update_fields=["results", "results_updated_at", "updated_at"])
    record(
        event=Event.CATALOGUE_RESULTS_UPDATED,
        actor=by,
        target=entry,
        before=before,
        after={"results": rows},
    )
    return entry


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, association, name: str, by) -> tuple[ApiToken, str]:
    """A new token: (the stored row, the token in clear — shown once, never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        association=association,
        name=name,
        token_hash=token_hash(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        created_by=by if getattr(by, "pk", None) else None,
    )
    token.full_clean()
    token.save()
    record(
        event=Event.API_TOKEN_CREATED,
        actor=by,
        target=token,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("The token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        event=Event.API_TOKEN_REVOKED,
        actor=by,
        target=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
    )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Note the day a token was used (not audited: a read, at most one write a day)."""
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
