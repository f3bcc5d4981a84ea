"""Every write of the documents app: keyword-only, given an actor, audited in the same transaction.

- `document_get_or_create` — the current version of a document for a period (a draft is made
  when there is none).
- `text_save` — a free-text section's new version (the old ones are kept).
- `flag_acknowledge` — the office's reason for adopting despite a consistency flag.
- `document_adopt` — the flags are resolved or acknowledged; the PDF is rendered one last time
  and stored with its SHA-256; the document is frozen.
- `document_new_version` — a change after adoption: a new draft with the texts carried over.
- `logo_set` / `logo_remove` — the running header's logo (PNG or JPEG, size-capped).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import require_actor, user_or_none
from finsam.documents import blocks
from finsam.documents.models import (
    Document,
    DocumentSettings,
    FlagAcknowledgement,
    TextVersion,
)
from finsam.organisation.audit import Event, audited_create, record, snapshot

MAX_LOGO_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def kind_or_error(slug: str) -> blocks.Kind:
    kind = blocks.KINDS.get(slug)
    if kind is None:
        known = ", ".join(sorted(blocks.KINDS))
        raise ValidationError(
            _("Unknown type of document %(kind)s. Known types: %(known)s.")
            % {"kind": slug, "known": known}
        )
    return kind


def default_cut_off(kind: str, year: int, cut_off: dt.date | None) -> dt.date | None:
    if kind != "interim":
        return None
    cut_off = cut_off or dt.date(year, 6, 30)
    if cut_off.year != year:
        raise ValidationError(
            {"cut_off": _("The cut-off date must lie in the year %(year)s.") % {"year": year}}
        )
    return cut_off


def _title(kind: blocks.Kind, year: int, cut_off, meeting) -> str:
    if cut_off:
        return f"{kind.name} {cut_off.isoformat()}"
    if meeting is not None:
        return f"{kind.name} {meeting.date.isoformat()}"
    return f"{kind.name} {year}"


@transaction.atomic
def document_get_or_create(
    *, association, kind: str, year: int, by, cut_off: dt.date | None = None, meeting=None
) -> Document:
    """The newest version of the document for this period; a new draft when there is none."""
    require_actor(by)
    found = kind_or_error(kind)
    cut_off = default_cut_off(kind, year, cut_off)
    if meeting is not None and meeting.association_id != association.pk:
        raise ValidationError({"meeting": _("The meeting belongs to another association.")})
    if kind == "board-pack" and meeting is None:
        raise ValidationError({"meeting": _("Choose the board meeting the board pack is for.")})
    existing = (
        Document.objects.select_for_update()
        .filter(association=association, kind=kind, year=year, cut_off=cut_off, meeting=meeting)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    return audited_create(
        Document,
        by=by,
        event=Event.DOCUMENT_CREATED,
        association=association,
        kind=kind,
        year=year,
        cut_off=cut_off,
        meeting=meeting,
        title=_title(found, year, cut_off, meeting),
        created_by=user_or_none(by),
    )


def _require_draft(document: Document) -> None:
    if document.is_adopted:
        raise ValidationError(
            _("The document is adopted and cannot be changed. Make a new version to change it.")
        )


@transaction.atomic
def text_save(*, document: Document, key: str, text: str, by) -> TextVersion:
    """A new version of one free-text section; the section must be one of the document's."""
    require_actor(by)
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_draft(document)
    if not key or len(key) > 60:
        raise ValidationError({"key": _("Unknown section.")})
    current = current_texts(document).get(key)
    if current is not None and current == text:
        raise ValidationError({"text": _("The text has not changed; nothing was saved.")})
    return audited_create(
        TextVersion,
        by=by,
        event=Event.DOCUMENT_TEXT_SAVED,
        document=document,
        key=key,
        text=text,
        created_by=user_or_none(by),
    )


def current_texts(document: Document) -> dict[str, str]:
    """The newest version of each section's text."""
    texts: dict[str, str] = {}
    for key, text in (
        TextVersion.objects.filter(document=document)
        .order_by("key", "-created_at", "-id")
        .values_list("key", "text")
    ):
        texts.setdefault(key, text)
    return texts


@transaction.atomic
def flag_acknowledge(
    *, document: Document, code: str, message: str, reason: str, by
) -> FlagAcknowledgement:
    require_actor(by)
    _require_draft(document)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": _("Say in a sentence why the document can be adopted despite the flag.")}
        )
    if FlagAcknowledgement.objects.filter(document=document, code=code).exists():
        raise ValidationError(_("The flag is already acknowledged."))
    return audited_create(
        FlagAcknowledgement,
        by=by,
        event=Event.DOCUMENT_FLAG_ACKNOWLEDGED,
        document=document,
        code=code[:80],
        message=message,
        reason=reason,
        created_by=user_or_none(by),
    )


def open_flags(document: Document, flags: list[blocks.Flag]) -> list[blocks.Flag]:
    """The flags of a fresh build that nobody has acknowledged (a resolved flag is not built)."""
    acknowledged = set(document.acknowledgements.values_list("code", flat=True))
    return [f for f in flags if f.code not in acknowledged]


def document_set_adoption_meeting(*, document: Document, meeting, by) -> Document:
    """Put the draft up for adoption at a board meeting (or take it off with None)."""
    require_actor(by)
    _require_draft(document)
    if meeting is not None and meeting.association_id != document.association_id:
        raise ValidationError({"meeting": _("The meeting belongs to another association.")})
    with transaction.atomic():
        before = snapshot(document, exclude=("pdf",))
        document.adoption_meeting = meeting
        document.full_clean()
        document.save(update_fields=["adoption_meeting"])
        record(
            event=Event.DOCUMENT_UPDATED,
            actor=by,
            target=document,
            before=before,
            after=snapshot(document, exclude=("pdf",)),
        )
    return document


def document_adopt(*, document: Document, by, logo=None) -> Document:
    """Adopt: build afresh, refuse while a flag is open, render the PDF and freeze it."""
    require_actor(by)
    from finsam.documents.assemble import assemble
    from finsam.documents.render import render

    _require_draft(document)
    built = assemble(document)
    still_open = open_flags(document, built.flags)
    if still_open:
        raise ValidationError(
            _(
                "%(n)s consistency flags are open. Resolve each one or acknowledge it with a "
                "reason before the document is adopted."
            )
            % {"n": len(still_open)}
        )
    pdf = render(built, "pdf", logo=logo_of(document.association))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_draft(locked)
        before = snapshot(locked, exclude=("pdf",))
        locked.pdf = pdf
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.status = Document.Status.ADOPTED
        locked.adopted_at = timezone.now()
        locked.adopted_by = user_or_none(by)
        locked.full_clean()
        locked.save()
        record(
            event=Event.DOCUMENT_ADOPTED,
            actor=by,
            target=locked,
            before=before,
            after=snapshot(locked, exclude=("pdf",)),
        )
    return locked


@transaction.atomic
def document_new_version(*, document: Document, by) -> Document:
    """A change after adoption: a new draft of the same period, with the texts carried over."""
    require_actor(by)
    if not document.is_adopted:
        raise ValidationError(_("Only an adopted document gets a new version; edit the draft."))
    newest = (
        Document.objects.select_for_update()
        .filter(
            association=document.association,
            kind=document.kind,
            year=document.year,
            cut_off=document.cut_off,
            meeting=document.meeting,
        )
        .aggregate(v=Max("version"))["v"]
    )
    if newest != document.version:
        raise ValidationError(_("A newer version of the document already exists."))
    draft = audited_create(
        Document,
        by=by,
        event=Event.DOCUMENT_CREATED,
        association=document.association,
        kind=document.kind,
        year=document.year,
        cut_off=document.cut_off,
        meeting=document.meeting,
        version=document.version + 1,
        title=document.title,
        created_by=user_or_none(by),
    )
    for key, text in current_texts(document).items():
        audited_create(
            TextVersion,
            by=by,
            event=Event.DOCUMENT_TEXT_SAVED,
            document=draft,
            key=key,
            text=text,
            created_by=user_or_none(by),
        )
    return draft


# --- logo ------------------------------------------------------------------------------------


def logo_of(association) -> tuple[bytes, str] | None:
    found = DocumentSettings.objects.filter(association=association).first()
    if found is None or not found.logo:
        return None
    return bytes(found.logo), found.logo_type


def check_logo(data: bytes) -> str:
    """The content type of an acceptable logo (PNG or JPEG by its first bytes), else an error."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            {
                "logo": _("The logo is larger than %(kb)s kB. Save it smaller and try again.")
                % {"kb": MAX_LOGO_BYTES // 1024}
            }
        )
    if data.startswith(PNG_MAGIC):
        return "image/png"
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")})


@transaction.atomic
def logo_set(*, association, data: bytes, name: str, by) -> DocumentSettings:
    require_actor(by)
    content_type = check_logo(data)
    settings_row, _created = DocumentSettings.objects.select_for_update().get_or_create(
        association=association
    )
    before = snapshot(settings_row, exclude=("logo",))
    settings_row.logo = data
    settings_row.logo_type = content_type
    settings_row.logo_name = name[:200]
    settings_row.full_clean()
    settings_row.save()
    record(
        event=Event.DOCUMENT_LOGO_SET,
        actor=by,
        target=settings_row,
        association=association,
        before=before,
        after=snapshot(settings_row, exclude=("logo",)),
    )
    return settings_row
