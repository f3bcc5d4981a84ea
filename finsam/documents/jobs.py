"""Documents generated in the browser run on the task queue, with progress in the database.

The same pattern as the SIE import (finsam.economy.jobs): the page creates a job row and, when
its transaction commits, enqueues `render_document_job` (django-tasks); `manage.py db_worker`
runs it. The job writes its step and percentage in their own commits, so every web process sees
how far it is; the page polls. A job still running after STALE_AFTER is failed when read (its
worker was killed), and can be started again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from finsam.core.actors import require_actor, user_or_none
from finsam.documents.models import Document, RenderJob
from finsam.organisation.audit import Event, record

logger = logging.getLogger(__name__)
Status = RenderJob.Status
STALE_AFTER = dt.timedelta(minutes=10)
FORMATS = ("pdf", "docx", "xlsx")


def job_create(*, document: Document, fmt: str, by) -> RenderJob:
    """Queue the rendering of a draft in `fmt`; the task runs once this transaction commits."""
    require_actor(by)
    if fmt not in FORMATS:
        raise ValidationError({"fmt": _("Choose PDF, Word or Excel.")})
    if document.is_adopted:
        raise ValidationError(_("An adopted document is not generated again; download it."))
    with transaction.atomic():
        job = RenderJob(document=document, fmt=fmt, created_by=user_or_none(by))
        job.full_clean()
        job.save()
        record(
            event=Event.DOCUMENT_GENERATED,
            actor=by,
            target=job,
            association=document.association,
            after={"document": document.pk, "fmt": fmt},
        )
        job_id = job.pk
        transaction.on_commit(lambda: render_document_job.enqueue(job_id=job_id))
    return job


@task
def render_document_job(job_id: int) -> str:
    recover_stale_jobs()
    return job_run(job_id=job_id).status


def _progress(job: RenderJob, step: str, percent: int) -> None:
    RenderJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(step=step, percent=percent)


def job_run(*, job_id: int) -> RenderJob:
    """Claim the queued job (one UPDATE, so two workers never both run it) and render."""
    from finsam.documents.assemble import assemble
    from finsam.documents.render import render
    from finsam.documents.services import logo_of

    claimed = RenderJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, step=_("Reading the data"), percent=5
    )
    job = RenderJob.objects.select_related("document__association").get(pk=job_id)
    if not claimed:
        return job
    try:
        built = assemble(job.document)
        _progress(job, _("Laying out the document"), 40)
        output = render(built, job.fmt, logo=logo_of(job.document.association))
    except ValidationError as error:
        _fail(job, " ".join(error.messages))
    except Exception:  # noqa: BLE001 - the office must learn that it failed, whatever the cause
        logger.exception("Document job %s failed", job.pk)
        _fail(
            job, _("The document could not be generated because of an unexpected error. Try again.")
        )
    else:
        RenderJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            status=Status.DONE,
            step="",
            percent=100,
            output=output,
            flags=[asdict(f) for f in built.flags],
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def _fail(job: RenderJob, message: str) -> None:
    RenderJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED, message=message, finished_at=timezone.now()
    )


def recover_stale_jobs(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return RenderJob.objects.filter(status=Status.RUNNING, created_at__lt=now - STALE_AFTER).update(
        status=Status.FAILED,
        finished_at=now,
        message=_("The generation stopped before it was finished. Start it again."),
    )
