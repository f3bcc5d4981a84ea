"""Test settings: the same as base, with fast hashing and an in-memory mail outbox.

DATABASE_URL selects PostgreSQL; without it the suite runs on SQLite.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and env.bool(
    "FINSAM_TEST_SQLITE_FILE", default=False
):
    # Browser tests: the live server writes in its own thread while the test body reads. The
    # shared in-memory database locks whole tables and fails at once ("database table is
    # locked"); a file in WAL mode lets readers read beside a writer and makes writers wait.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="finsam-test-db-")) / "test.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;",
        "timeout": 20,
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Fixed test values for the participant register (never used outside tests).
PARTICIPANT_HASH_SECRET = "finsam-test-participant-hash-secret-0123456789"
PARTICIPANT_ENCRYPTION_KEYS = ["dGVzdC1rZXktZm9yLWZpbnNhbS1wYXJ0aWNpcGFudHM="]

# Tasks run in the process that enqueues them (after its commit); a test that needs a real
# worker enqueues on the database backend itself (finsam/economy/tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
