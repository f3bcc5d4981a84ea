"""Production settings, checked the way they are used: `manage.py` in a fresh process.

A subprocess loads config.settings.base from scratch with the given environment, so nothing of
the test settings (or of an earlier import) leaks in.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# Variables the settings read; cleared so that the developer's or CI's environment can't help.
SETTINGS_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_AGE",
    "EMAIL_BACKEND",
    "LOG_LEVEL",
    "PARTICIPANT_HASH_SECRET",
    "PARTICIPANT_ENCRYPTION_KEYS",
)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings.base", PYTHONDONTWRITEBYTECODE="1", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(64))


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DJANGO_DEBUG="false", ALLOWED_HOSTS="finsam.example.se")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert (
        "With DJANGO_DEBUG=false, SECRET_KEY and ALLOWED_HOSTS must be set in the environment."
        in result.stderr
    )


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_DEBUG="false", SECRET_KEY=random_secret_key())

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="finsam.example.se",
        PARTICIPANT_HASH_SECRET=random_secret_key(),
        PARTICIPANT_ENCRYPTION_KEYS="dGVzdC1rZXktZm9yLWZpbnNhbS1wYXJ0aWNpcGFudHM=",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_refuses_to_start_without_participant_secrets():
    result = manage(
        "check",
        DJANGO_DEBUG="false",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="finsam.example.se",
    )

    assert result.returncode != 0
    assert "PARTICIPANT_HASH_SECRET" in result.stderr
