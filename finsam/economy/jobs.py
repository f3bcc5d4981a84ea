"""SIE files uploaded in the browser are imported by a task worker, with progress on the page.

A year of bookkeeping can be a few hundred megabytes; a request that waits for it times out in
the browser or the proxy long before the import is done. The upload is saved, a job row says
where it is, and when the upload's transaction commits the task `import_ledger_job` is enqueued
(django-tasks); `manage.py db_worker` runs it.

The import writes its rows in short batches into an import no reader sees yet (see
finsam.economy.ledger). After every batch the job row gets the bytes read, the transactions so
far and a heartbeat, in their own commit: every web process, on any machine, sees how far it is.

A worker that is killed stops beating. A running job whose heartbeat is older than
FINSAM_JOB_HEARTBEAT_SECONDS (60) is failed, and its incomplete import deleted, whenever the job
page or the ledger page is read and whenever a worker starts a job. A failed job can be tried
again: its upload is kept until the job succeeds or the office removes it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from finsam.core.actors import SYSTEM, user_or_none
from finsam.economy import ledger
from finsam.economy.models import LedgerImportJob

logger = logging.getLogger(__name__)
Status = LedgerImportJob.Status

HEARTBEAT_SECONDS = 60


class JobStopped(Exception):
    """The job was failed by someone else (its heartbeat had stopped); this run must not go on."""


def heartbeat_timeout() -> dt.timedelta:
    return dt.timedelta(
        seconds=getattr(settings, "FINSAM_JOB_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
    )


@transaction.atomic
def ledger_import_job_create(*, association, upload, by) -> LedgerImportJob:
    job = LedgerImportJob(
        association=association,
        file_name=upload.name[:255],
        size=upload.size or 0,
        created_by=user_or_none(by),
    )
    job.file.save(upload.name, upload, save=False)
    job.full_clean()
    job.save()
    return job


def start(job: LedgerImportJob) -> None:
    """Enqueue the job's task once the transaction that saved the job commits: a worker must not
    look for a job it cannot see yet."""
    job_id = job.pk
    transaction.on_commit(lambda: import_ledger_job.enqueue(job_id=job_id))


@task
def import_ledger_job(job_id: int) -> str:
    """The task a worker runs: first fail the jobs whose worker died, then import this one."""
    recover_stale_jobs()
    return ledger_import_job_run(job_id=job_id).status


def ledger_import_job_run(*, job_id: int) -> LedgerImportJob:
    """Import a queued job's file. Claiming the job is one UPDATE, so two workers never both run
    it."""
    now = timezone.now()
    claimed = LedgerImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        bytes_read=0,
        transactions=0,
        message="",
    )
    job = LedgerImportJob.objects.select_related("association", "created_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        with job.file.open("rb") as fp:
            outcome = ledger.sie_import(
                association=job.association,
                fp=fp,
                file_name=job.file_name,
                # An upload whose user has since been removed is imported as nobody's.
                by=job.created_by or SYSTEM,
                progress=lambda transactions: _beat(job, fp.tell(), transactions),
                on_start=lambda imp: _attach(job, imp),
            )
    except JobStopped:
        job.refresh_from_db()
    except ValidationError as error:
        _fail(job, " ".join(error.messages))
    except Exception:  # noqa: BLE001 - the user must learn that it failed, whatever the cause
        logger.exception("SIE import job %s failed", job.pk)
        _fail(
            job,
            _(
                "The import stopped because of an unexpected error and nothing has been saved. Try "
                "again; if the error persists, contact whoever runs Finsam."
            ),
        )
    else:
        _succeed(job, outcome)
    return job


def _beat(job: LedgerImportJob, bytes_read: int, transactions: int) -> None:
    """Progress and heartbeat, committed at once (the import holds no transaction between its
    batches). A job that is no longer running was failed as stale: stop."""
    alive = LedgerImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        bytes_read=bytes_read, transactions=transactions, heartbeat_at=timezone.now()
    )
    if not alive:
        raise JobStopped(job.pk)


def _attach(job: LedgerImportJob, ledger_import) -> None:
    """Remember the incomplete import, so that whoever fails this job can delete it."""
    job.ledger_import = ledger_import
    LedgerImportJob.objects.filter(pk=job.pk).update(ledger_import=ledger_import)


def _succeed(job: LedgerImportJob, outcome: ledger.ImportOutcome) -> None:
    job.status = Status.DONE
    job.message = ""
    job.finished_at = timezone.now()
    job.ledger_import = outcome.ledger_import
    job.unchanged = outcome.unchanged
    job.replaced = outcome.replaced
    job.bytes_read = job.size
    # The bookkeeping is in the ledger now; the uploaded copy is not kept.
    if job.file:
        job.file.delete(save=False)
    job.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "ledger_import",
            "unchanged",
            "replaced",
            "bytes_read",
            "file",
        ]
    )


def _fail(job: LedgerImportJob, message: str) -> None:
    """The import deleted its incomplete rows itself; the upload is kept for a retry. A job that
    was already failed as stale (its rows deleted under it) keeps the reason it was given."""
    LedgerImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED, message=message, finished_at=timezone.now(), ledger_import=None
    )
    job.refresh_from_db()


def recover_stale_jobs(*, association=None, now: dt.datetime | None = None) -> int:
    """Fail the running jobs whose worker stopped beating and delete their incomplete imports."""
    now = now or timezone.now()
    cutoff = now - heartbeat_timeout()
    stale = LedgerImportJob.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    if association is not None:
        stale = stale.filter(association=association)
    return sum(_fail_stale(job, now) for job in stale)


def _fail_stale(job: LedgerImportJob, now: dt.datetime) -> int:
    try:
        with transaction.atomic():
            # Only if it is still as stale as it was read: a beat in between means it lives.
            claimed = LedgerImportJob.objects.filter(
                pk=job.pk, status=Status.RUNNING, heartbeat_at=job.heartbeat_at
            ).update(
                status=Status.FAILED,
                finished_at=now,
                message=_(
                    "The import stopped before it was finished and nothing has been saved. You "
                    "can try again."
                ),
            )
            if claimed:
                ledger.discard_incomplete(job.ledger_import_id)
    except DatabaseError:
        # A worker that was only slow is writing into the import right now: it beats again
        # after this batch, and the job stays running.
        logger.warning("Could not fail the stale SIE import job %s", job.pk, exc_info=True)
        return 0
    return claimed


def ledger_import_job_retry(*, job: LedgerImportJob, by) -> None:
    """Queue a failed job again with its kept upload."""
    if job.status != Status.FAILED or not job.file:
        raise ValidationError(_("Only a failed import whose file is kept can be tried again."))
    with transaction.atomic():
        LedgerImportJob.objects.filter(pk=job.pk, status=Status.FAILED).update(
            status=Status.QUEUED,
            message="",
            bytes_read=0,
            transactions=0,
            heartbeat_at=None,
            started_at=None,
            finished_at=None,
            ledger_import=None,
        )
        start(job)


def ledger_import_job_delete(*, job: LedgerImportJob, by) -> None:
    """Remove a failed job and its kept upload."""
    if job.status != Status.FAILED:
        raise ValidationError(_("Only a failed import can be removed."))
    with transaction.atomic():
        if job.file:
            job.file.delete(save=False)
        job.delete()
