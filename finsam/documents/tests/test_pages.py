"""The pages: open a document, write its texts, acknowledge, generate with progress, adopt —
and every form refuses bad input at the field, in Swedish, with nothing saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finsam.documents import services
from finsam.documents.assemble import assemble
from finsam.documents.models import (
    Document,
    DocumentSettings,
    FlagAcknowledgement,
    RenderJob,
    TextVersion,
)
from finsam.documents.tests.test_render import PNG_1PX
from finsam.organisation.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, login_as):
    return login_as(Role.OFFICE)


@pytest.fixture
def plan(association, office):
    return services.document_get_or_create(
        association=association, kind="plan", year=2027, by=office
    )


def url(name, association, *args):
    return reverse(f"documents:{name}", args=[association.slug, *args])


def test_open_a_document_from_the_list(client, association, office):
    page = client.get(url("list", association)).content.decode()
    assert "Öppna eller påbörja ett dokument" in page and "Delårsrapport" in page
    response = client.post(
        url("open", association), {"kind": "interim", "year": "2027", "cut_off": "2027-04-30"}
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == url("detail", association, document.pk)
    assert document.cut_off.isoformat() == "2027-04-30"


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"kind": "plan", "year": "tjugo"}, "Fyll i ett heltal"),
        ({"kind": "okänd", "year": "2027"}, "Välj ett giltigt alternativ"),
        (
            {"kind": "interim", "year": "2027", "cut_off": "2026-06-30"},
            "Brytdatumet måste ligga i år 2027",
        ),
        ({"kind": "plan", "year": "1850"}, "2000"),
    ],
)
def test_the_open_form_refuses_bad_input(client, association, office, data, field_error):
    response = client.post(url("open", association), data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Document.objects.exists()


def test_the_document_page_shows_the_flags_and_the_texts(client, association, plan):
    page = client.get(url("detail", association, plan.pk)).content.decode()
    assert "Det finns ingen budget för 2027" in page
    assert "Kansliets inledning till årets plan." in page
    assert "Fastställ dokumentet" in page


def test_a_text_is_saved_as_a_new_version_and_its_history_kept(client, association, plan):
    edit = url("text", association, plan.pk, "introduction")
    assert client.post(edit, {"text": "Första *versionen*"}).status_code == 302
    assert client.post(edit, {"text": "Andra versionen"}).status_code == 302
    page = client.get(edit).content.decode()
    assert "Andra versionen" in page and "Första *versionen*" in page  # the history
    assert TextVersion.objects.filter(document=plan).count() == 2
    too_long = client.post(edit, {"text": "x" * 50_001})
    assert too_long.status_code == 400 and "som mest 50000 tecken" in too_long.content.decode()
    unchanged = client.post(edit, {"text": "Andra versionen"})
    assert unchanged.status_code == 400 and "Texten är oförändrad" in unchanged.content.decode()
    assert TextVersion.objects.filter(document=plan).count() == 2
    assert client.get(url("text", association, plan.pk, "no-such-section")).status_code == 404


def test_a_flag_needs_a_reason_and_a_resolved_flag_cannot_be_acknowledged(
    client, association, plan
):
    flag = assemble(plan).flags[0]
    short = client.post(
        url("acknowledge", association, plan.pk), {"code": flag.code, "reason": "ok"}
    )
    assert short.status_code == 400 and "Skriv med en mening" in short.content.decode()
    gone = client.post(
        url("acknowledge", association, plan.pk),
        {"code": "no-such-flag", "reason": "En bra anledning."},
    )
    assert gone.status_code == 400 and "den är åtgärdad" in gone.content.decode()
    assert not FlagAcknowledgement.objects.exists()
    done = client.post(
        url("acknowledge", association, plan.pk),
        {"code": flag.code, "reason": "Budgeten kommer i november."},
    )
    assert done.status_code == 302
    saved = FlagAcknowledgement.objects.get()
    assert saved.message == flag.message  # the message is the built flag's, not the form's


def test_adopt_is_refused_while_flags_are_open(client, association, plan):
    response = client.post(url("adopt", association, plan.pk), follow=True)
    assert "flaggor är öppna" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.is_adopted


def test_generate_runs_on_the_task_queue_and_the_page_shows_progress(
    client, association, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("generate", association, plan.pk), {"fmt": "docx"})
    job = RenderJob.objects.get()
    assert response.status_code == 302 and response.url == url("job", association, job.pk)
    assert job.status == RenderJob.Status.DONE and job.percent == 100
    assert any(f["code"] == "no-budget-2027" for f in job.flags)
    page = client.get(
        url("job", association, job.pk), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Dokumentet är klart." in page and "<html" not in page
    download = client.get(url("download", association, plan.pk, "docx"))
    assert download.status_code == 200 and download.content[:2] == b"PK"
    bad = client.post(url("generate", association, plan.pk), {"fmt": "exe"}, follow=True)
    assert "Välj PDF, Word eller Excel." in bad.content.decode()
    assert RenderJob.objects.count() == 1


def test_a_queued_job_polls(client, association, plan):
    job = RenderJob.objects.create(document=plan, fmt="pdf")
    page = client.get(url("job", association, job.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Väntar på att starta" in page
    no_output = client.get(url("download", association, plan.pk, "pdf"), follow=True)
    assert "Generera dokumentet i det här formatet först." in no_output.content.decode()


def test_the_adoption_meeting_form_refuses_a_foreign_meeting(
    client, association, other_association, plan
):
    from finsam.organisation.tests.factories import MeetingFactory

    foreign = MeetingFactory(association=other_association)
    response = client.post(url("adoption_meeting", association, plan.pk), {"meeting": foreign.pk})
    assert (
        response.status_code == 400 and "Välj ett giltigt alternativ" in response.content.decode()
    )
    mine = MeetingFactory(association=association)
    assert (
        client.post(url("adoption_meeting", association, plan.pk), {"meeting": mine.pk}).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.adoption_meeting == mine


def test_the_logo_form_takes_png_and_refuses_other_files(client, association, office):
    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
    response = client.post(url("logo", association), {"logo": svg})
    assert response.status_code == 400 and "PNG- eller JPEG-bild" in response.content.decode()
    big = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 600_000)
    assert client.post(url("logo", association), {"logo": big}).status_code == 400
    assert not DocumentSettings.objects.exists()
    ok = client.post(url("logo", association), {"logo": SimpleUploadedFile("logo.png", PNG_1PX)})
    assert ok.status_code == 302
    assert services.logo_of(association) == (PNG_1PX, "image/png")


def test_the_list_page_asks_the_same_number_of_queries_for_more_documents(
    client, association, office
):
    def open_list() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("list", association)).status_code == 200
        return len(queries)

    services.document_get_or_create(association=association, kind="plan", year=2026, by=office)
    few = open_list()
    for year in range(2027, 2033):
        services.document_get_or_create(
            association=association, kind="interim", year=year, by=office
        )
    assert open_list() == few
