"""Database backups and restores for `manage.py backup` and `manage.py restore` (docs/operations.md).

SQLite is copied with the sqlite3 module's online backup API (`Connection.backup()`), from
Django's own connection, in one step: the copy is one consistent snapshot even while the site is
writing, and it works for the in-memory database of the tests as well as for a file. PostgreSQL
is dumped with `pg_dump --format=custom` and restored with `pg_restore`; the password goes in the
PGPASSWORD environment variable, never on the command line.

Every file is written under a temporary name beside its final name and renamed only when it is
complete, so a backup that is killed half-way never leaves a file that looks finished.

core is the lowest layer: only Django and the standard library are used here.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"

ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}
SUFFIXES = {"sqlite": "sqlite3", "postgresql": "dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# Connection settings in DATABASES[...]["OPTIONS"] that libpq also reads from the environment.
PG_OPTION_ENV = {
    # A Unix socket: postgres://user@/db?host=/run/postgresql&port=5432 puts both here.
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator."""


@dataclass(frozen=True)
class Written:
    path: Path
    size: int


def engine_of(alias: str = "default") -> str:
    """'sqlite' or 'postgresql' for the configured database; BackupError for anything else."""
    engine = connections[alias].settings_dict["ENGINE"]
    try:
        return ENGINES[engine]
    except KeyError:
        raise BackupError(
            f"Säkerhetskopiering stöds bara för SQLite och PostgreSQL, inte {engine}."
        ) from None


def describe_database(alias: str = "default") -> str:
    """What a restore would overwrite, in words (no password)."""
    conn = connections[alias]
    name = conn.settings_dict["NAME"]
    if engine_of(alias) == "sqlite":
        if conn.is_in_memory_db():
            return "SQLite-databasen i minnet"
        return f"SQLite-databasen {name}"
    options = conn.settings_dict.get("OPTIONS") or {}
    host = conn.settings_dict.get("HOST") or options.get("host") or "lokal socket"
    port = conn.settings_dict.get("PORT") or options.get("port")
    where = f"{host}:{port}" if port else host
    return f"PostgreSQL-databasen {name} på {where}"


def default_output(engine: str) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return (
        Path(settings.BASE_DIR) / "var" / "backups" / f"finsam-{engine}-{stamp}.{SUFFIXES[engine]}"
    )


def media_output(database_output: Path) -> Path:
    """The media archive beside a database backup: finsam-…-media.tar.gz."""
    return database_output.with_name(f"{database_output.stem}-media.tar.gz")


def file_engine(path: Path) -> str | None:
    """'sqlite' or 'postgresql' from a file's first bytes; None for anything else."""
    with path.open("rb") as f:
        head = f.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PGDUMP_HEADER):
        return "postgresql"
    return None


@contextmanager
def _temporary_beside(final: Path) -> Iterator[Path]:
    """A temporary path in final's directory, renamed to final when the block ends without error
    and removed when it fails (or left as an obvious `.partial` file when the process is killed)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".partial")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


# --- backup -----------------------------------------------------------------------------------


def backup_database(output: Path | None = None, *, alias: str = "default") -> Written:
    engine = engine_of(alias)
    final = Path(output) if output else default_output(engine)
    if final.is_dir():
        raise BackupError(f"{final} är en katalog; ange ett filnamn.")
    with _temporary_beside(final) as tmp:
        if engine == "sqlite":
            _sqlite_backup(tmp, alias)
        else:
            _pg_dump(tmp, alias)
    return Written(final, final.stat().st_size)


def _sqlite_backup(target: Path, alias: str) -> None:
    conn = connections[alias]
    conn.ensure_connection()
    source = conn.connection  # the live sqlite3 connection (also the tests' in-memory database)
    dest = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, so one consistent snapshot; in WAL mode the
        # site's writers carry on meanwhile.
        source.backup(dest, pages=-1)
        # A self-contained file: no -wal/-shm files beside it when it is opened later.
        dest.execute("PRAGMA journal_mode=DELETE")
        _check_sqlite(dest, target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite-kopieringen misslyckades: {exc}") from None
    finally:
        dest.close()


def _check_sqlite(db: sqlite3.Connection, path: Path) -> None:
    try:
        result = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} är ingen läsbar SQLite-databas: {exc}") from None
    if result != [("ok",)]:
        problems = "; ".join(str(row[0]) for row in result[:5])
        raise BackupError(f"{path} är skadad: {problems}")


def backup_media(output: Path) -> Written | None:
    """A .tar.gz of MEDIA_ROOT (uploaded attachments, minutes); None when there is no such
    directory. The archive holds paths relative to MEDIA_ROOT."""
    media_root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
    if media_root is None or not media_root.is_dir():
        return None
    with _temporary_beside(output) as tmp, tarfile.open(tmp, "w:gz") as tar:
        tar.add(media_root, arcname=".")
    return Written(output, output.stat().st_size)


# --- PostgreSQL tools -------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore. Its major version must be at least the server's, so the
    newest installed server's tools come first (Debian: /usr/lib/postgresql/<ver>/bin), then
    `pg_config --bindir`, then PATH. settings.FINSAM_PG_BINDIR, when set, is the only place
    looked in."""
    bindir = getattr(settings, "FINSAM_PG_BINDIR", "")
    if bindir:
        candidates = [Path(bindir) / name]
    else:
        candidates = sorted(
            (Path(p) for p in glob.glob(f"/usr/lib/postgresql/*/bin/{name}")),
            key=lambda p: _version_key(p.parent.parent.name),
            reverse=True,
        )
        pg_config = shutil.which("pg_config")
        if pg_config:
            try:
                out = subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True, timeout=10
                )
                if out.returncode == 0 and out.stdout.strip():
                    candidates.append(Path(out.stdout.strip()) / name)
            except (OSError, subprocess.SubprocessError):
                pass
        on_path = shutil.which(name)
        if on_path:
            candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    where = f" i {bindir}" if bindir else ""
    raise BackupError(
        f"{name} hittades inte{where}. Installera PostgreSQL-klienten (Debian: postgresql-client) "
        f"i samma eller nyare huvudversion som servern."
    )


def _version_key(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (-1,)


def _pg_connection(alias: str) -> tuple[list[str], dict[str, str], str]:
    """(-h/-p/-U arguments, environment with PGPASSWORD, database name) from the settings."""
    sd = connections[alias].settings_dict
    args: list[str] = []
    if sd.get("HOST"):
        args += ["--host", str(sd["HOST"])]
    if sd.get("PORT"):
        args += ["--port", str(sd["PORT"])]
    if sd.get("USER"):
        args += ["--username", str(sd["USER"])]
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = str(sd["PASSWORD"])
    for option, variable in PG_OPTION_ENV.items():
        value = (sd.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return [*args, "--no-password"], env, str(sd["NAME"])


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise BackupError(f"{what} kunde inte startas: {exc}") from None
    if result.returncode != 0:
        stderr = result.stderr.strip() or "(inget felmeddelande)"
        raise BackupError(f"{what} misslyckades (status {result.returncode}):\n{stderr}")


def _pg_dump(target: Path, alias: str) -> None:
    args, env, dbname = _pg_connection(alias)
    command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", *args]
    _run([*command, "--dbname", dbname], env, "pg_dump")


# --- restore ----------------------------------------------------------------------------------


def check_restorable(path: Path, *, alias: str = "default") -> str:
    """The engine of the backup at path, after checking that it exists and fits the configured
    database; BackupError otherwise."""
    engine = engine_of(alias)
    if not path.exists():
        raise BackupError(f"Filen {path} finns inte.")
    if not path.is_file():
        raise BackupError(f"{path} är ingen fil.")
    found = file_engine(path)
    if found is None:
        raise BackupError(
            f"{path} är ingen säkerhetskopia som känns igen (varken en SQLite-databas eller en "
            f"pg_dump i custom-format)."
        )
    if found != engine:
        raise BackupError(
            f"{path} är en säkerhetskopia av en {ENGINE_NAMES[found]}-databas, men den "
            f"konfigurerade databasen är {ENGINE_NAMES[engine]}. Inget återställdes."
        )
    return engine


def restore_database(path: Path, *, alias: str = "default") -> None:
    engine = check_restorable(path, alias=alias)
    if engine == "sqlite":
        _sqlite_restore(path, alias)
    else:
        _pg_restore(path, alias)


def _sqlite_restore(path: Path, alias: str) -> None:
    conn = connections[alias]
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} kunde inte öppnas: {exc}") from None
    try:
        _check_sqlite(source, path)
        # Django's connection is closed first so that it holds no transaction or cached state;
        # for an in-memory database close() keeps it (closing would lose it) and the copy goes
        # into that live connection, which is then the only way to reach the database.
        conn.close()
        if conn.is_in_memory_db():
            conn.ensure_connection()
            source.backup(conn.connection, pages=-1)
        else:
            dest = sqlite3.connect(conn.settings_dict["NAME"], timeout=30)
            try:
                source.backup(dest, pages=-1)
            finally:
                dest.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Återställningen misslyckades: {exc}") from None
    finally:
        source.close()


def _pg_restore(path: Path, alias: str) -> None:
    args, env, dbname = _pg_connection(alias)
    connections[alias].close()
    command = [
        pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        *args,
        "--dbname",
        dbname,
        str(path),
    ]
    _run(command, env, "pg_restore")
