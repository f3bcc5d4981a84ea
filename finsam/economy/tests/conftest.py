"""A database that other threads and processes share with the test, and big SIE files."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection

from finsam.demo.ledger import kramfors_2021_sie


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """The test database as other connections (threads, a worker process) can open it too.

    PostgreSQL and SQLite in a file (the browser stage) already are. SQLite in memory (the fast
    unit stage) is copied into a file in WAL mode, and the connection settings point at the copy
    for this test: threads opened now, and a worker given these settings, all use the file. The
    in-memory database is kept open aside and put back afterwards, untouched.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield connection.settings_dict
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    in_memory, saved = connection.connection, dict(connection.settings_dict)
    connection.connection = None
    # In place: the connection handler hands this very dict to every thread's new connection.
    connection.settings_dict["NAME"] = str(path)
    connection.settings_dict["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;",
        "timeout": 20,
    }
    try:
        yield connection.settings_dict
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        connection.connection = in_memory


def big_sie(vouchers: int, *, broken_at: int | None = None) -> bytes:
    """Kramfors' 2021 file with `vouchers` more vouchers of two rows each; `broken_at` makes that
    voucher's amount unreadable."""
    head = kramfors_2021_sie()
    lines = []
    for n in range(vouchers):
        amount = "inte-ett-belopp" if n == broken_at else str(100 + n % 900)
        month = 1 + n % 12
        lines.append(
            f'#VER B {n + 1} 2021{month:02d}15 "Bankavgift {n}"\n{{\n'
            f"   #TRANS 8570 {{}} {amount}\n   #TRANS 1930 {{}} -{amount}\n}}\n"
        )
    return head + "".join(lines).encode("cp437")
