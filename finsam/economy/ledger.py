"""Import actuals from SIE 4 files: all or nothing, idempotent, a corrected file replaces its year.

The reader streams the file and writes its rows in batches, each batch its own short transaction,
into an import that is not yet complete: memory stays flat however long the file is, and other
users can save while a long file is read (on SQLite too, where a writer locks the whole
database). No reader sees an incomplete import (`LedgerImport.complete`). At the end one short
transaction replaces the earlier import of the same fiscal year, updates the chart of accounts
and objects, marks the new import complete and writes the audit row. A file that turns out to be
malformed on its last line, or any other error, deletes the incomplete import and its rows, so
users see all of the file or none of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from finsam.core.actors import SYSTEM, require_actor, user_or_none
from finsam.core.money import ZERO
from finsam.economy import sie
from finsam.economy.models import (
    LedgerAccount,
    LedgerBalance,
    LedgerImport,
    LedgerMonthSum,
    LedgerObject,
    LedgerTransaction,
)
from finsam.organisation import audit
from finsam.organisation.audit import Event

logger = logging.getLogger(__name__)

BATCH = 20_000  # rows per short transaction: a few MB of memory, a fraction of a second


@dataclass(frozen=True)
class ImportOutcome:
    ledger_import: LedgerImport
    unchanged: bool  # the very same file was imported before
    replaced: int  # earlier imports of the same fiscal year that this one replaced


def file_sha256(fp: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fp.read(1 << 20), b""):
        digest.update(chunk)
    fp.seek(0)
    return digest.hexdigest()


def _objects_text(objects) -> str:
    return ";".join(f"{dim}:{obj}" for dim, obj in objects)


def _month(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[4:]), 1)


def sie_import(
    *,
    association,
    fp: BinaryIO,
    file_name: str,
    by,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[LedgerImport], None] | None = None,
) -> ImportOutcome:
    """Import one SIE file. `progress(transactions)` is called after every committed batch (it
    may raise to stop the import); `on_start(ledger_import)` once the incomplete import exists, so
    a job can find and delete it should its process die."""
    require_actor(by)
    sha = file_sha256(fp)
    same = LedgerImport.objects.filter(association=association, sha256=sha, complete=True).first()
    if same is not None:
        return ImportOutcome(ledger_import=same, unchanged=True, replaced=0)
    staging = _Staging(
        association=association,
        file_name=file_name,
        sha=sha,
        by=by,
        progress=progress,
        on_start=on_start,
    )
    try:
        staging.read(fp)
        return staging.publish()
    except sie.SieError as error:
        staging.discard()
        raise ValidationError(
            _("The file has not been imported; nothing has been saved. %(error)s")
            % {"error": str(error)}
        ) from error
    except BaseException:
        staging.discard()
        raise


_VER_DATE_RE = re.compile(rb"^\s*#VER\s+(?:\"[^\"]*\"|\S+)\s+(?:\"[^\"]*\"|\S+)\s+\"?(\d{4})\d{4}")


def _first_voucher_year(fp: BinaryIO) -> int | None:
    """The year of the first #VER in the file, read ahead from the start; the file position is
    restored. None for a file that cannot be read ahead or has no voucher."""
    if not getattr(fp, "seekable", lambda: False)():
        return None
    position = fp.tell()
    try:
        fp.seek(0)
        for raw in iter(lambda: fp.readline(1 << 16), b""):
            if match := _VER_DATE_RE.match(raw):
                return int(match[1])
        return None
    finally:
        fp.seek(position)


def discard_incomplete(ledger_import_id: int | None) -> None:
    """Delete an import that was never completed, with its rows (no reader has seen them)."""
    if ledger_import_id is None:
        return
    with transaction.atomic():
        LedgerImport.objects.filter(pk=ledger_import_id, complete=False).delete()


_BALANCE_KINDS = {
    sie.OpeningBalance: "opening",
    sie.ClosingBalance: "closing",
    sie.Result: "result",
}


class _Staging:
    """One file on its way in: what has been read so far, and the incomplete import it is
    written into batch by batch."""

    def __init__(self, *, association, file_name, sha, by, progress, on_start) -> None:
        self.association = association
        self.file_name = file_name
        self.sha = sha
        self.by = by
        self.progress = progress
        self.on_start = on_start
        self.header: dict = {}
        self.years: dict[int, tuple[dt.date, dt.date]] = {}
        self.imp: LedgerImport | None = None
        self.accounts: dict[str, dict] = {}
        self.objects: dict[tuple[int, str], str] = {}
        self.balances: list[LedgerBalance] = []
        self.rows: list[tuple] = []  # transaction rows in COLUMNS order
        self.copy_lines: list[str] = []  # or, from the reader's fast path, COPY text already
        self.copy = connection.vendor == "postgresql"
        self.vouchers = 0
        self.transactions = 0
        self.reported = 0
        self.first_voucher_year: int | None = None

    def read(self, fp: BinaryIO) -> None:
        self.fp = fp
        self.writer = _BatchWriter()
        try:
            for record in sie.read_sie(fp, rows=True):
                self._take(record)
                if len(self.rows) + len(self.copy_lines) >= BATCH or len(self.balances) >= BATCH:
                    self._flush()
            self._ensure_import()
            self._flush()
        except BaseException:
            self.writer.close(raise_error=False)  # before discard() deletes what it wrote
            raise
        self.writer.close()
        if self.progress and self.writer.committed != self.reported:
            self.progress(self.writer.committed)  # the writer thread's last batches
        with transaction.atomic():
            if self.writer.months is not None:  # summed by the writer thread as it went
                _create_months(self.imp, self.writer.months)
            else:
                _save_months(self.imp)

    def _take(self, record) -> None:
        if type(record) is sie.VoucherRows:  # nearly every record of a long file
            self._voucher_rows(record)
            return
        match record:
            case sie.CompanyName(name=name):
                self.header["company"] = name
            case sie.OrgNr(number=number):
                self.header["orgnr"] = number
            case sie.Program(name=name, version=version):
                self.header["program"] = f"{name} {version}".strip()
            case sie.FiscalYear(index=index, start=start, end=end):
                if start is None or end is None:
                    start, end = self._years_from_vouchers(index, record.line)
                self.years[index] = (start, end)
            case sie.Account(number=number, name=name):
                self.accounts.setdefault(number, {})["name"] = name
            case sie.AccountType(number=number, type=kind):
                self.accounts.setdefault(number, {})["type"] = kind
            case sie.Object(dimension=dim, number=number, name=name):
                self.objects[(dim, number)] = name
            case sie.OpeningBalance() | sie.ClosingBalance() | sie.Result():
                self._balance(record, _BALANCE_KINDS[type(record)])
            case sie.PeriodBalance():
                self._balance(record, "period")
            case sie.Voucher():
                self._voucher(record)
            case _:
                pass

    def _balance(self, record, kind: str) -> None:
        imp = self._ensure_import()
        period = kind == "period"
        self.balances.append(
            LedgerBalance(
                ledger_import=imp,
                association=self.association,
                kind=kind,
                year_start=self._year_start(record.year, record.line),
                period=_month(record.period) if period else None,
                account=record.account,
                object_codes=_objects_text(record.objects) if period else "",
                amount=record.amount,
            )
        )

    def _voucher(self, record) -> None:
        imp_pk, association_pk = self._ensure_import().pk, self.association.pk
        self.vouchers += 1
        # Plain tuples, not model instances: a million rows would spend most of their time in
        # Model.__init__.
        date, series, number, text = record.date, record.series, record.number, record.text
        append = self.rows.append
        for t in record.transactions:
            if t.kind == "removed":  # the same rows as Voucher.booked_transactions
                continue
            append(
                (
                    imp_pk,
                    association_pk,
                    t.date or date,
                    series,
                    number,
                    t.account,
                    _objects_text(t.objects) if t.objects else "",
                    t.amount,
                    (t.text or text)[:200],
                )
            )

    def _voucher_rows(self, record) -> None:
        """A voucher from the reader's fast path: its rows are checked text without a character
        that COPY escapes, so each becomes a COPY line in one f-string."""
        imp_pk, association_pk = self._ensure_import().pk, self.association.pk
        self.vouchers += 1
        date, text = record.date.isoformat(), record.text
        iso_date, unescape = sie.iso_date, sie.unescape
        if not self.copy or record.escaped:  # as tuples; _copy_block escapes them for COPY
            self.rows += [
                (
                    imp_pk,
                    association_pk,
                    iso_date(when) if when else date,
                    record.series,
                    record.number,
                    account,
                    f"{int(dim)}:{quoted or bare}" if dim else "",
                    Decimal(amount) if not self.copy else amount,
                    (unescape(quoted_text) or bare_text or text)[:200],
                )
                for account, dim, quoted, bare, amount, when, quoted_text, bare_text in record.rows
            ]
            return
        head = f"{imp_pk}\t{association_pk}\t"
        voucher = f"\t{record.series}\t{record.number}\t"
        self.copy_lines += [
            f"{head}{iso_date(when) if when else date}{voucher}{account}\t"
            f"{f'{int(dim)}:{quoted or bare}' if dim else ''}\t{amount}\t"
            f"{(unescape(quoted_text) or bare_text or text)[:200]}\n"
            for account, dim, quoted, bare, amount, when, quoted_text, bare_text in record.rows
        ]

    def _years_from_vouchers(self, index: int, line: int) -> tuple[dt.date, dt.date]:
        """A #RAR without dates: the calendar year of the file's first voucher, moved back by
        the year index (-1 is the year before). The file is read ahead for it and put back."""
        if self.first_voucher_year is None:
            self.first_voucher_year = _first_voucher_year(self.fp)
        if self.first_voucher_year is None:
            raise sie.SieError(
                line, _("#RAR has no dates and the file has no vouchers to take the year from.")
            )
        year = self.first_voucher_year + index
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    def _year_start(self, index: int, line: int) -> dt.date:
        if index not in self.years:
            raise sie.SieError(line, _("Year index %(i)s is not in #RAR.") % {"i": index})
        return self.years[index][0]

    def _ensure_import(self) -> LedgerImport:
        if self.imp is not None:
            return self.imp
        if 0 not in self.years:
            raise sie.SieError(0, _("The file has no #RAR 0 (the financial year)."))
        start, end = self.years[0]
        with transaction.atomic():
            self.imp = LedgerImport.objects.create(
                association=self.association,
                file_name=self.file_name[:255],
                sha256=self.sha,
                company_name=self.header.get("company", ""),
                org_number=self.header.get("orgnr", ""),
                program=self.header.get("program", ""),
                fiscal_year_start=start,
                fiscal_year_end=end,
                imported_by=user_or_none(self.by),
                complete=False,
            )
        self.writer.import_id = self.imp.pk
        if self.on_start:
            self.on_start(self.imp)
        return self.imp

    def _flush(self) -> None:
        """Write what has been read since the last batch, in short transactions of its own."""
        if self.rows or self.copy_lines:
            self.writer.write(self.rows, self.copy_lines)
        if self.balances:
            with transaction.atomic():
                LedgerBalance.objects.bulk_create(self.balances, batch_size=BATCH)
        self.transactions += len(self.rows) + len(self.copy_lines)
        self.rows.clear()
        self.copy_lines.clear()
        self.balances.clear()
        if self.progress:
            self.reported = self.writer.committed  # behind what was read if a thread writes
            self.progress(self.reported)

    def publish(self) -> ImportOutcome:
        """The one short transaction in which the file becomes the fiscal year's ledger."""
        imp, association = self.imp, self.association
        with transaction.atomic():
            old = LedgerImport.objects.filter(
                association=association, fiscal_year_start=imp.fiscal_year_start, complete=True
            )
            replaced = old.count()
            old.delete()
            _upsert_accounts(association, self.accounts)
            _upsert_objects(association, self.objects)
            imp.voucher_count, imp.transaction_count = self.vouchers, self.transactions
            imp.complete = True
            imp.save(update_fields=["voucher_count", "transaction_count", "complete"])
            audit.record(
                event=Event.LEDGER_IMPORTED,
                actor=imp.imported_by or SYSTEM,
                target=imp,
                association=association,
                after={
                    "file": self.file_name,
                    "vouchers": imp.voucher_count,
                    "transactions": imp.transaction_count,
                    "replaced": replaced,
                },
            )
        return ImportOutcome(ledger_import=imp, unchanged=False, replaced=replaced)

    def discard(self) -> None:
        if self.imp is None or self.imp.complete:
            return
        try:
            discard_incomplete(self.imp.pk)
        except DatabaseError:  # the connection is unusable; a stale job's recovery deletes it
            logger.exception("Could not delete the incomplete SIE import %s", self.imp.pk)


COLUMNS = (
    "ledger_import_id",
    "association_id",
    "date",
    "series",
    "voucher_number",
    "account",
    "object_codes",
    "amount",
    "text",
)


def write_transactions(rows: list[tuple]) -> None:
    """Insert transaction rows given as tuples in COLUMNS order."""
    with TransactionWriter() as writer:
        writer.write(rows)


class TransactionWriter:
    """Writes transaction rows into the table, in the caller's transaction.

    On PostgreSQL one COPY stays open while the writer is: the server parses and stores rows
    while this process prepares the next ones. Nothing else may use the connection until the
    writer is closed. Elsewhere, batched INSERTs.
    """

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._copy = None

    def __enter__(self) -> TransactionWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        # An exception aborts the COPY, and the surrounding transaction rolls everything back.
        self._stack.__exit__(*exc_info)

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if connection.vendor != "postgresql":
            _bulk_transactions(rows)
            return
        self._open().write(_copy_block(rows))

    def write_text(self, text: str) -> None:
        """Rows already in COPY text format (PostgreSQL only)."""
        if text:
            self._open().write(text)

    def _open(self):
        if self._copy is None:
            cursor = self._stack.enter_context(connection.cursor())
            table = LedgerTransaction._meta.db_table
            self._copy = self._stack.enter_context(
                cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN")
            )
        return self._copy


class _BatchWriter:
    """Writes batches of transaction rows, each batch in its own short transaction.

    On PostgreSQL, when the import is not inside a transaction of its caller's, a thread with a
    connection of its own sends each batch through COPY and commits it, so the server stores one
    batch while the reader parses the next (waiting on the socket releases the GIL). At most two
    batches wait in the queue, so memory stays flat. Elsewhere (SQLite, or inside a test's transaction)
    each batch is written at once, in this thread.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, int] | None] | None = None
        self._error: BaseException | None = None
        self.committed = 0  # rows committed so far
        self.import_id: int | None = None
        # With the thread: month sums per (month, account, objects), which the thread takes from
        # each batch it has committed (a GROUP BY over the rows with a higher id than the last
        # batch's, on the server, while the reader parses); None when `_save_months` must.
        self.months: dict | None = None
        self._last_id = 0
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self._queue = queue.Queue(maxsize=2)
            self.months = {}
            self._thread = threading.Thread(target=self._run, name="sie-copy", daemon=True)
            self._thread.start()

    def write(self, rows: list[tuple], copy_lines: list[str] = ()) -> None:
        """Rows as tuples in COLUMNS order, and (PostgreSQL only) rows as COPY text lines."""
        count = len(rows) + len(copy_lines)
        if self._queue is None:
            with transaction.atomic(), TransactionWriter() as writer:
                writer.write(rows)
                writer.write_text("".join(copy_lines))
            self.committed += count
            return
        self._raise()
        self._queue.put((_copy_block(rows) + "".join(copy_lines), count))

    def close(self, *, raise_error: bool = True) -> None:
        """Wait until every batch handed over is committed (or the writer has failed)."""
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        if raise_error:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        table = LedgerTransaction._meta.db_table
        sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is not None:
                    continue  # drain, so the reader never blocks on a full queue
                try:
                    with (
                        transaction.atomic(),
                        connection.cursor() as cursor,
                        cursor.copy(sql) as copy,
                    ):
                        copy.write(batch[0])
                    self.committed += batch[1]
                    self._add_months()
                except BaseException as error:  # noqa: BLE001 - raised in the reader's thread
                    self._error = error
        finally:
            connection.close()

    def _add_months(self) -> None:
        table = LedgerTransaction._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT date_trunc('month', date)::date, account, object_codes, SUM(amount), "
                f"MAX(id) FROM {table} WHERE id > %s AND ledger_import_id = %s GROUP BY 1, 2, 3",
                [self._last_id, self.import_id],
            )
            months, last = self.months, self._last_id
            for month, account, objects, amount, top in cursor.fetchall():
                key = (month, account, objects)
                months[key] = months.get(key, ZERO) + amount
                last = max(last, top)
        self._last_id = last


def _bulk_transactions(rows: list[tuple]) -> None:
    table = LedgerTransaction._meta.db_table
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({placeholders})",
            [(*r[:7], str(r[7]), r[8]) for r in rows],
        )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_block(rows: list[tuple]) -> str:
    """COPY text format, preformatted: about twice as fast as letting psycopg adapt each value.
    A line is escaped field by field only when it has a character COPY treats specially."""
    lines = []
    append = lines.append
    for row in rows:
        imp, assoc, date, series, number, account, objects, amount, text = row
        line = (
            f"{imp}\t{assoc}\t{date}\t{series}\t{number}\t{account}\t{objects}\t{amount}\t{text}\n"
        )
        if line.count("\t") != 8 or line.count("\n") != 1 or "\\" in line or "\r" in line:
            line = (
                f"{imp}\t{assoc}\t{date}\t{series.translate(_COPY_ESCAPES)}\t"
                f"{number.translate(_COPY_ESCAPES)}\t{account.translate(_COPY_ESCAPES)}\t"
                f"{objects.translate(_COPY_ESCAPES)}\t{amount}\t{text.translate(_COPY_ESCAPES)}\n"
            )
        append(line)
    return "".join(lines)


def _save_months(imp: LedgerImport) -> None:
    """Month sums per account and objects, in one GROUP BY over the import's rows."""
    sums = (
        LedgerTransaction.objects.filter(ledger_import=imp)
        .annotate(month=TruncMonth("date"))
        .values_list("month", "account", "object_codes")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    _create_months(
        imp, {(month, account, objects): total for month, account, objects, total in sums}
    )


def _create_months(imp: LedgerImport, sums: dict[tuple[dt.date, str, str], Decimal]) -> None:
    LedgerMonthSum.objects.bulk_create(
        [
            LedgerMonthSum(
                ledger_import=imp,
                association_id=imp.association_id,
                month=month,
                account=account,
                object_codes=objects,
                amount=amount,
            )
            for (month, account, objects), amount in sums.items()
        ],
        batch_size=BATCH,
    )


def _upsert_accounts(association, accounts: dict[str, dict]) -> None:
    existing = {a.number: a for a in LedgerAccount.objects.filter(association=association)}
    new, changed = [], []
    for number, data in accounts.items():
        account = existing.get(number)
        account_type = data.get("type", "") or sie.bas_account_type(number) or ""
        if account is None:
            new.append(
                LedgerAccount(
                    association=association,
                    number=number,
                    name=data.get("name", ""),
                    account_type=account_type,
                )
            )
        elif (account.name, account.account_type) != (data.get("name", account.name), account_type):
            account.name, account.account_type = data.get("name", account.name), account_type
            changed.append(account)
    LedgerAccount.objects.bulk_create(new)
    LedgerAccount.objects.bulk_update(changed, ["name", "account_type"])


def _upsert_objects(association, objects: dict[tuple[int, str], str]) -> None:
    existing = {
        (o.dimension, o.number): o for o in LedgerObject.objects.filter(association=association)
    }
    new = [
        LedgerObject(association=association, dimension=dim, number=number, name=name)
        for (dim, number), name in objects.items()
        if (dim, number) not in existing
    ]
    LedgerObject.objects.bulk_create(new)
