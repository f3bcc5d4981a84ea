"""Import actuals from SIE 4 files: all or nothing, idempotent, a corrected file replaces its year.

The reader streams the file; rows are written in batches inside one transaction, so memory stays
flat however long the file is and a file that turns out to be malformed on its last line leaves
nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
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

BATCH = 5000


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
    *, association, fp: BinaryIO, file_name: str, by, progress: Callable[[int], None] | None = None
) -> ImportOutcome:
    require_actor(by)
    sha = file_sha256(fp)
    same = LedgerImport.objects.filter(association=association, sha256=sha).first()
    if same is not None:
        return ImportOutcome(ledger_import=same, unchanged=True, replaced=0)
    try:
        with transaction.atomic():
            return _import(
                association=association,
                fp=fp,
                file_name=file_name,
                sha=sha,
                by=by,
                progress=progress,
            )
    except sie.SieError as error:
        raise ValidationError(
            _("The file has not been imported; nothing has been saved. %(error)s")
            % {"error": str(error)}
        ) from error


def _import(*, association, fp, file_name, sha, by, progress) -> ImportOutcome:
    header: dict = {}
    years: dict[int, tuple[dt.date, dt.date]] = {}
    ledger_import: LedgerImport | None = None
    accounts: dict[str, dict] = {}
    objects: dict[tuple[int, str], str] = {}
    balances: list[LedgerBalance] = []
    rows: list[tuple] = []
    counts = {"vouchers": 0, "transactions": 0}
    month_sums: dict[tuple[dt.date, str, str], Decimal] = {}
    replaced = 0
    association_pk = association.pk

    def ensure_import() -> LedgerImport:
        nonlocal ledger_import, replaced
        if ledger_import is None:
            if 0 not in years:
                raise sie.SieError(0, _("The file has no #RAR 0 (the financial year)."))
            start, end = years[0]
            old = LedgerImport.objects.filter(association=association, fiscal_year_start=start)
            replaced = old.count()
            old.delete()
            ledger_import = LedgerImport.objects.create(
                association=association,
                file_name=file_name[:255],
                sha256=sha,
                company_name=header.get("company", ""),
                org_number=header.get("orgnr", ""),
                program=header.get("program", ""),
                fiscal_year_start=start,
                fiscal_year_end=end,
                imported_by=user_or_none(by),
            )
        return ledger_import

    def year_start(index: int, line: int) -> dt.date:
        if index not in years:
            raise sie.SieError(line, _("Year index %(i)s is not in #RAR.") % {"i": index})
        return years[index][0]

    with TransactionWriter() as writer:
        for record in sie.read_sie(fp):
            match record:
                case sie.CompanyName(name=name):
                    header["company"] = name
                case sie.OrgNr(number=number):
                    header["orgnr"] = number
                case sie.Program(name=name, version=version):
                    header["program"] = f"{name} {version}".strip()
                case sie.FiscalYear(index=index, start=start, end=end):
                    years[index] = (start, end)
                case sie.Account(number=number, name=name):
                    accounts.setdefault(number, {})["name"] = name
                case sie.AccountType(number=number, type=kind):
                    accounts.setdefault(number, {})["type"] = kind
                case sie.Object(dimension=dim, number=number, name=name):
                    objects[(dim, number)] = name
                case sie.OpeningBalance() | sie.ClosingBalance() | sie.Result():
                    kind = {
                        sie.OpeningBalance: "opening",
                        sie.ClosingBalance: "closing",
                        sie.Result: "result",
                    }[type(record)]
                    imp = ensure_import()
                    balances.append(
                        LedgerBalance(
                            ledger_import=imp,
                            association=association,
                            kind=kind,
                            year_start=year_start(record.year, record.line),
                            account=record.account,
                            amount=record.amount,
                        )
                    )
                case sie.PeriodBalance():
                    imp = ensure_import()
                    balances.append(
                        LedgerBalance(
                            ledger_import=imp,
                            association=association,
                            kind="period",
                            year_start=year_start(record.year, record.line),
                            period=_month(record.period),
                            account=record.account,
                            object_codes=_objects_text(record.objects),
                            amount=record.amount,
                        )
                    )
                case sie.Voucher():
                    imp = ensure_import()
                    imp_pk = imp.pk
                    counts["vouchers"] += 1
                    # Plain tuples, not model instances: a million rows would spend most of their
                    # time in Model.__init__.
                    for t in record.booked_transactions:
                        rows.append(
                            (
                                imp_pk,
                                association_pk,
                                t.date or record.date,
                                record.series,
                                record.number,
                                t.account,
                                _objects_text(t.objects) if t.objects else "",
                                t.amount,
                                (t.text or record.text)[:200],
                            )
                        )
                    if len(rows) >= BATCH:
                        _add_to_months(month_sums, rows)
                        writer.write(rows)
                        counts["transactions"] += len(rows)
                        rows.clear()
                        if progress:
                            progress(counts["transactions"])
                case _:
                    pass
        imp = ensure_import()
        _add_to_months(month_sums, rows)
        writer.write(rows)
        counts["transactions"] += len(rows)
    LedgerBalance.objects.bulk_create(balances, batch_size=BATCH)
    _save_months(imp, month_sums)
    _upsert_accounts(association, accounts)
    _upsert_objects(association, objects)
    imp.voucher_count, imp.transaction_count = counts["vouchers"], counts["transactions"]
    imp.save(update_fields=["voucher_count", "transaction_count"])
    audit.record(
        event=Event.LEDGER_IMPORTED,
        actor=imp.imported_by or SYSTEM,
        target=imp,
        association=association,
        after={
            "file": file_name,
            "vouchers": imp.voucher_count,
            "transactions": imp.transaction_count,
            "replaced": replaced,
        },
    )
    return ImportOutcome(ledger_import=imp, unchanged=False, replaced=replaced)


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
    """Streams transaction rows into the table while the file is still being read.

    On PostgreSQL one COPY stays open for the whole file: the server parses and stores a batch
    while this process reads the next one, so the import uses both cores instead of waiting at
    the end of every batch. Nothing else may use the connection until the writer is closed.
    Elsewhere, batched INSERTs.
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
        if self._copy is None:
            cursor = self._stack.enter_context(connection.cursor())
            table = LedgerTransaction._meta.db_table
            self._copy = self._stack.enter_context(
                cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN")
            )
        self._copy.write(_copy_block(rows))


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
    """COPY text format, preformatted: about twice as fast as letting psycopg adapt each value."""
    return "".join(
        f"{imp}\t{assoc}\t{date.isoformat()}\t{series.translate(_COPY_ESCAPES)}\t"
        f"{number.translate(_COPY_ESCAPES)}\t{account.translate(_COPY_ESCAPES)}\t"
        f"{objects.translate(_COPY_ESCAPES)}\t{amount}\t{text.translate(_COPY_ESCAPES)}\n"
        for imp, assoc, date, series, number, account, objects, amount, text in rows
    )


def _add_to_months(month_sums: dict, rows: list[tuple]) -> None:
    """Sum rows per month, account and objects while they stream past (cheaper than a GROUP BY
    over the whole table afterwards)."""
    for row in rows:
        key = (row[2].replace(day=1), row[5], row[6])
        month_sums[key] = month_sums.get(key, ZERO) + row[7]


def _save_months(imp: LedgerImport, month_sums: dict) -> None:
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
            for (month, account, objects), amount in month_sums.items()
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
