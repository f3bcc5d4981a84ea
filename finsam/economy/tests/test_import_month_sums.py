"""The month sums an import writes are the GROUP BY of its rows, whichever way they were taken:
by the writer thread batch by batch while the file is read (PostgreSQL outside a transaction),
or in one query at the end."""

from __future__ import annotations

import io

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
