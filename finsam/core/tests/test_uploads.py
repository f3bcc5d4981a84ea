"""Uploads that must never hurt: zip bombs and huge declared sheets are refused from the
archive's directory, with flat memory (#12)."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from finsam.core.uploads import UnsafeUpload, check_xlsx, check_zip, read_member


def _bomb(unpacked_mb: int = 150) -> io.BytesIO:
    """A real zip bomb: [Content_Types].xml unpacks to `unpacked_mb` MB of zeros."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("[Content_Types].xml", "w", force_zip64=True) as member,
    ):
        for _ in range(unpacked_mb):
            member.write(chunk)
    buffer.seek(0)
    return buffer


def _xlsx(dimension: str | None = None) -> io.BytesIO:
    wb = Workbook()
    wb.active.append(["Rubrik", "Budget 2027"])
    raw = io.BytesIO()
    wb.save(raw)
    if dimension is None:
        raw.seek(0)
        return raw
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<dimension ref="A1:B1"/>', f'<dimension ref="{dimension}"/>'.encode()
                )
            dst.writestr(info, data)
    out.seek(0)
    return out


@pytest.fixture(scope="module")
def bomb():
    return _bomb().getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_with_flat_memory(bomb):
    assert len(bomb) < 2 * 1024 * 1024  # small on disk …
    tracemalloc.start()
    with pytest.raises(UnsafeUpload) as refused:
        check_zip(io.BytesIO(bomb))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # … and never unpacked
    assert "packas upp" in str(refused.value) or "unpacks" in str(refused.value)


def test_a_zip_bomb_xlsx_is_refused_before_openpyxl(bomb):
    with pytest.raises(UnsafeUpload):
        check_xlsx(io.BytesIO(bomb))


def test_a_sheet_declaring_a_million_rows_is_refused():
    with pytest.raises(UnsafeUpload) as refused:
        check_xlsx(_xlsx("A1:XFD1048576"))
    assert "1048576" in str(refused.value)


def test_an_ordinary_workbook_passes_and_stays_readable():
    upload = _xlsx()
    check_xlsx(upload)
    assert upload.tell() == 0
    assert load_workbook(upload, read_only=True).active["B1"].value == "Budget 2027"


def test_a_member_is_read_with_a_cap():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.xml", b"x" * 10_000)
    with zipfile.ZipFile(buffer) as archive:
        assert read_member(archive, "big.xml", max_bytes=10_000) == b"x" * 10_000
        with pytest.raises(UnsafeUpload):
            read_member(archive, "big.xml", max_bytes=9_999)


def test_a_request_body_over_the_cap_is_refused_before_it_is_read(client, settings):
    settings.FINSAM_MAX_REQUEST_BYTES = 1024
    response = client.post("/konto/logga-in/", {"login": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "Filen är för stor" in response.content.decode()


@pytest.mark.django_db
def test_a_body_under_the_cap_goes_through(client, settings):
    settings.FINSAM_MAX_REQUEST_BYTES = 1024 * 1024
    response = client.post("/konto/logga-in/", {"login": "nobody", "password": "wrong"})
    assert response.status_code != 413
