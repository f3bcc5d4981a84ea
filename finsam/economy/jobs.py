"""SIE files uploaded in the browser are imported in the background, with progress on the page.

A year of bookkeeping can be a few hundred megabytes; a request that waits for it times out in
the browser or the proxy long before the import is done. The upload is saved, a job row says
where it is, and the import runs in a thread of the web process (`FINSAM_JOB_RUNNER=thread`, the
default) or by `manage.py run_import_jobs` from cron (`FINSAM_JOB_RUNNER=command`).

Progress is written to a small JSON file, not to the database: the import is one transaction
(all or nothing), so anything it writes to the database is invisible to the page that polls
until the very end, and on SQLite a second writer would wait for the import's lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import SYSTEM, user_or_none
from finsam.economy import ledger
from finsam.economy.models import LedgerImportJob

logger = logging.getLogger(__name__)
Status = LedgerImportJob.Status

# A running job whose progress has not moved for this long was cut off (the process stopped);
# its transaction was rolled back, so nothing of it is in the database.
STALE_AFTER = dt.timedelta(minutes=15)

_threads: list[threading.Thread] = []


@dataclass(frozen=True)
class Progress:
    bytes_read: int
    size: int
    transactions: int

    @property
    def percent(self) -> int:
        if self.size <= 0:
            return 0
        return min(99, self.bytes_read * 100 // self.size)


def _progress_dir() -> Path:
    return Path(settings.FINSAM_JOB_PROGRESS_DIR)


def _progress_path(job_id: int) -> Path:
    return _progress_dir() / f"ledger-import-{job_id}.json"


def _write_progress(job_id: int, progress: Progress) -> None:
    directory = _progress_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = _progress_path(job_id)
    temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(
        json.dumps(
            {
                "bytes_read": progress.bytes_read,
                "size": progress.size,
                "transactions": progress.transactions,
            }
        )
    )
    os.replace(temporary, path)  # readers never see a half-written file


def progress_of(job: LedgerImportJob) -> Progress:
    """What the job has read so far; zero before it starts, and whatever can be read if the file
    is being replaced at this very moment."""
    try:
        data = json.loads(_progress_path(job.pk).read_text())
        return Progress(int(data["bytes_read"]), int(data["size"]), int(data["transactions"]))
    except (OSError, ValueError, KeyError):
        return Progress(0, job.size, 0)


def _progress_age(job: LedgerImportJob) -> dt.timedelta | None:
    try:
        mtime = _progress_path(job.pk).stat().st_mtime
    except OSError:
        return None
    return timezone.now() - dt.datetime.fromtimestamp(mtime, tz=dt.UTC)


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
    """Run the job after the upload's transaction commits (thread runner), or leave it queued for
    `run_import_jobs` (command runner)."""
    if settings.FINSAM_JOB_RUNNER != "thread":
        return
    transaction.on_commit(lambda: _start_thread(job.pk))


def _start_thread(job_id: int) -> None:
    thread = threading.Thread(
        target=_run_in_thread, args=(job_id,), name=f"ledger-import-{job_id}", daemon=True
    )
    _threads[:] = [t for t in _threads if t.is_alive()]
    _threads.append(thread)
    thread.start()


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        ledger_import_job_run(job_id=job_id)
    finally:
        connection.close()


def wait_for_background_jobs(timeout: float = 60) -> None:
    """Join the import threads this process started (for the command line and the tests)."""
    for thread in list(_threads):
        thread.join(timeout)


def ledger_import_job_run(*, job_id: int) -> LedgerImportJob:
    """Import a queued job's file. Claiming the job is one UPDATE, so a thread and the cron
    command never both run it."""
    claimed = LedgerImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    job = LedgerImportJob.objects.select_related("association", "created_by").get(pk=job_id)
    if not claimed:
        return job
    _write_progress(job.pk, Progress(0, job.size, 0))
    try:
        with job.file.open("rb") as fp:

            def report(transactions: int) -> None:
                _write_progress(job.pk, Progress(fp.tell(), job.size, transactions))

            outcome = ledger.sie_import(
                association=job.association,
                fp=fp,
                file_name=job.file_name,
                # An upload whose user has since been removed is imported as nobody's.
                by=job.created_by or SYSTEM,
                progress=report,
            )
    except ValidationError as error:
        _finish(job, Status.FAILED, message=" ".join(error.messages))
    except Exception:  # noqa: BLE001 - the user must learn that it failed, whatever the cause
        logger.exception("SIE import job %s failed", job.pk)
        _finish(
            job,
            Status.FAILED,
            message=_(
                "The import stopped because of an unexpected error and nothing has been saved. Try "
                "again; if the error persists, contact whoever runs Finsam."
            ),
        )
    else:
        job.ledger_import = outcome.ledger_import
        job.unchanged = outcome.unchanged
        job.replaced = outcome.replaced
        _finish(job, Status.DONE)
    return job


def _finish(job: LedgerImportJob, status: str, *, message: str = "") -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "message", "finished_at", "ledger_import", "unchanged", "replaced"]
    )
    # The bookkeeping is in the ledger now (or refused); the uploaded copy is not kept.
    if job.file:
        job.file.delete(save=False)
        job.save(update_fields=["file"])
    with contextlib.suppress(OSError):
        _progress_path(job.pk).unlink()


def recover_stale_jobs(*, now: dt.datetime | None = None) -> int:
    """Mark running jobs whose process stopped as failed, so the page stops waiting."""
    now = now or timezone.now()
    failed = 0
    for job in LedgerImportJob.objects.filter(status=Status.RUNNING):
        age = _progress_age(job)
        started = job.started_at or job.created_at
        if (age is not None and age > STALE_AFTER) or (age is None and now - started > STALE_AFTER):
            _finish(
                job,
                Status.FAILED,
                message=_(
                    "The import stopped before it was finished and nothing has been saved. Upload "
                    "the file again."
                ),
            )
            failed += 1
    return failed


def run_queued_jobs() -> list[LedgerImportJob]:
    return [
        ledger_import_job_run(job_id=pk)
        for pk in LedgerImportJob.objects.filter(status=Status.QUEUED)
        .order_by("created_at")
        .values_list("pk", flat=True)
    ]
