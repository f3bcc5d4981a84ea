"""Files attached to an application: upload checks (type, size, content), add and remove."""

from __future__ import annotations

import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core.actors import user_or_none
from finsam.core.uploads import UnsafeUpload, check_zip, read_member
from finsam.funding.models import Application, ApplicationAttachment
from finsam.funding.permissions import can_manage_attachments
from finsam.organisation import audit
from finsam.organisation.audit import Event

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


_OOXML_MARKERS = {"docx": b"wordprocessingml", "xlsx": b"spreadsheetml"}


def attachment_type_error(
    name: str, head: bytes, upload, *, types: dict[str, str] = ATTACHMENT_TYPES, kinds_error=None
) -> str | None:
    """Why the file is not an acceptable file of one of `types` (PDF, DOCX or XLSX), or None.
    Checks the extension and the content itself (PDF header; a zip whose [Content_Types].xml
    names the right kind). `kinds_error` says which kinds are accepted when `types` is narrower."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in types:
        return str(
            kinds_error or _("Only PDF, Word (DOCX) and Excel (XLSX) files can be attached.")
        )
    wrong = _(
        "The file “%(name)s” is not a valid %(kind)s file. Save it as %(kind)s and try again."
    ) % {"name": name, "kind": extension.upper()}
    if extension == "pdf":
        return None if head.startswith(b"%PDF-") else wrong
    if not head.startswith(b"PK"):
        return wrong
    try:
        archive = check_zip(upload)  # a zip bomb is refused from the directory, never unpacked
    except UnsafeUpload as unsafe:
        upload.seek(0)
        return (
            wrong
            if "not a valid" in str(unsafe) or "inte en giltig" in str(unsafe)
            else str(unsafe)
        )
    try:
        with archive:
            types_xml = read_member(archive, "[Content_Types].xml", max_bytes=1024 * 1024)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, UnsafeUpload):
        return wrong
    finally:
        upload.seek(0)
    return None if _OOXML_MARKERS[extension] in types_xml else wrong


def checked_upload(
    upload, *, field: str = "file", types: dict[str, str] = ATTACHMENT_TYPES, kinds_error=None
) -> tuple[str, str]:
    """(file name without any path, content type) of an upload that is not empty, at most
    ATTACHMENT_MAX_BYTES and really one of `types`; else a ValidationError at `field`."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if not upload or not upload.size:
        raise ValidationError({field: _("Choose a file to attach. The file must not be empty.")})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                field: _("The file is %(size)s MB. An attachment may be at most 10 MB.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")}
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    problem = attachment_type_error(name, head, upload, types=types, kinds_error=kinds_error)
    if problem:
        raise ValidationError({field: problem})
    return name, types[name.rsplit(".", 1)[-1].lower()]


@transaction.atomic
def attachment_add(*, application: Application, upload, by) -> ApplicationAttachment:
    """Attach an uploaded file (a Django UploadedFile) to a draft application."""
    allowed, why = can_manage_attachments(by, application)
    if not allowed:
        raise PermissionDenied(why)
    name, content_type = checked_upload(upload)
    attachment = ApplicationAttachment(
        application=application,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=user_or_none(by),
    )
    attachment.file.save(name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    audit.record(
        event=Event.ATTACHMENT_ADDED,
        actor=by,
        target=attachment,
        association=application.association,
        after={"application": application.pk, "name": name, "size": upload.size},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ApplicationAttachment, by) -> None:
    allowed, why = can_manage_attachments(by, attachment.application)
    if not allowed:
        raise PermissionDenied(why)
    audit.record(
        event=Event.ATTACHMENT_DELETED,
        actor=by,
        target=attachment,
        association=attachment.application.association,
        before={"application": attachment.application_id, "name": attachment.original_name},
    )
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: ApplicationAttachment.file.field.storage.delete(stored))
