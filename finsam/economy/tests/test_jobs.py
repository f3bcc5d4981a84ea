"""SIE files uploaded in the browser: saved, imported in the background, progress on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from finsam.demo.economy import load_economy_demo
from finsam.demo.ledger import kramfors_2021_sie
from finsam.economy import jobs
from finsam.economy.models import LedgerImport, LedgerImportJob, LedgerTransaction
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

Status = LedgerImportJob.Status


@pytest.fixture
def economist(association):
    load_economy_demo(association)
    return user_with_role(association, Role.ECONOMIST)


def upload(client, association, content: bytes, name: str = "kramfors-2021.se"):
    return client.post(
        reverse("economy:ledger_import", args=[association.slug]),
        {"file": SimpleUploadedFile(name, content)},
    )


def job_url(association, job) -> str:
    return reverse("economy:ledger_job", args=[association.slug, job.pk])


@pytest.mark.django_db
def test_an_upload_becomes_a_queued_job_and_the_page_shows_its_progress(
    client, association, economist
):
    client.force_login(economist)
    response = upload(client, association, kramfors_2021_sie())
    job = LedgerImportJob.objects.get()
    assert response.status_code == 302 and response.url == job_url(association, job)
    assert job.status == Status.QUEUED and job.file_name == "kramfors-2021.se"
    assert job.size == len(kramfors_2021_sie()) and job.created_by == economist
    assert not LedgerImport.objects.exists()  # nothing imported inside the upload's request

    page = client.get(job_url(association, job)).content.decode()
    assert "Importen väntar på att starta" in page
    assert 'hx-trigger="every 1s"' in page  # the page polls until the job has finished


@pytest.mark.django_db
def test_a_finished_job_sends_the_polling_page_to_the_ledger_with_the_outcome(
    client, association, economist
):
    client.force_login(economist)
    upload(client, association, kramfors_2021_sie())
    job = jobs.ledger_import_job_run(job_id=LedgerImportJob.objects.get().pk)

    assert job.status == Status.DONE and job.ledger_import.voucher_count == 32
    assert not job.file  # the uploaded copy is not kept once the ledger holds it
    page = client.get(job_url(association, job)).content.decode()
    assert "Bokföringen är importerad." in page and "32 verifikationer" in page
    assert "hx-trigger" not in page

    polled = client.get(job_url(association, job), headers={"HX-Request": "true"})
    assert polled.status_code == 204
    assert polled["HX-Redirect"] == reverse("economy:ledger", args=[association.slug])
    ledger_page = client.get(polled["HX-Redirect"]).content.decode()
    assert "Bokföringen är importerad." in ledger_page and "kramfors-2021.se" in ledger_page


@pytest.mark.django_db
def test_the_same_file_again_changes_nothing_and_says_so(client, association, economist):
    client.force_login(economist)
    for _ in range(2):
        upload(client, association, kramfors_2021_sie())
    first, second = LedgerImportJob.objects.order_by("pk")
    jobs.ledger_import_job_run(job_id=first.pk)
    second = jobs.ledger_import_job_run(job_id=second.pk)
    assert second.status == Status.DONE and second.unchanged
    assert LedgerImport.objects.count() == 1
    polled = client.get(job_url(association, second), headers={"HX-Request": "true"})
    page = client.get(polled["HX-Redirect"]).content.decode()
    assert "Filen är redan importerad; ingenting ändrades." in page


@pytest.mark.django_db
def test_a_broken_file_fails_with_the_line_and_leaves_nothing_behind(
    client, association, economist
):
    client.force_login(economist)
    broken = kramfors_2021_sie().replace(b"#TRANS 5010", b"#TRANS 5010 {} inte-ett-belopp", 1)
    upload(client, association, broken)
    job = jobs.ledger_import_job_run(job_id=LedgerImportJob.objects.get().pk)

    assert job.status == Status.FAILED
    assert "Filen är inte importerad, inget har sparats." in job.message
    assert "rad" in job.message.lower()
    assert not LedgerImport.objects.exists() and not LedgerTransaction.objects.exists()
    page = client.get(job_url(association, job)).content.decode()
    assert 'role="alert"' in page and escape(job.message) in page
    ledger_page = client.get(reverse("economy:ledger", args=[association.slug])).content.decode()
    assert "Pågående och misslyckade importer" in ledger_page


@pytest.mark.django_db
def test_a_file_that_is_not_sie_is_refused_at_the_field_and_no_job_is_made(
    client, association, economist
):
    client.force_login(economist)
    response = upload(client, association, b"%PDF-1.7", name="bokslut.pdf")
    assert response.status_code == 400
    assert (
        "Filen ska vara en SIE-fil som slutar på .se, .si eller .sie." in response.content.decode()
    )
    assert not LedgerImportJob.objects.exists()


@pytest.mark.django_db
def test_a_running_job_shows_how_far_it_has_read(client, association, economist):
    client.force_login(economist)
    upload(client, association, kramfors_2021_sie())
    job = LedgerImportJob.objects.get()
    LedgerImportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING,
        bytes_read=job.size // 4,
        transactions=5000,
        heartbeat_at=timezone.now(),
    )

    partial = client.get(job_url(association, job), headers={"HX-Request": "true"})
    body = partial.content.decode().replace("\xa0", " ")
    assert partial.status_code == 200 and body.lstrip().startswith('<div id="job-progress"')
    assert 'value="25"' in body and "25 % av" in body and "5 000 transaktioner" in body


def test_progress_percent_never_claims_done_before_the_job_is():
    assert LedgerImportJob(size=0, bytes_read=0).percent == 0
    assert LedgerImportJob(size=200, bytes_read=50).percent == 25
    assert LedgerImportJob(size=200, bytes_read=200).percent == 99


@pytest.mark.django_db
def test_a_job_is_run_once_even_if_the_thread_and_the_command_both_try(association, economist):
    job = jobs.ledger_import_job_create(
        association=association,
        upload=SimpleUploadedFile("k.se", kramfors_2021_sie()),
        by=economist,
    )
    jobs.ledger_import_job_run(job_id=job.pk)
    again = jobs.ledger_import_job_run(job_id=job.pk)
    assert again.status == Status.DONE and LedgerImport.objects.count() == 1


@pytest.mark.django_db
def test_a_job_whose_worker_stopped_beating_is_failed_when_its_page_is_read(
    client, association, economist
):
    client.force_login(economist)
    upload(client, association, kramfors_2021_sie())
    cut_off = LedgerImportJob.objects.get()
    LedgerImportJob.objects.filter(pk=cut_off.pk).update(
        status=Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=5),
        heartbeat_at=timezone.now() - jobs.heartbeat_timeout() - dt.timedelta(seconds=1),
    )
    alive = LedgerImportJob.objects.create(
        association=association,
        file_name="pagaende.se",
        status=Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=5),
        heartbeat_at=timezone.now(),
    )

    page = client.get(job_url(association, cut_off)).content.decode()

    cut_off.refresh_from_db()
    alive.refresh_from_db()
    assert cut_off.status == Status.FAILED and "Du kan försöka igen" in cut_off.message
    assert alive.status == Status.RUNNING
    assert "Försök igen" in page and "Den uppladdade filen sparas" in page


@pytest.mark.django_db
def test_another_associations_job_is_not_found(client, association, economist, other_association):
    client.force_login(economist)
    upload(client, association, kramfors_2021_sie())
    job = LedgerImportJob.objects.get()
    client.force_login(user_with_role(other_association, Role.ECONOMIST))
    assert (
        client.get(reverse("economy:ledger_job", args=[other_association.slug, job.pk])).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_the_upload_enqueues_the_import_task_when_it_commits(client, association):
    # The test settings run tasks at once (ImmediateBackend) where a worker would pick them up.
    load_economy_demo(association)
    client.force_login(user_with_role(association, Role.ECONOMIST))
    upload(client, association, kramfors_2021_sie())
    job = LedgerImportJob.objects.get()
    assert job.status == Status.DONE, job.message
    assert job.ledger_import.transaction_count == LedgerTransaction.objects.count() > 0
    assert job.bytes_read == job.size and job.transactions == job.ledger_import.transaction_count
    # The page the upload leads to is already done: it shows the import and the way on.
    page = client.get(job_url(association, job)).content.decode()
    assert "<td>kramfors-2021.se</td>" in page and "Till uppföljningen" in page


@pytest.mark.django_db
def test_an_upload_whose_user_is_gone_is_imported_as_the_system(association, economist):
    job = jobs.ledger_import_job_create(
        association=association,
        upload=SimpleUploadedFile("kramfors-2021.se", kramfors_2021_sie()),
        by=economist,
    )
    economist.delete()  # the job's created_by is emptied

    job = jobs.ledger_import_job_run(job_id=job.pk)

    assert job.status == Status.DONE and job.ledger_import.imported_by is None


def failed_job(association, economist) -> LedgerImportJob:
    job = jobs.ledger_import_job_create(
        association=association,
        upload=SimpleUploadedFile("kramfors-2021.se", kramfors_2021_sie()),
        by=economist,
    )
    LedgerImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, message="Avbruten")
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_failed_job_is_tried_again_with_its_kept_upload(client, association, economist):
    client.force_login(economist)
    job = failed_job(association, economist)
    url = reverse("economy:ledger_job_retry", args=[association.slug, job.pk])

    response = client.post(url)

    assert response.status_code == 302 and response.url == job_url(association, job)
    job.refresh_from_db()
    assert job.status == Status.QUEUED and job.message == "" and job.file
    assert "Importen har lagts i kö igen." in client.get(response.url).content.decode()
    job = jobs.ledger_import_job_run(job_id=job.pk)
    assert job.status == Status.DONE and LedgerImport.objects.get().complete
    again = client.post(url, follow=True).content.decode()  # a done job is not run again
    assert "Bara en misslyckad import vars fil finns kvar kan försökas igen." in again


@pytest.mark.django_db
def test_removing_a_failed_job_deletes_its_upload(client, association, economist):
    client.force_login(economist)
    job = failed_job(association, economist)
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)

    response = client.post(reverse("economy:ledger_job_delete", args=[association.slug, job.pk]))

    assert response.status_code == 302
    assert not LedgerImportJob.objects.exists() and not storage.exists(name)
    page = client.get(response.url).content.decode()
    assert "Den misslyckade importen och den uppladdade filen har tagits bort." in page


@pytest.mark.django_db
def test_a_running_job_cannot_be_removed(client, association, economist):
    client.force_login(economist)
    job = failed_job(association, economist)
    LedgerImportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, heartbeat_at=timezone.now()
    )
    url = reverse("economy:ledger_job_delete", args=[association.slug, job.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Bara en misslyckad import kan tas bort." in page
    assert LedgerImportJob.objects.filter(pk=job.pk).exists()


@pytest.mark.django_db
def test_a_job_failed_as_stale_while_its_worker_still_runs_stops_that_worker(
    association, economist
):
    job = jobs.ledger_import_job_create(
        association=association,
        upload=SimpleUploadedFile("kramfors-2021.se", kramfors_2021_sie()),
        by=economist,
    )
    LedgerImportJob.objects.filter(pk=job.pk).update(
        status=Status.FAILED, message="Importen avbröts"
    )
    with pytest.raises(jobs.JobStopped):
        jobs._beat(job, 10, 10)  # the worker's next heartbeat learns it has been failed
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.message == "Importen avbröts"
