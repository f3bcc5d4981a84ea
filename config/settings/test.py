"""Test settings: the same as base, with fast hashing and an in-memory mail outbox.

DATABASE_URL selects PostgreSQL; without it the suite runs on SQLite.
"""

import tempfile

from .base import *  # noqa: F403
from .base import env

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Fixed test values for the participant register (never used outside tests).
PARTICIPANT_HASH_SECRET = "finsam-test-participant-hash-secret-0123456789"
PARTICIPANT_ENCRYPTION_KEYS = ["dGVzdC1rZXktZm9yLWZpbnNhbS1wYXJ0aWNpcGFudHM="]

# Progress files of background imports: one directory per test process.
FINSAM_JOB_PROGRESS_DIR = tempfile.mkdtemp(prefix="finsam-test-jobs-")
