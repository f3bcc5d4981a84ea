"""An SIE import writes in short batches that no reader sees until the import is complete."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.demo.ledger import kramfors_2021_sie
from finsam.economy import ledger, services
from finsam.economy.follow_up import actual_sums
from finsam.economy.models import (
    AccountMapping,
    LedgerBalance,
    LedgerImport,
    LedgerMonthSum,
    LedgerTransaction,
)
from finsam.economy.tests.conftest import big_sie
from finsam.organisation.models import AuditEvent

YEAR = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(ledger, "BATCH", 10)


def visible_bank_fees(association):
    """What a reader sees on the bank-fee account: the follow-up's sums."""
    return sum(s["total"] for s in actual_sums(association, *YEAR) if s["account"] == "8570")


def run_import(association, content: bytes, progress=None):
    return ledger.sie_import(
        association=association,
        fp=io.BytesIO(content),
        file_name="k.se",
        by=SYSTEM,
        progress=progress,
    )


@pytest.mark.django_db
def test_batches_are_written_as_they_come_and_seen_only_when_the_import_is_complete(
    association, small_batches
):
    first = run_import(association, kramfors_2021_sie()).ledger_import
    before = visible_bank_fees(association)
    seen = []

    def during(transactions: int) -> None:
        staged = LedgerImport.objects.get(complete=False)
        seen.append(
            (
                transactions,
                LedgerTransaction.objects.filter(ledger_import=staged).count(),
                list(LedgerImport.objects.filter(complete=True)),
                visible_bank_fees(association),
            )
        )

    outcome = run_import(association, big_sie(40), progress=during)

    assert len(seen) >= 10  # many batches, each one committed before the next was read
    for transactions, staged_rows, complete, fees in seen:
        assert staged_rows == transactions  # the batch is in the table …
        assert complete == [first] and fees == before  # … and no reader sees it
    assert outcome.replaced == 1 and not LedgerImport.objects.filter(pk=first.pk).exists()
    assert list(LedgerImport.objects.all()) == [outcome.ledger_import]
    assert outcome.ledger_import.complete
    assert visible_bank_fees(association) > before


@pytest.mark.django_db
def test_an_error_late_in_the_file_leaves_nothing_visible_and_nothing_staged(
    association, small_batches
):
    first = run_import(association, kramfors_2021_sie()).ledger_import
    counts = (LedgerTransaction.objects.count(), LedgerBalance.objects.count())
    months = LedgerMonthSum.objects.count()
    audits = AuditEvent.objects.count()
    batches = []

    with pytest.raises(ValidationError) as refused:
        run_import(association, big_sie(40, broken_at=35), progress=batches.append)

    assert len(batches) >= 5  # batches had been committed before the bad line was read
    assert "Filen är inte importerad, inget har sparats." in " ".join(refused.value.messages)
    assert list(LedgerImport.objects.all()) == [first]
    assert (LedgerTransaction.objects.count(), LedgerBalance.objects.count()) == counts
    assert LedgerMonthSum.objects.count() == months
    assert AuditEvent.objects.count() == audits


@pytest.mark.django_db
def test_any_error_while_importing_deletes_the_staged_rows(association, small_batches):
    def stop(transactions: int) -> None:
        if transactions >= 40:
            raise RuntimeError("the process is stopping")

    with pytest.raises(RuntimeError):
        run_import(association, big_sie(40), progress=stop)

    assert not LedgerImport.objects.exists() and not LedgerTransaction.objects.exists()
    assert not LedgerBalance.objects.exists() and not LedgerMonthSum.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_another_user_saves_while_an_import_is_in_progress(association, file_database, monkeypatch):
    """Between two batches the import holds no transaction: a write from another connection (a
    thread of its own, as another request would be) commits at once, even on SQLite. Were the
    import one transaction, the other write would wait for it and the join below would time
    out, with the import paused inside its own progress call."""
    monkeypatch.setattr(ledger, "BATCH", 10)
    association.slug = "kramfors"  # the seed budget, whose line the mapping names
    association.save()
    load_economy_demo(association)
    outcome = {}

    def other_user_saves() -> None:
        try:
            outcome["mapping"] = services.account_mapping_create(
                association=association,
                account_from="8570",
                account_to="8570",
                line_label="Bankkostnader",
                by=SYSTEM,
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = error
        finally:
            connection.close()

    events = []

    def during(transactions: int) -> None:
        events.append(("batch", transactions))
        if len(events) == 2:
            other = threading.Thread(target=other_user_saves)
            other.start()
            other.join(timeout=10)
            assert not other.is_alive(), "the other user's save waited for the import"
            assert "error" not in outcome, outcome.get("error")
            events.append(
                ("saved", AccountMapping.objects.filter(line_label="Bankkostnader").count())
            )
            assert not LedgerImport.objects.filter(complete=True).exists()

    result = run_import(association, big_sie(40), progress=during)

    assert ("saved", 1) in events
    saved_at = events.index(("saved", 1))
    assert 1 < saved_at < len(events) - 1  # the import went on writing batches afterwards
    assert result.ledger_import.complete and result.ledger_import.transaction_count > 80
    assert AuditEvent.objects.filter(target_id=str(outcome["mapping"].pk)).exists()
