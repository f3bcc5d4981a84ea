"""Attachments on applications: PDF/DOCX/XLSX by extension and content, at most 10 MB, Swedish
errors at the field, downloads only through a permission-checked view, removable while a draft."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finsam.funding import services
from finsam.funding.models import ApplicationAttachment
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_views import field_errors
from finsam.organisation.models import AuditEvent, Membership, Role
from finsam.organisation.tests.factories import user_with_role


def ooxml(kind: str) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            f'{kind}.main+xml"/></Types>',
        )
    return buffer.getvalue()


PDF = b"%PDF-1.4\n% budget\n"
DOCX = ooxml("wordprocessingml.document")
XLSX = ooxml("spreadsheetml.sheet")


def url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


@pytest.fixture
def applicant(association):
    user = user_with_role(association, Role.MEMBER_ORG)
    member = association.members.filter(kind="municipality").first()
    Membership.objects.filter(user=user, association=association).update(member=member)
    return user


@pytest.fixture
def application(association, applicant):
    return f.draft(association, by=applicant)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Budget 2022.pdf", PDF, "application/pdf"),
        ("Plan.docx", DOCX, services.ATTACHMENT_TYPES["docx"]),
        ("Budget.XLSX", XLSX, services.ATTACHMENT_TYPES["xlsx"]),
    ],
)
def test_the_applicant_uploads_and_downloads_a_file(
    client, association, applicant, application, name, content, content_type
):
    client.force_login(applicant)
    response = client.post(
        url("attachment_upload", association, application.pk),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302
    attachment = application.attachments.get()
    assert (attachment.original_name, attachment.size, attachment.content_type) == (
        name,
        len(content),
        content_type,
    )
    assert attachment.file.name.startswith(f"funding/{association.slug}/ansokningar/")
    assert name not in attachment.file.name  # the user's name is never a storage path
    page = client.get(url("application_detail", association, application.pk)).content.decode()
    link = url("attachment_download", association, application.pk, attachment.pk)
    assert link in page and name in page
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert "attachment;" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(event="attachment.added").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Bara PDF-, Word- (DOCX) och Excel-filer (XLSX)"),
        ("budget.pdf", b"<html>inte en pdf</html>", "inte en riktig PDF-fil"),
        ("plan.docx", XLSX, "inte en riktig DOCX-fil"),
        ("budget.xlsx", b"PK\x03\x04trasig zip", "inte en riktig XLSX-fil"),
        ("plan.docx", PDF, "inte en riktig DOCX-fil"),
    ],
)
def test_wrong_types_are_refused_at_the_field_and_nothing_is_saved(
    client, association, applicant, application, name, content, message
):
    client.force_login(applicant)
    response = client.post(
        url("attachment_upload", association, application.pk),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in field_errors(response.content.decode(), "file")
    assert not ApplicationAttachment.objects.exists()
    assert not AuditEvent.objects.filter(event="attachment.added").exists()


def test_a_file_over_10_mb_is_refused(client, association, applicant, application):
    client.force_login(applicant)
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = client.post(
        url("attachment_upload", association, application.pk),
        {"file": SimpleUploadedFile("stor.pdf", big)},
    )
    assert response.status_code == 400
    assert "högst 10 MB" in field_errors(response.content.decode(), "file")
    assert not ApplicationAttachment.objects.exists()


def test_no_file_is_refused(client, association, applicant, application):
    client.force_login(applicant)
    response = client.post(url("attachment_upload", association, application.pk), {})
    assert response.status_code == 400
    assert "Välj en fil" in field_errors(response.content.decode(), "file")


def test_attachments_are_deletable_only_while_draft(client, association, applicant, application):
    attachment = services.attachment_add(
        application=application, upload=SimpleUploadedFile("a.pdf", PDF), by=applicant
    )
    second = services.attachment_add(
        application=application, upload=SimpleUploadedFile("b.pdf", PDF), by=applicant
    )
    client.force_login(applicant)
    response = client.post(url("attachment_delete", association, application.pk, attachment.pk))
    assert response.status_code == 302
    assert list(application.attachments.all()) == [second]
    services.application_submit(application=application, by=applicant)
    response = client.post(url("attachment_delete", association, application.pk, second.pk))
    assert response.status_code == 403
    response = client.post(
        url("attachment_upload", association, application.pk),
        {"file": SimpleUploadedFile("c.pdf", PDF)},
    )
    assert response.status_code == 403
    assert list(application.attachments.all()) == [second]


def test_readers_download_but_others_get_404(
    client, association, other_association, applicant, application
):
    attachment = services.attachment_add(
        application=application, upload=SimpleUploadedFile("a.pdf", PDF), by=applicant
    )
    link = url("attachment_download", association, application.pk, attachment.pk)
    client.force_login(user_with_role(association, Role.BOARD))
    assert client.get(link).status_code == 200
    # Another member organisation's user, staff and another association see nothing.
    client.force_login(user_with_role(association, Role.MEMBER_ORG))
    assert client.get(link).status_code == 404
    client.force_login(user_with_role(association, Role.STAFF))
    assert client.get(link).status_code == 404
    client.force_login(user_with_role(other_association, Role.OFFICE))
    assert client.get(link).status_code == 404
    assert (
        client.get(
            url("attachment_download", other_association, application.pk, attachment.pk)
        ).status_code
        == 404
    )
    client.logout()
    assert client.get(link).status_code == 302


def test_a_zip_bomb_disguised_as_a_word_file_is_refused_without_unpacking_it(
    client, association, applicant, application
):
    """#12: a 2 MB DOCX whose [Content_Types].xml unpacks to 150 MB took the server to 2.9 GB."""
    from finsam.core.tests.test_uploads import _bomb

    bomb = _bomb(150).getvalue()
    assert len(bomb) < 2 * 1024 * 1024
    client.force_login(applicant)
    response = client.post(
        url("attachment_upload", association, application.pk),
        {"file": SimpleUploadedFile("Plan.docx", bomb)},
    )
    assert response.status_code == 400
    assert "packas upp till långt mer" in field_errors(response.content.decode(), "file")
    assert not ApplicationAttachment.objects.exists()
