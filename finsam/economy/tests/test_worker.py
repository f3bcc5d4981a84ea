"""Fault injection: a real `db_worker` process is killed in the middle of an SIE import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from finsam.economy.models import LedgerImport, LedgerImportJob, LedgerTransaction
from finsam.economy.tests.conftest import big_sie
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

Status = LedgerImportJob.Status
ROOT = Path(django_settings.BASE_DIR)
VOUCHERS = 60_000  # 120 000 rows: seconds of work, so the kill lands mid-import


@pytest.fixture
def worker_setup(file_database, settings, tmp_path):
    """Settings for this test and for the worker processes it starts: the same database, files
    on disk (the test settings keep uploads in memory) and the database task backend."""
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(media)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FINSAM_JOB_HEARTBEAT_SECONDS = 2
    keys = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
    database = {key: file_database[key] for key in keys if key in file_database}
    (tmp_path / "worker_settings.py").write_text(
        "from config.settings.test import *  # noqa\n"
        f"DATABASES = {{'default': {database!r}}}\n"
        f"STORAGES = {settings.STORAGES!r}\n"
        f"MEDIA_ROOT = {str(media)!r}\n"
        f"TASKS = {settings.TASKS!r}\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "worker_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    return env


def db_worker(env, *args: str) -> list[str]:
    return [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", *args]


def wait_for(condition, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_can_be_retried(
    client, association, worker_setup
):
    client.force_login(user_with_role(association, Role.ECONOMIST))
    content = big_sie(VOUCHERS)
    client.post(
        reverse("economy:ledger_import", args=[association.slug]),
        {"file": SimpleUploadedFile("stor.se", content)},
    )
    job = LedgerImportJob.objects.get()
    assert job.status == Status.QUEUED and DBTaskResult.objects.count() == 1
    page_url = reverse("economy:ledger_job", args=[association.slug, job.pk])

    worker = subprocess.Popen(
        db_worker(worker_setup, "--interval", "0.1"), cwd=ROOT, env=worker_setup
    )
    try:
        running = wait_for(
            lambda: LedgerImportJob.objects.filter(pk=job.pk, transactions__gt=0).first()
        )
        assert worker.poll() is None, "the worker finished before it could be killed"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    running.refresh_from_db()
    assert running.status == Status.RUNNING and 0 < running.bytes_read < running.size
    staged = LedgerImport.objects.get()
    assert not staged.complete and staged.transactions.exists()  # rows exist, nobody sees them

    time.sleep(2.5)  # the test's heartbeat timeout is 2 s
    page = client.get(page_url).content.decode()

    running.refresh_from_db()
    assert running.status == Status.FAILED
    assert "Importen avbröts innan den var klar och ingenting har sparats." in page
    assert "Försök igen" in page and running.file
    assert not LedgerImport.objects.exists() and not LedgerTransaction.objects.exists()

    retried = client.post(reverse("economy:ledger_job_retry", args=[association.slug, job.pk]))
    assert retried.status_code == 302
    assert LedgerImportJob.objects.get(pk=job.pk).status == Status.QUEUED
    subprocess.run(
        db_worker(worker_setup, "--batch"), cwd=ROOT, env=worker_setup, check=True, timeout=600
    )

    job.refresh_from_db()
    assert job.status == Status.DONE, job.message
    imported = LedgerImport.objects.get()
    assert imported.complete and imported.transaction_count == job.transactions
    assert LedgerTransaction.objects.count() == imported.transaction_count > 2 * VOUCHERS
    assert not job.file  # the upload is deleted once the import succeeded
