"""`manage.py backup` and `manage.py restore` on the real test database (SQLite or PostgreSQL,
whichever DATABASE_URL selects): a full round trip, and every refusal."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from finsam.core.backup import PGDUMP_HEADER, SQLITE_HEADER, BackupError, pg_tool

ON_SQLITE = connection.vendor == "sqlite"
SUFFIX = "sqlite3" if ON_SQLITE else "dump"
OTHER_ENGINE_HEADER = PGDUMP_HEADER if ON_SQLITE else SQLITE_HEADER
OWN_HEADER = SQLITE_HEADER if ON_SQLITE else PGDUMP_HEADER


def users() -> list[tuple]:
    return list(
        get_user_model()
        .objects.order_by("pk")
        .values_list("pk", "username", "email", "first_name", "password", "is_active")
    )


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


class Terminal(io.StringIO):
    """Someone at a terminal who types the given answer."""

    def isatty(self) -> bool:
        return True


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_exactly(tmp_path):
    User = get_user_model()
    User.objects.create_user("anna", "anna@example.se", "hemligt-1", first_name="Anna")
    bertil = User.objects.create_user("bertil", "bertil@example.se", "hemligt-2")
    cecilia = User.objects.create_user("cecilia", "cecilia@example.se", "hemligt-3")
    before = users()
    path = tmp_path / f"finsam.{SUFFIX}"

    out = run("backup", output=str(path))

    assert str(path) in out
    assert path.read_bytes().startswith(OWN_HEADER)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # personal data: for the owner only
    bertil.email = "ny@example.se"
    bertil.save()
    cecilia.delete()
    User.objects.create_user("david", "david@example.se", "hemligt-4")
    assert users() != before

    out = run("restore", str(path), yes=True)

    assert "återställd" in out
    assert users() == before
    # The restored database is in working order: new rows get fresh keys after the old ones.
    erik = User.objects.create_user("erik", "erik@example.se", "hemligt-5")
    assert erik.pk > max(row[0] for row in before)


@pytest.mark.django_db(transaction=True)
def test_the_default_name_says_engine_and_time(tmp_path):
    with override_settings(BASE_DIR=tmp_path):
        out = run("backup")
    (written,) = (tmp_path / "var" / "backups").iterdir()
    engine = "sqlite" if ON_SQLITE else "postgresql"
    assert written.name.startswith(f"finsam-{engine}-")
    assert written.suffix == f".{SUFFIX}"
    stamp = written.stem.removeprefix(f"finsam-{engine}-")
    assert len(stamp) == len("YYYYMMDD-HHMMSS") and stamp[8] == "-"
    assert str(written) in out


@pytest.mark.django_db(transaction=True)
def test_media_is_archived_beside_the_database_backup(tmp_path):
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "protokoll.pdf").write_bytes(b"%PDF-1.7 protokoll")
    path = tmp_path / "out" / f"finsam.{SUFFIX}"

    with override_settings(MEDIA_ROOT=str(media)):
        out = run("backup", output=str(path), media=True)

    archive = tmp_path / "out" / "finsam-media.tar.gz"
    assert str(archive) in out
    with tarfile.open(archive) as tar:
        member = tar.extractfile("./attachments/protokoll.pdf")
        assert member is not None and member.read() == b"%PDF-1.7 protokoll"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


@pytest.mark.django_db(transaction=True)
def test_media_is_skipped_when_there_is_no_media_directory(tmp_path):
    path = tmp_path / f"finsam.{SUFFIX}"
    with override_settings(MEDIA_ROOT=str(tmp_path / "ingen-media")):
        out = run("backup", output=str(path), media=True)
    assert "MEDIA_ROOT finns inte" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_other_engine_is_refused(tmp_path):
    get_user_model().objects.create_user("anna")
    before = users()
    path = tmp_path / "fel-motor.bin"
    path.write_bytes(OTHER_ENGINE_HEADER + b"\x00" * 100)

    with pytest.raises(CommandError, match="men den konfigurerade databasen är") as exc:
        run("restore", str(path), yes=True)

    assert exc.value.returncode == 1
    assert users() == before


@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_no_backup_is_refused(tmp_path):
    path = tmp_path / "anteckningar.txt"
    path.write_text("inte en databas")
    with pytest.raises(CommandError, match="känns igen"):
        run("restore", str(path), yes=True)


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_with_the_tools_message(tmp_path):
    get_user_model().objects.create_user("anna")
    before = users()
    path = tmp_path / f"trasig.{SUFFIX}"
    path.write_bytes(OWN_HEADER + b"\x01" * 5000)

    # SQLite: the file is checked before anything is overwritten. PostgreSQL: pg_restore fails
    # and its stderr is shown; --single-transaction leaves the database as it was.
    with pytest.raises(
        CommandError, match="ingen läsbar SQLite-databas|är skadad|pg_restore misslyckades"
    ):
        run("restore", str(path), yes=True)

    assert users() == before


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        run("restore", str(tmp_path / "saknas.sqlite3"), yes=True)


@pytest.mark.django_db(transaction=True)
def test_without_yes_and_without_a_terminal_nothing_is_restored(tmp_path):
    get_user_model().objects.create_user("anna")
    path = tmp_path / f"finsam.{SUFFIX}"
    run("backup", output=str(path))
    get_user_model().objects.create_user("bertil")
    before = users()
    err = io.StringIO()

    with pytest.raises(CommandError, match="--yes"):
        call_command(
            "restore", str(path), stdin=io.StringIO("ja\n"), stdout=io.StringIO(), stderr=err
        )

    assert "skriver över" in err.getvalue()
    assert users() == before


@pytest.mark.django_db(transaction=True)
def test_at_a_terminal_anything_but_yes_aborts(tmp_path):
    get_user_model().objects.create_user("anna")
    path = tmp_path / f"finsam.{SUFFIX}"
    run("backup", output=str(path))
    get_user_model().objects.create_user("bertil")
    before = users()
    out = io.StringIO()

    with pytest.raises(CommandError, match="Avbrutet"):
        call_command("restore", str(path), stdin=Terminal("nej\n"), stdout=out)

    assert "Skriv 'ja'" in out.getvalue()
    assert users() == before


@pytest.mark.django_db(transaction=True)
def test_at_a_terminal_ja_restores(tmp_path):
    get_user_model().objects.create_user("anna")
    before = users()
    path = tmp_path / f"finsam.{SUFFIX}"
    run("backup", output=str(path))
    get_user_model().objects.create_user("bertil")

    call_command("restore", str(path), stdin=Terminal("ja\n"), stdout=io.StringIO())

    assert users() == before


def test_the_command_line_exits_1_without_yes_when_stdin_is_no_terminal(tmp_path):
    """The real manage.py with stdin from /dev/null, as under cron: a message, status 1, no
    traceback."""
    path = tmp_path / f"finsam.{SUFFIX}"
    path.write_bytes(OWN_HEADER + b"\x00" * 100)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "skriver över" in result.stderr
    assert "--yes" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_postgresql_tool_is_a_clear_error(tmp_path):
    with override_settings(FINSAM_PG_BINDIR=str(tmp_path)), pytest.raises(BackupError) as exc:
        pg_tool("pg_dump")
    assert "pg_dump hittades inte" in str(exc.value)
    assert str(tmp_path) in str(exc.value)


# The production settings on a SQLite file in WAL mode, in a process of its own: Django's
# connection is closed and the file is written through a connection of its own.
FILE_ROUND_TRIP = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection

def rows():
    with connection.cursor() as cursor:
        return cursor.execute("SELECT id, name FROM t ORDER BY id").fetchall()

with connection.cursor() as cursor:
    assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    cursor.executemany("INSERT INTO t (name) VALUES (%s)", [("anna",), ("bertil",), ("cecilia",)])
before = rows()
call_command("backup", output=sys.argv[1])
with connection.cursor() as cursor:
    cursor.execute("UPDATE t SET name = 'ny' WHERE name = 'bertil'")
    cursor.execute("DELETE FROM t WHERE name = 'cecilia'")
    cursor.execute("INSERT INTO t (name) VALUES ('david')")
call_command("restore", sys.argv[1], yes=True)
print(json.dumps({"before": before, "after": rows()}))
"""


def test_a_sqlite_file_database_is_restored_in_place(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'finsam.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", FILE_ROUND_TRIP, str(tmp_path / "backup.sqlite3")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(rows["before"]) == 3
    assert rows["after"] == rows["before"]
