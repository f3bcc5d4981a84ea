"""Uploaded files, checked before anything trusts them.

- The whole request is capped before Django reads it (`UploadSizeLimitMiddleware`,
  `FINSAM_MAX_REQUEST_BYTES`); each kind of file has its own cap checked on `upload.size` before
  its content is read.
- DOCX and XLSX files are zip archives. A zip bomb (a small file that unpacks to gigabytes) is
  refused from the archive's directory alone — the sizes it declares, the ratio between packed
  and unpacked, the number of members — before any member is unpacked (`check_zip`). Python's
  zipfile never unpacks more than a member declares, so a member is then read with a cap
  (`read_member`). Memory stays flat and the refusal takes milliseconds.
- An XLSX also declares each sheet's dimensions (`<dimension ref="A1:XFD1048576"/>`); a sheet
  larger than Finsam ever reads is refused before openpyxl loads the workbook (`check_xlsx`).
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200  # a text-heavy XLSX packs about 10:1; bombs pack 1 000:1 and more
MAX_MEMBERS = 5000
MAX_SHEET_ROWS = 200_000
MAX_SHEET_COLUMNS = 1_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


class UnsafeUpload(ValueError):
    """The file is refused; the message says why, in the user's language, and never echoes content.
    `code`: "not_zip", "bomb", "member_too_large" or "sheet_too_large"."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def check_zip(fileobj: IO[bytes], *, max_unpacked: int = MAX_UNPACKED_BYTES) -> zipfile.ZipFile:
    """The open archive, if what it declares is safe to unpack; else UnsafeUpload. Reads only the
    central directory."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeUpload(
            _("The file is not a valid Office file (it cannot be opened)."), code="not_zip"
        ) from exc
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if len(members) > MAX_MEMBERS or unpacked > max_unpacked or unpacked / packed > MAX_RATIO:
        archive.close()
        raise UnsafeUpload(
            _(
                "The file unpacks to far more than its size (%(size)s MB) and is refused. "
                "Save it again from Word or Excel and try again."
            )
            % {"size": f"{unpacked / 1024 / 1024:.0f}"},
            code="bomb",
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, *, max_bytes: int = 4 * 1024 * 1024) -> bytes:
    """One member's bytes, never more than `max_bytes` (KeyError if it is missing)."""
    with archive.open(name) as member:
        data = member.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeUpload(
            _("A part of the file is too large to be read."), code="member_too_large"
        )
    return data


def _sheet_size(head: bytes) -> tuple[int, int] | None:
    match = _DIMENSION.search(head)
    if not match:
        return None
    last_column, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
    if not last_column or not last_row:
        return None
    return int(last_row), column_index_from_string(last_column.decode())


def check_xlsx(
    fileobj: IO[bytes], *, max_rows: int = MAX_SHEET_ROWS, max_columns: int = MAX_SHEET_COLUMNS
) -> None:
    """Refuse (UnsafeUpload) an XLSX that is a zip bomb or declares a sheet larger than
    `max_rows` × `max_columns`; leave the file at its start for openpyxl."""
    archive = check_zip(fileobj)
    try:
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            with archive.open(info) as sheet:
                head = sheet.read(4096)
            size = _sheet_size(head)
            if size and (size[0] > max_rows or size[1] > max_columns):
                raise UnsafeUpload(
                    _(
                        "A sheet in the file is %(rows)s rows by %(columns)s columns; Finsam reads "
                        "at most %(max_rows)s rows and %(max_columns)s columns. Remove the empty "
                        "rows and columns and try again."
                    )
                    % {
                        "rows": size[0],
                        "columns": size[1],
                        "max_rows": max_rows,
                        "max_columns": max_columns,
                    },
                    code="sheet_too_large",
                )
    finally:
        archive.close()
        fileobj.seek(0)


class UploadSizeLimitMiddleware:
    """Refuse a request body larger than FINSAM_MAX_REQUEST_BYTES from its Content-Length,
    before Django reads any of it, with a page that says so (413)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "FINSAM_MAX_REQUEST_BYTES", 250 * 1024 * 1024)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            body = render_to_string(
                "413.html", {"limit_mb": limit // (1024 * 1024)}, request=request
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
