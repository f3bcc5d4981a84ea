"""The month sums an import writes are the GROUP BY of its rows, whichever way they were taken:
by the writer thread batch by batch while the file is read (PostgreSQL outside a transaction),
or in one query at the end."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from finsam.core.actors import SYSTEM
from finsam.economy import ledger
from finsam.economy.models import LedgerMonthSum, LedgerTransaction
from finsam.economy.tests.conftest import big_sie


def month_sums(imp) -> dict:
    return {
        (m.month, m.account, m.object_codes): m.amount
        for m in LedgerMonthSum.objects.filter(ledger_import=imp)
    }


def grouped(imp) -> dict:
    rows = (
        LedgerTransaction.objects.filter(ledger_import=imp)
        .annotate(m=TruncMonth("date"))
        .values_list("m", "account", "object_codes")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(m, account, objects): total for m, account, objects, total in rows}


@pytest.mark.parametrize("batch", [7, 20_000])
def test_month_sums_are_the_rows_grouped_by_month_account_and_objects(
    association, file_database, monkeypatch, batch
):
    monkeypatch.setattr(ledger, "BATCH", batch)
    outcome = ledger.sie_import(
        association=association, fp=io.BytesIO(big_sie(60)), file_name="k.se", by=SYSTEM
    )
    imp = outcome.ledger_import
    assert imp.transaction_count == LedgerTransaction.objects.filter(ledger_import=imp).count()
    assert month_sums(imp) == grouped(imp) and len(month_sums(imp)) > 12


def test_texts_with_quotes_backslashes_and_objects_arrive_as_the_reader_reads_them(
    association, file_database
):
    head = b"#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20240101 20241231\n"
    body = (
        '#VER A 1 20240105 "Faktura \\"Steg\\""\n{\n'
        '   #TRANS 4010 {1 "15"} 100.50 "" "Hyra \\"kv\\""\n'
        "   #TRANS 1930 {} -100.50 20240106\n}\n"
        '#VER "" 2 20240107 "a\\\\b"\n{\n'
        '   #TRANS 4010 {} 7 "" "c\\\\d\\"e"\n   #TRANS 1930 {01 7} -7\n}\n'
        "#VER B 3 20240108 L\x94n\n{\n   #TRANS 7010 {} 1 20240109 L\x94n\n   #TRANS 1930 {} -1\n}\n"
    )
    data = head + body.encode("latin-1")
    outcome = ledger.sie_import(
        association=association, fp=io.BytesIO(data), file_name="t.se", by=SYSTEM
    )
    rows = sorted(
        LedgerTransaction.objects.filter(ledger_import=outcome.ledger_import).values_list(
            "series", "voucher_number", "date", "account", "object_codes", "amount", "text"
        ),
        key=lambda r: (r[1], r[3]),
    )
    d = dt.date
    assert rows == [
        ("A", "1", d(2024, 1, 6), "1930", "", D("-100.50"), 'Faktura "Steg"'),
        ("A", "1", d(2024, 1, 5), "4010", "1:15", D("100.50"), 'Hyra "kv"'),
        ("", "2", d(2024, 1, 7), "1930", "1:7", D("-7"), "a\\b"),
        ("", "2", d(2024, 1, 7), "4010", "", D("7"), 'c\\d"e'),
        ("B", "3", d(2024, 1, 8), "1930", "", D("-1"), "Lön"),
        ("B", "3", d(2024, 1, 9), "7010", "", D("1"), "Lön"),
    ]
